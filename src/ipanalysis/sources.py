"""The manifest of raw sources and the generic loader that turns them into observations.

``data/sources.yml`` describes every file in ``data/raw/``: provenance (publisher, document,
how it was obtained, licence, vintage), a sha256 pin, and a ``layout`` telling this module how
its rows become tidy observations (see :class:`ipanalysis.schemas.ObservationTable`).

Nothing is lost: every raw row either yields at least one observation or is quarantined with its
reason, and :func:`prepare` writes a reconciliation (rows read = kept + quarantined, per file).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import paths
from .errors import InputError, ReadResult, quarantine_frame
from .indicators import INDICATORS
from .regions import region_names, try_resolve_regions
from .schemas import ObservationTable

OBSERVATIONS_FILE = "observations.parquet"
QUARANTINE_FILE = "quarantine.csv"
RECONCILIATION_FILE = "reconciliation.csv"
QUALITY_FILE = "quality.csv"
PATENTS_FILE = "patents.parquet"
STAMP_FILE = "observations.stamp.json"


@dataclass(frozen=True)
class SourceEntry:
    """One manifest entry: provenance plus how to read the file."""

    id: str
    file: str
    title: str
    publisher: str
    vintage: str
    sha256: str
    layout: dict
    meta: dict

    def path(self, data_dir: Path) -> Path:
        return data_dir / self.file


def read_manifest(path: Path | None = None) -> list[SourceEntry]:
    """Parse ``sources.yml`` into entries, checking required keys."""
    path = Path(path) if path else paths.manifest_path()
    if not path.exists():
        raise InputError("the source manifest is missing", file=path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for n, item in enumerate(doc.get("sources", []), start=1):
        missing = [
            k
            for k in ("id", "file", "title", "publisher", "vintage", "sha256", "layout")
            if k not in item
        ]
        if missing:
            raise InputError(f"source #{n} lacks {', '.join(missing)}", file=path)
        entries.append(
            SourceEntry(
                id=item["id"],
                file=item["file"],
                title=item["title"],
                publisher=item["publisher"],
                vintage=str(item["vintage"]),
                sha256=item["sha256"],
                layout=item["layout"],
                meta={k: v for k, v in item.items() if k != "layout"},
            )
        )
    return entries


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _spec_value(frame: pd.DataFrame, spec, default=None) -> pd.Series:
    """A column named by ``spec`` (str), a constant (``{constant: x}``), or ``default``."""
    if spec is None:
        return pd.Series(default, index=frame.index, dtype="object")
    if isinstance(spec, dict):
        return pd.Series(spec["constant"], index=frame.index, dtype="object")
    return frame[spec].replace("", None)


def read_source(entry: SourceEntry, data_dir: Path | None = None) -> ReadResult:
    """Read one raw file, quarantining rows that cannot be used.

    The layout's ``kind`` says how: ``long`` / ``wide`` (default) tidy CSVs of published figures
    and ``release`` statistical tables (:func:`read_release`) give observations; ``patents``
    gives a canonical patent table (:func:`ipanalysis.clean.patents.read_patent_export`), from
    which :func:`prepare_all` computes stocks.
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    path = entry.path(data_dir)
    if not path.exists():
        raise InputError(f"listed in sources.yml as '{entry.id}' but not found", file=path)
    kind = entry.layout.get("kind", "long")
    if kind == "release":
        return read_release(entry, path)
    if kind == "patents":
        from .clean.patents import read_patent_export

        layout = entry.layout
        return read_patent_export(
            path, layout.get("sheet"), platform=layout.get("platform"), as_of=layout.get("as_of")
        )
    if kind not in ("long", "wide"):
        raise InputError(
            f"layout kind '{kind}' of '{entry.id}' is not one of long, wide, release, patents",
            file=path,
        )
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"not a readable UTF-8 CSV ({exc})", file=path) from None
    layout = entry.layout
    name = path.name
    needed = _columns_named(layout)
    absent = [c for c in needed if c not in raw.columns]
    if absent:
        raise InputError(
            f"expected column(s) {', '.join(absent)} (from sources.yml layout of '{entry.id}'), "
            f"found {', '.join(raw.columns)}",
            file=path,
        )

    raw = raw.assign(_raw_row=raw.index + 2)
    problems: list[dict] = []

    def quarantine(rows: pd.DataFrame, reason, column=None) -> None:
        for row_no, record, why, col in zip(
            rows["_raw_row"],
            rows.drop(columns="_raw_row").to_dict("records"),
            reason if isinstance(reason, pd.Series | list) else [reason] * len(rows),
            column if isinstance(column, pd.Series) else [column] * len(rows),
            strict=True,
        ):
            problems.append(
                {
                    "raw_file": name,
                    "sheet": None,
                    "raw_row": int(row_no),
                    "column": col,
                    "reason": why,
                    "record": json.dumps(record, ensure_ascii=False),
                }
            )

    # rows excluded by rule (e.g. memo rows already counted elsewhere)
    for column, reasons in (layout.get("exclude") or {}).items():
        hit = raw[column].isin(list(reasons))
        quarantine(raw[hit], raw.loc[hit, column].map(reasons), column)
        raw = raw[~hit]

    # region
    region_spec = layout["region"]
    if "constant" in region_spec:
        raw = raw.assign(_region_code=str(region_spec["constant"]))
    else:
        names = raw[region_spec["column"]].str.strip()
        # the layout's own map first, then every spelling the region reference resolves
        codes = (
            names.map(region_spec.get("map", {}))
            .astype("string")
            .fillna(try_resolve_regions(names, follow_successor=False))
        )
        unknown = codes.isna()
        quarantine(
            raw[unknown],
            raw.loc[unknown, region_spec["column"]].map(
                lambda v: f"unknown region '{v}' (not in the region reference)"
            ),
            region_spec["column"],
        )
        raw = raw[~unknown].assign(_region_code=codes[~unknown])

    # one long frame of (row, value text, indicator, basis, year/date, unit override)
    indicator_spec = layout["indicator"]
    pieces = []
    for column, target in layout["values"].items():
        piece = raw.assign(_value_text=raw[column].str.strip(), _value_column=column)
        if isinstance(target, int):  # wide: the column holds one year
            piece = piece.assign(_year_text=str(target))
        elif isinstance(target, list):  # the column holds one indicator
            piece = piece.assign(_indicator=target[0], _basis=target[1], _unit=target[2])
        pieces.append(piece)
    long = pd.concat(pieces, ignore_index=True)

    if "_indicator" not in long:
        if "constant" in indicator_spec:
            ident, basis = indicator_spec["constant"]
            long = long.assign(_indicator=ident, _basis=basis)
        else:
            mapped = long[indicator_spec["column"]].map(
                {k: v[0] for k, v in indicator_spec["map"].items()}
            )
            bases = long[indicator_spec["column"]].map(
                {k: v[1] for k, v in indicator_spec["map"].items()}
            )
            bad = mapped.isna()
            quarantine(
                long.loc[bad, raw.columns],
                long.loc[bad, indicator_spec["column"]].map(
                    lambda v: f"indicator '{v}' is not mapped to the registry in sources.yml"
                ),
                indicator_spec["column"],
            )
            long = long[~bad].assign(_indicator=mapped[~bad], _basis=bases[~bad])

    if "_unit" not in long:
        long["_unit"] = _spec_value(long, layout.get("unit"))

    # dates
    if "_year_text" in long:
        years = pd.to_numeric(long["_year_text"], errors="coerce")
    elif "year" in layout:
        years = pd.to_numeric(long[layout["year"]], errors="coerce")
    else:
        dates = pd.to_datetime(long[layout["date"]], errors="coerce", format="%Y-%m-%d")
        years = dates.dt.year
    if "date" in layout:
        long["_date"] = pd.to_datetime(long[layout["date"]], errors="coerce", format="%Y-%m-%d")
    else:
        long["_date"] = pd.to_datetime(
            years.astype("Int64").astype(str) + "-12-31", errors="coerce"
        )
    long["_year"] = years
    bad_date = long["_date"].isna()
    quarantine(
        long.loc[bad_date, raw.columns],
        "missing or invalid year/date",
        layout.get("year") or layout.get("date"),
    )
    long = long[~bad_date]

    # values: blank cells are missing (not observations); non-numbers are quarantined
    blank = long["_value_text"].isin(["", "-", "—", "…", "/"])
    long = long[~blank]
    values = pd.to_numeric(long["_value_text"].str.replace(",", "", regex=False), errors="coerce")
    bad_value = values.isna()
    quarantine(
        long.loc[bad_value, raw.columns],
        long.loc[bad_value, "_value_text"].map(lambda v: f"expected a number, found '{v}'"),
        long.loc[bad_value, "_value_column"],
    )
    long = long[~bad_value].assign(_value=values[~bad_value])

    # registry checks: known indicator, its unit, its basis, and a status we publish
    expected_unit = long["_indicator"].map(
        lambda i: INDICATORS[i].unit if i in INDICATORS else None
    )
    bad_unit = long["_unit"] != expected_unit
    quarantine(
        long.loc[bad_unit, raw.columns],
        [
            f"unit '{u}' of {i} differs from the registry unit '{e}'"
            for u, i, e in zip(
                long.loc[bad_unit, "_unit"],
                long.loc[bad_unit, "_indicator"],
                expected_unit[bad_unit],
                strict=True,
            )
        ],
        "unit",
    )
    long = long[~bad_unit]
    status = _spec_value(long, layout.get("status"))
    bad_status = ~status.isin(["published", "derived"])
    quarantine(
        long.loc[bad_status, raw.columns],
        status[bad_status].map(lambda s: f"status '{s}' is neither published nor derived"),
        "status",
    )
    long = long[~bad_status].assign(_status=status[~bad_status])

    category = layout.get("category")
    if category:
        cat = long[category["column"]].where(long[category["column"]] != category["total"], "total")
    else:
        cat = "total"
    obs = pd.DataFrame(
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
            "source": _spec_value(long, layout.get("source")).fillna(entry.title),
            "source_url": _spec_value(long, layout.get("source_url")),
            "source_id": entry.id,
            "raw_file": name,
            "raw_row": long["_raw_row"].astype("int64"),
        }
    )

    # rows that yielded nothing and were not quarantined yet: all value cells blank
    seen = set(obs["raw_row"]) | {p["raw_row"] for p in problems}
    empty = raw[~raw["_raw_row"].isin(seen)]
    quarantine(empty, "no value in any value column (" + ", ".join(layout["values"]) + ")", None)

    obs = ObservationTable.validate(obs.reset_index(drop=True), lazy=True)
    total_rows = sum(1 for _ in open(path, encoding="utf-8-sig")) - 1
    return ReadResult(
        data=obs, quarantine=quarantine_frame(problems), rows_read=total_rows, file=name
    )


