"""Reading export files: CSV bytes and their encoding, Excel workbooks, to text cells."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ipanalysis.errors import InputError

from .headers import (
    HEADER_SEARCH_ROWS,
    _find_header,
    _header_score,
    _known_keys,
    _no_header_error,
    _unique_headers,
)


def _encoding(data: bytes, path: Path, whole: bool = True) -> str:
    """The text encoding of a CSV export's first bytes (``whole``: all of them); InputError for
    workbooks and binary data. pyarrow checks the rest as it reads."""
    if data[:4] == b"PK\x03\x04":
        raise InputError(
            "this is an Excel workbook (.xlsx), not a CSV text file: give it an .xlsx name",
            file=path,
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            "this is an Excel workbook (.xls), not a CSV text file: give it an .xls name", file=path
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and _decodes(data, "utf-16"):
        return "utf-16"
    if b"\x00" in data[:65536]:
        raise InputError(
            "not a CSV text file: it holds binary data (expected UTF-8 or GBK text)", file=path
        )
    for encoding in ("utf-8", "gb18030"):
        if _decodes(data, encoding, final=whole):
            return encoding
    raise InputError(
        "not a CSV text file: its bytes are neither UTF-8 nor GBK/GB18030 text", file=path
    )


def _decodes(data: bytes, encoding: str, chunk: int = 1 << 22, final: bool = True) -> bool:
    """Whether all of ``data`` decodes (``final=False``: a character cut at the end is fine)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(data[start : start + chunk])
        decoder.decode(b"", final=final)
    except UnicodeDecodeError:
        return False
    return True


#: Bytes read to find the encoding, the delimiter and the header row of a CSV export.
HEAD_BYTES = 1 << 20
#: Bytes pyarrow parses at a time: the file is never held whole, only one block of text and the
#: columns read, dictionary-encoded (each distinct value once, a number per row).
BLOCK_BYTES = 1 << 22


@dataclass
class Export:
    """An export opened for reading: its header and a way to stream its rows.

    ``names`` are the header cells as text (blank ones named by position, repeats marked);
    ``header_row`` is the header's row as a spreadsheet program shows it (title rows counted).
    :meth:`cells` gives the requested columns of every row below the header as text (``""``
    for a blank cell; categorical for a CSV file: its distinct values once, a code per row)
    with ``raw_row``; ``truncated`` then lists rows cut short at the end of a CSV file.
    """

    path: Path
    names: list[str]
    header_row: int
    sheet: str | None
    notes: list[str]
    read: Callable[[list[str]], pd.DataFrame]
    truncated: list[tuple[int, int, str]] = field(default_factory=list)

    def cells(self, columns: list[str]) -> pd.DataFrame:
        return self.read(columns)


def open_export(path: Path, sheet: str | None) -> Export:
    """Open a .csv, .xlsx or .xls export: find its header (see :func:`read_patent_export`)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        header, body, header_row, sheet_name, notes = _read_excel(path, sheet)
        names = _unique_headers(header)
        body = body.iloc[:, : len(names)].set_axis(names[: body.shape[1]], axis=1)

        def read(columns: list[str]) -> pd.DataFrame:
            rows = np.arange(header_row + 1, header_row + 1 + len(body))
            return body.reindex(columns=columns, fill_value="").assign(raw_row=rows)

        return Export(path, names, header_row, sheet_name, notes, read)
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise InputError(f"a CSV file has no sheets (asked for sheet '{sheet}')", file=path)
        return _open_csv(path)
    raise InputError(
        f"expected a .csv, .xlsx or .xls file, found {suffix or 'no suffix'!r}", file=path
    )


def _open_csv(path: Path) -> Export:
    """The header of a CSV export and a reader streaming its rows in blocks (pyarrow)."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.removeprefix(b"\xef\xbb\xbf").strip() and path.stat().st_size <= len(head):
        raise InputError("the file is empty", file=path)
    encoding = _encoding(head, path, whole=len(head) < HEAD_BYTES)
    notes = [] if encoding == "utf-8" else [f"encoding: {encoding}"]
    source: Path | bytes = path
    if encoding == "utf-16":  # rare (Excel's "Unicode text"): re-encoded to UTF-8 in memory
        source = path.read_bytes().decode("utf-16").encode("utf-8")
        head, encoding = source[:HEAD_BYTES], "utf-8"
    lines = head.removeprefix(b"\xef\xbb\xbf").decode(encoding, errors="replace")
    lines = lines.splitlines()[:HEADER_SEARCH_ROWS]
    if not "".join(lines).strip():
        raise InputError("the file is empty", file=path)
    index, delimiter = _csv_header(lines, path)
    header = list(csv.reader(lines[index : index + 1], delimiter=delimiter))[0]
    names = _unique_headers(header)
    export = Export(path, names, index + 1, None, notes, lambda columns: pd.DataFrame())
    export.read = lambda columns: _read_csv(export, source, encoding, delimiter, columns)
    return export


