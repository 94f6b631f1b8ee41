"""Real statistical tables (tests/fixtures/corpus/tables) read with no hand edit, and names of
every province and prefecture-level city through the reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipanalysis.clean.tables import read_table
from ipanalysis.regions import load_regions

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "tables"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
# the national data portal's exports this reader reads as they are
READ = [
    "nbs_province_gdp_recent20_gbk_crlf.csv",
    "nbs_province_sample_population_gbk_crlf.csv",
    "nbs_province_gdp_1993_2017_gbk.csv",
    "nbs_province_population_recent10_gbk.csv",
    "nbs_province_gdp_recent5.xls",
    "nbs_major_cities_gdp_recent20.xls",
]


@pytest.mark.parametrize("name", READ)
def test_portal_exports_read_with_measure_unit_and_every_spot_check(name):
    expected = EXPECTED[name]
    result = read_table(CORPUS / name)
    assert result.rows_read == expected.get("data_rows", result.rows_read)
    assert result.rows_read == result.rows_kept + result.rows_quarantined
    data = result.data
    if "measure" in expected:
        assert set(data["measure"]) == {expected["measure"]}
        assert set(data["unit"]) == {expected["unit"]}
    for check in expected.get("spot_checks", []):
        row = data[(data["region_label"] == check["region"])]
        row = row[row["period"] == check["period"].rstrip("年")]
        assert len(row) == 1, check
        value = str(check["value"])
        if value == "":
            assert pd.isna(row["value"].iloc[0])
        else:
            assert row["value"].iloc[0] == pytest.approx(float(value))
    footnotes = [n for n in result.notes if n.startswith("footnote row")]
    assert len(footnotes) == len(expected.get("footnotes", footnotes))


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
