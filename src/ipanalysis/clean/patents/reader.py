"""The whole pipeline: :func:`clean_patents` on a frame, :func:`read_patent_export` on a file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis.errors import InputError, ReadResult, quarantine_frame

from ..text import region_option
from .cells import _row_flags, _text
from .checks import _as_of, check_patents, flag_duplicates
from .classes import flag_strategic_emerging, split_ipc
from .columns import CANONICAL_COLUMNS, COUNT_COLUMNS, DATE_COLUMNS, ISSUES
from .dates import infer_grant_dates, parse_dates
from .family import flag_overseas_family, parse_counts
from .files import Export, open_export
from .headers import _header_plan, header_problems, normalise_headers
from .numbers import normalise_application_numbers, resolve_patent_types
from .patentees import resolve_patentee_region, resolve_patentees, split_applicants
from .status import map_legal_status, resolve_lapse_dates


def clean_patents(
    raw: pd.DataFrame,
    *,
    as_of: object = None,
    platform: str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Every step of this module on a frame of an export's rows (headers as exported).

    Returns the canonical columns (:data:`CANONICAL_COLUMNS`, missing where the export lacks a
    source) and ``issues`` (see the module docstring); rows are neither dropped nor reordered, so
    the caller decides what to do with rows that have issues (:func:`read_patent_export`
    quarantines them). ``region`` is the patentees' region where the export does not tell it
    (see :func:`resolve_patentee_region`). The input is not changed.

    >>> raw = pd.DataFrame({"申请号": ["CN202223220665.2"], "申请日": [20221202],
    ...     "授权公告日": [20230328], "专利类型": ["实用新型"], "法律状态": ["有权-审定授权"],
    ...     "国省代码": ["河南(41)"], "申请人地址": ["450000河南省郑州市郑东新区"], "失效日期": [0]})
    >>> out = clean_patents(raw, as_of="2025-12-31")
    >>> out[["application_number", "patent_type", "region", "domestic", "legal_status"]].values.tolist()
    [['CN202223220665.2', 'utility_model', '410100', True, 'in_force']]
    >>> out[["grant_date", "lapse_date", "issues"]].astype(str).values.tolist()
    [['2023-03-28', nan, nan]]
    """
    frame = normalise_headers(raw, platform=platform)
    return _clean(frame, _as_of(as_of), region=region_option(region))


def _clean(
    frame: pd.DataFrame, as_of: pd.Timestamp, *, region: str | None = None, duplicates: bool = True
) -> pd.DataFrame:
    """The steps after :func:`normalise_headers`, then the canonical columns."""
    frame = (
        frame.pipe(normalise_application_numbers)
        .pipe(resolve_patent_types)
        .pipe(parse_dates)
        .pipe(map_legal_status)
        .pipe(infer_grant_dates)
        .pipe(split_ipc)
        .pipe(split_applicants)
        .pipe(resolve_patentees)
        .pipe(resolve_patentee_region, region=region)
        .pipe(resolve_lapse_dates)
        .pipe(parse_counts)
        .pipe(flag_overseas_family)
        .pipe(flag_strategic_emerging)
        .pipe(check_patents, as_of=as_of, duplicates=duplicates)
    )
    return _canonical(frame)


