"""Patent transfer (转让/转移), licence record (许可备案) and pledge registration (质押登记) lists.

:func:`read_transactions` reads any of the three into one row per **registration**.

Rules
-----
* **event_type** — ``kind=`` (transfer / licence / pledge, or 转让 / 转移 / 许可 / 质押); else a
  per-row column (业务类型, 法律事件, the platform's 质押保全类型: 转让, 许可, 质押, or the gazette's
  event codes TR01 / EE01 / PE01); else told by the headers (the ``kind`` column of
  ``reference/record_columns.csv``: 出质人, 质权人, 质押登记号 → pledge; 合同备案号, 许可种类,
  备案日期 → licence; 变更前权利人, 变更后权利人 → transfer); else by the file or sheet name
  (质押, 许可, 转让/转移). A list the headers tell of another kind than ``kind=`` is refused; a
  per-row column is read even with ``kind=``, and a row of another event is quarantined. A
  row whose event is a change or cancellation (EM01, EC01, PM01, PC01, …注销, …解除) or a
  preservation (保全) is not a registration: it is quarantined with that reason.
* **registration_id** — 登记号 (gazette, pledges), 合同备案号 (gazette, licences), 质押登记号
  (platforms). Rows of one event type sharing a registration id are **one registration**: a
  pledge contract covering several patents is registered once and counted once. Its patents are
  listed together (``patents``, ``patent_count``), its parties joined, its amount taken once.
  The rows must agree on the date, the amount and the release date; where they do not, every
  row of the registration is quarantined naming the values. A row with a problem sets the whole
  registration aside (a registration is never counted with some of its patents). A row without
  a registration id is a registration of its own (transfers in the gazette carry none); the
  notes say how many.
* **date** — the registration (recordal) effective date: 登记生效日, 备案日期, 生效日期 …;
  required (a registration is counted by its year).
* **patents** — CN application numbers with check digit (``ZL201920123456.7`` and
  ``201920123456`` are read; a wrong check digit is a problem), ``;``-joined; ``patent_count``
  counts them (missing where the list names none; never 0). The same patent twice in one
  registration is a duplicate row (quarantined, the first kept).
* **holder** — the patentee before the event: 出质人 (pledgor), 让与人 (licensor), 变更前权利人
  (transferor); **counterparty** — 质权人 (pledgee), 受让人 (licensee or assignee), 变更后权利人.
* **address**, **region** — of the party chosen by ``party``: ``"holder"`` (default: the
  office's own patentees, who pledge, license or transfer) or ``"counterparty"``. A plain 地址
  column is read as the holder's address. The region follows the PCT reader's rule: a region
  column, else the party's address, else ``region=``; otherwise missing and counted in a note.
* **amount** — in 元 (CNY): the unit is read from the header (质押金额（万元） × 10,000,
  担保金额（元）, 金额（亿元）) or the cell (``500万元``); an amount column whose header and cells
  name no unit is refused. Missing where the list gives none — never 0.
* **cancelled_on** — the date a pledge was released (解除日, 解除日期), where given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis.errors import InputError
from ipanalysis.schemas import TransactionList

from .cells import Issues, join_names, quoted, read_amounts, read_dates, region_option, text
from .files import RecordFile, open_records
from .headers import header_error
from .places import place, region_notes
from .result import (
    RecordResult,
    flag_duplicates,
    header_notes,
    quarantine,
    record_rows,
    validate,
)

#: The canonical transaction list, in order (see :class:`ipanalysis.schemas.TransactionList`).
TRANSACTION_COLUMNS = [*TransactionList.to_schema().columns]

#: ``kind=`` words and the event type they name.
KINDS = {
    "transfer": "transfer",
    "转让": "transfer",
    "转移": "transfer",
    "licence": "licence",
    "license": "licence",
    "许可": "licence",
    "许可备案": "licence",
    "pledge": "pledge",
    "质押": "pledge",
    "质押登记": "pledge",
}
PARTIES = ("holder", "counterparty")

#: Per-row event texts, in order: (pattern, event type or None, why it is not a registration).
EVENT_RULES: list[tuple[str, str | None, str]] = [
    (r"^TR01$", "transfer", ""),
    (r"^EE01$", "licence", ""),
    (r"^PE01$", "pledge", ""),
    (r"^(?:EM01|EC01|PM01|PC01)$", None, "a change or cancellation, not a registration"),
    (r"(?:质押|许可).*(?:注销|解除|变更)", None, "a change or cancellation, not a registration"),
    (r"保全", None, "a preservation (保全), not a pledge registration"),
    (r"质押|出质", "pledge", ""),
    (r"许可", "licence", ""),
    (r"转让|转移", "transfer", ""),
]


def event_types(values: pd.Series) -> pd.DataFrame:
    """The event type of each per-row event text (``event``) and why a row is none (``reason``).

    >>> out = event_types(pd.Series(["质押", "PE01", "专利权质押合同登记的注销", "保全", "转移", "赠与"]))
    >>> out["event"].tolist()
    ['pledge', 'pledge', nan, nan, 'transfer', nan]
    >>> out["reason"].dropna().tolist()[-1]
    "unknown event '赠与' (expected 转让/转移, 许可 or 质押, or TR01, EE01, PE01)"
    """
    cells = text(values)
    event = pd.Series(np.nan, index=values.index, dtype=object)
    reason = pd.Series(np.nan, index=values.index, dtype=object)
    todo = cells.notna()
    for pattern, kind, why in EVENT_RULES:
        hit = todo & cells.astype(str).str.upper().str.contains(pattern, regex=True)
        event = event.mask(hit & (kind is not None), kind)
        reason = reason.mask(hit & (kind is None), why + ": " + quoted(cells))
        todo &= ~hit
    reason = reason.mask(
        todo,
        "unknown event "
        + quoted(cells)
        + " (expected 转让/转移, 许可 or 质押, or TR01, EE01, PE01)",
    )
    return pd.DataFrame({"event": event, "reason": reason})


def read_transactions(
    path: str | Path,
    kind: str | None = None,
    sheet: str | None = None,
    region: str | None = None,
    party: str = "holder",
) -> RecordResult:
    """Read a transfer, licence or pledge list (.csv, .xlsx, .xls): one row per registration.

    See the module docstring for every rule. ``kind``: transfer, licence or pledge (default:
    told by the headers or the file name); ``party``: whose address and region the table gives,
    ``"holder"`` (the patentee before the event; default) or ``"counterparty"``.

    Returns
    -------
    RecordResult
        ``data`` validated by :class:`ipanalysis.schemas.TransactionList`, with ``raw_rows``
        (the input rows of each registration), so that ``rows_read == rows_kept +
        rows_quarantined`` counts input rows; ``quarantine`` one entry per problem and row.

    Raises
    ------
    InputError
        The file cannot be read; its header row lacks a date or a column identifying the
        registrations, names no unit for an amount, or tells of another kind than ``kind``, or
        the kind cannot be told (every problem in one message); ``kind``, ``party`` or
        ``region`` is unknown.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> listing = pathlib.Path(tempfile.mkdtemp()) / "pledges.csv"
    >>> _ = listing.write_text("专利号,登记号,登记生效日,出质人,质权人,质押金额（万元）\\n"
    ...     "ZL202223220665.2,Y2024310000123,2024-05-06,甲公司,乙银行,500\\n"
    ...     "ZL202121635235.X,Y2024310000123,2024-05-06,甲公司,乙银行,500\\n", encoding="utf-8")
    >>> result = read_transactions(listing, region="松江区")
    >>> result.data[["event_type", "patent_count", "amount", "region", "raw_rows"]].values.tolist()
    [['pledge', 2, 5000000.0, '310117', '2;3']]
    >>> result.reconciliation()["reconciles"], result.rows_kept
    (True, 2)
    """
    code = region_option(region)
    if party not in PARTIES:
        raise InputError(f"party must be 'holder' or 'counterparty', not {party!r}")
    wanted = _kind_option(kind)
    records = open_records(path, sheet, "transactions")
    event, told = _event_kind(records, wanted)
    issues = Issues()
    rows = _rows(records, *record_rows(records, issues), event, party, code, issues)
    _whole_registrations(rows, issues)
    _duplicates(rows, issues)
    registrations = _merge(rows, records, issues)
    kept, failures = validate(registrations[TRANSACTION_COLUMNS], TransactionList)
    for index, column, reason in failures:
        group = rows.index[rows["group"] == registrations.at[index, "group"]]
        issues.add(pd.Series(True, index=group), column, reason)
    notes = header_notes(records) + [f"event type: {told}"]
    notes += _notes(records, rows, kept, party)
    placed = registrations.loc[kept.index, ["region", "by_option", "unknown_unit"]]
    notes += region_notes(placed, code, "--region NAME (region= in read_transactions)")
    return RecordResult(
        data=kept.reset_index(drop=True),
        quarantine=quarantine(records, issues),
        rows_read=len(records.body),
        file=records.path.name,
        notes=notes,
    )


def _kind_option(kind: str | None) -> str | None:
    if kind is None or str(kind).strip() == "":
        return None
    found = KINDS.get(str(kind).strip().casefold())
    if found is None:
        raise InputError(
            f"kind must be transfer (转让), licence (许可) or pledge (质押), not {kind!r}"
        )
    return found


_NAME_WORDS = {"质押": "pledge", "出质": "pledge", "许可": "licence", "转让": "transfer"}
_NAME_WORDS |= {"转移": "transfer", "pledge": "pledge", "licen": "licence", "transfer": "transfer"}


def _event_kind(records: RecordFile, wanted: str | None) -> tuple[str | None, str]:
    """The list's event type (None: per row, from its column) and how it was told; every
    header problem raised in one message."""
    plan, present = records.plan, set(records.plan.mapping.values())
    hints = {k: v for k, v in plan.hints.items() if v}
    problems = []
    if "date" not in present:
        problems.append(
            "no registration date column: expected 登记生效日, 备案日期 or 生效日期 (or 登记日期)"
        )
    if not present & {"registration_id", "patents"}:
        problems.append(
            "no column identifies the registrations: expected 登记号 / 合同备案号 / 质押登记号 "
            "(registration number) or 专利号 (patent number)"
        )
    problems += _unit_problems(records)
    by_headers = max(hints, key=lambda k: len(hints[k])) if hints else None
    if by_headers and sum(len(v) == len(hints[by_headers]) for v in hints.values()) > 1:
        by_headers = None  # a tie: the headers do not tell
    named = next((k for w, k in _NAME_WORDS.items() if w in _list_name(records)), None)
    event, told = wanted, "kind=" if wanted else ""
    if wanted and hints and wanted not in hints:
        other = by_headers or next(iter(hints))
        problems.append(
            f"the headers are a {other} list's ({', '.join(hints[other])}), not a {wanted} "
            f"list's: give kind={other} (--kind {other}), or leave it out"
        )
    elif "event_type" in present:
        told = f"{wanted} (kind=), checked row by row" if wanted else "per row,"
        told += f" from {plan.reverse['event_type']}"
    elif wanted is None and (by_headers or named):
        event = by_headers or named
        told = (
            f"{event} (from the headers {', '.join(hints[event])})"
            if by_headers
            else f"{event} (from the file name {_list_name(records)})"
        )
    elif wanted is None:
        problems.append(
            "cannot tell whether the list holds transfers, licences or pledges: give kind= "
            "(--kind transfer, licence or pledge)"
        )
    if problems:
        raise header_error(problems, records.names, records.header_row, **records.where)
    return event, told if told != "kind=" else f"{event} (kind=)"


def _list_name(records: RecordFile) -> str:
    return f"{records.path.stem} {records.sheet or ''}".strip().casefold()


def _unit_problems(records: RecordFile) -> list[str]:
    header = records.plan.reverse.get("amount")
    if header is None or records.plan.units.get("amount"):
        return []
    cells = text(records.body[header]).dropna()
    with_unit = cells.astype(str).str.contains(r"[元]$", regex=True)
    if with_unit.all():
        return []
    return [
        f"the amount column '{header}' names no unit: write it {header}（万元） or {header}（元）"
    ]


def _rows(
    records: RecordFile,
    body: pd.DataFrame,
    column: Callable[[str], pd.Series],
    event: str | None,
    party: str,
    code: str | None,
    issues: Issues,
) -> pd.DataFrame:
    """Each row's values, read and checked (issues recorded), and its registration's ``group``:
    the record rows ``body`` and their cells by ``column`` (:func:`~.result.record_rows`)."""

    event_type = pd.Series(event, index=body.index, dtype=object)
    if "event_type" in records.plan.reverse:  # read even with kind=: a 保全 row is no pledge
        events = event_types(column("event_type"))
        issues.add(events["reason"].notna(), "event_type", events["reason"])
        other = events["event"].notna() & (events["event"] != event) & (event is not None)
        issues.add(
            other,
            "event_type",
            "a " + events["event"].astype(str) + f" row in a list of {event}s (kind={event})",
        )
        event_type = events["event"] if event is None else event_type
    registration = text(column("registration_id")).astype(str).str.replace(r"\s+", "", regex=True)
    registration = registration.str.upper().where(text(column("registration_id")).notna())
    dates = read_dates(column("date"))
    issues.add(dates["reason"].notna(), "date", dates["reason"])
    issues.add(dates["date"].isna() & dates["reason"].isna(), "date", "no registration date")
    cancelled = read_dates(column("cancelled_on"))
    issues.add(cancelled["reason"].notna(), "cancelled_on", cancelled["reason"])
    early = (cancelled["date"] < dates["date"]).fillna(False)
    issues.add(
        early,
        "cancelled_on",
        "released on "
        + cancelled["date"].dt.strftime("%Y-%m-%d")
        + ", before the registration date "
        + dates["date"].dt.strftime("%Y-%m-%d"),
    )
    amounts = read_amounts(column("amount"), records.plan.units.get("amount"), "元")
    issues.add(amounts["reason"].notna(), "amount", amounts["reason"])
    address = text(column(f"{party}_address"))
    placed = place(column("region"), address, code, issues)
    group = ("row|" + body.index.astype(str)).to_series(index=body.index)
    group = group.mask(registration.notna(), event_type + "|" + registration)
    return pd.DataFrame(
        {
            "event_type": event_type,
            "registration_id": registration,
            "date": dates["date"],
            "patents": _patents(column("patents"), issues),
            "holder": join_names(column("holder")),
            "counterparty": join_names(column("counterparty")),
            "address": address,
            "region": placed["region"],
            "by_option": placed["by_option"],
            "unknown_unit": placed["unknown_unit"],
            "amount": amounts["value"],
            "cancelled_on": cancelled["date"],
            "licence_kind": text(column("licence_kind")),
            "source_file": records.path.name,
            "raw_row": body["raw_row"],
            "group": group,
        }
    )


def _patents(values: pd.Series, issues: Issues) -> pd.Series:
    """Each cell's patent numbers as CN application numbers with check digit, ``;``-joined."""
    from ipanalysis.clean.patents import normalise_application_numbers

    parts = text(values).str.split(r"[;；,，、\s]+").explode()
    parts = parts[parts.notna() & (parts != "")]
    if parts.empty:
        return pd.Series(np.nan, index=values.index, dtype=object)
    frame = pd.DataFrame({"application_number": parts.to_numpy()}, index=parts.index)
    read = normalise_application_numbers(frame)
    reasons = read["issues"].dropna().str.replace(r"^application_number: ", "", regex=True)
    reasons = (
        reasons.str.replace("application number", "patent number").groupby(level=0).agg("; ".join)
    )
    issues.add(pd.Series(True, index=reasons.index), "patents", reasons)
    numbers = read["application_number"].dropna().groupby(level=0).agg(";".join)
    return numbers.reindex(values.index).where(lambda s: s.notna(), np.nan).astype(object)


