"""Series from the observations table: one region's values of one indicator, one row per year.

Pure functions over the observations table (:class:`ipanalysis.schemas.ObservationTable`).
"""

from __future__ import annotations

import pandas as pd

from ..indicators import INDICATORS
from .vintages import ranked

#: The code observations of the whole country carry.
NATION = "100000"


class ObservationIndex:
    """Observations grouped once by (indicator, region, basis, category) for fast lookups.

    Pass it to :func:`series` in place of the frame when many series are read from one table:
    each series is then made once and kept (a briefing's scorecard, peer charts and sections
    ask for the same ones: 208 look-ups of 87 series for one district's five notebooks).
    The observations must not change while the index is in use.
    """

    KEY = ["indicator", "region_code", "basis", "category"]

    def __init__(self, observations: pd.DataFrame) -> None:
        self.frame = observations
        # the rows' positions by key; a group's frame is taken only when asked for (a briefing
        # reads some 90 of the ~300 groups: slicing them all took 0.1-0.15 s)
        self.positions = observations.groupby(self.KEY, observed=True, sort=False).indices
        self.empty = observations.iloc[0:0]
        self.made: dict[tuple, pd.DataFrame] = {}  # series already made, by their arguments

    def rows(self, indicator: str, region_code: str, basis: str, category: str) -> pd.DataFrame:
        found = self.positions.get((indicator, region_code, basis, category))
        return self.empty if found is None else self.frame.take(found)


def series(
    observations: pd.DataFrame | ObservationIndex,
    indicator: str,
    region_code: str,
    basis: str | None = None,
    *,
    category: str = "total",
    through_year: int | None = None,
    year_end: bool = True,
) -> pd.DataFrame:
    """One region's values of one indicator on one basis, one row per year, oldest first.

    Where several sources give the same year, the rule of :mod:`ipanalysis.analysis.vintages`
    picks one (published before derived, then the newest vintage, then the manifest's priority
    and order); a differing value of another source is noted in ``conflict``. ``year_end``
    keeps only values dated 31 December (drops mid-year figures).

    From an :class:`ObservationIndex`, a series is made once and kept there; each call gets
    its own frame (a shallow copy: changing it leaves the one kept as it was).
    """
    basis = basis or next(iter(INDICATORS[indicator].bases))
    if isinstance(observations, ObservationIndex):
        key = (indicator, region_code, basis, category, through_year, year_end)
        if key not in observations.made:
            rows = observations.rows(indicator, region_code, basis, category)
            observations.made[key] = _best(rows, through_year, year_end)
        return observations.made[key].copy(deep=False)
    rows = observations[
        (observations["indicator"] == indicator)
        & (observations["region_code"] == region_code)
        & (observations["basis"] == basis)
        & (observations["category"] == category)
    ]
    return _best(rows, through_year, year_end)


def _best(rows: pd.DataFrame, through_year: int | None, year_end: bool) -> pd.DataFrame:
    """The best of ``rows`` (one indicator, region, basis and category) for each year: see
    :func:`series`."""
    if year_end:
        rows = rows[(rows["date"].dt.month == 12) & (rows["date"].dt.day == 31)]
    if through_year is not None:
        rows = rows[rows["year"] <= through_year]
    if rows.empty:
        return rows.assign(conflict=pd.Series(dtype="str"))
    if rows["year"].is_unique:  # one figure a year: nothing to rank, no conflict
        best = rows.sort_values("year", kind="stable").reset_index(drop=True)
        best["conflict"] = [""] * len(best)
        best.attrs = {}  # as the ranked path gives it (its join keeps no attrs)
        return best
    ordered = ranked(rows)
    ordered = ordered.sort_values("year", kind="stable")  # best first within each year
    spread = ordered.groupby("year")["value"].agg(lambda v: v.round(6).nunique())
    best = ordered.drop_duplicates("year").set_index("year", drop=False)
    best["conflict"] = [
        ""
        if spread[y] == 1
        else "other sources give "
        + ", ".join(
            f"{v:g} ({s})"
            for v, s in ordered.loc[
                (ordered["year"] == y) & (ordered["value"] != best.at[y, "value"]),
                ["value", "source_id"],
            ].itertuples(index=False)
        )
        for y in best.index
    ]
    return best.reset_index(drop=True)


def category_table(
    observations: pd.DataFrame, indicator: str, region_code: str, categories: tuple[str, ...]
) -> pd.DataFrame:
    """Values of ``indicator`` by category (columns) and year (rows), for the years in which
    every one of ``categories`` has a value. ``attrs["sources"]`` holds their citations.

    >>> obs = pd.DataFrame({"indicator": "v", "region_code": "1", "year": [2022, 2022, 2023],
    ...     "category": ["a", "b", "a"], "value": [1.0, 2.0, 3.0], "source_id": "s"})
    >>> category_table(obs, "v", "1", ("a", "b")).to_dict("index")
    {2022: {'a': 1.0, 'b': 2.0}}
    """
    rows = observations[
        (observations["indicator"] == indicator)
        & (observations["region_code"] == region_code)
        & (observations["category"] != "total")
    ]
    complete = rows.groupby("year")["category"].nunique()
    years = complete[complete == len(categories)].index
    wide = (
        rows[rows["year"].isin(years)]
        .pivot_table(index="year", columns="category", values="value", aggfunc="first")
        .sort_index(axis=1)
    )
    citations = [c for c in ("source", "source_en") if c in rows]
    wide.attrs["sources"] = rows[citations].drop_duplicates().reset_index(drop=True)
    return wide


def one_kind(observations: pd.DataFrame) -> pd.DataFrame:
    """Drop the demo (``synthetic``) rows of every indicator and region real figures cover.

    Where published or derived figures exist for an indicator and region — any basis, any
    year — the demo stays out of that indicator for that region entirely, so no series,
    rank or status combines the two kinds.

    >>> obs = pd.DataFrame({"indicator": "pct", "region_code": ["1", "1", "2"],
    ...     "status": ["published", "synthetic", "synthetic"], "year": [2025, 2023, 2023]})
    >>> one_kind(obs)[["region_code", "status", "year"]].values.tolist()
    [['1', 'published', 2025], ['2', 'synthetic', 2023]]
    """
    demo = observations["status"] == "synthetic"
    covered = observations.loc[~demo, ["indicator", "region_code"]].drop_duplicates()
    keys = pd.MultiIndex.from_frame(observations[["indicator", "region_code"]])
    real = pd.MultiIndex.from_frame(covered)
    return observations[~(demo & keys.isin(real))]
