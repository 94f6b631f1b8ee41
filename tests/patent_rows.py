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
