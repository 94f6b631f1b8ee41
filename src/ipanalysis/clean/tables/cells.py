"""One sheet's cells, normalised, and what each cell is (a figure, a header, a label)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import InputError
from ..text import (
    MISSING_MARKERS,
    normalise_text,
    parse_numbers,
    split_number_unit,
)
from .files import _Formula, _Grid

#: Labels of a totals row (compared without spaces): 全市, 合计, 全市合计, 总计, 全国 …
TOTAL_LABEL = re.compile(
    r"(?:全市|全区|全省|全国|本市|全部)(?:合计|总计|共计)?|.{0,6}(?:合计|总计|共计)"
)


_PERIOD = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*(?:年(?:度)?)?"
    r"(?P<sub>\d{1,2}\s*[-~～至到—–]\s*\d{1,2}\s*月|\d{1,2}\s*月(?:份)?|[上下]半年"
    r"|第?[一二三四1-4]\s*季度|[末底])?"
)


_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-~～至到—–]\s*((?:19|20)\d{2})\s*年")


# 内 marks an "of which" row only with its colon (内：浦东新区): 内蒙古自治区 keeps its first character
_OF_WHICH = re.compile(r"^(?:其中\s*[:：]?|内\s*[:：]|#)\s*")


def _plain(value: object) -> object:
    """A normalised cell: blank as '', integral floats as ints (Excel stores 2023 as 2023.0)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _header_text(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _Formula):
        return value.text
    return "" if value == "" else str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _figures(values: pd.Series) -> pd.Series:
    """True where a cell is a figure: a number, a number written as text (with or without a
    unit), or a missing marker other than a blank."""
    number = values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    text = values.where(values.map(lambda v: isinstance(v, str) and v != ""))
    parsed = parse_numbers(split_number_unit(text)["number"], errors="coerce").notna()
    return number | parsed | text.str.lower().isin(MISSING_MARKERS - {""})


def _is_total_label(label: object) -> bool:
    return isinstance(label, str) and bool(TOTAL_LABEL.fullmatch(re.sub(r"\s", "", label)))


def _strip_of_which(label: object) -> object:
    return _OF_WHICH.sub("", label) if isinstance(label, str) else label


def _period_of(text: str) -> str | None:
    """'2023' for 2023 / 2023年 / 2023年度 / 2023年末; '2023年1-6月' kept as written."""
    match = _PERIOD.fullmatch(text.strip())
    if not match:
        return None
    sub = match["sub"]
    return match["year"] if not sub or sub in "末底" else f"{match['year']}年{sub}"


def _periods_in(text: str) -> list[str]:
    """The distinct periods a title names (2023年, 2023年1-6月); bare numbers are not years."""
    ranges = [m.group(1, 2) for m in _YEAR_RANGE.finditer(text)]  # 2019-2023年: several years
    found = (m for m in _PERIOD.finditer(_YEAR_RANGE.sub("", text)) if "年" in m.group(0))
    years = [year for pair in ranges for year in pair]
    return list(dict.fromkeys([*years, *(_period_of(m.group(0)) or m["year"] for m in found)]))


class _Sheet:
    """The cells of one sheet, normalised, with what each held as written; raises located
    errors. Positions are 0-based here and 1-based (as Excel shows them) in messages."""

    def __init__(self, grid: _Grid, path: Path) -> None:
        self.file, self.sheet, self.merges = path.name, grid.sheet, grid.merges
        width = max((len(row) for row in grid.cells), default=0)
        raw = [list(row) + [None] * (width - len(row)) for row in grid.cells]
        flat = pd.Series([v for row in raw for v in row], dtype=object)
        # one pass over all cells (not one call per cell): text cleaned, blanks as ''
        clean = normalise_text(flat).map(_plain)
        figure = _figures(clean)
        cells = [clean.iloc[r * width : (r + 1) * width].tolist() for r in range(len(raw))]
        figures = [figure.iloc[r * width : (r + 1) * width].tolist() for r in range(len(raw))]
        while cells and all(v == "" for v in cells[-1]):
            cells.pop()
        used = [c for c in range(width) if any(row[c] != "" for row in cells)]
        if not used:
            raise self.error(
                "the sheet is empty" if self.sheet is not None else "the file is empty"
            )
        self.width = used[-1] + 1
        self.first_col = used[0]
        self.cells = [row[: self.width] for row in cells]
        self.figure = [row[: self.width] for row in figures[: len(cells)]]
        self.raw = [row[: self.width] for row in raw[: len(cells)]]

    def error(self, message: str, row: int | None = None, column: str | None = None) -> InputError:
        return InputError(message, file=self.file, sheet=self.sheet, row=row, column=column)

    def as_written(self, r: int, c: int) -> str:
        """The cell's text as the file has it (numbers as Excel shows them, without format)."""
        value = self.raw[r][c]
        if isinstance(value, str):
            return value.strip()
        return _header_text(self.cells[r][c])

    def filled(self, r: int) -> list[tuple[int, object]]:
        return [(c, v) for c, v in enumerate(self.cells[r]) if v != ""]


def _and(items) -> str:
    """'3 and 5', '3, 5 and 9'."""
    items = list(items)
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
