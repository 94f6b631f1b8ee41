"""Patent record exports (CNIPA services, CNIPR, commercial platforms) into the canonical patent table.

:func:`read_patent_export` reads a ``.csv`` (UTF-8 with or without BOM, GBK/GB18030, UTF-16),
``.xlsx`` or ``.xls`` export, finds its header row (exports often carry a title line above it),
maps the platform's headers to canonical columns through ``reference/patent_columns.csv`` (a new
platform is a data change), normalises every value, validates the result against
:class:`ipanalysis.schemas.PatentTable` and returns a :class:`~ipanalysis.quarantine.ReadResult`:
the canonical table (:data:`ipanalysis.schemas.PATENT_COLUMNS` plus :data:`EXTRA_COLUMNS`) and the
quarantined rows with file, sheet, row, column and reason, so that ``rows_read == rows_kept +
rows_quarantined``. :func:`clean_patents` is the same pipeline on a frame already in memory; each
step is a plain function composed with :meth:`pandas.DataFrame.pipe`::

    raw.pipe(normalise_headers).pipe(normalise_application_numbers).pipe(resolve_patent_types)
       .pipe(parse_dates).pipe(infer_grant_dates).pipe(map_legal_status).pipe(split_ipc)
       .pipe(resolve_patentees).pipe(resolve_patentee_region).pipe(resolve_lapse_dates)
       .pipe(parse_counts).pipe(flag_overseas_family).pipe(flag_strategic_emerging)
       .pipe(check_patents, as_of="2025-12-31")

No step changes its input. A value that cannot be read is left missing and described in the
``issues`` column (``"column: reason"``, one per line); the reader quarantines every row with an
issue. Whole-file problems (unreadable file, wrong sheet, no header row, a required column missing)
raise :class:`~ipanalysis.quarantine.InputError` naming the file, the sheet and what was expected.

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

import codecs
import csv
import functools
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis import paths
from ipanalysis.quarantine import InputError, ReadResult, quarantine_frame
from ipanalysis.schemas import PATENT_COLUMNS, PATENT_DATE_COLUMNS, PATENT_LEGAL_STATUSES

ISSUES = "issues"

#: The small status vocabulary :func:`map_legal_status` maps legal-status texts to: in_force (a
#: right exists), pending (an application without a right yet), lapsed (ended before its term:
#: annual fee not paid, terminated), expired (ended at the end of its term), withdrawn (or deemed
#: withdrawn), rejected, abandoned (given up, incl. to avoid double patenting), invalidated
#: (wholly), not_in_force (no right, reason not given: 无权, 失效), unknown (a text the table lacks).
LEGAL_STATUSES: tuple[str, ...] = PATENT_LEGAL_STATUSES
#: Statuses meaning that a right which existed has ended.
ENDED_STATUSES: tuple[str, ...] = ("lapsed", "expired", "abandoned", "invalidated", "not_in_force")

#: Columns of the canonical table beyond :data:`ipanalysis.schemas.PATENT_COLUMNS`, with meanings.
EXTRA_COLUMNS: dict[str, str] = {
    "legal_status": "legal status in the vocabulary LEGAL_STATUSES, missing when the export gives none",
    "legal_status_text": "the export's legal-status text (法律状态 / 最新法律状态 / 专利权状态)",
    "publication_number": "publication number (公开号), e.g. CN116245100A",
    "publication_date": "publication date (公开日)",
    "grant_number": "grant publication number (授权公告号)",
    "title": "title (专利名称 / 名称)",
    "applicants": "applicants, ';'-separated, as exported",
    "inventors": "inventors, ';'-separated, as exported",
    "applicant_type": "applicant type as exported (科研机构, 企业, …)",
    "address": "the patentee's address the region was read from",
    "province_text": "国省代码 as exported, e.g. 河南(41)",
    "country": "CN for mainland China, HK / MO / TW, or the foreign country code",
    "pct_national_phase": "a PCT application in the Chinese national phase (type digit 8 or 9)",
    "family_members": "family publication numbers as exported",
    "family_size": "simple family size as exported (the patent itself included)",
    "overseas_members": "family members published outside China (not CN, not WO)",
    "transfer_count": "number of ownership transfers (专利转移次数)",
    "licence_count": "number of licences (许可次数)",
    "pledge_count": "number of pledges (质押次数)",
    "pledge_date": "date of the latest pledge (质押日期)",
    "invalidation_date": "date of the invalidation decision (无效宣告日期)",
    "strategic_emerging_class": "strategic emerging industry class as exported",
    "legal_events": "legal event history as exported (法律事件 / 法律状态)",
    "source_file": "the file the row was read from",
    "raw_row": "row of the file as a spreadsheet program shows it (the header row counted)",
}
CANONICAL_COLUMNS: tuple[str, ...] = (*PATENT_COLUMNS, *EXTRA_COLUMNS)

#: Every column id the alias table may map a header to: the canonical columns, and the source
#: columns the normalising steps read (``ipc_main``, ``right_status_text``, …).
SOURCE_COLUMNS: frozenset[str] = frozenset(
    {
        *CANONICAL_COLUMNS,
        "ipc_main",
        "right_status_text",
        "first_patentee",
        "patentee_address",
    }
)
DATE_COLUMNS: tuple[str, ...] = PATENT_DATE_COLUMNS
COUNT_COLUMNS: tuple[str, ...] = ("transfer_count", "licence_count", "pledge_count", "family_size")
#: A file lacking one of these (under any alias) cannot be read.
REQUIRED_COLUMNS: tuple[str, ...] = ("application_number", "filing_date")
#: Columns where a cell may list several dates (one per pledge); the latest is kept.
LIST_DATE_COLUMNS: tuple[str, ...] = ("pledge_date",)

#: Publication kind codes (WIPO ST.16 as each office applies it) that publish a granted right.
#: Deliberately short: a member whose kind is not listed counts as "not shown to be granted".
GRANT_KINDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("US", "B1"),
        ("US", "B2"),
        ("US", "E"),
        ("US", "S"),
        ("EP", "B1"),
        ("EP", "B2"),
        ("EP", "B3"),
        ("JP", "B1"),
        ("JP", "B2"),
        ("KR", "B1"),
        ("DE", "B3"),
        ("DE", "B4"),
        ("DE", "C1"),
        ("DE", "C2"),
        ("GB", "B"),
        ("FR", "B1"),
        ("CA", "C"),
        ("RU", "C1"),
        ("RU", "C2"),
        ("AU", "B2"),
        ("TW", "B"),
        ("TW", "I"),
    }
)
_GRANT_KEYS = [f"{country}|{kind}" for country, kind in GRANT_KINDS]
#: Chinese publication kinds that publish a grant: B, C invention; U, Y utility model; S, D design.
CN_GRANT_KINDS: frozenset[str] = frozenset("BCUYSD")

PATENT_SYSTEM_START = pd.Timestamp("1985-04-01")
HEADER_SEARCH_ROWS = 30
_NUMBER_TYPES = {
    "1": "invention",
    "8": "invention",
    "2": "utility_model",
    "9": "utility_model",
    "3": "design",
}
_TYPE_WORDS = {
    "发明": "invention",
    "发明专利": "invention",
    "发明授权": "invention",
    "发明公开": "invention",
    "发明申请": "invention",
    "invention": "invention",
    "实用新型": "utility_model",
    "实用新型专利": "utility_model",
    "utility_model": "utility_model",
    "utilitymodel": "utility_model",
    "外观设计": "design",
    "外观设计专利": "design",
    "外观": "design",
    "design": "design",
}
_TYPE_NAMES_ZH = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}
_BLANKS = ("", "-", "--", "—", "/", "nan", "none", "null", "<na>", "nat")
_TRUE = ("true", "t", "1", "yes", "y", "是")
_FALSE = ("false", "f", "0", "no", "n", "否")
_NOT_MAINLAND = ("71", "81", "82")  # Taiwan, Hong Kong, Macao
_COUNTRY_OF_PROVINCE = {"71": "TW", "81": "HK", "82": "MO"}
_FULLWIDTH = r"[\u3000\uff01-\uff5e]"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0 (1900 system, leap-year bug included)
_WEIGHTS = {12: (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), 8: (2, 3, 4, 5, 6, 7, 8, 9)}
_IPC = r"[A-H][0-9]{2}[A-Z](?:[0-9]{1,4}(?:/[0-9]{1,6})?)?"
_DATE_HINT = (
    "expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 or an Excel serial number"
)


# --- small vectorised helpers ---------------------------------------------------------------------


def _text(values: pd.Series) -> pd.Series:
    """Stripped text (``str`` dtype) with missing markers (blank, -, —, /, null …) as missing.

    Integral floats (Excel hands 20230523 over as 20230523.0) lose their ``.0``.
    """
    if values.dtype != "str":
        values = values.astype("str")  # missing values stay missing
    text = values.str.strip().str.replace(r"^(-?[0-9]+)\.0+$", r"\1", regex=True)
    return text.mask(text.str.lower().isin(_BLANKS))


def _halfwidth(text: pd.Series) -> pd.Series:
    """NFKC (full-width digits, letters, brackets and spaces to ASCII) where there is any."""
    wide = text.str.contains(_FULLWIDTH, regex=True, na=False)
    if not wide.any():
        return text
    return text.mask(wide, text[wide].str.normalize("NFKC"))


def _quoted(text: pd.Series) -> pd.Series:
    return "'" + text.fillna("").str.replace("\n", "\\n", regex=False) + "'"


def _issue_column(frame: pd.DataFrame) -> pd.Series:
    if ISSUES in frame.columns:
        return frame[ISSUES]
    return pd.Series(np.nan, index=frame.index, dtype="str")


def _add_issues(
    frame: pd.DataFrame, mask: pd.Series, column: str, reasons: pd.Series | str
) -> pd.DataFrame:
    """``frame`` with ``'column: reason'`` appended to the ``issues`` of the rows in ``mask``."""
    mask = pd.Series(mask, index=frame.index).fillna(False).astype(bool)
    if not mask.any():
        return frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    entry = f"{column}: " + (
        reasons if isinstance(reasons, pd.Series) else pd.Series(reasons, index=frame.index)
    )
    entry = entry.astype("str")
    current = _issue_column(frame)
    first = mask & current.isna()
    more = mask & current.notna()
    updated = current.mask(first, entry).mask(more, current + "\n" + entry)
    return frame.assign(**{ISSUES: updated})


def _has_issue(frame: pd.DataFrame, column: str) -> pd.Series:
    """Rows whose ``issues`` already name ``column`` (so a consequence is not reported twice)."""
    pattern = f"(?:^|\n){re.escape(column)}: "
    return _issue_column(frame).str.contains(pattern, regex=True, na=False)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column as text, or an all-missing text column when the frame lacks it."""
    if name in frame.columns:
        return _text(frame[name])
    return pd.Series(np.nan, index=frame.index, dtype="str")


