"""The scorecard page as a reviewer found it: statuses and ranks from demo figures marked ‡
wherever they are shown, twin targets' badges named, formulas in words, a missing figure said
once, the headline readable and no header cell left empty."""

import pytest
from bs4 import BeautifulSoup

from ipanalysis.briefing import load_briefing, sections
from ipanalysis.indicators import INDICATORS, Ratio

MARK = "‡"


@pytest.fixture(scope="module")
def pages(data):
    """Songjiang 2025 with and without the demo, in both languages, and Zhejiang 2023 (real
    figures, ranked among the provinces)."""
    out = {
        (lang, demo): load_briefing("松江区", 2025, lang=lang, demo=demo, data_dir=str(data))
        for lang in ("zh", "en")
        for demo in (True, False)
    }
    out["zhejiang"] = load_briefing(
        "浙江省", 2023, plan="example-zhejiang", demo=False, data_dir=str(data)
    )
    return out


def _sections(b) -> dict[str, BeautifulSoup]:
    """Each indicator's heading section (heading, quote, notes) by indicator id."""
    heads = sections.indicator_sections(b)[::2]
    order = dict.fromkeys(t.indicator for t in b.plan.targets)
    return {ind: BeautifulSoup(h.data, "html.parser") for ind, h in zip(order, heads, strict=True)}


def _target_cells(b) -> dict[str, str]:
    soup = BeautifulSoup(sections.scorecard_table(b).data, "html.parser")
    card = b.scorecard[b.scorecard["section"] == "indicator"]
    trs = soup.select("table.scorecard tbody tr")
    cells = [tr.find_all("td")[1].get_text(" ", strip=True) for tr in trs]
    return dict(zip(card["id"], cells, strict=True))


@pytest.mark.parametrize("key", [("zh", True), ("en", True), ("zh", False), "zhejiang"])
def test_heading_badges_from_demo_figures_are_marked(pages, key):
    b = pages[key]
    card = b.scorecard[b.scorecard["section"] == "indicator"]
    for ind, soup in _sections(b).items():
        demo = int(card.loc[card["indicator"] == ind, "demo_status"].sum())
        h3 = soup.find("h3")
        assert len(h3.select("span.status")) == int((card["indicator"] == ind).sum())
        assert h3.get_text().count(MARK) == demo, (ind, h3.get_text())
    if key == ("zh", True):
        assert card["demo_status"].any()


@pytest.mark.parametrize("key", [("zh", True), ("en", True), "zhejiang"])
def test_ranks_among_demo_figures_are_marked(pages, key):
    b = pages[key]
    cells = _target_cells(b)
    ranked = b.scorecard[b.scorecard["rank"].notna()]
    assert len(ranked)
    for row in ranked.itertuples():
        rank = b.text("page.rank", rank=int(row.rank), peers=int(row.peers))
        assert rank in cells[row.id]
        marked = rank + MARK in cells[row.id]
        assert marked == (key != "zhejiang"), cells[row.id]  # the demo's ranks, not the real
        assert marked == bool(b.scorecard.loc[row.Index, "rank_demo"])


@pytest.mark.parametrize("key", [("zh", True), ("en", False)])
def test_twin_targets_badges_name_their_target(pages, key):
    b = pages[key]
    card = b.scorecard[b.scorecard["section"] == "indicator"]
    twins = card.groupby("indicator").filter(lambda g: len(g) > 1)
    assert twins["indicator"].nunique() >= 2
    for ind, soup in _sections(b).items():
        labels = [s.get_text(strip=True) for s in soup.select("h3 span.for")]
        targets = card.loc[card["indicator"] == ind, "target"].tolist()
        expected = [t + b.text("common.colon").strip() for t in targets] if len(targets) > 1 else []
        assert labels == expected, (ind, labels)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_formulas_are_in_words_without_registry_ids(pages, lang):
    b = pages[(lang, True)]
    html = sections.definitions(b).data
    soup = BeautifulSoup(html, "html.parser")
    formulas = [tr.find_all("td")[2].get_text(strip=True) for tr in soup.select("tbody tr")]
    used = list(dict.fromkeys(t.indicator for t in b.plan.targets))
    ids = set(INDICATORS) | {i.numerator for i in INDICATORS.values() if isinstance(i, Ratio)}
    ids |= {i.denominator for i in INDICATORS.values() if isinstance(i, Ratio)}
    assert not [i for i in ids if i in html], [i for i in ids if i in html]
    for ident, formula in zip(used, formulas, strict=True):
        ind = INDICATORS[ident]
        if isinstance(ind, Ratio):
            for part in (ind.numerator, ind.denominator):
                assert INDICATORS[part].name(lang) in formula, formula
        else:
            assert formula == b.text("page.formula_total")


def test_every_ratio_names_registered_parts():
    for ind in INDICATORS.values():
        if isinstance(ind, Ratio):
            assert ind.numerator in INDICATORS and ind.denominator in INDICATORS, ind.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_missing_district_figure_is_said_once(pages, lang):
    b = pages[(lang, False)]
    said = [b.text("scorecard.no_region_figure"), b.text("page.no_data_note")]
    for ind, soup in _sections(b).items():
        notes = [p.get_text(strip=True) for p in soup.select("p.note")]
        assert sum(n in said for n in notes) == 1, (ind, notes)


def test_a_missing_figure_before_the_plan_is_still_said(data):
    b = load_briefing("松江区", 2020, demo=False, data_dir=str(data))
    for ind, soup in _sections(b).items():
        notes = [p.get_text(strip=True) for p in soup.select("p.note")]
        assert b.text("page.no_data_note") in notes, (ind, notes)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_activities_table_has_no_empty_header(pages, lang):
    b = pages[(lang, True)]
    soup = BeautifulSoup(sections.activities_table(b).data, "html.parser")
    heads = [th.get_text(strip=True) for th in soup.select("table.activities thead th")]
    assert all(heads), heads
    assert heads[-1] == b.text("page.notes")
    for tr in soup.select("table.activities tbody tr"):
        assert len(tr.find_all("td")) == len(heads)


def test_the_headline_reads_plainly(pages):
    zh = sections.header(pages[("zh", True)]).data
    en = sections.header(pages[("en", True)]).data
    assert "实际数据：暂无数据 8；演示数据‡：8项（" in zh and "单独计数，不得引用" in zh
    assert "Real data: 8 without data; demo data‡: 8 (" in en
    assert "依据实际数据" not in zh and "from real data" not in en


def test_the_high_value_headline_badge_is_the_scorecards(data):
    # the theme page's headline shows the scorecard row's badge: ‡ for a demo-based status,
    # "not assessed" before the plan (never "no data" beside a value)
    now = sections.headline(load_briefing("松江区", 2025, data_dir=str(data)))[0].data
    assert "✓ 已达成</span>‡" in now, now
    before = sections.headline(load_briefing("松江区", 2020, data_dir=str(data)))[0].data
    assert "○ 未评估</span>" in before and "暂无数据" not in before, before
