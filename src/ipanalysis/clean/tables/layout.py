"""Where things are in a sheet: the region column, title, units, header rows, data rows and columns of figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ...regions import try_resolve_regions
from ..text import (
    split_unit,
)
from .cells import (
    _PERIOD,
    _YEAR_RANGE,
    _column_letter,
    _header_text,
    _is_total_label,
    _period_of,
    _periods_in,
    _Sheet,
    _strip_of_which,
)

#: First words of a footnote row.
FOOTNOTE = re.compile(r"^(?:注|附注|说明|备注|资料来源|数据来源|来源|[*※]|[①②③④⑤⑥⑦⑧⑨]|\d+[.、])")


#: Header words of a region column (so that a header row is never taken for data).
_REGION_HEADERS = {"地区", "区域", "区", "区名", "区县", "各区", "省份", "省区市", "省市", "地市"}


#: Headers of columns that label rows rather than hold figures.
_LABEL_HEADERS = {"序号", "编号", "行次", "代码", "区划代码", "行政区划代码", "地区代码", "备注"}


#: Headers of a column holding each row's period.
_PERIOD_HEADERS = {"年份", "年度", "年", "时间", "统计年度", "期间", "时期", "period", "year"}


_YEARLIKE = re.compile(r"^(?:19|20)\d{2}(?:\.0+)?$")


@dataclass
class _Layout:
    region_col: int
    region_header: str
    header_rows: list[int]
    data_rows: list[int]
    title: str | None
    table_unit: str | None
    paths: list[list[str]]
    resolves: pd.Series  # per sheet row: the region column's cell resolves as a region


@dataclass
class _Column:
    index: int
    letter: str
    measure: str
    unit: str | None
    period: str | None


def _layout(sheet: _Sheet, notes: list[str]) -> _Layout:
    """Where the region column, the title, the unit, the headers and the data rows are."""
    region_col = _region_column(sheet)
    labels = pd.Series([row[region_col] for row in sheet.cells], dtype=object)
    resolves = try_resolve_regions(
        labels.map(lambda v: _strip_of_which(v) if isinstance(v, str) else str(v))
    ).notna()
    body_start = _first_data_row(sheet, region_col, resolves)
    if body_start is None:
        raise sheet.error(
            "no data row: no row holds a region name with a figure beside it",
            column=_column_letter(region_col),
        )
    titles: list[str] = []
    table_unit: str | None = None
    header_rows: list[int] = []
    for r in range(body_start):
        filled = sheet.filled(r)
        if not filled:
            continue
        texts = [_header_text(v) for _, v in filled]
        units = [split_unit(t) for t in texts]
        unit_cells = [u for label, u in units if u and not label]
        if unit_cells and len(filled) <= 2:  # 单位：件, perhaps beside the title or a date
            table_unit = unit_cells[0]
            beside = [label for label, _ in units if label]
            if titles or header_rows:  # a date (2024年3月) must not be taken for the period
                notes += [f"row {r + 1}: {text}" for text in beside]
            else:
                titles += beside
            continue
        if not header_rows and len(filled) == 1 and filled[0][0] == sheet.first_col:
            label, unit = units[0]
            titles.append(label)
            table_unit = unit or table_unit
            continue
        header_rows.append(r)
    if not header_rows:
        raise sheet.error(
            f"no header row above the first data row (row {body_start + 1}): expected the "
            "names of the measures above the figures"
        )
    title = " ".join(titles) or None
    if title:
        notes.append(f"title: {title}")
    if table_unit:
        notes.append(f"unit stated for the table: {table_unit}")
    paths = _header_paths(sheet, header_rows, region_col)
    data_rows = _data_rows(sheet, range(body_start, len(sheet.cells)), region_col, resolves, notes)
    if not data_rows:
        raise sheet.error("no data row below the header")
    return _Layout(
        region_col=region_col,
        region_header="/".join(paths[region_col]) or _column_letter(region_col),
        header_rows=header_rows,
        data_rows=data_rows,
        title=title,
        table_unit=table_unit,
        paths=paths,
        resolves=resolves,
    )


def _region_column(sheet: _Sheet) -> int:
    """The column holding the most region names; leftmost on a tie."""
    counts = []
    for c in range(sheet.width):
        column = pd.Series([row[c] for row in sheet.cells], dtype=object)
        # names, and codes stored as numbers (310117); other numbers are figures, not regions
        column = column[column.map(lambda v: (isinstance(v, str) and v != "") or _code_like(v))]
        found = try_resolve_regions(column.map(str)).notna().sum() if len(column) else 0
        counts.append(int(found))
    if max(counts) == 0:
        firsts = [
            next((row[c] for row in sheet.cells if row[c] != ""), "") for c in range(sheet.width)
        ]
        shown = ", ".join(
            f"{_column_letter(c)} '{_header_text(v)}'" for c, v in enumerate(firsts[:6]) if v != ""
        )
        raise sheet.error(
            "no region column: no column holds region names such as 松江区, 上海市 or 310117 "
            f"(first cells: {shown})"
        )
    return counts.index(max(counts))


def _code_like(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 100000 <= value <= 999999


def _first_data_row(sheet: _Sheet, region_col: int, resolves: pd.Series) -> int | None:
    for r, row in enumerate(sheet.cells):
        label = row[region_col]
        if label == "" or (isinstance(label, str) and re.sub(r"\s", "", label) in _REGION_HEADERS):
            continue
        others = [(c, v) for c, v in enumerate(row) if c != region_col and v != ""]
        if not others:
            continue
        if resolves[r] or _is_total_label(label):
            return r  # a known region with anything beside it, figures or not (abc, a date)
        figures = [v for c, v in others if sheet.figure[r][c]]
        # a row of years under a header word we do not know (区名 | 2022 | 2023) is a header
        years_only = len(figures) == len(others) and all(_YEARLIKE.match(str(v)) for v in figures)
        if figures and not years_only:
            return r
    return None


def _header_paths(sheet: _Sheet, header_rows: list[int], region_col: int) -> list[list[str]]:
    """Each column's header texts, top to bottom, merged cells spread over their range."""
    grid = {r: [_header_text(v) for v in sheet.cells[r]] for r in header_rows}
    merged_in_header = False
    for r0, c0, r1, c1 in sheet.merges:
        if r0 not in grid or c0 >= sheet.width:
            continue
        merged_in_header = True
        for r in range(r0, r1 + 1):
            if r in grid:
                for c in range(c0, min(c1, sheet.width - 1) + 1):
                    grid[r][c] = grid[r0][c0]
    if not merged_in_header:
        # a CSV, or a sheet laid out without merges: a blank group cell above a filled lower
        # cell belongs to the group on its left, within the same parent group
        for i, r in enumerate(header_rows[:-1]):
            below = header_rows[i + 1 :]
            above = header_rows[i - 1] if i else None
            for c in range(1, sheet.width):
                if (
                    grid[r][c] == ""
                    and region_col not in (c, c - 1)
                    and grid[r][c - 1] != ""
                    and any(grid[b][c] != "" for b in below)
                    and (above is None or grid[above][c] == grid[above][c - 1])
                ):
                    grid[r][c] = grid[r][c - 1]
    paths = []
    for c in range(sheet.width):
        path: list[str] = []
        for r in header_rows:
            text = grid[r][c]
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths


