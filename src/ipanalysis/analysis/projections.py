"""Projections of an indicator's series to a target year, with their assumptions stated."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError


def project_per_10k(
    history: pd.DataFrame,
    target_year: int,
    window: int = 5,
    by: str | None = None,
    value: str = "value",
) -> pd.DataFrame:
    """Project a per-10k series to ``target_year`` from the trend of its last ``window`` years.

    Assumptions (stated in ``attrs["method"]``): ``central`` continues the least-squares linear
    trend of the last ``window`` year-end values; ``low`` and ``high`` continue from the last
    value at the smallest and largest year-on-year change seen in that window. Population is held
    at its last level (the value is already per 10k).

    Parameters
    ----------
    history
        ``year`` (or a year-end ``date``, e.g. :func:`stock` output) and ``value`` columns (and
        ``by`` when given), one row per year (and group).

    Examples
    --------
    >>> h = pd.DataFrame({"year": [2021, 2022, 2023], "value": [31.6, 40.9, 50.2]})
    >>> project_per_10k(h, 2026, window=3).round(2)
       year  last_year  last_value   low  central  high
    0  2026       2023        50.2  78.1     78.1  78.1
    """
    if "year" not in history.columns and "date" in history.columns:
        history = history.assign(year=pd.to_datetime(history["date"]).dt.year)
    for column in ["year", value] + ([by] if by else []):
        if column not in history.columns:
            raise InputError(f"history lacks column {column!r}", column=column)
    if window < 2:
        raise ValueError(f"window must be at least 2 years, not {window}")
    frame = history.dropna(subset=[value]).sort_values([*([by] if by else []), "year"])
    groups = frame.groupby(by, sort=True, observed=True) if by else [(None, frame)]
    rows = []
    for key, group in groups:
        recent = group.tail(window)
        if len(recent) < 2:
            raise InputError(
                f"need at least 2 years of history to project, found {len(recent)}"
                + (f" for {key}" if by else ""),
                column=value,
            )
        years = recent["year"].to_numpy(dtype=float)
        values = recent[value].to_numpy(dtype=float)
        last_year, last_value = int(years[-1]), float(values[-1])
        if target_year < last_year:
            raise ValueError(f"target_year {target_year} is before the last year {last_year}")
        slope, intercept = np.polyfit(years, values, 1)
        steps = np.diff(values) / np.diff(years)
        ahead = target_year - last_year
        row = {
            "year": target_year,
            "last_year": last_year,
            "last_value": last_value,
            "low": last_value + ahead * steps.min(),
            "central": slope * target_year + intercept,
            "high": last_value + ahead * steps.max(),
        }
        rows.append(({by: key} if by else {}) | row)
    out = pd.DataFrame(rows)
    out.attrs["method"] = (
        f"linear trend of the last {window} years (central); last value plus the "
        f"smallest/largest year-on-year change in that window (low/high)"
    )
    return out


def projection_band(history: pd.DataFrame, target_year: int | None, window: int = 5):
    """The projection of a yearly series to ``target_year`` as a band to draw: the last value
    as its first row, then :func:`project_per_10k`'s ``low, central, high`` at the target year.

    ``None`` when there is no target year or fewer than 2 years of history (nothing to
    project from). ``attrs["window"]`` and ``attrs["method"]`` state the assumption.

    >>> h = pd.DataFrame({"year": [2021, 2022, 2023], "value": [31.6, 40.9, 50.2]})
    >>> projection_band(h, 2026, window=3).round(1)
       year   low  central  high
    0  2023  50.2     50.2  50.2
    1  2026  78.1     78.1  78.1
    """
    if target_year is None or len(history) < 2:
        return None
    projected = project_per_10k(history[["year", "value"]], target_year, window=window)
    last = history["value"].iloc[-1]
    start = pd.DataFrame(
        {
            "year": [int(history["year"].iloc[-1])],
            "low": [last],
            "central": [last],
            "high": [last],
        }
    )
    band = pd.concat([start, projected[["year", "low", "central", "high"]]], ignore_index=True)
    band.attrs.update(window=window, method=projected.attrs["method"])
    return band
