"""classify / breakdown / overlaps on hand-worked rows, one edge per test."""

from __future__ import annotations

import pandas as pd
import pytest
from patent_rows import build, random_table

from ipanalysis.errors import InputError
from ipanalysis.high_value import (
    CRITERIA,
    DEFAULT_DEFINITION,
    HighValueDefinition,
    breakdown,
    classify,
    concordance_prefixes,
    overlaps,
    prepare_patents,
    with_definition,
)

AS_OF = "2023-12-31"


def flags(result: pd.DataFrame, column: str) -> list:
    """A column as a list with None for <NA>, so that assertions name unknown explicitly."""
    return [None if pd.isna(v) else bool(v) for v in result[column]]


# --- valid: granted on or before the date, not lapsed by it -------------------------------------


@pytest.mark.parametrize("as_of", ["2023-12-31", "2024-02-29", "1969-06-30 18:30"])
def test_dates_compare_as_calendar_days_whatever_the_time_of_day(as_of):
    """Dates are compared as stored (nanoseconds) against the first instant of a day: a time of
    day on any date, before 1970 too, changes nothing."""
    table = random_table(4_000, seed=3)
    days = table.assign(**{c: table[c].dt.normalize() for c in ("filing_date", "grant_date")})
    days["lapse_date"] = table["lapse_date"].dt.normalize()
    assert (table["grant_date"] != days["grant_date"]).sum() > 1_000  # times of day were there
    for definition in (DEFAULT_DEFINITION, HighValueDefinition(maintenance_from="grant_date")):
        pd.testing.assert_frame_equal(
            classify(table, as_of, definition), classify(days, as_of, definition)
        )


def test_granted_exactly_on_the_reference_date_counts():
    frame = build(
        {"grant_date": "2023-12-31", "strategic_emerging": True},
        {"grant_date": "2024-01-01", "strategic_emerging": True},
        {"grant_date": None, "strategic_emerging": True},
    )
    result = classify(frame, AS_OF)
    assert result["valid"].tolist() == [True, False, False]
    assert flags(result, "high_value") == [True, False, False]


def test_lapse_the_day_before_or_on_the_date_ends_validity_the_day_after_does_not():
    frame = build(
        {"lapse_date": "2023-12-30"},
        {"lapse_date": "2023-12-31"},
        {"lapse_date": "2024-01-01"},
        {"lapse_date": None},
    )
    assert classify(frame, AS_OF)["valid"].tolist() == [False, False, True, True]


def test_utility_models_and_designs_are_never_valid_or_high_value():
    everything = {
        "strategic_emerging": True,
        "overseas_family": True,
        "pledge_amount": 5e7,
        "award": "中国专利金奖",
        "filing_date": "2005-01-01",
    }
    frame = build(
        {"patent_type": "utility_model", **everything},
        {"patent_type": "design", **everything},
        {"patent_type": "invention", **everything},
    )
    result = classify(frame, AS_OF)
    assert result["valid"].tolist() == [False, False, True]
    assert flags(result, "high_value") == [False, False, True]
    # the criteria themselves are still reported, for inspection
    assert flags(result, "award") == [True, True, True]


def test_classification_ignores_domestic_but_keeps_every_row_in_order():
    frame = build(
        {"domestic": False, "overseas_family": True},
        {"domestic": True, "overseas_family": True},
    )
    result = classify(frame, AS_OF)
    assert result["application_number"].tolist() == ["CN201510000000", "CN201510000001"]
    assert flags(result, "high_value") == [True, True]
    assert list(result.columns) == ["application_number", *CRITERIA, "valid", "high_value"]


# --- maintained over 10 years --------------------------------------------------------------------


def test_exactly_ten_years_is_not_over_ten_years_the_next_day_is():
    frame = build({"filing_date": "2013-12-31", "grant_date": "2016-05-05"})
    assert flags(classify(frame, "2023-12-31"), "maintained") == [False]
    assert flags(classify(frame, "2024-01-01"), "maintained") == [True]
    assert flags(classify(frame, "2024-01-01"), "high_value") == [True]


def test_a_29_february_filing_passes_ten_years_after_28_february():
    frame = build({"filing_date": "2012-02-29", "grant_date": "2015-01-05"})
    assert flags(classify(frame, "2022-02-28"), "maintained") == [False]
    assert flags(classify(frame, "2022-03-01"), "maintained") == [True]


def test_maintenance_can_run_from_the_grant_date():
    frame = build({"filing_date": "2010-01-01", "grant_date": "2014-06-30"})
    from_grant = HighValueDefinition(maintenance_from="grant_date", version="test/grant")
    assert flags(classify(frame, "2024-06-30"), "maintained") == [True]
    assert flags(classify(frame, "2024-06-30", from_grant), "maintained") == [False]
    assert flags(classify(frame, "2024-07-01", from_grant), "maintained") == [True]


def test_maintenance_years_is_a_parameter():
    frame = build({"filing_date": "2015-03-01"})
    eight = with_definition(DEFAULT_DEFINITION, maintenance_years=8, version="test/8y")
    assert flags(classify(frame, AS_OF), "maintained") == [False]
    assert flags(classify(frame, AS_OF, eight), "maintained") == [True]


