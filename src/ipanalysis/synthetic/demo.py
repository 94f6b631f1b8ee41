"""Clearly labelled SYNTHETIC district figures for the sections no published data covers.

No district-level Shanghai IP statistics are published. Until an office supplies its own files,
briefings can show district sections computed by :mod:`ipanalysis.high_value` and
:mod:`ipanalysis.analysis` from the seeded generator (:mod:`ipanalysis.synthetic.generator`),
calibrated to the real published Shanghai totals. :mod:`ipanalysis.io.demo` caches them. Every row made here has ``status == "synthetic"`` and the
source id :data:`SOURCE_ID`; briefings show a banner and mark each such value.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..analysis import madrid_by_year, pct_by_year, transactions_by_year
from ..high_value import STOCK_INDICATORS, stock, stock_observations, year_ends
from ..indicators import INDICATORS
from ..locale import text
from ..regions import region_names
from ..schemas import ObservationTable

SOURCE_ID = "synthetic-demo"

DEFAULT_SEED = 20240407

TABLES = ("patents", "pct", "madrid", "transactions")
#: The published district figures the demo spreads Shanghai's totals by (registry ids).
PROXIES = ("resident_population", "gdp")
#: Each flow the demo reports: (record table, column of its yearly counts, registry indicator,
#: basis). The yearly counts are :mod:`ipanalysis.analysis`'s (``pledge_amount_100m``: the
#: pledge amount in 亿元).
FLOWS = (
    ("pct", "applications", "pct_applications_cnipa", "all_applicants"),
    ("madrid", "applications", "madrid_applications_cnipa", "domestic"),
    ("transactions", "transfers_and_licences", "patent_transfer_licence_count", "registrations"),
    ("transactions", "transfers", "patent_transfer_count", "registrations"),
    ("transactions", "licences", "patent_licence_count", "registrations"),
    ("transactions", "pledges", "patent_pledge_count", "registrations"),
    ("transactions", "pledge_amount_100m", "patent_pledge_amount", "patent"),
    # the plan's IP pledge financing read on patent pledges alone, as from an office's list
    # (ipanalysis.analysis.records gives both too)
    ("transactions", "pledge_amount_100m", "ip_pledge_financing_amount", "patent"),
)
#: The indicators each demo record table gives: where real figures cover any of them for a
#: region, the demo records of that table stay out of that region's pages.
TABLE_INDICATORS = {
    "patents": tuple(STOCK_INDICATORS.values()),
    **{t: tuple(ind for table, _, ind, _ in FLOWS if table == t) for t in TABLES[1:]},
}


def add_applicants(tables: dict[str, pd.DataFrame], seed: int) -> None:
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


def _stock_rows(held: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
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


def _flow_rows(frame: pd.DataFrame, column: str, indicator: str, basis: str) -> pd.DataFrame:
    return pd.DataFrame(
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


def demo_observations(
    tables: Mapping[str, pd.DataFrame],
    population: pd.DataFrame,
    seed: int,
    end: int,
    start: int = 2015,
) -> pd.DataFrame:
    """District observations (ObservationTable layout, status ``synthetic``) from the demo tables.

    Per-10k figures divide by the only district population published (year-end 2024) for every
    year; the row's ``basis_note`` says so. The source line names the seed (in Chinese and in
    English).
    """
    stocks = stock(tables["patents"], year_ends(start, end), population=population)
    deals = transactions_by_year(tables["transactions"], start, end)
    deals["pledge_amount_100m"] = deals["pledge_amount"] / 1e8
    yearly = {
        "pct": pct_by_year(tables["pct"], start, end),
        "madrid": madrid_by_year(tables["madrid"], start, end),
        "transactions": deals,
    }
    frames = [_stock_rows(stock_observations(stocks))]
    frames += [_flow_rows(yearly[table], *flow) for table, *flow in FLOWS]
    out = pd.concat(frames, ignore_index=True)
    out["region"] = out["region_code"].map(region_names())
    out["date"] = pd.to_datetime(out["year"].astype(str) + "-12-31")
    out = out.assign(
        status="synthetic",
        confidence=None,
        source=text("demo.source", "zh", seed=seed),
        source_en=text("demo.source", "en", seed=seed),
        source_url=None,
        read_at=None,
        source_id=SOURCE_ID,
        vintage=None,
        priority=0,
        raw_file=f"demo/seed{seed}-end{end}",
        raw_row=2,
    )
    columns = list(ObservationTable.to_schema().columns)
    return ObservationTable.validate(out[columns], lazy=True)
