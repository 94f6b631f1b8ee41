"""Tidy CSVs of published figures (layout kinds ``long`` and ``wide``) to observations.

The layout in ``sources.yml`` names the columns: ``region`` (a column, with an optional map, or
a constant), ``indicator`` (a column mapped to registry ids, or a constant), ``values`` (value
columns: a year each for ``wide``, an indicator each, or one value column), ``year`` or
``date``, ``unit``, ``status``, ``source`` and the optional ``category``, ``confidence``,
``basis_note``, ``source_url`` and ``exclude`` (rows excluded by rule, with the reason).

Nothing is lost: every row yields at least one observation or a quarantine entry with its
reason, one step at a time (:func:`read_published`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InputError, ReadResult, quarantine_frame
from ..indicators import INDICATORS
from ..regions import region_names, try_resolve_regions
from ..schemas import ObservationTable
from ..vocabulary import missing_mask
from .manifest import SourceEntry, issuer_in_english


class _Quarantine:
    """Collects quarantined rows of one file: row number, record, reason, column."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.entries: list[dict] = []

    def add(self, rows: pd.DataFrame, reason, column=None) -> None:
        """Quarantine ``rows`` (with ``_raw_row``) with one reason, or a reason per row."""
        reasons = reason if isinstance(reason, pd.Series | list) else [reason] * len(rows)
        columns = column if isinstance(column, pd.Series) else [column] * len(rows)
        records = rows.drop(columns="_raw_row").to_dict("records")
        for row_no, record, why, col in zip(
            rows["_raw_row"], records, reasons, columns, strict=True
        ):
            self.entries.append(
                {
                    "raw_file": self.name,
                    "sheet": None,
                    "raw_row": int(row_no),
                    "column": col,
                    "reason": why,
                    "record": json.dumps(record, ensure_ascii=False),
                }
            )


def _spec_value(frame: pd.DataFrame, spec, default=None) -> pd.Series:
    """A column named by ``spec`` (str), a constant (``{constant: x}``), or ``default``."""
    if spec is None:
        return pd.Series(default, index=frame.index, dtype="object")
    if isinstance(spec, dict):
        return pd.Series(spec["constant"], index=frame.index, dtype="object")
    return frame[spec].replace("", None)


def _columns_named(layout: dict) -> list[str]:
    """Raw columns a layout refers to (to check them up front, with one clear error)."""
    names = [
        layout[key]
        for key in ("year", "date", "unit", "status", "confidence", "source", "source_url")
        + ("basis_note",)
        if isinstance(layout.get(key), str)
    ]
    names += list((layout.get("citation") or {}).values())
    for key in ("region", "indicator", "category"):
        spec = layout.get(key) or {}
        names += [spec[k] for k in ("column", "level_column") if k in spec]
    return names + list(layout["values"]) + list(layout.get("exclude") or {})


def _read_csv(entry: SourceEntry, path: Path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"not a readable UTF-8 CSV ({exc})", file=path) from None
    absent = [c for c in _columns_named(entry.layout) if c not in raw.columns]
    if absent:
        raise InputError(
            f"expected column(s) {', '.join(absent)} (from sources.yml layout of '{entry.id}'), "
            f"found {', '.join(raw.columns)}",
            file=path,
        )
    return raw.assign(_raw_row=raw.index + 2)


def _exclude(raw: pd.DataFrame, layout: dict, out: _Quarantine) -> pd.DataFrame:
    """Rows excluded by rule (e.g. memo rows already counted elsewhere), with the rule's reason."""
    for column, reasons in (layout.get("exclude") or {}).items():
        hit = raw[column].isin(list(reasons))
        out.add(raw[hit], raw.loc[hit, column].map(reasons), column)
        raw = raw[~hit]
    return raw


def _regions(raw: pd.DataFrame, spec: dict, out: _Quarantine) -> pd.DataFrame:
    """A ``_region_code`` per row: the layout's constant, its map, or any spelling resolved."""
    if "constant" in spec:
        return raw.assign(_region_code=str(spec["constant"]))
    names = raw[spec["column"]].str.strip()
    codes = (
        names.map(spec.get("map", {}))
        .astype("string")
        .fillna(try_resolve_regions(names, follow_successor=False))
    )
    unknown = codes.isna()
    reasons = raw.loc[unknown, spec["column"]].map(
        lambda v: f"unknown region '{v}' (not in the region reference)"
    )
    out.add(raw[unknown], reasons, spec["column"])
    return raw[~unknown].assign(_region_code=codes[~unknown])


