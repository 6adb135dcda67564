"""A read-only install, run by an unprivileged user with no home (a service account, a container image): the
package still imports and trains, caching numba's kernels in a private temporary directory, or compiling them
uncached when nothing at all is writable.

The package is copied into a read-only directory and run as `nobody` with Debian's Python (the worktree's own
interpreter lives under /root, which `nobody` cannot enter), using the worktree's installed dependencies.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import playground

SYSTEM_PYTHON = Path("/usr/bin/python3")
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
NOBODY_UID = 65534


@pytest.fixture(scope="module")
def install() -> Iterator[Path]:
    """A read-only copy of the package in a directory nobody can read but not write."""
    root = Path(tempfile.mkdtemp(prefix="playground-readonly-"))
    shutil.copytree(Path(playground.__file__).parent, root / "site" / "playground",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for path in [root, *root.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    yield root
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755)
    shutil.rmtree(root)


def run_as_nobody(install: Path, argv: list[str], tmpdir: Path, setup: str | None = None,
                  ) -> subprocess.CompletedProcess[str]:
    """Run `python3 -m playground argv` as nobody with no home; with setup, after that shell command, in a mount
    namespace of its own."""
    version = subprocess.run([str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == str(sys.version_info[:2]), "Debian's python3 must match the worktree's Python"
    dependencies = Path(np.__file__).resolve().parent.parent  # the worktree's site-packages
    env = {"HOME": "/nonexistent", "PATH": "/usr/bin:/bin", "TMPDIR": str(tmpdir),
           "PYTHONPATH": f"{install / 'site'}:{dependencies}"}
    command = [*NOBODY, "env", "-i", *(f"{key}={value}" for key, value in env.items()),
               str(SYSTEM_PYTHON), "-m", "playground", *argv]
    if setup:
        command = ["unshare", "-m", "sh", "-c", f"{setup} && exec {shlex.join(command)}"]
    return subprocess.run(command, cwd=install, capture_output=True, text=True, timeout=300)


def test_a_read_only_install_caches_its_kernels_in_a_private_temporary_directory(install: Path) -> None:
    tmpdir = Path(tempfile.mkdtemp(prefix="playground-tmp-"))
    os.chown(tmpdir, NOBODY_UID, NOBODY_UID)
    try:
        helped = run_as_nobody(install, ["--help"], tmpdir)
        assert helped.returncode == 0 and "serve" in helped.stdout, helped.stderr
        trained = run_as_nobody(install, ["train", "--epochs", "1"], tmpdir)
        assert trained.returncode == 0 and trained.stdout.startswith("epoch       1"), trained.stderr
        cache = tmpdir / f"playground-numba-cache-{NOBODY_UID}"
        for result in (helped, trained):
            assert result.stderr.count(f"compiled kernels are cached in {cache}") == 1, result.stderr
        assert list(cache.rglob("*.nbi")), "the kernels were cached there"
    finally:
        shutil.rmtree(tmpdir)


def test_a_read_only_install_with_nothing_writable_compiles_without_a_cache(install: Path) -> None:
    """The temporary directories are made read-only in a private mount namespace."""
    read_only = " && ".join(f"mount --bind {d} {d} && mount -o remount,bind,ro {d}" for d in ("/tmp", "/var/tmp"))
    trained = run_as_nobody(install, ["train", "--epochs", "1"], Path("/tmp"),
                            setup=read_only)
    assert trained.returncode == 0 and trained.stdout.startswith("epoch       1"), trained.stderr
    assert trained.stderr.count("kernels are compiled at each start") == 1, trained.stderr
