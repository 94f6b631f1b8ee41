"""The plan scorecard: every plan indicator and activity target with value, target, gap and status.

Pure functions over the observations table (see :class:`ipanalysis.schemas.ObservationTable`)
and a :class:`ipanalysis.plans.Plan`. Where the data hold no figure for the region, the row says
so and shows the nearest published comparators (the parent city, the country) instead — a
district figure is never invented.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..errors import InputError
from ..indicators import INDICATORS
from ..locale import LANGUAGES, place_words, text
from ..plans import (
    Assessment,
    Plan,
    Target,
    assess_activity,
    assess_growth,
    assess_level,
    assess_rank,
)
from ..regions import resolve_region
from .rank import higher_is_better, peers, rank_among
from .series import NATION, ObservationIndex, series


def check_parameters(observations: pd.DataFrame, region: str, year: int, lang: str) -> str:
    """Validate briefing parameters; return the region's code. Raises ``ValueError`` clearly.

    The region is any spelling :func:`ipanalysis.regions.resolve_region` knows (a historical
    unit stands for its successor); the year must lie within the observations' years.
    """

    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got '{lang}'")
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
        return {
            "value": None,
            "year": None,
            "status": None,
            "source": None,
            "source_en": None,
            "source_url": None,
        }
    last = frame.iloc[-1]
    return {
        "value": float(last["value"]),
        "year": int(last["year"]),
        "status": last["status"],
        "source": last["source"],
        "source_en": last.get("source_en"),
        "source_url": last["source_url"],
    }


def peer_table(
    observations: pd.DataFrame | ObservationIndex,
    indicator: str,
    basis: str,
    codes: list[str],
    year: int,
) -> pd.DataFrame:
    """The indicator at ``year`` for each region of ``codes``: ``region_code, value, status``
    (regions without a value for the year are left out)."""
    rows = []
    for code in codes:
        frame = series(observations, indicator, code, basis, through_year=year)
        at = frame[frame["year"] == year]
        if len(at):
            rows.append((code, float(at["value"].iloc[0]), at["status"].iloc[0]))
    return pd.DataFrame(rows, columns=["region_code", "value", "status"])


def comparable(table: pd.DataFrame, region_code: str) -> pd.DataFrame:
    """The peers whose figures are of the region's kind: real (published or derived) beside a
    real figure, demo beside a demo one; without a figure for the region, the real ones if
    any, else the demo ones. ``attrs["demo"]`` tells whether they are demo figures.

    A rank is computed only among peers of one kind: a real figure is never ranked against
    demo figures.

    >>> t = pd.DataFrame({"region_code": ["a", "b", "c"], "value": [1.0, 2.0, 3.0],
    ...     "status": ["published", "synthetic", "synthetic"]})
    >>> comparable(t, "a")["region_code"].tolist(), comparable(t, "b").attrs["demo"]
    (['a'], True)
    """
    demo = table["status"] == "synthetic"
    own = table.loc[table["region_code"] == region_code, "status"]
    want_demo = bool((own == "synthetic").any()) if len(own) else not (~demo).any()
    out = table[demo == want_demo].reset_index(drop=True)
    out.attrs["demo"] = want_demo and len(out) > 0
    return out


def peer_values(
    observations: pd.DataFrame | ObservationIndex,
    indicator: str,
    basis: str,
    codes: list[str],
    year: int,
    region_code: str | None = None,
) -> pd.Series:
    """The indicator's value at ``year`` for each peer, indexed by region code; with
    ``region_code``, only the peers comparable with that region's figure (:func:`comparable`).
    """
    table = peer_table(observations, indicator, basis, codes, year)
    if region_code is not None:
        table = comparable(table, region_code)
    values = pd.Series(table["value"].to_numpy(), index=table["region_code"], dtype=float)
    values.attrs["demo"] = table.attrs.get("demo", False)
    return values


def assess_target(
    observations: ObservationIndex,
    target: Target,
    plan: Plan,
    region_code: str,
    year: int,
    peer_codes: list[str],
) -> tuple[Assessment, pd.DataFrame]:
    """The status of one plan target for the region at ``year``, and the region's series."""
    ind = INDICATORS[target.indicator]
    basis = target.basis
    own = series(observations, ind.id, region_code, basis, through_year=year)
    for other in target.also_bases:  # the plan's alternative bases, in order
        if len(own):
            break
        basis = other
        own = series(observations, ind.id, region_code, basis, through_year=year)
    if not len(own):
        basis = target.basis
    own.attrs["basis"] = basis
    history = own.set_index("year")["value"] if len(own) else pd.Series(dtype=float)
    if target.type == "level":
        better = higher_is_better(ind.id)
        result = assess_level(
            history,
            target.value,
            target.by,
            plan.baseline_year,
            plan.rules,
            higher_is_better=better,
        )
    elif target.type == "growth":
        result = assess_growth(history, plan.baseline_year, target.by or plan.end_year, plan.rules)
    else:
        at_year = peer_values(observations, ind.id, basis, peer_codes, year, region_code)
        rank = rank_among(at_year, region_code, higher_is_better(ind.id))
        final = year >= (target.by or plan.end_year)
        peers_count = int(at_year.notna().sum()) or None
        result = assess_rank(rank, peers_count, target.top, final, plan.rules)
        own.attrs["rank_demo"] = bool(at_year.attrs.get("demo", False))  # ranked among demo
    return result, own


