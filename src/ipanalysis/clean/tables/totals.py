"""Stated totals checked against the sum of the regions, and unit conversions."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from ..text import (
    normalise_text,
    split_number_unit,
    unit_factor,
)
from .cells import _Sheet

#: Columns of ``TableResult.totals_check``: each stated total against the sum of its regions.
TOTALS_CHECK_COLUMNS = [
    "period",
    "measure",
    "unit",
    "total_label",
    "total_cell",
    "total",
    "regions_sum",
    "regions",
    "regions_missing",
    "difference",
    "tolerance",
    "status",
]


#: Measures whose regional figures do not add up to the total (ratios, shares, growth, ranks).
_NOT_ADDITIVE = re.compile(
    r"率|比重|占比|比例|增长|增速|增幅|平均|人均|每万|每千|密度|指数|排名|位次"
)


def _decimals(text: str) -> int:
    """Decimals shown in a figure as written ('1,234.50' → 2)."""
    number = split_number_unit(pd.Series([text], dtype=object))["number"].iloc[0]
    plain = normalise_text(pd.Series([str(number)])).iloc[0].replace(",", "")
    try:
        exponent = Decimal(plain).as_tuple().exponent
    except ArithmeticError:
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _check_totals(long: pd.DataFrame, tolerance: float | None) -> pd.DataFrame:
    """Each stated total against the sum of the regions' figures (same measure and period)."""
    rows = []
    totals = long[long["is_total"] & ~long["missing"]]
    regions = long[~long["is_total"]]
    for total in totals.itertuples():
        same = regions[(regions["measure"] == total.measure) & (regions["period"] == total.period)]
        stated = {
            "period": total.period,
            "measure": total.measure,
            "unit": total.unit,
            "total_label": total.region_label,
            "total_cell": total.cell,
            "total": float(total.value),
        }
        if not _additive(total.measure, total.unit):
            rows.append(
                {
                    **stated,
                    "regions": len(same),
                    "regions_missing": int(same["missing"].sum()),
                    "status": "not_additive",
                }
            )
            continue
        present = same[~same["missing"]]
        decimals = max(_decimals(v) for v in [*present["raw_value"], total.raw_value])
        # each figure shown is rounded by at most half a unit of its last decimal
        allowed = tolerance if tolerance is not None else 0.5 * 10.0**-decimals * (len(present) + 1)
        regions_sum = float(present["value"].sum())
        difference = float(total.value) - regions_sum
        ok = abs(difference) <= allowed + 1e-9 * max(1.0, abs(float(total.value)))
        status = "ok" if ok else ("incomplete" if len(present) < len(same) else "differs")
        rows.append(
            {
                **stated,
                "regions_sum": round(regions_sum, 10),
                "regions": len(same),
                "regions_missing": len(same) - len(present),
                "difference": round(difference, 10),
                "tolerance": allowed,
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=TOTALS_CHECK_COLUMNS)


def _additive(measure: str, unit: str | None) -> bool:
    """Whether regions' figures add up to the total: not for ratios, shares, growth or ranks."""
    if unit and ("/" in unit or unit in ("%", "‰", "百分点", "倍")):
        return False
    return not _NOT_ADDITIVE.search(measure)


def _totals_notes(check: pd.DataFrame) -> list[str]:
    notes = []
    for row in check[check["status"].isin(["differs", "incomplete"])].itertuples():
        missing = f"; {row.regions_missing} region(s) missing" if row.regions_missing else ""
        notes.append(
            f"totals check {row.measure} {row.period}: the regions add up to "
            f"{row.regions_sum:,.10g} but {row.total_label} ({row.total_cell}) states "
            f"{row.total:,.10g} (difference {row.difference:,.10g}, tolerance "
            f"{row.tolerance:.10g}{missing})"
        )
    return notes


def _convert(sheet: _Sheet, long: pd.DataFrame, to_unit, scale: dict, notes: list[str]):
    """Values in the units asked for; ``raw_value`` keeps them as written."""
    if not to_unit and not scale:
        return long
    units = list(pd.unique(long["unit"].dropna()))
    factors: dict[str, tuple[str, float]] = {}
    for unit in units:
        if unit in scale:
            factors[unit] = scale[unit]
        elif to_unit and unit != to_unit and unit_factor(unit, to_unit) is not None:
            factors[unit] = (to_unit, unit_factor(unit, to_unit))
    if to_unit and not any(u == to_unit or u in factors for u in units):
        raise sheet.error(
            f"no figure is in a unit that converts to {to_unit} (units found: "
            f"{', '.join(units) or 'none stated'})"
        )
    for absent in sorted(set(scale) - set(units)):
        notes.append(f"scale: no figure is in {absent}; nothing converted from it")
    long = long.copy()
    for unit, (target, factor) in factors.items():
        hit = long["unit"] == unit
        # 12 significant digits: 195.89 万人 is 1,958,900 人, not 1,958,899.9999999998
        long.loc[hit, "value"] = (long.loc[hit, "value"] * factor).map(lambda v: float(f"{v:.12g}"))
        long.loc[hit, "unit"] = target
        notes.append(f"converted {int(hit.sum())} figure(s) from {unit} to {target} (× {factor:g})")
    return long
