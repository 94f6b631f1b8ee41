"""Where things are in a sheet: the region column, title, units, header rows, data rows and columns of figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ...regions import resolve_regions, try_resolve_regions
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


#: Header words of a region column.
_REGION_WORDS = {"地区", "区域", "区", "区名", "区县", "各区", "省份", "省区市", "省市", "地市"}
_REGION_WORDS |= {"城市", "行政区", "行政区划"}
#: Header words of the column labelling the rows (so that a header row is never taken for data).
_REGION_HEADERS = _REGION_WORDS | {"单位", "名称", "项目", "指标", "指标名称"}


#: Headers of columns that label rows rather than hold figures.
_LABEL_HEADERS = {"序号", "编号", "行次", "代码", "区划代码", "行政区划代码", "地区代码", "备注"}


#: Headers of a column holding each row's period.
_PERIOD_HEADERS = {"年份", "年度", "年", "时间", "统计年度", "期间", "时期", "period", "year"}


_YEARLIKE = re.compile(r"^(?:19|20)\d{2}(?:\.0+)?$")


#: How a table is laid out: a region per row (the usual release), one region whose measures
#: are the rows (a city's or district's bulletin), or a region per column (a transposed table,
#: periods as rows).
REGIONS_IN_ROWS = "regions in rows"
ONE_REGION = "one region, measures in rows"
REGIONS_IN_COLUMNS = "regions in columns"


#: A title line naming the one region a table is about (the national data portal: 地区：广州).
_REGION_LINE = re.compile(r"^地区\s*[:：]\s*(\S.*?)\s*$")


#: Header words of a column of measure names (a table about one region).
_MEASURE_HEADERS = {"指标", "指标名称", "项目", "主要指标"}


@dataclass
class _Region:
    """The one region a table is about."""

    code: str
    name: str
    label: str  # as the file (地区： line) or the option writes it


@dataclass
class _Layout:
    mode: str  # REGIONS_IN_ROWS, ONE_REGION or REGIONS_IN_COLUMNS
    label_col: int  # the column labelling the rows: regions, measures or periods (by mode)
    label_header: str
    header_rows: list[int]
    data_rows: list[int]
    title: str | None
    table_unit: str | None
    paths: list[list[str]]
    resolves: pd.Series  # per sheet row: the label column's cell resolves as a region
    region: _Region | None = None  # ONE_REGION: the region of every value


@dataclass
class _Column:
    index: int
    letter: str
    measure: str
    unit: str | None
    period: str | None
    region_label: str | None = None  # REGIONS_IN_COLUMNS: the region its header names


def _layout(sheet: _Sheet, notes: list[str], region: str | None = None) -> _Layout:
    """Where the labels, the title, the unit, the headers and the data rows are, and how the
    table is laid out (see :func:`_orientation`)."""
    mode, label_col, one = _orientation(sheet, region, notes)
    labels = pd.Series([row[label_col] for row in sheet.cells], dtype=object)
    resolves = pd.Series(False, index=labels.index)
    if mode == REGIONS_IN_ROWS:
        resolves = try_resolve_regions(
            labels.map(lambda v: _strip_of_which(v) if isinstance(v, str) else str(v))
        ).notna()
    body_start = _first_data_row(sheet, label_col, resolves)
    if body_start is None:
        raise sheet.error(
            "no data row: no row holds a region name with a figure beside it",
            column=_column_letter(label_col),
        )
    title, table_unit, header_rows = _above_the_data(sheet, body_start, notes)
    paths = _header_paths(sheet, header_rows, label_col)
    data_rows = _data_rows(sheet, range(body_start, len(sheet.cells)), label_col, resolves, notes)
    if not data_rows:
        raise sheet.error("no data row below the header")
    return _Layout(
        mode=mode,
        label_col=label_col,
        label_header="/".join(paths[label_col]) or _column_letter(label_col),
        header_rows=header_rows,
        data_rows=data_rows,
        title=title,
        table_unit=table_unit,
        paths=paths,
        resolves=resolves,
        region=one,
    )


def _above_the_data(
    sheet: _Sheet, body_start: int, notes: list[str]
) -> tuple[str | None, str | None, list[int]]:
    """(title, the table's unit, header rows) from the rows above the first data row."""
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
    return title, table_unit, header_rows


def _orientation(
    sheet: _Sheet, region: str | None, notes: list[str]
) -> tuple[str, int, _Region | None]:
    """(layout, label column, the one region): regions in the column holding most region names;
    else in the header row holding more of them than any column (a transposed table); else one
    region, named by ``region`` or a 地区： title line, with a measure in each row."""
    counts = _region_counts(sheet)
    if region is not None:
        if max(counts) >= 1:
            c = counts.index(max(counts))
            names = [v for row in sheet.cells if isinstance(v := row[c], str) and v][:40]
            found = try_resolve_regions(pd.Series(names, dtype=object)).notna()
            listed = ", ".join(n for n, ok in zip(names, found, strict=True) if ok)
            raise sheet.error(
                f"region= (--region) is for a table about one region, but column "
                f"{_column_letter(c)} names regions ({listed}); leave the option out"
            )
        return ONE_REGION, sheet.first_col, _one_region(sheet, region, "region= (--region)")
    row, in_row = _region_row(sheet)
    if in_row >= 2 and in_row > max(counts):
        notes.append(f"regions as columns (row {row + 1}), periods as rows")
        return REGIONS_IN_COLUMNS, sheet.first_col, None
    if max(counts) > 0:
        return REGIONS_IN_ROWS, counts.index(max(counts)), None
    line = _region_line(sheet)
    if line is not None:
        return ONE_REGION, sheet.first_col, _one_region(sheet, line, "the 地区： line")
    _refuse_unknown_regions(sheet)
    header = next((v for row in sheet.cells if (v := row[sheet.first_col]) != ""), "")
    if re.sub(r"\s", "", _header_text(header)) in _MEASURE_HEADERS:
        raise sheet.error(
            f"no region: the table lists measures (column {_column_letter(sheet.first_col)} "
            f"'{_header_text(header).strip()}') for one region but names none (no 地区： line); "
            "give it with region= (--region)"
        )
    raise _no_label_column(sheet)


def _refuse_unknown_regions(sheet: _Sheet) -> None:
    """An error naming every name under a region header (地区, 城市 …) when the reference knows
    none of them: a table whose every region is unknown is refused as a whole."""
    for r, row in enumerate(sheet.cells[:30]):
        for c, value in enumerate(row):
            if not isinstance(value, str) or re.sub(r"\s", "", value) not in _REGION_WORDS:
                continue
            below = [(i, v) for i in range(r + 1, len(sheet.cells)) if (v := sheet.cells[i][c])]
            named = [(i, v) for i, v in below if isinstance(v, str) and not sheet.figure[i][c]]
            named = [(i, v) for i, v in named if not FOOTNOTE.match(v)]
            if named:
                resolve_regions(  # raises, naming the first name and listing the others
                    pd.Series([_strip_of_which(v) for _, v in named], dtype=object),
                    file=sheet.file,
                    sheet=sheet.sheet,
                    rows=[i + 1 for i, _ in named],
                    column=value.strip(),
                )


def _one_region(sheet: _Sheet, label: str, source: str) -> _Region:
    """The region ``label`` names (given by ``source``); an error naming the source if unknown."""
    from ...regions import region_names, unresolved_reasons

    code = try_resolve_regions(pd.Series([label])).iloc[0]
    if pd.isna(code):
        reason = unresolved_reasons(pd.Series([label])).iloc[0]
        raise sheet.error(f"{source}: {reason}")
    return _Region(str(code), region_names()[str(code)], label)


def _region_line(sheet: _Sheet) -> str | None:
    """The region a 地区： title line names (a single cell in one of the first rows), if any."""
    for row in sheet.cells[:10]:
        filled = [v for v in row if v != ""]
        if len(filled) == 1 and isinstance(filled[0], str):
            found = _REGION_LINE.match(filled[0].strip())
            if found:
                return found.group(1)
    return None


def _region_counts(sheet: _Sheet) -> list[int]:
    """How many cells of each column name a region."""
    counts = []
    for c in range(sheet.width):
        column = pd.Series([row[c] for row in sheet.cells], dtype=object)
        # names, and codes stored as numbers (310117); other numbers are figures, not regions
        column = column[column.map(lambda v: (isinstance(v, str) and v != "") or _code_like(v))]
        found = try_resolve_regions(column.map(str)).notna().sum() if len(column) else 0
        counts.append(int(found))
    return counts


def _region_row(sheet: _Sheet, search: int = 30) -> tuple[int, int]:
    """(row, count) of the row among the first ``search`` holding most region names beside its
    first cell."""
    cells = [
        (r, v)
        for r, row in enumerate(sheet.cells[:search])
        for c, v in enumerate(row)
        if c > sheet.first_col and isinstance(v, str) and v != ""
    ]
    if not cells:
        return 0, 0
    found = try_resolve_regions(pd.Series([v for _, v in cells], dtype=object)).notna()
    per_row = pd.Series(found.to_numpy(), index=[r for r, _ in cells]).groupby(level=0).sum()
    return int(per_row.idxmax()), int(per_row.max())


def _no_label_column(sheet: _Sheet) -> Exception:
    """The error for a table in which no column names a region."""
    firsts = [next((row[c] for row in sheet.cells if row[c] != ""), "") for c in range(sheet.width)]
    shown = ", ".join(
        f"{_column_letter(c)} '{_header_text(v)}'" for c, v in enumerate(firsts[:6]) if v != ""
    )
    return sheet.error(
        "no region column: no column holds region names such as 松江区, 上海市 or 310117 "
        f"(first cells: {shown})"
    )


def _code_like(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 100000 <= value <= 999999


def _first_data_row(sheet: _Sheet, label_col: int, resolves: pd.Series) -> int | None:
    for r, row in enumerate(sheet.cells):
        label = row[label_col]
        if label == "" or (isinstance(label, str) and re.sub(r"\s", "", label) in _REGION_HEADERS):
            continue
        others = [(c, v) for c, v in enumerate(row) if c != label_col and v != ""]
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


def _header_paths(sheet: _Sheet, header_rows: list[int], label_col: int) -> list[list[str]]:
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
                    and label_col not in (c, c - 1)
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


def _data_rows(sheet: _Sheet, body, label_col: int, resolves: pd.Series, notes: list[str]):
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
            and first_col <= label_col
            and (in_notes or FOOTNOTE.match(first))
        ):
            # a footnote, or the next line of one (2. 闸北区数据为……)
            in_notes = True
            notes.append(f"footnote row {r + 1}: {sheet.as_written(r, first_col)}")
            continue
        in_notes = False
        label = sheet.cells[r][label_col]
        if (
            len(filled) == 1
            and first_col == label_col
            and not resolves[r]
            and not _is_total_label(label)
        ):
            notes.append(f"row {r + 1}: '{label}' has no figures: read as a section heading")
            continue
        data_rows.append(r)
    return data_rows


def _columns(sheet: _Sheet, layout: _Layout, notes: list[str]) -> tuple[list[_Column], int | None]:
    """The columns of figures (measure, unit and period from the header; in a table of regions
    as columns, the region) and the column that holds each row's period, if any; columns not
    read are said in ``notes``."""
    columns: list[_Column] = []
    period_col = layout.label_col if layout.mode == REGIONS_IN_COLUMNS else None
    for c in range(sheet.width):
        if c == layout.label_col:
            continue
        found = _column(sheet, layout, c, notes)
        if found == "period":
            period_col = c
        elif found is not None:
            columns.append(found)
    if not columns:
        what = {REGIONS_IN_ROWS: "region", ONE_REGION: "measure"}.get(layout.mode, "period")
        raise sheet.error(
            f"no column of figures beside the {what} column '{layout.label_header}' "
            f"(column {_column_letter(layout.label_col)})"
        )
    return columns, period_col


def _column(sheet: _Sheet, layout: _Layout, c: int, notes: list[str]) -> _Column | str | None:
    """Column ``c`` as a column of figures, ``"period"`` when it holds each row's period, or
    None when it is not read (said in ``notes``)."""
    letter, path = _column_letter(c), layout.paths[c]
    header = "/".join(path)
    last = re.sub(r"\s", "", path[-1]) if path else ""
    filled = [(r, sheet.cells[r][c]) for r in layout.data_rows if sheet.cells[r][c] != ""]
    if not filled and not path:
        return None
    if last in _PERIOD_HEADERS or last.lower() in _PERIOD_HEADERS:
        return "period"
    if last in _LABEL_HEADERS:
        notes.append(f"column {letter} ('{header}') labels the rows: not read")
        return None
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
        return None
    if not path:
        notes.append(f"column {letter} has figures but no header: not read")
        return None
    if layout.mode == REGIONS_IN_COLUMNS:
        return _Column(c, letter, "", unit, period, region_label="/".join(parts))
    return _Column(c, letter, "/".join(parts), unit, period)


def _fill_periods_and_measures(
    sheet: _Sheet,
    layout: _Layout,
    columns: list[_Column],
    period: str | None,
    measure: str | None,
    period_col: int | None,
) -> None:
    """A column's period: its header's, else ``period``, else the title's; its measure: its
    header's, else ``measure``, else the title's (a table about one region names a measure in
    each row instead); its unit: its header's, else the table's."""
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
        if not column.measure and layout.mode != ONE_REGION:
            column.measure = measure or _measure_from_title(layout.title)
            if not column.measure and layout.mode == REGIONS_IN_COLUMNS:
                raise sheet.error(
                    "no measure: the header names regions, the rows periods, and there is no "
                    "title to name what the figures are; give it with measure= (--measure)"
                )
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
