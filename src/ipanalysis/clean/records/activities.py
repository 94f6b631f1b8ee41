"""The activity log an office keeps (``activity, region_code, year, count, source``), checked like
any other input: every row kept or quarantined with its reason."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis.schemas import FIRST_YEAR, ActivityLog

from .cells import Issues, quoted, text
from .files import RecordFile, open_records
from .headers import header_error
from .result import RecordResult, finish, header_notes, record_rows

#: Columns of the activity log table (:class:`ipanalysis.schemas.ActivityLog`).
ACTIVITY_COLUMNS = [*ActivityLog.to_schema().columns]


def read_activity_log(
    path: str | Path,
    activities: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
) -> RecordResult:
    """Read an activity log (.csv, .xlsx, .xls) into :class:`ipanalysis.schemas.ActivityLog`.

    Rules: ``activity`` must be one of ``activities`` (e.g. the plan's activity ids; when
    ``None`` any id is taken and a note says the ids were not checked); ``region_code`` a region
    name or code :mod:`ipanalysis.regions` resolves, and one of ``regions`` when given (names or
    codes); ``year`` a whole year from 1949 to the current one; ``count`` a whole number, 0 or
    more (a blank count is unknown, never 0). Any row that breaks one is quarantined with its
    reason, never dropped. Rows of the same activity, region and year add up (the scorecard
    sums them); rows repeating another exactly are kept and counted in a note.

    Raises
    ------
    InputError
        The file cannot be read or lacks a column (every missing column in one message).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "activities.csv"
    >>> _ = log.write_text("activity,region_code,year,count,source\\n"
    ...     "special_actions,松江区,2025,4,区局年报\\nspecial_action,310117,2025,2,区局年报\\n",
    ...     encoding="utf-8")
    >>> result = read_activity_log(log, activities=["special_actions"])
    >>> result.data[["activity", "region_code", "year", "count"]].values.tolist()
    [['special_actions', '310117', 2025, 4]]
    >>> result.quarantine["reason"].tolist()
    ["unknown activity 'special_action': expected one of special_actions"]
    """
    records = open_records(path, None, "activity")
    _check_headers(records)
    issues = Issues()
    body, column = record_rows(records, issues)

    activity = _activities(column("activity"), activities, issues)
    region = _regions(column("region"), regions, issues)
    year = _whole(column("year"), "year", issues, low=FIRST_YEAR, high=pd.Timestamp.today().year)
    count = _whole(column("count"), "count", issues, low=0, high=None)
    frame = pd.DataFrame(
        {
            "activity": activity,
            "region_code": region,
            "year": year,
            "count": count,
            "source": text(column("source")),
            "source_file": records.path.name,
            "raw_row": body["raw_row"],
        }
    )
    kept = frame.loc[~issues.mask(frame.index)]
    notes = header_notes(records)
    if activities is None:
        notes.append("activity ids not checked (no list of activities given)")
    repeated = int(kept.drop(columns="raw_row").duplicated().sum())
    if repeated:
        notes.append(f"{repeated} row(s) repeat another row exactly: kept, their counts add up")
    unsourced = int(kept["source"].isna().sum())
    if unsourced:
        notes.append(f"{unsourced} row(s) without a source: the briefing cites none for them")
    return finish(records, frame, issues, ActivityLog, ACTIVITY_COLUMNS, notes)


_REQUIRED = {"activity": "activity", "region": "region_code", "year": "year", "count": "count"}
_REQUIRED |= {"source": "source"}


def _check_headers(records: RecordFile) -> None:
    present = set(records.plan.mapping.values())
    missing = [name for column, name in _REQUIRED.items() if column not in present]
    if missing:
        problems = [
            f"missing column(s) {', '.join(missing)}; expected activity, region_code, year, "
            "count, source"
        ]
        raise header_error(problems, records.names, records.header_row, **records.where)


def _activities(values: pd.Series, known: Iterable[str] | None, issues: Issues) -> pd.Series:
    cells = text(values)
    issues.add(cells.isna(), "activity", "no activity id")
    if known is None:
        return cells
    ids = list(dict.fromkeys(str(k) for k in known))
    unknown = cells.notna() & ~cells.isin(ids)
    shown = ", ".join(ids[:10]) + (", …" if len(ids) > 10 else "")
    issues.add(
        unknown, "activity", "unknown activity " + quoted(cells) + f": expected one of {shown}"
    )
    return cells


def _regions(values: pd.Series, allowed: Iterable[str] | None, issues: Issues) -> pd.Series:
    from ipanalysis.regions import (
        region_names,
        resolve_region,
        try_resolve_regions,
        unresolved_reasons,
    )

    cells = text(values)
    codes = try_resolve_regions(cells).astype(object).where(lambda s: s.notna(), np.nan)
    issues.add(cells.isna(), "region", "no region")
    bad = cells.notna() & codes.isna()
    if bad.any():
        issues.add(bad, "region", unresolved_reasons(cells[bad]).reindex(cells.index))
    if allowed is not None:
        wanted = list(dict.fromkeys(resolve_region(str(r)) for r in allowed))
        names = region_names()
        outside = codes.notna() & ~codes.isin(wanted)
        listed = ", ".join(f"{c} ({names.get(c, '')})" for c in wanted)
        issues.add(
            outside,
            "region",
            "region "
            + codes.astype(str)
            + " ("
            + codes.map(names).astype(str)
            + f") is not a region of this log: expected {listed}",
        )
    return codes


def _whole(values: pd.Series, name: str, issues: Issues, low: int, high: int | None) -> pd.Series:
    cells = text(values)
    numbers = pd.to_numeric(
        cells.astype(str).str.replace(r"\.0+$", "", regex=True), errors="coerce"
    )
    numbers = numbers.where(cells.notna())
    whole = numbers.notna() & (numbers % 1 == 0) & (numbers >= low)
    if high is not None:
        whole &= numbers <= high
    what = f"a whole number from {low} to {high}" if high else f"a whole number, {low} or more"
    issues.add(cells.notna() & ~whole, name, f"expected {what}, found " + quoted(cells))
    issues.add(
        cells.isna(), name, f"no {name}" + (" (unknown is never 0)" if name == "count" else "")
    )
    return numbers.where(whole).astype("Int64")