def test_missing_filing_date_makes_maintenance_unknown():
    frame = build({"filing_date": None})
    result = classify(frame, AS_OF)
    assert flags(result, "maintained") == [None]
    assert flags(result, "high_value") == [None]
    assert result.attrs["unknown"]["maintained"] == 1


# --- the other four criteria ---------------------------------------------------------------------


def test_pledge_threshold_is_inclusive_and_a_missing_amount_means_none():
    frame = build(
        {"pledge_amount": 9_999_999.99},
        {"pledge_amount": 10_000_000.0},
        {"pledge_amount": None},
    )
    result = classify(frame, AS_OF)
    assert flags(result, "high_pledge") == [False, True, False]
    assert flags(result, "high_value") == [False, True, False]
    lower = with_definition(DEFAULT_DEFINITION, pledge_threshold=5e6, version="test/5m")
    assert flags(classify(frame, AS_OF, lower), "high_pledge") == [True, True, False]


def test_national_and_china_patent_awards_count_provincial_awards_do_not():
    frame = build(
        {"award": "第二十四届中国专利优秀奖"},
        {"award": "国家科学技术进步奖二等奖"},
        {"award": "上海市科学技术奖一等奖"},
        {"award": None},
    )
    result = classify(frame, AS_OF)
    assert flags(result, "award") == [True, True, False, False]
    only_gold = with_definition(DEFAULT_DEFINITION, awards=("中国专利金奖",), version="test/gold")
    assert flags(classify(frame, AS_OF, only_gold), "award") == [False, False, False, False]


def test_awards_match_on_categorical_columns_too():
    frame = build({"award": "中国专利金奖"}, {"award": "上海市科学技术奖一等奖"}, {"award": None})
    frame["award"] = frame["award"].astype("category")
    assert flags(classify(frame, AS_OF), "award") == [True, False, False]


def test_strategic_emerging_and_overseas_flags_and_missing_ones_are_unknown():
    frame = build(
        {"strategic_emerging": True},
        {"strategic_emerging": None},
        {"strategic_emerging": None, "overseas_family": True},
        {"strategic_emerging": None, "grant_date": None},
        {"overseas_family": None},
    )
    result = classify(frame, AS_OF)
    assert flags(result, "strategic_emerging") == [True, None, None, None, False]
    assert flags(result, "overseas_family") == [False, False, True, False, None]
    # unknown stays unknown unless another criterion is met; an invalid patent is simply False
    assert flags(result, "high_value") == [True, None, True, False, None]
    assert result.attrs["unknown"] == {
        "strategic_emerging": 2,
        "overseas_family": 1,
        "maintained": 0,
        "high_pledge": 0,
        "award": 0,
    }
    assert result.attrs["high_value_unknown"] == 2


def test_an_absent_input_column_makes_its_criterion_unknown_not_false():
    frame = build({"strategic_emerging": True}, {}).drop(columns=["overseas_family", "award"])
    result = classify(frame, AS_OF)
    assert flags(result, "overseas_family") == [None, None]
    assert flags(result, "award") == [None, None]
    assert flags(result, "high_value") == [True, None]


def test_strategic_emerging_from_an_ipc_concordance_supplied_as_data():
    table = pd.DataFrame(
        {"ipc": ["H01M 10/", "g06n"], "industry": ["新能源汽车", "新一代信息技术"]}
    )
    definition = HighValueDefinition(
        version="test/concordance",
        strategic_emerging_source="concordance",
        concordance=concordance_prefixes(table),
    )
    frame = build(
        {"ipc": "G06F 16/00;H01M 10/05", "strategic_emerging": False},
        {"ipc": "G06N 3/08", "strategic_emerging": False},
        {"ipc": "G06F 16/00;B60L 58/12", "strategic_emerging": True},
        {"ipc": None, "strategic_emerging": True},
    )
    result = classify(frame, AS_OF, definition)
    assert flags(result, "strategic_emerging") == [True, True, False, None]
    assert result.attrs["definition"] == "test/concordance"


# --- definition and input errors -----------------------------------------------------------------


def test_definition_rejects_open_parts_left_undecided():
    with pytest.raises(ValueError) as error:
        HighValueDefinition(strategic_emerging_source="table")
    assert str(error.value) == (
        "strategic_emerging_source must be 'auto', 'flag' or 'concordance', not 'table'"
    )
    with pytest.raises(ValueError) as error:
        HighValueDefinition(keyword_rule="maybe")
    assert str(error.value) == "keyword_rule must be 'condition' or 'description', not 'maybe'"
    with pytest.raises(ValueError) as error:
        HighValueDefinition(maintenance_from="priority_date")
    assert str(error.value) == (
        "maintenance_from must be 'filing_date' or 'grant_date', not 'priority_date'"
    )
    with pytest.raises(ValueError) as error:
        with_definition(DEFAULT_DEFINITION, pledge_threshold=1.0)
    assert str(error.value) == "give the changed definition a new version"


