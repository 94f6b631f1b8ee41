"""Notebooks an analyst opens by hand: they run from any folder, in the project's environment."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from ipanalysis import paths

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_explore_notebook_runs_from_another_folder(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("processed"))
    out = tmp_path / "explore.out.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "explore.ipynb"),
        str(out),
        parameters={"region": "青浦区", "year": 2024, "data_dir": str(data)},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    cells = nbformat.read(out, as_version=4).cells
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    breakdown = cells[-1].outputs[0]["data"]["text/plain"]
    assert "all (counted once)" in breakdown


def test_lab_command_starts_jupyterlab_from_the_project_environment():
    result = subprocess.run(
        [sys.executable, "tasks.py", "lab", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert f"+ {ROOT / '.venv' / 'bin' / 'jupyter'} lab --notebook-dir" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("4.")


BRIEFINGS = ["scorecard", "high_value", "international", "commercialisation", "patent_intensive"]


@pytest.mark.parametrize("name", [*BRIEFINGS, "explore"])
def test_notebooks_show_the_analysis_one_step_per_cell(name):
    cells = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    hidden = [
        c.source
        for c in code
        if re.search(r"^\s*(def|try|class)\b", c, re.M) or re.search(r"for .+:\s*\n\s*display\(", c)
    ]
    assert hidden == []
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1


@pytest.mark.parametrize("name", BRIEFINGS)
def test_briefing_notebooks_keep_analyst_notes_and_steps_out_of_the_briefing(name):
    cells = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
    for cell in cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            assert "remove_cell" in tags, cell.source[:60]
        elif "display(" not in cell.source and cell.source.strip().splitlines()[-1].isidentifier():
            assert "analysis" in tags, cell.source[:60]
