"""The scorecard page as a new reader found it: every figure cited, English units shown, demo
statuses counted apart, no status before the plan, no empty activities table."""

import re

import pytest
from bs4 import BeautifulSoup

from ipanalysis.briefing import load_briefing, sections
from ipanalysis.plans import STATUSES

CJK = re.compile(r"[\u3400-\u9fff]")


def _rows(b) -> dict[str, list]:
    """The scorecard table's rows by target id: the cells' text, the source cell's lines."""
    soup = BeautifulSoup(sections.scorecard_table(b).data, "html.parser")
    cards = b.scorecard[b.scorecard["section"] == "indicator"]
    rows = {}
    for ident, tr in zip(cards["id"], soup.select("table.scorecard tbody tr"), strict=True):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        rows[ident] = cells + [[d.get_text(strip=True) for d in tr.select("td.src div")]]
    return rows


def _summary(b) -> str:
    return BeautifulSoup(sections.header(b).data, "html.parser").select_one(".summary").get_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_shown_names_its_source(data, lang):
    b = load_briefing("松江区", 2025, lang=lang, demo=False, data_dir=str(data))
    card = b.scorecard.set_index("id")
    rows = _rows(b)
    for ident, cells in rows.items():
        shown = [c for c in cells[2:6] if re.search(r"\d", c)]  # region, parent, nation
        assert not shown or cells[6] != "—", (ident, cells)
    # the pledge amount: no district or city figure, the nation's 8,539.9 cited by itself
    pledge = card.loc["pledge_growth"]
    assert pledge["nation_value"] == 8539.9
    assert rows["pledge_growth"][7] == [pledge["nation_source"]]
    # high-value patents: the city's and the nation's sources, each saying whose figure it gave
    lines = rows["high_value_per_10k"][7]
    city, nation = card.loc["high_value_per_10k", ["parent_source", "nation_source"]]
    assert city != nation and len(lines) == 2
    assert lines[0].startswith(b.place_name(b.parent)) and lines[0].endswith(city)
    assert lines[1].startswith(b.place_name("100000")) and lines[1].endswith(nation)
    if lang == "en":  # the observation's English citation on an English page
        assert not [line for line in lines + rows["pledge_growth"][7] if CJK.search(line)]
        assert "State Council Information Office" in nation


def test_the_english_scorecard_shows_units(data):
    b = load_briefing("松江区", 2025, lang="en", data_dir=str(data))
    rows = _rows(b)
    assert re.fullmatch(r"[\d.]+ per 10k residents‡ \(2025\)", rows["high_value_per_10k"][2])
    assert rows["high_value_per_10k"][4] == "50.2 per 10k residents (2023)"
    # the pledge row without the demo: the city's all-IP figure (with it, the district's demo
    # patent pledges are read, and the city has no figure on that basis)
    no_demo = _rows(load_briefing("松江区", 2025, lang="en", demo=False, data_dir=str(data)))
    assert no_demo["pledge_growth"][5] == "CNY 853.99 bn (2023)"
    assert rows["pii_share_growth"][5] == "13.04% (2023)"
    assert rows["pct_growth"][5].endswith("applications (2024)")
    zh = _rows(load_briefing("松江区", 2025, lang="zh", data_dir=str(data)))
    assert zh["high_value_per_10k"][4] == "50.2件/万人 (2023)"  # the Chinese page as it was


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_statuses_from_demo_figures_are_counted_apart(data, lang):
    b = load_briefing("松江区", 2025, lang=lang, data_dir=str(data))
    card = b.scorecard
    demo = card["value_status"] == "synthetic"
    assert demo.any() and (card["demo_status"] == demo).all()
    summary = _summary(b)
    real, _, apart = summary.partition(b.text("common.list_sep"))
    # the real count names only statuses from real figures: here 8 without data
    assert real.endswith(
        b.text("scorecard.summary_real", counts=b.text("scorecard.tally.no_data", n=8))
    )
    # then the demo-based ones, marked ‡, counted apart and not to be quoted
    demo_counts = card[demo]["status"].value_counts()
    counts = b.text("common.comma").join(
        b.text(f"scorecard.tally.{s}", n=int(demo_counts[s])) for s in STATUSES if s in demo_counts
    )
    assert "‡" not in real and apart.startswith(
        b.text("scorecard.summary_demo", k=int(demo.sum()), counts=counts)
    ), summary
    # without the demo, the line is the plain count
    plain = _summary(load_briefing("松江区", 2025, lang=lang, demo=False, data_dir=str(data)))
    assert "‡" not in plain and b.text("scorecard.tally.no_data", n=16) in plain


def test_no_status_is_given_before_the_plan(data):
    b = load_briefing("松江区", 2020, data_dir=str(data))
    card = b.scorecard
    assert b.plan.baseline_year == 2023 and b.plan.start_year == 2024
    assert not card["assessed"].any() and set(card["status"]) == {"no_data"}
    assert card["rank"].isna().all() and card["required_growth"].isna().all()
    assert not card["demo_status"].any()
    indicator = card[card["section"] == "indicator"]
    assert indicator["value"].notna().any()  # the figures are still shown, without a status
    assert indicator["note"].str.startswith("2020年早于规划基期（2023年），不评估进度").all()
    table = BeautifulSoup(sections.scorecard_table(b).data, "html.parser")
    badges = [s.get_text(strip=True) for s in table.select("table.scorecard span.status")]
    assert badges == ["○ 未评估"] * len(indicator)
    assert "2020年早于规划基期（2023年）" in table.select_one("p.note").get_text()
    assert "16项未评估" in _summary(b) and "进度正常" not in _summary(b)


def test_activities_are_assessed_from_the_plan_start_targets_from_its_baseline(data, tmp_path):
    log = tmp_path / "activities.csv"
    log.write_text(
        "activity,region_code,year,count,source\n"
        "special_actions,310117,2023,11,台账\n"
        "special_actions,310117,2024,11,台账\n",
        encoding="utf-8",
    )
    before = load_briefing("松江区", 2023, data_dir=str(data), activity_log=str(log))
    card = before.scorecard.set_index("id")
    assert card.loc["special_actions", ["status", "assessed"]].tolist() == ["no_data", False]
    assert card.loc["pilot_units", ["status", "assessed"]].tolist() == ["no_data", False]
    assert (
        card.loc["special_actions", "note"] == "2023年早于规划实施期（2024—2026年），不评估完成情况"
    )
    assert card[card["section"] == "indicator"]["assessed"].all()  # the baseline year is judged
    started = load_briefing("松江区", 2024, data_dir=str(data), activity_log=str(log))
    row = started.scorecard.set_index("id").loc["special_actions"]
    assert [row["status"], row["assessed"]] == ["met", True]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_without_activities_shows_a_note_not_an_empty_table(data, lang):
    b = load_briefing(
        "浙江省", 2023, lang=lang, plan="example-zhejiang", demo=False, data_dir=str(data)
    )
    assert not b.plan.activities
    soup = BeautifulSoup(sections.activities_table(b).data, "html.parser")
    assert soup.find("table") is None
    assert soup.select_one("p.note").get_text() == b.text("scorecard.no_activities")
    with_rows = BeautifulSoup(
        sections.activities_table(load_briefing("松江区", 2025, data_dir=str(data))).data,
        "html.parser",
    )
    assert len(with_rows.select("table.activities tbody tr")) == 7
