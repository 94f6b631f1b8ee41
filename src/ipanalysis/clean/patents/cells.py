"""Small vectorised helpers: cells as text, flags, row numbers, and the ``issues`` column."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ipanalysis.vocabulary import MISSING_MARKERS, flag_words

from .columns import ISSUES


def _text(values: pd.Series) -> pd.Series:
    """Stripped text (``str`` dtype) with missing markers (blank, -, —, /, null …) as missing.

    Integral floats (Excel hands 20230523 over as 20230523.0) lose their ``.0``.
    """
    if values.dtype != "str":
        values = values.astype("str")  # missing values stay missing
    text = values.str.strip().str.replace(r"^(-?[0-9]+)\.0+$", r"\1", regex=True)
    return text.mask(text.str.lower().isin(MISSING_MARKERS))


def _quoted(text: pd.Series) -> pd.Series:
    return "'" + text.fillna("").str.replace("\n", "\\n", regex=False) + "'"


def _issue_column(frame: pd.DataFrame) -> pd.Series:
    if ISSUES in frame.columns:
        return frame[ISSUES]
    return pd.Series(np.nan, index=frame.index, dtype="str")


def _add_issues(
    frame: pd.DataFrame, mask: pd.Series, column: str, reasons: pd.Series | str
) -> pd.DataFrame:
    """``frame`` with ``'column: reason'`` appended to the ``issues`` of the rows in ``mask``."""
    mask = pd.Series(mask, index=frame.index).fillna(False).astype(bool)
    if not mask.any():
        return frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    entry = f"{column}: " + (
        reasons if isinstance(reasons, pd.Series) else pd.Series(reasons, index=frame.index)
    )
    entry = entry.astype("str")
    current = _issue_column(frame)
    first = mask & current.isna()
    more = mask & current.notna()
    updated = current.mask(first, entry).mask(more, current + "\n" + entry)
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
    text = _text(values).str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    true, false = flag_words(text)
    return out.mask(true, True).mask(false, False)
