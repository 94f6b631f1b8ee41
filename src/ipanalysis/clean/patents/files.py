"""Reading export files: CSV bytes and their encoding, Excel workbooks, to text cells."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pandas as pd

from ipanalysis.errors import InputError

from .headers import HEADER_SEARCH_ROWS, _find_header, _header_score, _known_keys, _no_header_error


def _encoding(data: bytes, path: Path) -> str:
    """The text encoding of a CSV export's bytes; InputError for workbooks and binary data."""
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
        if _decodes(data, encoding):
            return encoding
    raise InputError(
        "not a CSV text file: its bytes are neither UTF-8 nor GBK/GB18030 text", file=path
    )


def _decodes(data: bytes, encoding: str, chunk: int = 1 << 22) -> bool:
    """Whether all of ``data`` decodes, checked in chunks (no copy of a large file as text)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(data[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(path: Path) -> tuple[list[object], pd.DataFrame, int, list[str]]:
    """(header cells, data rows as text, header row number, notes) of a CSV export."""
    data = path.read_bytes()
    if not data[:65536].removeprefix(b"\xef\xbb\xbf").strip() and not data[65536:].strip():
        raise InputError("the file is empty", file=path)
    encoding = _encoding(data, path)
    if encoding == "utf-16":
        # rare (Excel's "Unicode text"): re-encode so the parser below sees UTF-8
        data, encoding = data.decode("utf-16").encode("utf-8"), "utf-8"
        notes = ["encoding: utf-16"]
    else:
        notes = [] if encoding == "utf-8" else [f"encoding: {encoding}"]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[: 1 << 20].decode(encoding, errors="replace").splitlines()[:HEADER_SEARCH_ROWS]
    if not "".join(head).strip():
        raise InputError("the file is empty", file=path)
    best: tuple[int, int, str] | None = None  # (score, header index, delimiter)
    for delimiter in (",", "\t", ";"):
        rows = list(csv.reader(head, delimiter=delimiter))
        index = _find_header(rows)
        if index is not None:
            score = _header_score(rows[index], _known_keys())[0]
            if best is None or score > best[0]:
                best = (score, index, delimiter)
    if best is None:
        raise _no_header_error(list(csv.reader(head)), path, None)
    _, index, delimiter = best
    # records (not lines) up to the header: csv counts the lines a quoted new line spans
    reader = csv.reader(iter(head), delimiter=delimiter)
    for _ in range(index):
        next(reader)
    header = next(reader)
    offset = 0
    for _ in range(reader.line_num):
        end = data.find(b"\n", offset)
        offset = len(data) if end < 0 else end + 1
    width = len(header)
    try:
        rows = pd.read_csv(
            io.BytesIO(data[offset:]),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding=encoding,
        )
    except pd.errors.EmptyDataError:
        rows = pd.DataFrame(columns=range(width), dtype="str")
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if found:
            raise InputError(
                f"{found.group(3)} fields where the header has {width}",
                file=path,
                row=index + 1 + int(found.group(2)),
            ) from None
        raise InputError(f"cannot read the rows below the header: {error}", file=path) from None
    except (ValueError, csv.Error) as error:  # e.g. an unterminated quote
        raise InputError(f"cannot read the rows below the header: {error}", file=path) from None
    return header, rows.fillna(""), index + 1, notes


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
