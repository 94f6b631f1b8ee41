"""Read a Chinese statistical release (.xlsx, .xls or .csv) into one tidy long table.

:func:`read_table` needs no per-file code. It finds, in this order:

1. **The region column**: the column holding the most names that :mod:`ipanalysis.regions`
   resolves (松江区, 浦东, 上海市, 310117 …); leftmost on a tie. A file with none is an error.
2. **The first data row**: the first row whose region cell is a known region or a totals label
   with anything beside it, or another label (not a header word such as 地区) with a figure
   beside it that is not just a year.
3. **Above it**: title rows (one cell in the first column, before any header row; a period such
   as 2023年 and a unit such as （单位：万元） are read from them), unit rows (单位：件) and the
   header rows. Merged header cells are spread over their range; in a file without merges (a CSV)
   a blank upper header cell over a filled lower one takes its left neighbour's text, within the
   same parent. The header texts of a column, top to bottom, give its *measure path*
   (专利授权量/发明); a year among them (2023年, 2023) is the column's period, and a unit in
   brackets (年末常住人口(万人), （亿元）) is its unit.
4. **Below it**: data rows; totals rows (全市, 合计, 总计, 全国, 全市合计 …, or the region that
   is the parent of all the others, e.g. 上海市 above the districts), flagged ``is_total``;
   footnotes (注：…, 资料来源：…, 说明…, and the lines that follow them), recorded in ``notes``;
   labels with no figures beside them (中心城区) are section headings, also noted; "of which"
   rows (其中：浦东新区) are read as the region they name.
5. **Columns not read**, each said in ``notes``: row labels (序号, 代码 …), a second column of
   region names or codes, columns of text only, and figures without any header.

Each value cell becomes one row of the tidy table (see :class:`ipanalysis.schemas.ReleaseTable`):
``region`` (the reference name), ``region_code``, ``region_label`` (as written), ``is_total``,
``period``, ``measure``, ``value``, ``unit``, ``raw_value`` (the cell as written) and the
provenance ``source_file``, ``sheet``, ``cell`` ('C7') and ``raw_row`` (the row number Excel
shows; for a CSV, the record number, which is what Excel shows when it opens the file).

Decisions
---------
Missing cells
    Blank cells and missing markers (—, -, …, /, 空白; see
    :data:`ipanalysis.clean.text.MISSING_MARKERS`) are *kept* with ``value`` NaN (never 0) and
    their marker in ``raw_value``, so that a missing figure stays visible; they are counted in
    :attr:`TableResult.missing_cells` and in ``notes``. Sum with care: ``data.value.sum()``
    skips them.
Numbers
    Full-width digits and punctuation, thousands separators, numbers stored as text and a unit
    written after the number (``1.2亿元``) are read. A cell that is not a number (``abc``, an Excel
    error such as ``#DIV/0!``, a date, a formula without a computed value) is quarantined with
    file, sheet, row, column and reason; so is a negative value in a counting unit (件, 项, 人 …).
Errors versus quarantine
    The reader raises :class:`~ipanalysis.quarantine.InputError` when the file as a whole cannot
    be read faithfully: missing, empty, not a spreadsheet, damaged, garbled text, a wrong sheet,
    no region column, no header, no period, **an unknown region name** (the issue asks for an
    error naming file and row, not a drop), a region listed twice for one period, or one column
    mixing units. Single bad cells are quarantined; a data row none of whose cells could be read
    is quarantined as a whole, so ``rows_read == rows_kept + rows_quarantined`` always holds.
Periods
    A year in a column's header wins; else ``period``; else the one period the title names
    (2023年, 2023年度 and 2023年末 are ``'2023'``; 2023年1-6月 and 2023年上半年 are kept as
    written); else a column headed 年份/年度 gives each row its own. A title naming several
    years, and no other source, is an error.
Totals
    Where the file states a total, the regions' values are added up per measure and period and
    compared with it, in the units as written (before any conversion):
    :attr:`TableResult.totals_check` has one row per stated total with ``status`` ``ok`` (within
    the tolerance), ``differs``, ``incomplete`` (differs, and some regions' figures are
    missing) or ``not_additive`` (a ratio, share, growth rate or rank, told by its unit —
    件/万人, % — or its name — 率, 占比, 增长, 每万 …: not summed); every ``differs`` and
    ``incomplete`` is also written to ``notes``. The default tolerance
    allows for rounding: half a unit of the last decimal shown, for each region and for the
    total. Pass ``tolerance`` (in the column's unit) to choose another. The ``region_code`` of a
    totals row is the regions' common parent (310000 for 全市 above the districts), if any.
Units and scaling
    A unit in a column's header wins over a unit row or the title; a unit written in the cells
    (``1.2亿元``) must agree with it. ``to_unit="亿元"`` converts
    every value whose unit converts to it (元/万元/亿元, 人/万人, 件/万件, 件/万人 …; see
    :func:`ipanalysis.clean.text.unit_factor`); ``scale={"万元": ("亿元", 1e-4)}`` states
    conversions explicitly (and wins over ``to_unit``). Converted values are rounded to 12
    significant digits (float noise); ``raw_value`` keeps the figure as written.
Historical regions
    Regions are kept as written (卢湾区 stays 310103) unless ``follow_successor=True``; ``notes``
    say when and into what each historical unit changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ..quarantine import InputError, ReadResult, quarantine_frame
from ..regions import load_regions, region_changes, resolve_regions, try_resolve_regions
from .text import (
    MISSING_MARKERS,
    is_count_unit,
    is_missing,
    normalise_text,
    parse_numbers,
    split_number_unit,
    split_unit,
    unit_factor,
)

TIDY_COLUMNS = [
    "region",
    "region_code",
    "region_label",
    "is_total",
    "period",
    "measure",
    "value",
    "unit",
    "raw_value",
    "source_file",
    "sheet",
    "cell",
    "raw_row",
]
TOTALS_CHECK_COLUMNS = [
    "period",
    "measure",
    "unit",
    "total_label",
    "total_cell",
    "total",
    "regions_sum",
    "regions",
    "regions_missing",
    "difference",
    "tolerance",
    "status",
]

#: Labels of a totals row (compared without spaces): 全市, 合计, 全市合计, 总计, 全国 …
TOTAL_LABEL = re.compile(
    r"(?:全市|全区|全省|全国|本市|全部)(?:合计|总计|共计)?|.{0,6}(?:合计|总计|共计)"
)
#: First words of a footnote row.
FOOTNOTE = re.compile(r"^(?:注|附注|说明|备注|资料来源|数据来源|来源|[*※]|[①②③④⑤⑥⑦⑧⑨]|\d+[.、])")
#: Header words of a region column (so that a header row is never taken for data).
_REGION_HEADERS = {"地区", "区域", "区", "区名", "区县", "各区", "省份", "省区市", "省市", "地市"}
_REGION_HEADERS |= {"城市", "行政区", "行政区划", "单位", "名称", "项目", "指标", "指标名称"}
#: Headers of columns that label rows rather than hold figures.
_LABEL_HEADERS = {"序号", "编号", "行次", "代码", "区划代码", "行政区划代码", "地区代码", "备注"}
#: Headers of a column holding each row's period.
_PERIOD_HEADERS = {"年份", "年度", "年", "时间", "统计年度", "期间", "时期", "period", "year"}
_PERIOD = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*(?:年(?:度)?)?"
    r"(?P<sub>\d{1,2}\s*[-~～至到—–]\s*\d{1,2}\s*月|\d{1,2}\s*月(?:份)?|[上下]半年"
    r"|第?[一二三四1-4]\s*季度|[末底])?"
)
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-~～至到—–]\s*((?:19|20)\d{2})\s*年")
#: Measures whose regional figures do not add up to the total (ratios, shares, growth, ranks).
_NOT_ADDITIVE = re.compile(
    r"率|比重|占比|比例|增长|增速|增幅|平均|人均|每万|每千|密度|指数|排名|位次"
)
_OF_WHICH = re.compile(r"^(?:其中|内|#)\s*[:：]?\s*")
_YEARLIKE = re.compile(r"^(?:19|20)\d{2}(?:\.0+)?$")


@dataclass
class TableResult(ReadResult):
    """What :func:`read_table` found: the tidy table (``data``) and the bookkeeping around it.

    ``data`` holds regions and totals rows (``is_total``); :attr:`regions` and :attr:`totals`
    split them. ``notes`` lists, in plain words, the title, units, footnotes, columns not read,
    missing cells, totals differences and conversions.
    """

    sheet: str | None = None
    title: str | None = None
    totals_check: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=TOTALS_CHECK_COLUMNS)
    )
    missing_cells: int = 0

    @property
    def regions(self) -> pd.DataFrame:
        """The rows of ``data`` that are regions (not totals)."""
        return self.data[~self.data["is_total"]]

    @property
    def totals(self) -> pd.DataFrame:
        """The rows of ``data`` that the file states as totals."""
        return self.data[self.data["is_total"]]


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


# --- loading: bytes to a grid of cells -----------------------------------------------------------


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
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"not a readable CSV ({exc})", file=path) from None
    cells = [[None if v == "" else v for v in row] for row in rows]
    return _Grid(cells, [], None, [f"read as {used} text, delimiter {delimiter!r}"])


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


# --- cells ----------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    """A normalised cell: blank as '', integral floats as ints (Excel stores 2023 as 2023.0)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _header_text(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _Formula):
        return value.text
    return "" if value == "" else str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _figures(values: pd.Series) -> pd.Series:
    """True where a cell is a figure: a number, a number written as text (with or without a
    unit), or a missing marker other than a blank."""
    number = values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    text = values.where(values.map(lambda v: isinstance(v, str) and v != ""))
    parsed = parse_numbers(split_number_unit(text)["number"], errors="coerce").notna()
    return number | parsed | text.isin(MISSING_MARKERS - {""})


