"""The whole pipeline: :func:`clean_patents` on a frame, :func:`read_patent_export` on a file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis.errors import InputError, ReadResult, quarantine_frame

from .cells import _text
from .checks import _as_of, check_patents
from .classes import flag_strategic_emerging, split_ipc
from .columns import CANONICAL_COLUMNS, COUNT_COLUMNS, DATE_COLUMNS, ISSUES, REQUIRED_COLUMNS
from .dates import infer_grant_dates, parse_dates
from .family import flag_overseas_family, parse_counts
from .files import _read_csv, _read_excel
from .headers import _header_plan, _unique_headers, normalise_headers
from .numbers import normalise_application_numbers, resolve_patent_types
from .patentees import resolve_patentee_region, resolve_patentees
from .status import map_legal_status, resolve_lapse_dates


def clean_patents(
    raw: pd.DataFrame, *, as_of: object = None, platform: str | None = None
) -> pd.DataFrame:
    """Every step of this module on a frame of an export's rows (headers as exported).

    Returns the canonical columns (:data:`CANONICAL_COLUMNS`, missing where the export lacks a
    source) and ``issues`` (see the module docstring); rows are neither dropped nor reordered, so
    the caller decides what to do with rows that have issues (:func:`read_patent_export`
    quarantines them). The input is not changed.

    >>> raw = pd.DataFrame({"申请号": ["CN202223220665.2"], "申请日": [20221202],
    ...     "授权公告日": [20230328], "专利类型": ["实用新型"], "法律状态": ["有权-审定授权"],
    ...     "国省代码": ["河南(41)"], "申请人地址": ["450000河南省郑州市郑东新区"], "失效日期": [0]})
    >>> out = clean_patents(raw, as_of="2025-12-31")
    >>> out[["application_number", "patent_type", "region", "domestic", "legal_status"]].values.tolist()
    [['CN202223220665', 'utility_model', '410000', True, 'in_force']]
    >>> out[["grant_date", "lapse_date", "issues"]].astype(str).values.tolist()
    [['2023-03-28', nan, nan]]
    """
    return _clean(normalise_headers(raw, platform=platform), _as_of(as_of))


def _clean(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The steps after :func:`normalise_headers`, then the canonical columns."""
    frame = (
        frame.pipe(normalise_application_numbers)
        .pipe(resolve_patent_types)
        .pipe(parse_dates)
        .pipe(infer_grant_dates)
        .pipe(map_legal_status)
        .pipe(split_ipc)
        .pipe(resolve_patentees)
        .pipe(resolve_patentee_region)
        .pipe(resolve_lapse_dates)
        .pipe(parse_counts)
        .pipe(flag_overseas_family)
        .pipe(flag_strategic_emerging)
        .pipe(check_patents, as_of=as_of)
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


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The canonical columns in order with their dtypes; absent ones missing."""
    columns: dict[str, pd.Series] = {}
    for column in (*CANONICAL_COLUMNS, ISSUES):
        if column in frame.columns:
            values = frame[column]
        elif column in DATE_COLUMNS:
            values = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        elif column in ("strategic_emerging", "overseas_family", "pct_national_phase"):
            values = pd.Series(pd.NA, index=frame.index, dtype="boolean")
        elif column in (*COUNT_COLUMNS, "overseas_members", "raw_row"):
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
) -> ReadResult:
    """Read a patent export (.csv, .xlsx, .xls) into the canonical patent table and a quarantine.

    Parameters
    ----------
    path
        The export. CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16, comma, tab or
        semicolon separated; a workbook's first sheet with a header row unless ``sheet`` is given.
    sheet
        The sheet to read from a workbook.
    platform
        Whose headers (see :func:`platforms`); default: detected from the headers.
    as_of
        The reference date: a date after it is an error in the data (default: today).

    Returns
    -------
    ReadResult
        ``data``: :data:`CANONICAL_COLUMNS`, validated by :class:`ipanalysis.schemas.PatentTable`,
        one row per patent, with ``source_file`` and ``raw_row`` (the row a spreadsheet program
        shows; the header row and any title rows counted). ``quarantine``: one entry per problem
        (file, sheet, row, column as exported, reason, and the row's non-blank cells of the
        columns read, as JSON); a row with any problem is not in ``data``. ``rows_read`` counts
        the non-blank rows below the header, so ``rows_read == rows_kept + rows_quarantined``.
        ``notes``: platform, encoding, sheet, headers not read, blank rows skipped, legal-status
        texts not recognised.

    Raises
    ------
    InputError
        The file is missing, empty, not a readable CSV or workbook, the sheet does not exist, no
        header row is found, a required column (:data:`REQUIRED_COLUMNS`) or any source of the
        grant date or of the patentee's region is missing, or there are no data rows. The message
        names the file (and sheet) and what was expected.

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
    0     CN202223220665  utility_model 2023-03-28  410000        3
    1     CN202211740332      invention        NaT  410000        4
    >>> result.quarantine[["raw_row", "column", "reason"]].to_dict("records")
    [{'raw_row': 5, 'column': '申请号', 'reason': 'duplicate application number CN202211740332 (row 4 is kept)'}]
    """
    path = Path(path)
    day = _as_of(as_of)
    if not path.exists():
        raise InputError("no such file", file=path)
    if path.is_dir():
        raise InputError("is a folder, not a patent export", file=path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        header, body, header_row, sheet_name, notes = _read_excel(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise InputError(f"a CSV file has no sheets (asked for sheet '{sheet}')", file=path)
        header, body, header_row, notes = _read_csv(path)
        sheet_name = None
    else:
        raise InputError(
            f"expected a .csv, .xlsx or .xls file, found {suffix or 'no suffix'!r}", file=path
        )
    names = _unique_headers(header)
    body = body.iloc[:, : len(names)].set_axis(names[: body.shape[1]], axis=1)
    rows = pd.Series(np.arange(header_row + 1, header_row + 1 + len(body)), index=body.index)
    blank = pd.Series(True, index=body.index)
    for name in body.columns:
        blank &= body[name].str.strip() == ""
    if blank.any():
        notes.append(f"{int(blank.sum())} blank row(s) skipped")
    mapping, platform, unknown, dropped = _header_plan(names, platform)
    # only the columns read are kept: long texts (abstracts, claims) are dropped here; a column
    # named raw_row in the file (a canonical table read back) is not read, the row number is ours
    body = body.loc[~blank, list(mapping)].assign(raw_row=rows[~blank]).reset_index(drop=True)

    where = {"file": path, "sheet": sheet_name}
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping.values()]
    expected = {"application_number": "申请号", "filing_date": "申请日"}
    if missing:
        raise InputError(
            f"no {' or '.join(expected[c] for c in missing)} column "
            f"({', '.join(missing)}): the header row (row {header_row}) holds " + ", ".join(names),
            **where,
        )
    present = set(mapping.values())
    if "grant_date" not in present and not {"publication_number", "publication_date"} <= present:
        raise InputError(
            "no grant date: expected a 授权公告日 column, or 公开（公告）号 with 公开（公告）日 "
            f"(the header row, row {header_row}, holds {', '.join(names)})",
            **where,
        )
    region_sources = {"region", "province_text", "address", "patentee_address", "domestic"}
    if not region_sources & present:
        raise InputError(
            "nothing tells the patentee's region: expected a 国省代码, 申请人地址 or 地址 column "
            f"(the header row, row {header_row}, holds {', '.join(names)})",
            **where,
        )
    if body.empty:
        raise InputError(f"no data rows below the header (row {header_row})", **where)
    notes.insert(0, f"platform: {platform}")
    if unknown:
        notes.append(f"columns not read: {', '.join(unknown)}")
    if dropped:
        notes.append(f"columns not read (another column gives the same): {', '.join(dropped)}")

    renamed = body.rename(columns=mapping)
    cleaned = _clean(renamed, day)
    cleaned = cleaned.assign(source_file=path.name)
    statuses = cleaned.loc[cleaned["legal_status"] == "unknown", "legal_status_text"].unique()
    if len(statuses):
        notes.append(f"legal status not recognised: {', '.join(sorted(map(str, statuses)))}")

    flagged = cleaned[ISSUES].notna()
    kept = cleaned.loc[~flagged].drop(columns=ISSUES).reset_index(drop=True)
    reverse = {canonical: header for header, canonical in mapping.items()}
    kept, failures = _validate(kept, day, path, sheet_name, reverse)
    quarantine = _quarantine(cleaned[flagged], body, reverse, path.name, sheet_name)
    if failures is not None:
        quarantine = pd.concat([quarantine, failures], ignore_index=True)
        kept = kept[~kept["raw_row"].isin(failures["raw_row"])].reset_index(drop=True)
    kept.attrs["as_of"] = day.date().isoformat()
    return ReadResult(
        data=kept,
        quarantine=quarantine.sort_values("raw_row", kind="stable").reset_index(drop=True),
        rows_read=len(body),
        file=path.name,
        notes=notes,
    )


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
        return PatentTable.validate(kept, lazy=True), None
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
    return PatentTable.validate(kept[~kept["raw_row"].isin(rows)], lazy=True), failures
