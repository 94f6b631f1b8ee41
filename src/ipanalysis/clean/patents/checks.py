"""Checks across columns: dates against each other and the reference date, duplicates."""

from __future__ import annotations

import pandas as pd

from ipanalysis.errors import InputError

from .cells import _add_issues, _column, _has_issue, _issue_column, _quoted, _row_numbers
from .columns import DATE_COLUMNS, ISSUES


def _as_of(as_of: object) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp.today().normalize()
    try:
        day = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise InputError(f"as_of must be a date like 2025-12-31, not {as_of!r}") from None
    if pd.isna(day):
        raise InputError(f"as_of must be a date like 2025-12-31, not {as_of!r}")
    return day.normalize()


def _day(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m-%d")


def check_patents(
    frame: pd.DataFrame, as_of: object = None, *, duplicates: bool = True
) -> pd.DataFrame:
    """``issues`` entries for what no single column shows; duplicates last.

    A missing filing date; any date after ``as_of`` (default: today); a grant before the filing
    date; a lapse before the grant (or the filing); a lapse on or before ``as_of`` while the legal
    status says the right is in force; and, with ``duplicates``, among rows without other issues
    a repeated record key (see :func:`flag_duplicates`). The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "application_number": ["CN202210000001", "CN202210000002", "CN202210000001"],
    ...     "filing_date": pd.to_datetime(["2022-01-05", "2022-01-05", "2022-01-05"]),
    ...     "grant_date": pd.to_datetime(["2021-12-31", "2026-01-02", "2023-01-01"]),
    ...     "raw_row": [2, 3, 4]})
    >>> print("\\n".join(check_patents(raw, as_of="2025-12-31")["issues"].dropna()))
    grant_date: grant date 2021-12-31 is before the filing date 2022-01-05
    grant_date: date 2026-01-02 is after the reference date 2025-12-31
    """
    day = _as_of(as_of)
    empty = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")

    def dates(name: str) -> pd.Series:
        return frame[name].astype("datetime64[ns]") if name in frame.columns else empty

    out = frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    filing, grant, lapse = dates("filing_date"), dates("grant_date"), dates("lapse_date")
    unread_filing = _has_issue(out, "filing_date")
    if "filing_date" in frame.columns:  # an export without the column: filing date unknown
        out = _add_issues(
            out,
            filing.isna()
            & ~unread_filing
            & (
                _column(frame, "application_key").notna()
                | _column(frame, "application_number").notna()
            ),
            "filing_date",
            "the filing date is missing",
        )
    for name in (c for c in DATE_COLUMNS if c in frame.columns):
        values = dates(name)
        out = _add_issues(
            out,
            values > day,
            name,
            "date " + _day(values) + f" is after the reference date {day:%Y-%m-%d}",
        )
    out = _add_issues(
        out,
        grant < filing,
        "grant_date",
        "grant date " + _day(grant) + " is before the filing date " + _day(filing),
    )
    out = _add_issues(
        out,
        lapse < grant,
        "lapse_date",
        "lapse date " + _day(lapse) + " is before the grant date " + _day(grant),
    )
    out = _add_issues(
        out,
        grant.isna() & (lapse < filing),
        "lapse_date",
        "lapse date " + _day(lapse) + " is before the filing date " + _day(filing),
    )
    status = _column(frame, "legal_status")
    out = _add_issues(
        out,
        (status == "in_force") & (lapse <= day),
        "lapse_date",
        "lapse date "
        + _day(lapse)
        + " has passed, but the legal status "
        + _quoted(_column(frame, "legal_status_text"))
        + " says the right is in force",
    )
    return flag_duplicates(out) if duplicates else out


def flag_duplicates(frame: pd.DataFrame, kept: pd.Series | None = None) -> pd.DataFrame:
    """``issues`` entries for a record key (``application_key``) seen before: the first row is
    kept, later ones point to it. ``kept`` (the raw rows of keys read earlier, indexed by key,
    e.g. from the previous blocks of a large file) counts as seen before. Rows with other
    issues are not compared. The input is not changed.

    >>> raw = pd.DataFrame({"application_key": ["CN202210000001", "CN109808866B", "CN202210000001"],
    ...     "application_number": ["CN202210000001.9", None, "CN202210000001.9"], "raw_row": [2, 3, 4]})
    >>> flag_duplicates(raw)["issues"].tolist()
    [nan, nan, 'application_number: duplicate application number CN202210000001.9 (row 2 is kept)']
    """
    out = frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    key = _column(frame, "application_key")
    clean = out[ISSUES].isna() & key.notna()
    earlier = kept if kept is not None else pd.Series([], dtype="Int64")
    before = key.isin(earlier.index)
    repeated = clean & (key.where(clean).duplicated(keep="first") | before)
    if not repeated.any():
        return out
    rows = _row_numbers(frame)
    first_here = pd.Series(rows[clean].to_numpy(), index=key[clean]).groupby(level=0).first()
    first_row = pd.concat([earlier[~earlier.index.duplicated()], first_here])
    first_row = first_row[~first_row.index.duplicated()]
    number = _column(frame, "application_number")
    where = " (row " + key.map(first_row).astype("Int64").astype("str") + " is kept)"
    out = _add_issues(
        out,
        repeated & number.notna(),
        "application_number",
        "duplicate application number " + number + where,
    )
    return _add_issues(
        out,
        repeated & number.isna(),
        "publication_number",
        "duplicate publication number " + key + where,
    )
