"""`ipanalysis read`: a statistical release to a tidy CSV, with a summary an analyst can check."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ipanalysis.clean.tables import read_table
from ipanalysis.cli import app

RELEASE_CSV = (
    "2023年上海市各区专利授权量\n"
    "单位：件\n"
    "地区,专利授权量,\n"
    ",发明,实用新型\n"
    "全市,10,21\n"
    "松江区,４,10\n"
    "青浦,6,—\n"
    "注：青浦区实用新型数据暂缺。\n"
)


@pytest.fixture()
def release(tmp_path) -> Path:
    path = tmp_path / "release.csv"
    path.write_bytes(RELEASE_CSV.encode("gbk"))
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["read", *map(str, args)])


def test_read_writes_the_tidy_table_and_says_what_it_found(release, tmp_path):
    out = tmp_path / "out" / "tidy.csv"
    result = run(release, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "read release.csv: 2023年上海市各区专利授权量",
        "regions: 2 (松江区, 青浦区)",
        "totals rows: 全市",
        "measures: 2 (专利授权量/发明, 专利授权量/实用新型)",
        "periods: 2023",
        "units: 件",
        "totals check: 1 of 2 totals match the regions; 1 do not (see notes)",
        "missing: 1 cell(s), kept with an empty value (never 0)",
        "quarantined: 0 cell(s) or row(s)",
        "note: read as GB18030 text, delimiter ','",
        "note: title: 2023年上海市各区专利授权量",
        "note: unit stated for the table: 件",
        "note: footnote row 8: 注：青浦区实用新型数据暂缺。",
        "note: totals check 专利授权量/实用新型 2023: the regions add up to 10 but 全市 (C5) "
        "states 21 (difference 11, tolerance 1; 1 region(s) missing)",
        "note: 1 cell(s) missing (—): kept with an empty value, never 0",
        "rows: read 3 = kept 3 + quarantined 0",
        f"written: {out} (6 rows)",
    ]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it with its Chinese
    written = pd.read_csv(out, dtype={"region_code": str, "period": str}, encoding="utf-8-sig")
    expected = read_table(release).data
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)
    assert written[["region", "period", "measure", "value", "unit"]].astype(object).where(
        written[["region", "period", "measure", "value", "unit"]].notna(), None
    ).values.tolist() == [
        ["全市", "2023", "专利授权量/发明", 10.0, "件"],
        ["全市", "2023", "专利授权量/实用新型", 21.0, "件"],
        ["松江区", "2023", "专利授权量/发明", 4.0, "件"],
        ["松江区", "2023", "专利授权量/实用新型", 10.0, "件"],
        ["青浦区", "2023", "专利授权量/发明", 6.0, "件"],
        ["青浦区", "2023", "专利授权量/实用新型", None, "件"],
    ]


def test_read_to_parquet_with_conversion_and_period(release, tmp_path):
    out = tmp_path / "tidy.parquet"
    result = run(release, "--out", out, "--unit", "万件", "--period", "2024")
    assert result.exit_code == 0, result.output
    assert "note: converted 6 figure(s) from 件 to 万件 (× 0.0001)" in result.output.splitlines()
    table = pd.read_parquet(out)
    assert table["period"].unique().tolist() == ["2024"]
    assert table["value"].tolist()[:3] == [0.001, 0.0021, 0.0004]
    assert set(table["unit"]) == {"万件"}


def test_read_with_an_explicit_scale(release, tmp_path):
    out = tmp_path / "t.csv"
    result = run(release, "--out", out, "--scale", "件:千件:0.001")
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out, encoding="utf-8-sig")["value"].tolist()[:2] == [0.01, 0.021]


def test_read_a_sheet_of_a_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "封面"
    ws = book.create_sheet("表2")
    for row in (["2023年"], ["地区", "发明(件)"], ["松江区", 3], ["青浦区", "abc"]):
        ws.append(row)
    book.save(path)
    result = run(path, "--sheet", "表2", "--out", tmp_path / "t.csv")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "read book.xlsx, sheet '表2': 2023年"
    assert lines[7:10] == [
        "missing: 0 cell(s), kept with an empty value (never 0)",
        "quarantined: 1 cell(s) or row(s)",
        "  row 4, column '发明': expected a number, found 'abc' (cell B4)",
    ]
    assert lines[-2] == "rows: read 2 = kept 1 + quarantined 1"
    strict = run(path, "--sheet", "表2", "--out", tmp_path / "t.csv", "--strict")
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == (
        "error: --strict: cells were quarantined or totals differ (see above)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.xlsx"], "error: missing.xlsx: file not found"),
        (
            ["{release}", "--sheet", "表1"],
            "error: release.csv: a CSV file has no sheets (asked for sheet '表1')",
        ),
        (
            ["{release}", "--unit", "亿元"],
            "error: release.csv: no figure is in a unit that converts to 亿元 (units found: 件)",
        ),
        (
            ["{release}", "--scale", "万元=亿元"],
            "error: --scale expects FROM:TO:FACTOR such as 万元:亿元:0.0001, not '万元=亿元'",
        ),
        (
            ["{release}", "--encoding", "big5"],
            "error: release.csv: cannot be decoded as big5 (byte 0xc8 at position 22)",
        ),
    ],
)
def test_bad_input_ends_with_one_line_and_writes_nothing(release, tmp_path, args, message):
    out = tmp_path / "t.csv"
    result = run(*[a.format(release=release) for a in args], "--out", out)
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert not out.exists()


def test_a_file_of_unknown_regions_ends_with_one_line(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("2023年\n地区,发明(件)\n火星区,2\n月球区,3\n", encoding="utf-8")
    result = run(path, "--out", tmp_path / "t.csv")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: u.csv, row 3, column '地区': unknown region '火星区': give a name such as 松江区 "
        "or a code such as 310117; also unknown region '月球区' (row 4)"
    )


def test_an_unknown_region_is_quarantined_and_said(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("2023年\n地区,发明(件)\n松江区,1\n火星区,2\n", encoding="utf-8")
    result = run(path, "--out", tmp_path / "t.csv")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "quarantined: 1 cell(s) or row(s)" in lines
    assert (
        "  row 4, column '地区': unknown region '火星区': give a name such as 松江区 or a code "
        "such as 310117"
    ) in lines
    assert "rows: read 2 = kept 1 + quarantined 1" in lines
    assert run(path, "--out", tmp_path / "t.csv", "--strict").exit_code == 1


def test_region_option_reads_a_table_about_one_region(tmp_path):
    path = tmp_path / "bulletin.csv"
    path.write_text("指标,2023年,2024年\n专利授权量(件),12,13\n", encoding="utf-8")
    out = tmp_path / "t.csv"
    result = run(path, "--region", "松江区", "--out", out)
    assert result.exit_code == 0, result.output
    assert "regions: 1 (松江区)" in result.output.splitlines()
    written = pd.read_csv(out, dtype={"region_code": str, "period": str})
    assert written[["region_code", "period", "measure", "value", "unit"]].values.tolist() == [
        ["310117", "2023", "专利授权量", 12.0, "件"],
        ["310117", "2024", "专利授权量", 13.0, "件"],
    ]
    without = run(path, "--out", tmp_path / "u.csv")
    assert without.exit_code == 1
    assert without.output.strip() == (
        "error: bulletin.csv: no region: the table lists measures (column A '指标') for one "
        "region but names none (no 地区： line); give it with region= (--region)"
    )


def test_out_must_be_csv_or_parquet(release, tmp_path):
    result = run(release, "--out", tmp_path / "t.xlsx")
    assert result.exit_code == 1
    assert result.output.strip() == "error: --out must end in .csv or .parquet, not 't.xlsx'"
