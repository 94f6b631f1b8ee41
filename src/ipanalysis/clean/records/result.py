"""From checked rows to a :class:`RecordResult`: structure checks, duplicates, the quarantine,
schema validation and the notes every record reader gives."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ipanalysis.errors import ReadResult, quarantine_frame

from .cells import Issues
from .files import RecordFile


@dataclass
class RecordResult(ReadResult):
    """A :class:`~ipanalysis.errors.ReadResult` whose ``data`` rows may stand for several input
    rows: where ``data`` has a ``raw_rows`` column (``"5;6;7"``: a pledge registration listed
    over three rows), each of those rows counts as kept, so ``rows_read == rows_kept +
    rows_quarantined`` holds after merging.

    >>> result = RecordResult(data=pd.DataFrame({"raw_row": [5], "raw_rows": ["5;6;7"]}), rows_read=3)
    >>> result.rows_kept, result.reconciliation()["reconciles"]
    (3, True)
    """

    def _rows(self, frame: pd.DataFrame) -> set:
        if "raw_rows" in frame and len(frame):
            return {int(r) for cell in frame["raw_rows"] for r in str(cell).split(";")}
        return super()._rows(frame)


_FOOTER = re.compile(
    r"^(?:注|说明|资料来源|数据来源|备注)\s*[:：0-9一二三四五六七八九十]|^(?:合计|总计|小计)$"
)


def check_structure(records: RecordFile, issues: Issues) -> pd.Series:
    """Rows that are no record: a header row repeated (lists joined from several pages), a
    footnote (注：…) or a totals row (合计). Each gets its reason; True for them.

    A list row is a record or it is quarantined, so these are never dropped in silence."""
    body = records.body
    mapped = list(records.plan.mapping)
    same = sum((body[h].str.strip() == h).astype(int) for h in mapped) if mapped else 0
    repeated = pd.Series(same >= max(2, len(mapped) // 2), index=body.index)
    first_column = records.plan.reverse.get(next(iter(records.plan.mapping.values()), ""), None)
    issues.add(repeated, first_column, "the header row repeated: a row of headers, not a record")
    first = body[records.names].apply(
        lambda row: next(((h, c) for h, c in row.items() if c.strip()), ("", "")), axis=1
    )
    text = first.map(lambda pair: re.sub(r"\s+", "", pair[1]))
    footer = text.str.contains(_FOOTER) & ~repeated
    for row in footer[footer].index:
        header, cell = first.at[row]
        issues.add(
            pd.Series(True, index=[row]),
            header,
            f"a footnote or totals row, not a record: '{cell[:40]}'",
        )
    return repeated | footer


def record_rows(records: RecordFile, issues: Issues) -> tuple[pd.DataFrame, Callable]:
    """The body rows that are records (:func:`check_structure` gives the others their reason in
    ``issues``) and a reader of their cells by canonical column name (all blank for a column the
    file does not have)."""
    body = records.body[~check_structure(records, issues)]
    return body, lambda canonical: records.column(canonical)[body.index]


def flag_duplicates(
    keys: pd.DataFrame, issues: Issues, column: str, shown: pd.Series, raw_rows: pd.Series
) -> None:
    """An issue for every row whose ``keys`` repeat an earlier row without issues (the first is
    kept; a duplicate of a quarantined row is kept in its place). ``shown`` words each row's
    key for the reason (``international application number PCT/CN2024/000001``)."""
    ok = ~issues.mask(keys.index) & keys.notna().all(axis=1)
    candidates = keys[ok]
    repeated = candidates.duplicated(keep="first")
    if not repeated.any():
        return
    first = candidates[~candidates.duplicated(keep="first")]
    first_row = {tuple(k): raw_rows.at[i] for i, k in zip(first.index, first.values, strict=True)}
    for i in repeated[repeated].index:
        kept_row = first_row[tuple(candidates.loc[i])]
        issues.add(
            pd.Series(True, index=[i]), column, f"duplicate {shown.at[i]} (row {kept_row} is kept)"
        )


def quarantine(records: RecordFile, issues: Issues) -> pd.DataFrame:
    """One quarantine entry per problem; columns named as in the file; the row's non-blank
    cells as JSON."""
    if not issues.entries:
        return quarantine_frame()
    reverse = records.plan.reverse
    needed = list(dict.fromkeys(row for row, _, _ in issues.entries))
    cells = records.body.loc[needed]
    raw_rows = dict(zip(cells.index, cells["raw_row"].tolist(), strict=True))
    as_json = {
        row: json.dumps({k: v for k, v in record.items() if str(v).strip()}, ensure_ascii=False)
        for row, record in zip(cells.index, cells[records.names].to_dict("records"), strict=True)
    }
    entries = [
        {
            "raw_file": records.path.name,
            "sheet": records.sheet,
            "raw_row": int(raw_rows[row]),
            "column": None if column is None else reverse.get(column, column),
            "reason": reason,
            "record": as_json[row],
        }
        for row, column, reason in issues.entries
    ]
    frame = quarantine_frame(entries)
    return frame.sort_values("raw_row", kind="stable").reset_index(drop=True)


def validate(frame: pd.DataFrame, model) -> tuple[pd.DataFrame, list[tuple[object, str, str]]]:
    """``frame`` validated by the pandera ``model`` (lazy): (valid rows, one problem per failing
    row and check as (index, column, reason)). The readers check every rule the models state,
    so a failure here is a check they lack; it is still reported per row rather than lost."""
    import pandera.errors

    try:
        return model.validate(frame, lazy=True), []
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    whole = cases[cases["index"].isna()]
    if len(whole):  # a column-level failure (a dtype, a missing column) is a bug of the reader
        raise AssertionError(f"{model.__name__}: {whole.to_dict('records')}")
    # a data-frame check lists every cell of a failing row: one problem per row and check
    whole_row = cases["schema_context"] == "DataFrameSchema"
    cases = cases.assign(
        column=cases["column"].where(~whole_row, None),
        failure_case=cases["failure_case"].where(~whole_row, "the row"),
    ).drop_duplicates(["index", "check", "column"])
    problems = [
        (
            index,
            None if pd.isna(column) else str(column),
            f"fails the schema check {check}: {case!r}",
        )
        for index, column, check, case in zip(
            cases["index"], cases["column"], cases["check"], cases["failure_case"], strict=True
        )
    ]
    bad = {index for index, _, _ in problems}
    return model.validate(frame.drop(index=list(bad)), lazy=True), problems


def header_notes(records: RecordFile) -> list[str]:
    """Sheet, encoding, blank rows and the columns not read."""
    notes = list(records.notes)
    if records.blank_rows:
        notes.append(f"{records.blank_rows} blank row(s) skipped")
    plan = records.plan
    if plan.unknown or plan.ignored:
        notes.append(f"columns not read: {', '.join(plan.ignored + plan.unknown)}")
    if plan.dropped:
        notes.append(f"columns not read (another column gives the same): {', '.join(plan.dropped)}")
    return notes


def finish(
    records: RecordFile,
    frame: pd.DataFrame,
    issues: Issues,
    model,
    columns: list[str],
    notes: list[str],
) -> RecordResult:
    """The rows without issues, validated by ``model``, and the quarantine: a
    :class:`RecordResult` with ``rows_read`` the non-blank rows below the header."""
    clean = frame.loc[~issues.mask(frame.index), columns]
    kept, failures = validate(clean, model)
    for index, column, reason in failures:
        issues.add(pd.Series(True, index=[index]), column, reason)
    data = kept.reset_index(drop=True)
    return RecordResult(
        data=data,
        quarantine=quarantine(records, issues),
        rows_read=len(records.body),
        file=records.path.name,
        notes=notes,
    )