def read_release(entry: SourceEntry, path: Path) -> ReadResult:
    """Observations from a statistical release (Excel or CSV) read by ``read_table``.

    The layout maps each measure of the table (its header path, e.g. ``专利授权量/发明``) to an
    indicator and basis of the registry (``measures``); ``sheet``, ``period``, ``to_unit`` and
    ``encoding`` are passed to :func:`ipanalysis.clean.tables.read_table`, ``status`` (default
    ``published``) applies to every value. A value whose unit differs from the registry's is
    quarantined; a row none of whose values is used is quarantined with the reason; measures
    the layout does not map are listed in the notes. Totals rows (全市 …) become observations of
    the region they stand for.
    """
    from .clean.tables import read_table

    layout = entry.layout
    measures: dict = layout.get("measures") or {}
    if not measures:
        raise InputError(
            f"layout of '{entry.id}' (kind release) needs 'measures': table measure → "
            "[indicator, basis]",
            file=path,
        )
    for measure, target in measures.items():
        if not isinstance(target, list) or len(target) != 2 or target[0] not in INDICATORS:
            raise InputError(
                f"layout of '{entry.id}': measure '{measure}' must map to [indicator, basis] with "
                f"an indicator of the registry, got {target!r}",
                file=path,
            )
    table = read_table(
        path,
        layout.get("sheet"),
        period=layout.get("period"),
        to_unit=layout.get("to_unit"),
        encoding=layout.get("encoding"),
    )
    tidy = table.data
    notes = list(table.notes)
    unused = sorted(set(tidy["measure"]) - set(measures))
    if unused:
        notes.append(f"measures not mapped in sources.yml (not read): {', '.join(unused)}")
    absent = sorted(set(measures) - set(tidy["measure"]))
    if absent:
        raise InputError(
            f"measure(s) {', '.join(absent)} named in sources.yml are not in the table; "
            f"it has: {', '.join(dict.fromkeys(tidy['measure']))}",
            file=path,
            sheet=table.sheet,
        )
    used = tidy[tidy["measure"].isin(list(measures)) & tidy["value"].notna()]
    indicator = used["measure"].map({m: t[0] for m, t in measures.items()})
    expected = indicator.map(lambda i: INDICATORS[i].unit)
    wrong_unit = used["unit"] != expected
    problems = [
        {
            "raw_file": path.name,
            "sheet": table.sheet,
            "raw_row": int(r.raw_row),
            "column": r.cell,
            "reason": f"unit '{r.unit}' of {i} differs from the registry unit '{e}' "
            "(set to_unit in sources.yml to convert)",
            "record": json.dumps({"measure": r.measure, "value": r.value}, ensure_ascii=False),
        }
        for r, i, e in zip(
            used[wrong_unit].itertuples(), indicator[wrong_unit], expected[wrong_unit], strict=True
        )
    ]
    used, indicator = used[~wrong_unit], indicator[~wrong_unit]
    period = pd.to_numeric(used["period"], errors="coerce").astype("int64")
    obs = pd.DataFrame(
        {
            "region_code": used["region_code"].astype(str),
            "region": used["region_code"].map(region_names()).fillna(used["region"]),
            "indicator": indicator,
            "category": "total",
            "year": period,
            "date": pd.to_datetime(period.astype(str) + "-12-31"),
            "value": used["value"].astype(float),
            "unit": used["unit"],
            "basis": used["measure"].map({m: t[1] for m, t in measures.items()}),
            "basis_note": None,
            "status": layout.get("status", "published"),
            "confidence": None,
            "source": entry.title
            + "，"
            + used["sheet"].fillna("").astype(str)
            + " "
            + used["cell"],
            "source_url": entry.meta.get("url"),
            "source_id": entry.id,
            "raw_file": path.name,
            "raw_row": used["raw_row"].astype("int64"),
        }
    )
    kept_rows = set(obs["raw_row"])
    quarantined = [*table.quarantine.to_dict("records"), *problems]
    seen = kept_rows | {int(q["raw_row"]) for q in quarantined}
    for row in sorted(set(tidy["raw_row"]) - seen):
        quarantined.append(
            {
                "raw_file": path.name,
                "sheet": table.sheet,
                "raw_row": int(row),
                "column": None,
                "reason": "no value of a measure mapped in sources.yml",
                "record": None,
            }
        )
    obs = ObservationTable.validate(obs.reset_index(drop=True), lazy=True)
    return ReadResult(
        data=obs,
        quarantine=quarantine_frame(quarantined),
        rows_read=table.rows_read,
        file=path.name,
        notes=notes,
    )


