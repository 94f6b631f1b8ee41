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
#: The earliest year a table or a reader accepts (the People's Republic's founding).
FIRST_YEAR = 1949

#: The canonical patent table: one row per patent (application). Issues #3 (cleaning) and #4 (engine)
#: and researchers rely on these names and meanings; add columns, never rename.
PATENT_COLUMNS: dict[str, str] = {
    "application_number": "CNIPA application number with its check digit: 'CN' + 12 digits (or 8 "
    "for pre-2003) + '.' + check digit, e.g. 'CN202223220665.2'; missing for a record an export "
    "keys on its publication number (join on application_key, which is always given)",
    "patent_type": "invention / utility_model / design",
    "filing_date": "application (filing) date, datetime64; missing only where the export gives "
    "no filing date column (filing_year may still be known)",
    "grant_date": "grant announcement date (授权公告日), missing if not granted",
    "lapse_date": "date the right ended (失效日期), missing while in force",
    "region": "administrative code (GB/T 2260, in force) of the first-named applicant's region: "
    "the county-level unit where the address tells it, else the city or province; a country code "
    "abroad; missing when the export does not tell it",
    "patentee": "current right holder (当前权利人), else first applicant",
    "ipc": "IPC symbols ';'-joined, main class first",
    "strategic_emerging": "belongs to a strategic emerging industry; boolean, missing when the source lacks it",
    "overseas_family": "has a granted family member abroad; boolean, missing when unknown",
    "pledge_amount": "largest registered pledge-financing amount in CNY, missing if none",
    "award": "national S&T award or China Patent Award name, missing if none",
    "domestic": "patentee is domestic (China mainland); nullable boolean, missing when the export "
    "tells nothing of the patentee's region",
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
    year: Series[int] = pa.Field(ge=FIRST_YEAR, le=2100)
    date: Series[pd.Timestamp] = pa.Field(nullable=False)
    value: Series[float] = pa.Field(nullable=False)
    unit: Series[str] = pa.Field(nullable=False)
    basis: Series[str] = pa.Field(nullable=False)
    basis_note: Series[str] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=STATUSES)
    confidence: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(nullable=False)  # the official publication, in Chinese
    source_en: Series[str] = pa.Field(nullable=True)  # the same citation in English
    source_url: Series[str] = pa.Field(nullable=True)  # the publisher's own page
    read_at: Series[str] = pa.Field(nullable=True)  # a secondary page the figure was read on
    source_id: Series[str] = pa.Field(nullable=False)
    vintage: Series[str] = pa.Field(nullable=True)  # the source's publication date (sources.yml)
    priority: Series[int] = pa.Field()  # ranks sources of the same vintage (sources.yml)
    raw_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=2)

    class Config:
        strict = True
        coerce = True


#: The observation columns of a computed (``derived``) value before its source is named: what
#: :func:`ipanalysis.analysis.records` functions and
#: :func:`ipanalysis.high_value.records_stock_observations` return (the caller adds ``region``,
#: the source columns and ``raw_file``/``raw_row``).
SOURCELESS_COLUMNS: list[str] = [
    "region_code",
    "indicator",
    "category",
    "year",
    "date",
    "value",
    "unit",
    "basis",
    "basis_note",
    "status",
    "confidence",
]


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


class ReleaseTable(pa.DataFrameModel):
    """A statistical release as a tidy long table (:func:`ipanalysis.clean.tables.read_table`).

    One row per value cell. ``value`` is NaN where the file marks the figure missing (—, …, blank);
    ``raw_value`` keeps the cell as written. Totals rows stated by the file (全市, 合计 …) carry
    ``is_total``; ``region_code`` of a totals row is the parent of the regions listed, if any.
    ``cell`` and ``raw_row`` are where the value stands in the sheet as Excel shows it.
    """

    region: Series[str] = pa.Field(nullable=False)
    region_code: Series[str] = pa.Field(nullable=True)
    region_label: Series[str] = pa.Field(nullable=False)
    is_total: Series[bool] = pa.Field(nullable=False)
    period: Series[str] = pa.Field(nullable=False)
    measure: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    value: Series[float] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    raw_value: Series[str] = pa.Field(nullable=False)
    source_file: Series[str] = pa.Field(nullable=False)
    sheet: Series[str] = pa.Field(nullable=True)
    cell: Series[str] = pa.Field(str_matches=r"^[A-Z]{1,3}[1-9][0-9]*$")
    raw_row: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        coerce = True
        unique = ["region", "period", "measure"]


