"""Real statistical tables (tests/fixtures/corpus/tables) read with no hand edit, and names of
every province and prefecture-level city through the reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipanalysis.clean.tables import read_table
from ipanalysis.clean.text import split_unit
from ipanalysis.regions import load_regions, region_names

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "tables"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
#: The one option given where the file truly lacks a fact; every other file is read as it is.
OPTIONS = {
    # no title, no unit: the measure is named nowhere in the file
    "province_gdp_transposed_quoted_utf8.csv": {"measure": "地区生产总值"},
    # one region's measures, but no 地区： line (the values are Beijing's)
    "nbs_region_fiscal_tabpadded_utf8bom.csv": {"region": "北京市"},
    # a cross-section of cities with no year anywhere (the uploader's file name says 17_)
    "cities_indicators_as_columns_gbk.csv": {"period": "2017"},
}
ALL = sorted(EXPECTED)


@pytest.fixture(scope="module")
def results():
    return {name: read_table(CORPUS / name, **OPTIONS.get(name, {})) for name in ALL}


def test_the_corpus_is_every_file_described():
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xls", ".xlsx"))
    assert files == ALL
    assert len(ALL) == 12


@pytest.mark.parametrize("name", ALL)
def test_each_table_reads_and_reconciles(results, name):
    expected, result = EXPECTED[name], results[name]
    assert result.rows_read == expected["data_rows"]
    assert result.rows_read == result.rows_kept + result.rows_quarantined
    assert result.quarantine.empty
    footnotes = [n for n in result.notes if n.startswith("footnote row")]
    assert len(footnotes) == len(expected["footnotes"])


@pytest.mark.parametrize("name", [n for n in ALL if "first_region" in EXPECTED[n]])
def test_first_and_last_region_as_the_file_lists_them(results, name):
    labels = results[name].data["region_label"]
    assert (labels.iloc[0], labels.iloc[-1]) == (
        EXPECTED[name]["first_region"],
        EXPECTED[name]["last_region"],
    )


@pytest.mark.parametrize("name", [n for n in ALL if "all_empty_columns" in EXPECTED[n]])
def test_a_column_left_empty_is_kept_missing_never_zero(results, name):
    data = results[name].data
    for header in EXPECTED[name]["all_empty_columns"]:
        values = data.loc[data["period"] == header.rstrip("年"), "value"]
        assert len(values) == EXPECTED[name]["data_rows"]
        assert values.isna().all()


@pytest.mark.parametrize("name", [n for n in ALL if "measure" in EXPECTED[n]])
def test_measure_and_unit_from_the_indicator_line(results, name):
    data = results[name].data
    assert set(data["measure"]) == {EXPECTED[name]["measure"]}
    assert set(data["unit"]) == {EXPECTED[name]["unit"]}


@pytest.mark.parametrize("name", [n for n in ALL if EXPECTED[n].get("region")])
def test_one_regions_table_takes_its_region_from_the_region_line(results, name):
    data = results[name].data
    assert set(data["region_label"]) == {EXPECTED[name]["region"]}
    assert data["region_code"].nunique() == 1


def spot_value(data: pd.DataFrame, check: dict) -> pd.Series:
    """The value a spot check names: by region and period, measure (with its unit) and period,
    or region and column (a cross-section)."""
    period = str(check.get("period", "2017")).rstrip("年")
    if "region" in check:
        rows = data[(data["region_label"] == check["region"]) & (data["period"] == period)]
        if "column" in check:
            rows = rows[rows["measure"] == check["column"]]
        return rows
    measure, unit = split_unit((check.get("indicator") or check["indicator_raw"]).strip())
    rows = data[(data["measure"] == measure) & (data["period"] == period)]
    assert set(rows["unit"]) == {unit}
    return rows


@pytest.mark.parametrize(
    ("name", "check"),
    [(n, c) for n in ALL for c in EXPECTED[n]["spot_checks"]],
    ids=[f"{n}:{i}" for n in ALL for i, _ in enumerate(EXPECTED[n]["spot_checks"])],
)
def test_every_spot_check(results, name, check):
    rows = spot_value(results[name].data, check)
    assert len(rows) == 1, check
    value = str(check.get("value", check.get("value_raw"))).strip()
    if value == "":
        assert pd.isna(rows["value"].iloc[0])
    else:
        assert rows["value"].iloc[0] == pytest.approx(float(value))


def test_the_csv_and_xls_exports_of_one_table_read_the_same(results):
    columns = ["region", "region_code", "period", "measure", "unit", "cell", "raw_row"]
    csv = results["nbs_city_shanghai_realestate_gbk.csv"].data
    xls = results["nbs_city_shanghai_realestate.xls"].data
    pd.testing.assert_frame_equal(csv[columns], xls[columns])
    pd.testing.assert_series_equal(csv["value"], xls["value"])


def test_a_transposed_table_keeps_each_value_at_its_own_cell(results):
    data = results["province_gdp_transposed_quoted_utf8.csv"].data
    # header row 1: 时间, 北京市 (B) … 新疆维吾尔自治区 (AF); 2003年 in row 2 … 2022年 in row 21
    first = data[(data["region"] == "北京市") & (data["period"] == "2003")].iloc[0]
    last = data[(data["region"] == "新疆维吾尔自治区") & (data["period"] == "2022")].iloc[0]
    assert (first["cell"], first["raw_row"], first["raw_value"]) == ("B2", 2, "5267")
    assert (last["cell"], last["raw_row"], last["value"]) == ("AF21", 21, 17741.0)
    assert data["region_code"].nunique() == 31
    assert set(data["unit"].isna()) == {True}  # no unit anywhere in the file: unknown


def test_inner_mongolia_keeps_its_first_character():
    result = read_table(CORPUS / "nbs_province_gdp_recent20_gbk_crlf.csv")
    row = result.data[result.data["region_code"] == "150000"].iloc[0]
    assert (row["region"], row["region_label"]) == ("内蒙古自治区", "内蒙古自治区")


@pytest.mark.parametrize("level", ["province", "prefecture"])
def test_every_province_and_prefecture_name_through_the_reader(tmp_path, level):
    regions = load_regions()
    units = regions[(regions["level"] == level) & (regions["valid_to"] == "")]
    lines = ["2023年各地区专利授权量", "地区,发明(件)"]
    lines += [f"{name},{i}" for i, name in enumerate(units["name"], 1)]
    path = tmp_path / "all.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_table(path)
    assert result.data["region_code"].tolist() == units["code"].tolist()
    assert result.data["region"].tolist() == units["name"].tolist()


def test_every_county_level_unit_with_its_city_through_the_reader(tmp_path):
    # 2,846 units in force; names several share (朝阳区 of Beijing and of Changchun) are two
    # regions once written with their city; successors followed, as for a current table
    regions = load_regions()
    units = regions[(regions["level"] == "district") & (regions["valid_to"] == "")]
    written = units["parent_code"].map(region_names()) + units["name"]
    lines = ["2023年各地区专利授权量", "地区,发明(件)"]
    lines += [f"{name},{i}" for i, name in enumerate(written, 1)]
    path = tmp_path / "counties.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_table(path, follow_successor=True)
    assert result.data["region_code"].tolist() == units["code"].tolist()
    assert result.data["value"].tolist() == [float(i) for i in range(1, len(units) + 1)]
    assert result.rows_read == len(units) == result.rows_kept


def test_a_historical_unit_known_by_its_year_of_change_is_said(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2010年\n地区,发明(件)\n巢湖市,3\n合肥市,5\n", encoding="utf-8")
    result = read_table(path)
    assert result.data["region_code"].tolist() == ["341400", "340100"]
    assert result.notes[-1] == (
        "巢湖市 (341400) is a historical unit: part of 安徽省 (340000) since 2011"
    )


def test_a_period_later_than_the_current_year_is_quarantined(tmp_path):
    later = dt.date.today().year + 1
    path = tmp_path / "future.csv"
    path.write_text(f"地区,2023年,{later}年\n松江区,1,2\n青浦区,3,4\n", encoding="utf-8")
    result = read_table(path, measure="发明专利授权量")
    assert sorted(result.data["period"].unique()) == ["2023"]
    assert result.quarantine[["raw_row", "reason"]].to_dict("records") == [
        {
            "raw_row": 2,
            "reason": f"period {later} is later than the current year ({later - 1}): a typo, "
            "not a figure (cell C2)",
        },
        {
            "raw_row": 3,
            "reason": f"period {later} is later than the current year ({later - 1}): a typo, "
            "not a figure (cell C3)",
        },
    ]
    assert result.rows_read == result.rows_kept + result.rows_quarantined