def patent_observations(
    patents: pd.DataFrame, entry: SourceEntry, population: pd.DataFrame | None
) -> pd.DataFrame:
    """Year-end stocks computed from an office's patent records, as ``derived`` observations.

    Valid and high-value invention patents held by domestic patentees at each year end from
    ``layout.years`` (``[first, last]``; default: the first grant year to the year of
    ``layout.as_of``), by region, and per 10,000 residents where ``population`` covers the region
    (the nearest year's). The high-value rule is :data:`ipanalysis.engine.DEFAULT_DEFINITION`,
    named in each value's ``basis_note``. Where any valid patent of a region lacks an input the
    rule needs (e.g. no strategic-emerging flag in the export), that region-year gets no
    high-value figure: a count of the decidable ones only would understate it.
    """
    from . import engine

    layout = entry.layout
    granted = patents["grant_date"].dropna()
    if granted.empty:
        return ObservationTable.validate(
            pd.DataFrame(columns=list(ObservationTable.to_schema().columns)), lazy=True
        )
    as_of = pd.Timestamp(layout.get("as_of") or pd.Timestamp.today().normalize())
    first, last = layout.get("years") or [int(granted.dt.year.min()), as_of.year]
    last_end = min(pd.Timestamp(f"{int(last)}-12-31"), as_of)
    dates = [d for d in engine.year_ends(int(first), int(last)) if d <= last_end]
    stocks = engine.stock(patents, dates, population=population)
    definition = engine.DEFAULT_DEFINITION
    out = engine.stock_observations(stocks)
    out = out[~out["undecided"]]
    note = f"computed by ipanalysis from patent records ({definition.version})"
    per_10k = out["population_year"].notna()
    out = out.assign(
        basis_note=note
        + ("; per 10k: population of " + out["population_year"].astype(str)).where(per_10k, "")
    )
    out = out.assign(
        region=out["region_code"].map(region_names()).fillna(out["region_code"]),
        category="total",
        basis="domestic",
        status="derived",
        confidence=None,
        source=f"{entry.title}（ipanalysis 按 {definition.version} 由专利记录计算）",
        source_url=entry.meta.get("url"),
        source_id=entry.id,
        raw_file=Path(entry.file).name,
        raw_row=2,
    )
    columns = list(ObservationTable.to_schema().columns)
    return ObservationTable.validate(out[columns], lazy=True)