def _row_numbers(frame: pd.DataFrame) -> pd.Series:
    """Row numbers as a user sees them: ``raw_row`` when present, else position + 2 (CSV)."""
    if "raw_row" in frame.columns:
        return frame["raw_row"]
    return pd.Series(np.arange(2, len(frame) + 2), index=frame.index)


def _flags(values: pd.Series) -> pd.Series:
    """A nullable boolean from bool, 0/1 or true/false/是/否 text; anything else missing."""
    if isinstance(values.dtype, pd.BooleanDtype):
        return values
    if values.dtype == bool:
        return values.astype("boolean")
    text = _text(values).str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out = out.mask(text.isin(_TRUE), True)
    return out.mask(text.isin(_FALSE), False)


def _header_key(header: object) -> str:
    """How headers are compared: NFKC (full-width brackets and spaces), no spaces, case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(header))).casefold()


def _status_key(text: str) -> str:
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"[—–‐－]", "-", key).casefold()


# --- reference tables -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _alias_table() -> pd.DataFrame:
    table = pd.read_csv(
        paths.REFERENCE_DIR / "patent_columns.csv", dtype=str, keep_default_na=False
    )
    return table.assign(key=table["header"].map(_header_key), rank=np.arange(len(table)))


def load_aliases() -> pd.DataFrame:
    """The alias table ``reference/patent_columns.csv``: platform, header, canonical, notes.

    A blank ``canonical`` marks a header known and deliberately not read.

    >>> aliases = load_aliases()
    >>> aliases.loc[aliases["header"] == "国省代码", ["platform", "canonical"]].values.tolist()
    [['cn_export_61', 'province_text'], ['cnipr', 'province_text']]
    """
    return _alias_table().drop(columns=["key", "rank"]).copy()


@functools.lru_cache(maxsize=1)
def _status_table() -> dict[str, str]:
    table = pd.read_csv(paths.REFERENCE_DIR / "legal_status.csv", dtype=str, keep_default_na=False)
    return {_status_key(t): s for t, s in zip(table["text"], table["status"], strict=True)}


def platforms() -> list[str]:
    """Platforms of the alias table, in its order (``canonical`` and ``generic`` always apply).

    >>> platforms()
    ['cn_export_61', 'cnipr', 'patsnap', 'generic', 'canonical']
    """
    return list(dict.fromkeys(_alias_table()["platform"]))


_ALWAYS = ("canonical", "generic")


def detect_platform(headers: Iterable[object]) -> str | None:
    """The platform whose headers the given ones match most (ties: the first in the table).

    ``canonical`` when only canonical names match, ``None`` when nothing does.

    >>> detect_platform(["申请（专利）号", "名称", "主分类号", "国省代码"])
    'cnipr'
    >>> detect_platform(["application_number", "patent_type"]), detect_platform(["x"])
    ('canonical', None)
    """
    keys = {_header_key(h) for h in headers}
    table = _alias_table()
    hits = table[table["key"].isin(keys)]
    specific = hits[~hits["platform"].isin(_ALWAYS)]
    if len(specific):
        counts = specific.groupby("platform", sort=False)["key"].nunique()
        return str(counts.idxmax())
    if (hits["platform"] == "canonical").any():
        return "canonical"
    return None


def _header_plan(
    headers: Sequence[object], platform: str | None
) -> tuple[dict[object, str], str | None, list[str], list[str]]:
    """(header → canonical, platform, unknown headers, headers dropped as second sources)."""
    table = _alias_table()
    if platform is None:
        platform = detect_platform(headers)
    elif platform not in platforms():
        raise InputError(
            f"unknown platform {platform!r}: expected one of {', '.join(platforms())} "
            "(see reference/patent_columns.csv)"
        )
    order = [p for p in dict.fromkeys([platform, *_ALWAYS]) if p is not None]
    lookup: dict[str, tuple[str, int]] = {}
    for name in order:
        rows = table[table["platform"] == name]
        for key, canonical, rank in zip(rows["key"], rows["canonical"], rows["rank"], strict=True):
            lookup.setdefault(key, (canonical, int(rank)))
    known = set(table["key"])
    chosen: dict[str, tuple[int, object]] = {}
    unknown: list[str] = []
    for header in headers:
        key = _header_key(header)
        if key not in lookup:
            if key not in known and header not in ("raw_row", "source_file"):
                unknown.append(str(header))
            continue
        canonical, rank = lookup[key]
        if not canonical:
            continue
        if canonical not in chosen or rank < chosen[canonical][0]:
            chosen[canonical] = (rank, header)
    mapping = {header: canonical for canonical, (_, header) in chosen.items()}
    dropped = [
        str(h)
        for h in headers
        if h not in mapping and lookup.get(_header_key(h), ("",))[0] in chosen
    ]
    return mapping, platform, unknown, dropped


def header_map(headers: Iterable[object], platform: str | None = None) -> dict[object, str]:
    """Header → canonical column for the headers the alias table knows.

    Headers are compared after NFKC (full-width brackets and spaces become ASCII), without spaces
    and case-folded. ``platform`` (default: :func:`detect_platform`) chooses whose aliases apply;
    ``canonical`` and ``generic`` aliases always do. When two headers give the same column, the one
    listed first in the alias table wins.

    Raises
    ------
    InputError
        ``platform`` is not in the alias table.

    >>> header_map(["申请（专利）号", "申请 (专利权) 人", "摘要", "备注"])
    {'申请（专利）号': 'application_number', '申请 (专利权) 人': 'applicants'}
    """
    headers = list(headers)
    return _header_plan(headers, platform)[0]


def normalise_headers(frame: pd.DataFrame, platform: str | None = None) -> pd.DataFrame:
    """The frame with known headers renamed to canonical columns and the others dropped.

    ``raw_row`` and ``source_file`` are kept. The input is not changed. See :func:`header_map`.

    >>> raw = pd.DataFrame({"申请号": ["CN202223220665.2"], "国省代码": ["河南(41)"], "摘要": ["…"]})
    >>> normalise_headers(raw).columns.tolist()
    ['application_number', 'province_text']
    """
    mapping = header_map(frame.columns, platform)
    keep = [c for c in frame.columns if c in mapping]
    keep += [c for c in ("raw_row", "source_file", ISSUES) if c in frame.columns and c not in keep]
    return frame[keep].rename(columns=mapping)


# --- application numbers and patent types ---------------------------------------------------------


def _check_digits(digits: pd.Series, length: int) -> pd.Series:
    """ZC 0006-2003 check digit of each number of ``length`` digits: weighted sum mod 11, 10 → X."""
    total = pd.Series(0, index=digits.index, dtype="int64")
    for position, weight in enumerate(_WEIGHTS[length]):
        total += digits.str[position].astype("int64") * weight
    remainder = total % 11
    return remainder.astype("str").replace("10", "X")


def normalise_application_numbers(
    frame: pd.DataFrame, column: str = "application_number"
) -> pd.DataFrame:
    """Application numbers as ``'CN'`` + 12 (or, before 2003, 8) digits, with the type they imply.

    Accepts a ``CN`` or ``ZL`` prefix, spaces, full-width characters and a check digit with or
    without its dot (``·`` too). Adds ``type_from_number`` (invention / utility_model / design, from
    the type digit: 1 or 8 invention, 2 or 9 utility model, 3 design) and ``pct_national_phase``
    (type digit 8 or 9). A missing or malformed number, or a check digit that does not match, is
    left missing with an entry in ``issues``. The input is not changed.

    >>> raw = pd.DataFrame({"application_number": [
    ...     "CN202223220665.2", "ｃｎ２０２１２１６３５２３５．Ｘ", "ZL 2022 1 1740332.4", "97101765.4",
    ...     "2022232206659", "CN20221174", None]})
    >>> out = normalise_application_numbers(raw)
    >>> out[["application_number", "type_from_number", "pct_national_phase"]].values.tolist()
    [['CN202223220665', 'utility_model', False], ['CN202121635235', 'utility_model', False], ['CN202211740332', 'invention', False], ['CN97101765', 'invention', False], [nan, nan, <NA>], [nan, nan, <NA>], [nan, nan, <NA>]]
    >>> print("\\n".join(out["issues"].dropna()))
    application_number: check digit '9' does not match 202223220665 (expected '2')
    application_number: not an application number: 'CN20221174' (expected e.g. CN202223220665.2)
    application_number: the application number is missing
    """
    raw = _column(frame, column)
    text = _halfwidth(raw).str.upper().str.replace(r"[ \t\r\n\xa0]+", "", regex=True)
    parts = text.str.extract(r"^(?:ZL|CN)?([0-9]{12}|[0-9]{8})(?:[.·•]?([0-9X]))?$")
    digits, check = parts[0], parts[1]
    length = digits.str.len()
    year = pd.Series(np.nan, index=frame.index)
    long_, short = length == 12, length == 8
    year = year.mask(long_, pd.to_numeric(digits.str[:4], errors="coerce"))
    two = pd.to_numeric(digits.str[:2], errors="coerce")
    year = year.mask(short, two + np.where(two >= 85, 1900, 2000))
    # 12-digit numbers began on 2003-10-01; the 8-digit ones ran from 1985 to 2003
    bad_year = (long_ & (year < 2003)) | (short & ~year.between(1985, 2003))
    malformed = raw.notna() & (digits.isna() | bad_year)
    expected = pd.Series(np.nan, index=frame.index, dtype="str")
    for size in (12, 8):
        rows = (length == size) & ~bad_year
        if rows.any():
            expected = expected.mask(rows, _check_digits(digits[rows], size))
    mismatch = ~malformed & check.notna() & expected.notna() & (check != expected)
    type_digit = digits.str[4].where(long_, digits.str[2])
    ok = digits.notna() & ~malformed & ~mismatch
    out = frame.assign(
        **{
            column: ("CN" + digits).where(ok),
            "type_from_number": type_digit.map(_NUMBER_TYPES).where(ok).astype("str"),
            "pct_national_phase": type_digit.isin(["8", "9"]).astype("boolean").where(ok, pd.NA),
        }
    )
    out = _add_issues(out, raw.isna(), column, "the application number is missing")
    out = _add_issues(
        out,
        malformed,
        column,
        "not an application number: " + _quoted(raw) + " (expected e.g. CN202223220665.2)",
    )
    return _add_issues(
        out,
        mismatch,
        column,
        "check digit '" + check + "' does not match " + digits + " (expected '" + expected + "')",
    )


def _type_of_text(text: str) -> str | None:
    """invention / utility_model / design for a 专利类型 text, None when unknown or mixed."""
    words = [w for w in re.split(r"[;,，；/|、\s]+", text.casefold()) if w]
    kinds = {_TYPE_WORDS.get(w) for w in words}
    return kinds.pop() if len(kinds) == 1 and None not in kinds else None


def resolve_patent_types(frame: pd.DataFrame) -> pd.DataFrame:
    """``patent_type`` (invention / utility_model / design) from 专利类型 text or the number.

    Reads the ``patent_type`` text (发明, 发明公开, 发明授权, ``发明公开;发明授权``, 实用新型, 外观设计,
    or the canonical words) and cross-checks it with ``type_from_number`` (see
    :func:`normalise_application_numbers`); where no text is given the number decides. Unknown text,
    a contradiction, or neither source telling the type is an ``issues`` entry. The input is not
    changed.

    >>> raw = pd.DataFrame({
    ...     "application_number": ["CN202211359874", "CN202223220665", "CN202233000001", "CN202210000001"],
    ...     "patent_type": ["发明公开;发明授权", None, "发明", "专利"],
    ...     "type_from_number": ["invention", "utility_model", "design", "invention"]})
    >>> out = resolve_patent_types(raw)
    >>> out["patent_type"].tolist()
    ['invention', 'utility_model', nan, nan]
    >>> print("\\n".join(out["issues"].dropna()))
    patent_type: patent type '发明' contradicts the application number CN202233000001 (a 外观设计 number)
    patent_type: unknown patent type '专利' (expected 发明, 实用新型 or 外观设计)
    """
    text = _halfwidth(_column(frame, "patent_type"))
    mapping = {value: _type_of_text(value) for value in text.dropna().unique()}
    from_text = text.map(mapping).astype("str")
    from_number = _column(frame, "type_from_number")
    unknown = text.notna() & from_text.isna()
    clash = from_text.notna() & from_number.notna() & (from_text != from_number)
    untold = text.isna() & from_number.isna() & _column(frame, "application_number").notna()
    resolved = from_text.where(text.notna(), from_number).mask(unknown | clash)
    out = frame.assign(patent_type=resolved.astype("str"))
    out = _add_issues(
        out,
        unknown,
        "patent_type",
        "unknown patent type " + _quoted(text) + " (expected 发明, 实用新型 or 外观设计)",
    )
    out = _add_issues(
        out,
        clash,
        "patent_type",
        "patent type "
        + _quoted(text)
        + " contradicts the application number "
        + _column(frame, "application_number")
        + " (a "
        + from_number.map(_TYPE_NAMES_ZH).astype("str")
        + " number)",
    )
    return _add_issues(
        out,
        untold,
        "application_number",
        "the patent type is not given and the application number's type digit does not tell it",
    )


# --- dates ----------------------------------------------------------------------------------------


def _parse_date_text(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(dates, unreadable mask, impossible mask) for stripped half-width text."""
    index = text.index  # may repeat (one cell's several dates): work by position
    text = text.reset_index(drop=True).str.replace(r"[ \t\r\n\xa0]+", " ", regex=True)
    missing = text.isna() | text.isin(["0", "00000000"])
    # YYYYMMDD, by far the commonest form, by slicing; the regular expression for the rest
    compact = text.str.fullmatch(r"[0-9]{8}", na=False)
    slices = {0: text.str.slice(0, 4), 1: text.str.slice(4, 6), 2: text.str.slice(6, 8)}
    ymd = pd.DataFrame({k: v.where(compact) for k, v in slices.items()})
    rest = ~compact & ~missing
    if rest.any():  # the regular expression runs on these rows only (it is not vectorised)
        spaced = text[rest].str.extract(
            r"^([0-9]{4}) ?[-./年] ?([0-9]{1,2}) ?[-./月] ?([0-9]{1,2}) ?日?"
            r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
        )
        ymd = ymd.fillna(spaced.reindex(text.index))
    ymd = ymd.astype("float64")
    serial = pd.to_numeric(
        text.where(text.str.fullmatch(r"[0-9]{1,5}(?:\.[0-9]+)?")), errors="coerce"
    )
    matched = ymd[0].notna()
    dates = pd.to_datetime(
        pd.DataFrame({"year": ymd[0], "month": ymd[1], "day": ymd[2]}).where(matched),
        errors="coerce",
    ).astype("datetime64[ns]")
    from_serial = (_EXCEL_EPOCH + pd.to_timedelta(np.floor(serial), unit="D")).astype(
        "datetime64[ns]"
    )
    dates = dates.where(matched, from_serial)
    dates = dates.mask(missing)
    impossible = matched & dates.isna() & ~missing
    unreadable = ~missing & ~matched & serial.isna()
    return tuple(s.set_axis(index) for s in (dates, unreadable, impossible))


