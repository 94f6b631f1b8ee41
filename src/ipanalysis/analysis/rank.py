"""Ranks among peers: one rule, aware of the indicator's direction.

:func:`rank` ranks a table (ties share the best rank, missing values get none);
:func:`rank_among` gives one region's rank in a Series by region through the same rule, and
:func:`higher_is_better` reads the direction from the indicator registry. The scorecard's rank
targets and the briefings' peer charts both rank this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import InputError
from ..indicators import INDICATORS
from ..plans import Plan


def rank(
    frame: pd.DataFrame,
    value: str,
    by: str | Sequence[str] | None = None,
    ascending: bool = False,
    peers: Iterable[str] | None = None,
    region: str = "region",
) -> pd.DataFrame:
    """Rank rows on ``value`` among peers, largest first, ties sharing the best rank ('min').

    Ties get the smallest rank of the group and the next rank is skipped (10, 10, 8 -> 1, 1, 3), as
    in sports tables and official league tables. Missing values get no rank (``<NA>``) and are not
    counted as peers. Rankings are separate within each ``by`` group (e.g. ``"date"``). With
    ``peers`` (e.g. the 16 district codes), only rows whose ``region`` is one of them are ranked;
    the others stay in the result without a rank.

    Returns
    -------
    DataFrame
        A copy of ``frame`` with ``rank`` (Int64) and ``peers`` (Int64: ranked rows in the group).

    Examples
    --------
    >>> f = pd.DataFrame({"region": ["a", "b", "c", "d"], "v": [10.0, 8.0, 10.0, None]})
    >>> rank(f, "v")
      region     v  rank  peers
    0      a  10.0     1      3
    1      b   8.0     3      3
    2      c  10.0     1      3
    3      d   NaN  <NA>      3
    """
    if value not in frame.columns:
        raise InputError(f"cannot rank: no column {value!r}", column=value)
    out = frame.copy()
    values = out[value]
    if peers is not None:
        if region not in out.columns:
            raise InputError(f"cannot rank among peers: no column {region!r}", column=region)
        values = values.where(out[region].astype(str).isin([str(p) for p in peers]))
    if by is None:
        ranks = values.rank(method="min", ascending=ascending)
        counts = pd.Series(values.notna().sum(), index=out.index)
    else:
        keys = [by] if isinstance(by, str) else list(by)
        grouped = values.groupby([out[k] for k in keys], sort=False, observed=True, dropna=False)
        ranks = grouped.rank(method="min", ascending=ascending)
        counts = grouped.transform("count")
    out["rank"] = ranks.astype("Int64")
    out["peers"] = counts.astype("Int64")
    return out


def peers(regions: pd.DataFrame, plan: Plan) -> list[str]:
    """Codes of the plan's peer regions (e.g. the 16 districts of the parent city), current only."""
    spec = plan.peers or {}
    chosen = regions[
        (regions["parent_code"] == plan.parent)
        & (regions["level"] == spec.get("level", "district"))
        & (regions["valid_to"] == "")
    ]
    return chosen["code"].tolist()


def rank_among(values: pd.Series, region_code: str, higher_is_better: bool = True) -> int | None:
    """Rank of ``region_code`` in ``values`` (indexed by region), 1 = best, ties share the best.

    >>> rank_among(pd.Series({"a": 5, "b": 9, "c": 9}), "c")
    1
    >>> rank_among(pd.Series({"a": 5, "b": 9, "c": 9}), "a")
    3
    """
    frame = pd.DataFrame({"region": values.index.astype(str), "value": values.to_numpy()})
    ranked = rank(frame, "value", ascending=not higher_is_better)
    found = ranked.loc[ranked["region"] == str(region_code), "rank"]
    return None if found.empty or pd.isna(found.iloc[0]) else int(found.iloc[0])


def higher_is_better(indicator: str) -> bool:
    """Whether a larger value of ``indicator`` ranks better (its registry direction)."""
    return INDICATORS[indicator].direction != "lower"