def _whole_registrations(rows: pd.DataFrame, issues: Issues) -> None:
    """A row with a problem sets its whole registration aside: an issue for its other rows."""
    bad = issues.mask(rows.index)
    keyed = rows["registration_id"].notna()
    bad_rows = rows.loc[bad & keyed].groupby("group", sort=False)["raw_row"]
    named = bad_rows.agg(lambda r: ", ".join(map(str, r)))
    others = keyed & ~bad & rows["group"].isin(named.index)
    issues.add(
        others,
        "registration_id",
        "registration "
        + rows["registration_id"].astype(str)
        + " is set aside whole: row "
        + rows["group"].map(named).astype(str)
        + " of it has a problem",
    )


def _duplicates(rows: pd.DataFrame, issues: Issues) -> None:
    """The same patent twice in one registration, or a row without registration id repeating
    another one, is a duplicate (the first is kept)."""
    keyed = rows[rows["registration_id"].notna()]
    shown = (
        "patent " + keyed["patents"].astype(str) + " in registration " + keyed["registration_id"]
    )
    flag_duplicates(keyed[["group", "patents"]], issues, "patents", shown, rows["raw_row"])
    loose = rows[rows["registration_id"].isna()]
    keys = loose[["event_type", "date", "patents", "holder", "counterparty"]].fillna("")
    shown = (
        loose["event_type"]
        + " of "
        + loose["patents"].astype(str)
        + " on "
        + loose["date"].astype(str).str[:10]
    )
    flag_duplicates(keys, issues, "patents", shown, rows["raw_row"])


