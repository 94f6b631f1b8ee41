"""Valid and high-value invention patents held at year ends, by region, and per 10k residents."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schemas import is_synthetic, mark_status
from .classify import _NAT, _cutoff, _next_day, _Static, _static, _timestamp
from .definition import DEFAULT_DEFINITION, HighValueDefinition
from .memory import small_pages
from .patents import CONCORDANCE_COLUMNS, prepare_patents


def population_table(frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """A population table ``region, population_10k[, year][, basis]`` from a frame.

    Accepts the project's raw layout (``adcode, resident_population_10k[, year_end]``: its basis
    is resident year-end population, 年末常住人口) or the canonical names. A table that names no
    basis (no ``basis`` column, no ``resident_`` column) is not checked against the definition's.
    ``file`` names the file the frame was read from, for errors.

    >>> population_table(pd.DataFrame({"adcode": [310117], "resident_population_10k": [195.89],
    ...                                "year_end": [2024]}))
       region  population_10k  year              basis
    0  310117          195.89  2024  resident_year_end
    """
    frame = frame.copy()
    if "resident_population_10k" in frame.columns and "basis" not in frame.columns:
        frame["basis"] = "resident_year_end"
    renames = {"adcode": "region", "resident_population_10k": "population_10k", "year_end": "year"}
    frame = frame.rename(columns={k: v for k, v in renames.items() if k in frame.columns})
    for column in ("region", "population_10k"):
        if column not in frame.columns:
            raise InputError(f"population table lacks column {column!r}", file=file)
    frame["region"] = frame["region"].astype(str)
    frame["population_10k"] = pd.to_numeric(frame["population_10k"], errors="coerce")
    bad = frame["population_10k"].isna() | (frame["population_10k"] <= 0)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            "population must be a positive number", file=file, row=pos + 2, column="population_10k"
        )
    keep = ["region", "population_10k"] + [c for c in ("year", "basis") if c in frame.columns]
    return frame[keep].reset_index(drop=True)


def year_ends(start: int, end: int) -> list[pd.Timestamp]:
    """31 December of each year from ``start`` to ``end`` inclusive.

    >>> [d.date().isoformat() for d in year_ends(2022, 2023)]
    ['2022-12-31', '2023-12-31']
    """
    return [pd.Timestamp(year, 12, 31) for year in range(start, end + 1)]


@small_pages()
def stock(
    patents: pd.DataFrame,
    dates: object | Iterable[object],
    by: str | None = "region",
    population: pd.DataFrame | None = None,
    definition: HighValueDefinition = DEFAULT_DEFINITION,
    domestic_only: bool = True,
) -> pd.DataFrame:
    """Valid and high-value invention patents held at each date, by region, and per 10k residents.

    Parameters
    ----------
    patents
        A canonical patent table.
    dates
        One reference date or several (e.g. :func:`year_ends`).
    by
        Group column (``"region"``) or ``None`` for one total per date.
    population
        Optional :func:`population_table` table. With a ``year`` column, each date uses the
        population of the nearest available year (ties: the earlier), shown in a
        ``population_year`` column; without it, the same population for every date. Regions
        without a population get ``NaN`` per-10k values.
    domestic_only
        Count domestic patentees only (default; CNIPA's per-10k indicator is domestic).

    Returns
    -------
    DataFrame
        ``date, [by,] valid, high_value, high_value_unknown`` and, with a population,
        ``population_10k, valid_per_10k, high_value_per_10k``; one row per date and group (groups
        with no patents appear with zeros). ``high_value_unknown`` counts valid patents whose
        status is unknown because an input is missing; they are not in ``high_value``, which
        is then a lower bound, and ``high_value_per_10k`` is missing (unknown, never 0).
    """
    stamps = _stamps(dates)
    prepared = prepare_patents(patents)
    # only granted inventions can ever be valid: take them (and the columns needed) once
    keep = (prepared["patent_type"] == "invention").to_numpy(dtype=bool) & prepared[
        "grant_date"
    ].notna().to_numpy()
    if domestic_only:
        keep &= prepared["domestic"].to_numpy(dtype=bool)
    rows = np.flatnonzero(keep)
    unused = {"application_number", *CONCORDANCE_COLUMNS} - set(definition.concordance_inputs()[0])
    candidates = prepared[[c for c in prepared.columns if c not in unused]].take(rows)
    static = _static(candidates, definition)
    if by is None:
        codes, groups = np.zeros(len(candidates), np.int64), None
    else:
        if by not in candidates.columns:
            raise InputError(f"patent table has no column {by!r} to group by", column=by)
        column = candidates[by]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype("category")
        categories = column.cat.categories
        codes = column.cat.codes.to_numpy().astype(np.int64)
        if (codes < 0).any():
            categories = categories.append(pd.Index(["<missing>"]))
            codes[codes < 0] = len(categories) - 1
        groups = categories
    n_groups = 1 if groups is None else len(groups)
    counts = _counts(static, codes, n_groups, stamps, definition)
    return _stock_frame(
        counts, stamps, by, groups, population, is_synthetic(patents), definition, domestic_only
    )


def _stamps(dates: object | Iterable[object]) -> list[pd.Timestamp]:
    """:func:`stock`'s ``dates`` as a list of normalised timestamps."""
    one = isinstance(dates, (str, pd.Timestamp)) or not isinstance(dates, Iterable)
    return [_timestamp(d, "date") for d in ([dates] if one else dates)]


def _stock_frame(
    counts: np.ndarray,
    stamps: list[pd.Timestamp],
    by: str | None,
    groups: pd.Index | None,
    population: pd.DataFrame | None,
    synthetic: bool,
    definition: HighValueDefinition,
    domestic_only: bool,
) -> pd.DataFrame:
    """:func:`stock`'s frame from :func:`_counts`' ``counts[date, group, state]``; shared with
    :func:`ipanalysis.io.scan_patents`, which counts a row group at a time."""
    n_groups = 1 if groups is None else len(groups)
    frames = []
    for day, at in zip(stamps, counts, strict=True):
        frame = pd.DataFrame(
            {
                "date": np.repeat(np.datetime64(day.to_datetime64(), "ns"), n_groups),
                "valid": at[:, 1:].sum(axis=1),
                "high_value": at[:, 2],
                "high_value_unknown": at[:, 3],
            }
        )
        if groups is not None:
            frame.insert(1, by, np.asarray(groups, dtype=object))
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    if population is not None:
        result = _per_10k(result, population, by, definition)
    result = mark_status(result, synthetic, column=True)
    result.attrs["definition"] = definition.version
    result.attrs["domestic_only"] = domestic_only
    return result


#: Patents counted at once by :func:`_counts`: its temporaries stay a few MB, memory the
#: allocator hands back again, instead of fresh pages for every array of every patent.
_BLOCK = 1 << 17


def _counts(
    static: _Static,
    codes: np.ndarray,
    n_groups: int,
    stamps: list[pd.Timestamp],
    definition: HighValueDefinition,
) -> np.ndarray:
    """Patents by date, group and state: ``counts[date, group, state]``, the dates as given.

    States: 0 not valid, 1 valid, 2 valid and high-value, 3 valid and unknown. Over the sorted
    distinct dates a patent is valid from the first date its grant precedes until the first its
    lapse does, and maintained from the first date whose cutoff its anchor precedes (cutoffs
    rise with the dates); see :func:`_changes`. A running sum over the dates of where patents
    enter and leave each state replaces comparing every patent with every date.
    """
    days, ends, cutoffs = _grid(stamps, definition)
    size = n_groups * 4 * (len(days) + 1)
    parts = [slice(start, start + _BLOCK) for start in range(0, len(codes), _BLOCK)]
    # numpy lets go of the GIL in searchsorted and where: two threads share the blocks
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = pool.map(lambda p: _changes(static, p, codes[p], ends, cutoffs, size), parts)
        change = sum(found, np.zeros(size, np.int64))
    return _running(change, n_groups, days, stamps)


def _grid(
    stamps: list[pd.Timestamp], definition: HighValueDefinition
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The sorted distinct dates (ns), and the first nanosecond after each and each one's
    maintenance cutoff (:func:`classify._cutoff`), as :func:`_changes` compares them."""
    days = sorted({day.value for day in stamps})
    ends = np.array([_next_day(pd.Timestamp(d)) for d in days], np.int64)
    cutoffs = np.array(
        [_cutoff(pd.Timestamp(d), definition.maintenance_years) for d in days], np.int64
    )
    return days, ends, cutoffs


def _running(
    change: np.ndarray, n_groups: int, days: list[int], stamps: list[pd.Timestamp]
) -> np.ndarray:
    """``counts[date, group, state]`` at ``stamps`` from the summed :func:`_changes`."""
    width = len(days) + 1
    running = np.cumsum(change.reshape(n_groups, 4, width), axis=2)[:, :, :-1]
    position = {d: n for n, d in enumerate(days)}
    return np.stack([running[:, :, position[day.value]] for day in stamps])


def _changes(static: _Static, part: slice, codes, ends, cutoffs, size: int) -> np.ndarray:
    """Where the patents ``part`` enter (+1) and leave (-1) a state, by group, state and date.

    A patent holds its date-independent state from ``first`` (the first date its grant
    precedes) to ``split`` and state 2 from ``split`` to ``last`` (the first date its lapse
    precedes); ``split`` is ``first`` when a date-independent criterion is met, else the first
    date it is maintained, kept inside ``[first, last]``. Dates are compared as stored (int64
    nanoseconds, see :func:`classify._nanoseconds`): a missing lapse date is never reached, an
    unknown anchor never maintained.
    """
    never = np.iinfo(np.int64).max
    lapse, anchor = static.lapse[part], static.anchor[part]
    first = np.searchsorted(ends, static.grant[part], side="right")
    last = np.searchsorted(ends, np.where(lapse == _NAT, never, lapse), "right")
    np.maximum(first, last, out=last)
    split = np.searchsorted(cutoffs, np.where(static.anchor_known[part], anchor, never), "right")
    np.maximum(split, first, out=split)
    np.minimum(split, last, out=split)
    met = static.static_met[part]
    split[met] = first[met]
    width = len(ends) + 1
    own = codes * (4 * width)  # the patent's group, its state and the date: one flat index
    high = own + 2 * width
    own += np.where(static.static_unknown[part], 3 * width, width)
    change = np.bincount(own + first, minlength=size) - np.bincount(own + split, minlength=size)
    change += np.bincount(high + split, minlength=size) - np.bincount(high + last, minlength=size)
    return change


def _per_10k(
    result: pd.DataFrame, population: pd.DataFrame, by: str | None, definition: HighValueDefinition
) -> pd.DataFrame:
    """Join population (nearest available year to each date's year) and divide."""
    pop = population_table(population)
    if "basis" in pop.columns and (pop["basis"] != definition.population_basis).any():
        found = sorted(set(pop["basis"]) - {definition.population_basis})
        raise InputError(
            f"population basis {', '.join(found)} does not match the definition's "
            f"{definition.population_basis}",
            column="basis",
        )
    if "year" not in pop.columns:
        pop = pop.assign(year=pd.NA)
    pop = pop.rename(columns={"region": "_group"})
    if by is None:
        pop = pop.groupby("year", as_index=False, dropna=False)["population_10k"].sum()
        pop["_group"] = "<all>"
    with_year = pop["year"].notna().any()
    keys = pd.DataFrame(
        {
            "_row": np.arange(len(result)),
            "_group": result[by].to_numpy() if by is not None else "<all>",
            "_date_year": result["date"].dt.year.to_numpy(),
        }
    )
    # each row takes its group's population of the nearest year (ties: the earlier year); the
    # tables are small (groups x years), so a join then a sort is enough
    pairs = keys.merge(pop[["_group", "year", "population_10k"]], on="_group", how="left")
    if with_year:
        pairs["_distance"] = (pairs["year"] - pairs["_date_year"]).abs()
        pairs = pairs.sort_values(["_row", "_distance", "year"], kind="stable")
    pairs = pairs.drop_duplicates("_row").sort_values("_row")
    merged = result.copy()
    merged["population_10k"] = pairs["population_10k"].to_numpy(dtype=float)
    if with_year:
        merged["population_year"] = pd.array(pairs["year"].to_numpy(), dtype="Int64")
    merged["valid_per_10k"] = merged["valid"] / merged["population_10k"]
    # a count with undecidable patents is a lower bound, not the figure: its ratio is unknown
    decided = merged["high_value_unknown"] == 0
    merged["high_value_per_10k"] = (merged["high_value"] / merged["population_10k"]).where(decided)
    merged.attrs["population_basis"] = definition.population_basis
    return merged
