"""tasks.py on a fresh machine: the browser the test command finds or installs, and JupyterLab
opened ready for an analyst.

The browser step runs the real ``python3 tasks.py test`` in a fresh checkout (its tasks.py and
pyproject.toml) whose ``.venv`` is a stand-in: its ``python`` records what it is asked to run
(Playwright's install, pytest) instead of doing it. PATH is a temporary folder holding only a
stand-in ``apt-get`` that records its calls, so the machine's Chromium is hidden; nothing is
installed or uninstalled for real.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The stand-in .venv/bin/python: records its arguments and IPANALYSIS_CHROMIUM; Playwright's
#: install fails as it does without its download site, or (FAKE_PLAYWRIGHT=ok) installs a file.
FAKE_PYTHON = """\
import json, os, sys
from pathlib import Path
with open(os.environ["FAKE_LOG"], "a") as log:
    print(json.dumps(["python", *sys.argv[1:], os.environ.get("IPANALYSIS_CHROMIUM")]), file=log)
browser = Path(os.environ["FAKE_PLAYWRIGHT_BROWSER"])
if sys.argv[1:3] == ["-m", "playwright"]:
    if os.environ["FAKE_PLAYWRIGHT"] != "ok":
        print("Downloading Chrome for Testing from https://cdn.playwright.dev/...")
        print("Error: Failed to download Chrome for Testing, caused by", file=sys.stderr)
        print("Error: Download failure, code=1", file=sys.stderr)
        sys.exit(1)
    browser.write_text("")
    browser.chmod(0o755)
elif sys.argv[1] == "-c":
    print(browser)
"""

#: The stand-in apt-get: records its calls; ``install`` puts a chromium on PATH
#: (FAKE_APT=ok) or fails as apt-get does without the package.
FAKE_APT = """\
import json, os, sys
from pathlib import Path
with open(os.environ["FAKE_LOG"], "a") as log:
    print(json.dumps(["apt-get", *sys.argv[1:], os.environ.get("DEBIAN_FRONTEND")]), file=log)
if "install" in sys.argv and os.environ["FAKE_APT"] == "ok":
    chromium = Path(sys.argv[0]).parent / "chromium"
    chromium.write_text("")
    chromium.chmod(0o755)
elif "install" in sys.argv:
    print("E: Unable to locate package chromium")
    sys.exit(100)
"""

APT_POSSIBLE = os.geteuid() == 0 and Path("/etc/debian_version").exists()


def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)
    return path


def _load_tasks(checkout: Path):
    spec = importlib.util.spec_from_file_location("tasks_under_test", checkout / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def machine(tmp_path):
    """A fresh checkout with a stand-in .venv, and a PATH without any Chromium."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("tasks.py", "pyproject.toml"):
        shutil.copy(ROOT / name, checkout / name)
    tasks = _load_tasks(checkout)
    _script(checkout / ".venv" / "bin" / "python", FAKE_PYTHON)
    (checkout / ".venv" / ".installed").write_text(tasks.stamp(tasks.EXTRAS))  # installed
    bin_dir = tmp_path / "bin"
    _script(bin_dir / "apt-get", FAKE_APT)
    log = tmp_path / "calls.jsonl"
    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "FAKE_LOG": str(log),
        "FAKE_APT": "ok",
        "FAKE_PLAYWRIGHT": "fail",
        "FAKE_PLAYWRIGHT_BROWSER": str(tmp_path / "ms-playwright-chrome"),
    }

    def run(**settings: str) -> tuple[subprocess.CompletedProcess, list[list]]:
        done = subprocess.run(
            [sys.executable, "tasks.py", "test", "-q", "tests/test_plans.py"],
            cwd=checkout,
            env={**env, **settings},
            capture_output=True,
            text=True,
            timeout=120,
        )
        calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        return done, calls

    return checkout, bin_dir, tmp_path, run


PYTEST = ["python", "-m", "pytest", "-q", "tests/test_plans.py"]


def test_a_chromium_on_path_is_used_and_nothing_is_installed(machine):
    checkout, bin_dir, _, run = machine
    _script(bin_dir / "chromium-browser", "")
    done, calls = run()
    assert done.returncode == 0, done.stderr
    browser = f"{bin_dir}/chromium-browser"
    assert done.stdout.splitlines() == [
        f"browser: using {browser}",
        f"+ {checkout}/.venv/bin/python -m pytest -q tests/test_plans.py",
    ]
    assert calls == [[*PYTEST, browser]]


