"""Each data row's region: names resolved, totals rows told apart, repeats refused."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...regions import load_regions, region_changes, resolve_regions, try_resolve_regions
from .cells import _and, _header_text, _is_total_label, _period_of, _Sheet, _strip_of_which
from .layout import _Layout


@dataclass
class _Rows:
    labels: pd.Series  # as written (normalised), by sheet row
    codes: pd.Series  # region code; for a totals row the parent of the regions, else None
    names: pd.Series  # reference name; for a totals row its label
    is_total: pd.Series
    periods: pd.Series | None  # from the period column, if any
    blank: pd.Series  # no region name


def _rows(
    sheet: _Sheet, layout: _Layout, period_col: int | None, follow_successor: bool, notes
) -> _Rows:
    """Resolve each data row's region; totals apart; unknown and repeated regions are errors."""
    index = layout.data_rows
    labels = pd.Series(
        [_header_text(sheet.cells[r][layout.region_col]) for r in index], index=index, dtype=object
    )
    blank = labels == ""
    stripped = labels.map(_strip_of_which)
    for r in labels.index[(stripped != labels) & ~blank]:
        notes.append(f"row {r + 1}: '{labels[r]}' read as {stripped[r]} (an 'of which' row)")
    total_label = stripped.map(_is_total_label)
    codes = try_resolve_regions(stripped, follow_successor=follow_successor)
    unknown = codes.isna() & ~total_label & ~blank
    if unknown.any():
        resolve_regions(  # raises, naming the first unknown name and listing the others
            stripped[unknown],
            file=sheet.file,
            sheet=sheet.sheet,
            rows=[r + 1 for r in stripped.index[unknown]],
            column=layout.region_header,
        )
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
        is_total |= codes == parent
    regional &= ~is_total
    codes = codes.astype(object).where(regional, parent or None).where(~blank, None)
    names = codes.map(reference["name"]).where(regional, labels)
    periods = None
    if period_col is not None:
        periods = pd.Series(
            [_period_of(_header_text(sheet.cells[r][period_col])) for r in index], index=index
        )
    keys = pd.DataFrame({"key": names, "period": "" if periods is None else periods})
    keys = keys[~blank & keys["period"].notna()]  # rows without a period are quarantined
    repeated = keys.duplicated(keep=False)
    if repeated.any():
        first = keys[repeated].iloc[0]
        same = keys.index[(keys.key == first.key) & (keys.period == first.period)]
        when = f" for period {first.period}" if periods is not None else ""
        raise sheet.error(
            f"region {first.key} appears in rows {_and(str(r + 1) for r in same)}{when}: "
            "expected one row per region and period",
            row=int(same[1]) + 1,
            column=layout.region_header,
        )
    historical = regional & codes.isin(list(reference.index[reference["valid_to"] != ""]))
    if historical.any():
        changes = region_changes(pd.Series(pd.unique(codes[historical])))
        for change in changes.itertuples():
            notes.append(
                f"{change.name} ({change.code}) is a historical unit: part of "
                f"{change.successor_name} ({change.successor_code}) since "
                f"{change.changed_on:%Y-%m-%d}"
            )
    return _Rows(labels, codes, names, is_total, periods, blank)
