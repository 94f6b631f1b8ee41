"""Counts, pledge amounts and the overseas-family flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ipanalysis.vocabulary import halfwidth

from .cells import _add_issues, _by_distinct_rows, _column, _flags, _quoted, _text
from .columns import COUNT_COLUMNS, GRANT_KINDS

_GRANT_KEYS = [f"{country}|{kind}" for country, kind in GRANT_KINDS]


def _counts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(Int64 counts, not-a-number mask, negative mask)."""
    text = halfwidth(_text(values)).str.replace(r"[, \t\r\n]", "", regex=True)
    number = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & (number.isna() | (number != np.floor(number)))
    negative = ~bad & (number < 0)
    return number.mask(bad | negative).astype("Int64"), bad, negative


def flag_overseas_family(frame: pd.DataFrame) -> pd.DataFrame:
    """``overseas_family`` and ``overseas_members`` from the family list or size.

    ``True`` when a family member outside China (not CN, not WO) has a grant kind code
    (:data:`GRANT_KINDS`); ``False`` when the list has no member outside China, or the simple
    family size is 1; ``<NA>`` otherwise — members abroad that are only applications, a size above
    1 without a list, or a blank field (not given). A list of publications cannot prove a right
    abroad in force, so this is the honest reading. A canonical ``overseas_family`` column, where
    given, is kept. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "family_members": ["CN116245100A;US2024123456A1", "CN115883397B;US11720000B2",
    ...                        "CN218751475U", None, None],
    ...     "family_size": [None, None, None, "1", "3"]})
    >>> out = flag_overseas_family(raw)
    >>> out[["overseas_family", "overseas_members"]].values.tolist()
    [[<NA>, 1], [True, 1], [False, 0], [False, <NA>], [<NA>, <NA>]]
    """
    reads = ("family_members", "family_size", "overseas_family")
    return _by_distinct_rows(frame, reads, _flag_overseas_family)


def _flag_overseas_family(frame: pd.DataFrame) -> pd.DataFrame:
    members_text = halfwidth(_column(frame, "family_members")).str.upper()
    size_in_members = members_text.str.fullmatch(r"[0-9]+", na=False)
    size_text = _column(frame, "family_size").fillna(members_text.where(size_in_members))
    size, _, _ = _counts(size_text)
    lists = members_text.mask(size_in_members)
    parts = lists.str.split(r"[;,，；| \t\r\n]+").explode().dropna().astype("str")
    parts = parts[parts != ""]
    country = parts.str.extract(r"^([A-Z]{2})[0-9-]")[0]
    kind = parts.str.extract(r"[0-9]([A-Z][0-9]?)$")[0]
    foreign = country.notna() & ~country.isin(["CN", "WO"])
    granted = foreign & (country + "|" + kind.fillna("")).isin(_GRANT_KEYS)
    by_row = pd.DataFrame({"foreign": foreign, "granted": granted}).groupby(level=0).sum()
    members = by_row["foreign"].reindex(frame.index)
    has_grant = by_row["granted"].reindex(frame.index) > 0
    listed = lists.notna()
    flag = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    flag = flag.mask(listed & (members.fillna(0) == 0), False)
    flag = flag.mask(listed & has_grant.fillna(False), True)
    flag = flag.mask(~listed & (size == 1).fillna(False), False)
    if "overseas_family" in frame.columns:
        flag = _flags(frame["overseas_family"]).fillna(flag)
    return frame.assign(
        overseas_family=flag,
        overseas_members=members.where(listed).astype("Int64"),
    )


def parse_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts (:data:`COUNT_COLUMNS`) as ``Int64`` and ``pledge_amount`` as CNY ``float64``.

    Blanks are missing. A count that is not a whole number, or is negative, is an ``issues``
    entry. ``pledge_amount`` (only from a source column holding amounts: exports give 质押次数, a
    count) accepts thousands separators and 元 / 万元. The input is not changed.

    >>> raw = pd.DataFrame({"licence_count": ["0", "2", "-1", "two"],
    ...                     "pledge_amount": ["1,200万元", None, "350000", "-5"]})
    >>> out = parse_counts(raw)
    >>> out["licence_count"].tolist(), out["pledge_amount"].tolist()
    ([0, 2, <NA>, <NA>], [12000000.0, nan, 350000.0, nan])
    >>> print("\\n".join(out["issues"].dropna()))
    licence_count: negative count '-1'
    licence_count: not a whole number: 'two'
    pledge_amount: negative amount '-5'
    """
    return _by_distinct_rows(frame, (*COUNT_COLUMNS, "pledge_amount"), _parse_counts)


def _parse_counts(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame
    for column in (c for c in COUNT_COLUMNS if c in frame.columns):
        raw = _column(frame, column)
        counts, bad, negative = _counts(frame[column])
        out = out.assign(**{column: counts})
        out = _add_issues(out, negative, column, "negative count " + _quoted(raw))
        out = _add_issues(out, bad, column, "not a whole number: " + _quoted(raw))
    if "pledge_amount" in frame.columns:
        raw = _column(frame, "pledge_amount")
        text = halfwidth(raw).str.replace(r"[, \t\r\n]", "", regex=True)
        scale = np.where(text.str.endswith("万元", na=False), 10_000.0, 1.0)
        number = pd.to_numeric(text.str.replace(r"万?元$", "", regex=True), errors="coerce")
        amount = number * scale
        bad = text.notna() & number.isna()
        negative = amount < 0
        out = out.assign(pledge_amount=amount.mask(bad | negative).astype("float64"))
        out = _add_issues(out, negative, "pledge_amount", "negative amount " + _quoted(raw))
        out = _add_issues(out, bad, "pledge_amount", "not an amount: " + _quoted(raw))
    return out
