"""Plans as data: targets, directional goals and activity targets, and the on-track rule.

A plan file (YAML, e.g. ``songjiang-2024-2026.yaml``, shipped with the package in
``ipanalysis/reference/plans/``) holds everything about one region's plan; nothing about a
particular region is written in this module. See :func:`load_plan` for the format.

The status rule
---------------
Every assessment ends in one of five statuses (:data:`STATUSES`):

``met``
    the target value is reached (or, for a directional goal, the plan's final year is reported
    and the goal held);
``on_track``
    not yet met, but progress is at or ahead of schedule;
``at_risk``
    behind schedule, within the tolerance set in the plan's ``rules``;
``off_track``
    further behind than that, or the deadline has passed unmet;
``no_data``
    the data hold no value to judge by (never guessed).

How "schedule" is judged depends on the target's ``type``:

``level`` (reach value T by year D, e.g. 30 high-value patents per 10k by end-2026)
    The schedule is the straight line from the baseline value B (the plan's baseline year) to T
    at D — the 序时进度 ("progress in step with time") used in Chinese plan monitoring;
    ``rules.path: compound`` uses constant growth instead. Progress p = (V − B) / (E − B), where
    E is the scheduled value for the latest year. p ≥ 1 → on track; p ≥ ``rules.at_risk_progress``
    (default 0.8) → at risk; else off track. In the baseline year itself (no scheduled progress
    yet) the trailing growth rate is compared with the annual growth still required instead, with
    the same threshold. A deadline passed with V < T is off track.
``growth`` (keep growing / "实现新提升")
    V above the baseline-year value and growing year on year by at least ``min_growth`` percent
    (default 0) → on track (met once the final year is reported); exactly one of the two → at
    risk; neither → off track. Without a baseline value, year-on-year growth alone decides
    between on track and at risk.
``rank`` (e.g. "处于全市领先": rank ≤ ``top`` among the peers)
    rank ≤ top → on track (met in the final year); rank ≤ top + ``rules.rank_margin`` (default 2)
    → at risk; else off track. Ties share the better rank.
``activity`` (a count per year, or a total over the plan period)
    per year: count ≥ minimum → met; before the year is over, compared pro rata to the share of the
    year elapsed. Over the period: the cumulative count against the straight line from 0 to the
    total, as for ``level``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import paths
from .errors import InputError
from .indicators import INDICATORS, cagr, required_growth
from .locale import text

#: The five statuses of an assessment (see the status rule above).
STATUSES = ("met", "on_track", "at_risk", "off_track", "no_data")
#: The kinds of target a plan file may set on an indicator.
TARGET_TYPES = ("level", "growth", "rank")

#: The status rule's parameters when a plan file's ``rules`` does not set them.
DEFAULT_RULES = {"path": "linear", "at_risk_progress": 0.8, "rank_margin": 2, "min_growth": 0.0}


@dataclass(frozen=True)
class Target:
    """One quantitative target or directional goal on an indicator."""

    id: str
    indicator: str
    basis: str
    type: str
    quote: str
    section: str = ""
    value: float | None = None  # level: the target value
    by: int | None = None  # level/growth/rank: the deadline year (end of year)
    top: int | None = None  # rank: top N among peers
    min_growth: float | None = None  # growth: percent per year
    quote_en: str = ""  # an English rendering of the quote
    interpretation_zh: str = ""  # how an ambiguous phrase was read (a documented parameter)
    interpretation_en: str = ""
    #: bases the target is read on, in order, where the region has no figure on ``basis`` (e.g.
    #: patent pledges only where trademark pledges are not recorded); the page names the one used
    also_bases: tuple[str, ...] = ()

    def quote_text(self, lang: str = "zh") -> str:
        """The plan's words in ``lang`` (the English rendering where one is given)."""
        return self.quote if lang == "zh" or not self.quote_en else self.quote_en

    def interpretation(self, lang: str = "zh") -> str:
        """How an ambiguous phrase was read, in ``lang`` ('' when nothing needed reading)."""
        return self.interpretation_zh if lang == "zh" else self.interpretation_en

    def short_label(self, lang: str = "zh", scope: str = "") -> str:
        """The target without the indicator's name, e.g. '≥ 30 件/万人（2026年末）'.

        ``scope`` names the peers' whole area for a rank target (全市: the parent's words from
        :func:`ipanalysis.locale.place_words`).
        """
        unit = INDICATORS[self.indicator].unit_label(lang)
        fields = dict(value=self.value, unit=unit, by=self.by, top=self.top, scope=scope)
        return text(f"target.{self.type}_short", lang, **fields)

    def label(self, lang: str = "zh", scope: str = "") -> str:
        """The target with the indicator's name, e.g. for a chart legend."""
        ind = INDICATORS[self.indicator]
        return text(
            f"target.{self.type}",
            lang,
            name=ind.name(lang),
            value=self.value,
            unit=ind.unit_label(lang),
            by=self.by,
            top=self.top,
            scope=scope,
        )


