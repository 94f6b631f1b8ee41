"""Opening a record list: the file as a grid of text cells, its header row and the rows below."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ipanalysis.clean.patents.headers import _unique_headers
from ipanalysis.clean.tables.files import _load
from ipanalysis.errors import InputError

from .headers import HeaderPlan, find_header, no_header_error, plan_headers


@dataclass
class RecordFile:
    """A record list opened for reading.

    ``names`` are the header cells as text (blank ones named by position, repeats marked);
    ``header_row`` the header's row as a spreadsheet program shows it; ``body`` every non-blank
    row below the header as text (``""`` for a blank cell), one column per header, with
    ``raw_row``; ``preamble`` the non-blank rows above the header (a title, a 单位 line);
    ``blank_rows`` how many blank rows were skipped.
    """

    path: Path
    sheet: str | None
    kind: str
    names: list[str]
    header_row: int
    body: pd.DataFrame
    plan: HeaderPlan
    preamble: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blank_rows: int = 0

    @property
    def where(self) -> dict:
        """``file`` and ``sheet`` for an :class:`InputError`."""
        return {"file": self.path, "sheet": self.sheet}

    def column(self, canonical: str) -> pd.Series:
        """The text of the column read as ``canonical`` (blank cells ``""``); all blank when the
        file has no such column."""
        header = self.plan.reverse.get(canonical)
        if header is None:
            return pd.Series("", index=self.body.index, dtype=object)
        return self.body[header]


def cell_text(value: object) -> str:
    """A cell as text: integral numbers without ``.0``, dates as ``YYYY-MM-DD``, blank as ``""``.

    >>> [cell_text(v) for v in (None, 610.0, 12.5, dt.datetime(2024, 5, 6), " PCT/CN2024/000001 ")]
    ['', '610', '12.5', '2024-05-06', 'PCT/CN2024/000001']
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    return str(value).strip()


def open_records(path: str | Path, sheet: str | None, kind: str) -> RecordFile:
    """Open a record list of ``kind`` (.csv in UTF-8/GBK/GB18030, .xlsx or .xls): the first sheet
    with a header row of that list unless ``sheet`` is given.

    The file is read by :mod:`ipanalysis.clean.tables` (content-sniffed format, encoding and
    delimiter); the header row is the row among the first 30 naming most columns of the list in
    ``reference/record_columns.csv``.

    Raises
    ------
    InputError
        The file is missing, a folder, empty, not a CSV or workbook, the sheet does not exist,
        no header row is found, or there are no data rows below it.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", file=path)
    if path.is_dir():
        raise InputError(f"is a folder, not a {_WHAT[kind]}", file=path)
    grid = _load(path, sheet, None)
    rows = [[cell_text(c) for c in row] for row in grid.cells]
    index = find_header(rows, kind)
    if index is None and sheet is None and len(grid.sheets) > 1:
        for other in grid.sheets[1:]:
            candidate = _load(path, other, None)
            candidate_rows = [[cell_text(c) for c in row] for row in candidate.cells]
            found = find_header(candidate_rows, kind)
            if found is not None:
                grid, rows, index = candidate, candidate_rows, found
                grid.notes = [f"sheet: {other}"]
                break
    if index is None:
        raise no_header_error(rows, kind, file=path, sheet=grid.sheet)
    return _records(path, grid, rows, index, kind)


_WHAT = {
    "pct": "PCT application list",
    "madrid": "Madrid application list",
    "transactions": "transfer, licence or pledge list",
    "value_added": "value-added table",
    "pii": "patent-intensive industry mapping",
    "activity": "activity log",
}


def _note(note: str) -> str:
    """The loader's note on a text file's encoding, as the patent reader words it."""
    found = re.match(r"read as (\S+) text", note)
    return f"encoding: {found.group(1)}" if found else note


def _records(path: Path, grid, rows: list[list[str]], index: int, kind: str) -> RecordFile:
    names = _unique_headers(rows[index])
    width = len(names)
    body_rows = [(r + 1, (row + [""] * width)[:width]) for r, row in enumerate(rows) if r > index]
    blank = [r for r, cells in body_rows if not any(c.strip() for c in cells)]
    kept = [(r, cells) for r, cells in body_rows if any(c.strip() for c in cells)]
    body = pd.DataFrame([cells for _, cells in kept], columns=names, dtype=object)
    body = body.assign(raw_row=[r for r, _ in kept]) if kept else body.assign(raw_row=[])
    body["raw_row"] = body["raw_row"].astype("int64")
    where = {"file": path, "sheet": grid.sheet}
    if body.empty:
        raise InputError(f"no data rows below the header (row {index + 1})", **where)
    notes = [_note(n) for n in grid.notes if not n.startswith("read as UTF-8")]
    preamble = [[c for c in row if c.strip()] for row in rows[:index]]
    return RecordFile(
        path=path,
        sheet=grid.sheet,
        kind=kind,
        names=names,
        header_row=index + 1,
        body=body,
        plan=plan_headers(names, kind),
        preamble=[row for row in preamble if row],
        notes=notes,
        blank_rows=len(blank),
    )
