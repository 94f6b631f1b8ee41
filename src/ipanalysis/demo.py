"""Clearly labelled SYNTHETIC district figures for the sections no published data covers.

No district-level Shanghai IP statistics are published. Until an office supplies its own files,
briefings can show district sections computed by the engine (:mod:`ipanalysis.engine`,
:mod:`ipanalysis.flows`) from the seeded generator (:mod:`ipanalysis.synthetic`), calibrated to
the real published Shanghai totals. Every row made here has ``status == "synthetic"`` and the
source id :data:`SOURCE_ID`; briefings show a banner and mark each such value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import engine, flows, paths, synthetic
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


@dataclass
class Demo:
    """The synthetic record tables and the district population they were made with."""

    tables: dict[str, pd.DataFrame]
    population: pd.DataFrame
    seed: int
    end: int


def _cache_dir(data_dir: Path, seed: int, end: int) -> Path:
    return data_dir / "processed" / "demo" / f"seed{seed}-end{end}"


def load_demo(data_dir: Path | None = None, seed: int = DEFAULT_SEED, end: int = 2025) -> Demo:
    """Generate (or read from ``data/processed/demo/``) the synthetic tables for ``seed``."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    population_file = data_dir / "raw" / "shanghai_district_population_2024.csv"
    population = engine.load_population(population_file)
    cache = _cache_dir(data_dir, seed, end)
    stamp = cache / "stamp.json"
    wanted = {"seed": seed, "end": end, "assumptions": synthetic.ASSUMPTIONS}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        tables = {name: pd.read_parquet(cache / f"{name}.parquet") for name in TABLES}
        for frame in tables.values():
            frame.attrs.update({"synthetic": True, "data_status": "synthetic", "seed": seed})
    else:
        tables = synthetic.generate(
            seed=seed,
            end=end,
            population=population,
            targets=synthetic.read_targets(data_dir / "raw"),
        )
        cache.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            synthetic.write_parquet(tables[name], cache / f"{name}.parquet")
        stamp.write_text(json.dumps(wanted))
    return Demo(tables, population, seed, end)


def observations(demo: Demo, start: int = 2015, lang: str = "zh") -> pd.DataFrame:
    """District observations (ObservationTable layout, status ``synthetic``) from the demo tables.

    Per-10k figures divide by the only district population published (year-end 2024) for every
    year; the row's ``basis_note`` says so.
    """
    source = (SOURCE_ZH if lang == "zh" else SOURCE_EN).format(seed=demo.seed)
    stocks = engine.stock(
        demo.tables["patents"], engine.year_ends(start, demo.end), population=demo.population
    )
    stocks["year"] = stocks["date"].dt.year
    pct = flows.pct_by_year(demo.tables["pct"], start, demo.end)
    madrid = flows.madrid_by_year(demo.tables["madrid"], start, demo.end)
    deals = flows.transactions_by_year(demo.tables["transactions"], start, demo.end)
    deals["transfer_licence"] = deals["transfers"] + deals["licences"]
    deals["pledge_amount_100m"] = deals["pledge_amount"] / 1e8
    parts = [
        (stocks, "valid", "valid_invention_patents", "domestic", "件"),
        (stocks, "high_value", "high_value_invention_patents", "domestic", "件"),
        (
            stocks,
            "high_value_per_10k",
            "high_value_invention_patents_per_10k",
            "domestic",
            "件/万人",
        ),
        (pct, "applications", "pct_applications_cnipa", "all_applicants", "件"),
        (madrid, "applications", "madrid_applications_cnipa", "domestic", "件"),
        (deals, "transfer_licence", "patent_transfer_licence_count", "registrations", "次"),
        (deals, "transfers", "patent_transfer_count", "registrations", "次"),
        (deals, "licences", "patent_licence_count", "registrations", "次"),
        (deals, "pledges", "patent_pledge_count", "registrations", "次"),
        (deals, "pledge_amount_100m", "patent_pledge_amount", "patent", "亿元"),
    ]
    frames = []
    for frame, column, indicator, basis, unit in parts:
        note = (
            "per 10k: 2024 year-end population for every year"
            if indicator.endswith("per_10k")
            else None
        )
        frames.append(
            pd.DataFrame(
                {
                    "region_code": frame["region"].astype(str),
                    "indicator": indicator,
                    "category": "total",
                    "year": frame["year"].astype("int64"),
                    "value": frame[column].astype(float),
                    "unit": unit,
                    "basis": basis,
                    "basis_note": note,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    from .sources import region_names

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
