"""Value added by four-digit class and the patent-intensive industry mapping: fixtures with
office-table headers and MADE-UP rows (tests/fixtures/records/SOURCE.md), the shipped category
reference and template, and bad inputs built here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipanalysis import paths
from ipanalysis.clean.records import (
    industry_codes,
    load_pii_categories,
    read_pii_classification,
    read_value_added,
)
from ipanalysis.errors import InputError
from ipanalysis.schemas import PiiClassification, ValueAddedTable

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
VALUE_ADDED = FIXTURES / "value_added_district.xlsx"


def write(tmp_path: Path, lines: list[str], name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def entries(result) -> list[tuple]:
    frame = result.quarantine[["raw_row", "column", "reason"]]
    return list(frame.itertuples(index=False, name=None))


def test_value_added_in_wan_yuan_becomes_yi_yuan_by_class():
    result = read_value_added(VALUE_ADDED, region="松江区")
    data = result.data
    assert list(data.columns) == list(ValueAddedTable.to_schema().columns)
    assert data["industry_code"].tolist() == ["3911", "3912", "3921", "0610"]
    assert data["value_added"].tolist()[:2] == [150.0, 50.0]  # 1,500,000 and 500,000 万元
    assert pd.isna(data.loc[2, "value_added"])  # — : missing, never 0
    assert data.loc[3, "value_added"] == 0.12345  # 1234.5 万元; the code 610 stored as a number
    assert data["year"].tolist() == [2023] * 4  # from the title 2023年松江区…
    assert data["region"].tolist() == ["310117"] * 4
    assert entries(result) == [
        (3, "行业代码", "a footnote or totals row, not a record: '合计'"),
        (4, "行业代码", "'39' is a division (大类) of GB/T 4754-2017, not a four-digit class"),
        (5, "行业代码", "'391' is a group (中类) of GB/T 4754-2017, not a four-digit class"),
        (10, "行业代码", "duplicate class 3911 in 2023 (row 6 is kept)"),
        (11, "增加值（万元）", "not a number: 'abc'"),
        (12, "行业代码", "a footnote or totals row, not a record: '注：规模以上工业企业口径。'"),
    ]
    assert result.reconciliation() == {
        "file": "value_added_district.xlsx",
        "rows_read": 10,
        "rows_kept": 4,
        "rows_quarantined": 6,
        "reconciles": True,
    }
    assert result.notes == [
        "columns not read: 比上年增长（%）",
        "value added: 增加值（万元） in 万元, converted to 亿元",
        "1 class(es) with value added missing (kept, empty: never 0)",
        "region given: 310117 (松江区), used for 4 row(s) the file places no more precisely",
    ]


def test_without_a_region_the_rows_are_kept_and_the_note_says_how_to_give_it():
    result = read_value_added(VALUE_ADDED)
    assert result.data["region"].isna().all() and len(result.data) == 4
    assert result.notes[-1] == (
        "4 row(s) with region unknown: no region column or address in the file names their "
        "region; give the region for the whole file with --region NAME (region= in "
        "read_value_added)"
    )


def test_year_and_region_columns_and_a_table_in_yi_yuan(tmp_path):
    lines = [
        "地区,年份,行业代码,行业名称,增加值（亿元）",
        "松江区,2022,3911,计算机整机制造,1.5",
        "310117,2023年,3911,计算机整机制造,1.75",
        "浦东新区,2023,3911,计算机整机制造,9",
        "松江区,23,3912,计算机零部件制造,1",
    ]
    result = read_value_added(write(tmp_path, lines))
    assert result.data[["region", "year", "value_added"]].values.tolist() == [
        ["310117", 2022, 1.5],
        ["310117", 2023, 1.75],
        ["310115", 2023, 9.0],
    ]
    assert entries(result) == [(5, "年份", "not a year: '23' (expected e.g. 2023)")]


def test_a_table_without_year_or_unit_is_refused_with_every_problem(tmp_path):
    path = write(tmp_path, ["行业代码,行业名称,增加值", "3911,计算机整机制造,1.5"])
    with pytest.raises(InputError) as error:
        read_value_added(path)
    assert str(error.value) == (
        "table.csv: the header row (row 1) cannot be read: (1) the value-added column '增加值' "
        "names no unit: write it 增加值（万元） or 增加值（亿元）; (2) no year: give it with year= "
        "(--year), or add a 年份 column. It holds: 行业代码, 行业名称, 增加值"
    )
    given = write(tmp_path, ["行业代码,行业名称,增加值（万元）", "3911,计算机整机制造,15000"])
    assert read_value_added(given, year=2024).data[["year", "value_added"]].values.tolist() == [
        [2024, 1.5]
    ]


def test_class_codes():
    out = industry_codes(pd.Series(["3911", "0610", "610", "7320*", "A", "0111", "6500", "x"]))
    assert out["code"].fillna("").tolist() == ["3911", "0610", "0610", "7320", "", "0111", "", ""]
    assert out["starred"].tolist() == [False, False, False, True, False, False, False, False]
    assert out["reason"].fillna("").tolist()[4:] == [
        "'A' is a section (门类) of GB/T 4754-2017, not a four-digit class",
        "",
        "'6500' is not a four-digit class of GB/T 4754-2017 (expected a division 01-97, a group "
        "digit 1-9 and a class digit)",
        "'x' is not a four-digit class of GB/T 4754-2017 (expected a division 01-97, a group "
        "digit 1-9 and a class digit)",
    ]


def test_the_seven_categories_ship_with_their_source():
    categories = load_pii_categories()
    assert categories[["category_code", "name_zh"]].values.tolist() == [
        ["01", "信息通信技术制造业"],
        ["02", "信息通信技术服务业"],
        ["03", "新装备制造业"],
        ["04", "新材料制造业"],
        ["05", "医药医疗产业"],
        ["06", "环保产业"],
        ["07", "研发、设计和技术服务业"],
    ]
    assert categories.sort_values("release_order")["category_code"].tolist() == [
        "01",
        "03",
        "04",
        "05",
        "06",
        "02",
        "07",
    ]
    notes = (paths.REFERENCE_DIR / "pii_categories.csv").read_text(encoding="utf-8")
    assert "国家统计局令第25号" in notes and "were not found" in notes


def test_the_template_is_read_and_its_examples_are_quarantined(tmp_path):
    template = paths.REFERENCE_DIR / "pii_classification_template.csv"
    notes = template.read_text(encoding="utf-8")
    assert "The 31 group names and the 188 classes are NOT shipped" in notes
    result = read_pii_classification(template)
    assert result.data.empty
    assert result.reconciliation()["rows_read"] == 5
    assert set(result.quarantine["reason"]) == {
        "an example row of the template, not the official table: delete it (or set example to "
        "false)"
    }
    # the same rows without the example flag are read as an office's rows would be
    lines = [line for line in notes.splitlines() if not line.startswith("#")]
    lines = [line.rsplit(",", 1)[0] for line in lines]
    result = read_pii_classification(write(tmp_path, lines, "mapping.csv"))
    assert result.data[["category_code", "industry_code", "partial"]].values.tolist() == [
        ["01", "3921", False],
        ["01", "3911", True],
        ["02", "6513", False],
        ["05", "2710", False],
        ["07", "7320", False],
    ]


def test_an_office_mapping_is_validated():
    result = read_pii_classification(FIXTURES / "pii_mapping.csv")
    data = result.data
    assert list(data.columns) == list(PiiClassification.to_schema().columns)
    assert data[["category_code", "category_name", "industry_code", "partial"]].values.tolist() == [
        ["01", "信息通信技术制造业", "3921", False],
        ["01", "信息通信技术制造业", "3911", True],  # category 1; 3911* is partial
        ["03", "新装备制造业", "3411", True],
    ]
    assert entries(result) == [
        (5, "大类代码", "unknown category '08' (expected 01-07, see reference/pii_categories.csv)"),
        (
            6,
            "国民经济行业代码",
            "'27' is a division (大类) of GB/T 4754-2017, not a four-digit class",
        ),
        (7, "大类名称", "category 02 is 信息通信技术服务业, not '新材料制造业'"),
        (8, "国民经济行业代码", "duplicate class 3921 in category 01 (row 2 is kept)"),
    ]
    assert result.reconciliation()["reconciles"]


def test_a_mapping_without_class_column_is_refused(tmp_path):
    path = write(tmp_path, ["大类代码,中类名称", "01,x"])
    with pytest.raises(InputError) as error:
        read_pii_classification(path)
    assert str(error.value) == (
        "table.csv: the header row (row 1) cannot be read: (1) no class column: expected "
        "国民经济行业代码 (GB/T 4754-2017 four-digit class). It holds: 大类代码, 中类名称"
    )