def _population(observations: pd.DataFrame) -> pd.DataFrame | None:
    """Resident year-end population by region and year, for per-10k figures."""
    rows = observations[
        (observations["indicator"] == "resident_population") & (observations["basis"] == "year_end")
    ]
    if rows.empty:
        return None
    return pd.DataFrame(
        {
            "region": rows["region_code"].astype(str),
            "population_10k": rows["value"].astype(float),
            "year": rows["year"].astype("int64"),
            "basis": "resident_year_end",
        }
    ).reset_index(drop=True)


def _columns_named(layout: dict) -> list[str]:
    """Raw columns a layout refers to (to check them up front, with one clear error)."""
    names = []
    for key in (
        "year",
        "date",
        "unit",
        "status",
        "confidence",
        "source",
        "source_url",
        "basis_note",
    ):
        if isinstance(layout.get(key), str):
            names.append(layout[key])
    for key in ("region", "indicator", "category"):
        spec = layout.get(key) or {}
        names += [spec[k] for k in ("column", "level_column") if k in spec]
    names += list(layout["values"])
    names += list(layout.get("exclude") or {})
    return names


@dataclass
class Prepared:
    """The result of :func:`prepare_all`: observations, quarantine and the reconciliation."""

    observations: pd.DataFrame
    quarantine: pd.DataFrame
    reconciliation: pd.DataFrame
    manifest: list[SourceEntry]
    patents: pd.DataFrame | None = None  # canonical patent records of ``kind: patents`` sources
    notes: dict[str, list[str]] = field(default_factory=dict)  # per source id: what the reader saw


