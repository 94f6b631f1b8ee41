"""Loaders: processed data, record tables and parameter files, read — never written.

Where ``data/processed/`` is missing or older than the raw files and the code, the loaders
compute what they need in memory (writing nothing) and :func:`load_observations` says so;
``ipanalysis prepare`` (:mod:`ipanalysis.io.prepare`) saves it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import paths
from ..clean import records
from .manifest import read_manifest
from .patents import read_patents  # noqa: F401 (ipanalysis.io.load.read_patents, as before)
from .prepare import OBSERVATIONS_FILE, PATENTS_FILE, QUARANTINE_FILE, is_current, prepare_all
from .readers import RECORD_KINDS, read_source


def load_office(data_dir: Path | None = None) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The observations and the office's record tables by kind (``patents``, ``pct``,
    ``madrid``, ``transactions``, ``industry_value_added``, ``pii_classification``,
    ``activity_log``; only those the manifest lists).

    Read from ``processed/`` when current; else computed in memory from ``raw/`` (with a note on
    stderr), writing nothing. Each table's ``attrs["sources"]`` names its files and
    ``attrs["synthetic"]`` is ``False``.
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    manifest = read_manifest(data_dir / "sources.yml")
    kinds = {e.layout.get("kind") for e in manifest} & set(RECORD_KINDS)
    quarantine = None  # the quarantine just prepared in memory, if it was
    if is_current(data_dir):
        processed = data_dir / "processed"
        observations = pd.read_parquet(processed / OBSERVATIONS_FILE)
        names = {k: PATENTS_FILE if k == "patents" else f"{k}.parquet" for k in kinds}
        tables = {
            k: pd.read_parquet(processed / n) for k, n in names.items() if (processed / n).exists()
        }
    else:
        print(
            f"note: {data_dir / 'processed'} is missing or out of date; read data/raw in memory "
            "(run `ipanalysis prepare` to save it)",
            file=sys.stderr,
        )
        prepared = prepare_all(data_dir)
        observations = prepared.observations
        quarantine = prepared.quarantine
        tables = dict(prepared.records)
        if prepared.patents is not None:
            tables["patents"] = prepared.patents
    if "madrid" in tables and "filing_date" not in tables["madrid"].columns:
        # the list's date (filing or registration, as its date_kind says) dates the filing
        tables["madrid"] = tables["madrid"].assign(filing_date=tables["madrid"]["date"])
    if "activity_log" in tables:
        tables["activity_log"].attrs["quarantine"] = _quarantined(
            data_dir, [e for e in manifest if e.layout.get("kind") == "activity_log"], quarantine
        )
    for kind, table in tables.items():
        entries = [e for e in manifest if e.layout.get("kind") == kind]
        table.attrs.update(
            {
                "synthetic": False,
                "sources": {e.id: f"{e.publisher}《{e.title}》({e.vintage})" for e in entries},
            }
        )
    return observations, tables


def _quarantined(data_dir: Path, entries, prepared: pd.DataFrame | None) -> pd.DataFrame:
    """The quarantined rows of ``entries``' files: from ``prepared`` (every source's quarantine,
    just prepared in memory), else from the current ``processed/``, else read again."""
    files = {Path(e.file).name for e in entries}
    path = data_dir / "processed" / QUARANTINE_FILE
    if prepared is not None:
        # the column types of these rows alone (other sources' rows may have made them object)
        found = prepared[prepared["raw_file"].astype(str).isin(files)].infer_objects()
        return found.reset_index(drop=True)
    if path.exists():
        found = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        found = pd.concat([read_source(e, data_dir).quarantine for e in entries], ignore_index=True)
    return found[found["raw_file"].astype(str).isin(files)].reset_index(drop=True)


def load_processed(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The observations and the office's canonical patent records (``None`` when it gave none);
    see :func:`load_office`."""
    observations, tables = load_office(data_dir)
    return observations, tables.get("patents")


def load_observations(data_dir: Path | None = None) -> pd.DataFrame:
    """The processed observations (see :func:`load_processed`)."""
    return load_processed(data_dir)[0]


def load_patents(data_dir: Path | None = None) -> pd.DataFrame | None:
    """The office's canonical patent records, or ``None`` (see :func:`load_processed`)."""
    return load_processed(data_dir)[1]


def read_activity_log(path, activities=None) -> pd.DataFrame:
    """Read an activity log (``activity, region_code, year, count, source``; .csv, .xlsx, .xls)
    with :func:`ipanalysis.clean.records.read_activity_log`.

    A row that cannot be used (an unknown activity id or region, a bad count or year) is set
    aside with its reason, never dropped: ``attrs["quarantine"]`` lists those rows, so a
    briefing can say so. ``activities`` are the ids the log may use (a plan's).

    Raises
    ------
    InputError
        The file cannot be read or lacks a column.
    """
    result = records.read_activity_log(path, activities=activities)
    data = result.data
    data.attrs["quarantine"] = result.quarantine
    data.attrs["file"] = Path(path).name
    return data
