"""End to end: papermill runs the scorecard notebook; the HTML briefing is self-contained."""

import re

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from ipanalysis import publish as build
from ipanalysis.cli import app
from ipanalysis.errors import InputError
from ipanalysis.indicators import DEFINITIONS_VERSION
from ipanalysis.publish.export import EXTERNAL
from ipanalysis.publish.notebooks import _convert

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from ipanalysis import paths

    root = tmp_path_factory.mktemp("e2e")
    data = root / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("processed"))
    reports = root / "reports"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MPLBACKEND", "Agg")  # as `python3 tasks.py report` and scheduled runs set it
        results = build.build(
            ["松江区"],
            [2025],
            notebooks=["scorecard"],
            data_dir=data,
            reports_dir=reports,
            demo=False,
        )
        results += build.build(["310117"], [2025], lang="en", data_dir=data, reports_dir=reports)
    return data, reports, results


def test_build_publishes_html_and_the_executed_notebook(built):
    _, reports, results = built
    assert [(r.ok, r.region_code, r.year, r.notebook, r.lang) for r in results] == [
        (True, "310117", 2025, "scorecard", "zh"),
        *[(True, "310117", 2025, name, "en") for name in build.NOTEBOOKS],
    ]
    folder = reports / "310117" / "2025"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{name}.en.{ext}" for name in build.NOTEBOOKS for ext in ("html", "ipynb")]
        + ["scorecard.html", "scorecard.ipynb"]
    )


