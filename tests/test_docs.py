"""The documentation site: it builds in strict mode, a broken reference or an undocumented public
name fails it, the generated pages follow the library, and the guides' examples run."""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The modules the API reference documents (mkdocs.yml, docs/api/).
DOCUMENTED = (
    "ipanalysis",
    "ipanalysis.indicators",
    "ipanalysis.high_value",
    "ipanalysis.analysis",
    "ipanalysis.plans",
    "ipanalysis.regions",
    "ipanalysis.clean.tables",
    "ipanalysis.clean.patents",
    "ipanalysis.io",
    "ipanalysis.errors",
)


def _mkdocs(root: Path, site: Path) -> subprocess.CompletedProcess:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    if not mkdocs.exists():
        pytest.fail("mkdocs is not installed (it is in the docs extra: pip install -e '.[docs]')")
    return subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(site)],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    done = _mkdocs(ROOT, site)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == []
    return site


def _text(page: Path) -> str:
    import re

    return re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))


def test_the_catalogue_is_generated_from_the_registry(site):
    from ipanalysis.indicators import DEFINITIONS_VERSION, INDICATORS

    text = _text(site / "indicators" / "index.html")
    assert f"Definitions version {DEFINITIONS_VERSION}" in text
    for indicator in INDICATORS.values():
        assert f'id="{indicator.id}"' in (site / "indicators" / "index.html").read_text()
        for shown in (indicator.name_en, indicator.unit, indicator.definition_en[:60]):
            assert shown.replace("&", "&amp;") in text or shown in text, (indicator.id, shown)
        assert indicator.formula.replace(" ", "") in text.replace(" ", ""), indicator.id


def test_the_high_value_page_lists_every_parameter_with_its_default(site):
    import dataclasses

    from ipanalysis.high_value import DEFAULT_DEFINITION, HighValueDefinition

    text = _text(site / "high-value" / "index.html")
    for field in dataclasses.fields(HighValueDefinition):
        assert field.name in text
    assert DEFAULT_DEFINITION.version in text and "10,000,000" in text


def test_every_documented_module_has_a_reference_page(site):
    for module in DOCUMENTED:
        anchors = " ".join(p.read_text() for p in (site / "api").rglob("index.html"))
        assert f'id="{module}"' in anchors, module


def _copy_project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", copy / "docs")
    (copy / "data" / "plans").mkdir(parents=True)
    for plan in (ROOT / "data" / "plans").glob("*.yaml"):
        shutil.copy(plan, copy / "data" / "plans" / plan.name)
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    return copy


def test_a_broken_reference_or_a_missing_docstring_fails_the_build(tmp_path):
    copy = _copy_project(tmp_path)
    plans = copy / "src" / "ipanalysis" / "plans.py"
    source = plans.read_text(encoding="utf-8")
    source = source.replace(
        '"""Read a plan file;', '"""See :func:`load_plans` (a typo). Read a plan file;', 1
    )
    plans.write_text(source + "\n\nMAX_TARGETS = 40\n", encoding="utf-8")
    done = _mkdocs(copy, tmp_path / "site")
    assert done.returncode == 1
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING -  griffe: ipanalysis.plans.MAX_TARGETS is public but has no docstring",
        "WARNING -  griffe: ipanalysis.plans.load_plan: :func:`load_plans` names nothing "
        "(a broken reference)",
    ]


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_the_guides_examples_run(page):
    failed, attempted = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert failed == 0


def _comment_documented(module_name: str, name: str) -> bool:
    """Whether the assignment of ``name`` in the module that defines it has ``#:`` lines."""
    module = importlib.import_module(module_name)
    for path in [Path(module.__file__), *Path(module.__file__).parent.rglob("*.py")]:
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.parse("\n".join(lines)).body:
            targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
            if any(getattr(t, "id", None) == name for t in targets):
                return lines[node.lineno - 2].lstrip().startswith("#:")
    return False


@pytest.mark.parametrize("module_name", DOCUMENTED)
def test_every_public_name_of_a_documented_module_has_a_docstring(module_name):
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None) or [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and getattr(value, "__module__", module_name) == module_name
    ]
    undocumented = []
    for name in names:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isroutine(value):
            documented = bool(value.__doc__ and value.__doc__.strip())
        else:  # data: documented by a ``#:`` comment where it is assigned
            owner = getattr(module, "_PUBLIC", {}).get(name, module_name)  # ipanalysis: lazy
            documented = _comment_documented(owner, name)
        if not documented:
            undocumented.append(name)
    assert undocumented == []


def test_the_docstring_rewriting_of_the_reference():
    spec = importlib.util.spec_from_file_location("docstrings", ROOT / "docs/hooks/docstrings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert doctest.testmod(module).failed == 0