def _csv_header(lines: list[str], path: Path) -> tuple[int, str]:
    """(index of the header line, delimiter): the delimiter whose header knows most columns."""
    best: tuple[int, int, str] | None = None  # (score, header index, delimiter)
    for delimiter in (",", "\t", ";"):
        rows = list(csv.reader(lines, delimiter=delimiter))
        index = _find_header(rows)
        if index is not None:
            score = _header_score(rows[index], _known_keys())[0]
            if best is None or score > best[0]:
                best = (score, index, delimiter)
    if best is None:
        raise _no_header_error(list(csv.reader(lines)), path, None)
    return best[1], best[2]


def _read_csv(
    export: Export, source: Path | bytes, encoding: str, delimiter: str, columns: list[str]
) -> pd.DataFrame:
    """The rows below the header, only ``columns``, as categorical text, with ``raw_row``.

    pyarrow parses the file in blocks and keeps of each only the requested columns,
    dictionary-encoded; the blocks' dictionaries are then unified, so that a column is its
    distinct values once and a code per row (exports repeat most values: little memory, and
    the cleaning steps work once per distinct value). Blank lines are kept as empty rows so
    that row numbers stay those of the file; a row whose number of fields differs from the
    header's is set aside (``export.truncated`` when it is the last one: a file cut short) or
    is an error naming its row.
    """
    invalid: list[tuple[int, int, str]] = []

    def set_aside(row) -> str:
        invalid.append((row.expected_columns, row.actual_columns, row.text))
        return "skip"

    stream = pa.BufferReader(source) if isinstance(source, bytes) else pa.OSFile(str(source))
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                skip_rows=export.header_row,
                column_names=export.names,
                encoding="utf8" if encoding == "utf-8" else encoding,
                block_size=BLOCK_BYTES,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=set_aside,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: text for c in columns},
                include_columns=columns,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        batches = list(reader)
    except pa.ArrowInvalid as error:
        if "Empty CSV file" not in str(error):
            raise _parse_error(export, error) from None
        batches = []
    except UnicodeDecodeError:
        raise InputError(
            "not a CSV text file: its bytes are neither UTF-8 nor GBK/GB18030 text",
            file=export.path,
        ) from None
    finally:
        stream.close()
    schema = pa.schema([(c, text) for c in columns])
    table = pa.Table.from_batches(batches, schema=schema).unify_dictionaries().combine_chunks()
    del batches
    for i, column in enumerate(table.columns):
        if sum(len(chunk.dictionary) for chunk in column.chunks) > table.num_rows // 2:
            # nearly every value distinct (application numbers): plain text is leaner
            table = table.set_column(i, table.field(i).name, column.cast(pa.string()))
    first = export.header_row + 1
    _check_invalid(export, invalid, first + table.num_rows, len(export.names))
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    return frame.assign(raw_row=np.arange(first, first + len(frame)))


def _check_invalid(export: Export, invalid: list, next_row: int, width: int) -> None:
    """A last row cut short is set aside for the quarantine; any other bad row is an error."""
    if not invalid:
        return
    last = _last_record(export.path)
    short = invalid[0][1] < invalid[0][0]
    if len(invalid) == 1 and short and invalid[0][2].strip() == last.strip():
        export.truncated.append((next_row, invalid[0][1], invalid[0][2]))
        return
    row, fields = _first_ragged(export, width)
    raise InputError(f"{fields} fields where the header has {width}", file=export.path, row=row)