def _long(raw: pd.DataFrame, layout: dict, out: _Quarantine) -> pd.DataFrame:
    """One row per value cell: ``_value_text``, ``_indicator``, ``_basis``, ``_unit`` and year."""
    pieces = []
    for column, target in layout["values"].items():
        piece = raw.assign(_value_text=raw[column].str.strip(), _value_column=column)
        if isinstance(target, int):  # wide: the column holds one year
            piece = piece.assign(_year_text=str(target))
        elif isinstance(target, list):  # the column holds one indicator
            piece = piece.assign(_indicator=target[0], _basis=target[1], _unit=target[2])
        pieces.append(piece)
    long = pd.concat(pieces, ignore_index=True)
    spec = layout["indicator"]
    if "_indicator" not in long and "constant" in spec:
        ident, basis = spec["constant"]
        long = long.assign(_indicator=ident, _basis=basis)
    elif "_indicator" not in long:
        column = long[spec["column"]]
        mapped = column.map({k: v[0] for k, v in spec["map"].items()})
        bases = column.map({k: v[1] for k, v in spec["map"].items()})
        bad = mapped.isna()
        reasons = column[bad].map(
            lambda v: f"indicator '{v}' is not mapped to the registry in sources.yml"
        )
        out.add(long.loc[bad, raw.columns], reasons, spec["column"])
        long = long[~bad].assign(_indicator=mapped[~bad], _basis=bases[~bad])
    if "_unit" not in long:
        long["_unit"] = _spec_value(long, layout.get("unit"))
    return long


def _dates(long: pd.DataFrame, layout: dict, columns, out: _Quarantine) -> pd.DataFrame:
    """``_year`` and ``_date`` (31 December unless the layout gives a date column)."""
    if "_year_text" in long:
        years = pd.to_numeric(long["_year_text"], errors="coerce")
    elif "year" in layout:
        years = pd.to_numeric(long[layout["year"]], errors="coerce")
    else:
        years = pd.to_datetime(long[layout["date"]], errors="coerce", format="%Y-%m-%d").dt.year
    if "date" in layout:
        long["_date"] = pd.to_datetime(long[layout["date"]], errors="coerce", format="%Y-%m-%d")
    else:
        year_ends = years.astype("Int64").astype(str) + "-12-31"
        long["_date"] = pd.to_datetime(year_ends, errors="coerce")
    long["_year"] = years
    bad = long["_date"].isna()
    column = layout.get("year") or layout.get("date")
    out.add(long.loc[bad, columns], "missing or invalid year/date", column)
    return long[~bad]


def _values(long: pd.DataFrame, columns, out: _Quarantine) -> pd.DataFrame:
    """Numbers: missing markers are no observation (never 0); other non-numbers quarantined."""
    long = long[~missing_mask(long["_value_text"])]
    values = pd.to_numeric(long["_value_text"].str.replace(",", "", regex=False), errors="coerce")
    bad = values.isna()
    reasons = long.loc[bad, "_value_text"].map(lambda v: f"expected a number, found '{v}'")
    out.add(long.loc[bad, columns], reasons, long.loc[bad, "_value_column"])
    return long[~bad].assign(_value=values[~bad])


def _registry_checks(long: pd.DataFrame, layout: dict, columns, out: _Quarantine):
    """Known indicator with the registry's unit, and a status this project publishes."""
    expected = long["_indicator"].map(lambda i: INDICATORS[i].unit if i in INDICATORS else None)
    bad = long["_unit"] != expected
    reasons = [
        f"unit '{u}' of {i} differs from the registry unit '{e}'"
        for u, i, e in zip(
            long.loc[bad, "_unit"], long.loc[bad, "_indicator"], expected[bad], strict=True
        )
    ]
    out.add(long.loc[bad, columns], reasons, "unit")
    long = long[~bad]
    status = _spec_value(long, layout.get("status"))
    bad = ~status.isin(["published", "derived"])
    reasons = status[bad].map(lambda s: f"status '{s}' is neither published nor derived")
    out.add(long.loc[bad, columns], reasons, "status")
    return long[~bad].assign(_status=status[~bad])


