"""The scorecard never invents a district figure; series pick published over derived values."""

import pandas as pd
import pytest

from ipanalysis import analysis as scorecard
from ipanalysis import plans
from ipanalysis import regions as regions_module
from ipanalysis.io import read_activity_log


@pytest.fixture(scope="module")
def regions():
    return regions_module.load_regions()


@pytest.fixture(scope="module")
def plan():
    return plans.load_plan("songjiang-2024-2026")


def test_songjiang_has_no_published_ip_figure_so_every_row_says_no_data(
    observations, regions, plan
):
    card = scorecard.build_scorecard(observations, regions, plan, "310117", 2025, "zh")
    assert len(card) == len(plan.targets) + len(plan.activities) == 16
    assert set(card["status"]) == {"no_data"}
    assert card["value"].isna().all()
    first = card.iloc[0]
    assert (first["parent_region"], first["parent_value"], first["parent_year"]) == (
        "上海市",
        50.2,
        2023,
    )
    assert (first["nation_value"], first["nation_year"]) == (16.0, 2025)
    assert first["note"] == "本区数据中暂无该指标数值（未臆造）"


def test_city_scorecard_uses_the_published_city_figures(observations, regions, plan):
    card = scorecard.build_scorecard(observations, regions, plan, "310000", 2024, "en")
    row = card[card.id == "high_value_per_10k"].iloc[0]
    assert (row["value"], row["value_year"], row["status"], row["value_status"]) == (
        50.2,
        2023,
        "met",
        "published",
    )
    pct = card[card.id == "pct_growth"].iloc[0]
    assert (pct["value"], pct["status"], round(pct["trailing_growth"], 2)) == (
        6185.0,
        "on_track",
        10.62,
    )


def test_through_year_hides_later_values(observations):
    national = scorecard.series(
        observations, "high_value_invention_patents_per_10k", "100000", through_year=2022
    )
    assert national["year"].tolist() == [2020, 2021, 2022]
    assert national["status"].tolist() == ["derived", "published", "published"]


def test_duplicates_prefer_published_and_report_conflicts():
    base = {
        "region_code": "1",
        "indicator": "gdp",
        "basis": "current_prices",
        "category": "total",
        "date": pd.Timestamp("2024-12-31"),
        "year": 2024,
    }
    obs = pd.DataFrame(
        [
            {**base, "value": 10.0, "status": "derived", "source_id": "a"},
            {**base, "value": 11.0, "status": "published", "source_id": "b"},
            {**base, "value": 12.0, "status": "published", "source_id": "c"},
        ]
    )
    result = scorecard.series(obs, "gdp", "1")
    assert result[["value", "source_id"]].values.tolist() == [[11.0, "b"]]
    assert result["conflict"].item() == "other sources give 12 (c), 10 (a)"


def test_mid_year_values_are_not_year_end_values(observations):
    values = scorecard.series(observations, "high_value_invention_patents", "100000", "domestic")
    assert values["year"].tolist() == [2022, 2023]
    mid = scorecard.series(observations, "high_value_strategic_emerging", "100000", year_end=False)
    assert mid["date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-12-31", "2025-06-30"]


def test_rank_ties_share_the_better_rank():
    values = pd.Series({"a": 10.0, "b": 30.0, "c": 30.0, "d": None})
    assert [scorecard.rank_among(values, k) for k in "abcd"] == [3, 1, 1, None]
    assert scorecard.rank_among(values, "a", higher_is_better=False) == 1


def test_peers_are_the_current_districts_of_the_parent(regions, plan):
    peers = scorecard.peers(regions, plan)
    assert len(peers) == 16 and "310117" in peers and "310108" not in peers


@pytest.mark.parametrize(
    "region,year,lang,message",
    [
        (
            "火星区",
            2025,
            "zh",
            "unknown region '火星区': give a name such as 松江区 or a code such as 310117",
        ),
        ("松江区", 1990, "zh", "year 1990 is outside the data (2014–2025)"),
        ("松江区", 2026, "zh", "year 2026 is outside the data (2014–2025)"),
        ("松江区", 2025, "fr", "lang must be one of zh, en, got 'fr'"),
    ],
)
def test_bad_parameters_stop_with_a_clear_message(observations, region, year, lang, message):
    with pytest.raises(ValueError) as err:
        scorecard.check_parameters(observations, region, year, lang)
    assert str(err.value) == message


def test_activity_log_feeds_the_activity_rows(tmp_path, observations, regions, plan):
    log = tmp_path / "activities.csv"
    log.write_text(
        "activity,region_code,year,count,source\n"
        "special_actions,310117,2025,11,区知识产权局台账\n"
        "pilot_units,310117,2024,30,区知识产权局台账\n"
        "pilot_units,310117,2025,40,区知识产权局台账\n",
        encoding="utf-8",
    )
    card = scorecard.build_scorecard(
        observations, regions, plan, "310117", 2025, "zh", read_activity_log(log)
    )
    got = card[card.section == "activity"].set_index("id")[["value", "status"]]
    assert got.loc["special_actions"].tolist() == [11.0, "met"]
    assert got.loc["pilot_units"].tolist() == [70.0, "on_track"]
    assert got.loc["finance_events"].tolist()[1] == "no_data"


def test_activity_log_rows_that_cannot_be_used_are_set_aside_with_their_reason(tmp_path):
    log = tmp_path / "a.csv"
    log.write_text(
        "activity,region_code,year,count,source\n"
        "x,310117,2025,-1,s\n"
        "special_actions,火星区,2025,2,s\n"
        "special_actions,松江区,2025,3,s\n",
        encoding="utf-8",
    )
    data = read_activity_log(log, activities=["special_actions"])
    assert data[["activity", "region_code", "count"]].values.tolist() == [
        ["special_actions", "310117", 3]
    ]
    aside = data.attrs["quarantine"]
    assert aside[["raw_row", "column"]].values.tolist() == [
        [2, "activity"],
        [2, "count"],
        [3, "region_code"],
    ]
    assert aside["reason"].tolist()[0] == "unknown activity 'x': expected one of special_actions"
    assert len(data) + aside["raw_row"].nunique() == 3  # read = kept + set aside
