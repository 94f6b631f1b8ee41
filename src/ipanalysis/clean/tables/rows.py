"""Each data row's label read: its region (totals told apart, unknown names set aside, repeats
refused), its measure in a table about one region, or its period in a table of regions as
columns; and the regions that head the columns of such a table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...regions import (
    load_regions,
    region_changes,
    resolve_regions,
    try_resolve_regions,
    unresolved_reasons,
)
from ..text import split_unit
from .cells import (
    _and,
    _column_letter,
    _header_text,
    _is_total_label,
    _period_of,
    _Sheet,
    _strip_of_which,
)
from .layout import ONE_REGION, REGIONS_IN_COLUMNS, _Column, _Layout

#: Columns of the frame of regions (by row or by column) the values take theirs from.
REGION_FIELDS = ["region", "region_code", "region_label", "is_total"]


@dataclass
class _Rows:
    labels: pd.Series  # the label column's text, by sheet row
    blank: pd.Series  # no label
    regions: pd.DataFrame  # REGION_FIELDS by sheet row (missing where not the row's to tell)
    periods: pd.Series | None  # by sheet row: from the period column, if any
    measures: pd.DataFrame | None  # ONE_REGION: measure and unit by sheet row
    unknown: pd.Series  # by sheet row: why the row's region is not known (set aside), else NA


def _rows(
    sheet: _Sheet, layout: _Layout, period_col: int | None, follow_successor: bool, notes
) -> _Rows:
    """Read each data row's label according to the table's layout (see :data:`_Rows`)."""
    index = layout.data_rows
    labels = pd.Series(
        [_header_text(sheet.cells[r][layout.label_col]) for r in index], index=index, dtype=object
    )
    blank = labels == ""
    periods = None
    if period_col is not None:
        periods = pd.Series(
            [_period_of(_header_text(sheet.cells[r][period_col])) for r in index], index=index
        )
    unknown = pd.Series(pd.NA, index=index, dtype="string")
    regions = pd.DataFrame(index=index, columns=REGION_FIELDS, dtype=object)
    rows = _Rows(labels, blank, regions, periods, None, unknown)
    if layout.mode == ONE_REGION:
        return _measure_rows(sheet, layout, rows, notes)
    if layout.mode == REGIONS_IN_COLUMNS:  # the label column is the period column
        _refuse_repeats(sheet, layout, periods[~blank & periods.notna()], None, "period")
        return rows
    return _region_rows(sheet, layout, rows, follow_successor, notes)


def _region_rows(
    sheet: _Sheet, layout: _Layout, rows: _Rows, follow_successor: bool, notes: list[str]
) -> _Rows:
    """Each row's region; a name the reference does not know sets its row aside, unless no row
    is known (then the file is refused, naming them)."""
    labels, blank = rows.labels, rows.blank
    stripped = labels.map(_strip_of_which)
    for r in labels.index[(stripped != labels) & ~blank]:
        notes.append(f"row {r + 1}: '{labels[r]}' read as {stripped[r]} (an 'of which' row)")
    regions, unknown = _regions(stripped, labels, follow_successor)
    unknown = unknown.where(~blank)
    named = ~blank & ~regions["is_total"].astype(bool)
    if unknown.notna().any() and unknown[named].notna().all():
        resolve_regions(  # raises, naming the first unknown name and listing the others
            stripped[unknown.notna()],
            file=sheet.file,
            sheet=sheet.sheet,
            rows=[r + 1 for r in stripped.index[unknown.notna()]],
            column=layout.label_header,
        )
    known = ~blank & unknown.isna()
    # a unit is its code: 北京市朝阳区 and 长春市朝阳区 share a name but are two regions
    total = regions["is_total"].astype(bool)
    keys = regions["region_code"].where(~total, regions["region_label"])
    _refuse_repeats(sheet, layout, keys[known], rows.periods, "region", regions["region"])
    _historical_notes(regions["region_code"][known & ~regions["is_total"].astype(bool)], notes)
    rows.regions, rows.unknown = regions, unknown
    return rows


def _regions(
    stripped: pd.Series, labels: pd.Series, follow_successor: bool
) -> tuple[pd.DataFrame, pd.Series]:
    """(REGION_FIELDS, why a name is not known) of region labels: totals rows (全市, 合计, or the
    region that is the parent of all the others) get the regions' common parent as code."""
    blank = stripped == ""
    total_label = stripped.map(_is_total_label).astype(bool)
    codes = try_resolve_regions(stripped, follow_successor=follow_successor)
    unknown = unresolved_reasons(stripped.where(codes.isna() & ~total_label & ~blank))
    unknown = unknown.where(codes.isna() & ~total_label & ~blank)
    reference = load_regions().set_index("code")
    is_total = total_label.copy()
    regional = codes.notna() & ~total_label
    listed = set(codes[regional])
    # a listed region that is the parent of all the others (上海市 above the districts) is
    # their total; otherwise the regions' common parent, if they have one, is what 合计 totals
    parent_of = reference["parent_code"]
    heads = [c for c in listed if len(listed) > 1 and all(parent_of[o] == c for o in listed - {c})]
    parents = {parent_of[c] for c in listed}
    parent = heads[0] if heads else (parents.pop() if len(parents) == 1 else "")
    if heads:
        is_total |= (codes == parent).fillna(False).astype(bool)
    regional &= ~is_total
    codes = codes.astype(object).where(regional, parent or None).where(~blank, None)
    names = codes.map(reference["name"]).where(regional, labels)
    # units sharing a name (北京市朝阳区, 长春市朝阳区) are told apart by their parent's name
    shared = regional & names.duplicated(keep=False) & ~codes.duplicated(keep=False)
    if shared.any():
        parents = codes[shared].map(parent_of).map(reference["name"]).fillna("")
        names = names.mask(shared, parents + names[shared])
    frame = pd.DataFrame(
        {"region": names, "region_code": codes, "region_label": labels, "is_total": is_total},
        index=labels.index,
    )
    return frame, unknown


