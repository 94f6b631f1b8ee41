"""Set-up and entry points that need nothing but Python 3.11+ and pip.

    python3 tasks.py report   # create .venv, install, build the briefing into reports/
    python3 tasks.py test     # create .venv, install, find a headless Chromium, run the tests
    python3 tasks.py lab      # create .venv, install, start JupyterLab with the project kernel
    python3 tasks.py docs     # create .venv, install, build the documentation site into site/

The virtual environment is (re)installed only when pyproject.toml changed since the last install
(or an extra it lacks is wanted). Extra arguments after the task name are passed on (to
`ipanalysis build`, pytest, `jupyter lab` or `mkdocs build`).

Before the tests, `test` makes sure a headless Chromium is there for the browser check
(tests/publish/test_browser.py) and passes its path as IPANALYSIS_CHROMIUM: IPANALYSIS_CHROMIUM
if set, else `chromium`, `chromium-browser` or `google-chrome` on PATH, else Playwright's own
(`python -m playwright install chromium`), else, on Debian as root, `apt-get install chromium`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
#: The extras installed: the notebook stack, the test tools and the documentation site (the
#: tests build it).
EXTRAS = ("briefings", "dev", "docs")
#: Project-local Jupyter configuration for `lab` (kernel, JupyterLab settings).
JUPYTER_CONFIG = ROOT / ".jupyter"
#: Names a system Chromium goes by on PATH.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def _run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def stamp(extras: tuple[str, ...]) -> str:
    """What .venv/.installed holds once the project is installed with ``extras``: the sha256
    of pyproject.toml and the extras."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest} {','.join(sorted(set(extras)))}"


def ensure_env(extras: tuple[str, ...] = EXTRAS) -> None:
    """Create .venv and install the project with ``extras``, if not already current (an
    install keeps the extras installed before)."""
    if STAMP.exists():
        digest, _, installed = STAMP.read_text().strip().partition(" ")
        had = set(installed.split(",")) - {""}
        if digest == stamp(()).split()[0] and set(extras) <= had:
            return
        extras = tuple(sorted({*extras, *had}))
    if not (BIN / "python").exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".[{','.join(extras)}]")
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
    STAMP.write_text(stamp(extras))


def find_chromium(env: dict[str, str]) -> str | None:
    """A system Chromium: ``IPANALYSIS_CHROMIUM``, else the first of :data:`CHROMIUM_NAMES`
    on ``env``'s PATH."""
    if env.get("IPANALYSIS_CHROMIUM"):
        return env["IPANALYSIS_CHROMIUM"]
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=env.get("PATH", ""))
        if found:
            return found
    return None


def _say(message: str) -> None:
    print(f"browser: {message}", flush=True)


def _playwright_chromium(env: dict[str, str]) -> tuple[str | None, str]:
    """Install Playwright's own Chromium; (its path, or None and why not)."""
    python = str(BIN / "python")
    done = subprocess.run(
        [python, "-m", "playwright", "install", "chromium"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("Error")]
        return None, (errors or lines or [f"exit status {done.returncode}"])[0]
    where = subprocess.run(
        [
            python,
            "-c",
            "from playwright.sync_api import sync_playwright\n"
            "with sync_playwright() as p: print(p.chromium.executable_path)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    path = where.stdout.strip()
    if where.returncode == 0 and path and Path(path).is_file():
        return path, ""
    return None, "installed, but its executable was not found"


def _debian_chromium(env: dict[str, str]) -> tuple[str | None, str]:
    """Install Debian's chromium with apt-get (as root); (its path, or None and why not)."""
    apt = shutil.which("apt-get", path=env.get("PATH", ""))
    if not apt or not Path("/etc/debian_version").exists():
        return None, "not a Debian system with apt-get"
    if os.geteuid() != 0:
        return None, "apt-get needs root"
    quiet = {**env, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (["update", "-qq"], ["install", "-y", "-qq", "chromium"]):
        done = subprocess.run([apt, *args], env=quiet, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
            why = lines[-1].strip() if lines else f"exit status {done.returncode}"
            return None, f"apt-get {args[0]} failed: {why}"
    found = find_chromium(env)
    return (found, "") if found else (None, "apt-get installed chromium, but it is not on PATH")


def ensure_chromium(env: dict[str, str]) -> str:
    """The path of a headless Chromium for the browser check, installed if there is none.

    Says what it does; raises ``SystemExit`` with one line when no way worked.
    """
    given = env.get("IPANALYSIS_CHROMIUM")
    if given and not Path(given).is_file():
        raise SystemExit(f"error: IPANALYSIS_CHROMIUM={given} is not a file")
    found = find_chromium(env)
    if found:
        _say(f"using {found}")
        return found
    _say(f"no Chromium on PATH ({', '.join(CHROMIUM_NAMES)}); trying Playwright's own")
    _say("+ python -m playwright install chromium")
    found, playwright_failed = _playwright_chromium(env)
    if found:
        _say(f"using {found}")
        return found
    _say(f"Playwright could not install Chromium: {playwright_failed}")
    _say("trying Debian's: + apt-get update && apt-get install -y chromium")
    found, apt_failed = _debian_chromium(env)
    if found:
        _say(f"using {found}")
        return found
    raise SystemExit(
        "error: no headless Chromium for the browser tests: none on PATH, Playwright's download "
        f"failed ({playwright_failed}), Debian's not installed ({apt_failed}); install one "
        "(e.g. `apt-get install chromium`) or set IPANALYSIS_CHROMIUM to its path"
    )


def lab_command(env: dict[str, str], rest: list[str]) -> tuple[list[str | Path], dict[str, str]]:
    """`jupyter lab` on the notebooks, with the project's Jupyter configuration (.jupyter/:
    the ``ipanalysis`` kernel by default, no news or update pop-up) ahead of the user's."""
    env = {k: v for k, v in env.items() if k != "MPLBACKEND"}
    config_path = [str(JUPYTER_CONFIG), *filter(None, [env.get("JUPYTER_CONFIG_PATH")])]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(config_path)
    root = ["--allow-root"] if os.name != "nt" and os.geteuid() == 0 else []  # else it refuses
    return [BIN / "jupyter", "lab", "--notebook-dir", ROOT / "notebooks", *root, *rest], env


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"report", "test", "lab", "docs", "env"}:
        print(__doc__)
        return 2
    task, rest = argv[0], argv[1:]
    ensure_env()
    env = {**os.environ, "MPLBACKEND": "Agg", "NO_MKDOCS_2_WARNING": "1"}
    if task == "report":
        cmd = [BIN / "ipanalysis", "build", *rest]
    elif task == "test":
        env["IPANALYSIS_CHROMIUM"] = ensure_chromium(env)
        cmd = [BIN / "python", "-m", "pytest", *rest]
    elif task == "lab":
        cmd, env = lab_command(env, rest)
    elif task == "docs":
        cmd = [BIN / "mkdocs", "build", "--strict", "--site-dir", ROOT / "site", *rest]
    else:
        return 0
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