def _joined(values: pd.Series) -> object:
    parts = [p for cell in values.dropna() for p in str(cell).split(";")]
    return ";".join(dict.fromkeys(parts)) if parts else np.nan


_SINGLE = {"date": "dates", "amount": "amounts", "cancelled_on": "release dates"}


def _merge(rows: pd.DataFrame, records: RecordFile, issues: Issues) -> pd.DataFrame:
    """One row per registration from the rows without problems; rows of one registration that
    disagree on a date or amount are quarantined, all of them."""
    clean = rows[~issues.mask(rows.index)]
    grouped = clean.groupby("group", sort=False)
    for column, what in _SINGLE.items():
        counts = grouped[column].nunique()
        for group in counts[counts > 1].index:
            members = clean[clean["group"] == group]
            values = members[column].dropna().drop_duplicates()
            shown = ", ".join(
                v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else f"{v:,.2f} 元"
                for v in values
            )
            issues.add(
                pd.Series(True, index=members.index),
                column,
                f"rows {', '.join(map(str, members['raw_row']))} of registration "
                f"{members['registration_id'].iloc[0]} give different {what}: {shown}",
            )
    clean = rows[~issues.mask(rows.index)]
    merged = clean.groupby("group", sort=False).agg(
        event_type=("event_type", "first"),
        registration_id=("registration_id", "first"),
        date=("date", "first"),
        patents=("patents", _joined),
        holder=("holder", _joined),
        counterparty=("counterparty", _joined),
        address=("address", "first"),
        region=("region", "first"),
        by_option=("by_option", "first"),
        unknown_unit=("unknown_unit", "first"),
        amount=("amount", "first"),
        cancelled_on=("cancelled_on", "first"),
        licence_kind=("licence_kind", _joined),
        source_file=("source_file", "first"),
        raw_row=("raw_row", "min"),
        raw_rows=("raw_row", lambda r: ";".join(map(str, r))),
    )
    count = merged["patents"].map(lambda v: v.count(";") + 1 if isinstance(v, str) else pd.NA)
    merged = merged.assign(patent_count=count.astype("Int64"))
    return merged.reset_index()


def _notes(records: RecordFile, rows: pd.DataFrame, kept: pd.DataFrame, party: str) -> list[str]:
    notes = []
    merged = kept[kept["raw_rows"].str.contains(";")]
    if len(merged):
        rows_in = int(merged["raw_rows"].str.count(";").sum() + len(merged))
        notes.append(
            f"{len(merged)} registration(s) listed over {rows_in} rows (rows sharing a "
            "registration number are one registration, their patents listed together)"
        )
    loose = int(kept["registration_id"].isna().sum())
    if loose:
        notes.append(
            f"{loose} row(s) without a registration number: each counted as one registration"
        )
    header = records.plan.reverse.get("amount")
    if header is None:
        notes.append("no amount column: amounts missing (never 0)")
    else:
        unit = records.plan.units.get("amount") or "the unit in each cell"
        missing = int(kept["amount"].isna().sum())
        notes.append(
            f"amount: {header} in {unit}, converted to 元"
            + (
                f"; {missing} registration(s) without an amount (missing, never 0)"
                if missing
                else ""
            )
        )
    source = records.plan.reverse.get(f"{party}_address")
    notes.append(
        f"address and region: the {party}'s"
        + (f" ({source})" if source else " (the list gives no address of the " + party + ")")
    )
    return notes
