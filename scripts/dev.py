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
import time
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
    if STAMP.exists() and STAMP.read_text().strip() == want and venv_python().exists():
        return venv_python()
    # pip and the build backend are chatty (and a newcomer cannot act on their warnings):
    # their output goes to a log file, shown only when the install fails.
    first = not venv_python().exists()
    what = "setting up .venv (first run only, about a minute)" if first else "updating .venv"
    print(f"{what} ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    if first:
        venv.EnvBuilder(with_pip=True).create(VENV)
    py = venv_python()
    log_path = VENV / "install.log"
    pip = [str(py), "-m", "pip", "--disable-pip-version-check", "--no-input"]
    with log_path.open("w") as log:
        for step in (["install", "--upgrade", "pip"], ["install", "-e", f"{REPO}[dev]"]):
            done = subprocess.run([*pip, *step], stdout=log, stderr=subprocess.STDOUT)
            if done.returncode != 0:
                log.flush()
                tail = log_path.read_text(errors="replace").splitlines()[-30:]
                print("\n".join(tail), file=sys.stderr)
                sys.exit(f"installing into .venv failed (pip {step[0]}); full log: {log_path}")
    STAMP.write_text(want)
    print(
        f"ready in {time.monotonic() - started:.0f} s (log: {log_path.relative_to(REPO)})",
        file=sys.stderr,
    )
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
