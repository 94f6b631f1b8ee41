"""Assemble a :class:`~ipanalysis.briefing.bundle.Briefing` from the files (through
:mod:`ipanalysis.io`, which only reads here), once per kernel and parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .. import __version__, paths
from ..analysis import ObservationIndex, build_scorecard, check_parameters, one_kind
from ..errors import InputError
from ..io import load_demo, load_office, read_activity_log, read_manifest
from ..io.demo import observations as demo_observations
from ..io.prepare import restate_stocks
from ..io.provenance import git_commit
from ..paths import DEFAULT_PLAN
from ..plans import check_plan_region, load_plan, plan_path
from ..regions import load_regions, region_names
from .bundle import Briefing


class Data(NamedTuple):
    """What :func:`load_data` gives: observations and record tables (name → table)."""

    observations: pd.DataFrame
    office_records: dict
    demo_records: Mapping


#: Briefings loaded in this process, by parameters and input file times (see load_briefing).
_LOADED: dict[tuple, Briefing] = {}


def _mtimes(*files: object) -> tuple:
    """Modification times of the files given (``None`` for a missing one or an empty name).

    The manifest stands for the raw data: a raw file cannot change without it (sha256 pins).
    """
    found = [Path(str(f)) if f else None for f in files]
    return tuple(p.stat().st_mtime_ns if p and p.is_file() else None for p in found)


def load_briefing(
    region: str,
    year: int,
    lang: str = "zh",
    plan: str = DEFAULT_PLAN,
    data_dir: str = "",
    activity_log: str = "",
    demo: bool = True,
    peers: str = "",
    definition: str = "",
) -> Briefing:
    """Load data and plan, validate the parameters (clear ``ValueError`` on a bad one).

    ``activity_log`` is a file of activity counts; empty: the one ``sources.yml`` lists (kind
    ``activity_log``), if any. ``definition`` changes parameters of the high-value definition
    (``"pledge_threshold=5e6; maintenance_from=grant_date"``, :mod:`ipanalysis.io.definition`):
    the stocks of the office's patent records are computed again with them.

    With ``demo``, district figures that no published data covers come from clearly
    labelled synthetic demo data (:mod:`ipanalysis.synthetic`); published figures always win.

    The briefing notebooks of one region and year, run one after another in the same
    kernel, load the same thing: the result is kept for the same parameters while the
    manifest, the plan file and the activity log are unchanged (their modification times
    are part of the key).
    """
    params = (
        str(region),
        int(year),
        lang,
        str(plan),
        data_dir,
        activity_log,
        demo,
        peers,
        definition,
    )
    data_path = Path(data_dir) if data_dir else paths.data_dir()
    key = (
        params,
        _mtimes(data_path / "sources.yml", plan_path(plan, data_path), activity_log),
    )
    if key not in _LOADED:
        _LOADED.clear()  # one region and year at a time: keep memory flat in long sessions
        _LOADED[key] = _load(*params)
    return _LOADED[key]


def load_data(data_dir: str = "", demo: bool = True, definition: str = "") -> Data:
    """Every observation (real, and with ``demo`` the labelled demo ones where no real figure
    covers an indicator and region: :func:`ipanalysis.analysis.one_kind`), the office's record
    tables and the demo's — for any region, without a plan. ``definition``: as in
    :func:`load_briefing`; ``observations.attrs["definition"]`` is the definition used."""
    data_path = Path(data_dir) if data_dir else paths.data_dir()
    observations, office = load_office(data_path)
    manifest = read_manifest(data_path / "sources.yml")
    observations, used = restate_stocks(observations, office.get("patents"), manifest, definition)
    records = None
    if demo:
        made = load_demo(data_path)
        records = made.tables
        synthetic = demo_observations(made)
        observations = one_kind(pd.concat([observations, synthetic], ignore_index=True))
    observations.attrs["definition"] = used
    return Data(observations, office, records or {})


def _activity_log(path: str, plan, office: dict) -> pd.DataFrame | None:
    """The log given as a parameter (checked against the plan's activity ids), else the one
    ``sources.yml`` lists, else None."""
    if path:
        return read_activity_log(path, activities=[a.id for a in plan.activities])
    return office.get("activity_log")


def _load(region, year, lang, plan, data_dir, activity_log, demo, peers, definition) -> Briefing:
    data_path = Path(data_dir) if data_dir else paths.data_dir()
    observations, office, records = load_data(data_dir, demo, definition)
    regions = load_regions()
    code = check_parameters(observations, str(region), int(year), lang)
    the_plan = load_plan(plan_path(plan, data_path))
    try:
        check_plan_region(the_plan, code, region_names())
    except InputError as error:
        raise ValueError(str(error)) from None
    if peers:
        parent = check_parameters(observations, str(peers), int(year), lang)
        the_plan = replace(the_plan, peers={**the_plan.peers, "parent": parent})
    log = _activity_log(activity_log, the_plan, office)
    index = ObservationIndex(observations)
    card = build_scorecard(index, regions, the_plan, code, int(year), lang, log)
    return Briefing(
        region_code=code,
        year=int(year),
        lang=lang,
        plan=the_plan,
        observations=observations,
        index=index,
        regions=regions,
        scorecard=card,
        sources={e.id: e for e in read_manifest(data_path / "sources.yml")},
        parameters={
            "region": region,
            "year": year,
            "lang": lang,
            "plan": plan,
            "data_dir": data_dir,
            "activity_log": activity_log,
            "demo": demo,
            "peers": peers,
            "definition": definition,
        },
        records=records or None,
        office_records=office or None,
        code_version=f"ipanalysis {__version__} ({git_commit()})",
        activity_log=log,
        definition=observations.attrs["definition"],
    )