#: Legal statuses of the canonical patent table (``legal_status``), see
#: :func:`ipanalysis.clean.patents.map_legal_status` and ``reference/legal_status.csv``.
PATENT_LEGAL_STATUSES = (
    "in_force",
    "pending",
    "lapsed",
    "expired",
    "withdrawn",
    "rejected",
    "abandoned",
    "invalidated",
    "not_in_force",
    "unknown",
)
#: Date columns of the canonical patent table (and its extra columns).
PATENT_DATE_COLUMNS: tuple[str, ...] = (
    "filing_date",
    "publication_date",
    "grant_date",
    "lapse_date",
    "pledge_date",
    "invalidation_date",
)


class PatentTable(pa.DataFrameModel):
    """The canonical patent table (:data:`PATENT_COLUMNS` and the optional columns below).

    One row per application. Dates may not lie after the reference date, taken from
    ``frame.attrs["as_of"]`` (an ISO date; today when absent); a grant may not precede the filing
    nor a lapse the grant. Extra columns are allowed.
    """

    application_number: Series[str] = pa.Field(
        nullable=True, str_matches=r"^CN(\d{12}|\d{8})\.[0-9X]$"
    )
    application_key: Series[str] | None = pa.Field(nullable=False, unique=True)
    patent_type: Series[str] = pa.Field(isin=PATENT_TYPES)
    filing_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    grant_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    lapse_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    region: Series[str] = pa.Field(nullable=True)
    patentee: Series[str] = pa.Field(nullable=True)
    ipc: Series[str] = pa.Field(
        nullable=True, str_matches=r"^[A-H]\d{2}[A-Z][^;]*(;[A-H]\d{2}[A-Z][^;]*)*$"
    )
    strategic_emerging: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    overseas_family: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    pledge_amount: Series[float] = pa.Field(nullable=True, ge=0)
    award: Series[str] = pa.Field(nullable=True)
    domestic: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    legal_status: Series[str] | None = pa.Field(nullable=True, isin=PATENT_LEGAL_STATUSES)
    publication_date: Series[pd.Timestamp] | None = pa.Field(nullable=True)
    pledge_date: Series[pd.Timestamp] | None = pa.Field(nullable=True)
    invalidation_date: Series[pd.Timestamp] | None = pa.Field(nullable=True)
    transfer_count: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=0)
    licence_count: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=0)
    pledge_count: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=0)
    family_size: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=1)
    overseas_members: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=0)
    raw_row: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=1)

    @pa.dataframe_check
    def grant_not_before_filing(cls, frame: pd.DataFrame) -> pd.Series:
        return ~(frame["grant_date"] < frame["filing_date"])

    @pa.dataframe_check
    def lapse_not_before_grant(cls, frame: pd.DataFrame) -> pd.Series:
        return ~(frame["lapse_date"] < frame["grant_date"])

    @pa.dataframe_check
    def dates_not_after_reference(cls, frame: pd.DataFrame) -> pd.Series:
        reference = pd.Timestamp(frame.attrs.get("as_of") or pd.Timestamp.today().normalize())
        late = pd.Series(False, index=frame.index)
        for column in (c for c in PATENT_DATE_COLUMNS if c in frame.columns):
            late |= (frame[column] > reference).fillna(False)
        return ~late

    class Config:
        coerce = True


# --- data status: published, derived or synthetic ------------------------------------------------


def is_synthetic(frame: pd.DataFrame) -> bool:
    """True when ``frame`` holds synthetic records (``attrs`` flag or a true ``synthetic`` column).

    Results computed from synthetic records inherit the mark (see :func:`mark_status`).

    >>> is_synthetic(pd.DataFrame({"synthetic": [True]})), is_synthetic(pd.DataFrame({"a": [1]}))
    (True, False)
    """
    if frame.attrs.get("synthetic") is True:
        return True
    if "synthetic" in frame.columns:
        return bool(frame["synthetic"].astype(str).str.lower().eq("true").any())
    return False


def mark_status(result: pd.DataFrame, synthetic: bool, column: bool = False) -> pd.DataFrame:
    """Mark ``result`` as derived from synthetic records: ``attrs`` and, if ``column``, a
    ``data_status`` column, so that every figure shown from it can carry the label."""
    if synthetic:
        result.attrs["synthetic"] = True
        result.attrs["data_status"] = "synthetic"
        if column:
            result["data_status"] = "synthetic"
    return result


# --- flows: PCT and Madrid applications, transfer, licence and pledge registrations ---------------

EVENT_TYPES = ("transfer", "licence", "pledge")


