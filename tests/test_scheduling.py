"""The scheduling recipes: cron and systemd run one command; it builds, fails safely, never overlaps.

Cron itself is not tested: the command is taken from ``scheduling/ipanalysis-briefings.cron`` and
``scheduling/ipanalysis-briefings.service``, shown to be the same, and run with ``sh`` against a
copy of the project (``/srv/ipanalysis`` replaced by a temporary folder, one notebook to keep it
fast, and a ``date`` that says 2026 so that the briefed year, the last completed one, is 2025 on
any day). The Airflow DAG is parsed (Airflow is not a dependency) and imported where installed.
"""

import ast
import datetime as dt
import fcntl
import importlib.util
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from ipanalysis import publish as build

ROOT = Path(__file__).resolve().parents[1]
SCHEDULING = ROOT / "scheduling"
DEPLOYED = "/srv/ipanalysis"
COMMAND = (
    "cd /srv/ipanalysis && IPANALYSIS_HOME=/srv/ipanalysis flock --nonblock "
    "--conflict-exit-code 75 --verbose reports/.build.lock .venv/bin/ipanalysis build "
    '--no-demo --region 310117 --year "$(( $(date +%Y) - 1 ))"'
)
#: what ``flock --verbose`` prints (on stdout, when it exits) after running the build
FLOCK_OK = r"flock: getting lock took \d+\.\d+ seconds\nflock: executing \.venv/bin/ipanalysis\n"
BAD_REGION = "error: unknown region '火星区': give a name such as 松江区 or a code such as 310117"


def cron_entry() -> dict[str, str]:
    """The one job of the cron file: schedule, user, command (``\\%`` unescaped) and log."""
    text = (SCHEDULING / "ipanalysis-briefings.cron").read_text(encoding="utf-8")
    jobs = [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and not re.match(r"\w+=", line)
    ]
    assert len(jobs) == 1, jobs
    *schedule, user, rest = jobs[0].split(None, 6)
    command, log = re.fullmatch(r"(.*) >>(\S+) 2>&1", rest).groups()
    return {
        "schedule": " ".join(schedule),
        "user": user,
        "command": command.replace("\\%", "%"),
        "log": log,
    }


def unit_settings(name: str) -> dict[str, str]:
    """``Key=value`` lines of a systemd unit file (each key once in ours)."""
    text = (SCHEDULING / name).read_text(encoding="utf-8")
    pairs = [line.split("=", 1) for line in text.splitlines() if re.match(r"[A-Z]\w*=", line)]
    return dict(pairs)


def systemd_command() -> str:
    """The shell command of the service's ``ExecStart``, with systemd's ``%%`` and ``$$`` undone."""
    argv = shlex.split(unit_settings("ipanalysis-briefings.service")["ExecStart"])
    assert argv[:2] == ["/bin/sh", "-c"] and len(argv) == 3, argv
    return argv[2].replace("%%", "%").replace("$$", "$")


def test_cron_and_systemd_run_the_same_command():
    assert cron_entry()["command"] == COMMAND
    assert systemd_command() == COMMAND