def test_ipanalysis_chromium_names_the_browser_or_the_run_stops(machine):
    _, _, tmp_path, run = machine
    given = _script(tmp_path / "my-chrome", "")
    done, calls = run(IPANALYSIS_CHROMIUM=str(given))
    assert done.returncode == 0 and done.stdout.splitlines()[0] == f"browser: using {given}"
    assert calls == [[*PYTEST, str(given)]]
    done, calls = run(IPANALYSIS_CHROMIUM=str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert done.stderr == f"error: IPANALYSIS_CHROMIUM={tmp_path}/nowhere is not a file\n"
    assert len(calls) == 1  # pytest did not run again


def test_playwrights_chromium_is_installed_when_none_is_on_path(machine):
    _, _, tmp_path, run = machine
    done, calls = run(FAKE_PLAYWRIGHT="ok")
    assert done.returncode == 0, done.stderr
    browser = str(tmp_path / "ms-playwright-chrome")
    assert done.stdout.splitlines()[:3] == [
        "browser: no Chromium on PATH (chromium, chromium-browser, google-chrome); "
        "trying Playwright's own",
        "browser: + python -m playwright install chromium",
        f"browser: using {browser}",
    ]
    assert [call[:4] for call in calls] == [
        ["python", "-m", "playwright", "install"],
        ["python", "-c", calls[1][2], None],
        PYTEST[:4],
    ]
    assert calls[-1] == [*PYTEST, browser]


@pytest.mark.skipif(not APT_POSSIBLE, reason="apt-get is tried only as root on Debian")
def test_without_playwrights_download_debians_chromium_is_installed(machine):
    _, bin_dir, _, run = machine
    done, calls = run()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:5] == [
        "browser: no Chromium on PATH (chromium, chromium-browser, google-chrome); "
        "trying Playwright's own",
        "browser: + python -m playwright install chromium",
        "browser: Playwright could not install Chromium: "
        "Error: Failed to download Chrome for Testing, caused by",
        "browser: trying Debian's: + apt-get update && apt-get install -y chromium",
        f"browser: using {bin_dir}/chromium",
    ]
    assert calls == [
        ["python", "-m", "playwright", "install", "chromium", None],
        ["apt-get", "update", "-qq", "noninteractive"],
        ["apt-get", "install", "-y", "-qq", "chromium", "noninteractive"],
        [*PYTEST, f"{bin_dir}/chromium"],
    ]


def test_when_nothing_works_the_test_command_fails_with_one_line(machine):
    _, _, _, run = machine
    done, calls = run(FAKE_APT="fail")
    assert done.returncode == 1
    why = (
        "apt-get install failed: E: Unable to locate package chromium"
        if APT_POSSIBLE
        else "apt-get needs root"
        if Path("/etc/debian_version").exists()
        else "not a Debian system with apt-get"
    )
    assert done.stderr == (
        "error: no headless Chromium for the browser tests: none on PATH, Playwright's "
        "download failed (Error: Failed to download Chrome for Testing, caused by), Debian's "
        f"not installed ({why}); install one (e.g. `apt-get install chromium`) or set "
        "IPANALYSIS_CHROMIUM to its path\n"
    )
    assert PYTEST[:3] not in [call[:3] for call in calls]  # pytest never started


def test_ci_runs_the_readme_test_command_and_nothing_else():
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "exec python3 tasks.py test"]


# --- JupyterLab ---------------------------------------------------------------------------


def test_the_project_jupyter_settings_choose_the_kernel_and_silence_the_news():
    config = ROOT / ".jupyter"
    assert json.loads((config / "jupyter_server_config.json").read_text()) == {
        "MultiKernelManager": {"default_kernel_name": "ipanalysis"},
        "KernelSpecManager": {"allowed_kernelspecs": ["ipanalysis"]},
    }
    assert json.loads((config / "labconfig" / "page_config.json").read_text()) == {
        "disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}
    }
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        kernelspec = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert kernelspec["name"] == "ipanalysis", notebook.name


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.mark.slow
def test_tasks_lab_opens_jupyterlab_on_the_project_kernel_without_news(tmp_path):
    tasks = _load_tasks(ROOT)
    cmd, env = tasks.lab_command({**os.environ, "MPLBACKEND": "Agg"}, ["--no-browser"])
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(ROOT / ".jupyter")
    assert "MPLBACKEND" not in env  # the analyst's plots show inline
    assert cmd[1:2] == ["lab"] and cmd[-1] == "--no-browser"
    assert cmd[cmd.index("--notebook-dir") + 1] == ROOT / "notebooks"
    port, token = _free_port(), "ipanalysis-test"
    jupyter = Path(sys.executable).parent / "jupyter"  # the environment running the tests
    server = subprocess.Popen(
        [str(jupyter), *map(str, cmd[1:]), f"--port={port}", f"--IdentityProvider.token={token}"],
        env={
            **env,
            "JUPYTER_CONFIG_DIR": str(tmp_path / "user-config"),  # no user settings of this machine
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        specs = json.loads(_get(f"{base}/api/kernelspecs?token={token}"))
        assert specs["default"] == "ipanalysis" and list(specs["kernelspecs"]) == ["ipanalysis"]
        assert specs["kernelspecs"]["ipanalysis"]["spec"]["display_name"] == "Python (ipanalysis)"
        page = _get(f"{base}/lab?token={token}").decode()
        config = page.split('id="jupyter-config-data" type="application/json">')[1]
        config = json.loads(config.split("</script>")[0])
        assert config["disabledExtensions"] == ["@jupyterlab/apputils-extension:announcements"]
    finally:
        server.terminate()
        server.wait(timeout=30)
