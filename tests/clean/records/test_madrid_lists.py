"""Madrid application lists: the GBK office-list fixture (office headers, MADE-UP rows, see
tests/fixtures/records/SOURCE.md) and lists built here, each with its exact result."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipanalysis.clean.records import read_madrid_list, split_designations
from ipanalysis.errors import InputError
from ipanalysis.schemas import MadridList

LIST = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "madrid_office_list_gbk.csv"


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "madrid.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def entries(result) -> list[tuple]:
    frame = result.quarantine[["raw_row", "column", "reason"]]
    return list(frame.itertuples(index=False, name=None))


def test_a_gbk_list_of_registrations():
    result = read_madrid_list(LIST)
    data = result.data
    assert list(data.columns) == list(MadridList.to_schema().columns)
    assert data[["number", "number_kind", "date_kind", "region"]].values.tolist()[:3] == [
        ["1780001", "registration", "registration", "310117"],
        ["1780002", "registration", "registration", "310117"],
        ["1780003", "registration", "registration", "310112"],  # written 1 780 003
    ]
    assert data["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-15",
        "2024-03-08",
        "2024-04-09",
        "2024-06-30",
    ]
    assert data["designations"].tolist() == [
        "美国;日本;欧盟",
        "US;JP;KR",
        "俄罗斯;哈萨克斯坦",
        "新加坡",
    ]
    assert entries(result) == [
        (
            5,
            "国际注册号",
            "not an international registration number: '178000A' (expected 6 or 7 digits, e.g. "
            "1234567)",
        ),
        (6, "国际注册号", "duplicate registration number 1780001 (row 2 is kept)"),
        (7, "注册日期", "no date: the row gives neither a filing nor a registration date"),
    ]
    assert data.attrs["date"] == "international registration date"
    assert result.notes[:3] == [
        "encoding: GB18030",
        "columns not read: 序号",
        "date: the international registration date (the list gives no filing date)",
    ]


def test_the_application_number_and_filing_date_come_first(tmp_path):
    lines = [
        "申请号,申请日期,国际注册号,注册日期,申请人,地址,指定缔约方",
        "M2024-001,2024-02-01,1780011,2024-05-01,甲公司；乙公司,上海市松江区,US; EM",
        ",,1780012,2024-06-01,丙公司,上海市松江区,JP",
        "M2024-003,2024-03-01,,,丁公司,上海市松江区,KR",
    ]
    result = read_madrid_list(write(tmp_path, lines))
    assert result.data[["number", "number_kind", "date_kind", "registration_number"]].fillna(
        ""
    ).values.tolist() == [
        ["M2024-001", "application", "filing", "1780011"],
        ["1780012", "registration", "registration", "1780012"],
        ["M2024-003", "application", "filing", ""],
    ]
    assert result.data.loc[0, ["applicants", "applicant"]].tolist() == ["甲公司;乙公司", "甲公司"]
    assert result.data.attrs["date"] == "filing date, else international registration date"
    assert (
        "date: the filing date; 1 row(s) without one have their registration date" in result.notes
    )


def test_a_list_without_number_or_date_is_refused(tmp_path):
    with pytest.raises(InputError) as error:
        read_madrid_list(write(tmp_path, ["申请人,地址,指定国家", "甲公司,上海市松江区,美国"]))
    assert str(error.value) == (
        "madrid.csv: the header row (row 1) cannot be read: (1) no number column: expected 申请号 "
        "(application number) or 国际注册号 (international registration number); if the list "
        "names it otherwise, add its header to reference/record_columns.csv (list 'madrid'); (2) "
        "no date column: expected 申请日期 (filing date) or 注册日期 (registration date). It holds: "
        "申请人, 地址, 指定国家"
    )


def test_designations():
    assert split_designations(
        pd.Series(["美国，日本\n欧盟", "us jp", "United States of America"])
    ).tolist() == ["美国;日本;欧盟", "US;JP", "United States of America"]
