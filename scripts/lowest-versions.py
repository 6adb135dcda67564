"""Check that the lowest versions pyproject.toml allows really pass the tests: a fresh virtualenv, every dependency
(and every test tool) pinned to its lower bound (`name>=X` becomes `name==X`), then the non-browser tests.

    python3 scripts/lowest-versions.py [--venv /tmp/playground-lowest] [pytest arguments...]

Not part of `make test` (it installs a second environment); run it when a lower bound changes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOWER_BOUND = re.compile(r"^([A-Za-z0-9_.\[\]-]+)\s*>=\s*([^,;\s]+)")


def pins() -> list[str]:
    """`name==lower bound` for every requirement of the package and its test extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    pinned = []
    for requirement in requirements:
        match = LOWER_BOUND.match(requirement)
        if match is None:
            raise SystemExit(f"{requirement!r} has no lower bound (name>=X) to pin")
        pinned.append(f"{match.group(1)}=={match.group(2)}")
    return pinned


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--venv", type=Path, default=Path("/tmp/playground-lowest"))
    known, pytest_args = options.parse_known_args()
    venv.create(known.venv, with_pip=True, clear=True)
    python = str(known.venv / "bin" / "python")
    constraints = known.venv / "lowest.txt"
    constraints.write_text("\n".join(re.sub(r"\[.*\]", "", pin) for pin in pins()) + "\n")
    print("pinned:", ", ".join(pins()), flush=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-c", str(constraints), "-e", f"{ROOT}[test]"],
                   check=True)
    subprocess.run([python, "-m", "pip", "list", "--format=freeze"], check=True)
    tests = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ignore", str(ROOT / "tests" / "browser"),
             *pytest_args]
    return subprocess.run(tests, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