def _comparator(observations, indicator: str, code: str, basis: str, year: int) -> dict:
    if not code:
        return _value_row(pd.DataFrame())
    return _value_row(series(observations, indicator, code, basis, through_year=year))


def citation(value, lang: str) -> str | None:
    """The official citation of an observation (a row or a mapping with ``source`` and
    ``source_en``) in ``lang``: ``source_en`` on English pages where there is one, else
    ``source``; None when it has none."""
    english = value.get("source_en")
    if lang != "zh" and isinstance(english, str) and english:
        return english
    return value["source"] if isinstance(value["source"], str) else None


def _comparators(observations, indicator: str, parent: str, basis: str, year: int, lang) -> dict:
    """The parent region's and the nation's latest values through ``year``, with sources."""
    up = _comparator(observations, indicator, parent, basis, year)
    nation = _comparator(observations, indicator, NATION, basis, year)
    return {
        "parent_value": up["value"],
        "parent_year": up["year"],
        "parent_status": up["status"],
        "parent_source": citation(up, lang),
        "nation_value": nation["value"],
        "nation_year": nation["year"],
        "nation_status": nation["status"],
        "nation_source": citation(nation, lang),
    }


def plan_words(plan: Plan, year: int) -> dict:
    """The fields the scorecard's words about the plan period fill (``year``, ``baseline``,
    ``start``, ``end``)."""
    return {
        "year": year,
        "baseline": plan.baseline_year,
        "start": plan.start_year,
        "end": plan.end_year,
    }


def _indicator_row(observations, target, plan, region_code, year, peer_codes, lang, names, words):
    ind = INDICATORS[target.indicator]
    result, own = assess_target(observations, target, plan, region_code, year, peer_codes)
    value = _value_row(own)
    assessed = year >= plan.baseline_year
    if not assessed:  # before the plan's baseline: no status, rank or growth still required
        result = Assessment("no_data", value=value["value"], year=value["year"])
    parent = plan.parent
    basis = own.attrs.get("basis", target.basis)
    if not assessed:
        note = text("scorecard.before_baseline", lang, **plan_words(plan, year))
    elif value["value"] is not None:
        note = result.note_text(lang, **words)
    else:
        note = text("scorecard.no_region_figure", lang, **words)
    if basis != target.basis:
        note += text("scorecard.also_basis", lang, basis=text(f"basis.{ind.id}.{basis}", lang))
    return {
        "section": "indicator",
        "id": target.id,
        "indicator": ind.id,
        "basis": basis,
        "item": ind.name(lang),
        "target": target.short_label(lang, scope=words["scope"]),
        "unit": ind.unit_label(lang),
        "value": value["value"],
        "value_year": value["year"],
        "value_status": value["status"],
        "source": citation(value, lang),
        "source_url": value["source_url"],
        "status": result.status,
        "status_label": text(f"status.{result.status}", lang),
        "assessed": assessed,
        "demo_status": assessed and value["status"] == "synthetic",
        "gap": result.gap,
        "required_growth": result.required_growth,
        "trailing_growth": result.trailing_growth,
        "rank": result.rank,
        "peers": result.peers,
        "rank_demo": result.rank is not None and bool(own.attrs.get("rank_demo", False)),
        "parent_region": names.get(parent),
        **_comparators(observations, ind.id, parent, basis, year, lang),
        "quote": target.quote_text(lang),
        "interpretation": target.interpretation(lang),
        "note": note,
    }


