"""The records an office holds, read into canonical tables: PCT and Madrid application lists,
transfer, licence and pledge registrations, value added by industry class, the patent-intensive
industry mapping, and the activity log.

Every reader takes a ``.csv`` (UTF-8 with or without BOM, GBK/GB18030), ``.xlsx`` or ``.xls``
file, finds its header row (title and preamble rows above it are skipped; a WIPO PATENTSCOPE
result list's ``Time:``/``Query:`` lines too), maps its headers to canonical columns through
``reference/record_columns.csv`` (a new layout is a data change: the ``checked`` column says which
headers were seen in a real file, read from real public field lists, or are office-list
conventions), reads every value, validates the table against its pandera model in
:mod:`ipanalysis.schemas` and returns a :class:`RecordResult` (a
:class:`~ipanalysis.errors.ReadResult`): ``data``, ``quarantine`` (file, sheet, row, column as
in the file, reason, and the row's cells as JSON) and ``notes``, with ``rows_read ==
rows_kept + rows_quarantined`` for every file.

==========================================  ==============================================
reader                                      canonical table (model)
==========================================  ==============================================
:func:`read_pct_list`                       :class:`ipanalysis.schemas.PctList`
:func:`read_madrid_list`                    :class:`ipanalysis.schemas.MadridList`
:func:`read_transactions`                   :class:`ipanalysis.schemas.TransactionList`
:func:`read_value_added`                    :class:`ipanalysis.schemas.ValueAddedTable`
:func:`read_pii_classification`             :class:`ipanalysis.schemas.PiiClassification`
:func:`read_activity_log`                   :class:`ipanalysis.schemas.ActivityLog`
==========================================  ==============================================

Shared decisions
----------------
* **Errors versus quarantine** — a file that cannot be read as a whole (missing, empty, not a
  spreadsheet, a wrong sheet, no header row, a header row without a column every record needs,
  a unit that cannot be told, an unknown option) raises
  :class:`~ipanalysis.errors.InputError` naming file and sheet, with every header problem in one
  message and what lifts it. A row that cannot be read is quarantined with its reason; so are a
  repeated header row, a footnote (注：…) or totals row (合计), and a duplicate (the first is kept).
  Blank rows are skipped and counted in the notes.
* **Unknown is never zero** — a missing marker (—, …, blank; :mod:`ipanalysis.vocabulary`) is a
  missing value, an amount or count that is not given stays missing, and a region nothing tells
  stays missing (its rows are kept; a note says how many and how to give the region).
* **Region** — a region column (any spelling :mod:`ipanalysis.regions` resolves; an unknown or
  ambiguous name quarantines its row), else the address read by
  :func:`ipanalysis.regions.parse_addresses` (the most specific unit; a country code abroad),
  else the ``region=`` option (``--region``) for rows nothing else places and where it lies
  inside what the address tells (松江区 for an address that says only 上海市).
* **Dates** — 20240506, 2024-05-06, 2024.5.6, 2024/5/6, 2024年5月6日, Excel serials (cells and
  numbers), full-width digits, and WIPO's day-first 06.05.2024; an ambiguous day-first date
  (05/06/2024), a year alone, an impossible date or one after today is a reason.

The readers use the file loader of :mod:`ipanalysis.clean.tables`, the header comparison of
:mod:`ipanalysis.clean.patents` and its application-number and date parsing, and
:mod:`ipanalysis.clean.text` for text, numbers and units.
"""

from __future__ import annotations

from .activities import ACTIVITY_COLUMNS, read_activity_log
from .cells import read_amounts, read_dates
from .headers import load_record_aliases
from .industries import (
    PII_COLUMNS,
    VALUE_ADDED_COLUMNS,
    industry_codes,
    load_pii_categories,
    read_pii_classification,
    read_value_added,
)
from .madrid import MADRID_COLUMNS, read_madrid_list, split_designations
from .pct import PCT_COLUMNS, pct_numbers, read_pct_list
from .result import RecordResult
from .transactions import EVENT_RULES, TRANSACTION_COLUMNS, event_types, read_transactions

__all__ = [
    "ACTIVITY_COLUMNS",
    "EVENT_RULES",
    "MADRID_COLUMNS",
    "PCT_COLUMNS",
    "PII_COLUMNS",
    "RecordResult",
    "TRANSACTION_COLUMNS",
    "VALUE_ADDED_COLUMNS",
    "event_types",
    "industry_codes",
    "load_pii_categories",
    "load_record_aliases",
    "pct_numbers",
    "read_activity_log",
    "read_amounts",
    "read_dates",
    "read_madrid_list",
    "read_pct_list",
    "read_pii_classification",
    "read_transactions",
    "read_value_added",
    "split_designations",
]