def _data_rows(sheet: _Sheet, body, region_col: int, resolves: pd.Series, notes: list[str]):
    """The rows below the header that hold data; footnotes and section headings go to notes."""
    data_rows = []
    in_notes = False
    for r in body:
        filled = sheet.filled(r)
        if not filled:
            continue
        first_col, first = filled[0]
        if (
            len(filled) == 1
            and isinstance(first, str)
            and first_col <= region_col
            and (in_notes or FOOTNOTE.match(first))
        ):
            # a footnote, or the next line of one (2. 闸北区数据为……)
            in_notes = True
            notes.append(f"footnote row {r + 1}: {sheet.as_written(r, first_col)}")
            continue
        in_notes = False
        label = sheet.cells[r][region_col]
        if (
            len(filled) == 1
            and first_col == region_col
            and not resolves[r]
            and not _is_total_label(label)
        ):
            notes.append(f"row {r + 1}: '{label}' has no figures: read as a section heading")
            continue
        data_rows.append(r)
    return data_rows


def _columns(sheet: _Sheet, layout: _Layout, notes: list[str]) -> tuple[list[_Column], int | None]:
    """The columns of figures (measure, unit and period from the header) and the column that
    holds each row's period, if any; columns not read are said in ``notes``."""
    columns: list[_Column] = []
    period_col = None
    for c in range(sheet.width):
        if c == layout.region_col:
            continue
        letter, path = _column_letter(c), layout.paths[c]
        header = "/".join(path)
        last = re.sub(r"\s", "", path[-1]) if path else ""
        filled = [(r, sheet.cells[r][c]) for r in layout.data_rows if sheet.cells[r][c] != ""]
        if not filled and not path:
            continue
        if last in _PERIOD_HEADERS or last.lower() in _PERIOD_HEADERS:
            period_col = c
            continue
        if last in _LABEL_HEADERS:
            notes.append(f"column {letter} ('{header}') labels the rows: not read")
            continue
        unit = period = None
        parts = []
        for part in path:
            label, part_unit = split_unit(part)
            unit = part_unit or unit
            found = _period_of(label) if label else None
            if found:
                period = found
            elif label and re.sub(r"[\s:：]", "", label) != "其中":  # "of which" groups a header
                parts.append(label)
        # a column of text is not read, unless its header promises figures (a unit or a year):
        # then its cells are quarantined one by one
        if filled and not any(sheet.figure[r][c] for r, _ in filled) and not (unit or period):
            texts = pd.Series([v for _, v in filled], dtype=object).map(str)
            regions = try_resolve_regions(texts).notna().all()
            what = "repeats the regions" if regions else "holds text, not figures"
            notes.append(f"column {letter} ('{header}') {what}: not read")
            continue
        if not path:
            notes.append(f"column {letter} has figures but no header: not read")
            continue
        columns.append(_Column(c, letter, "/".join(parts), unit, period))
    if not columns:
        raise sheet.error(
            f"no column of figures beside the region column '{layout.region_header}' "
            f"(column {_column_letter(layout.region_col)})"
        )
    return columns, period_col


