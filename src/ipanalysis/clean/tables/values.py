"""Value cells to the long table; cells that are not figures quarantined."""

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
from .layout import _Column, _Layout
from .rows import _Rows


def _values(
    sheet: _Sheet, layout: _Layout, rows: _Rows, columns: list[_Column]
) -> tuple[pd.DataFrame, list[dict]]:
    """One row per (data row, column of figures); cells that are not figures are quarantined."""
    quarantined: list[dict] = []

    def quarantine(r: int, column: str | None, reason: str, record: dict) -> None:
        quarantined.append(
            {
                "raw_file": sheet.file,
                "sheet": sheet.sheet,
                "raw_row": r + 1,
                "column": column,
                "reason": reason,
                "record": json.dumps(record, ensure_ascii=False, default=str),
            }
        )

    letter = _column_letter(layout.region_col)
    for r in rows.labels.index[rows.blank]:
        quarantine(
            r,
            layout.region_header,
            f"figures but no region name in column {letter}",
            {f"{_column_letter(c)}{r + 1}": sheet.as_written(r, c) for c, _ in sheet.filled(r)},
        )
    kept = [r for r in layout.data_rows if not rows.blank[r]]
    if rows.periods is not None:
        for r in [r for r in kept if rows.periods[r] is None]:
            quarantine(
                r,
                "period",
                "no period (a year such as 2023) in the period column",
                {"region": rows.labels[r]},
            )
        kept = [r for r in kept if rows.periods[r] is not None]
    long = pd.DataFrame(
        [
            {
                "row": r,
                "col": column.index,
                "cell_value": sheet.cells[r][column.index],
                "raw_value": sheet.as_written(r, column.index),
                "measure": column.measure,
                "column_unit": column.unit,
                "period": column.period or rows.periods[r],
                "cell": f"{column.letter}{r + 1}",
            }
            for r in kept
            for column in columns
        ],
        columns=[
            "row",
            "col",
            "cell_value",
            "raw_value",
            "measure",
            "column_unit",
            "period",
            "cell",
        ],
    )
    long = _drop_future(long, rows, quarantine)
    # .astype(bool) throughout: on a table with no cell at all, pandas would give object dtypes
    formula = long["cell_value"].map(lambda v: isinstance(v, _Formula)).astype(bool)
    cell = long["cell_value"].where(~formula, "")
    split = split_number_unit(cell.astype(object))
    long["unit"] = split["unit"].astype(object).where(split["unit"].notna(), long["column_unit"])
    _check_units(sheet, long, columns)
    missing = (is_missing(split["number"].astype(object)) & ~formula).astype(bool)
    values = parse_numbers(split["number"], errors="coerce")
    bad = ~missing & values.isna()
    negative = ~bad & (values < 0) & long["unit"].map(is_count_unit).astype(bool)
    for i in long.index[bad | negative]:
        r, value = int(long.at[i, "row"]), long.at[i, "cell_value"]
        if negative[i]:
            reason = (
                f"negative count {values[i]:g} where a count in {long.at[i, 'unit']} is expected"
            )
        else:
            reason = _not_a_number(value)
        quarantine(
            r,
            long.at[i, "measure"],
            f"{reason} (cell {long.at[i, 'cell']})",
            {
                "region": rows.labels[r],
                "cell": long.at[i, "cell"],
                "value": long.at[i, "raw_value"],
            },
        )
    keep = ~(bad | negative)
    long = long[keep].assign(
        value=values[keep],
        missing=missing[keep],
        is_total=lambda kept: kept["row"].map(rows.is_total).astype(bool),
        region_label=lambda kept: kept["row"].map(rows.labels),
    )
    return long, quarantined


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


def _check_units(sheet: _Sheet, long: pd.DataFrame, columns: list[_Column]) -> None:
    """One unit per column: a cell's own unit (3,500万元) must agree with the others'."""
    for column in columns:
        units = long.loc[(long["col"] == column.index) & long["unit"].notna(), ["unit", "row"]]
        if units["unit"].nunique() > 1:
            first = units.drop_duplicates("unit")
            listed = " and ".join(
                f"{u} (row {r + 1})" for u, r in zip(first["unit"], first["row"], strict=True)
            )
            raise sheet.error(
                f"mixed units in one column: {listed}; expected one unit per column",
                column=column.measure or column.letter,
            )


def _drop_future(long: pd.DataFrame, rows: _Rows, quarantine) -> pd.DataFrame:
    """Cells of a period later than the current year are quarantined: a typo, not a figure."""
    this_year = dt.date.today().year
    year = pd.to_numeric(long["period"].astype("str").str[:4], errors="coerce")
    future = (year > this_year).to_numpy(dtype=bool)
    for i in long.index[future]:
        r = int(long.at[i, "row"])
        quarantine(
            r,
            long.at[i, "measure"],
            f"period {long.at[i, 'period']} is later than the current year ({this_year}): a "
            f"typo, not a figure (cell {long.at[i, 'cell']})",
            {
                "region": rows.labels[r],
                "cell": long.at[i, "cell"],
                "value": long.at[i, "raw_value"],
            },
        )
    return long[~future]
