"""Value cells to the long table; rows and cells that cannot be read quarantined."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from ..text import (
    is_count_unit,
    is_missing,
    parse_numbers,
    split_number_unit,
)
from .cells import _column_letter, _Sheet
from .files import _Formula
from .layout import ONE_REGION, REGIONS_IN_COLUMNS, _Column, _Layout
from .rows import REGION_FIELDS, _Rows

_LONG_COLUMNS = [
    "row",
    "col",
    "cell_value",
    "raw_value",
    "measure",
    "column_unit",
    "period",
    "cell",
    *REGION_FIELDS,
]


class _Quarantine:
    """The quarantine entries of one sheet, each with file, sheet, row, column and reason."""

    def __init__(self, sheet: _Sheet) -> None:
        self.sheet = sheet
        self.entries: list[dict] = []

    def add(self, r: int, column: str | None, reason: str, record: dict) -> None:
        self.entries.append(
            {
                "raw_file": self.sheet.file,
                "sheet": self.sheet.sheet,
                "raw_row": r + 1,
                "column": column,
                "reason": reason,
                "record": json.dumps(record, ensure_ascii=False, default=str),
            }
        )

    def row(self, r: int, column: str | None, reason: str) -> None:
        """The whole row ``r``, with its filled cells as the record."""
        sheet = self.sheet
        cells = {f"{_column_letter(c)}{r + 1}": sheet.as_written(r, c) for c, _ in sheet.filled(r)}
        self.add(r, column, reason, cells)


def _values(
    sheet: _Sheet,
    layout: _Layout,
    rows: _Rows,
    columns: list[_Column],
    column_regions: tuple[pd.DataFrame, pd.Series] | None = None,
) -> tuple[pd.DataFrame, list[dict]]:
    """One row per (data row, column of figures) with its region, period, measure and value;
    rows, columns and cells that cannot be read are quarantined."""
    quarantine = _Quarantine(sheet)
    kept = _rows_to_read(layout, rows, quarantine)
    columns, regions = _columns_to_read(sheet, layout, columns, column_regions, kept, quarantine)
    long = _cells(sheet, layout, rows, kept, columns, regions)
    long = _drop_future(long, quarantine)
    return _figures(sheet, layout, long, quarantine), quarantine.entries


def _rows_to_read(layout: _Layout, rows: _Rows, quarantine: _Quarantine) -> list[int]:
    """The data rows whose values are read; rows without a label, with a region the reference
    does not know or without a period are quarantined whole."""
    letter = _column_letter(layout.label_col)
    what = {ONE_REGION: "measure name", REGIONS_IN_COLUMNS: "period"}.get(layout.mode)
    for r in rows.labels.index[rows.blank]:
        quarantine.row(
            r, layout.label_header, f"figures but no {what or 'region name'} in column {letter}"
        )
    for r in rows.unknown.dropna().index:
        quarantine.row(r, layout.label_header, str(rows.unknown[r]))
    kept = [r for r in layout.data_rows if not rows.blank[r] and pd.isna(rows.unknown[r])]
    if rows.periods is None:
        return kept
    where = f"column {letter}" if layout.mode == REGIONS_IN_COLUMNS else "the period column"
    for r in [r for r in kept if pd.isna(rows.periods[r])]:
        quarantine.add(
            r,
            "period" if layout.mode != REGIONS_IN_COLUMNS else layout.label_header,
            f"no period (a year such as 2023) in {where}",
            {"region" if layout.mode != REGIONS_IN_COLUMNS else "label": rows.labels[r]},
        )
    return [r for r in kept if pd.notna(rows.periods[r])]


def _columns_to_read(
    sheet: _Sheet,
    layout: _Layout,
    columns: list[_Column],
    column_regions: tuple[pd.DataFrame, pd.Series] | None,
    kept: list[int],
    quarantine: _Quarantine,
) -> tuple[list[_Column], pd.DataFrame | None]:
    """The columns whose values are read; in a table of regions as columns, the cells of a
    column headed by a name the reference does not know are quarantined."""
    if column_regions is None:
        return columns, None
    regions, unknown = column_regions
    for column in [c for c in columns if pd.notna(unknown[c.index])]:
        for r in kept:
            if sheet.cells[r][column.index] != "":
                cell = f"{column.letter}{r + 1}"
                quarantine.add(
                    r,
                    column.region_label,
                    f"the header of column {column.letter}: {unknown[column.index]}",
                    {"cell": cell, "value": sheet.as_written(r, column.index)},
                )
    return [c for c in columns if pd.isna(unknown[c.index])], regions


def _cells(
    sheet: _Sheet,
    layout: _Layout,
    rows: _Rows,
    kept: list[int],
    columns: list[_Column],
    column_regions: pd.DataFrame | None,
) -> pd.DataFrame:
    """The long table of value cells: region, period and measure from the row or the column
    (by the table's layout), the cell as read and as written."""
    records = []
    for r in kept:
        for column in columns:
            measure, unit = column.measure, column.unit
            if rows.measures is not None:
                measure = rows.measures.at[r, "measure"]
                unit = rows.measures.at[r, "unit"] or column.unit
            region = (
                rows.regions.loc[r] if column_regions is None else column_regions.loc[column.index]
            )
            records.append(
                [
                    r,
                    column.index,
                    sheet.cells[r][column.index],
                    sheet.as_written(r, column.index),
                    measure,
                    unit,
                    column.period or rows.periods[r],
                    f"{column.letter}{r + 1}",
                    *region[REGION_FIELDS],
                ]
            )
    return pd.DataFrame(records, columns=_LONG_COLUMNS)


def _figures(
    sheet: _Sheet, layout: _Layout, long: pd.DataFrame, quarantine: _Quarantine
) -> pd.DataFrame:
    """Each cell's number, unit and whether it is missing; a cell that is not a figure, or a
    negative count, is quarantined."""
    # .astype(bool) throughout: on a table with no cell at all, pandas would give object dtypes
    formula = long["cell_value"].map(lambda v: isinstance(v, _Formula)).astype(bool)
    cell = long["cell_value"].where(~formula, "")
    split = split_number_unit(cell.astype(object))
    long["unit"] = split["unit"].astype(object).where(split["unit"].notna(), long["column_unit"])
    _check_units(sheet, layout, long)
    missing = (is_missing(split["number"].astype(object)) & ~formula).astype(bool)
    values = parse_numbers(split["number"], errors="coerce")
    bad = ~missing & values.isna()
    negative = ~bad & (values < 0) & long["unit"].map(is_count_unit).astype(bool)
    for i in long.index[bad | negative]:
        if negative[i]:
            reason = (
                f"negative count {values[i]:g} where a count in {long.at[i, 'unit']} is expected"
            )
        else:
            reason = _not_a_number(long.at[i, "cell_value"])
        quarantine.add(
            int(long.at[i, "row"]),
            long.at[i, "measure"],
            f"{reason} (cell {long.at[i, 'cell']})",
            {
                "region": long.at[i, "region_label"],
                "cell": long.at[i, "cell"],
                "value": long.at[i, "raw_value"],
            },
        )
    keep = ~(bad | negative)
    return long[keep].assign(value=values[keep], missing=missing[keep])


def _not_a_number(value: object) -> str:
    if isinstance(value, _Formula):
        return (
            f"the formula {value.text} has no computed value (the file was written by a "
            "program, not saved by Excel): open and save it in Excel"
        )
    if isinstance(value, dt.datetime | dt.date):
        return f"expected a number, found the date {value:%Y-%m-%d}"
    if isinstance(value, bool):
        return f"expected a number, found {str(value).upper()}"
    if isinstance(value, str) and re.fullmatch(r"#[A-Z0-9/]+[!?]?", value):
        return f"expected a number, found the Excel error '{value}'"
    return f"expected a number, found '{value}'"


def _check_units(sheet: _Sheet, layout: _Layout, long: pd.DataFrame) -> None:
    """One unit per column (per row in a table about one region, whose rows are measures): a
    cell's own unit (3,500万元) must agree with the others'."""
    by = "row" if layout.mode == ONE_REGION else "col"
    for key, group in long[long["unit"].notna()].groupby(by, sort=False):
        if group["unit"].nunique() <= 1:
            continue
        first = group.drop_duplicates("unit")
        if by == "row":
            listed = " and ".join(
                f"{u} ({c})" for u, c in zip(first["unit"], first["cell"], strict=True)
            )
            raise sheet.error(
                f"mixed units in one row: {listed}; expected one unit per measure",
                row=int(key) + 1,
            )
        listed = " and ".join(
            f"{u} (row {r + 1})" for u, r in zip(first["unit"], first["row"], strict=True)
        )
        raise sheet.error(
            f"mixed units in one column: {listed}; expected one unit per column",
            column=group["measure"].iloc[0] or _column_letter(int(key)),
        )


def _drop_future(long: pd.DataFrame, quarantine: _Quarantine) -> pd.DataFrame:
    """Cells of a period later than the current year are quarantined: a typo, not a figure."""
    this_year = dt.date.today().year
    year = pd.to_numeric(long["period"].astype("str").str[:4], errors="coerce")
    future = (year > this_year).to_numpy(dtype=bool)
    for i in long.index[future]:
        quarantine.add(
            int(long.at[i, "row"]),
            long.at[i, "measure"],
            f"period {long.at[i, 'period']} is later than the current year ({this_year}): a "
            f"typo, not a figure (cell {long.at[i, 'cell']})",
            {
                "region": long.at[i, "region_label"],
                "cell": long.at[i, "cell"],
                "value": long.at[i, "raw_value"],
            },
        )
    return long[~future]