class PctTable(pa.DataFrameModel):
    """PCT international applications: one row per application (件), by filing date."""

    application_number: Series[str] = pa.Field(nullable=False)
    filing_date: Series[pd.Timestamp] = pa.Field(nullable=False)
    region: Series[str] = pa.Field(nullable=False)

    class Config:
        coerce = True


class MadridTable(pa.DataFrameModel):
    """Madrid international trademark applications via CNIPA: one row per application (件)."""

    application_number: Series[str] = pa.Field(nullable=False)
    filing_date: Series[pd.Timestamp] = pa.Field(nullable=False)
    region: Series[str] = pa.Field(nullable=False)

    class Config:
        coerce = True


class TransactionTable(pa.DataFrameModel):
    """Patent transfer, licence and pledge registrations: one row per registration (次)."""

    event_type: Series[str] = pa.Field(isin=EVENT_TYPES, nullable=False)
    date: Series[pd.Timestamp] = pa.Field(nullable=False)
    application_number: Series[str] = pa.Field(nullable=False)
    region: Series[str] = pa.Field(nullable=False)
    amount: Series[float] = pa.Field(ge=0, nullable=True)

    class Config:
        coerce = True


# --- the records an office holds, as its readers return them (ipanalysis.clean.records) ----------
# PctTable, MadridTable and TransactionTable above are what the flow counts take (every column
# required); the list models below are what the readers return, with every column they give.

#: An international application number: PCT/CC YYYY/NNNNNN since 2004, PCT/CC YY/NNNNN before.
PCT_NUMBER = r"^PCT/[A-Z]{2}(?:\d{4}/\d{6}|\d{2}/\d{5})$"
#: What a Madrid list's ``number`` is: the application number, else the registration number.
MADRID_NUMBER_KINDS = ("application", "registration")
#: What a Madrid list's ``date`` is: the filing date, else the registration date.
MADRID_DATE_KINDS = ("filing", "registration")
#: A GB/T 4754-2017 four-digit class: division 01-97, group 1-9, class 0-9.
INDUSTRY_CLASS = r"^(?:0[1-9]|[1-8]\d|9[0-7])[1-9]\d$"
#: Category codes of the NBS 2019 patent-intensive industry classification (reference/pii_categories.csv).
PII_CATEGORY_CODES = ("01", "02", "03", "04", "05", "06", "07")


class PctList(pa.DataFrameModel):
    """A PCT application list (:func:`ipanalysis.clean.records.read_pct_list`): one row per
    international application.

    ``application_number`` normalised (``PCT/CN2024/123456``); ``filing_date`` the international
    filing date; ``receiving_office`` the office code (CN, IB …, as in the number);
    ``applicants`` every applicant ``;``-joined, ``applicant`` the first-named, ``address`` the
    first applicant's; ``region`` the administrative code (GB/T 2260, in force; a country code
    abroad), missing when the list does not tell it; ``domestic`` mainland China, missing when
    unknown. Its ``application_number``, ``filing_date`` and ``region`` are :class:`PctTable`'s.
    """

    application_number: Series[str] = pa.Field(str_matches=PCT_NUMBER, unique=True)
    filing_date: Series[pd.Timestamp] = pa.Field(nullable=False)
    receiving_office: Series[str] = pa.Field(str_matches=r"^[A-Z]{2}$")
    applicants: Series[str] = pa.Field(nullable=True)
    applicant: Series[str] = pa.Field(nullable=True)
    address: Series[str] = pa.Field(nullable=True)
    region: Series[str] = pa.Field(nullable=True)
    domestic: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    source_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=1)

    @pa.dataframe_check
    def office_is_the_numbers(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["application_number"].str.slice(4, 6) == frame["receiving_office"]

    class Config:
        coerce = True


class MadridList(pa.DataFrameModel):
    """A Madrid application list (:func:`ipanalysis.clean.records.read_madrid_list`): one row per
    international trademark application (or registration, where the list gives only that).

    ``number`` the application number, else the international registration number, as
    ``number_kind`` says; ``date`` the filing date, else the registration date, as ``date_kind``
    says; ``registration_number`` where given; ``applicants`` every applicant ``;``-joined,
    ``applicant`` the first-named; ``designations`` the designated parties
    ``;``-joined as written (codes or names). For :class:`MadridTable`, ``number`` is its
    ``application_number`` and ``date`` its ``filing_date``.
    """

    number: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    number_kind: Series[str] = pa.Field(isin=MADRID_NUMBER_KINDS)
    date: Series[pd.Timestamp] = pa.Field(nullable=False)
    date_kind: Series[str] = pa.Field(isin=MADRID_DATE_KINDS)
    registration_number: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6,7}$")
    applicants: Series[str] = pa.Field(nullable=True)
    applicant: Series[str] = pa.Field(nullable=True)
    address: Series[str] = pa.Field(nullable=True)
    region: Series[str] = pa.Field(nullable=True)
    designations: Series[str] = pa.Field(nullable=True)
    source_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=1)

    class Config:
        coerce = True
        unique = ["number_kind", "number"]


