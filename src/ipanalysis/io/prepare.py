"""Raw files to ``data/processed/``: the only writer of processed data.

:func:`prepare_all` reads every source of the manifest in memory (no writes) and computes the
observations an office's records give (year-end patent stocks); :func:`prepare` writes the
result atomically, with the quarantine, the reconciliation (rows read = kept + quarantined,
per file) and a quality summary; :func:`prepare_demo` writes the cache of the labelled
synthetic demo data. Loaders (:mod:`ipanalysis.io.load`) only read.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..analysis.vintages import conflicts
from ..errors import InputError, ReadResult
from ..high_value import HighValueDefinition, records_stock_observations
from ..high_value.observations import STOCK_INDICATORS
from . import demo as demo_data
from .definition import definition_from
from .manifest import SourceEntry, read_manifest, sha256, unlisted_files
from .office import cited, record_observations, with_pledge_amounts
from .provenance import code_version
from .readers import RECORD_KINDS, read_source

OBSERVATIONS_FILE = "observations.parquet"
QUARANTINE_FILE = "quarantine.csv"
RECONCILIATION_FILE = "reconciliation.csv"
QUALITY_FILE = "quality.csv"
PATENTS_FILE = "patents.parquet"
STAMP_FILE = "observations.stamp.json"
#: The code that turns raw files into processed data: a change to it makes them stale.
PREPARING_CODE = ("io", "clean", "high_value", "regions.py", "indicators.py", "schemas.py")


@dataclass
class Prepared:
    """The result of :func:`prepare_all`: observations, quarantine and the reconciliation."""

    observations: pd.DataFrame
    quarantine: pd.DataFrame
    reconciliation: pd.DataFrame
    manifest: list[SourceEntry]
    patents: pd.DataFrame | None = None  # canonical patent records of ``kind: patents`` sources
    notes: dict[str, list[str]] = field(default_factory=dict)  # per source id: what the reader saw
    #: the other record tables (pct, madrid, transactions, …), by kind, with ``source_id``
    records: dict[str, pd.DataFrame] = field(default_factory=dict)


def population_from(observations: pd.DataFrame) -> pd.DataFrame | None:
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


def source_definition(entry: SourceEntry, overrides: object = None) -> HighValueDefinition:
    """The high-value definition of a patents source: its layout's ``definition:`` (see
    :mod:`ipanalysis.io.definition`), then ``overrides`` (a notebook's or the CLI's)."""
    try:
        base = definition_from(entry.layout.get("definition"))
    except InputError as error:
        raise InputError(
            f"sources.yml entry '{entry.id}', layout {error.message}", file=entry.file
        ) from None
    return definition_from(overrides, base)


def patent_observations(
    patents: pd.DataFrame,
    entry: SourceEntry,
    population: pd.DataFrame | None,
    definition: HighValueDefinition | None = None,
) -> pd.DataFrame:
    """Year-end stocks of an office's patent records (``derived``), with the source's provenance.

    :func:`ipanalysis.high_value.records_stock_observations` computes them (``layout.as_of``
    and ``layout.years`` of the source, the source's definition unless one is given); here they
    get the source's title, id and file.
    """
    layout = entry.layout
    out = records_stock_observations(
        patents,
        layout.get("as_of"),
        layout.get("years"),
        population,
        definition or source_definition(entry),
    )
    version = out["basis_note"].str.extract(r"\((.+?)\)", expand=False)
    version = version.fillna("").astype(str)
    return cited(
        out,
        [entry],
        f"{entry.publisher}：{entry.title}（{entry.vintage}；ipanalysis 按 "
        + version
        + " 由专利记录计算）",
        f"{entry.text('publisher', 'en')}: {entry.text('title', 'en')} ({entry.vintage}; "
        + "computed by ipanalysis from patent records, "
        + version
        + ")",
    )


def restate_stocks(
    observations: pd.DataFrame,
    patents: pd.DataFrame | None,
    manifest: list[SourceEntry],
    overrides: object,
) -> tuple[pd.DataFrame, HighValueDefinition]:
    """The observations with the stocks of the office's patent records computed again under
    ``overrides`` of each source's definition (a notebook's or the CLI's), and the definition
    used; unchanged (and the sources' definition) without overrides."""
    entries = [e for e in manifest if e.layout.get("kind") == "patents"]
    used = source_definition(entries[0], overrides) if entries else definition_from(overrides)
    if not overrides or patents is None:
        return observations, used
    population = population_from(observations)
    ids = [e.id for e in entries]
    fresh = [
        patent_observations(
            patents[patents["source_id"] == e.id], e, population, source_definition(e, overrides)
        )
        for e in entries
    ]
    stale = observations["source_id"].isin(ids) & observations["indicator"].isin(
        list(STOCK_INDICATORS.values())
    )
    return pd.concat([observations[~stale], *fresh], ignore_index=True), used


def _check_raw(data_dir: Path, manifest: list[SourceEntry], check_hashes: bool) -> None:
    stray = unlisted_files(data_dir, manifest)
    if stray:
        raise InputError(
            f"{', '.join(stray)}: not described in sources.yml; add an entry for each file "
            "(provenance and layout) or move it out of raw/",
            file=data_dir / "sources.yml",
        )
    for entry in manifest:
        path = entry.path(data_dir)
        if check_hashes and path.exists() and sha256(path) != entry.sha256:
            raise InputError(
                f"sha256 {sha256(path)[:12]}… differs from sources.yml ({entry.sha256[:12]}…): "
                "raw files are immutable — record a new vintage in the manifest instead",
                file=path,
            )


def _check_conflicts(observations: pd.DataFrame, manifest: list[SourceEntry], data_dir) -> None:
    """Stop when two sources of the same vintage and priority disagree on a figure."""
    found = conflicts(observations)
    if found.empty:
        return
    files = {e.id: e.file for e in manifest}
    lines = [
        f"{r.indicator} of {r.region_code} ({r.basis}) at {r.date:%Y-%m-%d}: {r.value:g} in "
        f"{files.get(r.source_id, r.source_id)} and {r.other_value:g} in "
        f"{files.get(r.other_source_id, r.other_source_id)}, both of vintage {r.vintage}"
        for r in found.itertuples()
    ]
    raise InputError(
        "sources of the same vintage disagree: "
        + "; ".join(lines)
        + ". Give the newer one its later vintage, or rank them with 'priority:' in sources.yml",
        file=Path(data_dir) / "sources.yml",
    )


def _assemble(manifest: list[SourceEntry], results: list[ReadResult]) -> Prepared:
    kinds = [e.layout.get("kind", "long") for e in manifest]
    read = list(zip(manifest, results, strict=True))
    observations = pd.concat(
        [r.data for r, k in zip(results, kinds, strict=True) if k not in RECORD_KINDS],
        ignore_index=True,
    )
    tables = {
        kind: pd.concat(
            [r.data.assign(source_id=e.id) for e, r in read if e.layout.get("kind") == kind],
            ignore_index=True,
        )
        for kind in RECORD_KINDS
        if kind in kinds
    }
    computed, office_notes = [], []
    if "patents" in tables:
        population = population_from(observations)
        tables["patents"], office_notes = with_pledge_amounts(tables["patents"], read)
        for entry in (e for e, _ in read if e.layout.get("kind") == "patents"):
            own = tables["patents"][tables["patents"]["source_id"] == entry.id]
            computed.append(patent_observations(own, entry, population))
    office, notes_of_lists = record_observations(read, observations)
    office_notes += notes_of_lists
    observations = pd.concat([observations, *computed, office], ignore_index=True)
    notes = {e.id: r.notes for e, r in read if r.notes}
    if office_notes:
        notes["office records"] = office_notes
    return Prepared(
        observations,
        pd.concat([r.quarantine for r in results], ignore_index=True),
        pd.DataFrame([r.reconciliation() for r in results]),
        manifest,
        tables.get("patents"),
        notes,
        {k: v for k, v in tables.items() if k != "patents"},
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
    _check_raw(data_dir, manifest, check_hashes)
    results = []
    for entry in manifest:
        results.append(read_source(entry, data_dir))
        if on_source:
            on_source(entry)
    prepared = _assemble(manifest, results)
    _check_conflicts(prepared.observations, manifest, data_dir)
    return prepared


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


def stamp(data_dir: Path) -> dict:
    """What the processed data were made from: the manifest's digest and the code's version."""
    return {
        "manifest_sha256": sha256(data_dir / "sources.yml"),
        "code_version": code_version(*PREPARING_CODE),
    }


def is_current(data_dir: Path) -> bool:
    """Whether ``data_dir/processed`` holds observations made from this manifest and code."""
    out_dir = data_dir / "processed"
    stamp_path = out_dir / STAMP_FILE
    if not (stamp_path.exists() and (out_dir / OBSERVATIONS_FILE).exists()):
        return False
    written = json.loads(stamp_path.read_text())
    return {k: written.get(k) for k in ("manifest_sha256", "code_version")} == stamp(data_dir)


def write_atomically(out_dir: Path, outputs: dict[str, Callable[[str], object]]) -> None:
    """Write each file to a temporary name first, then move them all into place.

    A failure while writing leaves the previous files as they were.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
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
    written = {**stamp(data_dir), "rows": int(len(prepared.observations))}
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
        **{
            f"{kind}.parquet": (lambda p, t=table: t.to_parquet(p, index=False))
            for kind, table in prepared.records.items()
        },
        STAMP_FILE: lambda p: Path(p).write_text(json.dumps(written, indent=1)),
    }
    write_atomically(out_dir, outputs)
    return prepared


def prepare_demo(
    data_dir: Path | None = None,
    seed: int = demo_data.DEFAULT_SEED,
    end: int = demo_data.DEFAULT_END,
) -> Path:
    """Generate the labelled synthetic demo records once and cache them under
    ``processed/demo/`` (with their observations); returns the cache folder.

    Nothing is written when the cache is current (same seed, end, assumptions and code).
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    cache = demo_data.cache_dir(data_dir, seed, end)
    if demo_data.is_cached(cache, seed, end):
        return cache
    made = demo_data.make_demo(data_dir, seed, end)
    outputs = {
        f"{name}.parquet": (lambda p, frame=frame: demo_data.write_parquet(frame, p))
        for name, frame in made.tables.loaded.items()
    }
    outputs["observations.parquet"] = lambda p: demo_data.observations(made).to_parquet(p)
    outputs["stamp.json"] = lambda p: Path(p).write_text(
        json.dumps(demo_data.cache_stamp(data_dir, seed, end))
    )
    write_atomically(cache, outputs)
    return cache