@dataclass(frozen=True)
class Activity:
    """An activity target: at least ``per_year`` a year, or ``total`` over the plan period."""

    id: str
    name_zh: str
    name_en: str
    unit: str
    quote: str
    section: str = ""
    per_year: float | None = None
    total: float | None = None
    quote_en: str = ""

    def quote_text(self, lang: str = "zh") -> str:
        """The plan's words in ``lang`` (the English rendering where one is given)."""
        return self.quote if lang == "zh" or not self.quote_en else self.quote_en

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def label(self, lang: str = "zh") -> str:
        """The activity target, e.g. '每年不少于4次'."""
        if self.per_year is not None:
            return text("activity.per_year", lang, count=self.per_year, unit=self.unit)
        return text("activity.total", lang, count=self.total, unit=self.unit)


@dataclass(frozen=True)
class Plan:
    """A region's plan: period, baseline, peers, targets, activities and status rules."""

    id: str
    name_zh: str
    name_en: str
    region: str
    issuer: str
    issued: str
    start_year: int
    end_year: int
    baseline_year: int
    peers: dict
    document: str
    targets: tuple[Target, ...]
    activities: tuple[Activity, ...]
    rules: dict = field(default_factory=lambda: dict(DEFAULT_RULES))
    source_file: str = ""

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def parent(self) -> str:
        """The code of the region the plan's peers belong to (``peers: parent:``, e.g. 310000),
        or ''."""
        return str((self.peers or {}).get("parent", ""))


def plan_path(plan: str | Path, data_dir: str | Path | None = None) -> Path:
    """Where a plan lives.

    ``plan`` itself when it names a file (it has a suffix); else ``<data_dir>/plans/<plan>.yaml``
    when that file exists (an office's own plans; ``data_dir`` defaults to the project's
    ``data/``); else the plan of that id shipped with the package
    (:data:`ipanalysis.paths.PACKAGED_PLANS_DIR`), so that an installed package finds it from
    any folder. A plan found nowhere is looked for in ``<data_dir>/plans/``, the path an error
    names.

    >>> from ipanalysis.paths import PACKAGE_DIR
    >>> plan_path("songjiang-2024-2026", "/srv/ip/data").relative_to(PACKAGE_DIR).as_posix()
    'reference/plans/songjiang-2024-2026.yaml'
    >>> plan_path("pudong-2025-2027", "/srv/ip/data").as_posix()
    '/srv/ip/data/plans/pudong-2025-2027.yaml'
    >>> plan_path("/tmp/pudong.yaml").name
    'pudong.yaml'
    """
    path = Path(str(plan))
    if path.suffix:
        return path
    folder = Path(data_dir) / "plans" if data_dir else paths.plans_dir()
    own, packaged = folder / f"{plan}.yaml", paths.PACKAGED_PLANS_DIR / f"{plan}.yaml"
    return packaged if packaged.is_file() and not own.is_file() else own


def known_plans(data_dir: str | Path | None = None) -> list[str]:
    """Ids of the plans :func:`plan_path` finds: an office's own and the packaged ones.

    >>> "songjiang-2024-2026" in known_plans()
    True
    """
    folder = Path(data_dir) / "plans" if data_dir else paths.plans_dir()
    return sorted({p.stem for d in (folder, paths.PACKAGED_PLANS_DIR) for p in d.glob("*.yaml")})


#: Keys every plan file must have.
PLAN_KEYS = ("id", "name_zh", "name_en", "region", "start_year", "end_year", "baseline_year")


def _read_yaml(path: Path) -> dict:
    if not path.exists():
        known = known_plans()
        raise InputError(
            f"no such plan file (known plans: {', '.join(known) or 'none'})", file=path
        )
    try:
        doc = paths.load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML ({getattr(exc, 'problem', exc)})",
            file=path,
            row=None if mark is None else mark.line + 1,
        ) from None
    if not isinstance(doc, dict):
        raise InputError("expected a mapping of plan keys", file=path)
    missing = [k for k in (*PLAN_KEYS, "targets") if k not in doc]
    if missing:
        raise InputError(f"missing key(s): {', '.join(missing)}", file=path)
    return doc


