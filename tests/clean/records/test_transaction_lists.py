"""Transfer, licence and pledge lists: one row per registration. Fixtures have the real CNIPA
gazette and platform field names with MADE-UP rows (tests/fixtures/records/SOURCE.md); the bad
inputs are built here, each with its exact result."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipanalysis.clean.records import event_types, read_transactions
from ipanalysis.clean.records.result import validate
from ipanalysis.errors import InputError
from ipanalysis.schemas import TransactionList, TransactionTable

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
BANK = "上海农村商业银行股份有限公司松江支行"


def write(tmp_path: Path, lines: list[str], name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def entries(result) -> list[tuple]:
    frame = result.quarantine[["raw_row", "column", "reason"]]
    return list(frame.itertuples(index=False, name=None))


def test_a_pledge_covering_several_patents_is_one_registration():
    result = read_transactions(FIXTURES / "pledge_gazette_pe01.csv", region="松江区")
    data = result.data
    assert list(data.columns) == list(TransactionList.to_schema().columns)
    assert data[["event_type", "registration_id", "patent_count", "raw_rows"]].values.tolist() == [
        ["pledge", "Y2024310000101", 3, "2;3;4"],
        ["pledge", "Y2024310000102", 1, "5"],
    ]
    assert data.loc[0, "patents"] == "CN202410000001.X;CN202420000002.X;CN202430000003.X"
    assert data.loc[0, ["holder", "counterparty"]].tolist() == ["上海甲科技有限公司", BANK]
    assert data["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-15", "2024-06-20"]
    assert data["region"].tolist() == ["310117", "310117"]
    assert data["amount"].isna().all()  # the gazette gives no amount: missing, never 0
    assert result.reconciliation() == {
        "file": "pledge_gazette_pe01.csv",
        "rows_read": 6,
        "rows_kept": 4,
        "rows_quarantined": 2,
        "reconciles": True,
    }
    assert entries(result) == [
        (6, "专利号", "check digit '9' does not match 202410000005 (expected '8')"),
        (7, "登记号", "registration Y2024310000103 is set aside whole: row 6 of it has a problem"),
    ]
    assert result.notes == [
        "columns not read: 使用外观设计的产品名称",
        "event type: pledge (from the headers 登记号, 出质人, 质权人)",
        "1 registration(s) listed over 3 rows (rows sharing a registration number are one "
        "registration, their patents listed together)",
        "no amount column: amounts missing (never 0)",
        "address and region: the holder's (the list gives no address of the holder)",
        "region given: 310117 (松江区), used for 2 row(s) the file places no more precisely",
    ]


def test_platform_pledges_amounts_in_wan_yuan_taken_once_per_registration():
    result = read_transactions(FIXTURES / "pledge_platform.xlsx")
    data = result.data
    assert data["registration_id"].tolist() == [
        "Y2023310000201",
        "Y2023310000202",
        "Y2023310000204",
    ]
    # 300 万元; 1250.5 万元 on both rows of one registration: taken once, not summed; — missing
    assert data["amount"].tolist()[:2] == [3_000_000.0, 12_505_000.0]
    assert pd.isna(data.loc[2, "amount"])
    assert data["patents"].tolist() == [
        "CN202310000007.2;CN202310000008.7",
        "CN202310000009.1;CN202320000010.X",
        "CN202310000012.3",
    ]
    assert data["patent_count"].tolist() == [2, 2, 1]
    assert data["cancelled_on"].dt.strftime("%Y-%m-%d").fillna("").tolist() == [
        "2024-04-09",
        "",
        "",
    ]
    assert data[["address", "region"]].values.tolist() == [
        ["上海市松江区新桥镇", "310117"],
        ["上海市松江区九亭镇", "310117"],
        ["上海市青浦区", "310118"],
    ]
    assert data["raw_rows"].tolist() == ["3", "4;5", "7"]
    assert entries(result) == [
        (6, "质押保全类型", "a preservation (保全), not a pledge registration: '保全'"),
        (
            8,
            "质押金额（万元）",
            "rows 8, 9 of registration Y2023310000205 give different amounts: 5,000,000.00 元, "
            "6,000,000.00 元",
        ),
        (
            9,
            "质押金额（万元）",
            "rows 8, 9 of registration Y2023310000205 give different amounts: 5,000,000.00 元, "
            "6,000,000.00 元",
        ),
        (10, "解除日期", "released on 2023-08-01, before the registration date 2023-09-01"),
    ]
    assert result.reconciliation()["reconciles"] and result.rows_kept == 4
    assert result.notes == [
        "columns not read: 质押保全权力类型, 变更日期",
        "event type: per row, from 质押保全类型",
        "1 registration(s) listed over 2 rows (rows sharing a registration number are one "
        "registration, their patents listed together)",
        "amount: 质押金额（万元） in 万元, converted to 元; 1 registration(s) without an amount "
        "(missing, never 0)",
        "address and region: the holder's (出质人地址)",
    ]


def test_licence_records_told_by_the_gazette_headers():
    result = read_transactions(FIXTURES / "licence_gazette_ee01.csv")
    data = result.data
    assert data[
        ["event_type", "registration_id", "patent_count", "licence_kind"]
    ].values.tolist() == [
        ["licence", "X2024310000301", 1, "独占许可"],
        ["licence", "X2024310000302", 2, "普通许可"],
    ]
    assert data.loc[1, ["holder", "counterparty"]].tolist() == ["上海甲大学", "上海丙有限公司"]
    assert entries(result) == [(5, "备案日期", "impossible date '2024-13-01'")]
    assert (
        result.notes[1] == "event type: licence (from the headers 合同备案号, 许可种类, 备案日期)"
    )
    assert result.notes[-1] == (
        "2 row(s) with region unknown: no region column or address in the file names their "
        "region; give the region for the whole file with --region NAME (region= in "
        "read_transactions)"
    )


def test_transfers_without_registration_numbers_count_a_row_each():
    result = read_transactions(FIXTURES / "transfer_gazette_tr01.csv")
    data = result.data
    assert data[["event_type", "patents", "holder", "counterparty"]].values.tolist() == [
        ["transfer", "CN202110000020.9", "上海甲有限公司", "上海乙有限公司"],
        ["transfer", "CN202120000021.9", "上海甲有限公司", "上海乙有限公司"],
    ]
    assert data["registration_id"].isna().all()
    assert entries(result) == [
        (4, "专利号", "duplicate transfer of CN202110000020.9 on 2024-03-01 (row 2 is kept)"),
        (5, "登记生效日", "no registration date"),
    ]
    assert result.notes[:3] == [
        "columns not read: IPC(主分类), 变更事项",
        "event type: transfer (from the headers 变更事项, 变更前权利人, 变更后权利人)",
        "2 row(s) without a registration number: each counted as one registration",
    ]


TRANSFER_HEADER = "专利号,转让登记日,转让人,受让人,转让人地址,受让人地址"
TRANSFER_ROW = (
    "ZL202110000020.9,2024-03-01,上海甲有限公司,苏州乙有限公司,上海市松江区,江苏省苏州市昆山市"
)


def test_the_region_is_the_chosen_partys(tmp_path):
    path = write(tmp_path, [TRANSFER_HEADER, TRANSFER_ROW])
    holder = read_transactions(path)
    assert holder.data[["address", "region"]].values.tolist() == [["上海市松江区", "310117"]]
    assert holder.notes[-1] == "address and region: the holder's (转让人地址)"
    other = read_transactions(path, party="counterparty")
    assert other.data[["address", "region"]].values.tolist() == [["江苏省苏州市昆山市", "320583"]]
    assert other.notes[-1] == "address and region: the counterparty's (受让人地址)"
    with pytest.raises(InputError) as error:
        read_transactions(path, party="assignee")
    assert str(error.value) == "party must be 'holder' or 'counterparty', not 'assignee'"


def test_amounts_in_yuan_or_written_in_the_cell(tmp_path):
    yuan = write(
        tmp_path, ["质押登记号,生效日期,担保金额（元）", "Y1,2024-01-02,3500000", "Y2,2024-01-03,—"]
    )
    result = read_transactions(yuan)
    assert result.data["amount"].tolist()[0] == 3_500_000.0 and pd.isna(result.data["amount"][1])
    cells = write(
        tmp_path, ["质押登记号,生效日期,质押金额", "Y1,2024-01-02,500万元", "Y2,2024-01-03,0.2亿元"]
    )
    assert read_transactions(cells).data["amount"].tolist() == [5_000_000.0, 20_000_000.0]
    bare = write(tmp_path, ["质押登记号,生效日期,质押金额", "Y1,2024-01-02,500"])
    with pytest.raises(InputError) as error:
        read_transactions(bare)
    assert str(error.value) == (
        "list.csv: the header row (row 1) cannot be read: (1) the amount column '质押金额' names "
        "no unit: write it 质押金额（万元） or 质押金额（元）. It holds: 质押登记号, 生效日期, 质押金额"
    )


def test_a_mixed_list_reads_the_event_of_each_row(tmp_path):
    lines = [
        "业务类型,登记号,专利号,登记日期",
        "转让,,ZL202110000020.9,2024-01-02",
        "专利实施许可合同备案的生效,X1,ZL202110000020.9,2024-01-03",
        "质押,Y1,ZL202110000020.9,2024-01-04",
        "专利权质押合同登记的注销,Y1,ZL202110000020.9,2024-02-04",
        "赠与,,ZL202110000020.9,2024-01-05",
    ]
    result = read_transactions(write(tmp_path, lines))
    assert result.data["event_type"].tolist() == ["transfer", "licence", "pledge"]
    assert entries(result) == [
        (5, "业务类型", "a change or cancellation, not a registration: '专利权质押合同登记的注销'"),
        (
            6,
            "业务类型",
            "unknown event '赠与' (expected 转让/转移, 许可 or 质押, or TR01, EE01, PE01)",
        ),
    ]
    assert result.notes == [
        "event type: per row, from 业务类型",
        "1 row(s) without a registration number: each counted as one registration",
        "no amount column: amounts missing (never 0)",
        "address and region: the holder's (the list gives no address of the holder)",
        "3 row(s) with region unknown: no region column or address in the file names their "
        "region; give the region for the whole file with --region NAME (region= in "
        "read_transactions)",
    ]


def test_the_kind_is_told_by_the_file_name_or_given(tmp_path):
    lines = ["专利号,登记日期,让与人,受让人", "ZL202110000020.9,2024-01-02,甲,乙"]
    named = write(tmp_path, lines, name="2024年专利转让清单.csv")
    assert (
        read_transactions(named).notes[0]
        == "event type: transfer (from the file name 2024年专利转让清单)"
    )
    plain = write(tmp_path, lines)
    with pytest.raises(InputError) as error:
        read_transactions(plain)
    assert str(error.value) == (
        "list.csv: the header row (row 1) cannot be read: (1) cannot tell whether the list holds "
        "transfers, licences or pledges: give kind= (--kind transfer, licence or pledge). It "
        "holds: 专利号, 登记日期, 让与人, 受让人"
    )
    assert read_transactions(plain, kind="许可").data["event_type"].tolist() == ["licence"]
    with pytest.raises(InputError) as error:
        read_transactions(plain, kind="gift")
    assert str(error.value) == (
        "kind must be transfer (转让), licence (许可) or pledge (质押), not 'gift'"
    )


def test_a_kind_the_headers_contradict_is_refused_with_every_header_problem(tmp_path):
    path = write(tmp_path, ["出质人,质权人,质押金额", "甲公司,乙银行,500"])
    with pytest.raises(InputError) as error:
        read_transactions(path, kind="transfer")
    assert str(error.value) == (
        "list.csv: the header row (row 1) cannot be read: (1) no registration date column: "
        "expected 登记生效日, 备案日期 or 生效日期 (or 登记日期); (2) no column identifies the "
        "registrations: expected 登记号 / 合同备案号 / 质押登记号 (registration number) or 专利号 "
        "(patent number); (3) the amount column '质押金额' names no unit: write it 质押金额（万元） "
        "or 质押金额（元）; (4) the headers are a pledge list's (出质人, 质权人, 质押金额), not a "
        "transfer list's: give kind=pledge (--kind pledge), or leave it out. It holds: 出质人, "
        "质权人, 质押金额"
    )


def test_the_registrations_serve_the_flow_counts():
    data = read_transactions(FIXTURES / "pledge_platform.xlsx").data
    table = data.assign(application_number=data["patents"].str.split(";").str[0])
    TransactionTable.validate(table[list(TransactionTable.to_schema().columns)])


def test_a_schema_failure_is_one_problem_per_row_and_check():
    frame = pd.DataFrame(
        {
            "event_type": ["pledge"],
            "registration_id": ["Y1"],
            "date": [pd.Timestamp("2024-05-06")],
            "patents": ["CN202110000020.9"],
            "patent_count": pd.array([1], dtype="Int64"),
            "holder": ["甲"],
            "counterparty": ["乙"],
            "address": [None],
            "region": [None],
            "amount": [1.0],
            "cancelled_on": [pd.Timestamp("2024-05-01")],
            "licence_kind": [None],
            "source_file": ["x.csv"],
            "raw_row": [2],
            "raw_rows": ["2"],
        }
    )
    kept, problems = validate(frame, TransactionList)
    assert kept.empty
    assert problems == [
        (0, None, "fails the schema check cancelled_not_before_registered: 'the row'")
    ]


def test_event_texts():
    out = event_types(pd.Series(["TR01", "EE01", "PC01", "专利权的转移", "保全"]))
    assert out["event"].tolist()[:2] == ["transfer", "licence"]
    assert out["event"].tolist()[3] == "transfer"
    assert out["reason"].tolist()[2] == "a change or cancellation, not a registration: 'PC01'"
    assert out["reason"].tolist()[4] == "a preservation (保全), not a pledge registration: '保全'"


def test_rows_of_one_registration_that_disagree_on_the_date_are_quarantined_all(tmp_path):
    lines = [
        "专利号,登记号,登记生效日,出质人,质权人",
        "ZL202110000020.9,Y1,2024-03-01,甲,乙",
        "ZL202120000021.9,Y1,2024-03-02,甲,乙",
        "ZL202110000022.8,Y2,2024-03-02,甲,乙",
    ]
    result = read_transactions(write(tmp_path, lines), kind="pledge")
    assert result.data["registration_id"].tolist() == ["Y2"]
    reason = "rows 2, 3 of registration Y1 give different dates: 2024-03-01, 2024-03-02"
    assert entries(result) == [(2, "登记生效日", reason), (3, "登记生效日", reason)]
    assert result.reconciliation()["reconciles"]


def test_with_a_kind_each_rows_own_event_is_still_checked():
    result = read_transactions(FIXTURES / "pledge_platform.xlsx", kind="pledge")
    assert result.notes[1] == "event type: pledge (kind=), checked row by row from 质押保全类型"
    assert entries(result)[0] == (
        6,
        "质押保全类型",
        "a preservation (保全), not a pledge registration: '保全'",
    )
    assert len(result.data) == 3


def test_a_row_of_another_event_in_a_list_of_one_kind_is_quarantined(tmp_path):
    lines = ["业务类型,登记号,专利号,登记日期", "质押,Y1,ZL202110000020.9,2024-01-04"]
    lines.append("转让,,ZL202110000020.9,2024-01-02")
    result = read_transactions(write(tmp_path, lines), kind="质押")
    assert result.data["event_type"].tolist() == ["pledge"]
    assert entries(result) == [(3, "业务类型", "a transfer row in a list of pledges (kind=pledge)")]
