"""What a build checks before any notebook runs, and what it prints: the files it is given are
read first (one line naming a bad one), and its kernels talk over IPC (no TCP warning)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipanalysis import paths
from ipanalysis.cli import app
from ipanalysis.errors import InputError
from ipanalysis.plans import known_plans
from ipanalysis.publish.runner import _check_files, _check_plans, _KernelPool

LOG_HEADER = "activity,region_code,year,count,source\n"


def _extra(value: str) -> dict[str, dict]:
    return {"scorecard": {"activity_log": value, "peers": "上海市"}, "high_value": {}}


def test_file_parameters_are_read_and_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "log.csv").write_text(LOG_HEADER + "special_actions,310117,2025,4,office\n")
    checked = _check_files(_extra("log.csv"), "songjiang-2024-2026", paths.data_dir())
    assert checked == {
        "scorecard": {"activity_log": str(tmp_path / "log.csv"), "peers": "上海市"},
        "high_value": {},
    }


def test_a_plan_given_as_a_relative_path_reaches_the_notebooks_as_an_absolute_one(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    shutil.copy(paths.data_dir() / "plans" / "songjiang-2024-2026.yaml", tmp_path / "mine.yaml")
    checked = _check_files(_extra(""), "mine.yaml", paths.data_dir())
    assert checked["high_value"] == {"plan": str(tmp_path / "mine.yaml")}
    assert checked["scorecard"]["plan"] == str(tmp_path / "mine.yaml")


@pytest.mark.parametrize(
    "log,plan,message",
    [
        (None, "nowhere-2030", "nowhere-2030.yaml: no such plan file (known plans: {plans})"),
        (
            None,
            "{tmp}/p.yaml",
            "p.yaml, row 2: not valid YAML (expected ',' or ']', but got '<stream end>')",
        ),
        ("{tmp}/missing.csv", "", "activity_log: no such file {tmp}/missing.csv"),
        (
            "activity,year\nspecial_actions,2025\n",
            "",
            "activity_log: log.csv: the header row (row 1) cannot be read: (1) missing column(s) "
            "region_code, count, source; expected activity, region_code, year, count, source. "
            "It holds: activity, year",
        ),
        ("", "", "activity_log: log.csv: the file is empty (0 bytes)"),
    ],
)
def test_a_missing_or_malformed_file_stops_the_build_in_one_line_naming_it(
    tmp_path, log, plan, message
):
    (tmp_path / "p.yaml").write_text("id: [x\n", encoding="utf-8")
    value = ""
    if log is not None and log.startswith("{tmp}"):
        value = log.format(tmp=tmp_path)
    elif log is not None:
        (tmp_path / "log.csv").write_text(log, encoding="utf-8")
        value = str(tmp_path / "log.csv")
    plans = ", ".join(known_plans())
    given = plan.format(tmp=tmp_path) or "songjiang-2024-2026"
    with pytest.raises(InputError) as error:  # as a build checks them: the plans, then the files
        _check_plans({"310117": given}, paths.data_dir())
        _check_files(_extra(value), given, paths.data_dir())
    assert str(error.value) == message.format(tmp=tmp_path, plans=plans)


def _children() -> set[int]:
    """Processes whose parent is this one (kernels a build started)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads child processes from /proc")
def test_a_bad_file_stops_the_cli_build_and_its_kernels(tmp_path):
    before = _children()
    result = CliRunner().invoke(
        app, ["build", "-n", "scorecard", "-p", f"activity_log={tmp_path}/none.csv"]
    )
    assert result.exit_code == 1
    assert result.output.strip() == f"error: activity_log: no such file {tmp_path}/none.csv"
    assert _children() <= before  # the prestarted kernel was shut down


def test_kernels_talk_over_ipc_in_a_private_folder_removed_at_the_end():
    pool = _KernelPool(warm=False)
    km = pool._kernel()  # warm=False: a new kernel for each notebook
    try:
        assert km.transport == "ipc" and km.is_alive()
        assert Path(km.ip).parent.parent == pool.sockets
        assert oct(pool.sockets.stat().st_mode & 0o777) == "0o700"
    finally:
        pool.shutdown()
    assert not km.has_kernel and not pool.sockets.exists()


@pytest.mark.slow
def test_a_build_prints_its_result_lines_and_nothing_else(tmp_path):
    home = tmp_path / "home"
    shutil.copytree(
        paths.data_dir(), home / "data", ignore=shutil.ignore_patterns("processed", "staging")
    )
    (home / "data" / "processed").mkdir()
    (home / "notebooks").symlink_to(paths.notebooks_dir())
    done = subprocess.run(
        [
            Path(sys.executable).parent / "ipanalysis",
            "build",
            "-n",
            "scorecard",
            "-n",
            "high_value",
        ],
        cwd=tmp_path,
        env={**os.environ, "IPANALYSIS_HOME": str(home), "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""  # no kernel warning ("Kernel is running over TCP …")
    folder = re.escape(f"{home}/reports/310117/2025")
    assert re.fullmatch(
        rf"ok     松江区 2025 scorecard \[\d+\.\ds\] {folder}/scorecard\.html\n"
        rf"ok     松江区 2025 high_value \[\d+\.\ds\] {folder}/high_value\.html\n",
        done.stdout,
    ), done.stdout


def test_each_region_may_have_its_own_plan(tmp_path):
    from ipanalysis.publish import build
    from ipanalysis.publish.runner import _plan_parameter, _plans

    resolved = [("310117", "松江区"), ("310115", "浦东新区")]
    assert _plans("songjiang-2024-2026", resolved) == {
        "310117": "songjiang-2024-2026",
        "310115": "songjiang-2024-2026",
    }
    mine = tmp_path / "pudong.yaml"
    given = {"松江区": "songjiang-2024-2026", "310115": str(mine)}
    assert _plans(given, resolved) == {
        "310117": "songjiang-2024-2026",
        "310115": str(mine),
    }
    assert _plan_parameter("songjiang-2024-2026") == "songjiang-2024-2026"
    assert _plan_parameter("pudong.yaml") == str(Path("pudong.yaml").absolute())
    with pytest.raises(InputError) as error:  # before any kernel starts
        build(["松江区", "浦东新区"], [2025], plan={"松江区": "songjiang-2024-2026"})
    assert str(error.value) == "no plan given for 浦东新区"