def _target(n: int, item: dict, path: Path) -> Target:
    where = f"target #{n} ({item.get('id', '?')})"
    if item.get("indicator") not in INDICATORS:
        raise InputError(f"{where}: unknown indicator '{item.get('indicator')}'", file=path)
    if item.get("type") not in TARGET_TYPES:
        raise InputError(
            f"{where}: type must be one of {', '.join(TARGET_TYPES)}, got '{item.get('type')}'",
            file=path,
        )
    bases = INDICATORS[item["indicator"]].bases
    if item.get("basis") not in bases:
        raise InputError(
            f"{where}: basis must be one of {', '.join(bases)}, got '{item.get('basis')}'",
            file=path,
        )
    also = item.get("also_bases") or []
    if not isinstance(also, list) or any(b not in bases for b in also):
        raise InputError(
            f"{where}: also_bases must list bases of the indicator ({', '.join(bases)}), "
            f"got {also!r}",
            file=path,
        )
    item = {**item, "also_bases": tuple(also)}
    if item["type"] == "level" and (item.get("value") is None or item.get("by") is None):
        raise InputError(f"{where}: a level target needs 'value' and 'by'", file=path)
    if item["type"] == "rank" and not item.get("top"):
        raise InputError(f"{where}: a rank target needs 'top'", file=path)
    return Target(**{k: item.get(k) for k in Target.__dataclass_fields__ if k in item})


def _activity(n: int, item: dict, path: Path) -> Activity:
    if (item.get("per_year") is None) == (item.get("total") is None):
        raise InputError(
            f"activity #{n} ({item.get('id', '?')}): give exactly one of 'per_year' or 'total'",
            file=path,
        )
    return Activity(**{k: item.get(k) for k in Activity.__dataclass_fields__ if k in item})


def load_plan(plan: str | Path) -> Plan:
    """Read a plan file; ``plan`` is a path or a plan id (see :func:`plan_path`: an office's
    own ``data/plans/<id>.yaml``, else the plan shipped with the package, e.g.
    ``songjiang-2024-2026``).

    Raises :class:`InputError` naming the file and the entry when something is missing or unknown.
    """
    path = plan_path(plan)
    doc = _read_yaml(path)
    targets = [_target(n, item, path) for n, item in enumerate(doc["targets"], start=1)]
    activities = [
        _activity(n, item, path) for n, item in enumerate(doc.get("activities", []), start=1)
    ]
    return Plan(
        id=doc["id"],
        name_zh=doc["name_zh"],
        name_en=doc["name_en"],
        region=str(doc["region"]),
        issuer=doc.get("issuer", ""),
        issued=str(doc.get("issued", "")),
        start_year=int(doc["start_year"]),
        end_year=int(doc["end_year"]),
        baseline_year=int(doc["baseline_year"]),
        peers=doc.get("peers", {}),
        document=doc.get("document", ""),
        targets=tuple(targets),
        activities=tuple(activities),
        rules={**DEFAULT_RULES, **(doc.get("rules") or {})},
        source_file=path.name,
    )


def check_plan_region(plan: Plan, region_code: str, names: dict[str, str]) -> None:
    """Refuse a plan written for another region than the one asked for (names: code → name).

    >>> p = Plan("songjiang-2024-2026", "", "", "310117", "", "", 2024, 2026, 2023, {}, "", (), ())
    >>> check_plan_region(p, "310115", {"310117": "松江区", "310115": "浦东新区"})
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: plan 'songjiang-2024-2026' is for 松江区 (310117), not 浦东新区 (310115): give --plan with a plan file written for 浦东新区 (see the README, 'A plan for another region')
    """  # noqa: E501
    if str(plan.region) == str(region_code):
        return
    asked = names.get(region_code, region_code)
    raise InputError(
        f"plan '{plan.id}' is for {names.get(plan.region, plan.region)} ({plan.region}), "
        f"not {asked} ({region_code}): give --plan with a plan file written for {asked} "
        "(see the README, 'A plan for another region')"
    )


