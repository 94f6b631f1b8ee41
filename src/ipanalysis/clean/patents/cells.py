"""Small vectorised helpers: cells as text, flags, row numbers, and the ``issues`` column.

Export columns hold few distinct values (a file repeats its applicants, statuses, dates and
classes thousands of times), so text work runs once per distinct value (:func:`_per_value`) and
its result is taken back to every row; an issue's reason is worded only for the rows that have it
(:func:`_add_issues`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ipanalysis.vocabulary import MISSING_MARKERS, flag_words

from .columns import ISSUES

T = TypeVar("T", pd.Series, pd.DataFrame)

#: Rows sampled to tell a column of (nearly) all-distinct values, whose text work is cheaper on
#: the rows themselves than on distinct values taken back.
_SAMPLE = 4096


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """(codes, distinct values) with ``values == distinct.take(codes)``, a missing value being
    one of the distinct values (an object column's values as text); None when nearly every
    value is distinct."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        uniques = values.cat.categories
        if not isinstance(uniques.dtype, pd.StringDtype | np.dtypes.ObjectDType):
            uniques = uniques.astype(object)
    else:
        if len(values) > 4 * _SAMPLE and values.iloc[:_SAMPLE].nunique() > _SAMPLE // 2:
            return None
        if values.dtype == object:  # 1, 1.0 and True are one hash key in an object column
            values = values.astype("str")
        codes, uniques = pd.factorize(values)
    distinct = pd.Series(uniques, copy=False)
    missing = codes < 0
    if missing.any():
        distinct = distinct.reindex(range(len(distinct) + 1))
        codes = np.where(missing, len(distinct) - 1, codes)
    return codes, distinct


def _one_chunk(result: T) -> T:
    """``result`` with each pyarrow-backed column in one chunk: a take from a column of several
    chunks (what ``mask``, ``fillna`` and ``concat`` leave) is many times slower."""
    if isinstance(result, pd.DataFrame):
        return result.assign(**{c: _one_chunk(result[c]) for c in result.columns})
    storage = getattr(result.dtype, "storage", None)
    if storage != "pyarrow" and not isinstance(result.dtype, pd.ArrowDtype):
        return result
    chunks = pa.array(result)
    if isinstance(chunks, pa.ChunkedArray) and chunks.num_chunks > 1:
        return pd.Series(chunks.combine_chunks(), dtype=result.dtype, index=result.index)
    return result


def _per_value(values: pd.Series, func: Callable[[pd.Series], T]) -> T:
    """``func`` (a function of each value alone) run once per distinct value of ``values`` and
    taken back to every row, on ``values``' index.

    >>> _per_value(pd.Series(["a", "b", None, "a"]), lambda s: s.str.upper()).tolist()
    ['A', 'B', nan, 'A']
    """
    found = _distinct(values)
    if found is None:
        return func(values)
    codes, distinct = found
    return _taken(_one_chunk(func(distinct)), codes, values.index)


def _taken(result: T, codes: np.ndarray, index: pd.Index) -> T:
    """The rows ``codes`` of ``result`` (positions), on ``index``."""
    if isinstance(result, pd.Series):
        return pd.Series(result.array.take(codes), index=index, name=result.name, copy=False)
    columns = {c: result[c].array.take(codes) for c in result.columns}
    return pd.DataFrame(columns, index=index, copy=False)


def _row_flags(values: pd.Series, predicate: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """``predicate`` (text → booleans) of each row's value, as an array; worked out once per
    distinct value of a categorical column. A missing value is False.

    >>> _row_flags(pd.Series(["a", " ", "a"], dtype="category"), lambda v: v.str.strip() == "")
    array([False,  True, False])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        flags = predicate(pd.Series(values.cat.categories)).fillna(False).to_numpy(dtype=bool)
        return np.append(flags, False)[values.cat.codes.to_numpy()]
    return predicate(values).fillna(False).to_numpy(dtype=bool)


def _codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """(codes, number of codes) of a column's values; -1 for missing."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), len(values.cat.categories)
    if values.dtype == object:  # 1, 1.0 and True are one hash key in an object column
        values = values.astype("str")
    codes, uniques = pd.factorize(values)
    return codes, len(uniques)


def _by_distinct_rows(
    frame: pd.DataFrame, reads: tuple[str, ...], step: Callable[..., pd.DataFrame], **options
) -> pd.DataFrame:
    """``step`` run once per distinct combination of the columns ``reads`` and taken back.

    ``step`` must be row by row: a row's result depends on the row's values of ``reads`` (the
    other columns are not given to it) and on nothing else. The columns it adds or changes are
    taken back to every row; the issues it finds are appended to the frame's (when ``reads``
    holds ``issues``, the step saw them and its ``issues`` replace them). The input is not
    changed.
    """
    present = [c for c in reads if c in frame.columns]
    if not present or len(frame) == 0:
        return step(frame, **options)
    key = np.zeros(len(frame), dtype=np.int64)
    for column in present:
        codes, size = _codes(frame[column])
        key = key * (size + 1) + (codes + 1)
        if size and key.max() > 1 << 40:
            key = pd.factorize(key)[0].astype(np.int64)
    codes, uniques = pd.factorize(key)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(frame) - 1, -1, -1)
    distinct = frame[present].iloc[first].reset_index(drop=True)
    done = step(distinct, **options)
    changed = [
        c
        for c in done.columns
        if c != ISSUES and (c not in distinct.columns or not done[c].equals(distinct[c]))
    ]
    taken = _taken(_one_chunk(done[changed]), codes, frame.index)
    out = frame.assign(**{c: taken[c] for c in changed})
    if ISSUES not in done.columns:
        return out
    found = _taken(_one_chunk(done[ISSUES]), codes, frame.index)
    if ISSUES in present:
        return out.assign(**{ISSUES: found})
    rows = found.notna().to_numpy(dtype=bool)
    return _append_issues(out, rows, found.iloc[np.flatnonzero(rows)].to_numpy(dtype=object))


def _extract(text: pd.Series, pattern: str) -> pd.DataFrame:
    """The groups of ``pattern`` (RE2 syntax, as :meth:`pandas.Series.str.extract`; no ``(``
    inside a character class) in each value, found by pyarrow in one pass; missing where it does
    not match, and a group that matches nothing is missing (pyarrow gives ``""`` for both).

    >>> _extract(pd.Series(["CN116245100A", "x", None]), r"^([A-Z]{2})[0-9]+([A-Z])").values.tolist()
    [['CN', 'A'], [nan, nan], [nan, nan]]
    """
    names = [f"g{i}" for i in range(re.compile(pattern).groups)]
    groups = iter(names)
    named = re.sub(r"(?<!\\)\((?!\?)", lambda _: f"(?P<{next(groups)}>", pattern)
    array = pa.array(text.astype("str"), type=pa.large_string(), from_pandas=True)
    found = pc.extract_regex(array, named)
    unmatched = found.is_null().to_numpy(zero_copy_only=False)
    return pd.DataFrame(
        {
            i: pd.Series(found.field(name), dtype="str").mask(lambda g: unmatched | (g == ""))
            for i, name in enumerate(names)
        }
    ).set_axis(text.index)


def _put(values: pd.Series, rows: pd.Series, other: pd.Series) -> pd.Series:
    """``values`` with the rows flagged in ``rows`` replaced by ``other`` (those rows' values)."""
    if not rows.any():
        return values
    out = values.copy()
    out.iloc[np.flatnonzero(rows.to_numpy(dtype=bool))] = other.to_numpy()
    return out


def _plain_text(values: pd.Series) -> pd.Series:
    if values.dtype != "str":
        values = values.astype("str")  # missing values stay missing
    text = values.str.strip()
    integral = text.str.fullmatch(r"-?[0-9]+\.0+", na=False)
    if integral.any():
        text = _put(text, integral, text[integral].str.replace(r"\.0+$", "", regex=True))
    # every missing marker is short: only short texts are compared
    short = text.str.len() <= max(map(len, MISSING_MARKERS))
    if not short.any():
        return text
    marker = text[short].str.lower().isin(MISSING_MARKERS)
    return text.mask(_put(pd.Series(False, index=text.index), short, marker))


def _text(values: pd.Series) -> pd.Series:
    """Stripped text (``str`` dtype) with missing markers (blank, -, —, /, null …) as missing.

    Integral floats (Excel hands 20230523 over as 20230523.0) lose their ``.0``.
    """
    return _per_value(values, _plain_text)


def _quoted(text: pd.Series) -> pd.Series:
    return "'" + text.fillna("").str.replace("\n", "\\n", regex=False) + "'"


def _issue_column(frame: pd.DataFrame) -> pd.Series:
    if ISSUES in frame.columns:
        return frame[ISSUES]
    return pd.Series(np.nan, index=frame.index, dtype="str")


def _add_issues(
    frame: pd.DataFrame,
    mask: pd.Series,
    column: str,
    reasons: pd.Series | str | Callable[[pd.Series], pd.Series],
) -> pd.DataFrame:
    """``frame`` with ``'column: reason'`` appended to the ``issues`` of the rows in ``mask``.

    ``reasons`` is one text, a Series of texts, or a function of the mask giving the texts of
    those rows (so that a reason is worded only for the rows that have one).
    """
    mask = pd.Series(mask, index=frame.index) if not isinstance(mask, pd.Series) else mask
    if not mask.index.equals(frame.index):
        mask = mask.reindex(frame.index)
    rows = mask.fillna(False).to_numpy(dtype=bool)
    if not rows.any():
        return frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    if callable(reasons):
        reasons = reasons(pd.Series(rows, index=frame.index))
    if isinstance(reasons, pd.Series):
        reason = reasons.iloc[np.flatnonzero(rows)] if len(reasons) == len(rows) else reasons
        reason = reason.astype("str").to_numpy(dtype=object)
    else:
        reason = np.full(int(rows.sum()), reasons, dtype=object)
    entries = np.array(
        [f"{column}: {r}" if isinstance(r, str) else np.nan for r in reason], dtype=object
    )
    return _append_issues(frame, rows, entries)


def _append_issues(frame: pd.DataFrame, rows: np.ndarray, entries: np.ndarray) -> pd.DataFrame:
    """``frame`` with ``entries`` (``'column: reason'`` lines) appended to the issues of the rows
    flagged in ``rows``; a missing entry adds nothing."""
    current = _issue_column(frame)
    positions = np.flatnonzero(rows)
    before = current.iloc[positions].to_numpy(dtype=object, na_value=np.nan)
    joined = [
        b if not isinstance(e, str) else e if not isinstance(b, str) else f"{b}\n{e}"
        for b, e in zip(before, entries, strict=True)
    ]
    updated = current.astype("str")  # a new Series: the frame's column is not changed
    updated.iloc[positions] = np.array(joined, dtype=object)
    return frame.assign(**{ISSUES: updated})


def _has_issue(frame: pd.DataFrame, column: str) -> pd.Series:
    """Rows whose ``issues`` already name ``column`` (so a consequence is not reported twice)."""
    pattern = f"(?:^|\n){re.escape(column)}: "
    return _issue_column(frame).str.contains(pattern, regex=True, na=False)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column as text, or an all-missing text column when the frame lacks it."""
    if name in frame.columns:
        return _text(frame[name])
    return pd.Series(np.nan, index=frame.index, dtype="str")


def _present(frame: pd.DataFrame, name: str) -> pd.Series:
    """Rows where the column holds a value (not blank, not a missing marker); a predicate
    needs no text taken back to the rows."""
    if name not in frame.columns:
        return pd.Series(False, index=frame.index)
    return _per_value(frame[name], lambda values: _plain_text(values).notna())


def _is_in(frame: pd.DataFrame, name: str, values) -> pd.Series:
    """Rows where the column, as text, is one of ``values``."""
    if name not in frame.columns:
        return pd.Series(False, index=frame.index)
    return _per_value(frame[name], lambda text: _plain_text(text).isin(list(values)))


def _column_as(frame: pd.DataFrame, name: str, func: Callable[[pd.Series], T]) -> T:
    """``func`` of the column as text (see :func:`_column`), run once per distinct value."""
    if name in frame.columns:
        return _per_value(frame[name], lambda values: func(_plain_text(values)))
    return func(pd.Series(np.nan, index=frame.index, dtype="str"))


def _row_numbers(frame: pd.DataFrame) -> pd.Series:
    """Row numbers as a user sees them: ``raw_row`` when present, else position + 2 (CSV)."""
    if "raw_row" in frame.columns:
        return frame["raw_row"]
    return pd.Series(np.arange(2, len(frame) + 2), index=frame.index)


def _flags(values: pd.Series) -> pd.Series:
    """A nullable boolean from bool, 0/1 or true/false/是/否 text; anything else missing."""
    if isinstance(values.dtype, pd.BooleanDtype):
        return values
    if values.dtype == bool:
        return values.astype("boolean")

    def flags(distinct: pd.Series) -> pd.Series:
        text = _plain_text(distinct).str.lower()
        out = pd.Series(pd.NA, index=distinct.index, dtype="boolean")
        true, false = flag_words(text)
        return out.mask(true, True).mask(false, False)

    return _per_value(values, flags)
