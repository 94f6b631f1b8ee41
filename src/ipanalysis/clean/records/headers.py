"""Record-list headers as data: ``reference/record_columns.csv``, the header row, the header map."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ipanalysis.clean.patents.headers import (
    HEADER_SEARCH_ROWS,
    _cells_text,
    _header_key,
    _read_alias_table,
)
from ipanalysis.clean.text import split_unit
from ipanalysis.errors import InputError

#: The lists of the alias table and the headers an error shows as examples of each.
LISTS: dict[str, str] = {
    "pct": "国际申请号, 国际申请日, 申请人, 申请人地址 (or PATENTSCOPE's Application Number, "
    "Application Date)",
    "madrid": "国际注册号 or 申请号, 注册日期 or 申请日期, 申请人, 地址, 指定国家",
    "transactions": "专利号, 登记号 / 合同备案号 / 质押登记号, 登记生效日 / 备案日期 / 生效日期, "
    "出质人 / 让与人 / 变更前权利人, 质权人 / 受让人 / 变更后权利人",
    "value_added": "行业代码, 行业名称, 增加值（万元）",
    "pii": "大类代码, 中类代码, 中类名称, 国民经济行业代码, 部分",
    "activity": "activity, region_code, year, count, source",
}


def _alias_table() -> pd.DataFrame:
    return _read_alias_table("record_columns.csv")


def load_record_aliases() -> pd.DataFrame:
    """The alias table ``reference/record_columns.csv``: list, header, canonical, kind, checked,
    source.

    ``list`` is the reader (pct, madrid, transactions, value_added, pii, activity); a blank
    ``canonical`` marks a header known and deliberately not read; ``kind`` (transactions) the
    event a header tells (出质人: pledge); ``checked`` says where the header comes from: ``yes``
    (seen in a real file), ``layout`` (a field name read from real public material:
    ``tests/fixtures/corpus/records/LAYOUTS.md``), ``no`` (an office-list header, no real file
    seen) or ``canonical``.

    >>> aliases = load_record_aliases()
    >>> aliases.loc[aliases["header"] == "出质人", ["list", "canonical", "kind", "checked"]].values.tolist()
    [['transactions', 'holder', 'pledge', 'layout']]
    """
    return _alias_table().drop(columns=["key", "rank"]).copy()


@functools.lru_cache(maxsize=8)
def _lookup(kind: str) -> dict[str, tuple[str, str, int]]:
    """Header key → (canonical, event kind, rank) for one list."""
    table = _alias_table()
    rows = table[table["list"] == kind]
    return {
        key: (canonical, hint, int(rank))
        for key, canonical, hint, rank in zip(
            rows["key"], rows["canonical"], rows["kind"], rows["rank"], strict=True
        )
    }


def _known(header: object, kind: str) -> tuple[str, str, int, str | None] | None:
    """(canonical, event kind, rank, unit) of a header, or None: the header as written, else
    its label without a unit in brackets (质押金额（万元） is 质押金额 in 万元)."""
    lookup = _lookup(kind)
    found = lookup.get(_header_key(header))
    if found is not None:
        return (*found, None)
    label, unit = split_unit(str(header))
    found = lookup.get(_header_key(label)) if unit else None
    return None if found is None else (*found, unit)


@dataclass
class HeaderPlan:
    """What a header row says: header → canonical column, the unit a header names, the
    headers not read (unknown, known but not read, or a second source of a column) and the
    event kinds the headers tell (transactions)."""

    mapping: dict[str, str] = field(default_factory=dict)
    units: dict[str, str | None] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    hints: dict[str, list[str]] = field(default_factory=dict)

    @property
    def reverse(self) -> dict[str, str]:
        """Canonical column → the header it was read from."""
        return {canonical: header for header, canonical in self.mapping.items()}


def plan_headers(names: Sequence[str], kind: str) -> HeaderPlan:
    """The :class:`HeaderPlan` of a header row for one list (``kind``).

    Headers are compared after NFKC (full-width brackets and spaces), without spaces and
    case-folded; when two headers give one column, the one listed first in the alias table wins.

    >>> plan = plan_headers(["专利号", "质押登记号", "出质人", "质押金额（万元）", "备注"], "transactions")
    >>> plan.mapping, plan.units["amount"], plan.unknown, plan.hints["pledge"]
    ({'专利号': 'patents', '质押登记号': 'registration_id', '出质人': 'holder', '质押金额（万元）': 'amount'}, '万元', ['备注'], ['质押登记号', '出质人', '质押金额（万元）'])
    """
    plan = HeaderPlan()
    chosen: dict[str, tuple[int, str, str | None]] = {}
    for name in names:
        found = _known(name, kind)
        if found is None:
            if not name.startswith("(column "):
                plan.unknown.append(name)
            continue
        canonical, hint, rank, unit = found
        if hint:
            plan.hints.setdefault(hint, []).append(name)
        if not canonical:
            plan.ignored.append(name)
        elif canonical not in chosen or rank < chosen[canonical][0]:
            if canonical in chosen:
                plan.dropped.append(chosen[canonical][1])
            chosen[canonical] = (rank, name, unit)
        else:
            plan.dropped.append(name)
    plan.mapping = {name: canonical for canonical, (_, name, _) in chosen.items()}
    plan.units = {canonical: unit for canonical, (_, _, unit) in chosen.items()}
    plan.mapping = {n: plan.mapping[n] for n in names if n in plan.mapping}  # file order
    return plan


def header_score(cells: Sequence[object], kind: str) -> int:
    """How many distinct columns of list ``kind`` a row's cells name."""
    found = {_known(c, kind) for c in cells if isinstance(c, str) and c.strip()}
    return len({f[0] or f"(ignored {f[2]})" for f in found if f is not None})


def find_header(rows: Sequence[Sequence[object]], kind: str) -> int | None:
    """Index of the header among the first rows: the row naming most columns (at least 2)."""
    best, best_score = None, 1
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(cells, kind)
        if score > best_score:
            best, best_score = i, score
    return best


def no_header_error(rows: Sequence[Sequence[object]], kind: str, **where) -> InputError:
    """The error for a sheet without a header row of list ``kind``, showing its first row."""
    first = next((_cells_text(r) for r in rows if _cells_text(r)), [])
    shown = ", ".join(first[:12]) + (", …" if len(first) > 12 else "")
    return InputError(
        f"no header row in the first {HEADER_SEARCH_ROWS} rows: expected a row with headers "
        f"such as {LISTS[kind]} (see reference/record_columns.csv, list '{kind}'); the first "
        f"row holds: {shown or 'nothing'}",
        **where,
    )


def header_error(problems: list[str], names: Sequence[str], header_row: int, **where):
    """Every problem of a header row in one error, with what the row holds."""
    numbered = "; ".join(f"({i}) {p}" for i, p in enumerate(problems, 1))
    return InputError(
        f"the header row (row {header_row}) cannot be read: {numbered}. It holds: "
        + ", ".join(names),
        **where,
    )