def _last_record(path: Path) -> str:
    """The last non-blank line of a file (decoded loosely), to tell a file cut short."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 65536))
        tail = handle.read()
    for encoding in ("utf-8", "gb18030"):
        try:
            lines = tail.decode(encoding).splitlines()
            break
        except UnicodeDecodeError:
            continue
    else:
        lines = tail.decode("utf-8", errors="replace").splitlines()
    return next((line for line in reversed(lines) if line.strip()), "")


def _first_ragged(export: Export, width: int) -> tuple[int, int]:
    """(row, fields) of the first record whose number of fields is not the header's (slow:
    run only to word an error)."""
    encoding = "utf-8"
    with export.path.open("rb") as handle:
        try:
            handle.read().decode("utf-8")
        except UnicodeDecodeError:
            encoding = "gb18030"
    with export.path.open(encoding=encoding, errors="replace", newline="") as handle:
        text = handle.read().removeprefix("\ufeff")
    delimiter = max(",\t;", key=lambda d: text[:4096].count(d))
    for number, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        if number > export.header_row and record and len(record) != width:
            return number, len(record)
    return export.header_row + 1, 0


def _parse_error(export: Export, error: Exception) -> InputError:
    found = re.search(r"Expected (\d+) columns, got (\d+)", str(error))
    if found:
        row, fields = _first_ragged(export, len(export.names))
        return InputError(
            f"{fields} fields where the header has {len(export.names)}", file=export.path, row=row
        )
    if "invalid UTF8" in str(error) or "UTF-8" in str(error):
        return InputError(
            "not a CSV text file: its bytes are neither UTF-8 nor GBK/GB18030 text",
            file=export.path,
        )
    return InputError(f"cannot read the rows below the header: {error}", file=export.path)


def _excel_text(grid: pd.DataFrame) -> pd.DataFrame:
    """Excel cells as text: integral numbers without ``.0``, dates without a midnight time."""
    out = {}
    for column in grid.columns:
        values = grid[column]
        text = values.astype("object").where(values.notna(), None).astype("str")
        text = text.str.replace(r"^(-?[0-9]+)\.0+$", r"\1", regex=True)
        out[column] = text.str.replace(
            r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) 00:00:00$", r"\1", regex=True
        )
    return pd.DataFrame(out, index=grid.index).fillna("")


def _read_excel(path: Path, sheet: str | None) -> tuple[list[object], pd.DataFrame, int, str, list]:
    """(header cells, data rows as text, header row number, sheet name, notes) of a workbook."""
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception:  # calamine, zipfile and OLE errors all mean "not readable"
        raise InputError(
            "not a readable Excel workbook: the file is damaged, truncated or not a spreadsheet",
            file=path,
        ) from None
    with book:
        return _read_book(book, path, sheet)


def _read_book(
    book: pd.ExcelFile, path: Path, sheet: str | None
) -> tuple[list[object], pd.DataFrame, int, str, list]:
    names = [str(n) for n in book.sheet_names]
    if sheet is not None and sheet not in names:
        raise InputError(
            f"no sheet named '{sheet}': the workbook has {', '.join(repr(n) for n in names)}",
            file=path,
        )
    candidates = [sheet] if sheet is not None else names
    first_grid = None
    for name in candidates:
        try:
            grid = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
        except Exception:
            raise InputError(
                "cannot read the sheet: the workbook is damaged or truncated",
                file=path,
                sheet=name,
            ) from None
        rows = grid.head(HEADER_SEARCH_ROWS).astype("object").values.tolist()
        index = _find_header(rows)
        if first_grid is None:
            first_grid = (name, rows)
        if index is None:
            continue
        text = _excel_text(grid)
        header = [c if isinstance(c, str) else ("" if pd.isna(c) else str(c)) for c in rows[index]]
        body = text.iloc[index + 1 :].reset_index(drop=True)
        notes = [] if sheet is not None or name == names[0] else [f"sheet: {name}"]
        return header, body, index + 1, name, notes
    if first_grid is None:
        raise InputError("the workbook has no sheets", file=path)
    if sheet is None and len(names) > 1:
        raise InputError(
            f"no sheet has a header row with 申请号, 申请日 … in its first {HEADER_SEARCH_ROWS} "
            f"rows: the workbook has {', '.join(repr(n) for n in names)}",
            file=path,
        )
    raise _no_header_error(first_grid[1], path, first_grid[0])