def _is_total_label(label: object) -> bool:
    return isinstance(label, str) and bool(TOTAL_LABEL.fullmatch(re.sub(r"\s", "", label)))


def _strip_of_which(label: object) -> object:
    return _OF_WHICH.sub("", label) if isinstance(label, str) else label


def _period_of(text: str) -> str | None:
    """'2023' for 2023 / 2023年 / 2023年度 / 2023年末; '2023年1-6月' kept as written."""
    match = _PERIOD.fullmatch(text.strip())
    if not match:
        return None
    sub = match["sub"]
    return match["year"] if not sub or sub in "末底" else f"{match['year']}年{sub}"


def _periods_in(text: str) -> list[str]:
    """The distinct periods a title names (2023年, 2023年1-6月); bare numbers are not years."""
    ranges = [m.group(1, 2) for m in _YEAR_RANGE.finditer(text)]  # 2019-2023年: several years
    found = (m for m in _PERIOD.finditer(_YEAR_RANGE.sub("", text)) if "年" in m.group(0))
    years = [year for pair in ranges for year in pair]
    return list(dict.fromkeys([*years, *(_period_of(m.group(0)) or m["year"] for m in found)]))


# --- the reader -------------------------------------------------------------------------------


def read_table(
    path: str | Path,
    sheet: str | int | None = None,
    *,
    period: str | int | None = None,
    to_unit: str | None = None,
    scale: Mapping[str, tuple[str, float]] | None = None,
    tolerance: float | None = None,
    encoding: str | None = None,
    follow_successor: bool = False,
    measure: str | None = None,
) -> TableResult:
    """Read one statistical release into a tidy long table; see the module docstring.

    Parameters
    ----------
    path
        An .xlsx, .xls or .csv file (the content decides, not the name: an .xls that is
        really an .xlsx is read, with a note).
    sheet
        Sheet name or 0-based position; default the first sheet.
    period
        The period of every value, when the file states none (or to override the title's);
        a period in a column header still wins for that column.
    to_unit, scale
        Convert values: ``to_unit="亿元"`` converts every unit that converts to 亿元;
        ``scale={"万元": ("亿元", 1e-4)}`` gives the factor explicitly.
    tolerance
        Largest difference between a stated total and the sum of the regions that is still
        rounding (in the column's unit); default: half a unit of the last decimal shown, per
        region and for the total.
    encoding
        Of a CSV; default UTF-8 (with or without BOM), UTF-16 with BOM, else GBK/GB18030.
    follow_successor
        Map historical regions (闸北区) to their successors (静安区).
    measure
        The measure name when the headers give none (only years); default: from the title.

    Returns
    -------
    TableResult
        ``data`` (see :class:`ipanalysis.schemas.ReleaseTable`), ``quarantine``, ``rows_read``,
        ``notes``, ``totals_check``, ``missing_cells``, ``sheet``, ``title``.

    Raises
    ------
    InputError
        Naming file, sheet, row and column, when the file as a whole cannot be read faithfully.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "pop.csv").write_text(
    ...     "2024年各区常住人口\\n地区,常住人口(万人)\\n全市,\\"2,480.26\\"\\n松江区,１９５．８９\\n"
    ...     "青浦区,—\\n注：青浦区数据暂缺。\\n", encoding="gb18030")
    >>> result = read_table(folder / "pop.csv")
    >>> result.data[["region", "region_code", "is_total", "period", "measure", "value", "unit",
    ...              "cell"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['全市', '310000', True, '2024', '常住人口', 2480.26, '万人', 'B3'],
     ['松江区', '310117', False, '2024', '常住人口', 195.89, '万人', 'B4'],
     ['青浦区', '310118', False, '2024', '常住人口', nan, '万人', 'B5']]
    >>> result.totals_check[["total", "regions_sum", "regions_missing", "status"]].values.tolist()
    [[2480.26, 195.89, 1, 'incomplete']]
    >>> result.reconciliation()["reconciles"], result.missing_cells
    (True, 1)
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.is_dir():
        raise InputError("a folder, not a file", file=path)
    grid = _load(path, sheet, encoding)
    return _tidy(
        grid,
        path,
        period=None if period is None else str(period),
        to_unit=to_unit,
        scale=dict(scale or {}),
        tolerance=tolerance,
        follow_successor=follow_successor,
        measure=measure,
    )


class _Sheet:
    """The cells of one sheet, normalised, with what each held as written; raises located
    errors. Positions are 0-based here and 1-based (as Excel shows them) in messages."""

    def __init__(self, grid: _Grid, path: Path) -> None:
        self.file, self.sheet, self.merges = path.name, grid.sheet, grid.merges
        width = max((len(row) for row in grid.cells), default=0)
        raw = [list(row) + [None] * (width - len(row)) for row in grid.cells]
        flat = pd.Series([v for row in raw for v in row], dtype=object)
        # one pass over all cells (not one call per cell): text cleaned, blanks as ''
        clean = normalise_text(flat).map(_plain)
        figure = _figures(clean)
        cells = [clean.iloc[r * width : (r + 1) * width].tolist() for r in range(len(raw))]
        figures = [figure.iloc[r * width : (r + 1) * width].tolist() for r in range(len(raw))]
        while cells and all(v == "" for v in cells[-1]):
            cells.pop()
        used = [c for c in range(width) if any(row[c] != "" for row in cells)]
        if not used:
            raise self.error(
                "the sheet is empty" if self.sheet is not None else "the file is empty"
            )
        self.width = used[-1] + 1
        self.first_col = used[0]
        self.cells = [row[: self.width] for row in cells]
        self.figure = [row[: self.width] for row in figures[: len(cells)]]
        self.raw = [row[: self.width] for row in raw[: len(cells)]]

    def error(self, message: str, row: int | None = None, column: str | None = None) -> InputError:
        return InputError(message, file=self.file, sheet=self.sheet, row=row, column=column)

    def as_written(self, r: int, c: int) -> str:
        """The cell's text as the file has it (numbers as Excel shows them, without format)."""
        value = self.raw[r][c]
        if isinstance(value, str):
            return value.strip()
        return _header_text(self.cells[r][c])

    def filled(self, r: int) -> list[tuple[int, object]]:
        return [(c, v) for c, v in enumerate(self.cells[r]) if v != ""]


