"""Checks across columns: dates against each other and the reference date, duplicates."""

from __future__ import annotations

import pandas as pd

from ipanalysis.errors import InputError

from .cells import (
    _add_issues,
    _column,
    _has_issue,
    _is_in,
    _issue_column,
    _present,
    _quoted,
    _row_numbers,
)
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
    out = frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    out = _missing_filing_dates(out).pipe(_late_dates, day).pipe(_dates_out_of_order, day)
    return flag_duplicates(out) if duplicates else out


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    """A date column, all missing when the frame lacks it."""
    if name in frame.columns:
        return frame[name].astype("datetime64[ns]")
    return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")


def _missing_filing_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """An issue for a keyed record without a filing date (unless the date was unreadable)."""
    if "filing_date" not in frame.columns:  # an export without the column: filing date unknown
        return frame
    keyed = _present(frame, "application_key") | _present(frame, "application_number")
    return _add_issues(
        frame,
        _dates(frame, "filing_date").isna() & ~_has_issue(frame, "filing_date") & keyed,
        "filing_date",
        "the filing date is missing",
    )


def _late_dates(frame: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """An issue for every date after the reference date."""
    for name in (c for c in DATE_COLUMNS if c in frame.columns):
        values = _dates(frame, name)
        frame = _add_issues(
            frame,
            values > day,
            name,
            lambda rows, values=values: (
                "date " + _day(values[rows]) + f" is after the reference date {day:%Y-%m-%d}"
            ),
        )
    return frame


def _dates_out_of_order(frame: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Issues for a grant before the filing, a lapse before the grant (or the filing), and a
    lapse passed while the legal status says the right is in force."""
    filing, grant = _dates(frame, "filing_date"), _dates(frame, "grant_date")
    lapse = _dates(frame, "lapse_date")
    in_force = _is_in(frame, "legal_status", ["in_force"])
    checks = [
        ("grant_date", grant < filing, grant, "grant", " is before the filing date ", filing),
        ("lapse_date", lapse < grant, lapse, "lapse", " is before the grant date ", grant),
        (
            "lapse_date",
            grant.isna() & (lapse < filing),
            lapse,
            "lapse",
            " is before the filing date ",
            filing,
        ),
    ]
    for column, mask, date, what, relation, other in checks:
        frame = _add_issues(
            frame,
            mask,
            column,
            lambda rows, date=date, what=what, relation=relation, other=other: (
                f"{what} date " + _day(date[rows]) + relation + _day(other[rows])
            ),
        )
    return _add_issues(
        frame,
        in_force & (lapse <= day),
        "lapse_date",
        lambda rows: (
            "lapse date "
            + _day(lapse[rows])
            + " has passed, but the legal status "
            + _quoted(_column(frame[rows], "legal_status_text"))
            + " says the right is in force"
        ),
    )


def flag_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """``issues`` entries for a record key (``application_key``) seen before: the first row is
    kept, later ones point to it. Rows with other issues are not compared. The input is not
    changed.

    >>> raw = pd.DataFrame({"application_key": ["CN202210000001", "CN109808866B", "CN202210000001"],
    ...     "application_number": ["CN202210000001.9", None, "CN202210000001.9"], "raw_row": [2, 3, 4]})
    >>> flag_duplicates(raw)["issues"].tolist()
    [nan, nan, 'application_number: duplicate application number CN202210000001.9 (row 2 is kept)']
    """
    out = frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    key = _column(frame, "application_key")
    clean = out[ISSUES].isna() & key.notna()
    repeated = clean & key.where(clean).duplicated(keep="first")
    if not repeated.any():
        return out
    rows = _row_numbers(frame)
    twice = clean & key.isin(key[repeated].unique())
    first_row = pd.Series(rows[twice].to_numpy(), index=key[twice]).groupby(level=0).first()
    number = _column(frame, "application_number")

    def where(rows: pd.Series) -> pd.Series:
        return " (row " + key[rows].map(first_row).astype("Int64").astype("str") + " is kept)"

    out = _add_issues(
        out,
        repeated & number.notna(),
        "application_number",
        lambda rows: "duplicate application number " + number[rows] + where(rows),
    )
    return _add_issues(
        out,
        repeated & number.isna(),
        "publication_number",
        lambda rows: "duplicate publication number " + key[rows] + where(rows),
    )