def parse_dates(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Date columns as ``datetime64[ns]``, from whatever the export wrote.

    Reads YYYYMMDD integers or text, ``2023-05-23``, ``2023.5.23``, ``2023/5/23``,
    ``2023年5月23日`` (with or without a time), Excel serial numbers and full-width digits; ``0``
    and blanks are missing. A cell of :data:`LIST_DATE_COLUMNS` may list several dates (one per
    pledge): the latest is kept. An unreadable or impossible date, or one before China's patent
    system began (1985-04-01), is left missing with an ``issues`` entry — never a silent NaT.
    ``columns`` defaults to the :data:`DATE_COLUMNS` present. The input is not changed.

    >>> raw = pd.DataFrame({"filing_date": [
    ...     20221202, "2023-05-23", "2023.5.23", "２０２３年５月２３日", "44927", 0, "2023-02-30", "soon"]})
    >>> out = parse_dates(raw)
    >>> out["filing_date"].dt.strftime("%Y-%m-%d").tolist()
    ['2022-12-02', '2023-05-23', '2023-05-23', '2023-05-23', '2023-01-01', nan, nan, nan]
    >>> print("\\n".join(out["issues"].dropna()))
    filing_date: impossible date '2023-02-30'
    filing_date: not a date: 'soon' (expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 or an Excel serial number)
    """
    if columns is None:
        columns = [c for c in DATE_COLUMNS if c in frame.columns]
    out = frame
    for column in columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            out = out.assign(**{column: values.astype("datetime64[ns]")})
            continue
        text = _halfwidth(_column(frame, column))
        if column in LIST_DATE_COLUMNS:
            parts = text.str.split(r"[;；,，]").explode().astype("str").str.strip()
            parts = parts.mask(parts == "")
            dates, reasons = _dates_and_reasons(parts)
            dates = dates.groupby(level=0).max().reindex(frame.index)
            reasons = reasons.dropna().groupby(level=0).first().reindex(frame.index)
        else:
            dates, reasons = _dates_and_reasons(text)
        early = dates < PATENT_SYSTEM_START
        out = out.assign(**{column: dates.mask(early | reasons.notna())})
        out = _add_issues(out, reasons.notna(), column, reasons)
        out = _add_issues(
            out,
            early & reasons.isna(),
            column,
            "date "
            + dates.dt.strftime("%Y-%m-%d")
            + " is before China's patent system began (1985-04-01)",
        )
    return out


def _dates_and_reasons(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates, and the reason each unreadable or impossible one is missing (else missing)."""
    dates, unreadable, impossible = _parse_date_text(text)
    reasons = pd.Series(np.nan, index=text.index, dtype="str")
    reasons = reasons.mask(impossible, "impossible date " + _quoted(text))
    reasons = reasons.mask(unreadable, "not a date: " + _quoted(text) + f" ({_DATE_HINT})")
    return dates, reasons


def infer_grant_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``grant_date`` from a grant publication where the export gives no grant date.

    CNIPR exports give the latest publication (公开（公告）号 and 日) but no 授权公告日: a
    publication whose kind code is a grant (B, C invention; U, Y utility model; S, D design) was
    published on the grant date. Rows with a grant date keep it; dates must be parsed first. The
    input is not changed.

    >>> raw = pd.DataFrame({
    ...     "publication_number": ["CN115883397B", "CN116245100A", "CN218751475U"],
    ...     "publication_date": pd.to_datetime(["2024-04-05", "2023-06-09", "2023-03-28"])})
    >>> infer_grant_dates(raw)["grant_date"].dt.strftime("%Y-%m-%d").tolist()
    ['2024-04-05', nan, '2023-03-28']
    """
    grant = (
        frame["grant_date"].astype("datetime64[ns]")
        if "grant_date" in frame.columns
        else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    )
    if "publication_number" in frame.columns and "publication_date" in frame.columns:
        number = _halfwidth(_column(frame, "publication_number")).str.upper()
        kind = number.str.extract(r"^CN[0-9]+([A-Z])[0-9]?$")[0]
        granted = kind.isin(list(CN_GRANT_KINDS))
        published = frame["publication_date"].astype("datetime64[ns]")
        grant = grant.mask(grant.isna() & granted, published)
    return frame.assign(grant_date=grant)


# --- legal status, IPC, patentee, region ----------------------------------------------------------


def _status_of(text: str) -> str:
    table = _status_table()
    key = _status_key(text)
    if key in table:
        return table[key]
    head = key.split("-", 1)[0]
    return table.get(head, "unknown")


def map_legal_status(frame: pd.DataFrame) -> pd.DataFrame:
    """``legal_status`` in :data:`LEGAL_STATUSES` from the export's legal-status text.

    Reads ``legal_status_text`` (法律状态, 最新法律状态), else ``right_status_text`` (专利权状态),
    through ``reference/legal_status.csv``; a text not listed is looked up by its part before ``-``
    (``有权-XYZ`` → in_force), else ``unknown``. Missing text gives a missing status. The input is
    not changed.

    >>> raw = pd.DataFrame({"legal_status_text": [
    ...     "有权-审定授权", "审中-实质审查", "无权-未缴年费终止", "无权－视为撤回", "有权-新情形", "待定", None]})
    >>> map_legal_status(raw)["legal_status"].tolist()
    ['in_force', 'pending', 'lapsed', 'withdrawn', 'in_force', 'unknown', nan]
    """
    text = _column(frame, "legal_status_text").fillna(_column(frame, "right_status_text"))
    mapping = {value: _status_of(value) for value in text.dropna().unique()}
    return frame.assign(
        legal_status_text=text, legal_status=text.map(mapping).astype("str").where(text.notna())
    )


def split_ipc(frame: pd.DataFrame) -> pd.DataFrame:
    """``ipc`` as IPC symbols ``;``-joined, main class first, in one spelling.

    Symbols are found in ``ipc`` whatever separates them (``;``, ``,``, spaces, new lines), upper
    case, without internal spaces or version suffixes (``G06F 16/00 (2019.01)`` → ``G06F16/00``).
    The main class (``ipc_main``, 主分类号) is put first when it is not already. Text holding no
    IPC symbol is an ``issues`` entry. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "ipc": ["B64U20/80;B64U101/30", "h04l 9/40, H04L43/02 (2022.01)", "G06F16/31", "none yet", None],
    ...     "ipc_main": ["B64U20/80", "H04L43/02", "G06F40/289", None, "G01N33/00"]})
    >>> out = split_ipc(raw)
    >>> out["ipc"].tolist()
    ['B64U20/80;B64U101/30', 'H04L43/02;H04L9/40', 'G06F40/289;G06F16/31', nan, 'G01N33/00']
    >>> out["issues"].dropna().tolist()
    ["ipc: no IPC symbol in 'none yet'"]
    """

    def spelled(text: pd.Series) -> pd.Series:
        text = _halfwidth(text).str.upper()
        text = text.str.replace(r"\([0-9]{4}\.[0-9]{2}\)", " ", regex=True)
        text = text.str.replace(r"([A-H][0-9]{2}[A-Z]) +([0-9])", r"\1\2", regex=True)
        return text.str.replace(r" */ *", "/", regex=True)

    raw = _column(frame, "ipc")
    text = spelled(raw)
    joined = pd.Series(np.nan, index=frame.index, dtype="str")
    if text.notna().any():
        joined = text.str.findall(_IPC).str.join(";").astype("str")
        joined = joined.mask(joined == "")
    no_symbol = raw.notna() & joined.isna()
    first = joined.str.extract(f"^({_IPC})")[0]
    main = spelled(_column(frame, "ipc_main")).str.extract(f"({_IPC})")[0]
    needs_main = main.notna() & (first != main).fillna(True)
    if needs_main.any():
        # rare (exports list the main class first): per-row work only on these rows
        fixed = [
            ";".join(dict.fromkeys([m, *(s.split(";") if isinstance(s, str) else [])]))
            for m, s in zip(main[needs_main], joined[needs_main], strict=True)
        ]
        joined = joined.mask(needs_main, pd.Series(fixed, index=main.index[needs_main]))
    out = frame.assign(ipc=joined)
    return _add_issues(
        out,
        no_symbol,
        "ipc",
        "no IPC symbol in " + _quoted(raw),
    )


def resolve_patentees(frame: pd.DataFrame) -> pd.DataFrame:
    """``patentee``: the current right holder (当前权利人), else 第一权利人, else the first applicant.

    The input is not changed.

    >>> raw = pd.DataFrame({"patentee": ["乙公司", None], "applicants": ["甲公司;乙公司", "丙大学; 丁"]})
    >>> resolve_patentees(raw)["patentee"].tolist()
    ['乙公司', '丙大学']
    """
    patentee = _column(frame, "patentee").fillna(_column(frame, "first_patentee"))
    applicants = _column(frame, "applicants")[patentee.isna()]
    first_applicant = applicants.str.extract(r"^ *([^;；]*[^;； \t\r\n])")[0]
    patentee = patentee.fillna(first_applicant.reindex(patentee.index))
    return frame.assign(patentee=patentee.astype("str"))


def _code_of_province_text(text: str) -> str | None:
    """The code in a 国省代码 value: ``河南(41)`` → 410000, ``US`` → US; None when unknown."""
    from ipanalysis.regions import try_resolve_regions

    value = unicodedata.normalize("NFKC", text).strip()
    digits = re.search(r"(?:^|\()(\d{2})(?:\)|$)", value)
    if digits:
        code = digits.group(1) + "0000"
        return code if code in _province_codes() else None
    letters = re.search(r"(?:^|\()([A-Za-z]{2})(?:\)|$)", value)
    if letters:
        # CN alone: China, province not given
        return "100000" if letters.group(1).upper() == "CN" else letters.group(1).upper()
    name = re.split(r"[(;；,，]", value, maxsplit=1)[0].strip()
    code = try_resolve_regions(pd.Series([name])).iloc[0] if name else pd.NA
    return None if pd.isna(code) else str(code)


@functools.lru_cache(maxsize=1)
def _province_codes() -> frozenset[str]:
    from ipanalysis.regions import load_regions

    regions = load_regions()
    return frozenset(regions.loc[regions["level"] == "province", "code"])


def _country(code: pd.Series) -> pd.Series:
    """CN for mainland codes, HK / MO / TW, a foreign country code as it is, else missing."""
    six = code.str.fullmatch(r"[0-9]{6}", na=False)
    prefix = code.str[:2]
    country = pd.Series(np.nan, index=code.index, dtype="str")
    country = country.mask(six, prefix.map(_COUNTRY_OF_PROVINCE).fillna("CN"))
    return country.mask(code.str.fullmatch(r"[A-Z]{2}", na=False), code)


def resolve_patentee_region(frame: pd.DataFrame) -> pd.DataFrame:
    """``region``, ``country`` and ``domestic`` of the patentee.

    ``region``: a region column (any spelling :func:`ipanalysis.regions.try_resolve_regions`
    accepts) wins; else the district that :func:`ipanalysis.regions.district_from_address` reads from
    the address (``patentee_address``, else ``address``) when it lies in the province of
    ``province_text`` (国省代码, e.g. ``河南(41)``); else that province; else what the address tells
    (a province, or a country for foreign patentees). ``domestic`` is True for mainland China (not
    Hong Kong, Macao, Taiwan), as CNIPA counts 国内; a canonical ``domestic`` column, where given,
    is kept. A region that is not recognised, or a row where nothing tells whether the patentee is
    domestic, is an ``issues`` entry. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "province_text": ["河南(41)", "上海(31)", "美国(US)", None, None],
    ...     "address": ["450000河南省郑州市郑东新区", "201600上海市松江区九亭镇", "美国加利福尼亚州",
    ...                 "香港九龙", "火星基地"]})
    >>> out = resolve_patentee_region(raw)
    >>> out[["region", "country", "domestic"]].values.tolist()
    [['410000', 'CN', True], ['310117', 'CN', True], ['US', 'US', False], ['810000', 'HK', False], [nan, nan, False]]
    >>> out["issues"].dropna().tolist()
    ["address: cannot tell whether the patentee is domestic: no 国省代码 or region, and the address '火星基地' names no province or country"]
    """
    from ipanalysis.regions import district_from_address, try_resolve_regions

    region_text = _column(frame, "region")
    from_column = (
        try_resolve_regions(region_text).astype("str") if region_text.notna().any() else region_text
    )
    unknown_region = region_text.notna() & from_column.isna()
    province_text = _column(frame, "province_text")
    mapping = {value: _code_of_province_text(value) for value in province_text.dropna().unique()}
    province = province_text.map(mapping).astype("str")
    unknown_province = province_text.notna() & province.isna()
    address = _column(frame, "patentee_address").fillna(_column(frame, "address"))
    # one look-up per distinct address: a patentee's address repeats on each of its patents
    distinct = pd.Series(address.dropna().unique(), dtype="str")
    codes = dict(zip(distinct, district_from_address(distinct), strict=True))
    from_address = address.map(codes).astype("str")
    same_province = from_address.str[:2] == province.str[:2]
    derived = province.mask(province.isna() | same_province.fillna(False), from_address)
    region = from_column.fillna(derived)
    country = _country(region)
    derived_domestic = (country == "CN").astype("boolean").mask(country.isna(), pd.NA)
    if "domestic" in frame.columns:
        derived_domestic = _flags(frame["domestic"]).fillna(derived_domestic)
    untold = derived_domestic.isna()
    out = frame.assign(
        region=region.astype("str"),
        country=country,
        domestic=derived_domestic.fillna(False).astype(bool),
        address=address.astype("str"),
    )
    out = _add_issues(
        out,
        unknown_region,
        "region",
        "unknown region " + _quoted(region_text) + " (not in the region reference)",
    )
    out = _add_issues(
        out,
        unknown_province,
        "province_text",
        "unknown 国省代码 " + _quoted(province_text) + " (expected e.g. 河南(41) or US)",
    )
    told = untold & ~unknown_region & ~unknown_province
    # name the address that failed to tell; with no address, the first region source present
    at_address = "patentee_address" if "patentee_address" in frame.columns else "address"
    sources = ("province_text", "region", "patentee_address", "address")
    at_column = next((c for c in sources if c in frame.columns), "address")
    out = _add_issues(
        out,
        told & address.notna(),
        at_address,
        "cannot tell whether the patentee is domestic: no 国省代码 or region, and the address "
        + _quoted(address)
        + " names no province or country",
    )
    return _add_issues(
        out,
        told & address.isna(),
        at_column,
        "cannot tell whether the patentee is domestic: no 国省代码, region or address",
    )


# --- lapse dates, family, counts, strategic emerging ----------------------------------------------


def resolve_lapse_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``lapse_date`` (the day the right ended; missing while in force), checked against the status.

    Keeps 失效日期 where given; a wholly invalidated right without one ends on its invalidation
    date. An ``issues`` entry marks a granted patent whose ``legal_status`` says the right has ended
    (:data:`ENDED_STATUSES`) but which has no lapse date, and a right in force without a grant
    date: either would make the engine count it wrongly. Needs parsed dates and
    :func:`map_legal_status`. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "grant_date": pd.to_datetime(["2020-01-01", "2020-01-01", "2019-05-05", None]),
    ...     "lapse_date": pd.to_datetime([None, None, "2022-03-01", None]),
    ...     "invalidation_date": pd.to_datetime([None, "2021-06-30", None, None]),
    ...     "legal_status": ["lapsed", "invalidated", "lapsed", "in_force"],
    ...     "legal_status_text": ["无权-未缴年费终止", "全部无效", "无权", "有权"]})
    >>> out = resolve_lapse_dates(raw)
    >>> out["lapse_date"].dt.strftime("%Y-%m-%d").tolist()
    [nan, '2021-06-30', '2022-03-01', nan]
    >>> print("\\n".join(out["issues"].dropna()))
    legal_status_text: the legal status '无权-未缴年费终止' says the right has ended, but the export gives no lapse date (失效日期)
    legal_status_text: the legal status '有权' says the right is in force, but the export gives no grant date
    """
    empty = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    lapse = frame["lapse_date"].astype("datetime64[ns]") if "lapse_date" in frame else empty
    grant = frame["grant_date"].astype("datetime64[ns]") if "grant_date" in frame else empty
    status = _column(frame, "legal_status")
    text = _column(frame, "legal_status_text")
    if "invalidation_date" in frame.columns:
        invalid = frame["invalidation_date"].astype("datetime64[ns]")
        lapse = lapse.mask(lapse.isna() & (status == "invalidated"), invalid)
    out = frame.assign(lapse_date=lapse)
    undated = (
        status.isin(list(ENDED_STATUSES))
        & grant.notna()
        & lapse.isna()
        & ~_has_issue(frame, "lapse_date")
    )
    out = _add_issues(
        out,
        undated,
        "legal_status_text",
        "the legal status "
        + _quoted(text)
        + " says the right has ended, but the export gives no lapse date (失效日期)",
    )
    return _add_issues(
        out,
        (status == "in_force") & grant.isna() & ~_has_issue(frame, "grant_date"),
        "legal_status_text",
        "the legal status "
        + _quoted(text)
        + " says the right is in force, but the export gives no grant date",
    )