_PLAIN_TEXT = (
    "award",
    "title",
    "applicants",
    "inventors",
    "applicant_type",
    "grant_number",
    "publication_number",
    "province_text",
    "family_members",
    "legal_events",
    "strategic_emerging_class",
)
_FLAGS = ("strategic_emerging", "overseas_family", "pct_national_phase", "domestic")


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The canonical columns in order with their dtypes; absent ones missing."""
    columns: dict[str, pd.Series] = {}
    for column in (*CANONICAL_COLUMNS, ISSUES):
        if column in frame.columns:
            values = frame[column]
        elif column in DATE_COLUMNS:
            values = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        elif column in _FLAGS:
            values = pd.Series(pd.NA, index=frame.index, dtype="boolean")
        elif column == "grant_known":
            values = pd.Series(False, index=frame.index, dtype=bool)
        elif column in (*COUNT_COLUMNS, "overseas_members", "raw_row", "filing_year"):
            values = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        elif column in ("applicant_count",):
            values = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        elif column == "pledge_amount":
            values = pd.Series(np.nan, index=frame.index, dtype="float64")
        else:
            values = pd.Series(np.nan, index=frame.index, dtype="str")
        if column in _PLAIN_TEXT:
            values = _text(values)
        columns[column] = values
    return pd.DataFrame(columns, index=frame.index)


def read_patent_export(
    path: str | Path,
    sheet: str | None = None,
    *,
    platform: str | None = None,
    as_of: object = None,
    region: str | None = None,
) -> ReadResult:
    """Read a patent export (.csv, .xlsx, .xls) into the canonical patent table and a quarantine.

    Parameters
    ----------
    path
        The export. CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16, comma, tab or
        semicolon separated, read in blocks (a large file is never held whole); a workbook's
        first sheet with a header row unless ``sheet`` is given.
    sheet
        The sheet to read from a workbook.
    platform
        Whose headers (see :func:`platforms`); default: detected from the headers.
    as_of
        The reference date: a date after it is an error in the data (default: today).
    region
        The patentees' region (any spelling :mod:`ipanalysis.regions` accepts) for an export
        that does not tell it (a search by applicant has no addresses): used for the rows the
        file tells nothing about, and where it lies inside what the file tells.

    Returns
    -------
    ReadResult
        ``data``: :data:`CANONICAL_COLUMNS`, validated by :class:`ipanalysis.schemas.PatentTable`,
        one row per record, with ``source_file`` and ``raw_row`` (the row a spreadsheet program
        shows; the header row and any title rows counted). ``quarantine``: one entry per problem
        (file, sheet, row, column as exported, reason, and the row's non-blank cells of the
        columns read, as JSON); a row with any problem is not in ``data``. ``rows_read`` counts
        the non-blank rows below the header, so ``rows_read == rows_kept + rows_quarantined``.
        ``notes``: platform, encoding, sheet, headers not read, blank rows skipped, what the
        export does not tell (region, filing dates, grants) and how to give it, legal-status
        texts not recognised.

    Raises
    ------
    InputError
        The file is missing, empty, not a readable CSV or workbook, the sheet does not exist, no
        header row is found, the header row lacks what every record needs (every problem in one
        message, each with the option that lifts it), the ``region`` is unknown, or there are no
        data rows. The message names the file (and sheet) and what was expected.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> export = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
    >>> _ = export.write_text(
    ...     "专利检索结果\\n申请号,申请日,授权公告日,专利类型,国省代码\\n"
    ...     "CN202223220665.2,20221202,20230328,实用新型,河南(41)\\n"
    ...     "CN202211740332.4,20221230,,发明,河南(41)\\n"
    ...     "CN202211740332.4,20221230,,发明,河南(41)\\n", encoding="utf-8")
    >>> result = read_patent_export(export, as_of="2025-12-31")
    >>> result.reconciliation()
    {'file': 'export.csv', 'rows_read': 3, 'rows_kept': 2, 'rows_quarantined': 1, 'reconciles': True}
    >>> result.data[["application_number", "patent_type", "grant_date", "region", "raw_row"]]
      application_number    patent_type grant_date  region  raw_row
    0   CN202223220665.2  utility_model 2023-03-28  410000        3
    1   CN202211740332.4      invention        NaT  410000        4
    >>> result.quarantine[["raw_row", "column", "reason"]].to_dict("records")
    [{'raw_row': 5, 'column': '申请号', 'reason': 'duplicate application number CN202211740332.4 (row 4 is kept)'}]
    """
    path = Path(path)
    day = _as_of(as_of)
    code = region_option(region)
    if not path.exists():
        raise InputError("no such file", file=path)
    if path.is_dir():
        raise InputError("is a folder, not a patent export", file=path)
    export = open_export(path, sheet)
    mapping, found_platform, unknown, dropped = _header_plan(export.names, platform)
    problems = header_problems(export.names, mapping, found_platform, named=platform is not None)
    where = {"file": path, "sheet": export.sheet}
    if problems:
        numbered = "; ".join(f"({i}) {p}" for i, p in enumerate(problems, 1))
        raise InputError(
            f"the header row (row {export.header_row}) cannot be read: {numbered}. It holds: "
            + ", ".join(export.names),
            **where,
        )
    reverse = {canonical: header for header, canonical in mapping.items()}
    cells = export.cells(list(mapping))
    blank = _blank(cells.drop(columns="raw_row"))
    body = cells[~blank] if blank.any() else cells
    del cells
    rows_read = len(body) + len(export.truncated)
    if rows_read == 0:
        raise InputError(f"no data rows below the header (row {export.header_row})", **where)
    cleaned = _clean(body.rename(columns=mapping), day, region=code, duplicates=False)
    cleaned = _repeated_header(cleaned, body, mapping).pipe(flag_duplicates)
    cleaned = cleaned.assign(source_file=path.name)
    flagged = cleaned[ISSUES].notna()
    quarantine = pd.concat(
        [
            _quarantine(cleaned[flagged], body, reverse, path.name, export.sheet),
            _truncated(export, reverse),
        ],
        ignore_index=True,
    )
    kept = (cleaned[~flagged] if flagged.any() else cleaned).drop(columns=ISSUES)
    del cleaned, body
    kept, failures = _validate(kept.reset_index(drop=True), day, path, export.sheet, reverse)
    if failures is not None:
        quarantine = pd.concat([quarantine, failures], ignore_index=True)
        kept = kept[~kept["raw_row"].isin(failures["raw_row"])].reset_index(drop=True)
    kept.attrs["as_of"] = day.date().isoformat()
    notes = [f"platform: {found_platform}", *export.notes]
    notes += _notes(kept, mapping, unknown, dropped, int(blank.sum()), code)
    return ReadResult(
        data=kept,
        quarantine=quarantine.sort_values("raw_row", kind="stable").reset_index(drop=True),
        rows_read=rows_read,
        file=path.name,
        notes=notes,
    )


def _blank(cells: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is blank or spaces."""
    blank = np.ones(len(cells), dtype=bool)
    for column in cells.columns:
        blank &= _row_flags(cells[column], lambda v: v.astype("str").str.strip() == "")
    return pd.Series(blank, index=cells.index)