def test_definition_describes_itself_for_provenance():
    assert DEFAULT_DEFINITION.describe() == (
        "high-value definition cnipa-2021/2: maintained > 10 years from the filing date; "
        "pledge >= 10,000,000 CNY; awards: 10 names; strategic emerging: the source's flag, "
        "else CNIPA's SEI–IPC concordance (2021, trial) on all IPC symbols, keyword cells read "
        "as a condition on title or abstract; population: year-end resident population"
    )


def test_missing_required_column_is_named():
    with pytest.raises(InputError) as error:
        classify(build({}).drop(columns=["grant_date", "domestic"]), AS_OF)
    assert str(error.value) == "patent table lacks required column(s): grant_date, domestic"


def test_bad_values_are_located():
    with pytest.raises(InputError) as error:
        classify(build({}, {"patent_type": "trademark"}), AS_OF)
    assert str(error.value) == (
        "row 3, column 'patent_type': patent_type must be invention, utility_model or design, "
        "found 'trademark'"
    )
    # a category no patent has is no error (a parquet row group keeps the file's dictionary)
    unused = build({}, {}).astype({"patent_type": "category"})
    unused["patent_type"] = unused["patent_type"].cat.add_categories("trademark")
    assert classify(unused, AS_OF)["valid"].tolist() == [True, True]
    frame = build({}, {}).astype({"overseas_family": "object"})
    frame.loc[1, "overseas_family"] = "maybe"
    with pytest.raises(InputError) as error:
        classify(frame, AS_OF)
    assert str(error.value) == "row 3, column 'overseas_family': expected true/false, found 'maybe'"
    with pytest.raises(InputError) as error:
        classify(build({"grant_date": "2023-02-30"}), AS_OF)
    assert str(error.value) == (
        "row 2, column 'grant_date': expected a date like 2023-05-23, found '2023-02-30'"
    )
    with pytest.raises(ValueError) as error:
        classify(build({}), "end of 2023")
    assert str(error.value) == "as_of must be a date like 2023-12-31, not 'end of 2023'"


def test_text_flags_from_csv_are_read():
    frame = build({}, {}, {}).astype({"strategic_emerging": "object", "domestic": "object"})
    frame["strategic_emerging"] = ["true", "否", ""]
    frame["domestic"] = ["1", "TRUE", "false"]
    prepared = prepare_patents(frame)
    assert prepared["strategic_emerging"].tolist() == [True, False, pd.NA]
    assert prepared["domestic"].tolist() == [True, True, False]


def test_input_frame_is_not_changed():
    frame = build({"grant_date": "2018-06-01"})
    before = frame.copy()
    classify(frame, AS_OF)
    pd.testing.assert_frame_equal(frame, before)


# --- breakdown and overlaps: a patent counts once ------------------------------------------------


def test_breakdown_counts_each_patent_once_and_shows_overlaps():
    frame = build(
        {"strategic_emerging": True, "overseas_family": True},  # two criteria
        {"strategic_emerging": True},  # one
        {"filing_date": "2012-01-01", "pledge_amount": 2e7},  # maintained + pledge
        {"award": "中国专利银奖"},  # one
        {},  # none
        {"strategic_emerging": True, "lapse_date": "2020-01-01"},  # not valid
    )
    result = breakdown(classify(frame, AS_OF))
    assert result.to_dict("list") == {
        "criterion": [*CRITERIA, "all (counted once)"],
        "patents": [2, 1, 1, 1, 1, 4],
        "only_this": [1, 0, 0, 0, 1, 2],
        "with_others": [1, 1, 1, 1, 0, 2],
        "share": [0.5, 0.25, 0.25, 0.25, 0.25, 1.0],
    }
    assert result.attrs["definition"] == "cnipa-2021/2"
    assert overlaps(classify(frame, AS_OF)).to_dict("list") == {
        "combination": [
            "award",
            "maintained+high_pledge",
            "strategic_emerging",
            "strategic_emerging+overseas_family",
        ],
        "patents": [1, 1, 1, 1],
    }


def test_concordance_matches_categorical_ipc_columns():
    definition = HighValueDefinition(
        version="test/concordance", strategic_emerging_source="concordance", concordance=("H01M",)
    )
    frame = build({"ipc": "G06F 16/00;H01M 10/05"}, {"ipc": "G06F 16/00"}, {"ipc": None})
    frame["ipc"] = frame["ipc"].astype("category")
    assert flags(classify(frame, AS_OF, definition), "strategic_emerging") == [True, False, None]
    with pytest.raises(InputError) as error:
        concordance_prefixes(pd.DataFrame({"code": ["H01M"]}))
    assert str(error.value) == "column 'ipc': concordance table has no column 'ipc'"


def test_breakdown_without_high_value_patents_has_zero_counts():
    result = breakdown(classify(build({}), AS_OF))
    assert result["patents"].tolist() == [0, 0, 0, 0, 0, 0]
    assert result["share"].isna().all()