def unlisted_files(data_dir: Path, manifest: list[SourceEntry]) -> list[str]:
    """Files in ``raw/`` that no manifest entry describes (hidden files and READMEs aside)."""
    listed = {(data_dir / e.file).resolve() for e in manifest}
    return sorted(
        path.relative_to(data_dir).as_posix()
        for path in (data_dir / "raw").rglob("*")
        if path.is_file()
        and not path.name.startswith(".")
        and path.name.lower() not in ("readme.md", "readme.txt")
        and path.resolve() not in listed
    )


def prepare_all(
    data_dir: Path | None = None,
    *,
    check_hashes: bool = True,
    on_source: Callable[[SourceEntry], None] | None = None,
) -> Prepared:
    """Read every manifest source in memory (no writes).

    ``on_source`` is called with each entry once it has been read (for a progress display).

    Raises
    ------
    InputError
        A raw file's hash differs from the manifest, a listed file is missing or unreadable, or
        ``raw/`` holds a file the manifest does not describe (its rows would be lost unseen).
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    manifest = read_manifest(data_dir / "sources.yml")
    stray = unlisted_files(data_dir, manifest)
    if stray:
        raise InputError(
            f"{', '.join(stray)}: not described in sources.yml; add an entry for each file "
            "(provenance and layout) or move it out of raw/",
            file=data_dir / "sources.yml",
        )
    results = []
    for entry in manifest:
        path = entry.path(data_dir)
        if check_hashes and path.exists() and sha256(path) != entry.sha256:
            raise InputError(
                f"sha256 {sha256(path)[:12]}… differs from sources.yml ({entry.sha256[:12]}…): "
                "raw files are immutable — record a new vintage in the manifest instead",
                file=path,
            )
        results.append(read_source(entry, data_dir))
        if on_source:
            on_source(entry)
    is_patents = [e.layout.get("kind") == "patents" for e in manifest]
    observations = pd.concat(
        [r.data for r, p in zip(results, is_patents, strict=True) if not p], ignore_index=True
    )
    patents = [
        r.data.assign(source_id=e.id)
        for e, r, p in zip(manifest, results, is_patents, strict=True)
        if p
    ]
    if patents:
        population = _population(observations)
        computed = [
            patent_observations(r.data, e, population)
            for e, r, p in zip(manifest, results, is_patents, strict=True)
            if p
        ]
        observations = pd.concat([observations, *computed], ignore_index=True)
    quarantine = pd.concat([r.quarantine for r in results], ignore_index=True)
    reconciliation = pd.DataFrame([r.reconciliation() for r in results])
    return Prepared(
        observations,
        quarantine,
        reconciliation,
        manifest,
        pd.concat(patents, ignore_index=True) if patents else None,
        {e.id: r.notes for e, r in zip(manifest, results, strict=True) if r.notes},
    )


def _manifest_digest(data_dir: Path) -> str:
    return sha256(data_dir / "sources.yml")


def _code_version() -> str:
    from . import __version__
    from .indicators import DEFINITIONS_VERSION

    return f"{__version__}/{DEFINITIONS_VERSION}/{sha256(Path(__file__))[:12]}"


def quality_summary(prepared: Prepared) -> pd.DataFrame:
    """Per source: rows read, kept and quarantined, values by status, indicators and years.

    The data-quality summary ``ipanalysis prepare`` prints and writes to ``quality.csv``.
    """
    obs = prepared.observations
    by_source = obs.groupby("source_id", sort=False)
    rows = []
    for entry, line in zip(
        prepared.manifest, prepared.reconciliation.to_dict("records"), strict=True
    ):
        values = by_source.get_group(entry.id) if entry.id in by_source.groups else obs.iloc[0:0]
        counts = values["status"].value_counts()
        rows.append(
            {
                "source_id": entry.id,
                "file": line["file"],
                "rows_read": line["rows_read"],
                "rows_kept": line["rows_kept"],
                "rows_quarantined": line["rows_quarantined"],
                "reconciles": line["reconciles"],
                "values": len(values),
                "published": int(counts.get("published", 0)),
                "derived": int(counts.get("derived", 0)),
                "indicators": values["indicator"].nunique(),
                "regions": values["region_code"].nunique(),
                "years": f"{values['year'].min()}–{values['year'].max()}" if len(values) else "",
            }
        )
    return pd.DataFrame(rows)


def prepare(
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    *,
    on_source: Callable[[SourceEntry], None] | None = None,
) -> Prepared:
    """Read all raw sources and write them to ``data/processed/`` atomically.

    Everything is read and validated in memory first; only then are the files written, each to
    a temporary name and moved into place, so a failure leaves the previous processed data intact.
    Idempotent: the same raw files give byte-identical outputs. Writes the observations, the
    quarantine, the reconciliation and the quality summary (:func:`quality_summary`).
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    out_dir = Path(out_dir) if out_dir else data_dir / "processed"
    prepared = prepare_all(data_dir, on_source=on_source)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = {
        "manifest_sha256": _manifest_digest(data_dir),
        "code_version": _code_version(),
        "rows": int(len(prepared.observations)),
    }
    outputs = {
        OBSERVATIONS_FILE: lambda p: prepared.observations.to_parquet(p, index=False),
        QUARANTINE_FILE: lambda p: prepared.quarantine.to_csv(p, index=False),
        RECONCILIATION_FILE: lambda p: prepared.reconciliation.to_csv(p, index=False),
        QUALITY_FILE: lambda p: quality_summary(prepared).to_csv(p, index=False),
        **(
            {PATENTS_FILE: lambda p: prepared.patents.to_parquet(p, index=False)}
            if prepared.patents is not None
            else {}
        ),
        STAMP_FILE: lambda p: Path(p).write_text(json.dumps(stamp, indent=1)),
    }
    staged = []
    try:
        for filename, write in outputs.items():
            fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{filename}.")
            os.close(fd)
            write(tmp)
            staged.append((tmp, out_dir / filename))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    return prepared


