"""PCT application lists: the office-list fixture (real header names, MADE-UP rows, see
tests/fixtures/records/SOURCE.md) and bad inputs built here, each with its exact result."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipanalysis.clean.records import pct_numbers, read_pct_list
from ipanalysis.errors import InputError
from ipanalysis.schemas import PctList, PctTable

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
OFFICE_LIST = FIXTURES / "pct_office_list.xlsx"
HEADER = "国际申请号,国际申请日,受理局,申请人,申请人地址"


def write(tmp_path: Path, lines: list[str], name: str = "pct.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def entries(result) -> list[tuple]:
    return list(
        result.quarantine[["raw_row", "column", "reason"]].itertuples(index=False, name=None)
    )


def test_the_office_list_is_read_into_the_canonical_table():
    result = read_pct_list(OFFICE_LIST)
    assert result.reconciliation() == {
        "file": "pct_office_list.xlsx",
        "rows_read": 11,
        "rows_kept": 6,
        "rows_quarantined": 5,
        "reconciles": True,
    }
    data = result.data
    assert list(data.columns) == list(PctList.to_schema().columns)
    assert data["application_number"].tolist() == [
        "PCT/CN2024/080001",
        "PCT/CN2024/080002",  # written pct/cn2024/080002
        "PCT/CN2024/080003",  # written in full-width characters
        "PCT/IB2024/050004",
        "PCT/CN2024/080005",
        "PCT/CN2024/080010",
    ]
    assert data["filing_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-05",  # an Excel date cell
        "2024-06-07",  # the Excel serial number 45450
        "2024-07-01",  # 2024年7月1日
        "2024-08-15",  # 15.08.2024
        "2024-09-10",
        "2024-12-02",
    ]
    assert data["receiving_office"].tolist() == ["CN", "CN", "CN", "IB", "CN", "CN"]
    assert data.loc[0, ["applicants", "applicant", "address"]].tolist() == [
        "上海甲科技有限公司;上海乙大学",
        "上海甲科技有限公司",
        "上海市松江区九亭镇涞寅路1号",
    ]
    assert data["region"].tolist()[:4] == ["310117", "310117", "310115", "310117"]
    assert pd.isna(data.loc[4, "region"]) and data.loc[5, "region"] == "US"
    assert data["domestic"].tolist() == [True, True, True, True, pd.NA, False]
    assert data["raw_row"].tolist() == [3, 4, 5, 6, 7, 12]
    assert data["source_file"].unique().tolist() == ["pct_office_list.xlsx"]


def test_each_bad_row_of_the_office_list_is_quarantined_with_its_reason():
    result = read_pct_list(OFFICE_LIST)
    assert entries(result) == [
        (
            8,
            "国际申请号",
            "not a PCT international application number: 'CN202480012345.6' (expected e.g. "
            "PCT/CN2024/123456)",
        ),
        (
            9,
            "国际申请号",
            "duplicate international application number PCT/CN2024/080001 (row 3 is kept)",
        ),
        (10, "国际申请日", "impossible date '2024-02-30'"),
        (
            11,
            "受理局",
            "receiving office 'IB' differs from the one in the number (CN): the number names the "
            "office that received the application",
        ),
        (13, "序号", "a footnote or totals row, not a record: '合计'"),
    ]
    assert set(result.quarantine["sheet"]) == {"PCT国际申请"}
    assert result.quarantine.loc[0, "record"] == (
        '{"序号": "6", "国际申请号": "CN202480012345.6", "国际申请日": "2024-10-01", "受理局": "CN", '
        '"申请人": "上海庚有限公司", "申请人地址": "上海市松江区"}'
    )
    assert result.notes == [
        "columns not read: 序号",
        "1 row(s) with region unknown: no region column or address in the file names their "
        "region; give the region for the whole file with --region NAME (region= in read_pct_list)",
    ]


def test_region_given_for_the_file_places_only_the_rows_it_does_not_place():
    result = read_pct_list(OFFICE_LIST, region="松江区")
    assert result.data["region"].tolist() == [
        "310117",
        "310117",
        "310115",
        "310117",
        "310117",
        "US",
    ]
    assert result.data["domestic"].tolist() == [True, True, True, True, True, False]
    assert result.notes == [
        "columns not read: 序号",
        "region given: 310117 (松江区), used for 1 row(s) the file places no more precisely",
    ]


def test_a_region_given_inside_the_address_unit_refines_it(tmp_path):
    path = write(tmp_path, [HEADER, "PCT/CN2024/000001,2024-05-06,CN,甲公司,上海市"])
    assert read_pct_list(path).data["region"].tolist() == ["310000"]
    assert read_pct_list(path, region="310117").data["region"].tolist() == ["310117"]
    assert read_pct_list(path, region="浦东新区").data["region"].tolist() == ["310115"]


def test_the_canonical_table_serves_the_flow_counts():
    data = read_pct_list(OFFICE_LIST, region="松江区").data
    PctTable.validate(data[list(PctTable.to_schema().columns)])


def test_numbers_and_reasons():
    out = pct_numbers(
        pd.Series(
            ["PCT/CN2024/123456", "PCT / CN 2024 / 123456", "PCT/US99/12345", "WO2024123456A1"]
        )
    )
    assert out["number"].tolist()[:3] == [
        "PCT/CN2024/123456",
        "PCT/CN2024/123456",
        "PCT/US99/12345",
    ]
    assert out["reason"].tolist()[3] == (
        "a WO publication number, not an international application number: 'WO2024123456A1' "
        "(expected e.g. PCT/CN2024/123456)"
    )


def test_a_gbk_list_with_bad_cells_keeps_the_good_rows(tmp_path):
    lines = [
        "2024年PCT申请",
        HEADER + ",地区",
        "PCT/CN2024/000001,2024/5/6,RO/CN,甲公司,,松江区",
        "PCT/CN2024/000002,05/06/2024,CN,乙公司,,松江区",
        "PCT/CN2024/000003,2099-01-01,CN,丙公司,,松江区",
        "PCT/CN2024/000004,2024-05-06,欧洲专利局,丁公司,,松江区",
        "PCT/CN2024/000005,,CN,戊公司,,松江区",
        "PCT/CN2024/000006,2024-05-06,CN,己公司,,火星区",
        ",2024-05-06,CN,庚公司,,松江区",
        ",,,,,",
    ]
    result = read_pct_list(write(tmp_path, lines, encoding="gbk"))
    assert result.data["application_number"].tolist() == ["PCT/CN2024/000001"]
    assert result.data["region"].tolist() == ["310117"]
    assert entries(result) == [
        (
            4,
            "国际申请日",
            "ambiguous date '05/06/2024': day and month cannot be told apart; write it as "
            "2024-06-05 or 2024-05-06",
        ),
        (5, "国际申请日", "date 2099-01-01 is after today"),
        (
            6,
            "受理局",
            "unknown receiving office '欧洲专利局' (expected e.g. CN, IB or 国家知识产权局)",
        ),
        (7, "国际申请日", "no international filing date (国际申请日)"),
        (8, "地区", "unknown region '火星区': give a name such as 松江区 or a code such as 310117"),
        (9, "国际申请号", "no international application number"),
    ]
    assert result.reconciliation()["rows_read"] == 7
    assert result.notes == ["encoding: GB18030", "1 blank row(s) skipped"]


def test_a_header_row_without_number_or_date_is_refused_with_every_problem(tmp_path):
    path = write(tmp_path, ["申请人,申请人地址,发明名称", "甲公司,上海市松江区,一种装置"])
    with pytest.raises(InputError) as error:
        read_pct_list(path)
    assert str(error.value) == (
        "pct.csv: the header row (row 1) cannot be read: (1) no international application number "
        "column: expected 国际申请号 (or PATENTSCOPE's Application Number); if the list names it "
        "otherwise, add its header to reference/record_columns.csv (list 'pct'); (2) no "
        "international filing date column: expected 国际申请日 (or PATENTSCOPE's Application "
        "Date). It holds: 申请人, 申请人地址, 发明名称"
    )


def test_a_file_without_a_header_row_is_refused(tmp_path):
    path = write(tmp_path, ["编号,日期", "1,2"])
    with pytest.raises(InputError) as error:
        read_pct_list(path)
    assert str(error.value) == (
        "pct.csv: no header row in the first 30 rows: expected a row with headers such as "
        "国际申请号, 国际申请日, 申请人, 申请人地址 (or PATENTSCOPE's Application Number, "
        "Application Date) (see reference/record_columns.csv, list 'pct'); the first row holds: "
        "编号, 日期"
    )


def test_an_unknown_region_option_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(InputError) as error:
        read_pct_list(OFFICE_LIST, region="火星区")
    assert str(error.value) == (
        "--region / region=: unknown region '火星区': give a name such as 松江区 or a code such as "
        "310117"
    )
    with pytest.raises(InputError) as error:
        read_pct_list(tmp_path / "none.xlsx")
    assert str(error.value) == "none.xlsx: no such file"
    with pytest.raises(InputError) as error:
        read_pct_list(write(tmp_path, [HEADER]))
    assert str(error.value) == "pct.csv: no data rows below the header (row 1)"
