"""Levers: patents about to pass 10 years, lapsed patents, projections; and ranks with ties."""

from __future__ import annotations

import pandas as pd
import pytest
from patent_rows import build

from ipanalysis.analysis import project_per_10k, rank
from ipanalysis.errors import InputError
from ipanalysis.high_value import lapsed, maturing


def test_maturing_lists_patents_passing_ten_years_within_the_horizon():
    frame = build(
        {"application_number": "CN1", "filing_date": "2014-03-15", "grant_date": "2017-01-01"},
        {"application_number": "CN2", "filing_date": "2014-06-29", "grant_date": "2017-01-01"},
        {"application_number": "CN3", "filing_date": "2014-06-30", "grant_date": "2017-01-01"},
        {"application_number": "CN4", "filing_date": "2013-06-01", "grant_date": "2016-01-01"},
        {
            "application_number": "CN5",
            "filing_date": "2014-01-10",
            "grant_date": "2017-01-01",
            "strategic_emerging": True,
        },
        {
            "application_number": "CN6",
            "filing_date": "2014-02-01",
            "grant_date": "2017-01-01",
            "lapse_date": "2023-06-01",
        },
        {
            "application_number": "CN7",
            "filing_date": "2014-02-01",
            "grant_date": "2015-01-01",
            "patent_type": "utility_model",
        },
    )
    result = maturing(frame, "2023-12-31", months=6)
    assert result["application_number"].tolist() == ["CN5", "CN1", "CN2"]
    assert result["qualifies_on"].tolist() == [
        pd.Timestamp("2024-01-11"),
        pd.Timestamp("2024-03-16"),
        pd.Timestamp("2024-06-30"),
    ]
    assert result["already_high_value"].tolist() == [True, False, False]


def test_maturing_rejects_a_negative_horizon():
    with pytest.raises(ValueError) as error:
        maturing(build({}), "2023-12-31", months=-1)
    assert str(error.value) == "months must be zero or more, not -1"


def test_lapsed_counts_granted_patents_whose_right_ended_in_the_period():
    frame = build(
        {"application_number": "CN1", "grant_date": "2018-06-01", "lapse_date": "2023-01-01"},
        {
            "application_number": "CN2",
            "grant_date": "2013-12-31",
            "lapse_date": "2023-12-31",
            "filing_date": "2010-01-01",
        },
        {"application_number": "CN3", "lapse_date": "2022-12-31"},
        {"application_number": "CN4", "lapse_date": "2024-01-01"},
        {"application_number": "CN5", "patent_type": "utility_model", "lapse_date": "2023-05-01"},
        {"application_number": "CN6", "grant_date": None, "lapse_date": "2023-03-01"},
        {"application_number": "CN7", "domestic": False, "lapse_date": "2023-03-01"},
    )
    result = lapsed(frame, "2023-01-01", "2023-12-31")
    assert result["application_number"].tolist() == ["CN1", "CN2"]
    assert result["years_in_force"].tolist() == [4, 10]
    with pytest.raises(ValueError) as error:
        lapsed(frame, "2023-12-31", "2023-01-01")
    assert str(error.value) == "end 2023-01-01 is before start 2023-12-31"


def test_projection_continues_the_trend_with_a_range():
    history = pd.DataFrame(
        {"year": [2019, 2020, 2021, 2022, 2023], "value": [20.0, 25.0, 31.6, 40.9, 50.2]}
    )
    result = project_per_10k(history, 2026, window=5)
    row = result.iloc[0]
    # year-on-year changes 5.0, 6.6, 9.3, 9.3; least-squares slope 76.3 / 10 = 7.63
    assert row["low"] == pytest.approx(50.2 + 3 * 5.0, abs=1e-9)
    assert row["high"] == pytest.approx(50.2 + 3 * 9.3, abs=1e-9)
    assert row["central"] == pytest.approx(33.54 + 5 * 7.63, abs=1e-9)
    assert (row["year"], row["last_year"], row["last_value"]) == (2026, 2023, 50.2)


def test_projection_by_region_uses_each_regions_last_years():
    history = pd.DataFrame(
        {
            "region": ["a", "a", "a", "b", "b"],
            "year": [2021, 2022, 2023, 2022, 2023],
            "value": [1.0, 2.0, 4.0, 10.0, 9.0],
        }
    )
    result = project_per_10k(history, 2024, window=2, by="region")
    assert result[["region", "low", "central", "high"]].to_dict("list") == {
        "region": ["a", "b"],
        "low": [6.0, 8.0],
        "central": [pytest.approx(6.0), pytest.approx(8.0)],
        "high": [6.0, 8.0],
    }
    with pytest.raises(InputError) as error:
        project_per_10k(history[history["year"] == 2023], 2026, by="region")
    assert str(error.value) == (
        "column 'value': need at least 2 years of history to project, found 1 for a"
    )


def test_rank_among_peers_ties_share_the_best_rank_and_skip_the_next():
    frame = pd.DataFrame(
        {
            "date": ["2022"] * 4 + ["2023"] * 4,
            "region": ["a", "b", "c", "d"] * 2,
            "value": [10.0, 8.0, 10.0, None, 5.0, 5.0, 5.0, 6.0],
        }
    )
    result = rank(frame, "value", by="date")
    assert result["rank"].tolist() == [1, 3, 1, pd.NA, 2, 2, 2, 1]
    assert result["peers"].tolist() == [3, 3, 3, 3, 4, 4, 4, 4]
    lowest_first = rank(frame, "value", by="date", ascending=True)
    assert lowest_first["rank"].tolist() == [2, 1, 2, pd.NA, 1, 1, 1, 4]
    with pytest.raises(InputError) as error:
        rank(frame, "per_10k")
    assert str(error.value) == "column 'per_10k': cannot rank: no column 'per_10k'"


def test_maturing_from_the_grant_date():
    from ipanalysis.high_value import HighValueDefinition

    frame = build(
        {"application_number": "CN1", "filing_date": "2010-01-01", "grant_date": "2014-02-28"}
    )
    definition = HighValueDefinition(maintenance_from="grant_date", version="test/grant")
    result = maturing(frame, "2023-12-31", months=3, definition=definition)
    assert result["qualifies_on"].tolist() == [pd.Timestamp("2024-02-29")]
    assert maturing(frame, "2023-12-31", months=1, definition=definition).empty


def test_projection_accepts_stock_output_with_dates():
    history = pd.DataFrame(
        {"date": pd.to_datetime(["2022-12-31", "2023-12-31"]), "high_value_per_10k": [40.9, 50.2]}
    )
    result = project_per_10k(history, 2026, value="high_value_per_10k")
    assert result["central"].iloc[0] == pytest.approx(50.2 + 3 * 9.3, abs=1e-9)


def test_rank_only_among_named_peers():
    frame = pd.DataFrame(
        {"region": ["310117", "310101", "410000", "310104"], "value": [3.0, 5.0, 9.0, 3.0]}
    )
    result = rank(frame, "value", peers=["310117", "310101", "310104"])
    assert result["rank"].tolist() == [2, 1, pd.NA, 2]
    assert result["peers"].tolist() == [3, 3, 3, 3]
    assert result["value"].tolist() == [3.0, 5.0, 9.0, 3.0]
