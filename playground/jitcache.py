"""Where numba keeps the compiled kernels, decided once, before numba is imported (playground/__init__.py).

numba caches next to the source (`__pycache__`) or under the user's cache directory; installed where neither is
writable (a service account without a home, a read-only container image) it refuses to import a cached function
at all. Then the cache goes to a private directory under the system's temporary directory, and if even that is
not writable the kernels are compiled at each start without a cache (CACHE is False). Either way it says so once,
on stderr, and never fails.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def writable(directory: Path) -> bool:
    """Whether files can be created in directory (making it, and its parents, if need be)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            return True
    except OSError:
        return False


def user_cache() -> Path:
    """numba's own choice besides __pycache__: $XDG_CACHE_HOME/numba, else ~/.cache/numba."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "numba"


def temporary() -> Path:
    """The system's temporary directory (the standard one if none is writable: the check then fails)."""
    try:
        return Path(tempfile.gettempdir())
    except OSError:
        return Path("/tmp")


def configure() -> bool:
    """Make sure numba has a writable cache; False if there is none (compile without caching)."""
    chosen = os.environ.get("NUMBA_CACHE_DIR")
    if chosen and writable(Path(chosen)):
        return True
    if not chosen and (writable(PACKAGE / "__pycache__") or writable(user_cache())):
        return True
    fallback = temporary() / f"playground-numba-cache-{os.getuid()}"
    if writable(fallback) and fallback.stat().st_uid == os.getuid():
        os.environ["NUMBA_CACHE_DIR"] = str(fallback)
        print(f"playground: no writable numba cache next to the package or in the user's cache; compiled kernels "
              f"are cached in {fallback}", file=sys.stderr)
        return True
    os.environ.pop("NUMBA_CACHE_DIR", None)
    print("playground: no writable directory for numba's cache; kernels are compiled at each start (slower to "
          "start, as fast once running); set NUMBA_CACHE_DIR to a writable directory to cache them", file=sys.stderr)
    return False


CACHE = configure()
