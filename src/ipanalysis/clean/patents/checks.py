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


def check_patents(frame: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """``issues`` entries for what no single column shows; duplicates last.

    A missing filing date; any date after ``as_of`` (default: today); a grant before the filing
    date; a lapse before the grant (or the filing); a lapse on or before ``as_of`` while the legal
    status says the right is in force; and, among rows without other issues, a repeated application
    number (the first row is kept, later ones point to it). The input is not changed.

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
    out = _add_issues(
        out,
        filing.isna() & ~unread_filing & _column(frame, "application_number").notna(),
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
    number = _column(frame, "application_number")
    clean = out[ISSUES].isna() & number.notna()
    repeated = clean & number.where(clean).duplicated(keep="first") & number.notna()
    if repeated.any():
        rows = _row_numbers(frame)
        first_row = (
            pd.DataFrame({"number": number[clean], "row": rows[clean]})
            .drop_duplicates("number")
            .set_index("number")["row"]
        )
        out = _add_issues(
            out,
            repeated,
            "application_number",
            "duplicate application number "
            + number
            + " (row "
            + number.map(first_row).astype("str")
            + " is kept)",
        )
    return out
