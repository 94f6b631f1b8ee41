"""Bad patent exports: each gives one whole, specific error or exact quarantine entries.

Rows are MADE UP in the shape of the real 61-column export (its header names, its value formats);
the base rows are the first two of the real export, trimmed to the columns used here.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ipanalysis.clean.patents import read_patent_export
from ipanalysis.errors import InputError

AS_OF = "2025-12-31"
FIXTURE_61 = Path(__file__).resolve().parents[1] / "fixtures" / "patents" / "cn_export_10rows.csv"
HEADER = [
    "申请号",
    "申请日",
    "授权公告日",
    "专利类型",
    "法律状态",
    "国省代码",
    "申请人地址",
    "失效日期",
    "许可次数",
]
ADDRESS = "450000河南省郑州市郑东新区中道东路6号创意岛大厦8层"
FIRST = {
    "申请号": "CN202223220665.2",
    "申请日": "20221202",
    "授权公告日": "20230328",
    "专利类型": "实用新型",
    "法律状态": "有权-审定授权",
    "国省代码": "河南(41)",
    "申请人地址": ADDRESS,
    "失效日期": "0",
    "许可次数": "0",
}
SECOND = {
    **FIRST,
    "申请号": "CN202122975192.6",
    "申请日": "20211130",
    "授权公告日": "20220617",
}
HEADER_TEXT = ", ".join(HEADER)


def write_csv(
    path: Path,
    rows: list[dict],
    header: list[str] = HEADER,
    encoding: str = "utf-8",
    title: str | None = None,
) -> Path:
    lines = [] if title is None else [title]
    lines.append(",".join(header))
    lines += [",".join(str(row.get(h, "")) for h in header) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def error_of(path: Path, **options) -> str:
    with pytest.raises(InputError) as error:
        read_patent_export(path, as_of=AS_OF, **options)
    return str(error.value)


def entries(result) -> list[dict]:
    """Quarantine entries without the record column, as plain dicts."""
    return result.quarantine.drop(columns="record").to_dict("records")


def quarantined(tmp_path: Path, changes: dict, name: str = "bad.csv") -> tuple:
    """Read FIRST and SECOND with ``changes`` applied to SECOND (row 3); check the bookkeeping."""
    path = write_csv(tmp_path / name, [FIRST, {**SECOND, **changes}])
    result = read_patent_export(path, as_of=AS_OF)
    assert result.reconciliation()["reconciles"]
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 1, 1)
    assert result.data["application_number"].tolist() == ["CN202223220665.2"]
    return result, entries(result)


def entry(column: str, reason: str, row: int = 3, file: str = "bad.csv") -> dict:
    return {"raw_file": file, "sheet": None, "raw_row": row, "column": column, "reason": reason}


# --- whole-file errors ----------------------------------------------------------------------------


def test_missing_file(tmp_path):
    assert error_of(tmp_path / "nowhere.csv") == "nowhere.csv: no such file"


def test_a_folder(tmp_path):
    (tmp_path / "exports.csv").mkdir()
    assert error_of(tmp_path / "exports.csv") == "exports.csv: is a folder, not a patent export"


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert error_of(path) == "report.pdf: expected a .csv, .xlsx or .xls file, found '.pdf'"


@pytest.mark.parametrize("content", [b"", b"  \r\n\n", "\ufeff".encode()])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert error_of(path) == "empty.csv: the file is empty"


def test_header_only(tmp_path):
    path = write_csv(tmp_path / "header_only.csv", [])
    assert error_of(path) == "header_only.csv: no data rows below the header (row 1)"


def test_header_and_blank_rows_only(tmp_path):
    path = write_csv(tmp_path / "blank_rows.csv", [{}, {}])
    assert error_of(path) == "blank_rows.csv: no data rows below the header (row 1)"


def test_header_missing_the_application_number(tmp_path):
    header = [h for h in HEADER if h != "申请号"]
    path = write_csv(tmp_path / "no_number.csv", [FIRST], header=header)
    assert error_of(path) == (
        "no_number.csv: the header row (row 1) cannot be read: (1) no column keys the records: "
        "expected 申请号 (application number) or 公开（公告）号 (publication number); if the export "
        "names them otherwise, add its headers to reference/patent_columns.csv, or name the "
        "platform with --platform. It holds: 申请日, 授权公告日, 专利类型, 法律状态, 国省代码, "
        "申请人地址, 失效日期, 许可次数"
    )


def test_header_missing_number_and_filing_date_in_a_sheet(tmp_path):
    path = tmp_path / "list.xlsx"
    pd.DataFrame({"专利名称": ["一种无人机"], "法律状态": ["有权"]}).to_excel(
        path, sheet_name="专利", index=False
    )
    assert error_of(path) == (
        "list.xlsx, sheet '专利': the header row (row 1) cannot be read: (1) no column keys the "
        "records: expected 申请号 (application number) or 公开（公告）号 (publication number); if "
        "the export names them otherwise, add its headers to reference/patent_columns.csv, or "
        "name the platform with --platform. It holds: 专利名称, 法律状态"
    )


def test_every_header_problem_in_one_message(tmp_path):
    # a CNKI export read as PatSnap's and with its key column renamed: two problems, one run
    path = tmp_path / "cnki.csv"
    path.write_text(
        "Title-题名,CountryName-国省名称,PubTime-公开日期,Applicant-申请人,Author-作者\n"
        "一种方法,广东省,2025/3/25,中山大学,邹滔滔\n",
        encoding="utf-8",
    )
    assert error_of(path, platform="patsnap") == (
        "cnki.csv: the header row (row 1) cannot be read: (1) no column keys the records: "
        "expected 申请号 (application number) or 公开（公告）号 (publication number); if the export "
        "names them otherwise, add its headers to reference/patent_columns.csv, or name the "
        "platform with --platform; (2) the headers are cnki's (5 known) more than patsnap's (0 "
        "known): give --platform cnki, or leave --platform out. It holds: Title-题名, "
        "CountryName-国省名称, PubTime-公开日期, Applicant-申请人, Author-作者"
    )


def test_a_list_of_applications_without_grant_dates_is_read(tmp_path):
    header = [h for h in HEADER if h not in ("授权公告日", "法律状态")]
    path = write_csv(tmp_path / "no_grant.csv", [FIRST, SECOND], header=header)
    result = read_patent_export(path, as_of=AS_OF)
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 2, 0)
    assert result.data["grant_known"].tolist() == [False, False]
    assert result.data["filing_year"].tolist() == [2022, 2021]
    assert result.notes[-1] == (
        "2 row(s) without a grant date source (a list of applications, or records of another "
        "office): stocks and high-value are undecidable for them"
    )


def test_no_region_source_keeps_the_rows_with_region_unknown(tmp_path):
    header = [h for h in HEADER if h not in ("国省代码", "申请人地址")]
    path = write_csv(tmp_path / "no_region.csv", [FIRST, SECOND], header=header)
    result = read_patent_export(path, as_of=AS_OF)
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 2, 0)
    assert result.data["region"].isna().all() and result.data["domestic"].isna().all()
    assert result.notes[-1] == (
        "2 row(s) with region unknown: the file does not tell the patentees' region; give it "
        "with --region NAME (region: in a sources.yml patents layout)"
    )
    given = read_patent_export(path, as_of=AS_OF, region="松江")
    assert given.data["region"].tolist() == ["310117", "310117"]
    assert given.data["domestic"].tolist() == [True, True]
    assert given.notes[-1] == "region given: 310117"


def test_an_unknown_region_option(tmp_path):
    path = write_csv(tmp_path / "export.csv", [FIRST])
    assert error_of(path, region="火星区") == (
        "--region / region=: unknown region '火星区': give a name such as 松江区 or a code such "
        "as 310117"
    )


def test_no_header_row(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("会议纪要,2025年\n议题,专利工作\n", encoding="utf-8")
    assert error_of(path) == (
        "notes.csv: no header row in the first 30 rows: expected a row with headers such as "
        "申请号, 申请日, 专利类型 (see reference/patent_columns.csv); the first row holds: "
        "会议纪要, 2025年"
    )


def test_binary_garbage_with_a_csv_name(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 8)
    assert error_of(path) == (
        "garbage.csv: not a CSV text file: it holds binary data (expected UTF-8 or GBK text)"
    )


def test_bytes_that_are_no_known_text_encoding(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"\x80\x80 ,\xff\xff\n")
    assert error_of(path) == (
        "latin.csv: not a CSV text file: its bytes are neither UTF-8 nor GBK/GB18030 text"
    )


def test_a_workbook_with_a_csv_name(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame([FIRST]).to_excel(path.with_suffix(".xlsx"), index=False)
    path.write_bytes(path.with_suffix(".xlsx").read_bytes())
    assert error_of(path) == (
        "export.csv: this is an Excel workbook (.xlsx), not a CSV text file: give it an .xlsx name"
    )


def test_truncated_xlsx(tmp_path):
    whole = tmp_path / "whole.xlsx"
    pd.DataFrame([FIRST]).to_excel(whole, index=False)
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert error_of(path) == (
        "truncated.xlsx: not a readable Excel workbook: the file is damaged, truncated or not a "
        "spreadsheet"
    )


def test_a_sheet_whose_part_is_damaged(tmp_path):
    whole = tmp_path / "whole.xlsx"
    pd.DataFrame([FIRST]).to_excel(whole, sheet_name="专利列表", index=False)
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert error_of(path) == (
        "damaged.xlsx, sheet '专利列表': cannot read the sheet: the workbook is damaged or truncated"
    )


def test_wrong_sheet_name_lists_the_sheets(tmp_path):
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"检索式": ["申请人=中科大数据研究院"]}).to_excel(
            writer, sheet_name="检索式", index=False
        )
        pd.DataFrame([FIRST]).to_excel(writer, sheet_name="专利列表", index=False)
    assert error_of(path, sheet="专利") == (
        "export.xlsx: no sheet named '专利': the workbook has '检索式', '专利列表'"
    )
    # without a sheet name the first sheet with a header row is read, and the note says which
    result = read_patent_export(path, as_of=AS_OF)
    assert result.notes == ["platform: cn_export_61", "sheet: 专利列表"]
    assert result.data["application_number"].tolist() == ["CN202223220665.2"]


def test_no_sheet_has_a_header_row(tmp_path):
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"检索式": ["申请人=某公司"]}).to_excel(
            writer, sheet_name="检索式", index=False
        )
        pd.DataFrame({"说明": ["无结果"]}).to_excel(writer, sheet_name="结果", index=False)
    assert error_of(path) == (
        "export.xlsx: no sheet has a header row with 申请号, 申请日 … in its first 30 rows: the "
        "workbook has '检索式', '结果'"
    )


def test_a_csv_has_no_sheets(tmp_path):
    path = write_csv(tmp_path / "export.csv", [FIRST])
    assert error_of(path, sheet="Sheet1") == (
        "export.csv: a CSV file has no sheets (asked for sheet 'Sheet1')"
    )


def test_a_row_with_more_fields_than_the_header(tmp_path):
    path = write_csv(tmp_path / "ragged.csv", [FIRST])
    with path.open("a", encoding="utf-8") as handle:
        handle.write(",".join([*SECOND.values(), "多余"]) + "\n")
    assert error_of(path) == "ragged.csv, row 3: 10 fields where the header has 9"


def test_an_unknown_platform(tmp_path):
    path = write_csv(tmp_path / "export.csv", [FIRST])
    assert error_of(path, platform="innojoy") == (
        "unknown platform 'innojoy': expected one of cnipa_pss, cn_export_61, cnipr, incopat, "
        "patsnap, cnki, generic, canonical (see reference/patent_columns.csv)"
    )


def test_a_reference_date_that_is_not_a_date(tmp_path):
    path = write_csv(tmp_path / "export.csv", [FIRST])
    with pytest.raises(InputError) as error:
        read_patent_export(path, as_of="yesterday")
    assert str(error.value) == "as_of must be a date like 2025-12-31, not 'yesterday'"


# --- rows quarantined -----------------------------------------------------------------------------


def test_duplicated_application_numbers_keep_the_first(tmp_path):
    # the same application written two ways: with the check digit, and without CN and the dot
    path = write_csv(
        tmp_path / "bad.csv", [FIRST, SECOND, {**FIRST, "申请号": "2022232206652"}, SECOND]
    )
    result = read_patent_export(path, as_of=AS_OF)
    assert result.reconciliation() == {
        "file": "bad.csv",
        "rows_read": 4,
        "rows_kept": 2,
        "rows_quarantined": 2,
        "reconciles": True,
    }
    assert result.data["raw_row"].tolist() == [2, 3]
    assert entries(result) == [
        entry("申请号", "duplicate application number CN202223220665.2 (row 2 is kept)", row=4),
        entry("申请号", "duplicate application number CN202122975192.6 (row 3 is kept)", row=5),
    ]
    assert json.loads(result.quarantine["record"].iloc[0]) == {
        **FIRST,
        "申请号": "2022232206652",
    }


def test_malformed_application_number(tmp_path):
    _, found = quarantined(tmp_path, {"申请号": "CN2021229751"})
    assert found == [
        entry(
            "申请号",
            "not an application number: 'CN2021229751' (expected e.g. CN202223220665.2)",
        )
    ]


def test_check_digit_that_does_not_match(tmp_path):
    _, found = quarantined(tmp_path, {"申请号": "CN202122975192.7"})
    assert found == [entry("申请号", "check digit '7' does not match 202122975192 (expected '6')")]


def test_missing_application_number(tmp_path):
    _, found = quarantined(tmp_path, {"申请号": ""})
    assert found == [
        entry("申请号", "no application number and no publication number to key the record on")
    ]


def test_impossible_date(tmp_path):
    _, found = quarantined(tmp_path, {"申请日": "2023-02-30"})
    assert found == [entry("申请日", "impossible date '2023-02-30'")]


def test_unreadable_date(tmp_path):
    _, found = quarantined(tmp_path, {"授权公告日": "2022年夏"})
    assert found == [
        entry(
            "授权公告日",
            "not a date: '2022年夏' (expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 "
            "or an Excel serial number)",
        )
    ]


def test_date_after_the_reference_date(tmp_path):
    _, found = quarantined(tmp_path, {"授权公告日": "20260301"})
    assert found == [entry("授权公告日", "date 2026-03-01 is after the reference date 2025-12-31")]


def test_date_before_the_patent_system(tmp_path):
    _, found = quarantined(tmp_path, {"申请日": "19841231", "申请号": "CN85200001.4"})
    assert found == [
        entry("申请日", "date 1984-12-31 is before China's patent system began (1985-04-01)"),
    ]


def test_missing_filing_date(tmp_path):
    _, found = quarantined(tmp_path, {"申请日": ""})
    assert found == [entry("申请日", "the filing date is missing")]


def test_grant_before_filing(tmp_path):
    _, found = quarantined(tmp_path, {"授权公告日": "20200101"})
    assert found == [
        entry("授权公告日", "grant date 2020-01-01 is before the filing date 2021-11-30")
    ]


def test_lapse_before_grant(tmp_path):
    _, found = quarantined(tmp_path, {"失效日期": "20220101", "法律状态": "无权-未缴年费终止"})
    assert found == [entry("失效日期", "lapse date 2022-01-01 is before the grant date 2022-06-17")]


def test_lapse_passed_while_the_status_says_in_force(tmp_path):
    _, found = quarantined(tmp_path, {"失效日期": "20240101"})
    assert found == [
        entry(
            "失效日期",
            "lapse date 2024-01-01 has passed, but the legal status '有权-审定授权' says the "
            "right is in force",
        )
    ]


def test_right_ended_without_a_lapse_date(tmp_path):
    _, found = quarantined(tmp_path, {"法律状态": "无权-未缴年费终止"})
    assert found == [
        entry(
            "法律状态",
            "the legal status '无权-未缴年费终止' says the right has ended, but the export gives "
            "no lapse date (失效日期)",
        )
    ]


def test_in_force_without_a_grant_date(tmp_path):
    _, found = quarantined(tmp_path, {"授权公告日": ""})
    assert found == [
        entry(
            "法律状态",
            "the legal status '有权-审定授权' says the right is in force, but the export gives "
            "no grant date",
        )
    ]


def test_unknown_patent_type(tmp_path):
    _, found = quarantined(tmp_path, {"专利类型": "专利"})
    assert found == [
        entry("专利类型", "unknown patent type '专利' (expected 发明, 实用新型 or 外观设计)")
    ]


def test_patent_type_that_contradicts_the_number(tmp_path):
    _, found = quarantined(tmp_path, {"专利类型": "发明授权"})
    assert found == [
        entry(
            "专利类型",
            "patent type '发明授权' contradicts the application number CN202122975192.6 "
            "(a 实用新型 number)",
        )
    ]


def test_negative_licence_count(tmp_path):
    _, found = quarantined(tmp_path, {"许可次数": "-1"})
    assert found == [entry("许可次数", "negative count '-1'")]


def test_count_that_is_not_a_whole_number(tmp_path):
    _, found = quarantined(tmp_path, {"许可次数": "1.5"})
    assert found == [entry("许可次数", "not a whole number: '1.5'")]


def test_unknown_province_code(tmp_path):
    _, found = quarantined(tmp_path, {"国省代码": "火星(99)"})
    assert found == [
        entry("国省代码", "unknown 国省代码 '火星(99)' (expected e.g. 河南(41) or US)")
    ]


def test_nothing_tells_whether_the_patentee_is_domestic(tmp_path):
    # kept with region and domestic unknown (never a guess), and counted in the notes
    path = write_csv(
        tmp_path / "bad.csv", [FIRST, {**SECOND, "国省代码": "", "申请人地址": "某某路1号"}]
    )
    result = read_patent_export(path, as_of=AS_OF)
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 2, 0)
    assert result.data["region"].tolist()[1] is np.nan or pd.isna(result.data["region"].iloc[1])
    assert result.data["domestic"].tolist() == [True, pd.NA]
    assert result.notes[-1].startswith("1 row(s) with region unknown")


def test_several_problems_in_one_row_are_each_listed(tmp_path):
    result, found = quarantined(
        tmp_path, {"申请日": "2023-02-30", "专利类型": "专利", "许可次数": "-2"}
    )
    assert found == [
        entry("专利类型", "unknown patent type '专利' (expected 发明, 实用新型 or 外观设计)"),
        entry("申请日", "impossible date '2023-02-30'"),
        entry("许可次数", "negative count '-2'"),
    ]
    assert result.rows_quarantined == 1


def test_every_row_quarantined_still_reconciles(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [{**FIRST, "申请日": "x"}, {**SECOND, "申请号": "?"}])
    result = read_patent_export(path, as_of=AS_OF)
    assert result.data.empty
    assert result.reconciliation()["reconciles"]
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 0, 2)


# --- messy but readable ---------------------------------------------------------------------------


def test_gbk_file_with_a_title_line_and_blank_rows(tmp_path):
    path = write_csv(
        tmp_path / "gbk.csv",
        [FIRST, {}, SECOND],
        encoding="gbk",
        title="专利检索结果,导出日期：2025-07-21",
    )
    result = read_patent_export(path, as_of=AS_OF)
    assert result.notes == [
        "platform: cn_export_61",
        "encoding: gb18030",
        "1 blank row(s) skipped",
    ]
    assert result.data[["application_number", "raw_row"]].values.tolist() == [
        ["CN202223220665.2", 3],
        ["CN202122975192.6", 5],
    ]
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 2, 0)


def test_excel_serial_dates_and_numbers(tmp_path):
    path = tmp_path / "serials.xlsx"
    frame = pd.DataFrame(
        [
            {
                **FIRST,
                "申请日": 44897,
                "授权公告日": 45013,
                "许可次数": 0,
            },  # 2022-12-02, 2023-03-28
            {**SECOND, "申请日": 20211130, "授权公告日": "2022-06-17", "许可次数": 2},
        ]
    )
    frame.to_excel(path, index=False)
    result = read_patent_export(path, as_of=AS_OF)
    assert result.quarantine.empty
    dates = result.data[["filing_date", "grant_date"]].apply(lambda c: c.dt.strftime("%Y-%m-%d"))
    assert dates.values.tolist() == [["2022-12-02", "2023-03-28"], ["2021-11-30", "2022-06-17"]]
    assert result.data["licence_count"].tolist() == [0, 2]


def test_utf16_tab_separated_text(tmp_path):
    path = tmp_path / "unicode.txt"
    lines = ["\t".join(HEADER), "\t".join(FIRST.values())]
    path.write_bytes("\n".join(lines).encode("utf-16"))
    result = read_patent_export(path, as_of=AS_OF)
    assert result.notes == ["platform: cn_export_61", "encoding: utf-16"]
    assert result.data["application_number"].tolist() == ["CN202223220665.2"]


def test_unknown_headers_are_noted_not_fatal(tmp_path):
    header = [*HEADER, "备注"]
    path = write_csv(tmp_path / "extra.csv", [{**FIRST, "备注": "重点专利"}], header=header)
    result = read_patent_export(path, as_of=AS_OF)
    assert result.notes == ["platform: cn_export_61", "columns not read: 备注"]
    assert result.rows_kept == 1


# --- issue 12: what offices really receive --------------------------------------------------------


def test_a_real_export_truncated_mid_row(tmp_path):
    # the real 10-row export cut inside its last row: nine rows kept, the cut one quarantined
    text = FIXTURE_61.read_text(encoding="utf-8")
    cut = text[: text.rindex("\n", 0, len(text) - 1) + 60]
    path = tmp_path / "cut.csv"
    path.write_text(cut, encoding="utf-8")
    result = read_patent_export(path, as_of=AS_OF)
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (10, 9, 1)
    assert entries(result)[0]["raw_row"] == 11
    assert entries(result)[0]["reason"].startswith("the row is cut short: ")
    assert entries(result)[0]["reason"].endswith(
        " of 61 fields (the file ends inside it; export it again)"
    )


def test_a_header_row_repeated_mid_file(tmp_path):
    path = write_csv(
        tmp_path / "pages.csv", [FIRST, dict(zip(HEADER, HEADER, strict=True)), SECOND]
    )
    result = read_patent_export(path, as_of=AS_OF)
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (3, 2, 1)
    assert entries(result) == [
        entry(
            "申请号",
            "the header row repeated: a row of headers, not a record",
            row=3,
            file="pages.csv",
        )
    ]


def test_an_export_with_two_header_rows(tmp_path):
    # a group row (著录项目 …) above the real header: the row with the known headers is the header
    path = write_csv(
        tmp_path / "two.csv",
        [FIRST, SECOND],
        title=",".join(["著录项目"] * 4 + ["法律信息"] * 2 + ["申请人信息"] * 3),
    )
    result = read_patent_export(path, as_of=AS_OF)
    assert result.data["raw_row"].tolist() == [3, 4]
    assert result.rows_kept == 2


def test_merged_cells_across_the_header(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["专利检索结果"] + [None] * (len(HEADER) - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    sheet.append([FIRST[h] for h in HEADER])
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = read_patent_export(path, as_of=AS_OF)
    assert result.data[["application_number", "raw_row"]].values.tolist() == [
        ["CN202223220665.2", 3]
    ]


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("44917", "2022-12-22"),  # an Excel serial number
        ("2022.12.02", "2022-12-02"),
        ("2022年12月2日", "2022-12-02"),
        ("２０２２．１２．０２", "2022-12-02"),
    ],
)
def test_dates_as_excel_serials_and_chinese_forms(tmp_path, written, date):
    path = write_csv(tmp_path / "dates.csv", [{**FIRST, "申请日": written}])
    result = read_patent_export(path, as_of=AS_OF)
    assert result.data["filing_date"].dt.strftime("%Y-%m-%d").tolist() == [date]


@pytest.mark.parametrize(
    ("written", "ipc"),
    [
        ("G06F 17/30", "G06F17/30"),
        ("G06F0017300000", "G06F17/30"),
        ("G06F 17/30;H04L 9/40", "G06F17/30;H04L9/40"),
    ],
)
def test_ipc_with_and_without_spaces(written, ipc):
    from ipanalysis.clean.patents import split_ipc

    assert split_ipc(pd.DataFrame({"ipc": [written]}))["ipc"].tolist() == [ipc]


def test_full_width_semicolons_between_applicants(tmp_path):
    header = [*HEADER, "申请人"]
    path = write_csv(
        tmp_path / "applicants.csv",
        [{**FIRST, "申请人": "中科大数据研究院；郑州大学； 河南大学"}],
        header,
    )
    result = read_patent_export(path, as_of=AS_OF)
    row = result.data.iloc[0]
    assert (row["applicants"], row["applicant_count"], row["patentee"]) == (
        "中科大数据研究院;郑州大学;河南大学",
        3,
        "中科大数据研究院",
    )


def test_a_region_column_that_is_not_a_region_is_quarantined(tmp_path):
    header = [*HEADER, "区县"]
    path = write_csv(tmp_path / "bad.csv", [FIRST, {**SECOND, "区县": "火星区"}], header)
    result = read_patent_export(path, as_of=AS_OF)
    assert entries(result) == [
        entry("区县", "unknown region '火星区' (not in the region reference)")
    ]


def test_a_historical_district_in_an_address_is_its_successor(tmp_path):
    path = write_csv(
        tmp_path / "old.csv",
        [{**FIRST, "国省代码": "上海(31)", "申请人地址": "上海市闸北区共和新路"}],
    )
    row = read_patent_export(path, as_of=AS_OF).data.iloc[0]
    assert (row["region"], row["address_code"], row["county_code"]) == (
        "310106",
        "310108",
        "310106",
    )


def test_a_foreign_address_marks_the_patentee_foreign(tmp_path):
    path = write_csv(
        tmp_path / "abroad.csv",
        [{**FIRST, "国省代码": "", "申请人地址": "澳大利亚新南威尔士州悉尼"}],
    )
    row = read_patent_export(path, as_of=AS_OF).data.iloc[0]
    assert (row["region"], row["country"], row["domestic"]) == ("AU", "AU", False)


def test_a_publication_number_keys_a_record_without_application_number(tmp_path):
    header = [h for h in HEADER if h != "申请号"] + ["公开（公告）号"]
    path = write_csv(
        tmp_path / "pub.csv",
        [{**FIRST, "公开（公告）号": "CN218751475U"}, {**SECOND, "公开（公告）号": "CN218751475U"}],
        header,
    )
    result = read_patent_export(path, as_of=AS_OF)
    assert result.data["application_key"].tolist() == ["CN218751475U"]
    assert entries(result) == [
        entry(
            "公开（公告）号",
            "duplicate publication number CN218751475U (row 2 is kept)",
            row=3,
            file="pub.csv",
        )
    ]


# --- large files read in blocks -------------------------------------------------------------------


def numbered(i: int) -> str:
    """A valid application number (utility model, 2021) with serial ``i``."""
    digits = f"20212{i:07d}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return f"CN{digits}.{'X' if remainder == 10 else remainder}"


def test_a_duplicate_far_from_its_first_row_in_another_block(tmp_path, monkeypatch):
    from ipanalysis.clean.patents import files

    monkeypatch.setattr(files, "BLOCK_BYTES", 4096)  # about 30 rows a block
    rows = [{**FIRST, "申请号": numbered(i)} for i in range(400)]
    rows.append({**FIRST, "申请号": numbered(7)})  # row 402 repeats row 9
    result = read_patent_export(write_csv(tmp_path / "big.csv", rows), as_of=AS_OF)
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (401, 400, 1)
    assert entries(result) == [
        entry(
            "申请号",
            f"duplicate application number {numbered(7)} (row 9 is kept)",
            row=402,
            file="big.csv",
        )
    ]


def test_a_duplicate_of_a_quarantined_row_is_kept(tmp_path):
    # duplicates are compared among clean rows: the first is set aside for its date, so the
    # second is the record kept, and nothing is counted twice
    path = write_csv(tmp_path / "bad.csv", [{**FIRST, "申请日": "soon"}, FIRST])
    result = read_patent_export(path, as_of=AS_OF)
    assert result.data["raw_row"].tolist() == [3]
    assert entries(result) == [
        entry(
            "申请日",
            "not a date: 'soon' (expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 or "
            "an Excel serial number)",
            row=2,
        )
    ]


def test_a_row_of_spaces_and_tabs_is_blank_not_a_record(tmp_path):
    path = tmp_path / "spaces.csv"
    lines = [",".join(HEADER), ",".join(FIRST[h] for h in HEADER), ",".join([" \t "] * 9)]
    lines.append(",".join(SECOND[h] for h in HEADER))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_patent_export(path, as_of=AS_OF)
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 2, 0)
    assert result.data["raw_row"].tolist() == [2, 4]
    assert result.notes == ["platform: cn_export_61", "1 blank row(s) skipped"]


def test_one_unreadable_date_in_a_list_of_pledge_dates(tmp_path):
    header = [*HEADER, "质押日期"]
    path = write_csv(
        tmp_path / "bad.csv", [FIRST, {**SECOND, "质押日期": "20230101;sometime"}], header=header
    )
    result = read_patent_export(path, as_of=AS_OF)
    assert entries(result) == [
        entry(
            "质押日期",
            "not a date: 'sometime' (expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 "
            "or an Excel serial number)",
        )
    ]


def test_a_legal_status_the_table_does_not_know_is_kept_as_unknown_and_said(tmp_path):
    path = write_csv(tmp_path / "status.csv", [FIRST, {**SECOND, "法律状态": "待定"}])
    result = read_patent_export(path, as_of=AS_OF)
    assert result.data["legal_status"].tolist() == ["in_force", "unknown"]
    assert result.notes == ["platform: cn_export_61", "legal status not recognised: 待定"]
    assert result.quarantine.empty
