"""One reader per layout kind of ``sources.yml``: raw file → observations or a record table.

==================== ============================================ =================================
kind                 file                                         result
==================== ============================================ =================================
long, wide           a tidy CSV of published figures              observations (:mod:`.published`)
release              a statistical release (.xlsx, .xls, .csv)    published observations
patents              a patent export (CNIPA, CNIPR, platforms)    the canonical patent table
pct                  the office's PCT application list            :class:`~ipanalysis.schemas.PctList`
madrid               the office's Madrid application list         :class:`~ipanalysis.schemas.MadridList`
transactions         a transfer, licence or pledge list           :class:`~ipanalysis.schemas.TransactionList`
industry_value_added value added by GB/T 4754 class               :class:`~ipanalysis.schemas.ValueAddedTable`
pii_classification   the office's NBS 2019 class mapping          :class:`~ipanalysis.schemas.PiiClassification`
activity_log         the office's counts of plan activities       :class:`~ipanalysis.schemas.ActivityLog`
==================== ============================================ =================================

Record kinds (all but the first three) give tables from which :mod:`.prepare` computes
observations. Their layout options: ``sheet`` and ``region`` (for rows nothing else places)
for every list; ``events`` (transfer, licence or pledge: the list's kind, else told by its
headers) and ``party`` (holder or counterparty: whose region counts) for transactions; ``year``
for value added; ``plan`` (the plan whose activity ids the log may use; default every plan
known) for the activity log. How lists become observations (``covers``, ``years``,
``receiving_offices``, ``partial_share``): :mod:`ipanalysis.analysis.records`.
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..clean import records
from ..clean.patents import read_patent_export
from ..clean.records.transactions import KINDS as _EVENT_WORDS
from ..clean.records.transactions import PARTIES
from ..errors import InputError, ReadResult
from ..plans import load_plan, plan_path
from ..schemas import FIRST_YEAR
from .manifest import SourceEntry
from .published import read_published
from .release import read_release

#: Kinds whose rows are records (from which observations are computed), not observations.
RECORD_KINDS = (
    "patents",
    "pct",
    "madrid",
    "transactions",
    "industry_value_added",
    "pii_classification",
    "activity_log",
)
KINDS = ("long", "wide", "release", *RECORD_KINDS)


def read_patents_source(entry: SourceEntry, path: Path) -> ReadResult:
    """The canonical patent table of a ``patents`` source.

    Its layout may give ``sheet``, ``platform``, ``as_of`` and ``region`` (the patentees' region
    for a whole export without addresses, e.g. a search by applicant).
    """
    layout = entry.layout
    return read_patent_export(
        path,
        layout.get("sheet"),
        platform=layout.get("platform"),
        as_of=layout.get("as_of"),
        region=layout.get("region"),
    )


#: The event types a transactions layout's ``events`` may name: transfer, licence, pledge
#: (``party`` may name one of :data:`~ipanalysis.clean.records.transactions.PARTIES`).
_EVENTS = tuple(dict.fromkeys(_EVENT_WORDS.values()))


#: The layout keys each record kind takes (``kind`` aside); a key not listed is refused.
RECORD_LAYOUT = {
    "patents": ("sheet", "platform", "as_of", "region", "years", "covers", "definition"),
    "pct": ("sheet", "region", "covers", "years", "receiving_offices"),
    "madrid": ("sheet", "region", "covers", "years"),
    "transactions": ("sheet", "region", "covers", "years", "events", "party"),
    "industry_value_added": ("sheet", "region", "covers", "year", "partial_share"),
    "pii_classification": ("sheet",),
    "activity_log": ("plan",),
}


def _is_year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= 2100


def _value_problem(key: str, value: object) -> str | None:
    """What is wrong with one layout value (None: nothing)."""
    if key == "years" and not (
        isinstance(value, list) and 1 <= len(value) <= 2 and all(_is_year(v) for v in value)
    ):
        return f"years must be [first, last], e.g. [2021, 2025], not {value!r}"
    if key == "year" and not _is_year(value):
        return f"year must be a year such as 2023, not {value!r}"
    if key in ("covers", "receiving_offices") and not (
        isinstance(value, list) and all(isinstance(v, str | int) for v in value)
    ):
        if not (key == "receiving_offices" and value == "all"):
            return f"{key} must be a list, e.g. [松江区] or [CN], not {value!r}"
    if key == "partial_share" and not (
        isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
    ):
        return f"partial_share must be a number from 0 to 1 (0.5, not 50%), not {value!r}"
    if key == "events" and value not in _EVENTS:
        return f"events must be {', '.join(_EVENTS[:-1])} or {_EVENTS[-1]}, not {value!r}"
    if key == "party" and value not in PARTIES:
        return f"party must be {' or '.join(PARTIES)}, not {value!r}"
    if key == "definition" and not isinstance(value, dict):
        return f"definition must be a mapping such as {{pledge_threshold: 5000000}}, not {value!r}"
    return None


def check_layout(entry: SourceEntry) -> None:
    """Every problem of a record kind's layout in one message naming the entry; the readers'
    own options (sheet, region, definition …) are checked when they read."""
    kind = entry.layout.get("kind")
    allowed = RECORD_LAYOUT.get(kind)
    if allowed is None:
        return
    problems = [
        f"unknown key '{k}' (a {kind} layout takes {', '.join(allowed)})"
        for k in entry.layout
        if k != "kind" and k not in allowed
    ]
    problems += [p for k, v in entry.layout.items() if k in allowed and (p := _value_problem(k, v))]
    if problems:
        raise InputError(
            f"sources.yml entry '{entry.id}' ({entry.file}), layout: " + "; ".join(problems)
        )


def plan_activities(entry: SourceEntry, data_dir: Path) -> list[str]:
    """The activity ids an activity log may use: its layout's ``plan``, else every plan's."""
    if entry.layout.get("plan"):
        found = [plan_path(entry.layout["plan"], data_dir)]
    else:
        found = [
            *sorted((data_dir / "plans").glob("*.yaml")),
            *paths.PACKAGED_PLANS_DIR.glob("*.yaml"),
        ]
    return sorted({a.id for path in found for a in load_plan(path).activities})


def read_records_source(entry: SourceEntry, path: Path, data_dir: Path) -> ReadResult:
    """The canonical record table of a record kind other than ``patents``."""
    layout = entry.layout
    kind, sheet, region = layout["kind"], layout.get("sheet"), layout.get("region")
    if kind == "pct":
        return records.read_pct_list(path, sheet, region=region)
    if kind == "madrid":
        return records.read_madrid_list(path, sheet, region=region)
    if kind == "transactions":
        return records.read_transactions(
            path, layout.get("events"), sheet, region, party=layout.get("party", "holder")
        )
    if kind == "industry_value_added":
        return records.read_value_added(path, sheet, region=region, year=layout.get("year"))
    if kind == "pii_classification":
        return records.read_pii_classification(path, sheet)
    return records.read_activity_log(path, activities=plan_activities(entry, data_dir))


def read_source(entry: SourceEntry, data_dir: Path | None = None) -> ReadResult:
    """Read one raw file by its layout kind, quarantining rows that cannot be used.

    Raises
    ------
    InputError
        The file is missing, its kind is unknown, or the file as a whole cannot be read.
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    path = entry.path(data_dir)
    if not path.exists():
        raise InputError(f"listed in sources.yml as '{entry.id}' but not found", file=path)
    kind = entry.layout.get("kind", "long")
    if kind not in KINDS:
        raise InputError(
            f"layout kind '{kind}' of '{entry.id}' is not one of {', '.join(KINDS)}",
            file=path,
        )
    check_layout(entry)
    try:
        if kind == "release":
            return read_release(entry, path)
        if kind == "patents":
            return read_patents_source(entry, path)
        if kind in RECORD_KINDS:
            return read_records_source(entry, path, data_dir)
        return read_published(entry, path)
    except InputError as error:
        if error.file is None:  # an option of the layout: say which entry
            raise InputError(
                f"sources.yml entry '{entry.id}': {error.message}", file=path
            ) from None
        raise
