"""Bad inputs to read_table: each gives one specific, located error or an exact quarantine entry,
never a traceback from deep inside a library and never a silent wrong number."""

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ipanalysis.clean.tables import read_table
from ipanalysis.errors import InputError

GOOD_CSV = "2023年各区专利授权量\n地区,发明(件)\n全市,3\n松江区,1\n青浦区,2\n"


def write_xlsx(path: Path, rows: list[list], sheets=("Sheet1",)) -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                book.active.cell(r, c, value)
    book.save(path)
    return path


def error_of(path: Path, **options) -> str:
    with pytest.raises(InputError) as err:
        read_table(path, **options)
    return str(err.value)


def csv_file(tmp_path: Path, text: str, name: str = "t.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- files that hold no table at all ---------------------------------------------------------


def test_a_file_that_does_not_exist(tmp_path):
    assert error_of(tmp_path / "nope.xlsx") == "nope.xlsx: file not found"


def test_a_folder(tmp_path):
    (tmp_path / "release").mkdir()
    assert error_of(tmp_path / "release") == "release: a folder, not a file"


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.xls"])
def test_an_empty_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    assert error_of(tmp_path / name) == f"{name}: the file is empty (0 bytes)"


def test_a_csv_of_blank_lines_and_commas(tmp_path):
    path = csv_file(tmp_path, "\n,,,\n \n")
    assert error_of(path) == "t.csv: the file is empty"


def test_an_empty_sheet(tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", [])
    assert error_of(path) == "e.xlsx, sheet 'Sheet1': the sheet is empty"


def test_a_wrong_sheet_name_lists_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "w.xlsx", [], sheets=("表3", "表4"))
    assert error_of(path, sheet="表9") == "w.xlsx: no sheet '表9': the workbook has '表3', '表4'"
    assert error_of(path, sheet=5) == "w.xlsx: no sheet '5': the workbook has '表3', '表4'"


def test_a_sheet_asked_of_a_csv(tmp_path):
    path = csv_file(tmp_path, GOOD_CSV)
    assert error_of(path, sheet="表1") == "t.csv: a CSV file has no sheets (asked for sheet '表1')"


def test_a_truncated_xlsx(tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", [["地区", "发明"], ["松江区", 1]]).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert error_of(path) == (
        "cut.xlsx: the workbook is damaged or truncated (its ZIP container cannot be opened); "
        "save it again from Excel"
    )


def test_an_xlsx_with_a_damaged_sheet(tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", [["地区", "发明"], ["松江区", 1]])
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[: len(data) // 2] if "worksheets" in name else data)
    assert error_of(path) == (
        "broken.xlsx: the workbook cannot be read (ParseError); save it again from Excel"
    )


def test_binary_garbage_with_a_csv_name(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(bytes(range(256)) * 4)
    assert error_of(path) == (
        "g.csv: binary content (NUL bytes), not a text CSV: expected a CSV in UTF-8 or "
        "GBK/GB18030, or an Excel workbook"
    )


def test_a_word_document_renamed_to_xlsx(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    assert error_of(path) == (
        "report.xlsx: a Word document (.docx), not a spreadsheet: expected .xlsx, .xls or .csv"
    )


def test_a_pdf_renamed_to_xlsx(tmp_path):
    path = tmp_path / "release.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert error_of(path) == (
        "release.xlsx: a PDF document, not a spreadsheet: expected .xlsx, .xls or .csv"
    )


def test_an_html_page_saved_as_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>松江区</td></tr></table></body></html>")
    assert error_of(path) == (
        "export.xls: an HTML or XML page, not a spreadsheet (web systems often save one with an "
        ".xls name): open it in Excel and save it as .xlsx"
    )


def test_a_csv_renamed_to_xlsx(tmp_path):
    path = csv_file(tmp_path, GOOD_CSV, name="t.xlsx")
    assert error_of(path) == (
        "t.xlsx: not an Excel workbook despite its .xlsx name (the file holds no spreadsheet "
        "structure); if it is a CSV, give it a .csv name"
    )


def test_an_ole_file_that_is_no_workbook(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert error_of(path) == (
        "old.xls: the .xls workbook cannot be read (CompDocError); save it again from Excel"
    )


# --- encodings -------------------------------------------------------------------------------


def test_a_csv_in_an_undeclared_encoding_that_decodes_to_mojibake(tmp_path):
    path = csv_file(tmp_path, "地區,專利授權量(件)\n松江區,1\n青浦區,2\n", encoding="big5")
    assert error_of(path) == (
        "t.csv: the text looks garbled when read as GBK/GB18030 (5 of 9 Chinese characters are "
        "rare ones such as 盡舦秖猀獵): the file is in another encoding; name it with encoding= "
        "(--encoding), e.g. big5"
    )


def test_bytes_that_are_neither_utf8_nor_gb18030(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("地区,发明\n".encode() + b"\xff\xfe\xfd,1\n")
    assert error_of(path) == (
        "t.csv: not text in UTF-8 or GBK/GB18030 (byte 0xff at position 14); name the encoding "
        "with encoding= (--encoding) if it is another one"
    )


def test_a_declared_encoding_that_does_not_fit(tmp_path):
    path = csv_file(tmp_path, GOOD_CSV, encoding="gbk")
    assert error_of(path, encoding="utf-8") == (
        "t.csv: cannot be decoded as utf-8 (byte 0xc4 at position 4)"
    )
    assert error_of(path, encoding="klingon") == "t.csv: unknown encoding 'klingon'"


# --- tables that cannot be read faithfully ------------------------------------------------------


def test_a_header_with_no_region_column(tmp_path):
    path = csv_file(tmp_path, "类别,2023\n专利授权量,12\n有效发明专利,30\n")
    assert error_of(path) == (
        "t.csv: no region column: no column holds region names such as 松江区, 上海市 or 310117 "
        "(first cells: A '类别', B '2023')"
    )


def test_one_regions_measures_without_a_region_line(tmp_path):
    path = csv_file(tmp_path, "指标,2023\n专利授权量,12\n有效发明专利,30\n")
    assert error_of(path) == (
        "t.csv: no region: the table lists measures (column A '指标') for one region but names "
        "none (no 地区： line); give it with region= (--region)"
    )


def test_regions_without_a_header(tmp_path):
    path = csv_file(tmp_path, "松江区,1\n青浦区,2\n")
    assert error_of(path) == (
        "t.csv: no header row above the first data row (row 1): expected the names of the "
        "measures above the figures"
    )


def test_regions_with_nothing_beside_them(tmp_path):
    path = csv_file(tmp_path, "地区\n松江区\n青浦区\n")
    assert error_of(path) == (
        "t.csv, column 'A': no data row: no row holds a region name with a figure beside it"
    )


def test_regions_with_only_text_beside_them(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,备注说明\n松江区,新城\n青浦区,示范区\n")
    assert error_of(path) == (
        "t.csv: no column of figures beside the region column '地区' (column A)"
    )


def test_a_table_whose_every_region_is_unknown_is_refused_naming_them(tmp_path):
    rows = [["2023年"], ["地区", "发明(件)"], ["火星区", 2], ["月球区", 3]]
    path = write_xlsx(tmp_path / "u.xlsx", rows, sheets=("表1",))
    assert error_of(path) == (
        "u.xlsx, sheet '表1', row 3, column '地区': unknown region '火星区': give a name such as "
        "松江区 or a code such as 310117; also unknown region '月球区' (row 4)"
    )


def test_an_unknown_region_sets_its_row_aside_and_keeps_the_rest(tmp_path):
    rows = [["2023年"], ["地区", "发明(件)"], ["松江区", 1], ["火星区", 2], ["月球区", 3]]
    result = read_table(write_xlsx(tmp_path / "u.xlsx", rows, sheets=("表1",)))
    assert result.data[["region", "value", "cell"]].values.tolist() == [["松江区", 1.0, "B3"]]
    hint = "give a name such as 松江区 or a code such as 310117"
    assert entries(result) == [
        [
            "u.xlsx",
            "表1",
            4,
            "地区",
            f"unknown region '火星区': {hint}",
            '{"A4": "火星区", "B4": "2"}',
        ],
        [
            "u.xlsx",
            "表1",
            5,
            "地区",
            f"unknown region '月球区': {hint}",
            '{"A5": "月球区", "B5": "3"}',
        ],
    ]
    assert result.reconciliation()["rows_read"] == 3 == result.rows_kept + result.rows_quarantined


def test_an_ambiguous_region_sets_its_row_aside_with_the_units_it_may_mean(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,发明(件)\n松江区,1\n朝阳区,2\n")
    result = read_table(path)
    assert entries(result) == [
        [
            "t.csv",
            None,
            4,
            "地区",
            "ambiguous region '朝阳区': it names 110105 (北京市), 220104 (吉林省长春市); write it "
            "with its city, e.g. 北京市朝阳区",
            '{"A4": "朝阳区", "B4": "2"}',
        ]
    ]


@pytest.mark.parametrize(
    "second", ["松江区", "松江", " 松 江 区", "310117", "Songjiang"], ids=lambda s: s.strip()
)
def test_a_region_listed_twice(tmp_path, second):
    path = csv_file(tmp_path, f"2023年\n地区,发明(件)\n松江区,1\n青浦区,2\n{second},3\n")
    assert error_of(path) == (
        "t.csv, row 5, column '地区': region 松江区 appears in rows 3 and 5: expected one row "
        "per region and period"
    )


def test_two_units_that_share_a_name_are_two_regions_not_a_repeat(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,发明(件)\n北京市朝阳区,1\n长春市朝阳区,2\n")
    result = read_table(path)
    assert result.data[["region", "region_code", "region_label"]].values.tolist() == [
        ["北京市朝阳区", "110105", "北京市朝阳区"],
        ["长春市朝阳区", "220104", "长春市朝阳区"],
    ]


def test_a_region_listed_twice_for_one_period(tmp_path):
    path = csv_file(tmp_path, "年份,地区,发明(件)\n2022,松江区,1\n2023,松江区,2\n2023年,松江,3\n")
    assert error_of(path) == (
        "t.csv, row 4, column '地区': region 松江区 appears in rows 3 and 4 for period 2023: "
        "expected one row per region and period"
    )


def test_mixed_units_in_one_column(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,质押金额\n松江区,1.2亿元\n青浦区,3500万元\n")
    assert error_of(path) == (
        "t.csv, column '质押金额': mixed units in one column: 亿元 (row 3) and 万元 (row 4); "
        "expected one unit per column"
    )


def test_a_cell_unit_that_contradicts_the_header(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,质押金额(万元)\n松江区,1.2亿元\n青浦区,3500\n")
    assert error_of(path) == (
        "t.csv, column '质押金额': mixed units in one column: 亿元 (row 3) and 万元 (row 4); "
        "expected one unit per column"
    )


def test_no_period_anywhere(tmp_path):
    path = csv_file(tmp_path, "地区,发明(件)\n松江区,1\n")
    assert error_of(path) == (
        "t.csv: no period: neither the title nor the header of column B names one year; give it "
        "with period= (--period)"
    )


def test_a_title_naming_two_years(tmp_path):
    path = csv_file(tmp_path, "2022年和2023年各区发明专利\n地区,发明(件)\n松江区,1\n")
    assert error_of(path) == (
        "t.csv: no period: neither the title nor the header of column B names one year (the "
        "title names 2022, 2023); give it with period= (--period)"
    )


def test_years_only_and_no_title(tmp_path):
    path = csv_file(tmp_path, "地区,2022,2023\n松江区,1,2\n")
    assert error_of(path) == (
        "t.csv: column B: the header names no measure, only a period, and there is no title to "
        "name one; give it with measure= (--measure)"
    )


def test_a_unit_that_nothing_converts_to(tmp_path):
    path = csv_file(tmp_path, GOOD_CSV)
    assert error_of(path, to_unit="亿元") == (
        "t.csv: no figure is in a unit that converts to 亿元 (units found: 件)"
    )


# --- single bad cells: quarantined, exactly ------------------------------------------------------


def entries(result) -> list[list]:
    columns = ["raw_file", "sheet", "raw_row", "column", "reason", "record"]
    return result.quarantine[columns].astype(object).values.tolist()


def test_non_numeric_values_are_quarantined(tmp_path):
    path = csv_file(
        tmp_path, "2023年\n地区,发明(件),人口(万人)\n松江区,abc,195.89\n青浦区,1,１２万\n"
    )
    result = read_table(path)
    assert entries(result) == [
        [
            "t.csv",
            None,
            3,
            "发明",
            "expected a number, found 'abc' (cell B3)",
            '{"region": "松江区", "cell": "B3", "value": "abc"}',
        ],
        [
            "t.csv",
            None,
            4,
            "人口",
            "expected a number, found '12万' (cell C4)",
            '{"region": "青浦区", "cell": "C4", "value": "１２万"}',
        ],
    ]
    assert result.data["cell"].tolist() == ["C3", "B4"]
    assert result.reconciliation()["reconciles"]


def test_negative_counts_are_quarantined_but_negative_growth_is_kept(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,发明(件),增长(%)\n松江区,-5,-3.2\n")
    result = read_table(path)
    assert entries(result) == [
        [
            "t.csv",
            None,
            3,
            "发明",
            "negative count -5 where a count in 件 is expected (cell B3)",
            '{"region": "松江区", "cell": "B3", "value": "-5"}',
        ]
    ]
    assert result.data[["measure", "value", "unit"]].values.tolist() == [["增长", -3.2, "%"]]


def test_a_row_none_of_whose_cells_is_a_figure_is_quarantined_whole(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,发明(件),实用新型(件)\n松江区,1,2\n青浦区,abc,x\n")
    result = read_table(path)
    assert [e[2:5] for e in entries(result)] == [
        [4, "发明", "expected a number, found 'abc' (cell B4)"],
        [4, "实用新型", "expected a number, found 'x' (cell C4)"],
    ]
    assert result.reconciliation() == {
        "file": "t.csv",
        "rows_read": 2,
        "rows_kept": 1,
        "rows_quarantined": 1,
        "reconciles": True,
    }


def test_totals_that_do_not_add_up_are_reported(tmp_path):
    path = csv_file(tmp_path, "2023年各区专利授权量\n地区,发明(件)\n全市,10\n松江区,1\n青浦区,2\n")
    result = read_table(path)
    assert result.totals_check.astype(object).values.tolist() == [
        ["2023", "发明", "件", "全市", "B3", 10.0, 3.0, 2, 0, 7.0, 1.5, "differs"]
    ]
    assert result.notes[-1] == (
        "totals check 发明 2023: the regions add up to 3 but 全市 (B3) states 10 (difference 7, "
        "tolerance 1.5)"
    )


def test_an_opendocument_spreadsheet(tmp_path):
    path = tmp_path / "release.ods"
    with zipfile.ZipFile(path, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content/>")
    assert error_of(path) == (
        "release.ods: an OpenDocument file (.ods), which this reader does not read: save it as "
        ".xlsx"
    )


def test_an_xlsx_with_an_xls_name_is_read_with_a_note(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [["2023年"], ["地区", "发明(件)"], ["松江区", 1]])
    renamed = path.rename(tmp_path / "t.xls")
    result = read_table(renamed)
    assert result.notes[0] == "the file is an .xlsx workbook despite its '.xls' name"
    assert result.data["value"].tolist() == [1.0]


def test_a_column_of_text_under_a_unit_is_quarantined_cell_by_cell(tmp_path):
    path = csv_file(tmp_path, "2023年\n地区,发明(件)\n松江区,abc\n青浦区,待定\n")
    result = read_table(path)
    assert result.data.empty and result.data.columns.tolist()[:3] == [
        "region",
        "region_code",
        "region_label",
    ]
    assert [e[2:5] for e in entries(result)] == [
        [3, "发明", "expected a number, found 'abc' (cell B3)"],
        [4, "发明", "expected a number, found '待定' (cell B4)"],
    ]
    assert result.reconciliation() == {
        "file": "t.csv",
        "rows_read": 2,
        "rows_kept": 0,
        "rows_quarantined": 2,
        "reconciles": True,
    }


# --- a table about one region, and a table of regions as columns --------------------------------

HINT = "give a name such as 松江区 or a code such as 310117"


def test_a_region_option_for_a_table_that_names_its_regions(tmp_path):
    path = csv_file(tmp_path, GOOD_CSV)
    assert error_of(path, region="松江区") == (
        "t.csv: region= (--region) is for a table about one region, but column A names regions "
        "(松江区, 青浦区); leave the option out"
    )


def test_an_unknown_region_option(tmp_path):
    path = csv_file(tmp_path, "指标,2023年\n专利授权量(件),12\n")
    assert error_of(path, region="火星区") == (
        f"t.csv: region= (--region): unknown region '火星区': {HINT}"
    )


def test_a_region_line_naming_an_unknown_region(tmp_path):
    path = csv_file(tmp_path, "地区：火星\n指标,2023年\n专利授权量(件),12\n")
    assert error_of(path) == f"t.csv: the 地区： line: unknown region '火星': {HINT}"


def test_a_measure_listed_twice_in_one_regions_table(tmp_path):
    text = "地区：松江区\n指标,2023年\n专利授权量(件),12\n有效发明专利(件),30\n专利授权量(件),5\n"
    assert error_of(csv_file(tmp_path, text)) == (
        "t.csv, row 5, column '指标': measure 专利授权量 appears in rows 3 and 5: expected one "
        "row per measure"
    )


def test_figures_without_a_measure_name_are_quarantined(tmp_path):
    text = "地区：松江区\n指标,2023年,2024年\n专利授权量(件),12,13\n,7,8\n"
    result = read_table(csv_file(tmp_path, text))
    assert result.data[["measure", "period", "value", "cell"]].values.tolist() == [
        ["专利授权量", "2023", 12.0, "B3"],
        ["专利授权量", "2024", 13.0, "C3"],
    ]
    assert entries(result) == [
        [
            "t.csv",
            None,
            4,
            "指标",
            "figures but no measure name in column A",
            '{"B4": "7", "C4": "8"}',
        ]
    ]
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 1, 1)


def test_mixed_units_in_one_measures_row(tmp_path):
    text = "地区：松江区\n指标,2023年,2024年\n质押金额,1.2亿元,3500万元\n"
    assert error_of(csv_file(tmp_path, text)) == (
        "t.csv, row 3: mixed units in one row: 亿元 (B3) and 万元 (C3); expected one unit per "
        "measure"
    )


def test_bad_cells_of_a_one_regions_table_are_quarantined(tmp_path):
    text = "地区：松江区\n指标,2023年\n专利授权量(件),-3\n有效发明专利(件),abc\n"
    result = read_table(csv_file(tmp_path, text))
    assert entries(result) == [
        [
            "t.csv",
            None,
            3,
            "专利授权量",
            "negative count -3 where a count in 件 is expected (cell B3)",
            '{"region": "松江区", "cell": "B3", "value": "-3"}',
        ],
        [
            "t.csv",
            None,
            4,
            "有效发明专利",
            "expected a number, found 'abc' (cell B4)",
            '{"region": "松江区", "cell": "B4", "value": "abc"}',
        ],
    ]
    assert result.reconciliation()["reconciles"]


def test_regions_as_columns_without_a_measure(tmp_path):
    path = csv_file(tmp_path, "时间,北京市,上海市\n2022年,1,2\n2023年,3,4\n")
    assert error_of(path) == (
        "t.csv: no measure: the header names regions, the rows periods, and there is no title to "
        "name what the figures are; give it with measure= (--measure)"
    )


def test_an_unknown_region_heading_a_column_quarantines_its_cells(tmp_path):
    path = csv_file(tmp_path, "时间,北京市,上海市,火星市\n2022年,1,2,3\n2023年,3,4,5\n")
    result = read_table(path, measure="地区生产总值")
    assert sorted(result.data["region"].unique()) == ["上海市", "北京市"]
    reason = f"the header of column D: unknown region '火星市': {HINT}"
    assert entries(result) == [
        ["t.csv", None, 2, "火星市", reason, '{"cell": "D2", "value": "3"}'],
        ["t.csv", None, 3, "火星市", reason, '{"cell": "D3", "value": "5"}'],
    ]
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 2, 0)


def test_a_row_without_a_period_in_a_table_of_regions_as_columns(tmp_path):
    path = csv_file(tmp_path, "时间,北京市,上海市\n2022年,1,2\n合计,3,4\n")
    result = read_table(path, measure="地区生产总值")
    assert result.data["period"].unique().tolist() == ["2022"]
    assert entries(result) == [
        [
            "t.csv",
            None,
            3,
            "时间",
            "no period (a year such as 2023) in column A",
            '{"label": "合计"}',
        ]
    ]
    assert result.reconciliation()["reconciles"]


def test_a_region_heading_two_columns(tmp_path):
    path = csv_file(tmp_path, "时间,北京市,上海市,北京\n2022年,1,2,3\n")
    assert error_of(path, measure="地区生产总值") == (
        "t.csv, row 1: region 北京市 heads columns B and D: expected one column per region"
    )


def test_a_period_listed_twice_in_a_table_of_regions_as_columns(tmp_path):
    path = csv_file(tmp_path, "时间,北京市,上海市\n2022年,1,2\n2022,3,4\n")
    assert error_of(path, measure="地区生产总值") == (
        "t.csv, row 3, column '时间': period 2022 appears in rows 2 and 3: expected one row per "
        "period"
    )


def test_a_future_period_row_of_a_table_of_regions_as_columns(tmp_path):
    later = dt.date.today().year + 1
    path = csv_file(tmp_path, f"时间,北京市,上海市\n2022年,1,2\n{later}年,3,4\n")
    result = read_table(path, measure="地区生产总值")
    reason = f"period {later} is later than the current year ({later - 1}): a typo, not a figure"
    assert [e[2:5] for e in entries(result)] == [
        [3, "地区生产总值", f"{reason} (cell B3)"],
        [3, "地区生产总值", f"{reason} (cell C3)"],
    ]
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (2, 1, 1)
