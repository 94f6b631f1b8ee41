"""Value added by four-digit industry class (GB/T 4754-2017), and the office's mapping of the NBS
2019 patent-intensive industry classification (国家统计局令第25号) onto those classes."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis import paths
from ipanalysis.schemas import FIRST_YEAR, INDUSTRY_CLASS, PiiClassification, ValueAddedTable

from .cells import Issues, quoted, read_amounts, read_flags, region_option, text
from .files import RecordFile, open_records
from .headers import header_error
from .places import place, region_notes
from .result import RecordResult, finish, flag_duplicates, header_notes, record_rows

#: Columns of the value-added table (:class:`ipanalysis.schemas.ValueAddedTable`).
VALUE_ADDED_COLUMNS = [*ValueAddedTable.to_schema().columns]
#: Columns of the class mapping (:class:`ipanalysis.schemas.PiiClassification`).
PII_COLUMNS = [*PiiClassification.to_schema().columns]


@functools.lru_cache(maxsize=1)
def _categories() -> pd.DataFrame:
    return pd.read_csv(
        paths.REFERENCE_DIR / "pii_categories.csv", dtype=str, comment="#", keep_default_na=False
    )


def load_pii_categories() -> pd.DataFrame:
    """The seven categories of the patent-intensive industry classification (2019):
    ``category_code`` (01-07), ``name_zh``, ``name_en``, ``release_order`` (the order of the
    NBS/CNIPA value-added releases); source in the header notes of
    ``reference/pii_categories.csv``. The 31 groups and 188 classes are not shipped: see
    :func:`read_pii_classification`.

    >>> load_pii_categories()[["category_code", "name_zh"]].values.tolist()[:2]
    [['01', '信息通信技术制造业'], ['02', '信息通信技术服务业']]
    """
    return _categories().copy()


def industry_codes(values: pd.Series, zeros_dropped: bool = True) -> pd.DataFrame:
    """Four-digit GB/T 4754-2017 class codes (``code``), whether a ``*`` followed the code
    (``starred``), and why a cell is no class (``reason``).

    A section letter (C), a division (39) and a group (391) are not classes. A 3-digit number
    is a group when a class of the column starts with it (391 above 3911), else a class whose
    leading 0 Excel dropped (610 is 0610) — in a workbook only (``zeros_dropped``): in a CSV
    file, written as text, a 3-digit code is a group. Only the code's structure is checked (division 01-97,
    group 1-9): the full list of classes is not shipped, so a well-formed code that is no class
    of the standard passes.

    >>> out = industry_codes(pd.Series(["3921", "610", "3911*", "C", "39", "391", "9810", ""]))
    >>> out["code"].tolist(), out["starred"].tolist()[:3]
    (['3921', '0610', '3911', nan, nan, nan, nan, nan], [False, False, True])
    >>> industry_codes(pd.Series(["272", "610"]), zeros_dropped=False)["code"].isna().tolist()
    [True, True]
    >>> print("\\n".join(out["reason"].dropna()))
    'C' is a section (门类) of GB/T 4754-2017, not a four-digit class
    '39' is a division (大类) of GB/T 4754-2017, not a four-digit class
    '391' is a group (中类) of GB/T 4754-2017, not a four-digit class
    '9810' is not a four-digit class of GB/T 4754-2017 (expected a division 01-97, a group digit 1-9 and a class digit)
    no industry code
    """
    cells = text(values)
    raw = cells.astype(str).str.replace(r"\s+", "", regex=True)
    starred = raw.str.endswith("*") & cells.notna()
    raw = raw.str.rstrip("*")
    pattern = INDUSTRY_CLASS.strip("^$")
    four = set(raw[raw.str.fullmatch(pattern)])
    groups = {c[:3] for c in four}
    group = raw.str.fullmatch(r"\d{3}") & raw.isin(groups)
    if not zeros_dropped:  # text as written: nothing lost a leading zero
        group = raw.str.fullmatch(r"\d{3}") & cells.notna()
    padded = raw.mask(raw.str.fullmatch(r"[1-9]\d{2}") & ~group, raw.str.zfill(4))
    good = padded.str.fullmatch(pattern) & cells.notna()
    kinds = pd.Series("", index=values.index)
    kinds = kinds.mask(raw.str.fullmatch(r"[A-T]"), "a section (门类)")
    kinds = kinds.mask(raw.str.fullmatch(r"\d{2}"), "a division (大类)")
    kinds = kinds.mask(group, "a group (中类)")
    standard = "GB/T 4754-2017"
    reason = pd.Series(np.nan, index=values.index, dtype=object)
    reason = reason.mask(
        cells.notna() & ~good,
        quoted(cells) + f" is not a four-digit class of {standard} (expected a division 01-97, "
        "a group digit 1-9 and a class digit)",
    )
    reason = reason.mask(
        cells.notna() & ~good & (kinds != ""),
        quoted(cells) + " is " + kinds + f" of {standard}, not a four-digit class",
    )
    reason = reason.mask(cells.isna(), "no industry code")
    return pd.DataFrame(
        {"code": padded.where(good).astype(object), "starred": starred, "reason": reason}
    )


def read_value_added(
    path: str | Path,
    sheet: str | None = None,
    region: str | None = None,
    year: int | None = None,
) -> RecordResult:
    """Read a table of value added by four-digit industry class (.csv, .xlsx, .xls).

    Rules
    -----
    * ``industry_code`` — four digits, zero-padded (:func:`industry_codes`); a row whose code is
      not a four-digit class (a section, a division or group subtotal, 合计) is quarantined with
      the reason; a class listed twice for one region and year is quarantined (the first kept).
    * ``value_added`` — in 亿元: the unit is read from the header (增加值（万元） is divided by
      10,000) or the cell; a header and cells without a unit are refused. A missing marker
      (—, blank) is kept as missing, never 0; the notes count such rows.
    * ``year`` — a 年份 column, else ``year``, else the one year the value header or a title row
      names (2023年); otherwise an error.
    * ``region`` — a region column, else ``region`` (the district the table is about);
      otherwise missing and counted in a note.

    Raises
    ------
    InputError
        The file cannot be read, its header row has no code or value column, the value has no
        unit, no year can be told (every problem in one message), or ``region`` is unknown.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "va.csv"
    >>> _ = table.write_text("2023年松江区规模以上工业分行业增加值\\n行业代码,行业名称,增加值（万元）\\n"
    ...     "3921,通信系统设备制造,12345\\n39,计算机、通信和其他电子设备制造业,56789\\n", encoding="utf-8")
    >>> result = read_value_added(table, region="松江区")
    >>> result.data[["industry_code", "year", "value_added", "region"]].values.tolist()
    [['3921', 2023, 1.2345, '310117']]
    >>> result.quarantine["reason"].tolist()
    ["'39' is a division (大类) of GB/T 4754-2017, not a four-digit class"]
    """
    code = region_option(region)
    records = open_records(path, sheet, "value_added")
    given_year = _check_value_headers(records, year)
    issues = Issues()
    body, column = record_rows(records, issues)

    codes = industry_codes(column("industry_code"), records.path.suffix.lower() != ".csv")
    issues.add(codes["reason"].notna(), "industry_code", codes["reason"])
    values = read_amounts(column("value_added"), records.plan.units.get("value_added"), "亿元")
    issues.add(values["reason"].notna(), "value_added", values["reason"])
    years = _years(column("year"), given_year, issues)
    placed = place(column("region"), pd.Series(np.nan, index=body.index), code, issues)
    frame = pd.DataFrame(
        {
            "industry_code": codes["code"],
            "industry_name": text(column("industry_name")),
            "year": years,
            "value_added": values["value"],
            "region": placed["region"],
            "source_file": records.path.name,
            "raw_row": body["raw_row"],
        }
    )
    keys = frame[["region", "year", "industry_code"]].fillna({"region": ""})
    shown = "class " + frame["industry_code"].astype(str) + " in " + frame["year"].astype(str)
    flag_duplicates(keys, issues, "industry_code", shown, frame["raw_row"])
    kept = frame.loc[~issues.mask(frame.index)]
    notes = header_notes(records)
    unit = records.plan.units.get("value_added") or "the unit in each cell"
    notes.append(f"value added: {records.plan.reverse['value_added']} in {unit}, converted to 亿元")
    missing = int(kept["value_added"].isna().sum())
    if missing:
        notes.append(f"{missing} class(es) with value added missing (kept, empty: never 0)")
    notes += region_notes(
        placed.loc[kept.index], code, "--region NAME (region= in read_value_added)"
    )
    return finish(records, frame, issues, ValueAddedTable, VALUE_ADDED_COLUMNS, notes)


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _check_value_headers(records: RecordFile, year: int | None) -> int | None:
    """The year for rows without a 年份 cell; every header problem in one message."""
    present = set(records.plan.mapping.values())
    problems = []
    if "industry_code" not in present:
        problems.append(
            "no industry code column: expected 行业代码 (GB/T 4754-2017 four-digit class)"
        )
    if "value_added" not in present:
        problems.append("no value-added column: expected 增加值（万元） or 增加值（亿元）")
    elif not records.plan.units.get("value_added"):
        cells = text(records.column("value_added")).dropna().astype(str)
        if not cells.str.contains(r"元$").all():
            header = records.plan.reverse["value_added"]
            problems.append(
                f"the value-added column '{header}' names no unit: write it {header}（万元） or "
                f"{header}（亿元）"
            )
    found = year
    if found is None and "year" not in present:
        texts = [records.plan.reverse.get("value_added", "")] + [
            c for r in records.preamble for c in r
        ]
        years = sorted({int(y) for t in texts for y in _YEAR.findall(t)})
        if len(years) == 1:
            found = years[0]
        else:
            shown = f" (the title names {', '.join(map(str, years))})" if years else ""
            problems.append(f"no year{shown}: give it with year= (--year), or add a 年份 column")
    if problems:
        raise header_error(problems, records.names, records.header_row, **records.where)
    return found


def _years(values: pd.Series, year: int | None, issues: Issues) -> pd.Series:
    cells = text(values)
    numbers = pd.to_numeric(cells.astype(str).str.replace(r"年$", "", regex=True), errors="coerce")
    numbers = numbers.where(cells.notna())
    bad = cells.notna() & ~(
        numbers.between(FIRST_YEAR, pd.Timestamp.today().year) & (numbers % 1 == 0)
    )
    issues.add(bad, "year", "not a year: " + quoted(cells) + " (expected e.g. 2023)")
    out = numbers.mask(bad)
    if year is not None:
        out = out.fillna(year)
    issues.add(out.isna() & ~bad, "year", "no year: give it with year= (--year)")
    return out.astype("Int64")


def read_pii_classification(path: str | Path, sheet: str | None = None) -> RecordResult:
    """Read an office's four-digit mapping of the patent-intensive industry classification.

    The NBS 2019 classification (《知识产权（专利）密集型产业统计分类（2019）》, 国家统计局令第25号)
    has 7 categories, 31 groups and 188 GB/T 4754-2017 classes; no machine-readable copy of the
    groups and classes was in reach, so the office types them from the official table into a
    file like ``reference/pii_classification_template.csv`` (its header notes say how).

    Rules: ``category_code`` must be one of the seven (``1`` is read as ``01``; a
    ``category_name`` column, if given, must name that category as
    ``reference/pii_categories.csv`` does); ``industry_code`` must be a four-digit class
    (:func:`industry_codes`); ``partial`` is True where the official table marks the class with
    * (a ``partial`` column, or a ``*`` after the code); the template's example rows
    (``example`` true) are quarantined; a class listed twice under one group is quarantined.

    Raises
    ------
    InputError
        The file cannot be read, or its header row has no category or class column.

    Examples
    --------
    >>> result = read_pii_classification(paths.REFERENCE_DIR / "pii_classification_template.csv")
    >>> result.reconciliation()["rows_quarantined"], result.quarantine["reason"].iloc[0]
    (5, 'an example row of the template, not the official table: delete it (or set example to false)')
    """
    records = open_records(path, sheet, "pii")
    _check_pii_headers(records)
    issues = Issues()
    body, column = record_rows(records, issues)

    example = read_flags(column("example"))
    issues.add(
        example["flag"].fillna(False).astype(bool),
        "example",
        "an example row of the template, not the official table: delete it (or set example to "
        "false)",
    )
    category, name = _pii_categories(column("category_code"), column("category_name"), issues)
    codes = industry_codes(column("industry_code"), records.path.suffix.lower() != ".csv")
    issues.add(codes["reason"].notna(), "industry_code", codes["reason"])
    partial = read_flags(column("partial"))
    issues.add(partial["reason"].notna(), "partial", partial["reason"])
    frame = pd.DataFrame(
        {
            "category_code": category,
            "category_name": name,
            "group_code": text(column("group_code")),
            "group_name": text(column("group_name")),
            "industry_code": codes["code"],
            "industry_name": text(column("industry_name")),
            "partial": partial["flag"].fillna(False).astype(bool) | codes["starred"],
            "source_file": records.path.name,
            "raw_row": body["raw_row"],
        }
    )
    keys = frame[["category_code", "group_code", "industry_code"]].fillna({"group_code": ""})
    shown = "class " + frame["industry_code"].astype(str) + " in category " + category.astype(str)
    flag_duplicates(keys, issues, "industry_code", shown, frame["raw_row"])
    return finish(records, frame, issues, PiiClassification, PII_COLUMNS, header_notes(records))


def _check_pii_headers(records: RecordFile) -> None:
    present = set(records.plan.mapping.values())
    problems = []
    if "category_code" not in present:
        problems.append("no category column: expected 大类代码 (01-07)")
    if "industry_code" not in present:
        problems.append(
            "no class column: expected 国民经济行业代码 (GB/T 4754-2017 four-digit class)"
        )
    if problems:
        raise header_error(problems, records.names, records.header_row, **records.where)


def _pii_categories(
    codes: pd.Series, names: pd.Series, issues: Issues
) -> tuple[pd.Series, pd.Series]:
    """Category codes (zero-padded) and their reference names; unknown codes and names that
    contradict the code are issues."""
    reference = dict(_categories()[["category_code", "name_zh"]].values.tolist())
    cells = text(codes)
    code = cells.astype(str).str.replace(r"^PA", "", regex=True).str.zfill(2).where(cells.notna())
    known = code.isin(list(reference))
    issues.add(
        ~known,
        "category_code",
        "unknown category "
        + quoted(cells.fillna(""))
        + " (expected 01-07, see reference/pii_categories.csv)",
    )
    name = code.map(reference)
    given = text(names)
    differs = known & given.notna() & (given != name)
    issues.add(
        differs,
        "category_name",
        "category " + code.astype(str) + " is " + name.astype(str) + ", not " + quoted(given),
    )
    return code.where(known).astype(object), name.astype(object)
