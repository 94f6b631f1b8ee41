"""Declared schemas of the canonical tables, validated where data enters and leaves the library.

Column ids are snake_case ASCII; Chinese belongs in labels and metadata. Every schema is a pandera
DataFrameModel; validate with ``Model.validate(frame, lazy=True)`` to report every failure at once.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

STATUSES = ("published", "derived", "synthetic")
PATENT_TYPES = ("invention", "utility_model", "design")

#: The canonical patent table: one row per patent (application). Issues #3 (cleaning) and #4 (engine)
#: and researchers rely on these names and meanings; add columns, never rename.
PATENT_COLUMNS: dict[str, str] = {
    "application_number": "CNIPA application number, normalised: 'CN' + 12 digits (or 8 for pre-2003), "
    "no check digit, no dots, e.g. 'CN202223220665'",
    "patent_type": "invention / utility_model / design",
    "filing_date": "application (filing) date, datetime64",
    "grant_date": "grant announcement date (授权公告日), missing if not granted",
    "lapse_date": "date the right ended (失效日期), missing while in force",
    "region": "administrative code of the patentee's region (district where resolvable), str",
    "patentee": "current right holder (当前权利人), else first applicant",
    "ipc": "IPC symbols ';'-joined, main class first",
    "strategic_emerging": "belongs to a strategic emerging industry; boolean, missing when the source lacks it",
    "overseas_family": "has a granted family member abroad; boolean, missing when unknown",
    "pledge_amount": "largest registered pledge-financing amount in CNY, missing if none",
    "award": "national S&T award or China Patent Award name, missing if none",
    "domestic": "patentee is domestic (China mainland); boolean",
}


class ObservationTable(pa.DataFrameModel):
    """Tidy published (or derived / synthetic) indicator values, one row per value.

    ``raw_file`` and ``raw_row`` point back to the line of the raw file the value was read from
    (line 1 is the header), so every figure can be traced to its source.
    """

    region_code: Series[str] = pa.Field(nullable=False)
    region: Series[str] = pa.Field(nullable=False)
    indicator: Series[str] = pa.Field(nullable=False)
    category: Series[str] = pa.Field(nullable=False)
    year: Series[int] = pa.Field(ge=1949, le=2100)
    date: Series[pd.Timestamp] = pa.Field(nullable=False)
    value: Series[float] = pa.Field(nullable=False)
    unit: Series[str] = pa.Field(nullable=False)
    basis: Series[str] = pa.Field(nullable=False)
    basis_note: Series[str] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=STATUSES)
    confidence: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(nullable=False)
    source_url: Series[str] = pa.Field(nullable=True)
    source_id: Series[str] = pa.Field(nullable=False)
    raw_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=2)

    class Config:
        strict = True
        coerce = True


class QuarantineTable(pa.DataFrameModel):
    """Input rows that did not reach the processed tables, each with its reason."""

    raw_file: Series[str]
    sheet: Series[str] = pa.Field(nullable=True)
    raw_row: Series[int] = pa.Field(ge=1)
    column: Series[str] = pa.Field(nullable=True)
    reason: Series[str]
    record: Series[str] = pa.Field(nullable=True)

    class Config:
        coerce = True