@dataclass
class _Layout:
    region_col: int
    region_header: str
    header_rows: list[int]
    data_rows: list[int]
    title: str | None
    table_unit: str | None
    paths: list[list[str]]
    resolves: pd.Series  # per sheet row: the region column's cell resolves as a region


@dataclass
class _Column:
    index: int
    letter: str
    measure: str
    unit: str | None
    period: str | None


def _tidy(
    grid: _Grid,
    path: Path,
    *,
    period: str | None,
    to_unit: str | None,
    scale: dict,
    tolerance: float | None,
    follow_successor: bool,
    measure: str | None,
) -> TableResult:
    sheet = _Sheet(grid, path)
    notes = list(grid.notes)
    layout = _layout(sheet, notes)
    columns, period_col = _columns(sheet, layout, notes)
    _fill_periods_and_measures(sheet, layout, columns, period, measure, period_col)
    rows = _rows(sheet, layout, period_col, follow_successor, notes)
    long, quarantined = _values(sheet, layout, rows, columns)
    totals_check = _check_totals(long, tolerance)
    notes += _totals_notes(totals_check)
    long = _convert(sheet, long, to_unit, scale, notes)
    missing_cells = int(long["missing"].sum())
    if missing_cells:
        markers = sorted({m or "blank" for m in long.loc[long["missing"], "raw_value"]})
        notes.append(
            f"{missing_cells} cell(s) missing ({', '.join(markers)}): kept with an empty value, "
            "never 0"
        )
    data = pd.DataFrame(
        {
            "region": long["row"].map(rows.names),
            "region_code": long["row"].map(rows.codes),
            "region_label": long["row"].map(rows.labels),
            "is_total": long["row"].map(rows.is_total).astype(bool),
            "period": long["period"],
            "measure": long["measure"],
            "value": long["value"].astype(float),
            "unit": long["unit"],
            "raw_value": long["raw_value"],
            "source_file": sheet.file,
            "sheet": sheet.sheet,
            "cell": long["cell"],
            "raw_row": long["row"].astype(int) + 1,
        },
        columns=TIDY_COLUMNS,
    ).reset_index(drop=True)
    return TableResult(
        data=_validate(sheet, data),
        quarantine=quarantine_frame(quarantined),
        rows_read=len(layout.data_rows),
        file=sheet.file,
        notes=notes,
        sheet=sheet.sheet,
        title=layout.title,
        totals_check=totals_check,
        missing_cells=missing_cells,
    )