def _repeated_header(cleaned: pd.DataFrame, body: pd.DataFrame, mapping: dict) -> pd.DataFrame:
    """An issue for rows that repeat the header (exports joined from several pages)."""
    from .cells import _add_issues

    same = np.zeros(len(body), dtype=np.int64)
    for header in mapping:
        same += _row_flags(body[header], lambda v, h=header: v.astype("str").str.strip() == str(h))
    repeated = pd.Series(same >= max(2, len(mapping) // 2), index=body.index)
    if not repeated.any():
        return cleaned
    cleaned = cleaned.assign(**{ISSUES: cleaned[ISSUES].mask(repeated, None)})
    first = next(iter(mapping.values()))
    return _add_issues(
        cleaned, repeated, first, "the header row repeated: a row of headers, not a record"
    )


def _truncated(export: Export, reverse: dict) -> pd.DataFrame:
    """Quarantine entries for a last row cut short (a file truncated while it was written)."""
    first = next(iter(reverse.values()), None)
    return quarantine_frame(
        [
            {
                "raw_file": export.path.name,
                "sheet": export.sheet,
                "raw_row": row,
                "column": first,
                "reason": f"the row is cut short: {fields} of {len(export.names)} fields "
                "(the file ends inside it; export it again)",
                "record": json.dumps({"text": text}, ensure_ascii=False),
            }
            for row, fields, text in export.truncated
        ]
    )


def _notes(
    kept: pd.DataFrame, mapping: dict, unknown: list, dropped: list, blank: int, region
) -> list[str]:
    """What the reader says about the file beside its rows: what it lacks and how to give it."""
    notes = []
    present = set(mapping.values())
    if blank:
        notes.append(f"{blank} blank row(s) skipped")
    if unknown:
        notes.append(f"columns not read: {', '.join(unknown)}")
    if dropped:
        notes.append(f"columns not read (another column gives the same): {', '.join(dropped)}")
    if "application_number" not in present:
        notes.append(
            "no 申请号 column: records are keyed on the publication number (公开（公告）号)"
        )
    if "filing_date" not in present:
        with_year = int(kept["filing_year"].notna().sum())
        notes.append(
            f"no 申请日 column: filing dates unknown ({with_year} row(s) have the filing year)"
        )
    untold = int((~kept["grant_known"]).sum())
    if untold:
        notes.append(
            f"{untold} row(s) without a grant date source (a list of applications, or records "
            "of another office): stocks and high-value are undecidable for them"
        )
    unplaced = int(kept["region"].isna().sum())
    if unplaced:
        notes.append(
            f"{unplaced} row(s) with region unknown: the file does not tell the patentees' "
            "region; give it with --region NAME (region: in a sources.yml patents layout)"
        )
    elif region is not None:
        notes.append(f"region given: {region}")
    statuses = kept.loc[kept["legal_status"] == "unknown", "legal_status_text"].unique()
    if len(statuses):
        notes.append(f"legal status not recognised: {', '.join(sorted(map(str, statuses)))}")
    return notes


def _quarantine(
    flagged: pd.DataFrame,
    body: pd.DataFrame,
    reverse: dict[str, str],
    file: str,
    sheet: str | None,
) -> pd.DataFrame:
    """One quarantine entry per issue of each flagged row; columns named as in the export."""
    if flagged.empty:
        return quarantine_frame()
    entries = flagged[ISSUES].str.split("\n").explode()
    split = entries.str.split(": ", n=1, expand=True)
    records = body.loc[flagged.index].drop(columns="raw_row")
    as_json = {
        i: json.dumps({k: v for k, v in row.items() if str(v).strip()}, ensure_ascii=False)
        for i, row in zip(records.index, records.to_dict("records"), strict=True)
    }
    return quarantine_frame(
        [
            {
                "raw_file": file,
                "sheet": sheet,
                "raw_row": int(flagged.at[i, "raw_row"]),
                "column": reverse.get(column, column),
                "reason": reason,
                "record": as_json[i],
            }
            for i, column, reason in zip(split.index, split[0], split[1], strict=True)
        ]
    )


_CHECK_COLUMNS = {
    "grant_not_before_filing": "grant_date",
    "lapse_not_before_grant": "lapse_date",
}


def _validate(
    kept: pd.DataFrame, day: pd.Timestamp, path: Path, sheet: str | None, reverse: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Validate against PatentTable (lazy): row-level failures are quarantined, others raise.

    The cleaning steps already turn every row-level problem they know into an issue, so a
    failure here is a check they lack; it is still reported per row rather than lost.
    """
    import pandera.errors

    from ipanalysis.schemas import PatentTable

    kept.attrs["as_of"] = day.date().isoformat()
    try:
        return PatentTable.validate(kept, lazy=True, inplace=True), None
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    row_level = cases["index"].notna()
    if not row_level.all():
        table = cases[~row_level]
        problems = "; ".join(
            f"{c}: {k} ({f})"
            for c, k, f in zip(table["column"], table["check"], table["failure_case"], strict=True)
        )
        raise InputError(
            f"the canonical table fails its schema: {problems}", file=path, sheet=sheet
        )
    # a data-frame check lists every cell of a failing row: one entry per row and check
    whole_row = cases["schema_context"] == "DataFrameSchema"
    cases = cases.assign(
        column=cases["column"].where(~whole_row, cases["check"].map(_CHECK_COLUMNS)),
        failure_case=cases["failure_case"].where(~whole_row, None),
    ).drop_duplicates(["index", "check", "column"])
    rows = kept.loc[cases["index"].astype(int), "raw_row"].to_numpy()
    failures = quarantine_frame(
        [
            {
                "raw_file": path.name,
                "sheet": sheet,
                "raw_row": int(row),
                "column": None if pd.isna(column) else reverse.get(column, column),
                "reason": f"fails the schema check {check}"
                + ("" if case is None else f": {case!r}"),
                "record": None,
            }
            for row, column, check, case in zip(
                rows, cases["column"], cases["check"], cases["failure_case"], strict=True
            )
        ]
    )
    return PatentTable.validate(
        kept[~kept["raw_row"].isin(rows)], lazy=True, inplace=True
    ), failures