def load_observations(data_dir: Path | None = None) -> pd.DataFrame:
    """The processed observations, preparing them first when missing or out of date."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    out_dir = data_dir / "processed"
    stamp_path = out_dir / STAMP_FILE
    fresh = False
    if stamp_path.exists() and (out_dir / OBSERVATIONS_FILE).exists():
        stamp = json.loads(stamp_path.read_text())
        fresh = (
            stamp.get("manifest_sha256") == _manifest_digest(data_dir)
            and stamp.get("code_version") == _code_version()
        )
    if not fresh:
        return prepare(data_dir).observations
    return pd.read_parquet(out_dir / OBSERVATIONS_FILE)


def load_patents(data_dir: Path | None = None) -> pd.DataFrame | None:
    """The office's canonical patent records (``kind: patents`` sources), or ``None``.

    Read from ``data/processed/`` after :func:`load_observations` has made it current.
    ``attrs["sources"]`` names the files, ``attrs["synthetic"]`` is ``False``.
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    load_observations(data_dir)
    path = data_dir / "processed" / PATENTS_FILE
    entries = [
        e for e in read_manifest(data_dir / "sources.yml") if e.layout.get("kind") == "patents"
    ]
    if not entries or not path.exists():
        return None
    frame = pd.read_parquet(path)
    frame.attrs.update(
        {
            "synthetic": False,
            "sources": {e.id: f"{e.publisher}《{e.title}》({e.vintage})" for e in entries},
        }
    )
    return frame


def manifest_table(data_dir: Path | None = None) -> pd.DataFrame:
    """Sources as a table: id, title, publisher, vintage, licence (for footers and READMEs)."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    rows = [
        {
            "id": e.id,
            "title": e.title,
            "publisher": e.publisher,
            "vintage": e.vintage,
            "licence": e.meta.get("licence", ""),
            "caveats": e.meta.get("caveats", ""),
        }
        for e in read_manifest(data_dir / "sources.yml")
    ]
    return pd.DataFrame(rows)
