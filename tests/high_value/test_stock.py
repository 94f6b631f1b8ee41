"""Stocks by region and date, per 10k residents, on a hand-worked table."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest
from patent_rows import build, random_table

from ipanalysis.errors import InputError
from ipanalysis.high_value import (
    DEFAULT_DEFINITION,
    classify,
    configured,
    held_domestically,
    stock,
    year_ends,
)
from ipanalysis.io import load_population
from ipanalysis.paths import raw_dir

# the module (the package exports its function under the same name)
stock_module = importlib.import_module("ipanalysis.high_value.stock")

SONGJIANG, HUANGPU = "310117", "310101"


@pytest.fixture
def table():
    return build(
        # 1: valid both dates, strategic emerging
        {"region": SONGJIANG, "strategic_emerging": True},
        # 2: granted during 2023, meets nothing
        {"region": SONGJIANG, "grant_date": "2023-06-01"},
        # 3: lapses ON 2023-12-31: valid and high-value at end-2022 only
        {
            "region": SONGJIANG,
            "grant_date": "2019-01-01",
            "lapse_date": "2023-12-31",
            "overseas_family": True,
        },
        # 4: strategic-emerging flag missing: unknown at both dates
        {"region": SONGJIANG, "grant_date": "2020-01-01", "strategic_emerging": None},
        # 5: non-domestic patentee: never in the domestic stock
        {"region": SONGJIANG, "domestic": False, "strategic_emerging": True},
        # 6: utility model: never counted
        {"region": SONGJIANG, "patent_type": "utility_model", "strategic_emerging": True},
        # 7: exactly 10 years on 2022-12-31 (not over), over 10 years at end-2023
        {"region": HUANGPU, "filing_date": "2012-12-31", "grant_date": "2015-01-01"},
        # 8: not granted
        {"region": HUANGPU, "grant_date": None, "strategic_emerging": True},
    )


def test_stock_by_region_at_two_year_ends(table):
    result = stock(table, year_ends(2022, 2023))
    assert result.to_dict("list") == {
        "date": [pd.Timestamp("2022-12-31")] * 2 + [pd.Timestamp("2023-12-31")] * 2,
        "region": [HUANGPU, SONGJIANG, HUANGPU, SONGJIANG],
        "valid": [1, 3, 1, 3],
        "high_value": [0, 2, 1, 1],
        "high_value_unknown": [0, 1, 0, 1],
    }
    assert result.attrs["definition"] == "cnipa-2021/2"


def test_non_domestic_patentees_count_only_when_asked(table):
    result = stock(table, "2022-12-31", domestic_only=False)
    assert result["valid"].tolist() == [1, 4]
    assert result["high_value"].tolist() == [0, 3]


def test_one_total_per_date_without_grouping(table):
    result = stock(table, ["2023-12-31"], by=None)
    assert result.to_dict("list") == {
        "date": [pd.Timestamp("2023-12-31")],
        "valid": [4],
        "high_value": [2],
        "high_value_unknown": [1],
    }


def test_per_10k_with_population(table):
    population = pd.DataFrame(
        {"adcode": [HUANGPU, SONGJIANG], "resident_population_10k": [50.34, 195.89]}
    )
    result = stock(table, "2023-12-31", population=population)
    assert result["population_10k"].tolist() == [50.34, 195.89]
    assert result["high_value_unknown"].tolist() == [0, 1]
    # 松江区 has an undecidable patent: its count is a lower bound, its per-10k unknown (not 0)
    assert result["high_value_per_10k"].iloc[0] == 1 / 50.34
    assert pd.isna(result["high_value_per_10k"].iloc[1])
    assert result["valid_per_10k"].tolist() == [1 / 50.34, 3 / 195.89]


def test_population_of_the_nearest_year_is_used_and_shown(table):
    population = pd.DataFrame(
        {
            "region": [SONGJIANG, SONGJIANG, HUANGPU],
            "population_10k": [190.0, 200.0, 50.0],
            "year": [2022, 2024, 2024],
        }
    )
    result = stock(table, year_ends(2022, 2023), population=population)
    # 2023 is as near 2022 as 2024: the earlier year is taken
    assert result["population_year"].tolist() == [2024, 2022, 2024, 2022]
    assert result["population_10k"].tolist() == [50.0, 190.0, 50.0, 190.0]
    totals = stock(table, "2024-12-31", by=None, population=population)
    assert totals["population_10k"].tolist() == [250.0]


def test_population_basis_must_match_the_definition(table):
    population = pd.DataFrame(
        {"region": [SONGJIANG], "population_10k": [195.89], "basis": ["registered_year_end"]}
    )
    with pytest.raises(InputError) as error:
        stock(table, "2023-12-31", population=population)
    assert str(error.value) == (
        "column 'basis': population basis registered_year_end does not match the definition's "
        "resident_year_end"
    )


def test_real_district_population_file_is_read():
    population = load_population(raw_dir() / "shanghai_district_population_2024.csv")
    assert len(population) == 16
    assert population["region"].iloc[0] == "310101"
    assert round(population["population_10k"].sum(), 2) == 2480.26
    assert set(population["year"]) == {2024}


def test_bad_population_is_located():
    with pytest.raises(InputError) as error:
        load_population(pd.DataFrame({"region": ["310117", "310101"], "population_10k": [1, -2]}))
    assert (
        str(error.value) == "row 3, column 'population_10k': population must be a positive number"
    )


def test_a_region_missing_from_the_table_is_reported_not_dropped():
    result = stock(build({"region": None, "strategic_emerging": True}), "2023-12-31")
    assert result["region"].tolist() == ["<missing>"]
    assert result["high_value"].tolist() == [1]


def test_a_region_without_population_gets_no_per_10k_figure(table):
    population = pd.DataFrame({"region": [SONGJIANG], "population_10k": [200.0], "year": [2024]})
    result = stock(table, "2023-12-31", population=population)
    assert result["population_year"].tolist() == [pd.NA, 2024]
    assert result["valid_per_10k"].isna().tolist() == [True, False]
    assert result["valid_per_10k"].iloc[1] == 3 / 200.0


@pytest.mark.parametrize(
    "definition",
    [
        DEFAULT_DEFINITION,
        configured(maintenance_from="grant_date", maintenance_years=3),
        configured(strategic_emerging_source="flag"),
    ],
    ids=["default", "grant-3y", "flag"],
)
@pytest.mark.parametrize("domestic_only", [True, False])
def test_stocks_are_the_counts_of_classify_at_each_date(definition, domestic_only, monkeypatch):
    """The stock counts intervals over the dates at once, in blocks of patents; it must equal
    classifying at every date and counting: dates unsorted and repeated, 29 February, times of
    day, missing dates, flags and regions, patents granted and lapsed before 1970."""
    monkeypatch.setattr(stock_module, "_BLOCK", 500)  # several blocks, in two threads
    table = random_table(6_000, seed=7)
    dates = ["2024-02-29", *year_ends(1965, 2026), "2016-12-31", "2025-06-30", "1969-12-31"]
    result = stock(table, dates, definition=definition, domestic_only=domestic_only)
    held = held_domestically(table) if domestic_only else table
    region = held["region"].astype("str").where(held["region"].notna(), "<missing>")
    expected = []
    for day in dates:
        classified = classify(held, day, definition)
        counts = (
            pd.DataFrame(
                {
                    "region": region.to_numpy(),
                    "valid": classified["valid"].to_numpy(),
                    "high_value": classified["high_value"].fillna(False).to_numpy(bool),
                    "high_value_unknown": classified["high_value"].isna().to_numpy(),
                }
            )
            .groupby("region")[["valid", "high_value", "high_value_unknown"]]
            .sum()
        )
        expected.append(counts.assign(date=pd.Timestamp(day)).reset_index())
    expected = pd.concat(expected, ignore_index=True)
    columns = ["date", "region", "valid", "high_value", "high_value_unknown"]
    pd.testing.assert_frame_equal(
        result[columns].astype({"region": str}), expected[columns], check_dtype=False
    )
