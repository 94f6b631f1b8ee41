"""Read a Chinese statistical release (.xlsx, .xls or .csv) into one tidy long table.

:func:`read_table` needs no per-file code. It finds, in this order:

1. **The layout and the region column**: the column holding the most names that
   :mod:`ipanalysis.regions` resolves (松江区, 浦东, 上海市, 310117 …; leftmost on a tie) is
   the region column. A header row naming more regions than any column does (时间 | 北京市 |
   上海市 …) makes a *transposed* table: regions as columns, a period in each row, the measure
   from the title or ``measure=``. A table in which no region is named is about *one region*
   (a city's or district's bulletin: 指标 | 2023年 | 2024年, a measure with its unit in each
   row), named by a ``地区：广州`` title line or ``region=``; without either it is an error
   saying how to give it, and so is a region column whose every name is unknown.
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
``region`` (the reference name; units of one table sharing a name are told apart by their
parent's, 北京市朝阳区), ``region_code``, ``region_label`` (as written), ``is_total``,
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
    The reader raises :class:`~ipanalysis.errors.InputError` when the file as a whole cannot
    be read faithfully: missing, empty, not a spreadsheet, damaged, garbled text, a wrong sheet,
    no region column (nor 地区： line or ``region=`` for a table about one region), no header, no
    period, no measure, every region name unknown, a region listed twice for one period (a
    measure twice in a table about one region), or one column (row) mixing units. Single bad
    cells are quarantined; a data row none of whose cells could be read is quarantined as a
    whole, so ``rows_read == rows_kept + rows_quarantined`` always holds.
    A region name the reference does not know (or that several units share) quarantines its
    row with the reason, and the other rows are read; only a file whose every name is unknown
    is refused, naming them. In a transposed table an unknown region heading a column
    quarantines that column's cells.
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

from .reader import TIDY_COLUMNS, TableResult, read_table
from .totals import TOTALS_CHECK_COLUMNS

__all__ = ["TIDY_COLUMNS", "TOTALS_CHECK_COLUMNS", "TableResult", "read_table"]
