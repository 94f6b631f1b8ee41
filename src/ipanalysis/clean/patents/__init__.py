"""Patent record exports (CNIPA services, CNIPR, commercial platforms) into the canonical patent table.

:func:`read_patent_export` reads a ``.csv`` (UTF-8 with or without BOM, GBK/GB18030, UTF-16),
``.xlsx`` or ``.xls`` export, finds its header row (exports often carry a title line above it),
maps the platform's headers to canonical columns through ``reference/patent_columns.csv`` (a new
platform is a data change), normalises every value, validates the result against
:class:`ipanalysis.schemas.PatentTable` and returns a :class:`~ipanalysis.errors.ReadResult`:
the canonical table (:data:`ipanalysis.schemas.PATENT_COLUMNS` plus :data:`EXTRA_COLUMNS`) and the
quarantined rows with file, sheet, row, column and reason, so that ``rows_read == rows_kept +
rows_quarantined``. :func:`clean_patents` is the same pipeline on a frame already in memory; each
step is a plain function composed with :meth:`pandas.DataFrame.pipe`::

    raw.pipe(normalise_headers).pipe(normalise_application_numbers).pipe(resolve_patent_types)
       .pipe(parse_dates).pipe(infer_grant_dates).pipe(map_legal_status).pipe(split_ipc)
       .pipe(resolve_patentees).pipe(resolve_patentee_region).pipe(resolve_lapse_dates)
       .pipe(parse_counts).pipe(flag_overseas_family).pipe(flag_strategic_emerging)
       .pipe(check_patents, as_of="2025-12-31")

A large CSV export is parsed by pyarrow in blocks, keeping only the columns read, each
dictionary-encoded (its distinct values once, a code per row); every step does its text work
once per distinct value of the columns it reads (exports repeat applicants, statuses, dates and
classes) and takes the result back to the rows, and words an issue only for the rows that have
one (``benchmarks/read_patents.py`` measures it against pyarrow and DuckDB).

No step changes its input. A value that cannot be read is left missing and described in the
``issues`` column (``"column: reason"``, one per line); the reader quarantines every row with an
issue. Whole-file problems (unreadable file, wrong sheet, no header row, a required column missing)
raise :class:`~ipanalysis.errors.InputError` naming the file, the sheet and what was expected.

Decisions
---------
* **application_number** — ``'CN'`` + 12 digits (applications from 2003-10-01) or 8 digits (1985 to
  2003), without check digit, dots or spaces; a ``CN``/``ZL`` prefix, full-width characters and a
  check digit with or without its dot are accepted, and a check digit that does not match is an
  issue. Source: CNIPA standard ZC 0006-2003 《专利申请号标准》: 4-digit year, 1 type digit, 7-digit
  serial, check digit = sum of the digits weighted 2, 3, …, 9, 2, 3, 4, 5 modulo 11 (10 → X); the
  8-digit numbers have a 2-digit year, the type digit third and weights 2…9. Type digit: 1 invention,
  2 utility model, 3 design, 8 PCT invention entering the national phase, 9 PCT utility model.
  (Checked against the real export: CN202223220665.2 and CN202121635235.X verify.)
* **patent_type** — from 专利类型 text (发明, 发明公开, 发明授权, ``发明公开;发明授权`` → invention;
  实用新型; 外观设计), else from the type digit; text that contradicts the number is an issue.
* **dates** — YYYYMMDD integers or text, ``2023-05-23``, ``2023.5.23``, ``2023/5/23``,
  ``2023年5月23日``, Excel serial numbers (1900 date system) and full-width digits; ``0`` (what a
  database export writes for "no date") and blanks are missing. An impossible date (2023-02-30), one
  before China's patent system began (1985-04-01) or after the reference date is an issue.
* **legal_status** — the export's text mapped by ``reference/legal_status.csv`` to :data:`LEGAL_STATUSES`;
  text not in the table is looked up by its part before ``-`` (``有权-XYZ`` → in_force), else
  ``unknown``.
* **lapse_date** — 失效日期 (or the invalidation date of a wholly invalidated right). A granted patent
  whose legal status says the right has ended but which has no lapse date is an issue: the engine
  would otherwise count it as in force. So is a right in force without a grant date.
* **grant_date** — 授权公告日; where an export has none (CNIPR), the publication date of a
  publication whose kind code is a grant (B, C invention; U, Y utility model; S, D design).
* **region** — a region column (any spelling :mod:`ipanalysis.regions` accepts) wins; else the
  district read from the patentee's address (当前权利人地址, else 申请人地址/地址) when it lies in
  the province of 国省代码 (``河南(41)`` → 410000), else that province, else whatever the address
  tells (province or country). Foreign patentees get their country code (``US``).
* **domestic** — the patentee's address is in mainland China (not Hong Kong, Macao or Taiwan),
  matching CNIPA's 国内 counts (国内, 不含港澳台). A row where neither 国省代码, a region column nor the
  address tells this is an issue: the engine needs a yes or no.
* **overseas_family** — CNIPA's criterion is "a patent *right* abroad in the family". A family list
  (同族专利, 专利同族) shows publications, not rights: ``True`` only when a member outside China
  (not CN, not WO; Hong Kong, Macao and Taiwan count as outside) has a publication kind code that is
  a grant (:data:`GRANT_KINDS`); ``False`` when the list has no member outside China or the simple
  family has one member (the patent itself); ``<NA>`` (unknown) when members abroad are only
  applications, when only a family size above 1 is given, or when the field is blank — a blank
  family field is read as "not given", not as "no family". ``overseas_members`` counts the members
  outside China.
* **pledge_amount** — exports give 质押次数 (a count) and 质押日期, not the amount: it stays missing
  unless a source column holds an amount (a canonical ``pledge_amount`` column). Likewise ``award``.
* **strategic_emerging** — missing unless a source column exists: a canonical ``strategic_emerging``
  flag, or a strategic-emerging-industry classification column (blank → ``False``).
* **ipc** — symbols found in the text (any of ``;``, ``,``, spaces as separators), upper case, without
  internal spaces or version suffixes (``G06F 16/00 (2019.01)`` → ``G06F16/00``), main class
  (主分类号) first, ``;``-joined.
"""

