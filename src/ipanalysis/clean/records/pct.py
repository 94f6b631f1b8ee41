"""PCT application lists: an office's own list, or a WIPO PATENTSCOPE result list."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis.schemas import PctList

from .cells import Issues, first_name, join_names, quoted, read_dates, region_option, text
from .files import RecordFile, open_records
from .headers import header_error
from .places import place, region_notes
from .result import RecordResult, finish, flag_duplicates, header_notes, record_rows

#: The canonical PCT list, in order (see :class:`ipanalysis.schemas.PctList`).
PCT_COLUMNS = [*PctList.to_schema().columns]

#: 受理局 texts and the office code they name (a two-letter code is read as it is).
RECEIVING_OFFICES = {
    "中国国家知识产权局": "CN",
    "国家知识产权局": "CN",
    "中国": "CN",
    "cnipa": "CN",
    "ro/cn": "CN",
    "国际局": "IB",
    "世界知识产权组织国际局": "IB",
    "wipo": "IB",
    "ro/ib": "IB",
}


def pct_numbers(
    values: pd.Series, office: pd.Series | None = None, office_label: str = "Country"
) -> pd.DataFrame:
    """International application numbers normalised (``number``) and, where a cell holds none,
    why (``reason``; blank cells are a reason too: the number keys the record).

    Accepts full-width characters, spaces, lower case and missing slashes:
    ``pct/cn 2024/123456`` and ``PCTCN2024123456`` are ``PCT/CN2024/123456``; numbers before
    2004 keep their form ``PCT/CN99/00123``. ``office`` (the list's office of each record,
    e.g. PATENTSCOPE's ``Country``) is named in the reason of a record that is not a PCT one.

    >>> out = pct_numbers(pd.Series(["PCT/BR2013/000094", "ｐｃｔ／ｃｎ２０２４／１２３４５６",
    ...     "PCTCN2024000001", "PCT/US99/12345", "102012032807", "WO2013142934", ""]))
    >>> out["number"].tolist()
    ['PCT/BR2013/000094', 'PCT/CN2024/123456', 'PCT/CN2024/000001', 'PCT/US99/12345', nan, nan, nan]
    >>> print("\\n".join(out["reason"].dropna()))
    not a PCT international application number: '102012032807' (expected e.g. PCT/CN2024/123456)
    a WO publication number, not an international application number: 'WO2013142934' (expected e.g. PCT/CN2024/123456)
    no international application number
    """
    cells = text(values)
    compact = cells.astype(str).str.upper().str.replace(r"[\s/]+", "", regex=True)
    new = compact.str.extract(r"^PCT([A-Z]{2})(\d{4})(\d{6})$")
    old = compact.str.extract(r"^PCT([A-Z]{2})(\d{2})(\d{5})$")
    number = ("PCT/" + new[0] + new[1] + "/" + new[2]).fillna(
        "PCT/" + old[0] + old[1] + "/" + old[2]
    )
    number = number.where(cells.notna()).astype(object)
    reason = pd.Series(np.nan, index=values.index, dtype=object)
    example = "(expected e.g. PCT/CN2024/123456)"
    wrong = cells.notna() & number.isna()
    publication = compact.str.fullmatch(r"WO\d{4}\d{6}(?:[A-Z]\d?)?")
    reason = reason.mask(
        wrong & ~publication,
        "not a PCT international application number: " + quoted(cells) + f" {example}",
    )
    reason = reason.mask(
        wrong & publication,
        "a WO publication number, not an international application number: "
        + quoted(cells)
        + f" {example}",
    )
    reason = reason.mask(cells.isna(), "no international application number")
    if office is not None:
        offices = text(office)
        national = wrong & ~publication & offices.notna() & (offices != "WO")
        reason = reason.mask(
            national,
            "not a PCT international application number: "
            + quoted(cells)
            + f" ({office_label} "
            + offices.astype(str)
            + f": an application of that office, not a PCT one; {example[1:]}",
        )
    return pd.DataFrame({"number": number, "reason": reason})


def read_pct_list(
    path: str | Path, sheet: str | None = None, region: str | None = None
) -> RecordResult:
    """Read a PCT application list (.csv, .xlsx, .xls) into the canonical PCT list.

    The headers are looked up in ``reference/record_columns.csv`` (list ``pct``): an office's
    list (国际申请号, 国际申请日, 受理局, 申请人, 申请人地址 …) or a WIPO PATENTSCOPE result list
    (``Application Number``, ``Application Date``, ``Country``; its preamble rows are skipped).

    Rules
    -----
    * ``application_number`` — normalised by :func:`pct_numbers`; a row whose number is not an
      international application number (a PATENTSCOPE row of a national office, a national-phase
      number, a WO publication number) is quarantined with the reason, naming the office the
      list gives (``Country BR``); a number listed twice is quarantined (the first is kept).
    * ``filing_date`` — the international filing date (:func:`~.cells.read_dates`:
      ``27.03.2013``, ``2024-05-06``, ``2024年5月6日``, Excel serials …); a row without one is
      quarantined (it cannot be counted by year).
    * ``receiving_office`` — the office code in the number (``PCT/CN…`` → CN); a 受理局 column
      that names another office is an issue (the number is the receiving office's).
    * ``applicants`` — every applicant ``;``-joined; ``applicant`` the first-named; ``address``
      the first applicant's address as written.
    * ``region`` — a region column, else the address (:mod:`ipanalysis.regions`), else
      ``region`` (the applicants' region for a list without addresses); otherwise missing, kept,
      and counted in a note that says how to give it. ``domestic`` follows the region.

    Returns
    -------
    RecordResult
        ``data`` validated by :class:`ipanalysis.schemas.PctList`; ``quarantine`` with file,
        sheet, row, column (as in the file), reason and the row; ``notes``.

    Raises
    ------
    InputError
        The file cannot be read (see :func:`~.files.open_records`), its header row lacks the
        international application number or filing date (every problem in one message), or
        ``region`` is unknown.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> listing = pathlib.Path(tempfile.mkdtemp()) / "pct.csv"
    >>> _ = listing.write_text("国际申请号,国际申请日,申请人,申请人地址\\n"
    ...     "PCT/CN2024/000001,2024-05-06,甲公司；乙大学,上海市松江区九亭镇\\n"
    ...     "PCT/CN2024/000001,2024-05-06,甲公司,上海市松江区九亭镇\\n", encoding="utf-8")
    >>> result = read_pct_list(listing)
    >>> result.data[["application_number", "receiving_office", "applicant", "region"]].values.tolist()
    [['PCT/CN2024/000001', 'CN', '甲公司', '310117']]
    >>> result.quarantine[["raw_row", "column", "reason"]].values.tolist()
    [[3, '国际申请号', 'duplicate international application number PCT/CN2024/000001 (row 2 is kept)']]
    """
    code = region_option(region)
    records = open_records(path, sheet, "pct")
    _check_headers(records)
    issues = Issues()
    body, column = record_rows(records, issues)
    numbers = pct_numbers(
        column("application_number"),
        column("office"),
        records.plan.reverse.get("office", "office"),
    )
    issues.add(numbers["reason"].notna(), "application_number", numbers["reason"])
    dates = read_dates(column("filing_date"))
    issues.add(dates["reason"].notna(), "filing_date", dates["reason"])
    missing_date = dates["date"].isna() & dates["reason"].isna()
    issues.add(missing_date, "filing_date", "no international filing date (国际申请日)")
    receiving = _receiving_office(records, body.index, numbers["number"], issues)
    applicants = join_names(column("applicants"))
    address = text(column("address"))
    placed = place(column("region"), address, code, issues)
    frame = pd.DataFrame(
        {
            "application_number": numbers["number"],
            "filing_date": dates["date"],
            "receiving_office": receiving,
            "applicants": applicants,
            "applicant": first_name(applicants),
            "address": address,
            "region": placed["region"],
            "domestic": placed["domestic"],
            "source_file": records.path.name,
            "raw_row": body["raw_row"],
        }
    )
    shown = "international application number " + frame["application_number"].astype(str)
    flag_duplicates(
        frame[["application_number"]], issues, "application_number", shown, frame["raw_row"]
    )
    notes = header_notes(records)
    kept = frame.loc[~issues.mask(frame.index)]
    notes += region_notes(placed.loc[kept.index], code, "--region NAME (region= in read_pct_list)")
    return finish(records, frame, issues, PctList, PCT_COLUMNS, notes)


def _check_headers(records: RecordFile) -> None:
    present = set(records.plan.mapping.values())
    problems = []
    if "application_number" not in present:
        problems.append(
            "no international application number column: expected 国际申请号 (or PATENTSCOPE's "
            "Application Number); if the list names it otherwise, add its header to "
            "reference/record_columns.csv (list 'pct')"
        )
    if "filing_date" not in present:
        problems.append(
            "no international filing date column: expected 国际申请日 (or PATENTSCOPE's "
            "Application Date)"
        )
    if problems:
        raise header_error(problems, records.names, records.header_row, **records.where)


def _receiving_office(
    records: RecordFile, index: pd.Index, numbers: pd.Series, issues: Issues
) -> pd.Series:
    """The office code in the number; a 受理局 cell naming another office is an issue."""
    from_number = numbers.str.slice(4, 6)
    cells = text(records.column("receiving_office")[index])
    key = cells.astype(str).str.replace(r"\s+", "", regex=True).str.casefold()
    named = key.map(RECEIVING_OFFICES).fillna(
        cells.astype(str).str.upper().where(cells.astype(str).str.fullmatch(r"[A-Za-z]{2}"))
    )
    unknown = cells.notna() & named.isna()
    issues.add(
        unknown,
        "receiving_office",
        "unknown receiving office " + quoted(cells) + " (expected e.g. CN, IB or 国家知识产权局)",
    )
    differs = cells.notna() & named.notna() & from_number.notna() & (named != from_number)
    issues.add(
        differs,
        "receiving_office",
        "receiving office "
        + quoted(cells)
        + " differs from the one in the number ("
        + from_number.astype(str)
        + "): the number names the office that received the application",
    )
    return from_number
