"""Madrid international trademark application lists."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis.schemas import MadridList

from .cells import (
    Issues,
    first_name,
    join_names,
    lines_apart,
    quoted,
    read_dates,
    region_option,
    text,
)
from .files import RecordFile, open_records
from .headers import header_error
from .places import place, region_notes
from .result import RecordResult, finish, flag_duplicates, header_notes, record_rows

#: The canonical Madrid list, in order (see :class:`ipanalysis.schemas.MadridList`).
MADRID_COLUMNS = [*MadridList.to_schema().columns]

#: Separators between designated parties: ; ； , ， 、 and line breaks (a run of two-letter codes
#: separated by spaces, ``US JP EM``, is split at the spaces too).
DESIGNATION_SEPARATORS = r"\s*[;；,，、\n]\s*"


def split_designations(values: pd.Series) -> pd.Series:
    """Designated parties ``;``-joined as written (codes or names), without repeats.

    >>> split_designations(pd.Series(["美国、日本、欧盟", "US JP EM", "US; us, KR", "—"])).tolist()
    ['美国;日本;欧盟', 'US;JP;EM', 'US;KR', nan]
    """
    cells = text(lines_apart(values))

    def one(cell: object) -> object:
        if not isinstance(cell, str):
            return np.nan
        parts = []
        for part in re.split(DESIGNATION_SEPARATORS, cell):
            codes = part.split()
            if len(codes) > 1 and all(re.fullmatch(r"[A-Za-z]{2}", c) for c in codes):
                parts += codes
            elif part.strip():
                parts.append(part.strip())
        parts = [p.upper() if re.fullmatch(r"[A-Za-z]{2}", p) else p for p in parts]
        return ";".join(dict.fromkeys(parts)) if parts else np.nan

    return cells.map(one).astype(object)


def registration_numbers(values: pd.Series) -> pd.DataFrame:
    """International registration numbers (6 or 7 digits; spaces, commas and an ``IR`` prefix
    dropped: ``1 234 567`` is ``1234567``) and why a cell holds none.

    >>> registration_numbers(pd.Series(["1234567", "IR 1,234,568", "12-34", ""])).values.tolist()
    [['1234567', nan], ['1234568', nan], [nan, "not an international registration number: '12-34' (expected 6 or 7 digits, e.g. 1234567)"], [nan, nan]]
    """
    cells = text(values)
    compact = cells.astype(str).str.upper().str.replace(r"^IR|[\s,.]", "", regex=True)
    good = compact.str.fullmatch(r"\d{6,7}") & cells.notna()
    reason = pd.Series(np.nan, index=values.index, dtype=object).mask(
        cells.notna() & ~good,
        "not an international registration number: "
        + quoted(cells)
        + " (expected 6 or 7 digits, e.g. 1234567)",
    )
    return pd.DataFrame({"number": compact.where(good).astype(object), "reason": reason})


def read_madrid_list(
    path: str | Path, sheet: str | None = None, region: str | None = None
) -> RecordResult:
    """Read a Madrid international trademark application list (.csv, .xlsx, .xls).

    The headers are looked up in ``reference/record_columns.csv`` (list ``madrid``: 国际注册号,
    申请号, 注册日期, 申请日期, 申请人, 地址, 指定国家/指定缔约方, WIPO ST.60 codes such as
    ``(151)`` …).

    Rules
    -----
    * ``number`` — the application number where the list gives one (``number_kind``
      ``application``), else the international registration number (``registration``; 6 or 7
      digits); ``registration_number`` is kept beside an application number. A row with
      neither, or a registration number that is not one, is quarantined; so is a number listed
      twice (the first is kept).
    * ``date`` — the filing date (申请日期) where given (``date_kind`` ``filing``), else the
      registration date (注册日期, ``(151)``; ``registration``); ``data.attrs["date"]`` and the
      notes say which. An unreadable date, or none, quarantines the row.
    * ``applicants`` — every applicant ``;``-joined, ``applicant`` the first-named; ``address``
      as written; ``region`` and its rule as in :func:`~.pct.read_pct_list`.
    * ``designations`` — the designated parties, ``;``-joined as written
      (:func:`split_designations`).

    Raises
    ------
    InputError
        The file cannot be read, its header row has no number or no date column (every problem
        in one message), or ``region`` is unknown.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> listing = pathlib.Path(tempfile.mkdtemp()) / "madrid.csv"
    >>> _ = listing.write_text("国际注册号,注册日期,申请人,地址,指定国家\\n"
    ...     "1234567,2024-05-06,甲公司,上海市松江区九亭镇,美国、日本\\n", encoding="utf-8")
    >>> result = read_madrid_list(listing)
    >>> result.data[["number", "number_kind", "date_kind", "region", "designations"]].values.tolist()
    [['1234567', 'registration', 'registration', '310117', '美国;日本']]
    """
    code = region_option(region)
    records = open_records(path, sheet, "madrid")
    _check_headers(records)
    issues = Issues()
    body, column = record_rows(records, issues)

    application = text(column("application_number")).astype(str).str.replace(r"\s+", "", regex=True)
    application = application.str.upper().where(text(column("application_number")).notna())
    no_digit = application.notna() & ~application.astype(str).str.contains(r"\d")
    issues.add(
        no_digit,
        "application_number",
        "not an application number: " + quoted(application) + " (it has no digits)",
    )
    registration = registration_numbers(column("registration_number"))
    issues.add(registration["reason"].notna(), "registration_number", registration["reason"])
    number = application.where(application.notna(), registration["number"])
    kind = pd.Series(np.where(application.notna(), "application", "registration"), body.index)
    neither = application.isna() & registration["number"].isna() & registration["reason"].isna()
    issues.add(neither, _number_column(records), "no application number and no registration number")
    date, date_kind = _dates(records, body.index, issues)
    applicants = join_names(column("applicant"))
    address = text(column("address"))
    placed = place(column("region"), address, code, issues)
    frame = pd.DataFrame(
        {
            "number": number,
            "number_kind": kind,
            "date": date,
            "date_kind": date_kind,
            "registration_number": registration["number"],
            "applicants": applicants,
            "applicant": first_name(applicants),
            "address": address,
            "region": placed["region"],
            "designations": split_designations(column("designations")),
            "source_file": records.path.name,
            "raw_row": body["raw_row"],
        }
    )
    shown = kind.map({"application": "application number ", "registration": "registration number "})
    keys = frame[["number_kind", "number"]]
    flag_duplicates(
        keys, issues, _number_column(records), shown + number.astype(str), body["raw_row"]
    )
    kept = frame.loc[~issues.mask(frame.index)]
    notes = header_notes(records) + _date_notes(records, kept)
    notes += region_notes(
        placed.loc[kept.index], code, "--region NAME (region= in read_madrid_list)"
    )
    result = finish(records, frame, issues, MadridList, MADRID_COLUMNS, notes)
    result.data.attrs["date"] = _date_basis(kept)
    return result


def _number_column(records: RecordFile) -> str:
    present = set(records.plan.mapping.values())
    return "application_number" if "application_number" in present else "registration_number"


def _check_headers(records: RecordFile) -> None:
    present = set(records.plan.mapping.values())
    problems = []
    if not present & {"application_number", "registration_number"}:
        problems.append(
            "no number column: expected 申请号 (application number) or 国际注册号 (international "
            "registration number); if the list names it otherwise, add its header to "
            "reference/record_columns.csv (list 'madrid')"
        )
    if not present & {"filing_date", "registration_date"}:
        problems.append(
            "no date column: expected 申请日期 (filing date) or 注册日期 (registration date)"
        )
    if problems:
        raise header_error(problems, records.names, records.header_row, **records.where)


def _dates(records: RecordFile, index: pd.Index, issues: Issues) -> tuple[pd.Series, pd.Series]:
    """The filing date where given, else the registration date, and which it is."""
    filing = read_dates(records.column("filing_date")[index])
    registered = read_dates(records.column("registration_date")[index])
    issues.add(filing["reason"].notna(), "filing_date", filing["reason"])
    issues.add(registered["reason"].notna(), "registration_date", registered["reason"])
    date = filing["date"].fillna(registered["date"])
    kind = pd.Series(np.where(filing["date"].notna(), "filing", "registration"), index=index)
    none = date.isna() & filing["reason"].isna() & registered["reason"].isna()
    column = "filing_date" if "filing_date" in records.plan.reverse else "registration_date"
    issues.add(none, column, "no date: the row gives neither a filing nor a registration date")
    return date, kind


def _date_basis(kept: pd.DataFrame) -> str:
    kinds = set(kept["date_kind"])
    if kinds == {"filing"}:
        return "filing date"
    if kinds == {"registration"}:
        return "international registration date"
    return "filing date, else international registration date"


def _date_notes(records: RecordFile, kept: pd.DataFrame) -> list[str]:
    counts = kept["date_kind"].value_counts()
    registration = int(counts.get("registration", 0))
    if not registration:
        return ["date: the filing date"]
    if registration == len(kept):
        return ["date: the international registration date (the list gives no filing date)"]
    return [
        f"date: the filing date; {registration} row(s) without one have their registration date"
    ]