def _counts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(Int64 counts, not-a-number mask, negative mask)."""
    text = _halfwidth(_text(values)).str.replace(r"[, \t\r\n]", "", regex=True)
    number = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & (number.isna() | (number != np.floor(number)))
    negative = ~bad & (number < 0)
    return number.mask(bad | negative).astype("Int64"), bad, negative


def flag_overseas_family(frame: pd.DataFrame) -> pd.DataFrame:
    """``overseas_family`` and ``overseas_members`` from the family list or size.

    ``True`` when a family member outside China (not CN, not WO) has a grant kind code
    (:data:`GRANT_KINDS`); ``False`` when the list has no member outside China, or the simple
    family size is 1; ``<NA>`` otherwise — members abroad that are only applications, a size above
    1 without a list, or a blank field (not given). A list of publications cannot prove a right
    abroad in force, so this is the honest reading. A canonical ``overseas_family`` column, where
    given, is kept. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "family_members": ["CN116245100A;US2024123456A1", "CN115883397B;US11720000B2",
    ...                        "CN218751475U", None, None],
    ...     "family_size": [None, None, None, "1", "3"]})
    >>> out = flag_overseas_family(raw)
    >>> out[["overseas_family", "overseas_members"]].values.tolist()
    [[<NA>, 1], [True, 1], [False, 0], [False, <NA>], [<NA>, <NA>]]
    """
    members_text = _halfwidth(_column(frame, "family_members")).str.upper()
    size_in_members = members_text.str.fullmatch(r"[0-9]+", na=False)
    size_text = _column(frame, "family_size").fillna(members_text.where(size_in_members))
    size, _, _ = _counts(size_text)
    lists = members_text.mask(size_in_members)
    parts = lists.str.split(r"[;,，；| \t\r\n]+").explode().dropna().astype("str")
    parts = parts[parts != ""]
    country = parts.str.extract(r"^([A-Z]{2})[0-9-]")[0]
    kind = parts.str.extract(r"[0-9]([A-Z][0-9]?)$")[0]
    foreign = country.notna() & ~country.isin(["CN", "WO"])
    granted = foreign & (country + "|" + kind.fillna("")).isin(_GRANT_KEYS)
    by_row = pd.DataFrame({"foreign": foreign, "granted": granted}).groupby(level=0).sum()
    members = by_row["foreign"].reindex(frame.index)
    has_grant = by_row["granted"].reindex(frame.index) > 0
    listed = lists.notna()
    flag = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    flag = flag.mask(listed & (members.fillna(0) == 0), False)
    flag = flag.mask(listed & has_grant.fillna(False), True)
    flag = flag.mask(~listed & (size == 1).fillna(False), False)
    if "overseas_family" in frame.columns:
        flag = _flags(frame["overseas_family"]).fillna(flag)
    return frame.assign(
        overseas_family=flag,
        overseas_members=members.where(listed).astype("Int64"),
    )


def parse_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts (:data:`COUNT_COLUMNS`) as ``Int64`` and ``pledge_amount`` as CNY ``float64``.

    Blanks are missing. A count that is not a whole number, or is negative, is an ``issues``
    entry. ``pledge_amount`` (only from a source column holding amounts: exports give 质押次数, a
    count) accepts thousands separators and 元 / 万元. The input is not changed.

    >>> raw = pd.DataFrame({"licence_count": ["0", "2", "-1", "two"],
    ...                     "pledge_amount": ["1,200万元", None, "350000", "-5"]})
    >>> out = parse_counts(raw)
    >>> out["licence_count"].tolist(), out["pledge_amount"].tolist()
    ([0, 2, <NA>, <NA>], [12000000.0, nan, 350000.0, nan])
    >>> print("\\n".join(out["issues"].dropna()))
    licence_count: negative count '-1'
    licence_count: not a whole number: 'two'
    pledge_amount: negative amount '-5'
    """
    out = frame
    for column in (c for c in COUNT_COLUMNS if c in frame.columns):
        raw = _column(frame, column)
        counts, bad, negative = _counts(frame[column])
        out = out.assign(**{column: counts})
        out = _add_issues(out, negative, column, "negative count " + _quoted(raw))
        out = _add_issues(out, bad, column, "not a whole number: " + _quoted(raw))
    if "pledge_amount" in frame.columns:
        raw = _column(frame, "pledge_amount")
        text = _halfwidth(raw).str.replace(r"[, \t\r\n]", "", regex=True)
        scale = np.where(text.str.endswith("万元", na=False), 10_000.0, 1.0)
        number = pd.to_numeric(text.str.replace(r"万?元$", "", regex=True), errors="coerce")
        amount = number * scale
        bad = text.notna() & number.isna()
        negative = amount < 0
        out = out.assign(pledge_amount=amount.mask(bad | negative).astype("float64"))
        out = _add_issues(out, negative, "pledge_amount", "negative amount " + _quoted(raw))
        out = _add_issues(out, bad, "pledge_amount", "not an amount: " + _quoted(raw))
    return out