def _layout(sheet: _Sheet, notes: list[str]) -> _Layout:
    """Where the region column, the title, the unit, the headers and the data rows are."""
    region_col = _region_column(sheet)
    labels = pd.Series([row[region_col] for row in sheet.cells], dtype=object)
    resolves = try_resolve_regions(
        labels.map(lambda v: _strip_of_which(v) if isinstance(v, str) else str(v))
    ).notna()
    body_start = _first_data_row(sheet, region_col, resolves)
    if body_start is None:
        raise sheet.error(
            "no data row: no row holds a region name with a figure beside it",
            column=_column_letter(region_col),
        )
    titles: list[str] = []
    table_unit: str | None = None
    header_rows: list[int] = []
    for r in range(body_start):
        filled = sheet.filled(r)
        if not filled:
            continue
        texts = [_header_text(v) for _, v in filled]
        units = [split_unit(t) for t in texts]
        unit_cells = [u for label, u in units if u and not label]
        if unit_cells and len(filled) <= 2:  # 单位：件, perhaps beside the title or a date
            table_unit = unit_cells[0]
            beside = [label for label, _ in units if label]
            if titles or header_rows:  # a date (2024年3月) must not be taken for the period
                notes += [f"row {r + 1}: {text}" for text in beside]
            else:
                titles += beside
            continue
        if not header_rows and len(filled) == 1 and filled[0][0] == sheet.first_col:
            label, unit = units[0]
            titles.append(label)
            table_unit = unit or table_unit
            continue
        header_rows.append(r)
    if not header_rows:
        raise sheet.error(
            f"no header row above the first data row (row {body_start + 1}): expected the "
            "names of the measures above the figures"
        )
    title = " ".join(titles) or None
    if title:
        notes.append(f"title: {title}")
    if table_unit:
        notes.append(f"unit stated for the table: {table_unit}")
    paths = _header_paths(sheet, header_rows, region_col)
    data_rows = _data_rows(sheet, range(body_start, len(sheet.cells)), region_col, resolves, notes)
    if not data_rows:
        raise sheet.error("no data row below the header")
    return _Layout(
        region_col=region_col,
        region_header="/".join(paths[region_col]) or _column_letter(region_col),
        header_rows=header_rows,
        data_rows=data_rows,
        title=title,
        table_unit=table_unit,
        paths=paths,
        resolves=resolves,
    )


