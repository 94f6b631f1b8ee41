"""The labelled synthetic demo data as files: calibration inputs read, records cached.

:mod:`ipanalysis.synthetic` makes the records from the real published figures this module reads
(:func:`read_targets`, :func:`district_population`); :func:`ipanalysis.io.prepare.prepare_demo`
writes the cache under ``data/processed/demo/`` and :func:`load_demo` reads it (or makes the
records in memory when there is no current cache, writing nothing).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths, synthetic
from .manifest import sha256
from .population import load_population
from .provenance import code_digest

DEFAULT_SEED = synthetic.DEFAULT_SEED
DEFAULT_END = 2025
POPULATION_FILE = "shanghai_district_population_2024.csv"
GDP_FILE = "shanghai_district_gdp_2023.csv"
CITY = "310000"
#: The code that makes the demo records and their observations.
DEMO_CODE = ("synthetic", "high_value", "analysis/flows.py", "io/demo.py")


def read_targets(raw_dir: str | Path | None = None) -> synthetic.Targets:
    """Read the calibration targets from the real published files in ``raw_dir`` (data/raw)."""
    raw = Path(raw_dir) if raw_dir is not None else paths.raw_dir()
    return synthetic.targets_from(
        pd.read_csv(raw / "shanghai_ip_and_context_indicators.csv"),
        pd.read_csv(raw / "national_high_value_breakdown.csv"),
    )


def district_population(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """The real 2024 year-end populations of Shanghai's 16 districts (the demo's districts)."""
    raw = Path(raw_dir) if raw_dir is not None else paths.raw_dir()
    return load_population(raw / POPULATION_FILE)


def district_proxies(raw_dir: str | Path | None = None) -> tuple[pd.DataFrame, float | None]:
    """The published district figures the demo spreads the city's totals by: population for
    every district and GDP where published (missing elsewhere), and the city's GDP.

    Returns ``(proxies, city_gdp)``; ``proxies`` has ``region, population_10k, year, basis,
    gdp``.
    """
    raw = Path(raw_dir) if raw_dir is not None else paths.raw_dir()
    proxies = district_population(raw)
    path = raw / GDP_FILE
    if not path.exists():
        return proxies, None
    gdp = pd.read_csv(path, dtype={"adcode": str})
    values = dict(zip(gdp["adcode"], pd.to_numeric(gdp["gdp_100m_cny"]), strict=True))
    proxies["gdp"] = proxies["region"].map(values)
    return proxies, values.get(CITY)


def generate(
    seed: int = DEFAULT_SEED,
    start: int = 2015,
    end: int = DEFAULT_END,
    scale: float = 1.0,
    population: str | Path | pd.DataFrame | None = None,
    targets: synthetic.Targets | None = None,
    unknown_share: float = 0.0,
) -> dict[str, pd.DataFrame]:
    """:func:`ipanalysis.synthetic.generate`, calibrated to ``data/raw`` unless told otherwise."""
    if population is None:
        pop, city_gdp = district_proxies()
    else:
        pop, city_gdp = load_population(population), None
    targets = targets or read_targets()
    return synthetic.generate(seed, start, end, scale, pop, targets, unknown_share, city_gdp)


def generate_patents(n: int, seed: int = 0, end: int = DEFAULT_END) -> pd.DataFrame:
    """:func:`ipanalysis.synthetic.generate_patents` calibrated to ``data/raw`` (benchmarks)."""
    return synthetic.generate_patents(n, district_population(), read_targets(), seed, end)


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a synthetic frame to parquet, stamping ``synthetic`` in the file's metadata.

    The schema metadata gets ``synthetic = "true"`` and ``ipanalysis`` = JSON of the frame's
    ``attrs`` (seed, calibration), next to pandas' own metadata.

    Raises
    ------
    ValueError
        The frame is not marked synthetic (refuse to write unlabelled records).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not frame.attrs.get("synthetic") or "synthetic" not in frame.columns:
        raise ValueError("refusing to write a frame not marked synthetic (attrs and column)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"synthetic"] = b"true"
    meta[b"ipanalysis"] = json.dumps(
        {"data_status": "synthetic", **frame.attrs}, default=str, ensure_ascii=False
    ).encode()
    pq.write_table(table.replace_schema_metadata(meta), path)
    return path


class Tables(Mapping):
    """The synthetic record tables, read from the cache on first use (patents are large)."""

    def __init__(self, cache: Path, seed: int, tables: dict[str, pd.DataFrame] | None = None):
        self.cache = cache
        self.seed = seed
        self.loaded: dict[str, pd.DataFrame] = dict(tables or {})

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in synthetic.TABLES:
            raise KeyError(name)
        if name not in self.loaded:
            self.loaded[name] = self._read(name)
        return self.loaded[name]

    def of_region(self, name: str, code: str) -> pd.DataFrame:
        """The rows of table ``name`` whose region is ``code``: read alone when the table is
        not loaded (a briefing needs one district's 0.1 M of the 1.5 M demo patents)."""
        if name not in synthetic.TABLES:
            raise KeyError(name)
        if name in self.loaded:
            frame = self.loaded[name]
            own = frame[frame["region"] == code]  # a categorical compares its codes
            own.attrs = dict(frame.attrs)
            return own
        return self._read(name, filters=[("region", "==", code)])

    def _read(self, name: str, filters: list | None = None) -> pd.DataFrame:
        frame = pd.read_parquet(self.cache / f"{name}.parquet", filters=filters)
        frame.attrs.update({"synthetic": True, "data_status": "synthetic", "seed": self.seed})
        return frame

    def __iter__(self):
        return iter(synthetic.TABLES)

    def __contains__(self, name: object) -> bool:  # without reading the table
        return name in synthetic.TABLES

    def __len__(self) -> int:
        return len(synthetic.TABLES)


@dataclass
class Demo:
    """The synthetic record tables and the district population they were made with."""

    tables: Tables
    population: pd.DataFrame
    seed: int
    end: int
    cache: Path


def cache_dir(data_dir: Path, seed: int = DEFAULT_SEED, end: int = DEFAULT_END) -> Path:
    """Where :func:`ipanalysis.io.prepare.prepare_demo` caches the demo of ``seed`` and ``end``."""
    return data_dir / "processed" / "demo" / f"seed{seed}-end{end}"


#: The raw files the demo is calibrated to: a change to one makes the cache stale.
CALIBRATION_FILES = (
    "shanghai_ip_and_context_indicators.csv",
    "national_high_value_breakdown.csv",
    POPULATION_FILE,
    GDP_FILE,
)


def cache_stamp(data_dir: Path, seed: int, end: int) -> dict:
    """What a demo cache was made from: seed, end year, assumptions, code and raw files."""
    raw = Path(data_dir) / "raw"
    return {
        "seed": seed,
        "end": end,
        "assumptions": synthetic.ASSUMPTIONS,
        "code": code_digest(*DEMO_CODE),
        "inputs": {f: sha256(raw / f) for f in CALIBRATION_FILES if (raw / f).exists()},
    }


def is_cached(cache: Path, seed: int, end: int) -> bool:
    """Whether ``cache`` (under ``<data>/processed/demo/``) holds the demo of this seed, end,
    assumptions, code and calibration files."""
    stamp = cache / "stamp.json"
    data_dir = cache.parents[2]
    return stamp.exists() and json.loads(stamp.read_text()) == cache_stamp(data_dir, seed, end)


def make_demo(data_dir: Path, seed: int = DEFAULT_SEED, end: int = DEFAULT_END) -> Demo:
    """Generate the demo records in memory (seeded, calibrated to ``data_dir/raw``)."""
    population, city_gdp = district_proxies(data_dir / "raw")
    tables = synthetic.generate(
        seed=seed,
        end=end,
        population=population,
        targets=read_targets(data_dir / "raw"),
        city_gdp=city_gdp,
    )
    synthetic.add_applicants(tables, seed)
    cache = cache_dir(data_dir, seed, end)
    return Demo(Tables(cache, seed, tables), population, seed, end, cache)


def observations(demo: Demo) -> pd.DataFrame:
    """The demo's district observations: from the cache when it holds them."""
    cached = demo.cache / "observations.parquet"
    if cached.exists() and is_cached(demo.cache, demo.seed, demo.end):
        return pd.read_parquet(cached)
    return synthetic.demo_observations(demo.tables, demo.population, demo.seed, demo.end)


def load_demo(
    data_dir: Path | None = None, seed: int = DEFAULT_SEED, end: int = DEFAULT_END
) -> Demo:
    """The demo records of ``seed``: from the cache when current, else made in memory.

    Writes nothing; ``ipanalysis prepare`` and ``ipanalysis build`` write the cache
    (:func:`ipanalysis.io.prepare.prepare_demo`).
    """
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    cache = cache_dir(data_dir, seed, end)
    if is_cached(cache, seed, end):
        population = district_population(data_dir / "raw")
        return Demo(Tables(cache, seed), population, seed, end, cache)
    return make_demo(data_dir, seed, end)