def flag_strategic_emerging(frame: pd.DataFrame) -> pd.DataFrame:
    """``strategic_emerging``: missing unless the export has a source column for it.

    A canonical ``strategic_emerging`` flag is kept; else a strategic-emerging-industry class
    column (``strategic_emerging_class``) gives True where it names a class and False where blank;
    else the flag is missing (unknown), as the engine expects. The input is not changed.

    >>> flag_strategic_emerging(pd.DataFrame({"strategic_emerging_class": ["新一代信息技术产业", None]}))[
    ...     "strategic_emerging"].tolist()
    [True, False]
    >>> flag_strategic_emerging(pd.DataFrame({"x": [1]}))["strategic_emerging"].tolist()
    [<NA>]
    """
    flag = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    named = _column(frame, "strategic_emerging_class").notna()
    if "strategic_emerging_class" in frame.columns:
        flag = named.astype("boolean")
    if "strategic_emerging" in frame.columns:
        # the flag decides; a named class fills it only where it is missing (a blank class then
        # means "not given", since the flag column says what is known)
        flag = _flags(frame["strategic_emerging"]).mask(
            named & frame["strategic_emerging"].isna(), True
        )
    return frame.assign(strategic_emerging=flag)


# --- checks across columns ------------------------------------------------------------------------