@dataclass(frozen=True)
class Assessment:
    """The outcome of assessing one target: the status and the numbers behind it."""

    status: str
    value: float | None = None
    year: int | None = None
    target: float | None = None
    gap: float | None = None  # target − value (level), in the indicator's unit
    required_growth: float | None = None  # % a year still needed (level)
    trailing_growth: float | None = None  # % a year over the last up to 3 years
    expected: float | None = None  # scheduled value for `year` (level)
    rank: int | None = None
    peers: int | None = None
    note_key: str = ""  # the note's key under ``note.`` in the locale catalogue
    note_fields: dict = field(default_factory=dict)

    def note_text(self, lang: str = "en", **place: str) -> str:
        """What the status rested on, in ``lang`` (e.g. '97% of the scheduled progress …');
        ``place`` gives the region's words (``here``: 本区 …) where a note names it."""
        if not self.note_key:
            return ""
        return text(f"note.{self.note_key}", lang, **{"here": "", **place, **self.note_fields})

    @property
    def note(self) -> str:
        """:meth:`note_text` in English."""
        return self.note_text("en")


def _trailing_cagr(history: pd.Series, years: int = 3) -> float | None:
    history = history.dropna().sort_index()
    if len(history) < 2:
        return None
    last_year = history.index[-1]
    earlier = history[history.index >= last_year - years]
    first_year = earlier.index[0]
    if first_year == last_year:
        earlier = history.iloc[-2:]
        first_year = earlier.index[0]
    value = cagr(earlier.iloc[0], history.iloc[-1], last_year - first_year)
    return None if math.isnan(value) else value


def assess_level(
    history: pd.Series,
    target: float,
    by: int,
    baseline_year: int,
    rules: dict | None = None,
    higher_is_better: bool = True,
) -> Assessment:
    """Assess a level target from a history indexed by year (see the module docstring).

    >>> h = pd.Series({2023: 20.0, 2024: 24.0})
    >>> a = assess_level(h, target=30, by=2026, baseline_year=2023)
    >>> a.status, a.expected, round(a.gap, 1), round(a.required_growth, 2)
    ('on_track', 23.333333333333332, 6.0, 11.8)
    >>> assess_level(pd.Series({2023: 20.0, 2024: 22.0}), 30, 2026, 2023).status
    'off_track'
    >>> assess_level(pd.Series(dtype=float), 30, 2026, 2023).status
    'no_data'
    """
    rules = {**DEFAULT_RULES, **(rules or {})}
    history = history.dropna().sort_index()
    if history.empty:
        return Assessment("no_data", target=target, note_key="no_value")
    year, value = int(history.index[-1]), float(history.iloc[-1])
    sign = 1 if higher_is_better else -1
    gap = target - value
    trailing = _trailing_cagr(history)
    base = dict(value=value, year=year, target=target, gap=gap, trailing_growth=trailing)
    if sign * (value - target) >= 0:
        return Assessment("met", **base)
    if year >= by:
        return Assessment("off_track", **base, note_key="deadline_passed", note_fields={"by": by})
    needed = required_growth(value, target, by - year) if higher_is_better else None
    base["required_growth"] = needed
    before = history[history.index <= baseline_year]
    if before.empty:
        baseline_value, start = float(history.iloc[0]), int(history.index[0])
    else:
        baseline_value, start = float(before.iloc[-1]), int(before.index[-1])
    threshold = rules["at_risk_progress"]
    if year > start:
        share = (year - start) / (by - start)
        if rules["path"] == "compound" and baseline_value > 0 and target > 0:
            expected = baseline_value * (target / baseline_value) ** share
        else:
            expected = baseline_value + (target - baseline_value) * share
        progress = (value - baseline_value) / (expected - baseline_value)
        status = (
            "on_track" if progress >= 1 else "at_risk" if progress >= threshold else "off_track"
        )
        return Assessment(
            status,
            expected=expected,
            **base,
            note_key="progress",
            note_fields={"progress": progress, "start": start},
        )
    if trailing is None or needed is None:
        return Assessment(
            "no_data",
            **base,
            note_key="one_observation",
        )
    status = (
        "on_track"
        if trailing >= needed
        else "at_risk"
        if trailing >= threshold * needed
        else "off_track"
    )
    return Assessment(status, **base, note_key="trailing_vs_required")


