"""Words a new reader found wrong: every one is said in the page's language, in words.

The footer states the build's parameters readably (no Python repr, no local path); synthetic
filers are named in the page's language, and Madrid's as applicants; the high-value
definition names its fields in words; a Chinese page cites the Madrid yearbook in Chinese; and
every header of the reports index is bilingual.
"""

import dataclasses
import re

import pytest
from bs4 import BeautifulSoup
from IPython.display import HTML

from ipanalysis import paths
from ipanalysis.briefing import load_briefing, sections
from ipanalysis.high_value import HighValueDefinition
from ipanalysis.publish.index import write_index
from ipanalysis.publish.runner import BuildResult

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
#: Latin words a Chinese page may hold (as tests/briefing/test_language.py allows).
LATIN_OK = {"PCT", "WIPO", "GDP", "IPC", "CNIPA", "ipanalysis", "synthetic", "cnipa", "SCIO"}


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_OK


@pytest.fixture(scope="module")
def briefings(data):
    return {
        lang: load_briefing("松江区", 2025, lang=lang, data_dir=str(data)) for lang in ("zh", "en")
    }


def parameters_line(b) -> BeautifulSoup:
    """The footer's paragraph that states the parameters (it starts with the word for them)."""
    soup = BeautifulSoup(sections.provenance(b).data, "html.parser")
    word = b.text("page.params")
    found = [p for p in soup.find_all("p") if p.get_text(" ", strip=True).startswith(word)]
    assert len(found) == 1, soup.get_text(" | ", strip=True)[-600:]
    return found[0]


