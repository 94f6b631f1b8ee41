"""Platform headers as data: the alias table, platform detection, the header map, the header row."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ipanalysis import paths
from ipanalysis.errors import InputError

from .columns import ISSUES

#: How many rows from the top of a file or sheet are searched for the header row.
HEADER_SEARCH_ROWS = 30


def _header_key(header: object) -> str:
    """How headers are compared: NFKC (full-width brackets and spaces), no spaces, case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(header))).casefold()


@functools.lru_cache(maxsize=8)
def _read_alias_table(file_name: str) -> pd.DataFrame:
    """An alias table of ``reference/`` (``patent_columns.csv``, ``record_columns.csv``) with
    each header's comparison ``key`` and its ``rank`` (its row: the first listed wins)."""
    table = pd.read_csv(paths.REFERENCE_DIR / file_name, dtype=str, keep_default_na=False)
    return table.assign(key=table["header"].map(_header_key), rank=np.arange(len(table)))


def _alias_table() -> pd.DataFrame:
    return _read_alias_table("patent_columns.csv")


def load_aliases() -> pd.DataFrame:
    """The alias table ``reference/patent_columns.csv``: platform, header, canonical, notes.

    A blank ``canonical`` marks a header known and deliberately not read.

    >>> aliases = load_aliases()
    >>> aliases.loc[aliases["header"] == "国省代码", ["platform", "canonical"]].values.tolist()
    [['cn_export_61', 'province_text'], ['cnipr', 'province_text']]
    """
    return _alias_table().drop(columns=["key", "rank"]).copy()


def platforms() -> list[str]:
    """Platforms of the alias table, in its order (``canonical`` and ``generic`` always apply).

    >>> platforms()
    ['cnipa_pss', 'cn_export_61', 'cnipr', 'incopat', 'patsnap', 'cnki', 'generic', 'canonical']
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
    own = hits.loc[hits["platform"] == "canonical", "key"].nunique()
    if len(specific):
        counts = specific.groupby("platform", sort=False)["key"].nunique()
        # a canonical table read back shares a header or two (ipc) with some platform
        return "canonical" if own > counts.max() else str(counts.idxmax())
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


def header_problems(
    names: Sequence[str], mapping: dict[object, str], platform: str | None, named: bool
) -> list[str]:
    """Every problem of a header row, each with what lifts it (empty when it can be read).

    ``named``: the platform was given by the caller rather than detected.

    >>> header_problems(["标题", "摘要"], {"标题": "title"}, "patsnap", named=True)[0].split(";")[0]
    'no column keys the records: expected 申请号 (application number) or 公开（公告）号 (publication number)'
    """
    present = set(mapping.values())
    problems = []
    if not present & {"application_number", "publication_number"}:
        problems.append(
            "no column keys the records: expected 申请号 (application number) or 公开（公告）号 "
            "(publication number); if the export names them otherwise, add its headers to "
            "reference/patent_columns.csv, or name the platform with --platform"
        )
    detected = detect_platform(names)
    if named and detected not in (None, platform, "canonical", "generic"):
        ours, theirs = _matches(names, platform), _matches(names, detected)
        if theirs > ours:
            problems.append(
                f"the headers are {detected}'s ({theirs} known) more than {platform}'s ({ours} "
                f"known): give --platform {detected}, or leave --platform out"
            )
    return problems


def _matches(names: Sequence[str], platform: str | None) -> int:
    table = _alias_table()
    keys = set(table.loc[table["platform"] == platform, "key"])
    return len({_header_key(n) for n in names} & keys)
