"""The parameters a briefing was built with, as its footer states them: in the page's
language, regions by name, and files by their name only (never a path of the machine that
built the page)."""

from __future__ import annotations

from pathlib import Path, PurePath

from ... import paths
from ..bundle import Briefing


def _file_name(value: object) -> str:
    """A file or folder by its name only.

    >>> _file_name("/home/analyst/logs/activity_2025.csv")
    'activity_2025.csv'
    """
    return PurePath(str(value)).name


def _definition(value: object) -> str:
    """The high-value rule changes as given, any file they name by its name only.

    >>> _definition("pledge_threshold=5e6; concordance=/srv/office/ipc_table.csv")
    'pledge_threshold=5e6; concordance=ipc_table.csv'
    """
    parts = []
    for part in str(value).split(";"):
        name, equals, given = part.strip().partition("=")
        values = [_file_name(v) if PurePath(v).is_absolute() else v for v in given.split("|")]
        parts.append(name + equals + "|".join(values))
    return "; ".join(parts)


def _data_folder(b: Briefing, value: object) -> dict:
    """The project's data folder in words; another folder by its name."""
    if not value or Path(str(value)).resolve() == paths.data_dir().resolve():
        return {"text": b.text("parameter.project_data")}
    return {"code": _file_name(value)}


def _plan(value: object) -> str:
    """A plan id as given; a plan file by its name."""
    return _file_name(value) if PurePath(str(value)).suffix else str(value)


def parameter_view(b: Briefing) -> dict:
    """The parameters' entries (``name`` and ``text``, or ``code`` for an identifier or a file
    name) with the colon and separator of the page's language.

    Region, year, language, plan, demo and data folder always; the activity log, peers and
    high-value definition changes only when given.
    """
    given = b.parameters
    demo = "demo_on" if given.get("demo") else "demo_off"
    shown: list[tuple[str, dict]] = [
        ("region", {"text": b.region_name()}),
        ("year", {"text": str(b.year)}),
        ("lang", {"text": b.text(f"language.{b.lang}")}),
        ("plan", {"code": _plan(given.get("plan", b.plan.id))}),
        ("demo", {"text": b.text(f"parameter.{demo}")}),
        ("data_dir", _data_folder(b, given.get("data_dir"))),
    ]
    if given.get("activity_log"):
        shown.append(("activity_log", {"code": _file_name(given["activity_log"])}))
    if given.get("peers"):
        shown.append(("peers", {"text": b.place_name(b.parent)}))
    if given.get("definition"):
        shown.append(("definition", {"code": _definition(given["definition"])}))
    return {
        "entries": [
            {"name": b.text(f"parameter.{n}"), "text": "", "code": "", **view} for n, view in shown
        ],
        "colon": b.text("common.colon"),
        "sep": b.text("common.list_sep"),
    }
