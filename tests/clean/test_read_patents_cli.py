"""`ipanalysis read-patents`: the real export to a canonical table the engine commands read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from ipanalysis.cli import app

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "patents" / "cn_export_10rows.csv"
runner = CliRunner()


def test_read_patents_then_high_value(tmp_path):
    out = tmp_path / "x.csv"
    result = runner.invoke(
        app, ["read-patents", str(FIXTURE), "--as-of", "2025-12-31", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "cn_export_10rows.csv: read 10 = kept 10 + quarantined 0",
        "note: platform: cn_export_61",
        "  patent_type  patents",
        "    invention        3",
        "utility_model        7",
        "       design        0",
        "region name  patents",
        "410100  郑州市       10",
        f"canonical table written to {out}",
        f"quarantine (0 entries) written to {tmp_path / 'x.quarantine.csv'}",
    ]
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written["application_number"].tolist()[:2] == ["CN202223220665.2", "CN202122975192.6"]
    assert written.loc[0, ["filing_date", "grant_date", "lapse_date", "domestic"]].tolist() == [
        "2022-12-02",
        "2023-03-28",
        "",
        "True",
    ]
    quarantine = pd.read_csv(tmp_path / "x.quarantine.csv")
    assert list(quarantine.columns) == [
        "raw_file",
        "sheet",
        "raw_row",
        "column",
        "reason",
        "record",
    ]
    assert quarantine.empty

    classified = tmp_path / "y.csv"
    result = runner.invoke(
        app, ["high-value", str(out), "--as-of", "2025-12-31", "--out", str(classified)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == [
        "region name  valid  high_value  high_value_unknown",
        "410100  郑州市      1           0                   1",
        " total           1           0                   1",
    ]
    table = pd.read_csv(classified, dtype=str, keep_default_na=False)
    assert table["valid"].tolist() == ["False"] * 9 + ["True"]
    assert table.loc[9, ["application_number", "high_value"]].tolist() == ["CN202211359874.7", ""]


def test_read_patents_to_parquet_with_a_quarantine(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    # MADE-UP damage: row 3's filing date set to an impossible 20230230
    lines[2] = lines[2].replace(",20211130,", ",20230230,", 1)
    source = tmp_path / "export.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "patents.parquet"
    result = runner.invoke(
        app, ["read-patents", str(source), "--as-of", "2025-12-31", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "export.csv: read 10 = kept 9 + quarantined 1"
    assert "utility_model        6" in result.output.splitlines()
    assert result.output.splitlines()[-1] == (
        f"quarantine (1 entries) written to {tmp_path / 'out' / 'patents.quarantine.csv'}"
    )
    assert len(pd.read_parquet(out)) == 9
    quarantine = pd.read_csv(tmp_path / "out" / "patents.quarantine.csv", dtype=str)
    assert quarantine.drop(columns="record").fillna("").to_dict("records") == [
        {
            "raw_file": "export.csv",
            "sheet": "",
            "raw_row": "3",
            "column": "申请日",
            "reason": "impossible date '20230230'",
        }
    ]
    stock = runner.invoke(app, ["stock", str(out), "--as-of", "2025-12-31"])
    assert stock.exit_code == 0, stock.output


def test_read_patents_sheet_option(tmp_path):
    path = tmp_path / "export.xlsx"
    raw = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"检索式": ["申请人=中科大数据研究院"]}).to_excel(
            writer, sheet_name="检索式", index=False
        )
        raw.to_excel(writer, sheet_name="专利列表", index=False)
    out = tmp_path / "x.csv"
    result = runner.invoke(
        app,
        [
            "read-patents",
            str(path),
            "--sheet",
            "专利列表",
            "--as-of",
            "2025-12-31",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "export.xlsx: read 10 = kept 10 + quarantined 0",
        "note: platform: cn_export_61",
    ]


def test_bad_input_exits_with_one_line(tmp_path):
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)))
    cases = [
        (
            [str(garbage), "--out", str(tmp_path / "x.csv")],
            "error: garbage.csv: not a CSV text file: it holds binary data (expected UTF-8 or "
            "GBK text)",
        ),
        (
            [str(FIXTURE), "--out", str(tmp_path / "x.xlsx")],
            "error: --out must end in .csv or .parquet, not 'x.xlsx'",
        ),
        (
            [str(FIXTURE), "--as-of", "soon", "--out", str(tmp_path / "x.csv")],
            "error: --as-of must be a date like 2025-12-31, not 'soon'",
        ),
        (
            [str(FIXTURE), "--sheet", "Sheet1", "--out", str(tmp_path / "x.csv")],
            "error: cn_export_10rows.csv: a CSV file has no sheets (asked for sheet 'Sheet1')",
        ),
        (
            [str(tmp_path / "missing.xlsx"), "--out", str(tmp_path / "x.csv")],
            "error: missing.xlsx: no such file",
        ),
    ]
    for arguments, message in cases:
        result = runner.invoke(app, ["read-patents", *arguments])
        assert result.exit_code == 1, result.output
        assert result.output.splitlines() == [message]
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "x.csv").exists()
