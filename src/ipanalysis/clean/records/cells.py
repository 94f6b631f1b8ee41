"""Cell-level steps the record readers share: text, dates, amounts, names, and issues by row.

Each step reads a column of text cells and returns new values beside a reason for every cell it
cannot read (missing where it could); the reader collects the reasons in an :class:`Issues` and
quarantines the rows that have any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ipanalysis.clean.patents.dates import _parse_date_text
from ipanalysis.clean.text import (  # noqa: F401 (region_option: the readers' import)
    is_missing,
    normalise_text,
    region_option,
    split_number_unit,
    unit_factor,
)
from ipanalysis.vocabulary import parse_flag


@dataclass
class Issues:
    """Problems found in a list's rows: (row index, canonical column, reason)."""

    entries: list[tuple[object, str | None, str]] = field(default_factory=list)

    def add(self, where: pd.Series, column: str | None, reasons: pd.Series | str) -> None:
        """Record ``reasons`` (one text, or one per row) for the rows where ``where`` is true."""
        rows = where[where.fillna(False).astype(bool)].index
        for row in rows:
            reason = reasons if isinstance(reasons, str) else reasons.at[row]
            self.entries.append((row, column, str(reason)))

    def rows(self) -> set:
        """Index labels of the rows with at least one problem."""
        return {row for row, _, _ in self.entries}

    def mask(self, index: pd.Index) -> pd.Series:
        """True for the rows of ``index`` with a problem."""
        return pd.Series(index.isin(list(self.rows())), index=index)


def text(values: pd.Series) -> pd.Series:
    """Cells as normalised text (full-width forms, spaces), missing markers as missing.

    >>> text(pd.Series(["ＰＣＴ／ＣＮ２０２４／０００００１ ", "—", "", "甲公司"])).tolist()
    ['PCT/CN2024/000001', nan, nan, '甲公司']
    """
    out = normalise_text(values.astype(object))
    return out.mask(is_missing(out)).astype(object).where(lambda s: s.notna(), np.nan)


def quoted(values: pd.Series) -> pd.Series:
    """Each value in quotes, for a reason: ``'abc'``."""
    return "'" + values.astype(str) + "'"


_DATE_HINT = (
    "expected e.g. 2024-05-06, 06.05.2024, 2024年5月6日, 20240506 or an Excel serial number"
)
_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


def read_dates(values: pd.Series, *, not_after: pd.Timestamp | None = None) -> pd.DataFrame:
    """Dates from the cells (``date``) and, where one cannot be read, why (``reason``).

    Reads what :mod:`ipanalysis.clean.patents` reads (``20240506``, ``2024-05-06``,
    ``2024.5.6``, ``2024/5/6``, ``2024年5月6日``, Excel serial numbers, full-width digits) and
    WIPO's day-first ``06.05.2024``; a day-first date with ``/`` or ``-`` is read only when the
    day is over 12 (``27/03/2013``), else it is ambiguous. A bare year (``2024``) is not read as
    an Excel serial. A date after ``not_after`` (default: today) is a reason too. Blank cells are
    missing without a reason.

    >>> out = read_dates(pd.Series(["27.03.2013", "2024-05-06", "45413", "05/06/2024", "2024",
    ...     "2023-02-30", "soon", "2099-01-01", None]))
    >>> out["date"].dt.strftime("%Y-%m-%d").tolist()[:3]
    ['2013-03-27', '2024-05-06', '2024-05-01']
    >>> print("\\n".join(out["reason"].dropna()))
    ambiguous date '05/06/2024': day and month cannot be told apart; write it as 2024-06-05 or 2024-05-06
    not a date: '2024' (a year alone; expected e.g. 2024-05-06, 06.05.2024, 2024年5月6日, 20240506 or an Excel serial number)
    impossible date '2023-02-30'
    not a date: 'soon' (expected e.g. 2024-05-06, 06.05.2024, 2024年5月6日, 20240506 or an Excel serial number)
    date 2099-01-01 is after today
    """
    cells = text(values)
    day_first = cells.astype(str).str.extract(_DAY_FIRST).where(cells.notna())
    day, month = day_first[0].astype(float), day_first[1].astype(float)
    dotted = cells.astype(str).str.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}") & cells.notna()
    swap = day_first[0].notna() & ((day > 12) | dotted)
    ambiguous = day_first[0].notna() & ~swap & (month <= 12)
    iso = day_first[2] + "-" + day_first[1] + "-" + day_first[0]
    year_alone = cells.astype(str).str.fullmatch(r"\d{4}") & cells.notna()
    parsed = cells.mask(swap, iso).mask(ambiguous | year_alone)
    dates, unreadable, impossible = _parse_date_text(parsed.astype(object))
    unreadable = (unreadable | (day_first[0].notna() & ~swap & ~ambiguous)) & ~ambiguous
    reason = pd.Series(np.nan, index=values.index, dtype=object)
    hint = f"({_DATE_HINT})"
    reason = reason.mask(unreadable, "not a date: " + quoted(cells) + f" {hint}")
    reason = reason.mask(
        year_alone, "not a date: " + quoted(cells) + f" (a year alone; {_DATE_HINT})"
    )
    reason = reason.mask(impossible, "impossible date " + quoted(parsed))
    reason = reason.mask(
        ambiguous,
        "ambiguous date "
        + quoted(cells)
        + ": day and month cannot be told apart; write it as "
        + day_first[2]
        + "-"
        + day_first[1].str.zfill(2)
        + "-"
        + day_first[0].str.zfill(2)
        + " or "
        + day_first[2]
        + "-"
        + day_first[0].str.zfill(2)
        + "-"
        + day_first[1].str.zfill(2),
    )
    limit = not_after if not_after is not None else pd.Timestamp.today().normalize()
    late = (dates > limit).fillna(False) & reason.isna()
    reason = reason.mask(late, "date " + dates.dt.strftime("%Y-%m-%d") + " is after today")
    dates = dates.mask(reason.notna())
    return pd.DataFrame({"date": dates.astype("datetime64[ns]"), "reason": reason})


