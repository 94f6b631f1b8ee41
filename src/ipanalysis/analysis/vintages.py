"""Which value wins when several sources give the same figure: the newest vintage.

For one indicator, region, basis, category and date, candidates are ranked:

1. a published value before a derived one (a figure computed by the transcriber or from an
   office's records never overrides a published one), and either before demo data;
2. then the newest ``vintage`` (the date the source was published, from ``sources.yml``);
3. then the higher ``priority`` (a manifest entry may rank a source above another of the same
   vintage);
4. then the order of the manifest.

An older vintage whose value differs from the winner's is a *revision* (old → new, both
sources), shown in the briefing's provenance. Two sources of the same status, vintage and
priority that disagree are a *conflict*: ``ipanalysis prepare`` stops and names both.
"""

from __future__ import annotations

import pandas as pd

STATUS_PRIORITY = {"published": 0, "derived": 1, "synthetic": 2}
#: One figure: the columns that identify it.
KEY = ["indicator", "region_code", "basis", "category", "date"]


def ranked(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` ordered best first within each figure (see the module docstring); stable.

    Frames without ``vintage`` or ``priority`` columns rank as if all were equal there.
    """
    order = pd.DataFrame(
        {
            "_status": rows["status"].map(STATUS_PRIORITY).fillna(3).to_numpy(),
            "_vintage": (rows["vintage"] if "vintage" in rows else pd.Series("", index=rows.index))
            .fillna("")
            .astype(str)
            .to_numpy(),
            "_priority": pd.to_numeric(
                rows["priority"] if "priority" in rows else pd.Series(0, index=rows.index)
            )
            .fillna(0)
            .to_numpy(),
        },
        index=rows.index,
    )
    keys = [k for k in KEY if k in rows.columns]
    frame = rows.join(order)
    frame = frame.sort_values(
        [*keys, "_status", "_vintage", "_priority"],
        ascending=[True] * len(keys) + [True, False, False],
        kind="stable",
    )
    return frame.drop(columns=["_status", "_vintage", "_priority"])


def revisions(observations: pd.DataFrame) -> pd.DataFrame:
    """Figures whose value an older vintage gave differently: old → new, with both sources.

    Returns one row per older value: ``indicator, region_code, basis, category, date, year,
    old_value, old_source_id, old_vintage, new_value, new_source_id, new_vintage``.

    >>> obs = pd.DataFrame({"indicator": "pct", "region_code": "310117", "basis": "b",
    ...     "category": "total", "date": pd.Timestamp("2025-12-31"), "year": 2025,
    ...     "status": "published", "value": [630.0, 700.0], "source_id": ["r1", "r2"],
    ...     "vintage": ["2026-03-01", "2026-06-01"]})
    >>> revisions(obs)[["old_value", "old_source_id", "new_value", "new_source_id"]]
       old_value old_source_id  new_value new_source_id
    0      630.0            r1      700.0            r2
    """
    columns = [*KEY, "year", "old_value", "old_source_id", "old_vintage"]
    columns += ["new_value", "new_source_id", "new_vintage"]
    if observations.empty or "vintage" not in observations:
        return pd.DataFrame(columns=columns)
    order = ranked(observations)
    first = order.groupby(KEY, sort=False, dropna=False).head(1)
    winners = first.set_index(KEY)[["value", "source_id", "vintage", "status"]]
    joined = order.merge(winners.add_suffix("_new"), left_on=KEY, right_index=True, how="left")
    older = joined[
        (joined["status"] == joined["status_new"])
        & (joined["vintage"].astype(str) < joined["vintage_new"].astype(str))
        & (joined["value"].round(6) != joined["value_new"].round(6))
    ]
    return pd.DataFrame(
        {
            **{k: older[k] for k in KEY},
            "year": older["year"],
            "old_value": older["value"],
            "old_source_id": older["source_id"],
            "old_vintage": older["vintage"],
            "new_value": older["value_new"],
            "new_source_id": older["source_id_new"],
            "new_vintage": older["vintage_new"],
        }
    ).reset_index(drop=True)


def conflicts(observations: pd.DataFrame) -> pd.DataFrame:
    """Figures two sources of the same status, vintage and priority give differently.

    Returns one row per pair: ``indicator, region_code, basis, category, date, value,
    source_id, other_value, other_source_id, vintage``.
    """
    columns = [*KEY, "value", "source_id", "other_value", "other_source_id", "vintage"]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    frame = observations.assign(
        vintage=observations["vintage"] if "vintage" in observations else "",
        priority=pd.to_numeric(observations.get("priority", 0)),
        _value=observations["value"].round(6),
    )
    tie = [*KEY, "status", "vintage", "priority"]
    pairs = frame.merge(frame, on=tie, suffixes=("", "_other"))
    found = pairs[
        (pairs["source_id"] < pairs["source_id_other"])
        & (pairs["_value"] != pairs["_value_other"])
        & (pairs["status"] != "synthetic")
    ]
    return found.rename(
        columns={"value_other": "other_value", "source_id_other": "other_source_id"}
    )[columns].reset_index(drop=True)