def assess_growth(
    history: pd.Series, baseline_year: int, final_year: int, rules: dict | None = None
) -> Assessment:
    """Assess a directional "keep growing" goal (see the module docstring).

    >>> assess_growth(pd.Series({2023: 100.0, 2024: 110.0}), 2023, 2026).status
    'on_track'
    >>> assess_growth(pd.Series({2023: 100.0, 2024: 110.0, 2025: 105.0}), 2023, 2026).status
    'at_risk'
    >>> assess_growth(pd.Series({2022: 5.0, 2023: 4.0}), 2023, 2026).status
    'at_risk'
    """
    rules = {**DEFAULT_RULES, **(rules or {})}
    history = history.dropna().sort_index()
    if history.empty:
        return Assessment("no_data", note_key="no_value")
    year, value = int(history.index[-1]), float(history.iloc[-1])
    trailing = _trailing_cagr(history)
    previous = history.get(year - 1)
    growing = None if previous is None else (value / previous - 1) * 100 > rules["min_growth"]
    baseline = history.get(baseline_year) if year > baseline_year else None
    above = None if baseline is None else value > baseline
    base = dict(value=value, year=year, trailing_growth=trailing)
    if growing is None and above is None:
        return Assessment("no_data", **base, note_key="no_earlier_year")
    if above is None:
        return Assessment(
            "on_track" if growing else "at_risk",
            **base,
            note_key="yoy_only",
        )
    checks = [c for c in (growing, above) if c is not None]
    if all(checks):
        return Assessment("met" if year >= final_year else "on_track", **base)
    return Assessment("at_risk" if any(checks) else "off_track", **base)


def assess_rank(
    rank: int | None, peers: int | None, top: int, final: bool, rules: dict | None = None
) -> Assessment:
    """Assess a ranking goal: rank ≤ top among ``peers`` regions.

    A rank says something only when more regions than ``top`` have a figure: with ``top`` or
    fewer, any rank is within the top, so the status is ``no_data`` and the note says why.

    >>> assess_rank(2, 16, top=3, final=False).status, assess_rank(5, 16, 3, False).status
    ('on_track', 'at_risk')
    >>> assess_rank(None, None, 3, False).status, assess_rank(1, 1, 3, False).note
    ('no_data', 'only 1 region(s) with a figure: a top 3 rank cannot be told')
    """
    rules = {**DEFAULT_RULES, **(rules or {})}
    if rank is None:
        return Assessment("no_data", note_key="no_rank")
    if peers is not None and peers <= top:
        return Assessment(
            "no_data", peers=peers, target=top, note_key="few_peers",
            note_fields={"peers": peers, "top": top},
        )  # fmt: skip
    if rank <= top:
        status = "met" if final else "on_track"
    elif rank <= top + rules["rank_margin"]:
        status = "at_risk"
    else:
        status = "off_track"
    return Assessment(status, rank=rank, peers=peers, target=top)


def assess_activity(
    activity: Activity,
    counts: pd.Series,
    year: int,
    start_year: int,
    end_year: int,
    year_fraction: float = 1.0,
    rules: dict | None = None,
) -> Assessment:
    """Assess an activity target from counts indexed by year.

    ``year_fraction`` is the share of ``year`` elapsed at the reporting date (1 for a full year).

    >>> act = Activity("x", "x", "x", "次", "", per_year=4)
    >>> assess_activity(act, pd.Series({2025: 4}), 2025, 2024, 2026).status
    'met'
    >>> assess_activity(act, pd.Series({2025: 2}), 2025, 2024, 2026, year_fraction=0.5).status
    'on_track'
    >>> total = Activity("y", "y", "y", "家", "", total=100)
    >>> assess_activity(total, pd.Series({2024: 30, 2025: 30}), 2025, 2024, 2026).status
    'at_risk'
    """
    rules = {**DEFAULT_RULES, **(rules or {})}
    counts = counts.dropna()
    if counts.empty or (activity.per_year is not None and year not in counts.index):
        return Assessment("no_data", note_key="no_activity_records")
    threshold = rules["at_risk_progress"]
    if activity.per_year is not None:
        done = float(counts.get(year, 0))
        due = activity.per_year * year_fraction
        if done >= activity.per_year:
            status = "met"
        elif year_fraction >= 1:
            status = "off_track"
        else:
            status = (
                "on_track" if done >= due else "at_risk" if done >= threshold * due else "off_track"
            )
        return Assessment(
            status, value=done, year=year, target=activity.per_year, gap=activity.per_year - done
        )
    done = float(counts[(counts.index >= start_year) & (counts.index <= year)].sum())
    years_total = end_year - start_year + 1
    elapsed = min(year - start_year + year_fraction, years_total)
    due = activity.total * elapsed / years_total
    if done >= activity.total:
        status = "met"
    elif year >= end_year and year_fraction >= 1:
        status = "off_track"
    else:
        status = (
            "on_track" if done >= due else "at_risk" if done >= threshold * due else "off_track"
        )
    return Assessment(
        status,
        value=done,
        year=year,
        target=activity.total,
        gap=activity.total - done,
        expected=due,
    )