class TransactionList(pa.DataFrameModel):
    """Transfer, licence and pledge registrations
    (:func:`ipanalysis.clean.records.read_transactions`): one row per registration (次).

    Rows of a list that share a ``registration_id`` are one registration, their patents listed
    in ``patents`` (``;``-joined CN application numbers with check digit) and counted in
    ``patent_count``; ``raw_rows`` lists the input rows it was read from. ``holder`` is the
    patentee before the event (出质人, 让与人, 变更前权利人), ``counterparty`` the other party;
    ``address`` and ``region`` are those of the party the reader was asked for. ``amount`` in
    元 (CNY), missing where not given; ``cancelled_on`` the date a pledge was released.
    For :class:`TransactionTable`, take the first of ``patents`` as ``application_number``.
    """

    event_type: Series[str] = pa.Field(isin=EVENT_TYPES)
    registration_id: Series[str] = pa.Field(nullable=True)
    date: Series[pd.Timestamp] = pa.Field(nullable=False)
    patents: Series[str] = pa.Field(
        nullable=True, str_matches=r"^CN(?:\d{12}|\d{8})\.[0-9X](?:;CN(?:\d{12}|\d{8})\.[0-9X])*$"
    )
    patent_count: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    holder: Series[str] = pa.Field(nullable=True)
    counterparty: Series[str] = pa.Field(nullable=True)
    address: Series[str] = pa.Field(nullable=True)
    region: Series[str] = pa.Field(nullable=True)
    amount: Series[float] = pa.Field(nullable=True, ge=0)
    cancelled_on: Series[pd.Timestamp] = pa.Field(nullable=True)
    licence_kind: Series[str] = pa.Field(nullable=True)
    source_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=1)
    raw_rows: Series[str] = pa.Field(str_matches=r"^\d+(?:;\d+)*$")

    @pa.dataframe_check
    def cancelled_not_before_registered(cls, frame: pd.DataFrame) -> pd.Series:
        return ~(frame["cancelled_on"] < frame["date"])

    class Config:
        coerce = True


class ValueAddedTable(pa.DataFrameModel):
    """Value added by four-digit industry class (GB/T 4754-2017)
    (:func:`ipanalysis.clean.records.read_value_added`): one row per region, year and class.

    ``value_added`` in 亿元; missing where the table marks it missing (never 0).
    """

    industry_code: Series[str] = pa.Field(str_matches=INDUSTRY_CLASS)
    industry_name: Series[str] = pa.Field(nullable=True)
    year: Series[int] = pa.Field(ge=FIRST_YEAR, le=2100)
    value_added: Series[float] = pa.Field(nullable=True)
    region: Series[str] = pa.Field(nullable=True)
    source_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=1)

    class Config:
        coerce = True


class PiiClassification(pa.DataFrameModel):
    """An office's four-digit mapping of the NBS 2019 patent-intensive industry classification
    (:func:`ipanalysis.clean.records.read_pii_classification`): one row per category, group and
    class. ``partial`` is True where the official table marks the class with * (only part of
    it belongs to the category).
    """

    category_code: Series[str] = pa.Field(isin=PII_CATEGORY_CODES)
    category_name: Series[str] = pa.Field(nullable=False)
    group_code: Series[str] = pa.Field(nullable=True)
    group_name: Series[str] = pa.Field(nullable=True)
    industry_code: Series[str] = pa.Field(str_matches=INDUSTRY_CLASS)
    industry_name: Series[str] = pa.Field(nullable=True)
    partial: Series[bool] = pa.Field(nullable=False)
    source_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=1)

    class Config:
        coerce = True
        unique = ["category_code", "group_code", "industry_code"]


class ActivityLog(pa.DataFrameModel):
    """An office's activity log (:func:`ipanalysis.clean.records.read_activity_log`): one count
    per row (rows of the same activity, region and year add up)."""

    activity: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    region_code: Series[str] = pa.Field(nullable=False)
    year: Series[int] = pa.Field(ge=FIRST_YEAR, le=2100)
    count: Series[int] = pa.Field(ge=0)
    source: Series[str] = pa.Field(nullable=True)
    source_file: Series[str] = pa.Field(nullable=False)
    raw_row: Series[int] = pa.Field(ge=1)

    class Config:
        coerce = True
