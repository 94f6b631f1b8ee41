"""`ipanalysis read-pct / read-madrid / read-transactions / read-value-added`: the canonical table
and its quarantine written, the reconciliation, notes and counts by region printed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from ipanalysis.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
runner = CliRunner()


def test_read_pct_with_a_region_for_the_list(tmp_path):
    out = tmp_path / "pct.csv"
    result = runner.invoke(
        app,
        [
            "read-pct",
            str(FIXTURES / "pct_office_list.xlsx"),
            "--out",
            str(out),
            "--region",
            "松江区",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "pct_office_list.xlsx: read 11 = kept 6 + quarantined 5",
        "note: columns not read: 序号",
        "note: region given: 310117 (松江区), used for 1 row(s) the file places no more precisely",
        "region name  applications",
        "310117  松江区             4",
        "310115 浦东新区             1",
        "    US   美国             1",
        f"canonical table written to {out}",
        f"quarantine (5 entries) written to {tmp_path / 'pct.quarantine.csv'}",
    ]
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written.loc[1, ["application_number", "filing_date", "region"]].tolist() == [
        "PCT/CN2024/080002",
        "2024-06-07",
        "310117",
    ]
    quarantine = pd.read_csv(tmp_path / "pct.quarantine.csv", dtype=str, keep_default_na=False)
    assert quarantine["raw_row"].tolist() == ["8", "9", "10", "11", "13"]


def test_read_madrid_to_parquet_counts_unknown_regions(tmp_path):
    out = tmp_path / "madrid.parquet"
    result = runner.invoke(
        app, ["read-madrid", str(FIXTURES / "madrid_office_list_gbk.csv"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[0]
        == "madrid_office_list_gbk.csv: read 7 = kept 4 + quarantined 3"
    )
    assert result.output.splitlines()[5:9] == [
        "   region name  applications",
        "   310117  松江区             2",
        "   310112  闵行区             1",
        "<unknown>                  1",
    ]
    assert pd.read_parquet(out)["number"].tolist() == ["1780001", "1780002", "1780003", "1780007"]


def test_read_transactions_with_a_kind(tmp_path):
    out = tmp_path / "pledges.csv"
    source = FIXTURES / "pledge_gazette_pe01.csv"
    result = runner.invoke(
        app,
        [
            "read-transactions",
            str(source),
            "--kind",
            "pledge",
            "--out",
            str(out),
            "--region",
            "松江区",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "pledge_gazette_pe01.csv: read 6 = kept 4 + quarantined 2"
    assert "note: event type: pledge (kind=)" in lines
    assert lines[-4:-2] == [
        "region name event_type  registrations",
        "310117  松江区     pledge              2",
    ]
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written.loc[0, ["patents", "patent_count", "amount", "raw_rows"]].tolist() == [
        "CN202410000001.X;CN202420000002.X;CN202430000003.X",
        "3",
        "",
        "2;3;4",
    ]


def test_read_value_added_with_a_year_and_bad_options(tmp_path):
    out = tmp_path / "va.csv"
    source = FIXTURES / "value_added_district.xlsx"
    result = runner.invoke(
        app,
        [
            "read-value-added",
            str(source),
            "--out",
            str(out),
            "--region",
            "松江区",
            "--year",
            "2023",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[5:7] == [
        "region name  year  classes",
        "310117  松江区  2023        4",
    ]
    assert pd.read_csv(out, dtype=str)["value_added"].tolist()[:2] == ["150.0", "50.0"]
    bad = runner.invoke(app, ["read-value-added", str(source), "--out", str(tmp_path / "va.txt")])
    assert bad.exit_code == 1
    assert bad.output.strip() == "error: --out must end in .csv or .parquet, not 'va.txt'"
    bad = runner.invoke(
        app, ["read-transactions", str(source), "--kind", "gift", "--out", str(tmp_path / "t.csv")]
    )
    assert bad.exit_code == 1
    assert bad.output.strip() == (
        "error: kind must be transfer (转让), licence (许可) or pledge (质押), not 'gift'"
    )


def test_read_activity_log_against_a_plans_activity_ids(tmp_path):
    out = tmp_path / "log.csv"
    result = runner.invoke(
        app,
        [
            "read-activity-log",
            str(FIXTURES / "activity_log.csv"),
            "--out",
            str(out),
            "--plan",
            "songjiang-2024-2026",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "activity_log.csv: read 11 = kept 5 + quarantined 6"
    assert "310117  松江区   special_actions     2" in lines
    quarantine = pd.read_csv(tmp_path / "log.quarantine.csv")
    assert any(r.startswith("unknown activity 'special_action'") for r in quarantine["reason"])


def test_read_pii_classification_counts_classes_by_category(tmp_path):
    out = tmp_path / "pii.csv"
    result = runner.invoke(
        app, ["read-pii-classification", str(FIXTURES / "pii_mapping.csv"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        "pii_mapping.csv: read 7 = kept 3 + quarantined 4",
        "category_code  classes",
        "           01        2",
        "           03        1",
    ]
    assert pd.read_csv(out, dtype=str)["industry_code"].tolist() == ["3921", "3911", "3411"]