def _activity_row(activity, plan, region_code, year, fraction, lang, activity_log) -> dict:
    counts = pd.Series(dtype=float)
    source = None
    if activity_log is not None and len(activity_log):
        own = activity_log[
            (activity_log["activity"] == activity.id) & (activity_log["region_code"] == region_code)
        ]
        counts = own.groupby("year")["count"].sum()
        source = "; ".join(sorted(own["source"].dropna().unique())) or None
    assessed = year >= plan.start_year  # counts before the plan period are no progress
    result = (
        assess_activity(
            activity, counts, year, plan.start_year, plan.end_year, fraction, plan.rules
        )
        if assessed
        else Assessment("no_data")
    )
    empty = dict.fromkeys(
        ["required_growth", "trailing_growth", "rank", "peers", "parent_region", "parent_value"]
        + ["parent_year", "parent_status", "parent_source", "nation_value", "nation_year"]
        + ["nation_status", "nation_source"]
    )
    empty["rank_demo"] = False
    return {
        "section": "activity",
        "id": activity.id,
        "indicator": None,
        "basis": None,
        "item": activity.name(lang),
        "target": activity.label(lang),
        "unit": activity.unit,
        "value": result.value,
        "value_year": result.year,
        "value_status": None if result.value is None else "published",
        "source": source,
        "source_url": None,
        "status": result.status,
        "status_label": text(f"status.{result.status}", lang),
        "assessed": assessed,
        "demo_status": False,  # activity counts come from the office's log only
        "gap": result.gap,
        **empty,
        "quote": activity.quote_text(lang),
        "interpretation": "",
        "note": _activity_note(activity.id, activity_log, result, assessed, plan, year, lang),
    }


def _activity_note(activity, activity_log, result, assessed, plan: Plan, year, lang) -> str:
    if not assessed:
        return text("scorecard.before_start", lang, **plan_words(plan, year))
    if result.status == "no_data":
        return text(_missing_activity(activity, activity_log), lang)
    return result.note_text(lang)


def _missing_activity(activity: str, activity_log: pd.DataFrame | None) -> str:
    """The catalogue key saying why an activity has no count: no log, its rows set aside, or
    no row of it in the log."""
    if activity_log is None:
        return "scorecard.no_activity_log"
    aside = activity_log.attrs.get("quarantine")
    if aside is not None and len(aside):
        if aside["record"].astype(str).str.contains(f'"{activity}"', regex=False).any():
            return "scorecard.log_rows_aside"
    return "scorecard.not_in_log"


def region_words(regions: pd.DataFrame, plan: Plan, region_code: str, lang: str) -> dict:
    """The words for the region and its setting (:func:`ipanalysis.locale.place_words`)."""
    zh = dict(zip(regions["code"], regions["name"], strict=False))
    parent = plan.parent
    peer_names = [zh.get(c, "") for c in peers(regions, plan)]
    level = (plan.peers or {}).get("level", "")
    return place_words(zh.get(region_code, ""), zh.get(parent, ""), peer_names, lang, level)


def build_scorecard(
    observations: pd.DataFrame | ObservationIndex,
    regions: pd.DataFrame,
    plan: Plan,
    region_code: str,
    year: int,
    lang: str = "zh",
    activity_log: pd.DataFrame | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per plan target and activity: value, target, gap, status and comparators.

    ``as_of`` (default today) tells how much of ``year`` has passed, for activity targets
    judged pro rata before the year is over.

    Every figure a row shows is cited: ``source`` (the region's value), ``parent_source`` and
    ``nation_source``, in ``lang`` (``source_en`` on English pages where the data have one).
    ``demo_status`` marks a status computed from synthetic demo figures (a page counts those
    apart from the real ones); ``rank_demo`` a rank computed among demo figures.

    Before the plan there is no progress to judge, so ``assessed`` is False and the status is
    ``no_data`` with a note saying why: a plan target is assessed from the plan's baseline year
    on (the baseline year by the trailing growth against the growth still required, see
    :mod:`ipanalysis.plans`), an activity target from the plan's start year on. Values and
    comparators of earlier years are still shown, without a status, rank or required growth.
    """
    if not isinstance(observations, ObservationIndex):
        observations = ObservationIndex(observations)
    names = dict(zip(regions["code"], regions["name" if lang == "zh" else "name_en"], strict=True))
    peer_codes = peers(regions, plan)
    words = region_words(regions, plan, region_code, lang)
    rows = [
        _indicator_row(
            observations, target, plan, region_code, year, peer_codes, lang, names, words
        )
        for target in plan.targets
    ]
    as_of = as_of or dt.date.today()
    fraction = min(1.0 if as_of.year > year else as_of.timetuple().tm_yday / 365, 1.0)
    rows += [
        _activity_row(activity, plan, region_code, year, fraction, lang, activity_log)
        for activity in plan.activities
    ]
    return pd.DataFrame(rows)
