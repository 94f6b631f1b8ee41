"""The set-up promises: two README commands, CI calls the test one, conda and pip agree."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pyproject_requirements() -> dict[str, str]:
    project = _pyproject()
    reqs = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in reqs}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or item.split(">")[0].split("=")[0] in ("python", "pip"):
                continue
            req = Requirement(item)
            out[req.name.lower()] = str(req.specifier)
    return out


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    """The core dependencies and every extra (conda has no extras: one environment for all)."""
    assert _conda_requirements() == _pyproject_requirements()


def test_the_library_needs_no_notebook_stack_and_the_briefings_extra_holds_it():
    project = _pyproject()
    core = {Requirement(r).name for r in project["dependencies"]}
    extras = project["optional-dependencies"]
    assert set(extras) == {"briefings", "dev", "docs"}
    briefings = {Requirement(r).name for r in extras["briefings"]}
    notebook_stack = {"matplotlib", "seaborn", "mplfonts", "jinja2", "papermill", "nbconvert"}
    notebook_stack |= {"nbformat", "ipykernel", "jupyterlab"}
    assert notebook_stack <= briefings and not notebook_stack & core
    assert {"pandas", "numpy", "pyarrow", "pyyaml", "pandera", "typer"} <= core


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:bash|sh)\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["python3 tasks.py report", "python3 tasks.py test"]
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert ci[-1] == "exec python3 tasks.py test"


def test_notebooks_are_committed_without_outputs():
    import nbformat

    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


def test_each_notebook_has_exactly_one_parameters_cell_first_among_code_cells():
    import nbformat

    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1 and code[0] is tagged[0], path.name


#: The library's modules a researcher imports without the `briefings` extra.
LIBRARY = (
    "ipanalysis",
    "ipanalysis.indicators",
    "ipanalysis.high_value",
    "ipanalysis.analysis",
    "ipanalysis.plans",
    "ipanalysis.regions",
    "ipanalysis.clean.tables",
    "ipanalysis.clean.patents",
    "ipanalysis.io",
    "ipanalysis.synthetic",
    "ipanalysis.cli",
)
#: Top-level packages of the `briefings` extra (and what they bring: IPython, jupyter_client).
NOTEBOOK_STACK = (
    "matplotlib",
    "seaborn",
    "mplfonts",
    "fontTools",
    "jinja2",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "IPython",
    "jupyter_client",
    "jupyterlab",
)

IMPORT_WITHOUT_STACK = f"""
import importlib, importlib.abc, sys
stack = {NOTEBOOK_STACK!r}
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in stack:
            raise ModuleNotFoundError(f"No module named {{name!r}} (briefings extra)")
sys.meta_path.insert(0, Refuse())
for module in {LIBRARY!r}:
    importlib.import_module(module)
import ipanalysis
print(ipanalysis.INDICATORS["high_value_invention_patents_per_10k"].unit, ipanalysis.read_table.__name__)
"""


def test_the_library_imports_without_the_notebook_stack():
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_STACK], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "件/万人 read_table\n"


def _readme_library_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    researchers = readme.split("## For researchers", 1)[1]
    return re.search(r"```python\n(.*?)```", researchers, re.S).group(1)


@pytest.mark.slow
def test_the_wheel_alone_runs_the_readme_example_and_finds_the_plan(tmp_path):
    """Built from the sources, installed without extras into a new environment outside the
    repository, the wheel carries what the library reads at run time."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    pip_quiet = ["-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [sys.executable, *pip_quiet, "wheel", "--no-deps", "-w", str(wheels), str(source)],
        check=True,
    )
    (wheel,) = wheels.glob("ipanalysis-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    for packaged in (
        "ipanalysis/reference/plans/songjiang-2024-2026.yaml",
        "ipanalysis/reference/regions.csv",
        "ipanalysis/reference/patent_columns.csv",
        "ipanalysis/reference/legal_status.csv",
        "ipanalysis/locale/zh.yml",
        "ipanalysis/locale/en.yml",
        "ipanalysis/briefing/templates/scorecard.html.j2",
    ):
        assert packaged in names, packaged
    assert any(n.startswith("ipanalysis/publish/templates/") for n in names)
    assert 'Requires-Dist: mplfonts>=0.0.8; extra == "briefings"' in metadata.decode()

    environment = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    subprocess.run([python, *pip_quiet, "install", str(wheel)], check=True)
    work = tmp_path / "elsewhere"  # no data/, no checkout: the installed package alone
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IPANALYSIS_HOME")}
    (work / "example.md").write_text(_readme_library_example(), encoding="utf-8")
    doctest = subprocess.run(
        [python, "-m", "doctest", "example.md"], cwd=work, env=env, capture_output=True, text=True
    )
    assert doctest.returncode == 0 and doctest.stdout == "", doctest.stdout + doctest.stderr
    check = (
        'from ipanalysis.plans import load_plan; plan = load_plan("songjiang-2024-2026")\n'
        "from ipanalysis.regions import resolve_region\n"
        "import importlib.util, ipanalysis\n"
        "sys.meta_path.pop(0)  # no more refusing: is the notebook stack there at all?\n"
        f"missing = [m for m in {NOTEBOOK_STACK!r} if importlib.util.find_spec(m) is None]\n"
        "print(plan.id, len(plan.targets), resolve_region('松江区'), ipanalysis.__file__)\n"
        "print(missing)\n"
    )
    done = subprocess.run(
        [python, "-c", IMPORT_WITHOUT_STACK + check],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "件/万人 read_table"
    plan_id, targets, code, location = lines[1].split()
    assert (plan_id, int(targets) > 0, code) == ("songjiang-2024-2026", True, "310117")
    assert location.startswith(str(environment))  # the wheel's copy, not the checkout
    assert lines[2] == repr(list(NOTEBOOK_STACK))  # installed without the briefings extra
    build = subprocess.run(
        [environment / "bin" / "ipanalysis", "build"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 1
    assert build.stderr == (
        "error: ipanalysis build needs the briefings extra: pip install 'ipanalysis[briefings]'\n"
    )