def test_cron_systemd_and_airflow_share_the_schedule_and_the_user():
    cron = cron_entry()
    assert (cron["schedule"], cron["user"]) == ("15 6 2 * *", "ipanalysis")
    assert cron["log"] == "/var/log/ipanalysis/briefings.log"
    service = unit_settings("ipanalysis-briefings.service")
    assert (service["Type"], service["User"], service["SuccessExitStatus"]) == (
        "oneshot",
        "ipanalysis",
        "75",
    )
    timer = unit_settings("ipanalysis-briefings.timer")
    assert (timer["OnCalendar"], timer["Persistent"], timer["Unit"]) == (
        "*-*-02 06:15:00",
        "true",
        "ipanalysis-briefings.service",
    )
    assert _dag_keywords("DAG")["schedule"] == "15 6 2 * *"


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    for name in ("ipanalysis-briefings.service", "ipanalysis-briefings.timer"):
        shutil.copy(SCHEDULING / name, tmp_path / name)
    run = subprocess.run(
        [analyze, "verify", "ipanalysis-briefings.service", "ipanalysis-briefings.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert (run.returncode, run.stdout + run.stderr) == (0, "")


def test_the_briefed_year_is_the_last_completed_one():
    expression = re.search(r'--year "(.*)"', COMMAND).group(1)
    run = subprocess.run(["sh", "-c", f'echo "{expression}"'], capture_output=True, text=True)
    assert run.stdout == f"{dt.date.today().year - 1}\n"


# --- the command, run -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """A copy of the project laid out as on the server, and a ``date`` that says 2026."""
    home = tmp_path_factory.mktemp("srv") / "ipanalysis"
    shutil.copytree(ROOT / "data", home / "data", ignore=shutil.ignore_patterns("processed"))
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    (home / "reports").mkdir()
    (home / ".venv").symlink_to(ROOT / ".venv")
    shims = home.parent / "bin"
    shims.mkdir()
    date = shims / "date"
    date.write_text('#!/bin/sh\n[ "$1" = "+%Y" ] && echo 2026 && exit 0\nexec /bin/date "$@"\n')
    date.chmod(0o755)
    return home


def run_recipe(home: Path, *extra: str, command: str = COMMAND) -> subprocess.CompletedProcess:
    """The scheduled command in ``home``, one notebook (scorecard), plus ``extra`` arguments."""
    line = " ".join([command.replace(DEPLOYED, str(home)), "--notebook", "scorecard", *extra])
    env = {"PATH": f"{home.parent / 'bin'}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(["sh", "-c", line], env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def first_run(deployed):
    return run_recipe(deployed)


@pytest.mark.slow
def test_the_scheduled_command_builds_and_publishes(deployed, first_run):
    assert first_run.returncode == 0, first_run.stderr
    html = deployed / "reports" / "310117" / "2025" / "scorecard.html"
    assert re.fullmatch(
        rf"ok     松江区 2025 scorecard \[\d+\.\ds\] {re.escape(str(html))}\n{FLOCK_OK}",
        first_run.stdout,
    ), first_run.stdout
    assert "松江区知识产权工作简报" in html.read_text(encoding="utf-8")
    index = (deployed / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="310117/2025/scorecard.html"' in index and "成功 ok" in index


def _published(home: Path) -> dict[str, bytes]:
    folder = home / "reports" / "310117" / "2025"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("scorecard.*"))}


@pytest.mark.slow
def test_a_bad_region_exits_non_zero_and_keeps_the_last_good_briefing(deployed, first_run):
    before = _published(deployed)
    index = (deployed / "reports" / "index.html").read_bytes()
    bad = COMMAND.replace("--region 310117", "--region 火星区")
    run = run_recipe(deployed, command=bad)
    assert run.returncode == 1
    assert re.fullmatch(FLOCK_OK, run.stdout), run.stdout
    assert run.stderr.splitlines()[-1] == BAD_REGION
    assert _published(deployed) == before and len(before) == 2  # scorecard.html and .ipynb
    assert (deployed / "reports" / "index.html").read_bytes() == index


@pytest.mark.slow
def test_a_failing_notebook_exits_non_zero_and_keeps_the_last_good_briefing(deployed, first_run):
    before = _published(deployed)
    notebook = deployed / "notebooks" / "scorecard.ipynb"
    original = notebook.read_text(encoding="utf-8")
    broken = json.loads(original)
    broken["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "source": "1 / 0",
            "outputs": [],
            "execution_count": None,
            "id": "broken",
        }
    )
    notebook.write_text(json.dumps(broken), encoding="utf-8")
    try:
        run = run_recipe(deployed)
    finally:
        notebook.write_text(original, encoding="utf-8")
    assert run.returncode == 1
    kept = deployed / "reports" / "310117" / "2025" / "failed" / "scorecard.ipynb"
    failed_line = (
        r"FAILED 松江区 2025 scorecard \[\d+\.\ds\] ZeroDivisionError: division by zero "
        rf"\(notebook kept: {re.escape(str(kept))}\)\n"
    )
    assert re.fullmatch(failed_line + FLOCK_OK, run.stdout), run.stdout
    assert run.stderr.splitlines()[-1] == (
        "error: 1 of 1 briefing(s) failed; the last good ones are kept"
    )
    assert _published(deployed) == before
    assert kept.exists()
    index = (deployed / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="310117/2025/scorecard.html"' in index and "失败 failed" in index


def test_a_run_that_finds_another_running_exits_75_and_builds_nothing(tmp_path):
    home = tmp_path / "ipanalysis"
    (home / "reports").mkdir(parents=True)
    (tmp_path / "bin").mkdir()
    with open(home / "reports" / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run = run_recipe(home)
    assert (run.returncode, run.stdout, run.stderr) == (75, "", "flock: failed to get lock\n")
    assert sorted(p.name for p in (home / "reports").iterdir()) == [".build.lock"]


# --- the Airflow DAG ---------------------------------------------------------------------------

DAG_FILE = SCHEDULING / "airflow_briefings_dag.py"


def _dag_tree() -> ast.Module:
    return ast.parse(DAG_FILE.read_text(encoding="utf-8"), filename=str(DAG_FILE))


def _constant(name: str):
    for node in _dag_tree().body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == [name]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {DAG_FILE.name}")


def _dag_calls(function: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(_dag_tree())
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function
    ]


def _dag_keywords(function: str) -> dict:
    (call,) = _dag_calls(function)
    return {
        k.arg: ast.literal_eval(k.value) if isinstance(k.value, ast.Constant) else k.value
        for k in call.keywords
    }


def test_the_dag_runs_every_briefing_notebook_with_the_papermill_provider():
    imports = {
        (node.module, alias.name)
        for node in ast.walk(_dag_tree())
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert ("airflow.providers.papermill.operators.papermill", "PapermillOperator") in imports
    assert _constant("NOTEBOOKS") == list(build.NOTEBOOKS)
    assert _constant("DEMO") is False  # scheduled briefings hold real figures only
    assert [build.NOTEBOOKS[n] for n in build.NOTEBOOKS] == [f"{n}.ipynb" for n in build.NOTEBOOKS]
    papermill = _dag_keywords("PapermillOperator")
    assert ast.unparse(papermill["task_id"]) == "f'run_{notebook}'"
    assert ast.unparse(papermill["input_nb"]) == "str(PROJECT / 'notebooks' / f'{notebook}.ipynb')"
    assert papermill["kernel_name"].id == "KERNEL" and _constant("KERNEL") == "ipanalysis"
    # papermill writes only into an existing folder: prepare makes the one the notebooks write to
    assert ast.unparse(papermill["output_nb"]) == "f'{STAGING}/{notebook}.ipynb'"
    prepare = next(
        call
        for call in _dag_calls("ExternalPythonOperator")
        if ast.literal_eval(next(k.value for k in call.keywords if k.arg == "task_id")) == "prepare"
    )
    op_kwargs = next(k.value for k in prepare.keywords if k.arg == "op_kwargs")
    assert "'staging': STAGING" in ast.unparse(op_kwargs)
    (comprehension,) = [
        node
        for node in ast.walk(_dag_tree())
        if isinstance(node, ast.ListComp)
        and isinstance(node.elt, ast.Call)
        and getattr(node.elt.func, "id", "") == "PapermillOperator"
    ]
    assert ast.unparse(comprehension.generators[0]).strip() == "for notebook in NOTEBOOKS"


def test_the_dag_passes_only_parameters_every_notebook_declares():
    import nbformat

    passed = {k.value for k in _dag_keywords("PapermillOperator")["parameters"].keys}
    assert passed == {"region", "year", "lang", "plan", "data_dir", "demo"}
    for name in build.NOTEBOOKS:
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        declared = {
            t.target.id for t in ast.parse(cell.source).body if isinstance(t, ast.AnnAssign)
        }
        assert passed <= declared, (name, passed - declared)


def _publish_function():
    """``publish_briefings`` from the DAG file, without Airflow (it imports only ipanalysis)."""
    node = next(
        n
        for n in _dag_tree().body
        if isinstance(n, ast.FunctionDef) and n.name == "publish_briefings"
    )
    namespace: dict = {}
    exec(compile(ast.Module([node], []), str(DAG_FILE), "exec"), namespace)
    return namespace["publish_briefings"]


@pytest.mark.slow
def test_the_dag_publish_step_publishes_and_keeps_the_last_good_briefing(
    deployed, first_run, tmp_path
):
    publish = _publish_function()
    executed = deployed / "reports" / "310117" / "2025" / "scorecard.ipynb"
    staging, reports = tmp_path / "staging", tmp_path / "reports"
    staging.mkdir()
    shutil.copy(executed, staging / "scorecard.ipynb")
    publish(str(staging), str(reports), ["scorecard"], "松江区", 2025, "zh")
    html = reports / "310117" / "2025" / "scorecard.html"
    good = html.read_bytes()
    assert "松江区 · 规划指标一览 · 2025" in good.decode("utf-8")
    assert not staging.exists()  # cleaned once published

    staging.mkdir()
    failed = json.loads(executed.read_text(encoding="utf-8"))
    failed["metadata"]["papermill"]["exception"] = True
    (staging / "scorecard.ipynb").write_text(json.dumps(failed), encoding="utf-8")
    with pytest.raises(RuntimeError) as err:
        publish(str(staging), str(reports), ["scorecard", "international"], "松江区", 2025, "zh")
    assert str(err.value) == (
        "2 of 2 briefing(s) failed; the last good ones are kept: "
        "scorecard: a cell raised an error (see the failed notebook); "
        "international: the notebook did not run (see its task log)"
    )
    assert html.read_bytes() == good
    assert (reports / "310117" / "2025" / "failed" / "scorecard.ipynb").exists()
    registry = json.loads((reports / "briefings.json").read_text(encoding="utf-8"))
    entry = registry["310117/2025/scorecard/zh"]
    assert (entry["last_attempt"]["ok"], entry["last_good"]["html"]) == (False, str(html))


def test_the_dag_imports_where_airflow_is_installed():
    pytest.importorskip("airflow")
    pytest.importorskip("airflow.providers.papermill")
    spec = importlib.util.spec_from_file_location("airflow_briefings_dag", DAG_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dag = module.dag
    assert dag.dag_id == "ipanalysis_briefings"
    runs = [f"run_{name}" for name in build.NOTEBOOKS]
    assert sorted(dag.task_ids) == sorted(["prepare", *runs, "publish"])
    assert dag.get_task("publish").upstream_task_ids == set(runs)
    assert dag.get_task("prepare").downstream_task_ids == set(runs)