def read_amounts(values: pd.Series, header_unit: str | None, to_unit: str) -> pd.DataFrame:
    """Amounts in ``to_unit`` (``value``) from cells whose unit is written in the cell
    (``300万元``) or in the header (``header_unit``), and why one cannot be read (``reason``).

    Missing markers and blanks are missing (never 0); a negative amount, text that is not a
    number, a unit that does not convert, and a number with no unit at all are reasons. Values
    are rounded to 12 significant digits (float noise of the conversion).

    >>> out = read_amounts(pd.Series(["300", "1,250.5", "—", "2亿元", "-5", "abc"]), "万元", "元")
    >>> out["value"].tolist()
    [3000000.0, 12505000.0, nan, 200000000.0, nan, nan]
    >>> out["reason"].dropna().tolist()
    ["negative amount '-5'", "not a number: 'abc'"]
    """
    cells = text(values)
    split = split_number_unit(cells)
    unit = split["unit"].astype(object).where(split["unit"].notna(), header_unit)
    number = split["number"].astype(str).str.replace(r"(?<=\d),(?=\d{3})", "", regex=True)
    numeric = pd.to_numeric(number.where(cells.notna()), errors="coerce")
    factors = {u: unit_factor(u, to_unit) for u in unit.dropna().unique()}
    factor = unit.map(factors).astype(float)
    value = (numeric * factor).round(6).map(lambda v: float(f"{v:.12g}") if v == v else v)
    reason = pd.Series(np.nan, index=values.index, dtype=object)
    present = cells.notna()
    reason = reason.mask(present & numeric.isna(), "not a number: " + quoted(cells))
    no_unit = present & numeric.notna() & unit.isna()
    reason = reason.mask(no_unit, "no unit for " + quoted(cells) + f" (expected {to_unit})")
    bad_unit = present & numeric.notna() & unit.notna() & factor.isna()
    reason = reason.mask(bad_unit, quoted(unit.astype(str)) + f" does not convert to {to_unit}")
    reason = reason.mask(present & (numeric < 0), "negative amount " + quoted(cells))
    return pd.DataFrame({"value": value.mask(reason.notna()).astype(float), "reason": reason})


#: Separators between names in one cell: ; and ； (CNIPA, CNKI), | (PatSnap), line breaks.
NAME_SEPARATORS = r"\s*[;；|\n]\s*"


def join_names(values: pd.Series, separators: str = NAME_SEPARATORS) -> pd.Series:
    """Every name a cell lists, in order, without repeats, ``;``-joined (missing when none).

    >>> join_names(pd.Series(["甲公司；乙大学", "丙 | 丁 | 丙", None, "; ", "戊公司\\n己公司"])).tolist()
    ['甲公司;乙大学', '丙;丁', nan, nan, '戊公司;己公司']
    """
    cells = text(lines_apart(values))

    def one(cell: object) -> object:
        if not isinstance(cell, str):
            return np.nan
        parts = [p.strip() for p in re.split(separators, cell) if p.strip()]
        return ";".join(dict.fromkeys(parts)) if parts else np.nan

    return cells.map(one).astype(object)


def lines_apart(values: pd.Series) -> pd.Series:
    """Line breaks inside cells as ``;`` (a list written one name per line), before
    :func:`text` joins the lines of a cell.

    >>> lines_apart(pd.Series(["甲\\r\\n乙", 3])).tolist()
    ['甲;乙', 3]
    """
    return values.map(lambda v: re.sub(r"\s*[\r\n]+\s*", ";", v) if isinstance(v, str) else v)


def first_name(joined: pd.Series) -> pd.Series:
    """The first of ``;``-joined names.

    >>> first_name(pd.Series(["甲公司;乙大学", np.nan])).tolist()
    ['甲公司', nan]
    """
    return joined.str.split(";").str[0]


def read_flags(values: pd.Series) -> pd.DataFrame:
    """Yes/no cells (是/否, true/false, 1/0, ``*``) as a nullable boolean (``flag``) and why a
    cell is neither (``reason``); blanks are missing.

    >>> read_flags(pd.Series(["是", "false", "*", "", "maybe"])).values.tolist()
    [[True, nan], [False, nan], [True, nan], [<NA>, nan], [<NA>, "expected 是/否, true/false or *, found 'maybe'"]]
    """
    cells = text(values)
    flags = cells.map(lambda v: True if v == "*" else parse_flag(v) if isinstance(v, str) else None)
    flag = pd.array([pd.NA if f is None else f for f in flags], dtype="boolean")
    bad = cells.notna() & flags.isna()
    reason = pd.Series(np.nan, index=values.index, dtype=object).mask(
        bad, "expected 是/否, true/false or *, found " + quoted(cells)
    )
    return pd.DataFrame({"flag": pd.Series(flag, index=values.index), "reason": reason})
