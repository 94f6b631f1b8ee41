"""Stock tables as observations: one row per region, date and indicator, units from the registry."""

from __future__ import annotations

import re

import pandas as pd

from ..indicators import INDICATORS
from ..schemas import SOURCELESS_COLUMNS
from .definition import DEFAULT_DEFINITION, HighValueDefinition
from .stock import stock, year_ends

#: Columns of :func:`stock` and the registry indicators (domestic basis) they measure.
STOCK_INDICATORS: dict[str, str] = {
    "valid": "valid_invention_patents",
    "high_value": "high_value_invention_patents",
    "high_value_per_10k": "high_value_invention_patents_per_10k",
}

#: How a per-10k value computed from records names, in its ``basis_note``, the year of the
#: population it divides by (read back by :func:`noted_population_year`).
POPULATION_NOTE = "per 10k: population of {year}"


def noted_population_year(basis_note: pd.Series) -> pd.Series:
    """The population year each ``basis_note`` names (:data:`POPULATION_NOTE`) as text, else
    missing.

    >>> noted_population_year(pd.Series(["computed (x); per 10k: population of 2023", None])).tolist()
    ['2023', nan]
    """
    pattern = re.escape(POPULATION_NOTE).replace(re.escape("{year}"), r"(\d{4})")
    return basis_note.astype(str).str.extract(pattern, expand=False)


def stock_observations(stocks: pd.DataFrame) -> pd.DataFrame:
    """A :func:`stock` table by region in long form, one row per region, date and indicator.

    Columns ``region_code, indicator, year, date, value, unit`` (the registry's unit),
    ``population_year`` (per-10k rows, else missing) and ``undecided``: for high-value rows,
    whether some valid patent's status was unknown (``high_value_unknown > 0``), so the count
    is a lower bound. Per-10k rows of regions without a population are left out.

    >>> stocks = pd.DataFrame({"date": pd.to_datetime(["2025-12-31"]), "region": ["310117"],
    ...     "valid": [3], "high_value": [1], "high_value_unknown": [1]})
    >>> stock_observations(stocks)[["indicator", "value", "unit", "undecided"]]
                          indicator  value unit  undecided
    0       valid_invention_patents    3.0    件      False
    1  high_value_invention_patents    1.0    件       True
    """

    frames = []
    for column, indicator in STOCK_INDICATORS.items():
        if column not in stocks.columns:
            continue
        part = stocks[stocks[column].notna()]
        years = part.get("population_year") if column.endswith("per_10k") else None
        frames.append(
            pd.DataFrame(
                {
                    "region_code": part["region"].astype(str),
                    "indicator": indicator,
                    "year": part["date"].dt.year.astype("int64"),
                    "date": part["date"],
                    "value": part[column].astype(float),
                    "unit": INDICATORS[indicator].unit,
                    "population_year": pd.array(
                        years if years is not None else [pd.NA] * len(part), dtype="Int64"
                    ),
                    "undecided": (part["high_value_unknown"] > 0).to_numpy()
                    if column != "valid"
                    else False,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def records_stock_observations(
    patents: pd.DataFrame,
    as_of: object = None,
    years: tuple[int, int] | list[int] | None = None,
    population: pd.DataFrame | None = None,
    definition: HighValueDefinition = DEFAULT_DEFINITION,
) -> pd.DataFrame:
    """Year-end stocks computed from an office's patent records, as ``derived`` observation rows.

    Valid and high-value invention patents held by domestic patentees at each year end from
    ``years`` (``[first, last]``; default: the first grant year to the year of ``as_of``), by
    region, and per 10,000 residents where ``population`` covers the region (the nearest
    year's). The rule's version is named in each value's ``basis_note``. Where any valid patent
    of a region lacks an input the rule needs (e.g. no strategic-emerging flag in the export),
    that region-year gets no high-value figure: a count of the decidable ones would understate
    it.

    Returns the observation columns that do not depend on the source
    (:data:`ipanalysis.schemas.SOURCELESS_COLUMNS`); the caller adds where the records came from.
    """
    granted = patents["grant_date"].dropna()
    if granted.empty:
        return pd.DataFrame(columns=SOURCELESS_COLUMNS)
    as_of = pd.Timestamp(as_of or pd.Timestamp.today().normalize())
    first, last = years or [int(pd.to_datetime(granted).dt.year.min()), as_of.year]
    last_end = min(pd.Timestamp(f"{int(last)}-12-31"), as_of)
    dates = [d for d in year_ends(int(first), int(last)) if d <= last_end]
    out = stock_observations(stock(patents, dates, population=population, definition=definition))
    out = out[~out["undecided"]]
    note = f"computed by ipanalysis from patent records ({definition.version})"
    per_10k = out["population_year"].notna()
    population = out["population_year"].astype(str).map(lambda y: POPULATION_NOTE.format(year=y))
    out = out.assign(
        basis_note=note + ("; " + population).where(per_10k, ""),
        category="total",
        basis="domestic",
        status="derived",
        confidence=None,
    )
    return out[SOURCELESS_COLUMNS].reset_index(drop=True)
