"""Dates as exports write them, and grant dates inferred from grant publications."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ipanalysis.vocabulary import halfwidth

from .cells import (
    _add_issues,
    _column_as,
    _extract,
    _is_in,
    _per_value,
    _plain_text,
    _present,
    _quoted,
)
from .columns import CN_GRANT_KINDS, DATE_COLUMNS, LIST_DATE_COLUMNS, PATENT_SYSTEM_START

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0 (1900 system, leap-year bug included)


_DATE_HINT = (
    "expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 or an Excel serial number"
)


def _parse_date_text(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(dates, unreadable mask, impossible mask) for stripped half-width text."""
    index = text.index  # may repeat (one cell's several dates): work by position
    text = text.reset_index(drop=True).str.replace(r"[ \t\r\n\xa0]+", " ", regex=True)
    missing = text.isna() | text.isin(["0", "00000000"])
    # YYYYMMDD, by far the commonest form, by slicing; the regular expression for the rest
    compact = text.str.fullmatch(r"[0-9]{8}", na=False)
    slices = {0: text.str.slice(0, 4), 1: text.str.slice(4, 6), 2: text.str.slice(6, 8)}
    ymd = pd.DataFrame({k: v.where(compact) for k, v in slices.items()})
    rest = ~compact & ~missing
    if rest.any():  # the regular expression runs on these rows only (it is not vectorised)
        spaced = text[rest].str.extract(
            r"^([0-9]{4}) ?[-./年] ?([0-9]{1,2}) ?[-./月] ?([0-9]{1,2}) ?日?"
            r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
        )
        ymd = ymd.fillna(spaced.reindex(text.index))
    ymd = ymd.astype("float64")
    serial = pd.to_numeric(
        text.where(text.str.fullmatch(r"[0-9]{1,5}(?:\.[0-9]+)?")), errors="coerce"
    )
    matched = ymd[0].notna()
    dates = pd.to_datetime(
        pd.DataFrame({"year": ymd[0], "month": ymd[1], "day": ymd[2]}).where(matched),
        errors="coerce",
    ).astype("datetime64[ns]")
    from_serial = (_EXCEL_EPOCH + pd.to_timedelta(np.floor(serial), unit="D")).astype(
        "datetime64[ns]"
    )
    dates = dates.where(matched, from_serial)
    dates = dates.mask(missing)
    impossible = matched & dates.isna() & ~missing
    unreadable = ~missing & ~matched & serial.isna()
    return tuple(s.set_axis(index) for s in (dates, unreadable, impossible))


