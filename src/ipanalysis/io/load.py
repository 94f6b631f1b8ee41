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
from ..errors import InputError
from ..high_value import ENGINE_COLUMNS, prepare_patents
from ..schemas import is_synthetic
from .manifest import read_manifest
from .prepare import OBSERVATIONS_FILE, PATENTS_FILE, is_current, prepare_all


def load_processed(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The observations and the office's canonical patent records (``None`` when it gave none).

    Read from ``processed/`` when current; else computed in memory from ``raw/`` (with a note on
    stderr), writing nothing. The patent table's ``attrs["sources"]`` names its files and
    ``attrs["synthetic"]`` is ``False``.
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    entries = [
        e for e in read_manifest(data_dir / "sources.yml") if e.layout.get("kind") == "patents"
    ]
    if is_current(data_dir):
        observations = pd.read_parquet(data_dir / "processed" / OBSERVATIONS_FILE)
        path = data_dir / "processed" / PATENTS_FILE
        patents = pd.read_parquet(path) if entries and path.exists() else None
    else:
        print(
            f"note: {data_dir / 'processed'} is missing or out of date; read data/raw in memory "
            "(run `ipanalysis prepare` to save it)",
            file=sys.stderr,
        )
        prepared = prepare_all(data_dir)
        observations, patents = prepared.observations, prepared.patents
    if patents is not None:
        patents.attrs.update(
            {
                "synthetic": False,
                "sources": {e.id: f"{e.publisher}《{e.title}》({e.vintage})" for e in entries},
            }
        )
    return observations, patents


def load_observations(data_dir: Path | None = None) -> pd.DataFrame:
    """The processed observations (see :func:`load_processed`)."""
    return load_processed(data_dir)[0]


def load_patents(data_dir: Path | None = None) -> pd.DataFrame | None:
    """The office's canonical patent records, or ``None`` (see :func:`load_processed`)."""
    return load_processed(data_dir)[1]


def read_patents(path: str | Path) -> pd.DataFrame:
    """Read a canonical patent table from CSV or parquet and :func:`prepare_patents` it.

    Only the engine's columns are read from parquet; CSV values are read as text first so that
    codes such as ``region`` keep their leading digits.

    Raises
    ------
    InputError
        The file does not exist, is neither ``.csv`` nor ``.parquet``, or a value cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", file=path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            schema = pq.read_schema(path)
            present = set(schema.names)
            marked = (schema.metadata or {}).get(b"synthetic") == b"true"
            table = pq.read_table(
                path, columns=[c for c in (*ENGINE_COLUMNS, "synthetic") if c in present]
            )
            # one block per column and Arrow buffers released as they convert: no consolidation
            # copy, about half the peak memory of pd.read_parquet
            frame = table.to_pandas(split_blocks=True, self_destruct=True)
            del table
        elif suffix == ".csv":
            frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])
        else:
            raise InputError(
                f"expected a .csv or .parquet file, found {suffix or 'no suffix'!r}", file=path
            )
        if suffix == ".csv":
            marked = is_synthetic(frame)
        prepared = prepare_patents(frame)
        prepared.attrs["synthetic"] = bool(marked or is_synthetic(frame))
        return prepared
    except InputError as error:
        if error.file is None:
            error.file = path.name
            error.args = (str(error),)
        raise


def read_activity_log(path) -> pd.DataFrame:
    """Read an activity log CSV: ``activity, region_code, year, count, source`` (one row per count).

    Raises :class:`InputError` naming the file, row and column for anything unusable.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    required = ["activity", "region_code", "year", "count", "source"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; expected {', '.join(required)}", file=path
        )
    for column in ("year", "count"):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() | (numbers < 0)
        if bad.any():
            n = int(bad.idxmax())
            raise InputError(
                f"expected a non-negative whole number, found '{frame.at[n, column]}'",
                file=path,
                row=n + 2,
                column=column,
            )
        frame[column] = numbers.astype("int64")
    return frame
