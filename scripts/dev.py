#!/usr/bin/env python3
"""Set up and run LabelQuest with nothing but Python 3.11+.

    python3 scripts/dev.py demo [DEMO ARGS]    install what is needed, run the demo
    python3 scripts/dev.py test [PYTEST ARGS]  install what is needed, run the whole test suite
    python3 scripts/dev.py run.py [ARGS]       any run.py command inside the environment

The first call creates `.venv/` next to this repository and installs the project with its
`dev` extra; later calls reuse it, reinstalling only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".venv"
STAMP = VENV / ".labelquest-installed"


def venv_python() -> Path:
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return VENV / sub


def ensure_env() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an old Python
        sys.exit(f"LabelQuest needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    want = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
    py = venv_python()
    if not py.exists():
        print("creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text().strip() != want:
        print("installing LabelQuest and its dependencies into .venv ...", file=sys.stderr)
        pip = [str(py), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", "-e", f"{REPO}[dev]"], check=True)
        STAMP.write_text(want)
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "run.py"):
        print(__doc__)
        return 2
    py = ensure_env()
    cmd, rest = argv[0], argv[1:]
    if cmd == "demo":
        args = [str(py), str(REPO / "run.py"), "demo", *rest]
    elif cmd == "test":
        args = [str(py), "-m", "pytest", *rest]
    else:
        args = [str(py), str(REPO / "run.py"), *rest]
    return subprocess.run(args, cwd=REPO).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