def words_outside_code(tag) -> str:
    tag = BeautifulSoup(str(tag), "html.parser")
    for code in tag.find_all("code"):
        code.decompose()
    return tag.get_text(" ", strip=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_footer_states_the_parameters_in_words(briefings, data, lang):
    b = briefings[lang]
    html = sections.provenance(b).data
    assert str(data) not in html and str(data.parent) not in html  # no local path
    assert "region=" not in html and "data_dir" not in html and "demo=True" not in html
    line = parameters_line(b)
    text = line.get_text(" ", strip=True)
    region, language, shown = {
        "zh": ("松江区", "中文", "显示"),
        "en": ("Songjiang", "English", "shown"),
    }[lang]
    for expected in (region, "2025", language, "songjiang-2024-2026", shown):
        assert expected in text, (expected, text)
    # a data folder given by path: its name only
    assert line.find("code", string="data") is not None, text
    words = words_outside_code(line)
    if lang == "zh":
        assert latin_words(words) == set(), words
    else:
        assert not CJK.search(words), words
    # optional parameters left empty are not listed
    for empty in ("activity_log", "peers", "definition"):
        assert b.text(f"parameter.{empty}") not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_default_data_folder_is_named_not_located(briefings, lang):
    b = briefings[lang]
    for given in ("", str(paths.data_dir())):
        default = dataclasses.replace(b, parameters={**b.parameters, "data_dir": given})
        text = parameters_line(default).get_text(" ", strip=True)
        assert b.text("parameter.project_data") in text, text
        assert str(paths.data_dir()) not in text and str(paths.project_root()) not in text


def test_optional_parameters_are_stated_when_given(briefings, tmp_path):
    b = briefings["en"]
    log = tmp_path / "nested" / "activity_log_2025.csv"
    given = {**b.parameters, "activity_log": str(log), "definition": "maintenance_years=8"}
    text = parameters_line(dataclasses.replace(b, parameters=given)).get_text(" ", strip=True)
    assert "activity_log_2025.csv" in text and str(log.parent) not in text
    assert "maintenance_years=8" in text
    assert b.text("parameter.activity_log") in text and b.text("parameter.definition") in text


def _filers(b, table: str) -> list[list[str]]:
    items = sections.top_filers(b, b.district_records(table), f"population.{table}")
    tables = [i for i in items if isinstance(i, HTML) and "<table" in i.data]
    assert tables, table
    soup = BeautifulSoup(tables[0].data, "html.parser")
    return [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


def test_synthetic_filers_read_in_the_page_language(briefings):
    # PCT filers are applicants (the demo draws them from its patentees)
    zh, en = _filers(briefings["zh"], "pct"), _filers(briefings["en"], "pct")
    assert all(re.fullmatch(r"合成申请人310117-\d{3}", name) for name, _ in zh), zh
    assert all(re.fullmatch(r"Synthetic applicant 310117-\d{3}", name) for name, _ in en), en
    # the same filers with the same counts: only the words changed
    assert [(n[-10:], c) for n, c in zh] == [(n[-10:], c) for n, c in en]


def test_madrid_filers_are_applicants_not_patentees(briefings):
    zh, en = _filers(briefings["zh"], "madrid"), _filers(briefings["en"], "madrid")
    assert all(re.fullmatch(r"合成申请人310117-\d{3}", name) for name, _ in zh), zh
    assert all(re.fullmatch(r"Synthetic applicant 310117-\d{3}", name) for name, _ in en), en
    assert [(n[-10:], c) for n, c in zh] == [(n[-10:], c) for n, c in en]
    # the demo's records themselves are unchanged (its figures stay identical)
    held = briefings["zh"].records["madrid"]["applicant"].dropna().astype(str)
    assert held.str.fullmatch(r"合成专利权人\d{6}-\d{3}").all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_definition_names_its_fields_in_words(briefings, lang):
    for definition in (
        HighValueDefinition(),
        HighValueDefinition(maintenance_from="grant_date", population_basis="registered_year_end"),
    ):
        line = definition.describe(lang)
        assert not re.search(r"[a-z]+_[a-z]+", line), line
    footer = BeautifulSoup(sections.provenance(briefings[lang]).data, "html.parser").get_text()
    assert "filing_date" not in footer and "resident_year_end" not in footer
    if lang == "en":
        assert "from the filing date" in footer and "year-end resident population" in footer


def test_a_chinese_page_cites_the_madrid_yearbook_in_chinese(data):
    b = load_briefing(
        "浙江省", 2023, lang="zh", plan="example-zhejiang", demo=False, data_dir=str(data)
    )
    obs = b.observations
    madrid = obs[obs["indicator"] == "madrid_applications_cnipa"]  # every file that has them
    assert {"330000", "310000", "100000"} <= set(madrid["region_code"])
    for _, row in madrid.iterrows():
        cited = b.cite(row)
        assert latin_words(re.sub(r"《[^》]*》", "", cited)) == set(), cited
        if "table 7-4" in row["source_en"]:  # the yearbook: its Chinese name, the table number
            assert cited.startswith("国家知识产权局：《2022知识产权统计年报》"), cited
            assert "表7-4" in cited, cited
    card = b.scorecard[b.scorecard["indicator"] == "madrid_applications_cnipa"]
    for source in card["source"].dropna():
        assert latin_words(source) == set(), source
    english = load_briefing(
        "浙江省", 2023, lang="en", plan="example-zhejiang", demo=False, data_dir=str(data)
    )
    zhejiang = madrid[madrid["region_code"] == "330000"]
    row = english.observations.loc[zhejiang.index[0]]
    assert "table 7-4" in english.cite(row) and not CJK.search(english.cite(row))


def test_every_index_header_is_bilingual(tmp_path):
    result = BuildResult(
        region_code="310117", region="松江区", year=2025, notebook="scorecard", lang="en",
        ok=True, html=None, executed="", seconds=1.0, built_at="2025-01-01 00:00",
    )  # fmt: skip
    page = write_index(tmp_path, [result]).read_text(encoding="utf-8")
    heads = BeautifulSoup(page, "html.parser").select("thead th")
    assert heads
    for th in heads:
        text = th.get_text(" ", strip=True)
        assert CJK.search(text) and re.search(r"[A-Za-z]{2,}", text), text
