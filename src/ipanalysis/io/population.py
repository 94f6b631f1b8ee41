"""Population tables from files, for per-10k figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..high_value import population_table


def load_population(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A population table (:func:`ipanalysis.high_value.population_table`) from a CSV or frame.

    Raises :class:`~ipanalysis.errors.InputError` naming the file, row and column.
    """
    if isinstance(source, pd.DataFrame):
        return population_table(source)
    file = Path(source)
    if not file.exists():
        raise InputError("no such file", file=file)
    frame = pd.read_csv(file, dtype={"adcode": str, "region": str})
    return population_table(frame, file=file.name)
