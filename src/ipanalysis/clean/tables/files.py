"""Loading a file into a grid of cells: .xlsx, .xls and CSV text in any Chinese encoding."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError


@dataclass
class _Formula:
    """A formula cell whose value was never computed (a file written by a program)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class _Grid:
    cells: list[list[object]]  # row-major; "" for a blank cell
    merges: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col), 0-based
    sheet: str | None
    notes: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook


def _kind(path: Path) -> str:
    """What the file is, from its content (not its name); raises on what is no table at all."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        raise InputError("the file is empty (0 bytes)", file=path)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise InputError(
                "the workbook is damaged or truncated (its ZIP container cannot be opened); "
                "save it again from Excel",
                file=path,
            ) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            raise InputError(
                "an OpenDocument file (.ods), which this reader does not read: save it as .xlsx",
                file=path,
            )
        what = (
            "a Word document (.docx)"
            if "word/document.xml" in names
            else "a PowerPoint file (.pptx)"
            if "ppt/presentation.xml" in names
            else "a ZIP archive"
        )
        raise InputError(f"{what}, not a spreadsheet: expected .xlsx, .xls or .csv", file=path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF"):
        raise InputError(
            "a PDF document, not a spreadsheet: expected .xlsx, .xls or .csv", file=path
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
        raise InputError(
            "an HTML or XML page, not a spreadsheet (web systems often save one with an .xls "
            "name): open it in Excel and save it as .xlsx",
            file=path,
        )
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise InputError(
            f"not an Excel workbook despite its {path.suffix} name (the file holds no "
            "spreadsheet structure); if it is a CSV, give it a .csv name",
            file=path,
        )
    return "text"


def _read_xlsx(path: Path, sheet: str | int | None) -> _Grid:
    import openpyxl

    content = path.read_bytes()  # from memory: openpyxl leaves the file open when it fails
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        # a second read keeps the formulas, to tell a formula never computed from a blank
        formulas = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise InputError(
            f"the workbook cannot be read ({type(exc).__name__}); save it again from Excel",
            file=path,
        ) from None
    name = _pick_sheet(path, book.sheetnames, sheet)
    ws, wf = book[name], formulas[name]
    cells = []
    for values, raw in zip(
        ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column),
        wf.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column),
        strict=True,
    ):
        row = []
        for cell, source in zip(values, raw, strict=True):
            value = cell.value
            if value is None and isinstance(source.value, str) and source.value.startswith("="):
                value = _Formula(source.value)
            row.append(value)
        cells.append(row)
    merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells]
    return _Grid(cells, merges, name, sheets=list(book.sheetnames))


def _read_xls(path: Path, sheet: str | int | None) -> _Grid:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=path.read_bytes(), formatting_info=True)
    except Exception as exc:  # xlrd: XLRDError, CompDocError, struct errors on damaged files
        text = str(exc)
        if "Can't find workbook" in text:
            raise InputError(
                "an OLE2 document that holds no workbook (a Word .doc?), not a spreadsheet: "
                "expected .xlsx, .xls or .csv",
                file=path,
            ) from None
        raise InputError(
            f"the .xls workbook cannot be read ({type(exc).__name__}); save it again from Excel",
            file=path,
        ) from None
    name = _pick_sheet(path, book.sheet_names(), sheet)
    ws = book.sheet_by_name(name)
    cells = []
    for r in range(ws.nrows):
        row = []
        for c in range(ws.ncols):
            cell = ws.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                row.append(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(cell.value))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            else:
                row.append(cell.value)
        cells.append(row)
    merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
    return _Grid(cells, merges, name, sheets=list(book.sheet_names()))


def _pick_sheet(path: Path, names: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif str(sheet) in names:
        return str(sheet)
    listed = ", ".join(f"'{n}'" for n in names)
    raise InputError(f"no sheet '{sheet}': the workbook has {listed}", file=path)


def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (BOM or not), UTF-16 with a BOM, else
    GB18030 (a superset of GBK and GB2312), unless ``encoding`` says otherwise."""
    if b"\x00" in raw[:65536] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "binary content (NUL bytes), not a text CSV: expected a CSV in UTF-8 or GBK/GB18030, "
            "or an Excel workbook",
            file=path,
        )
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise InputError(f"unknown encoding '{encoding}'", file=path) from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot be decoded as {encoding} (byte 0x{raw[exc.start]:02x} at position "
                f"{exc.start})",
                file=path,
            ) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not text in UTF-8 or GBK/GB18030 (byte 0x{raw[exc.start]:02x} at position "
            f"{exc.start}); name the encoding with encoding= (--encoding) if it is another one",
            file=path,
        ) from None
    _check_not_garbled(path, text)
    return text, "GB18030"


def _check_not_garbled(path: Path, text: str) -> None:
    """Bytes of another encoding (Big5, Shift-JIS …) mostly decode as GB18030 without error, but
    as rare characters: simplified Chinese text keeps >95 % of its characters within GB2312."""
    chinese = [ch for ch in text if "\u3400" <= ch <= "\u9fff"]
    if len(chinese) < 4:
        return
    rare = [ch for ch in chinese if not _in_gb2312(ch)]
    if len(rare) / len(chinese) > 0.2:
        sample = "".join(dict.fromkeys(rare))[:8]
        raise InputError(
            f"the text looks garbled when read as GBK/GB18030 ({len(rare)} of {len(chinese)} "
            f"Chinese characters are rare ones such as {sample}): the file is in another "
            "encoding; name it with encoding= (--encoding), e.g. big5",
            file=path,
        )


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _read_text(path: Path, encoding: str | None) -> _Grid:
    text, used = _decode(path, path.read_bytes(), encoding)
    # the delimiter that splits the most of the first lines (csv.Sniffer is misled by the
    # commas inside quoted figures such as "1,000" in a tab-separated file)
    sample = text[:8192].splitlines()[:30]
    splits = {d: sum(len(r) > 1 for r in csv.reader(sample, delimiter=d)) for d in ",\t;"}
    delimiter = max(splits, key=lambda d: (splits[d], d == ","))
    rows, reader = [], csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        # strict: an unclosed quote stops here instead of swallowing the rest of the file
        start = (rows and reader.line_num and _record_start(text, len(rows))) or 1
        raise InputError(
            f'not a readable CSV from line {start} on ({exc}): a quote (") opened in a cell there '
            "is not closed, so the lines after it would be read as one cell; close the quote or "
            "remove it, then read the file again",
            file=path,
            row=start,
        ) from None
    cells = [[None if v == "" else v for v in row] for row in rows]
    return _Grid(cells, [], None, [f"read as {used} text, delimiter {delimiter!r}"])


def _record_start(text: str, records: int) -> int:
    """The line on which record number ``records + 1`` starts (quoted line breaks counted)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for _ in range(records):
        next(reader)
        line = reader.line_num + 1
    return line


def _load(path: Path, sheet: str | int | None, encoding: str | None) -> _Grid:
    kind = _kind(path)
    if kind == "text":
        if sheet is not None:
            raise InputError(f"a CSV file has no sheets (asked for sheet '{sheet}')", file=path)
        return _read_text(path, encoding)
    grid = (_read_xlsx if kind == "xlsx" else _read_xls)(path, sheet)
    if sheet is None and len(grid.sheets) > 1:
        others = ", ".join(f"'{n}'" for n in grid.sheets[1:])
        grid.notes.append(f"read the first sheet, '{grid.sheet}'; the workbook also has {others}")
    if path.suffix.lower() not in {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",)}[kind]:
        grid.notes.append(f"the file is an .{kind} workbook despite its {path.suffix!r} name")
    return grid
