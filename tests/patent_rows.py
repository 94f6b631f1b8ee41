"""Hand-built canonical patent rows for the engine tests.

A plain module, not a conftest: the test tree has several conftest.py files and doctest collection
imports them all under one name, so helpers live in uniquely named modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULTS = {
    "application_number": "CN201510000000",
    "patent_type": "invention",
    "filing_date": "2015-03-01",
    "grant_date": "2018-06-01",
    "lapse_date": None,
    "region": "310117",
    "patentee": "甲公司",
    "ipc": "G06F 16/00",
    "strategic_emerging": False,
    "overseas_family": False,
    "pledge_amount": np.nan,
    "award": None,
    "domestic": True,
}


def build(*rows: dict) -> pd.DataFrame:
    """A canonical patent table: each row is DEFAULTS updated with the given values.

    Rows without an application number get CN2015100000NN (NN = position).
    """
    records = []
    for i, row in enumerate(rows):
        record = {**DEFAULTS, "application_number": f"CN2015100000{i:02d}", **row}
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for column in ("strategic_emerging", "overseas_family"):
        frame[column] = frame[column].astype("boolean")
    return frame


def random_table(n: int, seed: int) -> pd.DataFrame:
    """A canonical patent table of ``n`` made-up rows with every edge the engine meets: missing
    dates, times of day, dates before 1970, 29 February filings, missing flags, regions and
    IPC, pledges about the threshold, awards that count and awards that do not."""
    rng = np.random.default_rng(seed)

    def dates(missing: float) -> np.ndarray:
        days = rng.integers(0, 70 * 365, n).astype("timedelta64[D]")
        times = rng.integers(0, 86_400 * 10**9, n).astype("timedelta64[ns]") * rng.integers(0, 2, n)
        values = (np.datetime64("1960-01-01", "ns") + days + times).astype("datetime64[ns]")
        values[rng.random(n) < missing] = np.datetime64("NaT")
        return values

    filing = dates(0.05)
    leap = rng.random(n) < 0.05
    filing[leap] = np.datetime64("2012-02-29", "ns") + rng.integers(0, 2, leap.sum()).astype(
        "timedelta64[h]"
    )

    def flag(p_missing: float) -> pd.arrays.BooleanArray:
        return pd.array(rng.choice([True, False, None], n, p=[0.2, 0.8 - p_missing, p_missing]))

    ipc = ["G06N3/08", "A47J27/00", "H01M10/05;A01B1/00", None, "G06V10/82", "H04W4/00"]
    return pd.DataFrame(
        {
            "application_number": [f"CN2015{i:08d}" for i in range(n)],
            "patent_type": pd.Categorical(
                rng.choice(["invention", "utility_model", "design"], n, p=[0.7, 0.2, 0.1])
            ),
            "filing_date": filing,
            "grant_date": dates(0.2),
            "lapse_date": dates(0.5),
            "region": pd.Categorical(rng.choice(["310117", "310115", None], n)),
            "ipc": rng.choice(np.array(ipc, dtype=object), n),
            "title": rng.choice(
                np.array(["一种移动话音服务系统", "一种非机动车刹车", None, "锂电池"], object), n
            ),
            "strategic_emerging": flag(0.2),
            "overseas_family": flag(0.1),
            "pledge_amount": np.where(rng.random(n) < 0.1, rng.random(n) * 2e7, np.nan),
            "award": pd.Categorical(
                rng.choice(["中国专利金奖", "上海市科学技术奖", None], n, p=[0.05, 0.05, 0.9])
            ),
            "domestic": rng.random(n) < 0.8,
        }
    )
