"""The record headers are data: every real field name of LAYOUTS.md is in the alias table, each
alias names a column of its list's canonical table, and a header row is read whatever its spacing
or bracket width."""

from __future__ import annotations

from pathlib import Path

from ipanalysis.clean.records import (
    ACTIVITY_COLUMNS,
    MADRID_COLUMNS,
    PCT_COLUMNS,
    PII_COLUMNS,
    TRANSACTION_COLUMNS,
    VALUE_ADDED_COLUMNS,
    load_record_aliases,
)
from ipanalysis.clean.records.headers import plan_headers

LAYOUTS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "records" / "LAYOUTS.md"
#: Columns a list reads that are not in its canonical table (read to derive one that is).
READ_ONLY = {
    "pct": {"office"},
    "madrid": {"application_number", "filing_date", "registration_date"},
    "transactions": {"holder_address", "counterparty_address"},
    "pii": {"example"},
    "activity": {"region"},
}
CANONICAL = {
    "pct": PCT_COLUMNS,
    "madrid": MADRID_COLUMNS,
    "transactions": TRANSACTION_COLUMNS,
    "value_added": VALUE_ADDED_COLUMNS,
    "pii": PII_COLUMNS,
    "activity": ACTIVITY_COLUMNS,
}


def test_every_real_field_name_found_is_an_alias():
    aliases = load_record_aliases()
    real = {
        "pct": ["Application Id", "Application Number", "Application Date", "Country", "Title"],
        "transactions": [
            "专利号",
            "登记号",
            "登记生效日",
            "出质人",
            "质权人",
            "合同备案号",
            "让与人",
        ]
        + [
            "受让人",
            "许可种类",
            "备案日期",
            "变更前权利人",
            "变更后权利人",
            "质押登记号",
            "生效日期",
        ]
        + [
            "解除日期",
            "解除日",
            "质押保全类型",
            "质押保全权力类型",
            "变更日期",
            "使用外观设计的产品名称",
        ],
        "madrid": ["(151)", "Date of the registration"],
    }
    text = LAYOUTS.read_text(encoding="utf-8")
    for kind, headers in real.items():
        listed = set(aliases.loc[aliases["list"] == kind, "header"])
        for header in headers:
            assert header in text, header  # the name is the one LAYOUTS.md records
            assert header in listed, (kind, header)
    checked = aliases.loc[aliases["header"].isin(real["transactions"]), "checked"]
    assert set(checked) == {"layout"}


def test_each_alias_names_a_column_its_list_reads():
    aliases = load_record_aliases()
    assert set(aliases["list"]) == set(CANONICAL)
    assert set(aliases["checked"]) == {"yes", "layout", "no", "canonical"}
    assert set(aliases["kind"]) == {"", "transfer", "licence", "pledge"}
    for kind, columns in CANONICAL.items():
        named = set(
            aliases.loc[(aliases["list"] == kind) & (aliases["canonical"] != ""), "canonical"]
        )
        assert named <= set(columns) | READ_ONLY.get(kind, set()), (kind, named - set(columns))
    assert not aliases.duplicated(["list", "header"]).any()


def test_headers_match_whatever_their_spacing_and_bracket_width():
    plan = plan_headers(
        ["质押金额(万元)", " 出 质 人 ", "APPLICATION NUMBER", "备注"], "transactions"
    )
    assert plan.mapping == {"质押金额(万元)": "amount", " 出 质 人 ": "holder"}
    assert plan.units == {"amount": "万元", "holder": None}
    assert plan.unknown == ["APPLICATION NUMBER", "备注"]
    assert plan_headers(["Application  Number"], "pct").mapping == {
        "Application  Number": "application_number"
    }