def _region_column(sheet: _Sheet) -> int:
    """The column holding the most region names; leftmost on a tie."""
    counts = []
    for c in range(sheet.width):
        column = pd.Series([row[c] for row in sheet.cells], dtype=object)
        # names, and codes stored as numbers (310117); other numbers are figures, not regions
        column = column[column.map(lambda v: (isinstance(v, str) and v != "") or _code_like(v))]
        found = try_resolve_regions(column.map(str)).notna().sum() if len(column) else 0
        counts.append(int(found))
    if max(counts) == 0:
        firsts = [
            next((row[c] for row in sheet.cells if row[c] != ""), "") for c in range(sheet.width)
        ]
        shown = ", ".join(
            f"{_column_letter(c)} '{_header_text(v)}'" for c, v in enumerate(firsts[:6]) if v != ""
        )
        raise sheet.error(
            "no region column: no column holds region names such as 松江区, 上海市 or 310117 "
            f"(first cells: {shown})"
        )
    return counts.index(max(counts))


def _code_like(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 100000 <= value <= 999999


def _first_data_row(sheet: _Sheet, region_col: int, resolves: pd.Series) -> int | None:
    for r, row in enumerate(sheet.cells):
        label = row[region_col]
        if label == "" or (isinstance(label, str) and re.sub(r"\s", "", label) in _REGION_HEADERS):
            continue
        others = [(c, v) for c, v in enumerate(row) if c != region_col and v != ""]
        if not others:
            continue
        if resolves[r] or _is_total_label(label):
            return r  # a known region with anything beside it, figures or not (abc, a date)
        figures = [v for c, v in others if sheet.figure[r][c]]
        # a row of years under a header word we do not know (区名 | 2022 | 2023) is a header
        years_only = len(figures) == len(others) and all(_YEARLIKE.match(str(v)) for v in figures)
        if figures and not years_only:
            return r
    return None


def _header_paths(sheet: _Sheet, header_rows: list[int], region_col: int) -> list[list[str]]:
    """Each column's header texts, top to bottom, merged cells spread over their range."""
    grid = {r: [_header_text(v) for v in sheet.cells[r]] for r in header_rows}
    merged_in_header = False
    for r0, c0, r1, c1 in sheet.merges:
        if r0 not in grid or c0 >= sheet.width:
            continue
        merged_in_header = True
        for r in range(r0, r1 + 1):
            if r in grid:
                for c in range(c0, min(c1, sheet.width - 1) + 1):
                    grid[r][c] = grid[r0][c0]
    if not merged_in_header:
        # a CSV, or a sheet laid out without merges: a blank group cell above a filled lower
        # cell belongs to the group on its left, within the same parent group
        for i, r in enumerate(header_rows[:-1]):
            below = header_rows[i + 1 :]
            above = header_rows[i - 1] if i else None
            for c in range(1, sheet.width):
                if (
                    grid[r][c] == ""
                    and region_col not in (c, c - 1)
                    and grid[r][c - 1] != ""
                    and any(grid[b][c] != "" for b in below)
                    and (above is None or grid[above][c] == grid[above][c - 1])
                ):
                    grid[r][c] = grid[r][c - 1]
    paths = []
    for c in range(sheet.width):
        path: list[str] = []
        for r in header_rows:
            text = grid[r][c]
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths


def _data_rows(sheet: _Sheet, body, region_col: int, resolves: pd.Series, notes: list[str]):
    """The rows below the header that hold data; footnotes and section headings go to notes."""
    data_rows = []
    in_notes = False
    for r in body:
        filled = sheet.filled(r)
        if not filled:
            continue
        first_col, first = filled[0]
        if (
            len(filled) == 1
            and isinstance(first, str)
            and first_col <= region_col
            and (in_notes or FOOTNOTE.match(first))
        ):
            # a footnote, or the next line of one (2. 闸北区数据为……)
            in_notes = True
            notes.append(f"footnote row {r + 1}: {sheet.as_written(r, first_col)}")
            continue
        in_notes = False
        label = sheet.cells[r][region_col]
        if (
            len(filled) == 1
            and first_col == region_col
            and not resolves[r]
            and not _is_total_label(label)
        ):
            notes.append(f"row {r + 1}: '{label}' has no figures: read as a section heading")
            continue
        data_rows.append(r)
    return data_rows


def _columns(sheet: _Sheet, layout: _Layout, notes: list[str]) -> tuple[list[_Column], int | None]:
    """The columns of figures (measure, unit and period from the header) and the column that
    holds each row's period, if any; columns not read are said in ``notes``."""
    columns: list[_Column] = []
    period_col = None
    for c in range(sheet.width):
        if c == layout.region_col:
            continue
        letter, path = _column_letter(c), layout.paths[c]
        header = "/".join(path)
        last = re.sub(r"\s", "", path[-1]) if path else ""
        filled = [(r, sheet.cells[r][c]) for r in layout.data_rows if sheet.cells[r][c] != ""]
        if not filled and not path:
            continue
        if last in _PERIOD_HEADERS or last.lower() in _PERIOD_HEADERS:
            period_col = c
            continue
        if last in _LABEL_HEADERS:
            notes.append(f"column {letter} ('{header}') labels the rows: not read")
            continue
        unit = period = None
        parts = []
        for part in path:
            label, part_unit = split_unit(part)
            unit = part_unit or unit
            found = _period_of(label) if label else None
            if found:
                period = found
            elif label and re.sub(r"[\s:：]", "", label) != "其中":  # "of which" groups a header
                parts.append(label)
        # a column of text is not read, unless its header promises figures (a unit or a year):
        # then its cells are quarantined one by one
        if filled and not any(sheet.figure[r][c] for r, _ in filled) and not (unit or period):
            texts = pd.Series([v for _, v in filled], dtype=object).map(str)
            regions = try_resolve_regions(texts).notna().all()
            what = "repeats the regions" if regions else "holds text, not figures"
            notes.append(f"column {letter} ('{header}') {what}: not read")
            continue
        if not path:
            notes.append(f"column {letter} has figures but no header: not read")
            continue
        columns.append(_Column(c, letter, "/".join(parts), unit, period))
    if not columns:
        raise sheet.error(
            f"no column of figures beside the region column '{layout.region_header}' "
            f"(column {_column_letter(layout.region_col)})"
        )
    return columns, period_col


def _fill_periods_and_measures(
    sheet: _Sheet,
    layout: _Layout,
    columns: list[_Column],
    period: str | None,
    measure: str | None,
    period_col: int | None,
) -> None:
    """A column's period: its header's, else ``period``, else the title's; its measure: its
    header's, else ``measure``, else the title's; its unit: its header's, else the table's."""
    title_periods = _periods_in(layout.title or "")
    default = period or (title_periods[0] if len(title_periods) == 1 else None)
    for column in columns:
        if column.period is None and period_col is None:
            if default is None:
                named = f" (the title names {', '.join(title_periods)})" if title_periods else ""
                raise sheet.error(
                    f"no period: neither the title nor the header of column {column.letter} "
                    f"names one year{named}; give it with period= (--period)"
                )
            column.period = default
        if not column.measure:
            column.measure = measure or _measure_from_title(layout.title)
            if not column.measure:
                raise sheet.error(
                    f"column {column.letter}: the header names no measure, only a period, and "
                    "there is no title to name one; give it with measure= (--measure)"
                )
        column.unit = column.unit or layout.table_unit


def _measure_from_title(title: str | None) -> str:
    if not title:
        return ""
    text = _PERIOD.sub("", _YEAR_RANGE.sub("", title)).strip(" :：,，-—~")
    text = re.sub(
        r"^(?:上海市|本市|全市|全国)?(?:各区|分区|各省(?:区市)?|分地区|各地区)?", "", text
    )
    return text.strip(" :：,，-—~")


@dataclass
class _Rows:
    labels: pd.Series  # as written (normalised), by sheet row
    codes: pd.Series  # region code; for a totals row the parent of the regions, else None
    names: pd.Series  # reference name; for a totals row its label
    is_total: pd.Series
    periods: pd.Series | None  # from the period column, if any
    blank: pd.Series  # no region name


def _rows(
    sheet: _Sheet, layout: _Layout, period_col: int | None, follow_successor: bool, notes
) -> _Rows:
    """Resolve each data row's region; totals apart; unknown and repeated regions are errors."""
    index = layout.data_rows
    labels = pd.Series(
        [_header_text(sheet.cells[r][layout.region_col]) for r in index], index=index, dtype=object
    )
    blank = labels == ""
    stripped = labels.map(_strip_of_which)
    for r in labels.index[(stripped != labels) & ~blank]:
        notes.append(f"row {r + 1}: '{labels[r]}' read as {stripped[r]} (an 'of which' row)")
    total_label = stripped.map(_is_total_label)
    codes = try_resolve_regions(stripped, follow_successor=follow_successor)
    unknown = codes.isna() & ~total_label & ~blank
    if unknown.any():
        resolve_regions(  # raises, naming the first unknown name and listing the others
            stripped[unknown],
            file=sheet.file,
            sheet=sheet.sheet,
            rows=[r + 1 for r in stripped.index[unknown]],
            column=layout.region_header,
        )
    reference = load_regions().set_index("code")
    is_total = total_label.copy()
    regional = codes.notna() & ~total_label
    listed = set(codes[regional])
    # a listed region that is the parent of all the others (上海市 above the districts) is
    # their total; otherwise the regions' common parent, if they have one, is what 合计 totals
    parent_of = reference["parent_code"]
    heads = [c for c in listed if len(listed) > 1 and all(parent_of[o] == c for o in listed - {c})]
    parents = {parent_of[c] for c in listed}
    parent = heads[0] if heads else (parents.pop() if len(parents) == 1 else "")
    if heads:
        is_total |= codes == parent
    regional &= ~is_total
    codes = codes.astype(object).where(regional, parent or None).where(~blank, None)
    names = codes.map(reference["name"]).where(regional, labels)
    periods = None
    if period_col is not None:
        periods = pd.Series(
            [_period_of(_header_text(sheet.cells[r][period_col])) for r in index], index=index
        )
    keys = pd.DataFrame({"key": names, "period": "" if periods is None else periods})
    keys = keys[~blank & keys["period"].notna()]  # rows without a period are quarantined
    repeated = keys.duplicated(keep=False)
    if repeated.any():
        first = keys[repeated].iloc[0]
        same = keys.index[(keys.key == first.key) & (keys.period == first.period)]
        when = f" for period {first.period}" if periods is not None else ""
        raise sheet.error(
            f"region {first.key} appears in rows {_and(str(r + 1) for r in same)}{when}: "
            "expected one row per region and period",
            row=int(same[1]) + 1,
            column=layout.region_header,
        )
    historical = regional & codes.isin(list(reference.index[reference["valid_to"] != ""]))
    if historical.any():
        changes = region_changes(pd.Series(pd.unique(codes[historical])))
        for change in changes.itertuples():
            notes.append(
                f"{change.name} ({change.code}) is a historical unit: part of "
                f"{change.successor_name} ({change.successor_code}) since "
                f"{change.changed_on:%Y-%m-%d}"
            )
    return _Rows(labels, codes, names, is_total, periods, blank)


def _values(
    sheet: _Sheet, layout: _Layout, rows: _Rows, columns: list[_Column]
) -> tuple[pd.DataFrame, list[dict]]:
    """One row per (data row, column of figures); cells that are not figures are quarantined."""
    quarantined: list[dict] = []

    def quarantine(r: int, column: str | None, reason: str, record: dict) -> None:
        quarantined.append(
            {
                "raw_file": sheet.file,
                "sheet": sheet.sheet,
                "raw_row": r + 1,
                "column": column,
                "reason": reason,
                "record": json.dumps(record, ensure_ascii=False, default=str),
            }
        )

    letter = _column_letter(layout.region_col)
    for r in rows.labels.index[rows.blank]:
        quarantine(
            r,
            layout.region_header,
            f"figures but no region name in column {letter}",
            {f"{_column_letter(c)}{r + 1}": sheet.as_written(r, c) for c, _ in sheet.filled(r)},
        )
    kept = [r for r in layout.data_rows if not rows.blank[r]]
    if rows.periods is not None:
        for r in [r for r in kept if rows.periods[r] is None]:
            quarantine(
                r,
                "period",
                "no period (a year such as 2023) in the period column",
                {"region": rows.labels[r]},
            )
        kept = [r for r in kept if rows.periods[r] is not None]
    long = pd.DataFrame(
        [
            {
                "row": r,
                "col": column.index,
                "cell_value": sheet.cells[r][column.index],
                "raw_value": sheet.as_written(r, column.index),
                "measure": column.measure,
                "column_unit": column.unit,
                "period": column.period or rows.periods[r],
                "cell": f"{column.letter}{r + 1}",
            }
            for r in kept
            for column in columns
        ],
        columns=[
            "row",
            "col",
            "cell_value",
            "raw_value",
            "measure",
            "column_unit",
            "period",
            "cell",
        ],
    )
    # .astype(bool) throughout: on a table with no cell at all, pandas would give object dtypes
    formula = long["cell_value"].map(lambda v: isinstance(v, _Formula)).astype(bool)
    cell = long["cell_value"].where(~formula, "")
    split = split_number_unit(cell.astype(object))
    long["unit"] = split["unit"].astype(object).where(split["unit"].notna(), long["column_unit"])
    _check_units(sheet, long, columns)
    missing = (is_missing(split["number"].astype(object)) & ~formula).astype(bool)
    values = parse_numbers(split["number"], errors="coerce")
    bad = ~missing & values.isna()
    negative = ~bad & (values < 0) & long["unit"].map(is_count_unit).astype(bool)
    for i in long.index[bad | negative]:
        r, value = int(long.at[i, "row"]), long.at[i, "cell_value"]
        if negative[i]:
            reason = (
                f"negative count {values[i]:g} where a count in {long.at[i, 'unit']} is expected"
            )
        else:
            reason = _not_a_number(value)
        quarantine(
            r,
            long.at[i, "measure"],
            f"{reason} (cell {long.at[i, 'cell']})",
            {
                "region": rows.labels[r],
                "cell": long.at[i, "cell"],
                "value": long.at[i, "raw_value"],
            },
        )
    keep = ~(bad | negative)
    long = long[keep].assign(
        value=values[keep],
        missing=missing[keep],
        is_total=lambda kept: kept["row"].map(rows.is_total).astype(bool),
        region_label=lambda kept: kept["row"].map(rows.labels),
    )
    return long, quarantined


def _and(items) -> str:
    """'3 and 5', '3, 5 and 9'."""
    items = list(items)
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def _not_a_number(value: object) -> str:
    if isinstance(value, _Formula):
        return (
            f"the formula {value.text} has no computed value (the file was written by a "
            "program, not saved by Excel): open and save it in Excel"
        )
    if isinstance(value, dt.datetime | dt.date):
        return f"expected a number, found the date {value:%Y-%m-%d}"
    if isinstance(value, bool):
        return f"expected a number, found {str(value).upper()}"
    if isinstance(value, str) and re.fullmatch(r"#[A-Z0-9/]+[!?]?", value):
        return f"expected a number, found the Excel error '{value}'"
    return f"expected a number, found '{value}'"


def _check_units(sheet: _Sheet, long: pd.DataFrame, columns: list[_Column]) -> None:
    """One unit per column: a cell's own unit (3,500万元) must agree with the others'."""
    for column in columns:
        units = long.loc[(long["col"] == column.index) & long["unit"].notna(), ["unit", "row"]]
        if units["unit"].nunique() > 1:
            first = units.drop_duplicates("unit")
            listed = " and ".join(
                f"{u} (row {r + 1})" for u, r in zip(first["unit"], first["row"], strict=True)
            )
            raise sheet.error(
                f"mixed units in one column: {listed}; expected one unit per column",
                column=column.measure or column.letter,
            )


def _decimals(text: str) -> int:
    """Decimals shown in a figure as written ('1,234.50' → 2)."""
    number = split_number_unit(pd.Series([text], dtype=object))["number"].iloc[0]
    plain = normalise_text(pd.Series([str(number)])).iloc[0].replace(",", "")
    try:
        exponent = Decimal(plain).as_tuple().exponent
    except ArithmeticError:
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _check_totals(long: pd.DataFrame, tolerance: float | None) -> pd.DataFrame:
    """Each stated total against the sum of the regions' figures (same measure and period)."""
    rows = []
    totals = long[long["is_total"] & ~long["missing"]]
    regions = long[~long["is_total"]]
    for total in totals.itertuples():
        same = regions[(regions["measure"] == total.measure) & (regions["period"] == total.period)]
        if not _additive(total.measure, total.unit):
            rows.append(
                {
                    "period": total.period,
                    "measure": total.measure,
                    "unit": total.unit,
                    "total_label": total.region_label,
                    "total_cell": total.cell,
                    "total": float(total.value),
                    "regions": len(same),
                    "regions_missing": int(same["missing"].sum()),
                    "status": "not_additive",
                }
            )
            continue
        present = same[~same["missing"]]
        decimals = max(_decimals(v) for v in [*present["raw_value"], total.raw_value])
        # each figure shown is rounded by at most half a unit of its last decimal
        allowed = tolerance if tolerance is not None else 0.5 * 10.0**-decimals * (len(present) + 1)
        regions_sum = float(present["value"].sum())
        difference = float(total.value) - regions_sum
        ok = abs(difference) <= allowed + 1e-9 * max(1.0, abs(float(total.value)))
        status = "ok" if ok else ("incomplete" if len(present) < len(same) else "differs")
        rows.append(
            {
                "period": total.period,
                "measure": total.measure,
                "unit": total.unit,
                "total_label": total.region_label,
                "total_cell": total.cell,
                "total": float(total.value),
                "regions_sum": round(regions_sum, 10),
                "regions": len(same),
                "regions_missing": len(same) - len(present),
                "difference": round(difference, 10),
                "tolerance": allowed,
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=TOTALS_CHECK_COLUMNS)


def _additive(measure: str, unit: str | None) -> bool:
    """Whether regions' figures add up to the total: not for ratios, shares, growth or ranks."""
    if unit and ("/" in unit or unit in ("%", "‰", "百分点", "倍")):
        return False
    return not _NOT_ADDITIVE.search(measure)


def _totals_notes(check: pd.DataFrame) -> list[str]:
    notes = []
    for row in check[check["status"].isin(["differs", "incomplete"])].itertuples():
        missing = f"; {row.regions_missing} region(s) missing" if row.regions_missing else ""
        notes.append(
            f"totals check {row.measure} {row.period}: the regions add up to "
            f"{row.regions_sum:,.10g} but {row.total_label} ({row.total_cell}) states "
            f"{row.total:,.10g} (difference {row.difference:,.10g}, tolerance "
            f"{row.tolerance:.10g}{missing})"
        )
    return notes


def _convert(sheet: _Sheet, long: pd.DataFrame, to_unit, scale: dict, notes: list[str]):
    """Values in the units asked for; ``raw_value`` keeps them as written."""
    if not to_unit and not scale:
        return long
    units = list(pd.unique(long["unit"].dropna()))
    factors: dict[str, tuple[str, float]] = {}
    for unit in units:
        if unit in scale:
            factors[unit] = scale[unit]
        elif to_unit and unit != to_unit and unit_factor(unit, to_unit) is not None:
            factors[unit] = (to_unit, unit_factor(unit, to_unit))
    if to_unit and not any(u == to_unit or u in factors for u in units):
        raise sheet.error(
            f"no figure is in a unit that converts to {to_unit} (units found: "
            f"{', '.join(units) or 'none stated'})"
        )
    for absent in sorted(set(scale) - set(units)):
        notes.append(f"scale: no figure is in {absent}; nothing converted from it")
    long = long.copy()
    for unit, (target, factor) in factors.items():
        hit = long["unit"] == unit
        # 12 significant digits: 195.89 万人 is 1,958,900 人, not 1,958,899.9999999998
        long.loc[hit, "value"] = (long.loc[hit, "value"] * factor).map(lambda v: float(f"{v:.12g}"))
        long.loc[hit, "unit"] = target
        notes.append(f"converted {int(hit.sum())} figure(s) from {unit} to {target} (× {factor:g})")
    return long


def _validate(sheet: _Sheet, data: pd.DataFrame) -> pd.DataFrame:
    """Check the tidy table against its declared schema (every failure at once)."""
    import pandera.errors

    from ..schemas import ReleaseTable

    try:
        return ReleaseTable.validate(data, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        failures = exc.failure_cases
        first = failures.iloc[0]
        raise sheet.error(
            f"the tidy table breaks its schema ({len(failures)} failure(s); first: column "
            f"{first['column']}, check {first['check']}, value {first['failure_case']!r})"
        ) from None
