"""Clearly labelled SYNTHETIC district figures for the sections no published data covers.

No district-level Shanghai IP statistics are published. Until an office supplies its own files,
briefings can show district sections computed by the engine (:mod:`ipanalysis.engine`,
:mod:`ipanalysis.flows`) from the seeded generator (:mod:`ipanalysis.synthetic`), calibrated to
the real published Shanghai totals. Every row made here has ``status == "synthetic"`` and the
source id :data:`SOURCE_ID`; briefings show a banner and mark each such value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import engine, flows, paths, synthetic
from .indicators import INDICATORS
from .schemas import ObservationTable

SOURCE_ID = "synthetic-demo"
DEFAULT_SEED = 20240407
SOURCE_ZH = (
    "合成演示数据（ipanalysis.synthetic，种子 {seed}；按上海市公布的汇总数校准，并非统计数据）"
)
SOURCE_EN = (
    "synthetic demo data (ipanalysis.synthetic, seed {seed}; calibrated to Shanghai's published "
    "totals; not statistics)"
)
TABLES = ("patents", "pct", "madrid", "transactions")


class Tables(Mapping):
    """The synthetic record tables, read from the cache on first use (patents are large)."""

    def __init__(self, cache: Path, seed: int, tables: dict[str, pd.DataFrame] | None = None):
        self.cache = cache
        self.seed = seed
        self.loaded: dict[str, pd.DataFrame] = dict(tables or {})

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        if name not in self.loaded:
            frame = pd.read_parquet(self.cache / f"{name}.parquet")
            frame.attrs.update({"synthetic": True, "data_status": "synthetic", "seed": self.seed})
            self.loaded[name] = frame
        return self.loaded[name]

    def __iter__(self):
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


@dataclass
class Demo:
    """The synthetic record tables and the district population they were made with."""

    tables: Tables
    population: pd.DataFrame
    seed: int
    end: int
    cache: Path


def _cache_dir(data_dir: Path, seed: int, end: int) -> Path:
    return data_dir / "processed" / "demo" / f"seed{seed}-end{end}"


def load_demo(data_dir: Path | None = None, seed: int = DEFAULT_SEED, end: int = 2025) -> Demo:
    """Generate the synthetic tables for ``seed`` once, cached in ``data/processed/demo/``."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    population_file = data_dir / "raw" / "shanghai_district_population_2024.csv"
    population = engine.load_population(population_file)
    cache = _cache_dir(data_dir, seed, end)
    stamp = cache / "stamp.json"
    wanted = {"seed": seed, "end": end, "assumptions": synthetic.ASSUMPTIONS, "code": _code_stamp()}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return Demo(Tables(cache, seed), population, seed, end, cache)
    tables = synthetic.generate(
        seed=seed,
        end=end,
        population=population,
        targets=synthetic.read_targets(data_dir / "raw"),
    )
    _add_applicants(tables, seed)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    for name in TABLES:
        synthetic.write_parquet(tables[name], cache / f"{name}.parquet")
    made = Demo(Tables(cache, seed, tables), population, seed, end, cache)
    for lang in ("zh", "en"):
        _observations(made, lang).to_parquet(cache / f"observations.{lang}.parquet")
    stamp.write_text(json.dumps(wanted))
    return made


def _code_stamp() -> str:
    from .sources import sha256

    here = Path(__file__).parent
    return "".join(
        sha256(here / f)[:8] for f in ("demo.py", "synthetic.py", "engine.py", "flows.py")
    )


def _add_applicants(tables: dict[str, pd.DataFrame], seed: int) -> None:
    """Give each synthetic PCT and Madrid filing an applicant: a synthetic patentee of its district.

    Seeded, and skewed like real filings (a few applicants file most): applicants are drawn with
    weights proportional to their number of patents.
    """
    rng = np.random.default_rng(seed + 1)
    holders = tables["patents"].groupby(["region", "patentee"], observed=True).size()
    for name in ("pct", "madrid"):
        frame = tables[name]
        applicant = pd.Series(pd.NA, index=frame.index, dtype="str")
        for region, rows in frame.groupby("region", observed=True).groups.items():
            pool = holders.get(region)
            if pool is None or pool.empty:
                continue
            weights = pool.to_numpy(dtype=float) ** 1.5
            picks = rng.choice(len(pool), size=len(rows), p=weights / weights.sum())
            applicant.loc[rows] = pool.index.to_numpy()[picks]
        frame["applicant"] = applicant


def observations(demo: Demo, lang: str = "zh") -> pd.DataFrame:
    """District observations (ObservationTable layout, status ``synthetic``) from the demo tables.

    Per-10k figures divide by the only district population published (year-end 2024) for every
    year; the row's ``basis_note`` says so. Read from the cache written by :func:`load_demo`.
    """
    cached = demo.cache / f"observations.{lang}.parquet"
    if cached.exists():
        return pd.read_parquet(cached)
    return _observations(demo, lang)


def _observations(demo: Demo, lang: str = "zh", start: int = 2015) -> pd.DataFrame:
    source = (SOURCE_ZH if lang == "zh" else SOURCE_EN).format(seed=demo.seed)
    stocks = engine.stock(
        demo.tables["patents"], engine.year_ends(start, demo.end), population=demo.population
    )
    pct = flows.pct_by_year(demo.tables["pct"], start, demo.end)
    madrid = flows.madrid_by_year(demo.tables["madrid"], start, demo.end)
    deals = flows.transactions_by_year(demo.tables["transactions"], start, demo.end)
    deals["transfer_licence"] = deals["transfers"] + deals["licences"]
    deals["pledge_amount_100m"] = deals["pledge_amount"] / 1e8
    held = engine.stock_observations(stocks)
    frames = [
        pd.DataFrame(
            {
                "region_code": held["region_code"],
                "indicator": held["indicator"],
                "category": "total",
                "year": held["year"],
                "value": held["value"],
                "unit": held["unit"],
                "basis": "domestic",
                "basis_note": held["indicator"].map(
                    {
                        "high_value_invention_patents_per_10k": "per 10k: 2024 year-end "
                        "population for every year"
                    }
                ),
            }
        )
    ]
    parts = [
        (pct, "applications", "pct_applications_cnipa", "all_applicants"),
        (madrid, "applications", "madrid_applications_cnipa", "domestic"),
        (deals, "transfer_licence", "patent_transfer_licence_count", "registrations"),
        (deals, "transfers", "patent_transfer_count", "registrations"),
        (deals, "licences", "patent_licence_count", "registrations"),
        (deals, "pledges", "patent_pledge_count", "registrations"),
        (deals, "pledge_amount_100m", "patent_pledge_amount", "patent"),
    ]
    for frame, column, indicator, basis in parts:
        frames.append(
            pd.DataFrame(
                {
                    "region_code": frame["region"].astype(str),
                    "indicator": indicator,
                    "category": "total",
                    "year": frame["year"].astype("int64"),
                    "value": frame[column].astype(float),
                    "unit": INDICATORS[indicator].unit,
                    "basis": basis,
                    "basis_note": None,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    from .regions import region_names

    out["region"] = out["region_code"].map(region_names())
    out["date"] = pd.to_datetime(out["year"].astype(str) + "-12-31")
    out = out.assign(
        status="synthetic",
        confidence=None,
        source=source,
        source_url=None,
        source_id=SOURCE_ID,
        raw_file=f"demo/seed{demo.seed}-end{demo.end}",
        raw_row=2,
    )
    columns = list(ObservationTable.to_schema().columns)
    return ObservationTable.validate(out[columns], lazy=True)
