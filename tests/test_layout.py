"""The house you can see: layers import only downwards, functions stay short, briefing code
neither writes files nor mixes reading with rendering."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "ipanalysis"
MAX_LINES = 60


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _code_lines(node: ast.FunctionDef) -> int:
    """Lines of a function's body, its signature and docstring aside."""
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    return body[-1].end_lineno - body[0].lineno + 1 if body else 0


def test_each_layer_imports_only_the_layers_below_it():
    exe = shutil.which("lint-imports", path=str(ROOT / ".venv" / "bin")) or shutil.which(
        "lint-imports"
    )
    if exe is None:
        pytest.fail("import-linter is not installed (it is in the dev extra)")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_no_function_runs_over_60_lines_without_saying_why():
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({_code_lines(node)} lines)"
        for path in sorted(SRC.rglob("*.py"))
        for node in _functions(path)
        if _code_lines(node) > MAX_LINES and "Length:" not in (ast.get_docstring(node) or "")
    ]
    assert long == []


WRITES = re.compile(
    r"\.(write_text|write_bytes|to_csv|to_parquet|to_excel|mkdir|unlink)\(|open\([^)]*[\"'][wa]"
    r"|atomic_write|os\.replace|shutil\.(copy|move|rmtree)"
)
READS = re.compile(r"\b(read_csv|read_parquet|read_excel|read_text|open)\(|from \.\.io\b")


def test_nothing_under_briefing_writes_a_file():
    writers = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((SRC / "briefing").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WRITES.search(line)
    ]
    assert writers == []


def test_no_module_mixes_reading_files_with_rendering():
    rendering = [
        path
        for path in sorted(SRC.rglob("*.py"))
        if re.search(r"from \.+html import render|import matplotlib", path.read_text("utf-8"))
    ]
    assert rendering, "no rendering module found: the check would pass vacuously"
    mixed = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in rendering
        for match in [READS.search(path.read_text(encoding="utf-8"))]
        if match
    ]
    assert mixed == []


BRIEFINGS = ["scorecard", "high_value", "international", "commercialisation", "patent_intensive"]


def _notebook(name: str):
    import nbformat

    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


def test_notebooks_show_steps_not_code_that_hides_them():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        import nbformat

        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            lines = cell.source.splitlines()
            assert not any(line.lstrip().startswith(("def ", "try:", "class ")) for line in lines)
            assert not re.search(r"for .+:\s*\n\s*display\(", cell.source), path.name


def test_every_briefing_page_loads_with_every_common_parameter():
    """A parameter one page ignores would make the pages of one build disagree."""
    import papermill

    for name in BRIEFINGS:
        declared = papermill.inspect_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"))
        loads = next(c.source for c in _notebook(name).cells if "load_briefing(" in c.source)
        for parameter in ("region", "year", "lang", "plan", "peers", "data_dir"):
            assert f"{parameter}={parameter}" in loads, (name, parameter)
        for parameter in ("activity_log", "demo", "definition"):
            assert parameter in declared and f"{parameter}={parameter}" in loads, (name, parameter)
