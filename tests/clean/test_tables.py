"""read_table turns the shapes statistical releases really come in into one tidy long table."""

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from ipanalysis.clean.tables import TIDY_COLUMNS, TOTALS_CHECK_COLUMNS, read_table
from ipanalysis.schemas import ReleaseTable

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"
NAN = np.nan


def write_xlsx(path: Path, rows: list[list], merges=(), sheet: str = "Sheet1", extra=()) -> Path:
    """A workbook whose first sheet holds ``rows`` (None: blank) and ``merges`` ('A1:G1')."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for cells in merges:
        ws.merge_cells(cells)
    for name in extra:
        book.create_sheet(name)
    book.save(path)
    return path


def tidy(rows, file: str, sheet: str | None) -> pd.DataFrame:
    """The expected tidy table from (region, code, label, total, period, measure, value, unit,
    raw value, cell) tuples."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "region",
            "region_code",
            "region_label",
            "is_total",
            "period",
            "measure",
            "value",
            "unit",
            "raw_value",
            "cell",
        ],
    )
    frame["source_file"] = file
    frame["sheet"] = sheet
    frame["raw_row"] = frame["cell"].str.extract(r"(\d+)$")[0].astype(int)
    return ReleaseTable.validate(frame[TIDY_COLUMNS])


def assert_tidy(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


# --- the typical release: title, unit row, three header rows with merges, totals, footnotes ----

RELEASE_ROWS = [
    ["2023年上海市各区专利授权情况", None, None, None, None, None, None],
    [None, None, None, None, None, None, "单位：件"],
    ["地区", "专利授权量", None, None, None, "年末常住人口(万人)", "地区生产总值（亿元）"],
    [None, "合计", "其中", None, None, None, None],
    [None, None, "发明", "实用新型", "外观设计", None, None],
    ["全市", "１２，４０１", 61, 80, 20, 400.5, 3000],
    ["松江区", "１２，３４５", 45, "—", 10, "195.89", 1500],
    ["浦东", 55, 15, 30, 10, 200, "…"],
    [" 闸 北 区", 1, 1, 0, 0, 4.61, 1500],
    [None, None, None, None, None, None, None],
    ["注：1.本表数据来源于市知识产权局。", None, None, None, None, None, None],
    ["2.闸北区为历史口径。", None, None, None, None, None, None],
    ["资料来源：上海市统计局", None, None, None, None, None, None],
]
RELEASE_MERGES = ["A1:G1", "A3:A5", "B3:E3", "B4:B5", "C4:E4", "F3:F5", "G3:G5", "A11:G11"]


@pytest.fixture()
def release(tmp_path) -> Path:
    return write_xlsx(tmp_path / "release.xlsx", RELEASE_ROWS, RELEASE_MERGES, sheet="表3")


def test_typical_release_becomes_the_expected_tidy_table(release):
    result = read_table(release)
    a, b, c, d = "专利授权量/合计", "专利授权量/发明", "专利授权量/实用新型", "专利授权量/外观设计"
    p, g = "年末常住人口", "地区生产总值"
    total = ("全市", "310000", "全市", True, "2023")
    sj = ("松江区", "310117", "松江区", False, "2023")
    pd_ = ("浦东新区", "310115", "浦东", False, "2023")
    zb = ("闸北区", "310108", "闸北区", False, "2023")
    expected = tidy(
        [
            (*total, a, 12401.0, "件", "１２，４０１", "B6"),
            (*total, b, 61.0, "件", "61", "C6"),
            (*total, c, 80.0, "件", "80", "D6"),
            (*total, d, 20.0, "件", "20", "E6"),
            (*total, p, 400.5, "万人", "400.5", "F6"),
            (*total, g, 3000.0, "亿元", "3000", "G6"),
            (*sj, a, 12345.0, "件", "１２，３４５", "B7"),
            (*sj, b, 45.0, "件", "45", "C7"),
            (*sj, c, NAN, "件", "—", "D7"),
            (*sj, d, 10.0, "件", "10", "E7"),
            (*sj, p, 195.89, "万人", "195.89", "F7"),
            (*sj, g, 1500.0, "亿元", "1500", "G7"),
            (*pd_, a, 55.0, "件", "55", "B8"),
            (*pd_, b, 15.0, "件", "15", "C8"),
            (*pd_, c, 30.0, "件", "30", "D8"),
            (*pd_, d, 10.0, "件", "10", "E8"),
            (*pd_, p, 200.0, "万人", "200", "F8"),
            (*pd_, g, NAN, "亿元", "…", "G8"),
            (*zb, a, 1.0, "件", "1", "B9"),
            (*zb, b, 1.0, "件", "1", "C9"),
            (*zb, c, 0.0, "件", "0", "D9"),
            (*zb, d, 0.0, "件", "0", "E9"),
            (*zb, p, 4.61, "万人", "4.61", "F9"),
            (*zb, g, 1500.0, "亿元", "1500", "G9"),
        ],
        "release.xlsx",
        "表3",
    )
    assert_tidy(result.data, expected)
    assert result.title == "2023年上海市各区专利授权情况"
    assert result.sheet == "表3"
    assert result.missing_cells == 2
    assert result.quarantine.empty
    assert result.reconciliation() == {
        "file": "release.xlsx",
        "rows_read": 4,
        "rows_kept": 4,
        "rows_quarantined": 0,
        "reconciles": True,
    }
    assert result.notes == [
        "title: 2023年上海市各区专利授权情况",
        "unit stated for the table: 件",
        "footnote row 11: 注：1.本表数据来源于市知识产权局。",
        "footnote row 12: 2.闸北区为历史口径。",
        "footnote row 13: 资料来源：上海市统计局",
        "闸北区 (310108) is a historical unit: part of 静安区 (310106) since 2015-11-04",
        "totals check 专利授权量/实用新型 2023: the regions add up to 30 but 全市 (D6) states 80 "
        "(difference 50, tolerance 1.5; 1 region(s) missing)",
        "2 cell(s) missing (—, …): kept with an empty value, never 0",
    ]


def test_totals_are_kept_apart_and_checked(release):
    result = read_table(release)
    assert result.totals["region_label"].unique().tolist() == ["全市"]
    assert result.regions["region"].unique().tolist() == ["松江区", "浦东新区", "闸北区"]
    check = result.totals_check
    assert check.columns.tolist() == TOTALS_CHECK_COLUMNS
    assert check[
        ["measure", "total", "regions_sum", "regions_missing", "status"]
    ].values.tolist() == [
        ["专利授权量/合计", 12401.0, 12401.0, 0, "ok"],
        ["专利授权量/发明", 61.0, 61.0, 0, "ok"],
        ["专利授权量/实用新型", 80.0, 30.0, 1, "incomplete"],
        ["专利授权量/外观设计", 20.0, 20.0, 0, "ok"],
        ["年末常住人口", 400.5, 400.5, 0, "ok"],
        ["地区生产总值", 3000.0, 3000.0, 1, "ok"],
    ]
    # rounding allowance: half a unit of the last decimal shown, per region and for the total
    assert check["tolerance"].tolist() == [2.0, 2.0, 1.5, 2.0, 0.02, 1.5]


def test_missing_figures_are_missing_never_zero(release):
    data = read_table(release).data
    songjiang = data[(data.region == "松江区") & (data.measure == "专利授权量/实用新型")]
    assert songjiang["value"].isna().all() and songjiang["raw_value"].tolist() == ["—"]
    zhabei = data[(data.region == "闸北区") & (data.measure == "专利授权量/实用新型")]
    assert zhabei["value"].tolist() == [0.0]


def test_the_first_sheet_is_read_and_the_others_are_named(tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", RELEASE_ROWS, RELEASE_MERGES, "表3", extra=["表4"])
    assert "read the first sheet, '表3'; the workbook also has '表4'" in read_table(path).notes
    assert read_table(path, sheet="表3").notes[0] == "title: 2023年上海市各区专利授权情况"


# --- CSVs: no merges, several encodings ----------------------------------------------------------

CSV_TEXT = (
    "上海市各区专利授权量（2024年）\n"
    "单位：件\n"
    "地区,专利授权量,,,有效发明专利\n"
    ",发明,实用新型,外观设计,\n"
    '合计,"1,000",500,300,"9,000"\n'
    "黄 浦 区,１００,５０,—,800\n"
    "松江,900,450,300,8200\n"
    "说明：本表不含港澳台。\n"
)


def csv_expected(file: str) -> pd.DataFrame:
    a, b, c, d = "专利授权量/发明", "专利授权量/实用新型", "专利授权量/外观设计", "有效发明专利"
    total = ("合计", "310000", "合计", True, "2024")
    hp = ("黄浦区", "310101", "黄浦区", False, "2024")
    sj = ("松江区", "310117", "松江", False, "2024")
    return tidy(
        [
            (*total, a, 1000.0, "件", "1,000", "B5"),
            (*total, b, 500.0, "件", "500", "C5"),
            (*total, c, 300.0, "件", "300", "D5"),
            (*total, d, 9000.0, "件", "9,000", "E5"),
            (*hp, a, 100.0, "件", "１００", "B6"),
            (*hp, b, 50.0, "件", "５０", "C6"),
            (*hp, c, NAN, "件", "—", "D6"),
            (*hp, d, 800.0, "件", "800", "E6"),
            (*sj, a, 900.0, "件", "900", "B7"),
            (*sj, b, 450.0, "件", "450", "C7"),
            (*sj, c, 300.0, "件", "300", "D7"),
            (*sj, d, 8200.0, "件", "8200", "E7"),
        ],
        file,
        None,
    )


@pytest.mark.parametrize(
    ("encoding", "read_as"),
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8"),
        ("gbk", "GB18030"),
        ("gb18030", "GB18030"),
        ("utf-16", "UTF-16"),
    ],
)
def test_csv_in_every_usual_encoding_gives_the_same_table(tmp_path, encoding, read_as):
    path = tmp_path / "release.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    result = read_table(path)
    assert_tidy(result.data, csv_expected("release.csv"))
    assert result.notes[0] == f"read as {read_as} text, delimiter ','"
    assert result.notes[1:4] == [
        "title: 上海市各区专利授权量(2024年)",
        "unit stated for the table: 件",
        "footnote row 8: 说明：本表不含港澳台。",
    ]
    assert result.totals_check["status"].tolist() == ["ok", "ok", "ok", "ok"]


def test_tab_separated_text_is_read_too(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(
        CSV_TEXT.replace(",", "\t").replace('"1\t000"', "1,000").replace('"9\t000"', "9,000")
    )
    assert_tidy(read_table(path).data, csv_expected("release.txt"))


def test_an_encoding_can_be_named(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes("地區,專利授權量(件)\n2023年\n松江區,1\n".encode("big5"))
    path.write_bytes("年份,地區,專利授權量(件)\n2023,松江,1\n".encode("big5"))
    data = read_table(path, encoding="big5").data
    assert data[["region", "period", "measure", "value", "unit"]].values.tolist() == [
        ["松江区", "2023", "專利授權量", 1.0, "件"]
    ]


# --- a real-shaped .xls (BIFF8, merged cells) ----------------------------------------------------


def test_xls_release_with_merged_headers():
    result = read_table(FIXTURES / "release_2022.xls")
    data = result.data
    assert result.sheet == "2022"
    assert data["measure"].unique().tolist() == [
        "专利授权量/合计",
        "专利授权量/发明",
        "专利授权量/实用新型",
        "专利授权量/外观设计",
        "有效发明专利",
    ]
    pivot = data.pivot(index="region", columns="measure", values="value")
    assert pivot.loc["徐汇区", "专利授权量/合计"] == 1234.0
    assert pivot.loc["青浦区", data["measure"].unique()].tolist() == [
        800.0,
        200.0,
        400.0,
        200.0,
        2000.0,
    ]
    assert np.isnan(pivot.loc["松江区", "有效发明专利"])
    assert set(data["period"]) == {"2022"} and set(data["unit"]) == {"件"}
    assert result.totals_check["status"].tolist() == ["ok", "ok", "ok", "ok", "incomplete"]
    assert result.notes[:3] == [
        "read the first sheet, '2022'; the workbook also has '说明'",
        "title: 2022年上海市部分区专利授权量",
        "unit stated for the table: 件",
    ]
    assert result.reconciliation()["rows_read"] == 5


# --- periods ---------------------------------------------------------------------------------------


def test_years_in_the_header_are_periods_not_measures(tmp_path):
    rows = [
        ["上海市各区发明专利授权量"],
        ["地区", "发明专利授权量(件)", None],
        [None, "2022年", 2023],
        ["松江区", 10, 12],
        ["青浦区", 7, 8],
    ]
    data = read_table(write_xlsx(tmp_path / "y.xlsx", rows, ["B2:C2", "A2:A3"])).data
    assert data[["region", "period", "measure", "value", "unit", "cell"]].values.tolist() == [
        ["松江区", "2022", "发明专利授权量", 10.0, "件", "B4"],
        ["松江区", "2023", "发明专利授权量", 12.0, "件", "C4"],
        ["青浦区", "2022", "发明专利授权量", 7.0, "件", "B5"],
        ["青浦区", "2023", "发明专利授权量", 8.0, "件", "C5"],
    ]


def test_a_header_of_years_only_takes_its_measure_from_the_title(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2019-2023年上海市各区PCT国际专利申请量\n区名,2022,2023\n松江,1,2\n")
    data = read_table(path).data
    assert data[["measure", "period", "value"]].values.tolist() == [
        ["PCT国际专利申请量", "2022", 1.0],
        ["PCT国际专利申请量", "2023", 2.0],
    ]
    assert read_table(path, measure="PCT申请").data["measure"].unique().tolist() == ["PCT申请"]


def test_the_period_parameter_wins_over_the_title(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2023年各区人口\n地区,常住人口(万人)\n松江区,195.89\n")
    assert read_table(path).data["period"].tolist() == ["2023"]
    assert read_table(path, period=2024).data["period"].tolist() == ["2024"]


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("2023年1-6月各区专利授权量", "2023年1-6月"),
        ("2023年上半年各区专利授权量", "2023年上半年"),
        ("截至2023年末各区有效发明专利", "2023"),
        ("2023年度各区专利授权量", "2023"),
    ],
)
def test_periods_in_titles(tmp_path, title, period):
    path = tmp_path / "t.csv"
    path.write_text(f"{title}\n地区,专利授权量(件)\n松江区,1\n")
    assert read_table(path).data["period"].tolist() == [period]


def test_a_period_column_gives_each_row_its_period(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("年份,地区,专利授权量(件)\n2022,松江区,1\n2023,松江区,2\n2023年,青浦,3\n")
    data = read_table(path).data
    assert data[["region", "period", "value"]].values.tolist() == [
        ["松江区", "2022", 1.0],
        ["松江区", "2023", 2.0],
        ["青浦区", "2023", 3.0],
    ]


# --- units and scaling -----------------------------------------------------------------------------


def test_units_from_headers_and_conversion_on_request(tmp_path):
    path = tmp_path / "gdp.csv"
    path.write_text(
        '2023年各区经济\n地区,地区生产总值(万元),常住人口(万人),专利授权量(件)\n松江区,"21,000,000",195.89,100\n'
    )
    data = read_table(path).data
    assert data[["measure", "value", "unit"]].values.tolist() == [
        ["地区生产总值", 21000000.0, "万元"],
        ["常住人口", 195.89, "万人"],
        ["专利授权量", 100.0, "件"],
    ]
    result = read_table(path, to_unit="亿元")
    assert result.data[["value", "unit", "raw_value"]].values.tolist()[0] == [
        2100.0,
        "亿元",
        "21,000,000",
    ]
    assert result.data["unit"].tolist() == ["亿元", "万人", "件"]
    assert "converted 1 figure(s) from 万元 to 亿元 (× 0.0001)" in result.notes
    scaled = read_table(path, scale={"万人": ("人", 10_000), "千元": ("元", 1000)}).data
    assert scaled["value"].tolist() == [21000000.0, 1958900.0, 100.0]
    assert scaled["unit"].tolist() == ["万元", "人", "件"]


def test_units_written_in_the_cells(tmp_path):
    path = tmp_path / "pledge.csv"
    path.write_text("2023年各区专利质押融资\n地区,质押金额\n松江区,1.2亿元\n青浦区,0.5 亿元\n")
    data = read_table(path).data
    assert data[["value", "unit", "raw_value"]].values.tolist() == [
        [1.2, "亿元", "1.2亿元"],
        [0.5, "亿元", "0.5 亿元"],
    ]


# --- regions --------------------------------------------------------------------------------------


def test_provinces_with_a_national_total(tmp_path):
    path = tmp_path / "prov.csv"
    path.write_text(
        "2023年各省PCT申请量\n省(区、市),申请量(件)\n全国,30\n北京,10\n上海市,12\n广东省,8\n"
    )
    result = read_table(path)
    assert result.data[["region", "region_code", "is_total", "value"]].values.tolist() == [
        ["全国", "100000", True, 30.0],
        ["北京市", "110000", False, 10.0],
        ["上海市", "310000", False, 12.0],
        ["广东省", "440000", False, 8.0],
    ]
    assert result.totals_check["status"].tolist() == ["ok"]


def test_the_parent_region_above_its_districts_is_their_total(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2023年\n地区,发明(件)\n上海市,3\n松江区,1\n青浦区,2\n")
    result = read_table(path)
    assert result.data[["region", "region_code", "is_total"]].values.tolist() == [
        ["上海市", "310000", True],
        ["松江区", "310117", False],
        ["青浦区", "310118", False],
    ]
    assert result.totals_check[["total", "regions_sum", "status"]].values.tolist() == [
        [3.0, 3.0, "ok"]
    ]


def test_a_difference_within_the_tolerance_asked_for_is_ok(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2023年\n地区,发明(件)\n全市,104\n松江区,1\n青浦区,100\n")
    assert read_table(path).totals_check[["difference", "tolerance", "status"]].values.tolist() == [
        [3.0, 1.5, "differs"]
    ]
    assert read_table(path, tolerance=5).totals_check["status"].tolist() == ["ok"]


def test_historical_units_are_kept_or_followed(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2008年\n地区,发明(件)\n南汇区,1\n卢湾,2\n")
    result = read_table(path)
    assert result.data["region_code"].tolist() == ["310119", "310103"]
    assert result.notes[-2:] == [
        "南汇区 (310119) is a historical unit: part of 浦东新区 (310115) since 2009-05-06",
        "卢湾区 (310103) is a historical unit: part of 黄浦区 (310101) since 2011-06-08",
    ]
    followed = read_table(path, follow_successor=True).data
    assert followed[["region", "region_code"]].values.tolist() == [
        ["浦东新区", "310115"],
        ["黄浦区", "310101"],
    ]


def test_code_and_name_columns_and_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2023年\n序号,代码,地区,发明(件)\n1,310117,松江区,5\n2,310118,青浦区,6\n")
    result = read_table(path)
    assert result.data[
        ["region", "region_code", "region_label", "value", "cell"]
    ].values.tolist() == [
        ["松江区", "310117", "310117", 5.0, "D3"],
        ["青浦区", "310118", "310118", 6.0, "D4"],
    ]
    assert result.notes[-2:] == [
        "column A ('序号') labels the rows: not read",
        "column C ('地区') repeats the regions: not read",
    ]


def test_section_headings_and_of_which_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2023年\n地区,发明(件)\n全市,10\n中心城区,\n其中：黄浦区,4\n郊区,\n松江区,6\n")
    result = read_table(path)
    assert result.data[["region", "region_label", "value"]].values.tolist() == [
        ["全市", "全市", 10.0],
        ["黄浦区", "其中:黄浦区", 4.0],
        ["松江区", "松江区", 6.0],
    ]
    assert result.notes[2:] == [
        "row 4: '中心城区' has no figures: read as a section heading",
        "row 6: '郊区' has no figures: read as a section heading",
        "row 5: '其中:黄浦区' read as 黄浦区 (an 'of which' row)",
    ]
    assert result.reconciliation()["rows_read"] == 3


# --- cells that are not figures: quarantined, row by row reconciled --------------------------------


def test_bad_cells_are_quarantined_and_rows_reconcile(tmp_path):
    rows = [
        ["2023年"],
        ["地区", "发明(件)", "实用新型(件)", "地区生产总值(亿元)"],
        ["松江区", "abc", 5, "#DIV/0!"],
        ["青浦区", -3, "x", "=SUM(B1:B2)"],
        ["金山区", 1, 2, 3],
    ]
    result = read_table(write_xlsx(tmp_path / "bad.xlsx", rows))
    q = result.quarantine
    assert q[["raw_file", "sheet", "raw_row", "column", "reason"]].values.tolist() == [
        ["bad.xlsx", "Sheet1", 3, "发明", "expected a number, found 'abc' (cell B3)"],
        [
            "bad.xlsx",
            "Sheet1",
            3,
            "地区生产总值",
            "expected a number, found the Excel error '#DIV/0!' (cell D3)",
        ],
        [
            "bad.xlsx",
            "Sheet1",
            4,
            "发明",
            "negative count -3 where a count in 件 is expected (cell B4)",
        ],
        ["bad.xlsx", "Sheet1", 4, "实用新型", "expected a number, found 'x' (cell C4)"],
        [
            "bad.xlsx",
            "Sheet1",
            4,
            "地区生产总值",
            "the formula =SUM(B1:B2) has no computed value (the file was written by a program, "
            "not saved by Excel): open and save it in Excel (cell D4)",
        ],
    ]
    assert q["record"].tolist()[0] == '{"region": "松江区", "cell": "B3", "value": "abc"}'
    assert result.data["cell"].tolist() == ["C3", "B5", "C5", "D5"]
    assert result.reconciliation() == {
        "file": "bad.xlsx",
        "rows_read": 3,
        "rows_kept": 2,
        "rows_quarantined": 1,
        "reconciles": True,
    }


def test_a_row_with_figures_but_no_region_is_quarantined(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2023年\n地区,发明(件)\n松江区,1\n,2\n")
    result = read_table(path)
    assert result.quarantine[["raw_row", "column", "reason", "record"]].values.tolist() == [
        [4, "地区", "figures but no region name in column A", '{"B4": "2"}']
    ]
    assert result.reconciliation()["reconciles"]


def test_dates_and_booleans_are_not_figures(tmp_path):
    import datetime as dt

    rows = [
        ["2023年"],
        ["地区", "发明(件)"],
        ["松江区", dt.datetime(2023, 5, 1)],
        ["青浦区", True],
        ["金山区", 3],
    ]
    result = read_table(write_xlsx(tmp_path / "t.xlsx", rows))
    assert result.quarantine["reason"].tolist() == [
        "expected a number, found the date 2023-05-01 (cell B3)",
        "expected a number, found TRUE (cell B4)",
    ]


def test_output_passes_its_schema(release):
    data = read_table(release).data
    pd.testing.assert_frame_equal(ReleaseTable.validate(data, lazy=True), data)


def test_ratios_and_shares_are_not_summed_against_the_total(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "2023年\n地区,每万人口发明专利拥有量(件/万人),占全市比重(%),发明专利拥有量(件)\n"
        "上海市,50.2,100,125000\n松江区,30.1,5.1,5900\n"
    )
    result = read_table(path)
    assert result.data["is_total"].tolist() == [True, True, True, False, False, False]
    assert result.totals_check[["measure", "status"]].values.tolist() == [
        ["每万人口发明专利拥有量", "not_additive"],
        ["占全市比重", "not_additive"],
        ["发明专利拥有量", "differs"],
    ]
    assert [n for n in result.notes if n.startswith("totals check")] == [
        "totals check 发明专利拥有量 2023: the regions add up to 5,900 but 上海市 (D3) states "
        "125,000 (difference 119,100, tolerance 1)"
    ]


def test_a_date_beside_the_unit_is_a_note_not_the_period(tmp_path):
    rows = [
        ["2023年各区专利授权量"],
        ["填报日期：2024年3月", None, "单位：件"],
        ["地区", "发明", "实用新型"],
        ["松江区", 1, 2],
    ]
    result = read_table(write_xlsx(tmp_path / "t.xlsx", rows))
    assert result.data["period"].unique().tolist() == ["2023"]
    assert result.notes[:3] == [
        "row 2: 填报日期:2024年3月",
        "title: 2023年各区专利授权量",
        "unit stated for the table: 件",
    ]


def test_a_district_bulletin_with_one_measure_per_row(tmp_path):
    text = (
        "2024年松江区知识产权主要指标\n"
        "地区：松江区\n"
        "指标,2022年,2023年\n"
        "专利授权量(件),100,120\n"
        "其中：发明(件),20,25\n"
        "每万人口高价值发明专利拥有量(件/万人),30.1,—\n"
    )
    path = tmp_path / "bulletin.csv"
    path.write_text(text, encoding="utf-8")
    result = read_table(path)
    columns = ["region", "region_code", "region_label", "is_total", "period", "measure", "value"]
    data = result.data[[*columns, "unit", "cell"]].astype(object)
    assert data.where(data.notna(), None).values.tolist() == [
        ["松江区", "310117", "松江区", False, "2022", "专利授权量", 100.0, "件", "B4"],
        ["松江区", "310117", "松江区", False, "2023", "专利授权量", 120.0, "件", "C4"],
        ["松江区", "310117", "松江区", False, "2022", "发明", 20.0, "件", "B5"],
        ["松江区", "310117", "松江区", False, "2023", "发明", 25.0, "件", "C5"],
        [
            "松江区",
            "310117",
            "松江区",
            False,
            "2022",
            "每万人口高价值发明专利拥有量",
            30.1,
            "件/万人",
            "B6",
        ],
        [
            "松江区",
            "310117",
            "松江区",
            False,
            "2023",
            "每万人口高价值发明专利拥有量",
            None,
            "件/万人",
            "C6",
        ],
    ]
    assert result.totals_check.empty
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (3, 3, 0)


def test_regions_as_columns_with_a_national_total(tmp_path):
    path = tmp_path / "transposed.csv"
    path.write_text("时间,全国,北京市,上海市\n2022年,10,4,6\n2023年,12,5,5\n", encoding="utf-8")
    result = read_table(path, measure="地区生产总值")
    data = result.data
    assert data[
        ["region", "region_code", "is_total", "period", "value", "cell"]
    ].values.tolist() == [
        ["全国", "100000", True, "2022", 10.0, "B2"],
        ["北京市", "110000", False, "2022", 4.0, "C2"],
        ["上海市", "310000", False, "2022", 6.0, "D2"],
        ["全国", "100000", True, "2023", 12.0, "B3"],
        ["北京市", "110000", False, "2023", 5.0, "C3"],
        ["上海市", "310000", False, "2023", 5.0, "D3"],
    ]
    check = result.totals_check
    assert check[["period", "total", "regions_sum", "status"]].values.tolist() == [
        ["2022", 10.0, 10.0, "ok"],
        ["2023", 12.0, 10.0, "differs"],
    ]
    assert result.notes[1] == "regions as columns (row 1), periods as rows"