def _as_of(as_of: object) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp.today().normalize()
    try:
        day = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise InputError(f"as_of must be a date like 2025-12-31, not {as_of!r}") from None
    if pd.isna(day):
        raise InputError(f"as_of must be a date like 2025-12-31, not {as_of!r}")
    return day.normalize()


def _day(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m-%d")


def check_patents(frame: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """``issues`` entries for what no single column shows; duplicates last.

    A missing filing date; any date after ``as_of`` (default: today); a grant before the filing
    date; a lapse before the grant (or the filing); a lapse on or before ``as_of`` while the legal
    status says the right is in force; and, among rows without other issues, a repeated application
    number (the first row is kept, later ones point to it). The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "application_number": ["CN202210000001", "CN202210000002", "CN202210000001"],
    ...     "filing_date": pd.to_datetime(["2022-01-05", "2022-01-05", "2022-01-05"]),
    ...     "grant_date": pd.to_datetime(["2021-12-31", "2026-01-02", "2023-01-01"]),
    ...     "raw_row": [2, 3, 4]})
    >>> print("\\n".join(check_patents(raw, as_of="2025-12-31")["issues"].dropna()))
    grant_date: grant date 2021-12-31 is before the filing date 2022-01-05
    grant_date: date 2026-01-02 is after the reference date 2025-12-31
    """
    day = _as_of(as_of)
    empty = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")

    def dates(name: str) -> pd.Series:
        return frame[name].astype("datetime64[ns]") if name in frame.columns else empty

    out = frame if ISSUES in frame.columns else frame.assign(**{ISSUES: _issue_column(frame)})
    filing, grant, lapse = dates("filing_date"), dates("grant_date"), dates("lapse_date")
    unread_filing = _has_issue(out, "filing_date")
    out = _add_issues(
        out,
        filing.isna() & ~unread_filing & _column(frame, "application_number").notna(),
        "filing_date",
        "the filing date is missing",
    )
    for name in (c for c in DATE_COLUMNS if c in frame.columns):
        values = dates(name)
        out = _add_issues(
            out,
            values > day,
            name,
            "date " + _day(values) + f" is after the reference date {day:%Y-%m-%d}",
        )
    out = _add_issues(
        out,
        grant < filing,
        "grant_date",
        "grant date " + _day(grant) + " is before the filing date " + _day(filing),
    )
    out = _add_issues(
        out,
        lapse < grant,
        "lapse_date",
        "lapse date " + _day(lapse) + " is before the grant date " + _day(grant),
    )
    out = _add_issues(
        out,
        grant.isna() & (lapse < filing),
        "lapse_date",
        "lapse date " + _day(lapse) + " is before the filing date " + _day(filing),
    )
    status = _column(frame, "legal_status")
    out = _add_issues(
        out,
        (status == "in_force") & (lapse <= day),
        "lapse_date",
        "lapse date "
        + _day(lapse)
        + " has passed, but the legal status "
        + _quoted(_column(frame, "legal_status_text"))
        + " says the right is in force",
    )
    number = _column(frame, "application_number")
    clean = out[ISSUES].isna() & number.notna()
    repeated = clean & number.where(clean).duplicated(keep="first") & number.notna()
    if repeated.any():
        rows = _row_numbers(frame)
        first_row = (
            pd.DataFrame({"number": number[clean], "row": rows[clean]})
            .drop_duplicates("number")
            .set_index("number")["row"]
        )
        out = _add_issues(
            out,
            repeated,
            "application_number",
            "duplicate application number "
            + number
            + " (row "
            + number.map(first_row).astype("str")
            + " is kept)",
        )
    return out


# --- the whole pipeline ---------------------------------------------------------------------------


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


# --- reading files --------------------------------------------------------------------------------


def _header_score(cells: Sequence[object], keys: frozenset[str]) -> tuple[int, bool]:
    """(number of cells the alias table knows, whether one of them is an application number)."""
    matched = [_header_key(c) for c in cells if isinstance(c, str) and _header_key(c) in keys]
    return len(set(matched)), bool(set(matched) & _number_keys())


@functools.lru_cache(maxsize=1)
def _known_keys() -> frozenset[str]:
    return frozenset(_alias_table()["key"])


@functools.lru_cache(maxsize=1)
def _number_keys() -> frozenset[str]:
    table = _alias_table()
    return frozenset(table.loc[table["canonical"] == "application_number", "key"])


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """Index of the header among the first rows: the row with most known headers (at least 2)."""
    best, best_score = None, 1
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score, _ = _header_score(cells, _known_keys())
        if score > best_score:
            best, best_score = i, score
    return best


def _cells_text(cells: Sequence[object]) -> list[str]:
    return [str(c).strip() for c in cells if c is not None and str(c).strip() not in ("", "nan")]


def _no_header_error(rows: Sequence[Sequence[object]], file: Path, sheet: str | None) -> InputError:
    first = next((_cells_text(r) for r in rows if _cells_text(r)), [])
    shown = ", ".join(first[:12]) + (", …" if len(first) > 12 else "")
    return InputError(
        f"no header row in the first {HEADER_SEARCH_ROWS} rows: expected a row with headers such "
        f"as 申请号, 申请日, 专利类型 (see reference/patent_columns.csv); the first row holds: "
        f"{shown or 'nothing'}",
        file=file,
        sheet=sheet,
    )


def _encoding(data: bytes, path: Path) -> str:
    """The text encoding of a CSV export's bytes; InputError for workbooks and binary data."""
    if data[:4] == b"PK\x03\x04":
        raise InputError(
            "this is an Excel workbook (.xlsx), not a CSV text file: give it an .xlsx name",
            file=path,
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            "this is an Excel workbook (.xls), not a CSV text file: give it an .xls name", file=path
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and _decodes(data, "utf-16"):
        return "utf-16"
    if b"\x00" in data[:65536]:
        raise InputError(
            "not a CSV text file: it holds binary data (expected UTF-8 or GBK text)", file=path
        )
    for encoding in ("utf-8", "gb18030"):
        if _decodes(data, encoding):
            return encoding
    raise InputError(
        "not a CSV text file: its bytes are neither UTF-8 nor GBK/GB18030 text", file=path
    )


def _decodes(data: bytes, encoding: str, chunk: int = 1 << 22) -> bool:
    """Whether all of ``data`` decodes, checked in chunks (no copy of a large file as text)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(data[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(path: Path) -> tuple[list[object], pd.DataFrame, int, list[str]]:
    """(header cells, data rows as text, header row number, notes) of a CSV export."""
    data = path.read_bytes()
    if not data[:65536].removeprefix(b"\xef\xbb\xbf").strip() and not data[65536:].strip():
        raise InputError("the file is empty", file=path)
    encoding = _encoding(data, path)
    if encoding == "utf-16":
        # rare (Excel's "Unicode text"): re-encode so the parser below sees UTF-8
        data, encoding = data.decode("utf-16").encode("utf-8"), "utf-8"
        notes = ["encoding: utf-16"]
    else:
        notes = [] if encoding == "utf-8" else [f"encoding: {encoding}"]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[: 1 << 20].decode(encoding, errors="replace").splitlines()[:HEADER_SEARCH_ROWS]
    if not "".join(head).strip():
        raise InputError("the file is empty", file=path)
    best: tuple[int, int, str] | None = None  # (score, header index, delimiter)
    for delimiter in (",", "\t", ";"):
        rows = list(csv.reader(head, delimiter=delimiter))
        index = _find_header(rows)
        if index is not None:
            score = _header_score(rows[index], _known_keys())[0]
            if best is None or score > best[0]:
                best = (score, index, delimiter)
    if best is None:
        raise _no_header_error(list(csv.reader(head)), path, None)
    _, index, delimiter = best
    # records (not lines) up to the header: csv counts the lines a quoted new line spans
    reader = csv.reader(iter(head), delimiter=delimiter)
    for _ in range(index):
        next(reader)
    header = next(reader)
    offset = 0
    for _ in range(reader.line_num):
        end = data.find(b"\n", offset)
        offset = len(data) if end < 0 else end + 1
    width = len(header)
    try:
        rows = pd.read_csv(
            io.BytesIO(data[offset:]),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding=encoding,
        )
    except pd.errors.EmptyDataError:
        rows = pd.DataFrame(columns=range(width), dtype="str")
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if found:
            raise InputError(
                f"{found.group(3)} fields where the header has {width}",
                file=path,
                row=index + 1 + int(found.group(2)),
            ) from None
        raise InputError(f"cannot read the rows below the header: {error}", file=path) from None
    except (ValueError, csv.Error) as error:  # e.g. an unterminated quote
        raise InputError(f"cannot read the rows below the header: {error}", file=path) from None
    return header, rows.fillna(""), index + 1, notes


def _excel_text(grid: pd.DataFrame) -> pd.DataFrame:
    """Excel cells as text: integral numbers without ``.0``, dates without a midnight time."""
    out = {}
    for column in grid.columns:
        values = grid[column]
        text = values.astype("object").where(values.notna(), None).astype("str")
        text = text.str.replace(r"^(-?[0-9]+)\.0+$", r"\1", regex=True)
        out[column] = text.str.replace(
            r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) 00:00:00$", r"\1", regex=True
        )
    return pd.DataFrame(out, index=grid.index).fillna("")


def _read_excel(path: Path, sheet: str | None) -> tuple[list[object], pd.DataFrame, int, str, list]:
    """(header cells, data rows as text, header row number, sheet name, notes) of a workbook."""
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception:  # calamine, zipfile and OLE errors all mean "not readable"
        raise InputError(
            "not a readable Excel workbook: the file is damaged, truncated or not a spreadsheet",
            file=path,
        ) from None
    with book:
        return _read_book(book, path, sheet)


def _read_book(
    book: pd.ExcelFile, path: Path, sheet: str | None
) -> tuple[list[object], pd.DataFrame, int, str, list]:
    names = [str(n) for n in book.sheet_names]
    if sheet is not None and sheet not in names:
        raise InputError(
            f"no sheet named '{sheet}': the workbook has {', '.join(repr(n) for n in names)}",
            file=path,
        )
    candidates = [sheet] if sheet is not None else names
    first_grid = None
    for name in candidates:
        try:
            grid = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
        except Exception:
            raise InputError(
                "cannot read the sheet: the workbook is damaged or truncated",
                file=path,
                sheet=name,
            ) from None
        rows = grid.head(HEADER_SEARCH_ROWS).astype("object").values.tolist()
        index = _find_header(rows)
        if first_grid is None:
            first_grid = (name, rows)
        if index is None:
            continue
        text = _excel_text(grid)
        header = [c if isinstance(c, str) else ("" if pd.isna(c) else str(c)) for c in rows[index]]
        body = text.iloc[index + 1 :].reset_index(drop=True)
        notes = [] if sheet is not None or name == names[0] else [f"sheet: {name}"]
        return header, body, index + 1, name, notes
    if first_grid is None:
        raise InputError("the workbook has no sheets", file=path)
    if sheet is None and len(names) > 1:
        raise InputError(
            f"no sheet has a header row with 申请号, 申请日 … in its first {HEADER_SEARCH_ROWS} "
            f"rows: the workbook has {', '.join(repr(n) for n in names)}",
            file=path,
        )
    raise _no_header_error(first_grid[1], path, first_grid[0])


def _unique_headers(header: Sequence[object]) -> list[str]:
    """Header names as text, blanks named by position, repeats marked (a repeat is not read)."""
    seen: dict[str, int] = {}
    out = []
    for position, cell in enumerate(header, start=1):
        name = "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell)
        name = name.strip() or f"(column {position})"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} (repeat {seen[name]})")
    return out


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