def _fill_periods_and_measures(
    sheet: _Sheet,
    layout: _Layout,
    columns: list[_Column],
    period: str | None,
    measure: str | None,
    period_col: int | None,
) -> None:
    """A column's period: its header's, else ``period``, else the title's; its measure: its
    header's, else ``measure``, else the title's; its unit: its header's, else the table's."""
    title_periods = _periods_in(layout.title or "")
    default = period or (title_periods[0] if len(title_periods) == 1 else None)
    for column in columns:
        if column.period is None and period_col is None:
            if default is None:
                named = f" (the title names {', '.join(title_periods)})" if title_periods else ""
                raise sheet.error(
                    f"no period: neither the title nor the header of column {column.letter} "
                    f"names one year{named}; give it with period= (--period)"
                )
            column.period = default
        if not column.measure:
            column.measure = measure or _measure_from_title(layout.title)
            if not column.measure:
                raise sheet.error(
                    f"column {column.letter}: the header names no measure, only a period, and "
                    "there is no title to name one; give it with measure= (--measure)"
                )
        line = _indicator_line(layout.title)
        column.unit = column.unit or layout.table_unit or (line[1] if line else None)


#: The national data portal's title line naming the measure: 指标：地区生产总值(亿元)
_INDICATOR_LINE = re.compile(r"指标\s*[:：]\s*(\S+)")


def _indicator_line(title: str | None) -> tuple[str, str | None] | None:
    """(measure, unit) of a 指标：… title line (data.stats.gov.cn exports), else None."""
    found = _INDICATOR_LINE.search(title or "")
    return split_unit(found.group(1)) if found else None


def _measure_from_title(title: str | None) -> str:
    if not title:
        return ""
    if _indicator_line(title):
        return _indicator_line(title)[0]
    text = _PERIOD.sub("", _YEAR_RANGE.sub("", title)).strip(" :：,，-—~")
    text = re.sub(
        r"^(?:上海市|本市|全市|全国)?(?:各区|分区|各省(?:区市)?|分地区|各地区)?", "", text
    )
    return text.strip(" :：,，-—~")
