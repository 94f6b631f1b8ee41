"""The plan scorecard: every plan indicator and activity target with value, target, gap and status.

Pure functions over the observations table (see :class:`ipanalysis.schemas.ObservationTable`)
and a :class:`ipanalysis.plans.Plan`. Where the data hold no figure for the region, the row says
so and shows the nearest published comparators (the parent city, the country) instead — a
district figure is never invented.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .errors import InputError
from .indicators import INDICATORS
from .plans import (
    STATUS_LABELS,
    Plan,
    assess_activity,
    assess_growth,
    assess_level,
    assess_rank,
)

STATUS_PRIORITY = {"published": 0, "derived": 1, "synthetic": 2}
NATION = "100000"


class ObservationIndex:
    """Observations grouped once by (indicator, region, basis, category) for fast lookups.

    Pass it to :func:`series` in place of the frame when many series are read from one table.
    """

    KEY = ["indicator", "region_code", "basis", "category"]

    def __init__(self, observations: pd.DataFrame) -> None:
        self.frame = observations
        self.groups = {
            key: group for key, group in observations.groupby(self.KEY, observed=True, sort=False)
        }
        self.empty = observations.iloc[0:0]

    def rows(self, indicator: str, region_code: str, basis: str, category: str) -> pd.DataFrame:
        return self.groups.get((indicator, region_code, basis, category), self.empty)


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

    Where several sources give the same year, a published value wins over a derived one, then
    the first source in the manifest; a differing duplicate is noted in ``conflict``.
    ``year_end`` keeps only values dated 31 December (drops mid-year figures).
    """
    basis = basis or next(iter(INDICATORS[indicator].bases))
    if isinstance(observations, ObservationIndex):
        rows = observations.rows(indicator, region_code, basis, category)
    else:
        rows = observations[
            (observations["indicator"] == indicator)
            & (observations["region_code"] == region_code)
            & (observations["basis"] == basis)
            & (observations["category"] == category)
        ]
    if year_end:
        rows = rows[(rows["date"].dt.month == 12) & (rows["date"].dt.day == 31)]
    if through_year is not None:
        rows = rows[rows["year"] <= through_year]
    if rows.empty:
        return rows.assign(conflict=pd.Series(dtype="str"))
    ranked = rows.assign(_p=rows["status"].map(STATUS_PRIORITY)).sort_values(
        ["year", "_p"], kind="stable"
    )
    spread = ranked.groupby("year")["value"].agg(lambda v: v.round(6).nunique())
    best = ranked.drop_duplicates("year").drop(columns="_p").set_index("year", drop=False)
    best["conflict"] = [
        ""
        if spread[y] == 1
        else "other sources give "
        + ", ".join(
            f"{v:g} ({s})"
            for v, s in ranked.loc[
                (ranked["year"] == y) & (ranked["value"] != best.at[y, "value"]),
                ["value", "source_id"],
            ].itertuples(index=False)
        )
        for y in best.index
    ]
    return best.reset_index(drop=True)