def parse_dates(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Date columns as ``datetime64[ns]``, from whatever the export wrote.

    Reads YYYYMMDD integers or text, ``2023-05-23``, ``2023.5.23``, ``2023/5/23``,
    ``2023年5月23日`` (with or without a time), Excel serial numbers and full-width digits; ``0``
    and blanks are missing. A cell of :data:`LIST_DATE_COLUMNS` may list several dates (one per
    pledge): the latest is kept. An unreadable or impossible date, or one before China's patent
    system began (1985-04-01), is left missing with an ``issues`` entry — never a silent NaT.
    ``columns`` defaults to the :data:`DATE_COLUMNS` present. The input is not changed.

    >>> raw = pd.DataFrame({"filing_date": [
    ...     20221202, "2023-05-23", "2023.5.23", "２０２３年５月２３日", "44927", 0, "2023-02-30", "soon"]})
    >>> out = parse_dates(raw)
    >>> out["filing_date"].dt.strftime("%Y-%m-%d").tolist()
    ['2022-12-02', '2023-05-23', '2023-05-23', '2023-05-23', '2023-01-01', nan, nan, nan]
    >>> print("\\n".join(out["issues"].dropna()))
    filing_date: impossible date '2023-02-30'
    filing_date: not a date: 'soon' (expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 or an Excel serial number)
    """
    if columns is None:
        columns = [c for c in (*DATE_COLUMNS, *SOURCE_DATE_COLUMNS) if c in frame.columns]
    out = frame
    for column in columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            out = out.assign(**{column: values.astype("datetime64[ns]")})
            continue
        read = _per_value(values, _list_dates if column in LIST_DATE_COLUMNS else _one_date)
        dates, reasons = read["date"], read["reason"]
        early = dates < PATENT_SYSTEM_START
        out = out.assign(**{column: dates.mask(early | reasons.notna())})
        out = _add_issues(out, reasons.notna(), column, reasons)
        out = _add_issues(
            out,
            early & reasons.isna(),
            column,
            lambda rows, dates=dates: (
                "date "
                + dates[rows].dt.strftime("%Y-%m-%d")
                + " is before China's patent system began (1985-04-01)"
            ),
        )
    return out


def _one_date(values: pd.Series) -> pd.DataFrame:
    """The date in each cell and, where none can be read, why."""
    dates, reasons = _dates_and_reasons(halfwidth(_plain_text(values)))
    return pd.DataFrame({"date": dates, "reason": reasons})


def _list_dates(values: pd.Series) -> pd.DataFrame:
    """The latest date a cell lists (one per pledge) and, where one cannot be read, why."""
    text = halfwidth(_plain_text(values))
    parts = text.str.split(r"[;；,，]").explode().astype("str").str.strip()
    parts = parts.mask(parts == "")
    dates, reasons = _dates_and_reasons(parts)
    return pd.DataFrame(
        {
            "date": dates.groupby(level=0).max().reindex(values.index),
            "reason": reasons.dropna().groupby(level=0).first().reindex(values.index),
        }
    )


def _dates_and_reasons(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates, and the reason each unreadable or impossible one is missing (else missing)."""
    dates, unreadable, impossible = _parse_date_text(text)
    reasons = pd.Series(np.nan, index=text.index, dtype="str")
    reasons = reasons.mask(impossible, "impossible date " + _quoted(text))
    reasons = reasons.mask(unreadable, "not a date: " + _quoted(text) + f" ({_DATE_HINT})")
    return dates, reasons


#: Source columns holding dates that the steps turn into canonical ones.
SOURCE_DATE_COLUMNS: tuple[str, ...] = ("combined_date", "status_date")
#: Legal statuses that say a right was granted (whether or not it still holds).
GRANTED_STATUSES: tuple[str, ...] = ("in_force", "lapsed", "expired", "invalidated")


def infer_grant_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``grant_date`` where the export gives none, ``grant_known``, and ``filing_year``.

    * CNIPR exports give the latest publication (公开（公告）号 and 日) but no 授权公告日: a
      publication whose kind code is a grant (B, C invention; U, Y utility model; S, D design)
      was published on the grant date.
    * CNIPA's 专利检索及分析 gives one column 申请公布日/授权公告日 (``combined_date``): it is
      the grant date where the kind code or the legal status (:data:`GRANTED_STATUSES`, mapped
      first) says granted, else the publication date.
    * ``grant_known`` is False where the export has none of these sources (a list of
      applications), and for records of other offices (``office`` not CN, whose kind codes are
      not read): the row's grant is unknown, not "never granted".
    * ``filing_year`` is the filing date's year, else the year an export gives alone (申请年).

    Rows with a grant date keep it; dates must be parsed first. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "publication_number": ["CN115883397B", "CN116245100A", "CN218751475U"],
    ...     "publication_date": pd.to_datetime(["2024-04-05", "2023-06-09", "2023-03-28"])})
    >>> infer_grant_dates(raw)["grant_date"].dt.strftime("%Y-%m-%d").tolist()
    ['2024-04-05', nan, '2023-03-28']
    >>> raw = pd.DataFrame({"publication_number": ["CN303347858S", "CN116245100A"],
    ...     "combined_date": pd.to_datetime(["2015-08-26", "2023-06-09"]),
    ...     "legal_status": ["lapsed", "pending"]})
    >>> out = infer_grant_dates(raw)
    >>> out[["grant_date", "publication_date"]].astype(str).values.tolist()
    [['2015-08-26', '2015-08-26'], [nan, '2023-06-09']]
    """
    empty = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    grant = frame["grant_date"].astype("datetime64[ns]") if "grant_date" in frame else empty
    published = (
        frame["publication_date"].astype("datetime64[ns]") if "publication_date" in frame else empty
    )
    kind = _column_as(
        frame,
        "publication_number",
        lambda text: _extract(halfwidth(text).str.upper(), r"^CN[0-9]+([A-Z])[0-9]?$")[0],
    )
    granted = kind.isin(list(CN_GRANT_KINDS))
    known = "grant_date" in frame.columns
    if "combined_date" in frame.columns:
        combined = frame["combined_date"].astype("datetime64[ns]")
        granted |= _is_in(frame, "legal_status", GRANTED_STATUSES)
        grant = grant.mask(grant.isna() & granted, combined)
        published = published.fillna(combined)
        known = True
    if "publication_number" in frame.columns and "publication_date" in frame.columns:
        grant = grant.mask(grant.isna() & granted, published)
        known = True
    filed = frame["filing_date"].dt.year if "filing_date" in frame else empty.dt.year
    year = _column_as(
        frame,
        "filing_year",
        lambda text: pd.to_numeric(_extract(text, r"((?:19|20)[0-9]{2})")[0]),
    )
    return frame.assign(
        grant_date=grant,
        publication_date=published,
        # kind codes of other offices are not read: their grants are not known here
        grant_known=pd.Series(known, index=frame.index, dtype=bool)
        & (_is_in(frame, "office", ["CN"]) | ~_present(frame, "office")).to_numpy(dtype=bool),
        filing_year=filed.fillna(year).astype("Int64"),
    )
