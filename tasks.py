"""Set-up and entry points that need nothing but Python 3.11+ and pip.

    python3 tasks.py report   # create .venv, install, build the briefing into reports/
    python3 tasks.py test     # create .venv, install, run the whole test suite
    python3 tasks.py lab      # create .venv, install, start JupyterLab with the project kernel

The virtual environment is (re)installed only when pyproject.toml changed since the last install.
Extra arguments after the task name are passed on (to `ipanalysis build` or to pytest).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def _run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def ensure_env() -> None:
    """Create .venv and install the project with its dev extra, if not already current."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    _run(
        BIN / "python",
        "-m",
        "ipykernel",
        "install",
        "--sys-prefix",
        "--name",
        "ipanalysis",
        "--display-name",
        "Python (ipanalysis)",
    )
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"report", "test", "lab", "env"}:
        print(__doc__)
        return 2
    task, rest = argv[0], argv[1:]
    ensure_env()
    env = {**os.environ, "MPLBACKEND": "Agg"}
    if task == "report":
        cmd = [BIN / "ipanalysis", "build", *rest]
    elif task == "test":
        cmd = [BIN / "python", "-m", "pytest", *rest]
    elif task == "lab":
        env.pop("MPLBACKEND")
        cmd = [BIN / "jupyter", "lab", "--notebook-dir", ROOT / "notebooks", *rest]
    else:
        return 0
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