def _citations(long: pd.DataFrame, layout: dict, entry: SourceEntry) -> dict[str, pd.Series]:
    """Each value's official citation (Chinese and English), official page and read-at page.

    With a ``citation`` mapping in the layout (columns ``issuer, title, title_en, table, date,
    url, read_at``), the citation is built from those columns; otherwise from the layout's
    ``source`` column (or the entry's title) as before.
    """
    spec = layout.get("citation")
    if not spec:
        source = _spec_value(long, layout.get("source")).fillna(entry.title)
        return {
            "source": source,
            "source_en": pd.Series(entry.text("title", "en"), index=long.index),
            "source_url": _spec_value(long, layout.get("source_url")),
            "read_at": pd.Series(None, index=long.index, dtype="object"),
        }
    col = {k: long[v].fillna("").astype(str) for k, v in spec.items()}
    issuer_en = col["issuer"].map(lambda i: issuer_in_english(i))
    table = col["table"].where(col["table"] == "", "，" + col["table"])
    # the date is named once: not again where the title already gives it
    said = pd.Series(
        [d in t for d, t in zip(col["date"], col["title"], strict=True)], index=long.index
    )
    dated = (col["date"] != "") & ~said
    date = ("（" + col["date"] + "）").where(dated, "")
    said_en = pd.Series(
        [d in t for d, t in zip(col["date"], col["title_en"], strict=True)], index=long.index
    )
    date_en = (" (" + col["date"] + ")").where((col["date"] != "") & ~said_en, "")
    source = col["issuer"] + "：" + col["title"] + table + date
    source_en = issuer_en + ": " + col["title_en"] + date_en
    blank = lambda s: s.where(s != "", None)  # noqa: E731
    return {
        "source": source,
        "source_en": source_en,
        "source_url": blank(col["url"]),
        "read_at": blank(col["read_at"]),
    }


def _observations(long: pd.DataFrame, entry: SourceEntry, name: str) -> pd.DataFrame:
    layout = entry.layout
    category = layout.get("category")
    if category:
        column = long[category["column"]]
        cat = column.where(column != category["total"], "total")
    else:
        cat = "total"
    return pd.DataFrame(
        {
            "region_code": long["_region_code"],
            "region": long["_region_code"].map(region_names()),
            "indicator": long["_indicator"],
            "category": cat,
            "year": long["_year"].astype("int64"),
            "date": long["_date"],
            "value": long["_value"].astype(float),
            "unit": long["_unit"],
            "basis": long["_basis"],
            "basis_note": _spec_value(long, layout.get("basis_note")),
            "status": long["_status"],
            "confidence": _spec_value(long, layout.get("confidence")),
            **_citations(long, layout, entry),
            "source_id": entry.id,
            "vintage": entry.vintage,
            "priority": entry.priority,
            "raw_file": name,
            "raw_row": long["_raw_row"].astype("int64"),
        }
    )


def read_published(entry: SourceEntry, path: Path) -> ReadResult:
    """Observations from a tidy CSV of published figures (layout kinds ``long`` and ``wide``).

    Each step quarantines the rows it cannot use, with the reason: rows excluded by rule,
    unknown regions, unmapped indicators, bad years or dates, non-numbers, units that differ
    from the registry's, statuses other than published or derived; a row none of whose value
    cells holds a figure is quarantined too. Missing markers (—, …, blank) yield no observation.
    """
    raw = _read_csv(entry, path)
    out = _Quarantine(path.name)
    layout = entry.layout
    raw = _exclude(raw, layout, out)
    raw = _regions(raw, layout["region"], out)
    long = _long(raw, layout, out)
    long = _dates(long, layout, raw.columns, out)
    long = _values(long, raw.columns, out)
    long = _registry_checks(long, layout, raw.columns, out)
    obs = _observations(long, entry, path.name)
    seen = set(obs["raw_row"]) | {p["raw_row"] for p in out.entries}
    empty = raw[~raw["_raw_row"].isin(seen)]
    out.add(empty, "no value in any value column (" + ", ".join(layout["values"]) + ")", None)
    obs = ObservationTable.validate(obs.reset_index(drop=True), lazy=True)
    with open(path, encoding="utf-8-sig") as handle:
        total_rows = sum(1 for _ in handle) - 1
    return ReadResult(
        data=obs, quarantine=quarantine_frame(out.entries), rows_read=total_rows, file=path.name
    )