def test_html_shows_the_expected_figures_and_says_where_data_are_missing(built):
    _, reports, _ = built
    page = (reports / "310117" / "2025" / "scorecard.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    assert "松江区知识产权工作简报" in text
    assert "50.2件/万人 (2023)" in text  # Shanghai, SIPA 2024-02-22
    assert "16件/万人 (2025)" in text  # national, 国新办 2026-01-23
    assert "6,185件 (2023)" in text  # Shanghai PCT, CNIPA yearbook table 6-4
    assert "≥ 30 件/万人（2026年末）" in text  # the plan's target
    assert text.count("本区暂无数据") == 9  # every plan indicator: no district figure
    assert "共16项规划指标与任务：暂无数据 16。" in text
    assert "6.3件/万人†" not in text or "推算值" in text


def test_html_is_self_contained_with_no_code(built):
    _, reports, _ = built
    page = (reports / "310117" / "2025" / "scorecard.html").read_text(encoding="utf-8")
    assert "load_briefing" not in page
    code_like = re.findall(
        r"(?m)^\s*(?:from \w+ )?import \w+", re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    )
    assert code_like == []
    assert EXTERNAL.search(page) is None, EXTERNAL.search(page).group(0)
    assert len(re.findall(r"<img [^>]*src=\"data:image/png;base64,", page)) == 6  # a chart each
    assert "@font-face" in page and "data:font/otf;base64," in page
    assert "analyst notes" not in page  # the remove_cell markdown


def test_footer_gives_sources_vintages_and_definition_version(built):
    _, reports, _ = built
    page = (reports / "310117" / "2025" / "scorecard.html").read_text(encoding="utf-8")
    assert f"<code>{DEFINITIONS_VERSION}</code>" in page
    assert "《2023知识产权统计年报》表6-4 PCT国际专利申请受理量（按申请人所在地区）" in page
    assert '<html lang="zh">' in page
    assert "2024-02-22" in page


def test_english_briefing(built):
    _, reports, _ = built
    page = (reports / "310117" / "2025" / "scorecard.en.html").read_text(encoding="utf-8")
    assert "IP briefing: Songjiang" in page
    assert "Demo data: values, ranks and statuses marked ‡ are computed from synthetic" in page
    assert '<html lang="en">' in page


def test_a_failed_run_keeps_the_last_good_briefing_and_the_failed_notebook(built):
    data, reports, _ = built
    good = reports / "310117" / "2025" / "scorecard.html"
    before = good.read_bytes()
    index_before = (reports / "index.html").read_text(encoding="utf-8")
    result = build.run_notebook(
        "scorecard",
        region_code="310117",
        region="松江区",
        year=2025,
        lang="zh",
        reports=reports,
        parameters={"region": "310117", "year": 2025, "data_dir": str(data / "missing")},
    )
    assert not result.ok
    assert (
        result.error.endswith("missing/sources.yml: the source manifest is missing")
        or "the source manifest is missing" in result.error
    )
    assert good.read_bytes() == before
    failed = reports / "310117" / "2025" / "failed" / "scorecard.ipynb"
    assert failed.exists() and "the source manifest is missing" in failed.read_text()
    build.write_index(reports, [result])
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="310117/2025/scorecard.html"' in index and "失败 failed" in index
    assert 'href="310117/2025/scorecard.html"' in index_before


def test_region_names_cannot_reach_outside_reports():
    with pytest.raises(InputError) as err:
        build.resolve_region("../../etc")
    assert str(err.value) == (
        "unknown region '../../etc': give a name such as 松江区 or a code such as 310117"
    )


def test_cli_build_rejects_a_bad_region_in_one_line():
    result = CliRunner().invoke(app, ["build", "--region", "火星区"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: unknown region '火星区': give a name such as 松江区 or a code such as 310117"
    )


def test_demo_values_are_marked_synthetic_everywhere(built):
    _, reports, _ = built
    page = (reports / "310117" / "2025" / "scorecard.en.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    assert 'class="banner-synthetic"' in page
    assert text.count("‡") >= 7  # each demo value in the scorecard, and the footer legend
    assert "Songjiang (demo data)" in page or "Songjiang" in text
    assert "synthetic demo data made by ipanalysis" in text
    zh = (reports / "310117" / "2025" / "scorecard.html").read_text(encoding="utf-8")
    assert 'class="banner-synthetic"' not in zh and "‡" not in re.sub(r"<[^>]+>", "", zh)
    # the index says which briefing holds demo values: the English one, built with demo on
    index = BeautifulSoup((reports / "index.html").read_text(encoding="utf-8"), "html.parser")
    flags = {
        (row.find_all("td")[3].get_text(), row.find_all("td")[2].get_text()[:6]): row.find_all(
            "td"
        )[5].get_text()
        for row in index.select("tbody tr")
    }
    assert flags[("en", "规划指标一览")] == "含演示数据（‡） contains demo values (‡)"
    assert flags[("zh", "规划指标一览")] == "仅公布数和推算数 published and derived figures only"


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--param", "colour=red"],
            "error: unknown notebook parameter 'colour'; the notebooks take: activity_log, definition, lever_months, peers, projection_window",
        ),
        (
            ["--definition", "pledge_treshold=5e6"],
            "error: definition: unknown parameter(s) pledge_treshold; known: maintenance_years, "
            "maintenance_from, pledge_threshold, awards, strategic_emerging_source, concordance, "
            "keyword_rule, population_basis",
        ),
        (
            ["-p", "region=青浦区"],
            "error: set 'region' with the --region option, not as a parameter",
        ),
        (["-p", "peers"], "error: --param takes NAME=VALUE, got 'peers'"),
        (["--year", "2030"], "error: year 2030 is outside the data (2014–2025)"),
        (
            ["--notebook", "nope"],
            "error: unknown notebook(s) nope; known: " + ", ".join(build.NOTEBOOKS),
        ),
    ],
)
def test_cli_build_stops_at_once_on_a_bad_parameter(args, message, tmp_path):
    result = CliRunner().invoke(app, ["build", *args], env={"IPANALYSIS_HOME": ""})
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == message


def test_extra_parameters_go_to_the_notebooks_that_declare_them():
    given = {"activity_log": "/srv/log.csv", "lever_months": "6"}
    assert build.check_extra_parameters(["scorecard", "high_value"], given) == {
        "scorecard": {"activity_log": "/srv/log.csv"},
        "high_value": {"activity_log": "/srv/log.csv", "lever_months": 6},
    }


def test_parameter_text_is_converted_to_the_declared_type():
    assert _convert("n", "3", "int") == 3
    assert [_convert("b", t, "bool") for t in ("true", "No", "1")] == [True, False, True]
    with pytest.raises(InputError) as err:
        _convert("n", "three", "int")
    assert str(err.value) == "parameter 'n' must be a whole number, got 'three'"
    with pytest.raises(InputError) as err:
        _convert("b", "maybe", "bool")
    assert str(err.value) == "parameter 'b' must be true or false, got 'maybe'"
