"""The real WIPO PATENTSCOPE result list (tests/fixtures/corpus/records) read with no option.

Every fact of expected.yaml (read from the file by xlrd, see its SOURCE.md) is checked against
what the PCT reader makes of it: the sheet, the header row below the preamble, 40 records of which
the 3 PCT ones (Country WO) are kept and the 37 Brazilian national ones quarantined, each naming
its number and office, and the spot-checked rows' values.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipanalysis.clean.records import read_pct_list

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "records"
FILE = "patentscope_resultlist_br_wo_cut.xls"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))[FILE]


@pytest.fixture(scope="module")
def result():
    return read_pct_list(CORPUS / FILE)


def test_the_file_is_the_one_its_source_note_describes():
    digest = hashlib.sha256((CORPUS / FILE).read_bytes()).hexdigest()
    assert digest == "8c8cb283f088886dd0850e987d96d99ff4c53e0ea94a1429c22696a977174b3a"
    assert f"**sha256** `{digest}`" in (CORPUS / "SOURCE.md").read_text(encoding="utf-8")


def test_every_record_is_kept_or_quarantined(result):
    assert EXPECTED["data_rows"] == 40
    assert result.reconciliation() == {
        "file": FILE,
        "rows_read": EXPECTED["data_rows"],
        "rows_kept": EXPECTED["country_counts"]["WO"],
        "rows_quarantined": EXPECTED["country_counts"]["BR"],
        "reconciles": True,
    }


def test_the_header_is_found_below_the_preamble(result):
    header_row = EXPECTED["header_row_index"] + 1  # as a spreadsheet shows it
    assert result.data["raw_row"].min() > header_row
    assert set(result.quarantine["sheet"]) == {EXPECTED["sheet"]}
    assert set(result.quarantine["column"]) == {"Application Number"}
    assert result.notes == [
        "columns not read: Application Id, Title, I P C",
        "3 row(s) with region unknown: no region column or address in the file names their "
        "region; give the region for the whole file with --region NAME (region= in read_pct_list)",
    ]


def test_the_pct_rows_are_the_spot_checked_ones(result):
    checks = [c for c in EXPECTED["spot_checks"] if c["Country"] == "WO"]
    assert len(checks) == 3
    data = result.data.set_index("raw_row")
    for check in checks:
        row = data.loc[check["row"] + 1]
        day, month, year = check["Application Date"].split(".")
        assert row["application_number"] == check["Application Number"]
        assert row["filing_date"] == pd.Timestamp(f"{year}-{month}-{day}")
        assert row["receiving_office"] == check["Application Number"][4:6]
    assert result.data["application_number"].tolist() == [
        "PCT/BR2013/000094",
        "PCT/BR2014/000073",
        "PCT/ES2010/000421",
    ]
    assert result.data[["applicants", "address", "region"]].isna().all().all()
    assert result.data["domestic"].isna().all()


def test_a_national_record_is_quarantined_naming_its_number_and_office(result):
    checks = [c for c in EXPECTED["spot_checks"] if c["Country"] == "BR"]
    assert len(checks) == 2
    entries = result.quarantine.set_index("raw_row")
    for check in checks:
        entry = entries.loc[check["row"] + 1]
        assert entry["reason"] == (
            f"not a PCT international application number: '{check['Application Number']}' "
            "(Country BR: an application of that office, not a PCT one; expected e.g. "
            "PCT/CN2024/123456)"
        )
        record = json.loads(entry["record"])
        assert record["Application Id"] == check["Application Id"]
        assert record["Application Date"] == check["Application Date"]