def _measure_rows(sheet: _Sheet, layout: _Layout, rows: _Rows, notes: list[str]) -> _Rows:
    """A table about one region: each row's label is a measure, with its unit in brackets."""
    labels, blank = rows.labels, rows.blank
    stripped = labels.map(_strip_of_which)
    split = [split_unit(text) if text else ("", None) for text in stripped]
    rows.measures = pd.DataFrame(split, index=labels.index, columns=["measure", "unit"])
    one = layout.region
    rows.regions = pd.DataFrame(
        {"region": one.name, "region_code": one.code, "region_label": one.label, "is_total": False},
        index=labels.index,
    )
    notes.append(f"one region: {one.name} ({one.code}); a measure in each row")
    _refuse_repeats(sheet, layout, rows.measures["measure"][~blank], rows.periods, "measure")
    return rows


def _column_regions(
    sheet: _Sheet, layout: _Layout, columns: list[_Column], follow_successor: bool, notes
) -> tuple[pd.DataFrame, pd.Series]:
    """A table of regions as columns: (REGION_FIELDS, why a header is not a known region) by
    column index; a region heading two columns is refused."""
    labels = pd.Series({c.index: c.region_label or "" for c in columns}, dtype=object).map(
        _strip_of_which
    )
    regions, unknown = _regions(labels, labels, follow_successor)
    known = regions["region"][unknown.isna() & ~regions["is_total"].astype(bool)]
    repeated = known[known.duplicated(keep=False)]
    if len(repeated):
        same = repeated.index[repeated == repeated.iloc[0]]
        raise sheet.error(
            f"region {repeated.iloc[0]} heads columns "
            f"{_and(_column_letter(int(c)) for c in same)}: expected one column per region",
            row=layout.header_rows[-1] + 1,
        )
    _historical_notes(regions["region_code"][known.index], notes)
    return regions, unknown


def _refuse_repeats(
    sheet: _Sheet,
    layout: _Layout,
    keys: pd.Series,
    periods: pd.Series | None,
    what: str,
    shown: pd.Series | None = None,
) -> None:
    """An error when a region (or measure) appears in two rows for one period; ``shown`` names
    a row's key in the message (default: the key)."""
    frame = pd.DataFrame({"key": keys, "period": "" if periods is None else periods[keys.index]})
    frame = frame[frame["period"].notna()]  # rows without a period are set aside
    repeated = frame.duplicated(keep=False)
    if not repeated.any():
        return
    first = frame[repeated].iloc[0]
    same = frame.index[(frame.key == first.key) & (frame.period == first.period)]
    when = f" for period {first.period}" if periods is not None else ""
    per = {"region": "region and period"}.get(
        what, what if periods is None else f"{what} and period"
    )
    name = first.key if shown is None else shown[same[0]]
    raise sheet.error(
        f"{what} {name} appears in rows {_and(str(r + 1) for r in same)}{when}: "
        f"expected one row per {per}",
        row=int(same[1]) + 1,
        column=layout.label_header,
    )


def _historical_notes(codes: pd.Series, notes: list[str]) -> None:
    """A note for each unit that no longer exists: when and into what it changed."""
    reference = load_regions().set_index("code")
    historical = codes[codes.isin(list(reference.index[reference["valid_to"] != ""]))]
    if historical.empty:
        return
    for change in region_changes(pd.Series(pd.unique(historical))).itertuples():
        # the reference gives the day of most changes, only the year of some (巢湖市, 2011)
        when = change.changed_in if pd.isna(change.changed_on) else f"{change.changed_on:%Y-%m-%d}"
        notes.append(
            f"{change.name} ({change.code}) is a historical unit: part of "
            f"{change.successor_name} ({change.successor_code}) since {when}"
        )
