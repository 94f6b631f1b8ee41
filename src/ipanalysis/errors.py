"""Errors that say where, and the bookkeeping that makes sure no input row is lost.

A reader either raises :class:`InputError` (the file as a whole cannot be read: wrong sheet,
missing required column, not a spreadsheet) or returns a :class:`ReadResult`: the rows it kept,
the rows it quarantined with their reasons, and how many rows it read, so that
``rows_read == rows_kept + rows_quarantined`` can be checked for every file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Columns of a quarantine table: file, sheet, row, column, reason and the record as read.
QUARANTINE_COLUMNS = ["raw_file", "sheet", "raw_row", "column", "reason", "record"]


class InputError(ValueError):
    """Bad input, located: file, sheet, row and column, and what was expected.

    >>> str(InputError("expected a date like 2023-05-23, found '2023-13-45'",
    ...                file="a.csv", row=7, column="申请日"))
    "a.csv, row 7, column '申请日': expected a date like 2023-05-23, found '2023-13-45'"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else Path(file).name
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


def quarantine_frame(records: list[dict] | None = None) -> pd.DataFrame:
    """A quarantine table (see :class:`ipanalysis.schemas.QuarantineTable`) from dict records."""
    frame = pd.DataFrame.from_records(records or [], columns=QUARANTINE_COLUMNS)
    return frame.astype({"raw_file": "str", "raw_row": "int64", "reason": "str"})


@dataclass
class ReadResult:
    """What a reader kept, what it quarantined, and how many input rows it read."""

    data: pd.DataFrame
    quarantine: pd.DataFrame = field(default_factory=quarantine_frame)
    rows_read: int = 0
    file: str = ""
    notes: list[str] = field(default_factory=list)

    def _rows(self, frame: pd.DataFrame) -> set:
        return set(frame["raw_row"].tolist()) if "raw_row" in frame and len(frame) else set()

    @property
    def rows_kept(self) -> int:
        """Input rows with at least one value in ``data`` (``data`` carries a ``raw_row`` column)."""
        return len(self._rows(self.data))

    @property
    def rows_quarantined(self) -> int:
        """Input rows none of whose values reached ``data``.

        A kept row may still have quarantine entries for single cells; it counts as kept.
        """
        return len(self._rows(self.quarantine) - self._rows(self.data))

    def reconciliation(self) -> dict[str, object]:
        """One line of the reconciliation report: rows read = kept + quarantined."""
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_quarantined": self.rows_quarantined,
            "reconciles": self.rows_read == self.rows_kept + self.rows_quarantined,
        }
