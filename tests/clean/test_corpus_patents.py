"""Real public patent exports (tests/fixtures/corpus/patents) read with no hand edit.

Every file is read as it is (no option); every spot-check value of expected.yaml (read from the
file itself by other tools) is checked against the canonical table, or, for a row the reader
quarantined, against the quarantined record; and rows read = kept + quarantined.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipanalysis.clean.patents import read_patent_export

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "patents"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["files"]
AS_OF = "2026-11-29"
TYPES = {"发明申请": "invention", "授权发明": "invention", "发明专利": "invention"}
TYPES |= {"实用新型": "utility_model", "外观设计": "design"}


@pytest.fixture(scope="module")
def results():
    return {e["file"]: read_patent_export(CORPUS / e["file"], as_of=AS_OF) for e in EXPECTED}


def day(text: str) -> str:
    """A date as exported (2014.12.02, 2025/3/25, 2020-04-28 00:00:00) as YYYY-MM-DD."""
    return pd.Timestamp(text.replace(".", "-").split(" ")[0]).strftime("%Y-%m-%d")


def plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d")
    return value


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_each_file_is_the_one_described(expected):
    digest = hashlib.sha256((CORPUS / expected["file"]).read_bytes()).hexdigest()
    assert digest == expected["sha256"]


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_each_file_reads_and_reconciles(results, expected):
    result = results[expected["file"]]
    assert result.rows_read == expected["data_rows"]
    assert result.rows_read == result.rows_kept + result.rows_quarantined
    assert result.reconciliation()["reconciles"]


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_every_spot_check_value(results, expected):
    result = results[expected["file"]]
    for check in expected["spot_checks"]:
        kept = result.data[result.data["raw_row"] == check["row"]]
        if kept.empty:  # quarantined: the record as exported holds the values
            entry = result.quarantine[result.quarantine["raw_row"] == check["row"]]
            assert len(entry) >= 1, check
            record = json.loads(entry["record"].iloc[0])
            for key, value in check.items():
                if key.endswith("_column") and value in record and check[key[:-7]]:
                    assert record[value] == str(check[key[:-7]]), (check["row"], key)
            continue
        row = {k: plain(v) for k, v in kept.iloc[0].items()}
        assert row["publication_number"] == check["publication_number"]
        if "application_number" in check:
            assert row["application_number"] == check["application_number"]
            assert row["application_key"] == check["application_number"].split(".")[0]
        else:
            assert row["application_key"] == check["publication_number"]
        if "filing_date" in check:
            assert row["filing_date"] == day(check["filing_date"])
        if "application_year" in check:
            assert row["filing_year"] == int(check["application_year"])
        if "publication_date" in check:
            assert row["publication_date"] == day(str(check["publication_date"]))
        separator = expected["multi_value_separator"].strip()
        names = [n.strip() for n in check["applicants"].split(separator)]
        assert row["applicants"] == ";".join(names)
        assert row["patentee"] == check["first_applicant"]
        if "ipc" in check:
            first = row["ipc"].split(";")[0] if row["ipc"] else None
            wanted = None if check["first_ipc"] in ("", "-") else check["first_ipc"]
            assert first == wanted
        if "legal_status" in check:
            assert row["legal_status_text"] == (check["legal_status"] or None)
        if "patent_type" in check:
            assert row["patent_type"] == TYPES[check["patent_type"]]
        if "applicant_province" in check:  # CNKI's 国省名称
            assert row["province_text"] == check["applicant_province"]


def test_what_each_file_lacks_is_said_and_kept_unknown(results):
    # PatSnap: no 申请号 (keyed on 公开(公告)号), no address: the rows are kept, region unknown
    aviation = results["patsnap_green_aviation_20240401085613950_first20.xlsx"]
    assert aviation.notes[2] == (
        "no 申请号 column: records are keyed on the publication number (公开（公告）号)"
    )
    assert aviation.data["region"].isna().all()
    # its row 2 (CN109808866B, 未缴年费) ended without a lapse date: quarantined with the reason
    assert aviation.quarantine[["raw_row", "column", "reason"]].to_dict("records") == [
        {
            "raw_row": 2,
            "column": "法律状态/事件",
            "reason": "the legal status '未缴年费' says the right has ended, but the export gives "
            "no lapse date (失效日期)",
        }
    ]
    # PatSnap's 州/省 + 地市 + 区县 give the county: 重庆 重庆 铜梁区
    chongqing = results["patsnap_zhongzhixin_renamed_headers_first20.xlsx"]
    assert chongqing.data["region"].iloc[0] == "500151"
    assert chongqing.data["filing_date"].isna().all()
    # CNKI gives the province only (广东省)
    cnki = results["cnki_patent_sysu_first20.csv"]
    assert set(cnki.data["region"]) == {"440000"}


def test_cnipa_combined_date_column_and_the_region_option():
    # 申请公布日/授权公告日 with 法律状态 专利权的终止 and a design (S) publication: a grant date;
    # 法律状态最后修改日期 gives the end of the right
    result = read_patent_export(
        CORPUS / "cnipa_pss_crawler_will4906.xls", as_of=AS_OF, region="北京市海淀区"
    )
    first = result.data.iloc[0]
    assert (plain(first["grant_date"]), plain(first["lapse_date"])) == ("2015-08-26", "2017-01-25")
    assert first["application_number"] == "CN201430491695.9"
    assert result.data["region"].unique().tolist() == ["110108"]
    assert result.notes[-1] == "region given: 110108"
