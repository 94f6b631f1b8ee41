"""One reader per layout kind of ``sources.yml``: raw file → observations or a record table.

========== =========================================== ======================================
kind       file                                        result
========== =========================================== ======================================
long, wide a tidy CSV of published figures             observations (:mod:`.published`)
release    a statistical release (.xlsx, .xls, .csv)   published observations (:mod:`.release`)
patents    a patent export (CNIPA, CNIPR, platforms)   the canonical patent table
========== =========================================== ======================================
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..clean.patents import read_patent_export
from ..errors import InputError, ReadResult
from .manifest import SourceEntry
from .published import read_published
from .release import read_release

KINDS = ("long", "wide", "release", "patents")
#: Kinds whose rows are records (from which observations are computed), not observations.
RECORD_KINDS = ("patents",)


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
            f"layout kind '{kind}' of '{entry.id}' is not one of long, wide, release, patents",
            file=path,
        )
    if kind == "release":
        return read_release(entry, path)
    if kind == "patents":
        return read_patents_source(entry, path)
    return read_published(entry, path)