def peers(regions: pd.DataFrame, plan: Plan) -> list[str]:
    """Codes of the plan's peer regions (e.g. the 16 districts of the parent city), current only."""
    spec = plan.peers or {}
    chosen = regions[
        (regions["parent_code"] == str(spec.get("parent", "")))
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
    values = values.dropna()
    if region_code not in values.index:
        return None
    return int(values.rank(ascending=not higher_is_better, method="min")[region_code])


def check_parameters(observations: pd.DataFrame, region: str, year: int, lang: str) -> str:
    """Validate briefing parameters; return the region's code. Raises ``ValueError`` clearly.

    The region is any spelling :func:`ipanalysis.regions.resolve_region` knows (a historical
    unit stands for its successor); the year must lie within the observations' years.
    """
    from .errors import InputError
    from .regions import resolve_region

    if lang not in STATUS_LABELS:
        raise ValueError(f"lang must be one of {', '.join(STATUS_LABELS)}, got '{lang}'")
    try:
        code = resolve_region(region)
    except InputError as error:
        raise ValueError(str(error)) from None
    first, last = int(observations["year"].min()), int(observations["year"].max())
    if not first <= int(year) <= last:
        raise ValueError(f"year {year} is outside the data ({first}–{last})")
    return code


def _value_row(frame: pd.DataFrame) -> dict:
    if frame.empty:
        return {"value": None, "year": None, "status": None, "source": None, "source_url": None}
    last = frame.iloc[-1]
    return {
        "value": float(last["value"]),
        "year": int(last["year"]),
        "status": last["status"],
        "source": last["source"],
        "source_url": last["source_url"],
    }


def build_scorecard(
    observations: pd.DataFrame,
    regions: pd.DataFrame,
    plan: Plan,
    region_code: str,
    year: int,
    lang: str = "zh",
    activity_log: pd.DataFrame | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per plan target and activity: value, target, gap, status and comparators."""
    if not isinstance(observations, ObservationIndex):
        observations = ObservationIndex(observations)
    names = dict(zip(regions["code"], regions["name" if lang == "zh" else "name_en"], strict=True))
    parent = str((plan.peers or {}).get("parent", ""))
    peer_codes = peers(regions, plan)
    labels = STATUS_LABELS[lang]
    rows = []
    for target in plan.targets:
        ind = INDICATORS[target.indicator]
        own = series(observations, ind.id, region_code, target.basis, through_year=year)
        history = own.set_index("year")["value"] if len(own) else pd.Series(dtype=float)
        final = year >= (target.by or plan.end_year)
        if target.type == "level":
            result = assess_level(
                history,
                target.value,
                target.by,
                plan.baseline_year,
                plan.rules,
                higher_is_better=ind.direction != "lower",
            )
        elif target.type == "growth":
            result = assess_growth(
                history, plan.baseline_year, target.by or plan.end_year, plan.rules
            )
        else:
            latest = {
                code: series(observations, ind.id, code, target.basis, through_year=year)
                for code in peer_codes
            }
            at_year = pd.Series(
                {c: f.set_index("year")["value"].get(year) for c, f in latest.items()}, dtype=float
            )
            rank = rank_among(at_year, region_code, ind.direction != "lower")
            result = assess_rank(
                rank, int(at_year.notna().sum()) or None, target.top, final, plan.rules
            )
        value = _value_row(own)
        comparators = {
            key: _value_row(series(observations, ind.id, code, target.basis, through_year=year))
            for key, code in (("parent", parent), ("nation", NATION))
            if code
        }
        note = result.note
        if value["value"] is None:
            note = (
                "本区数据中暂无该指标数值（未臆造）"
                if lang == "zh"
                else "no figure for this region in the data (none invented)"
            )
        rows.append(
            {
                "section": "indicator",
                "id": target.id,
                "indicator": ind.id,
                "item": ind.name(lang),
                "target": target.short_label(lang),
                "unit": ind.unit_label(lang),
                "value": value["value"],
                "value_year": value["year"],
                "value_status": value["status"],
                "source": value["source"],
                "source_url": value["source_url"],
                "status": result.status,
                "status_label": labels[result.status],
                "gap": result.gap,
                "required_growth": result.required_growth,
                "trailing_growth": result.trailing_growth,
                "rank": result.rank,
                "peers": result.peers,
                "parent_region": names.get(parent),
                "parent_value": comparators.get("parent", {}).get("value"),
                "parent_year": comparators.get("parent", {}).get("year"),
                "parent_status": comparators.get("parent", {}).get("status"),
                "nation_value": comparators["nation"]["value"],
                "nation_year": comparators["nation"]["year"],
                "nation_status": comparators["nation"]["status"],
                "quote": target.quote,
                "interpretation": target.interpretation,
                "note": note,
            }
        )
    as_of = as_of or dt.date.today()
    fraction = 1.0 if as_of.year > year else (as_of.timetuple().tm_yday / 365)
    for activity in plan.activities:
        counts = pd.Series(dtype=float)
        source = None
        if activity_log is not None and len(activity_log):
            own = activity_log[
                (activity_log["activity"] == activity.id)
                & (activity_log["region_code"] == region_code)
            ]
            counts = own.groupby("year")["count"].sum()
            source = "; ".join(sorted(own["source"].dropna().unique())) or None
        result = assess_activity(
            activity, counts, year, plan.start_year, plan.end_year, min(fraction, 1.0), plan.rules
        )
        rows.append(
            {
                "section": "activity",
                "id": activity.id,
                "indicator": None,
                "item": activity.name(lang),
                "target": activity.label(lang),
                "unit": activity.unit,
                "value": result.value,
                "value_year": result.year,
                "value_status": None if result.value is None else "published",
                "source": source,
                "source_url": None,
                "status": result.status,
                "status_label": labels[result.status],
                "gap": result.gap,
                "required_growth": None,
                "trailing_growth": None,
                "rank": None,
                "peers": None,
                "parent_region": None,
                "parent_value": None,
                "parent_year": None,
                "parent_status": None,
                "nation_value": None,
                "nation_year": None,
                "nation_status": None,
                "quote": activity.quote,
                "interpretation": "",
                "note": ("未提供活动台账" if lang == "zh" else "no activity log supplied")
                if result.status == "no_data"
                else result.note,
            }
        )
    return pd.DataFrame(rows)


def read_activity_log(path) -> pd.DataFrame:
    """Read an activity log CSV: ``activity, region_code, year, count, source`` (one row per count).

    Raises :class:`InputError` naming the file, row and column for anything unusable.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    required = ["activity", "region_code", "year", "count", "source"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; expected {', '.join(required)}", file=path
        )
    for column in ("year", "count"):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() | (numbers < 0)
        if bad.any():
            n = int(bad.idxmax())
            raise InputError(
                f"expected a non-negative whole number, found '{frame.at[n, column]}'",
                file=path,
                row=n + 2,
                column=column,
            )
        frame[column] = numbers.astype("int64")
    return frame