from __future__ import annotations

from ipanalysis.errors import InputError, ReadResult

from .checks import check_patents
from .classes import flag_strategic_emerging, split_ipc
from .columns import (
    CANONICAL_COLUMNS,
    CN_GRANT_KINDS,
    COUNT_COLUMNS,
    DATE_COLUMNS,
    ENDED_STATUSES,
    EXTRA_COLUMNS,
    GRANT_KINDS,
    ISSUES,
    LEGAL_STATUSES,
    LIST_DATE_COLUMNS,
    PATENT_SYSTEM_START,
    REQUIRED_COLUMNS,
    SOURCE_COLUMNS,
)
from .dates import infer_grant_dates, parse_dates
from .family import flag_overseas_family, parse_counts
from .headers import (
    HEADER_SEARCH_ROWS,
    detect_platform,
    header_map,
    load_aliases,
    normalise_headers,
    platforms,
)
from .numbers import normalise_application_numbers, resolve_patent_types
from .patentees import resolve_patentee_region, resolve_patentees
from .reader import clean_patents, read_patent_export
from .status import map_legal_status, resolve_lapse_dates

__all__ = [
    "CANONICAL_COLUMNS",
    "CN_GRANT_KINDS",
    "COUNT_COLUMNS",
    "DATE_COLUMNS",
    "ENDED_STATUSES",
    "EXTRA_COLUMNS",
    "GRANT_KINDS",
    "HEADER_SEARCH_ROWS",
    "ISSUES",
    "InputError",
    "LEGAL_STATUSES",
    "LIST_DATE_COLUMNS",
    "PATENT_SYSTEM_START",
    "REQUIRED_COLUMNS",
    "ReadResult",
    "SOURCE_COLUMNS",
    "check_patents",
    "clean_patents",
    "detect_platform",
    "flag_overseas_family",
    "flag_strategic_emerging",
    "header_map",
    "infer_grant_dates",
    "load_aliases",
    "map_legal_status",
    "normalise_application_numbers",
    "normalise_headers",
    "parse_counts",
    "parse_dates",
    "platforms",
    "read_patent_export",
    "resolve_lapse_dates",
    "resolve_patent_types",
    "resolve_patentee_region",
    "resolve_patentees",
    "split_ipc",
]
