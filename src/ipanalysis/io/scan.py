"""Classify and count a parquet patent file in one read, a row group at a time: :func:`scan_patents`.

:func:`~ipanalysis.io.read_patents` builds one frame of every patent, then
:func:`~ipanalysis.high_value.classify` and :func:`~ipanalysis.high_value.stock` read it.
At national scale (millions of patents) building that frame is most of the time. A scan gives the
same two results without it: each row group (or a run of small ones) is read, classified and
counted on its own, on two threads or more, and only what the results keep (the application
numbers, in Arrow memory, and one flag per criterion) outlives it. The rules are the same
functions' (each group goes through :func:`~ipanalysis.high_value.prepare_patents` and the
classification's own arrays), so the results are the same; a file the scan does not read row
group by row group (CSV, a column of another type, patents whose criterion 1 needs the
concordance, a value the engine refuses) is read whole, by ``read_patents``, and classified and
counted the usual way (``PatentScan.how``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import InputError
from ..high_value import (
    CRITERIA,
    DEFAULT_DEFINITION,
    ENGINE_COLUMNS,
    HighValueDefinition,
    classify,
    prepare_patents,
    stock,
)
from ..high_value.classify import _NAT, _at, _classified, _static, _timestamp, _why_unknown
from ..high_value.memory import reuse_memory, small_pages
from ..high_value.patents import CONCORDANCE_COLUMNS
from ..high_value.stock import _changes, _grid, _running, _stamps, _stock_frame
from ..schemas import is_synthetic
from .patents import (
    _arrow_pool,
    columns_metadata,
    fixed_values,
    marked_synthetic,
    pandas_rows,
    present,
    read_patents,
)

#: The columns read as categories: their values, not their order, matter to the rules; the
#: scan counts stocks by one of them (or by none).
_CATEGORIES = ("patent_type", "region", "award")

#: Row groups read and computed by one task: consecutive ones up to this many rows (one, if it
#: is larger), so that a file of many small groups is not a task per few rows.
_TASK_ROWS = 1 << 18


class PatentScan(NamedTuple):
    """What :func:`scan_patents` gives: the classification, the stocks, and how it read."""

    #: :func:`~ipanalysis.high_value.classify`'s frame at ``as_of`` (None: no ``as_of``).
    classified: pd.DataFrame | None
    #: :func:`~ipanalysis.high_value.stock`'s frame at ``dates`` (None: no ``dates``).
    stocks: pd.DataFrame | None
    #: ``"row groups"`` (read and computed a row group at a time) or ``"whole"`` (read by
    #: :func:`~ipanalysis.io.read_patents`, then classified and counted).
    how: str


class _Whole(Exception):
    """The file is read whole instead (a group's values need what the scan does not do)."""


@small_pages()
def scan_patents(
    path: str | Path,
    as_of: object | None = None,
    dates: object | Iterable[object] | None = None,
    by: str | None = "region",
    population: pd.DataFrame | None = None,
    definition: HighValueDefinition = DEFAULT_DEFINITION,
    domestic_only: bool = True,
) -> PatentScan:
    """Classify a patent file at ``as_of`` and count its stocks at ``dates``, reading it once.

    The results are those of ``classify(read_patents(path, definition), as_of, definition)``
    and ``stock(read_patents(path, definition), dates, by, population, definition,
    domestic_only)`` (see :func:`~ipanalysis.high_value.classify` and
    :func:`~ipanalysis.high_value.stock` for the parameters and the columns), computed from a
    parquet file a row group at a time when it can be (:data:`PatentScan.how`): the parquet
    file's engine columns in the types pyarrow writes from a canonical table (categories or text,
    timestamps, booleans, numbers), ``by`` one of ``patent_type``, ``region``, ``award`` or
    None, and criterion 1 decided by the source's flag for every patent (or by the flag alone,
    ``strategic_emerging_source: flag``). Otherwise, and for a CSV file, the file is read whole;
    a value the engine refuses is reported as ``read_patents`` reports it, with its row.

    Parameters
    ----------
    as_of
        The classification's reference date; None: no classification.
    dates
        The stocks' reference dates (e.g. :func:`~ipanalysis.high_value.year_ends`); None: no
        stocks.

    Raises
    ------
    InputError
        As :func:`~ipanalysis.io.read_patents`, :func:`~ipanalysis.high_value.classify` and
        :func:`~ipanalysis.high_value.stock` raise it.
    ValueError
        Neither ``as_of`` nor ``dates`` is given, or one is not a date.
    """
    if as_of is None and dates is None:
        raise ValueError("scan_patents needs as_of (a classification), dates (stocks) or both")
    path = Path(path)
    plan = _plan(path, by, definition, read_numbers=as_of is not None)
    if plan is not None:
        import pyarrow as pa

        day = None if as_of is None else _timestamp(as_of, "as_of")
        stamps = None if dates is None else _stamps(dates)
        try:
            # glibc's own pool: what a task frees, the next one reuses (reuse_memory)
            with _arrow_pool("system"), reuse_memory():
                classified, stocks = _scan(
                    plan, day, stamps, by, population, definition, domestic_only
                )
            return PatentScan(classified, stocks, "row groups")
        except (_Whole, pa.ArrowException):
            pass  # read whole: read_patents reports a value it cannot read
    patents = read_patents(path, definition)
    classified = None if as_of is None else classify(patents, as_of, definition)
    stocks = (
        None if dates is None else stock(patents, dates, by, population, definition, domestic_only)
    )
    return PatentScan(classified, stocks, "whole")


class _Plan(NamedTuple):
    path: Path
    metadata: object  # the file's pyarrow.parquet.FileMetaData
    schema: object  # the file's pyarrow.Schema
    columns: list[str]  # read for the rules, task by task
    numbers: bool  # application numbers read (for the classification)
    index: pd.Index  # the rows as pandas numbers them (a range stored in the metadata)
    marked: bool  # the file's metadata or the attrs pandas wrote say synthetic
    dictionary: bool  # ``by`` is a dictionary column (its groups in first-seen order)


def _plan(path: Path, by: str | None, definition: HighValueDefinition, read_numbers: bool):
    """What to read of a parquet file task by task; None: read it whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.suffix.lower() not in (".parquet", ".pq") or not path.is_file():
        return None
    try:
        file = pq.ParquetFile(path)
    except (OSError, pa.ArrowException):
        return None  # read_patents says what is wrong
    schema, metadata = file.schema_arrow, file.metadata
    names = set(schema.names)
    _, scope = definition.concordance_inputs()
    if scope == "all" or (by is not None and by not in _CATEGORIES) or metadata.num_rows == 0:
        return None
    if scope == "flag_missing" and _flags_missing(metadata):
        return None  # criterion 1 reads the concordance for some patents
    columns = [
        c
        for c in ENGINE_COLUMNS
        if c in names and c not in CONCORDANCE_COLUMNS and c != "application_number"
    ]
    if not all(_readable(c, schema.field(c).type) for c in columns):
        return None
    if by is not None and by not in columns:
        return None
    index, attrs = pandas_rows(schema, metadata.num_rows)
    stored = pd.DataFrame()
    stored.attrs = attrs
    marked = marked_synthetic(schema) or is_synthetic(stored)
    if "synthetic" in names and not marked:
        columns.append("synthetic")
    numbers = read_numbers and "application_number" in names
    if numbers and not _is_text(schema.field("application_number").type):
        return None
    dictionary = by is not None and pa.types.is_dictionary(schema.field(by).type)
    return _Plan(path, metadata, schema, columns, numbers, index, marked, dictionary)


def _flags_missing(metadata) -> bool:
    """Whether the file's statistics say a ``strategic_emerging`` flag is missing (no column:
    every flag is; no statistics: the tasks find out)."""
    where = [
        i
        for i in range(metadata.num_columns)
        if metadata.schema.column(i).path == "strategic_emerging"
    ]
    if not where:
        return True
    for g in range(metadata.num_row_groups):
        statistics = metadata.row_group(g).column(where[0]).statistics
        if statistics is not None and statistics.has_null_count and statistics.null_count:
            return True
    return False


def _is_text(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _readable(column: str, kind) -> bool:
    """Whether the scan converts ``column`` of Arrow type ``kind`` itself."""
    import pyarrow as pa

    if column in _CATEGORIES:
        return _is_text(kind) or (pa.types.is_dictionary(kind) and _is_text(kind.value_type))
    if column in ("filing_date", "grant_date", "lapse_date"):
        return pa.types.is_timestamp(kind) and kind.tz is None
    if column in ("strategic_emerging", "overseas_family", "domestic"):
        return pa.types.is_boolean(kind)
    if column in ("pledge_amount", "pledge_count"):
        return pa.types.is_floating(kind) or pa.types.is_integer(kind)
    return False


def _series(values, column: str):
    """One task's Arrow column as the array ``prepare_patents`` takes as it is."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = values.combine_chunks()  # a dictionary column: the groups' dictionaries unified
    kind = values.type
    if column in _CATEGORIES:
        if not pa.types.is_dictionary(kind):
            values = pc.dictionary_encode(values)
        if values.dictionary.null_count:
            raise _Whole
        codes = values.indices
        codes = (codes.fill_null(-1) if codes.null_count else codes).to_numpy()
        categories = pd.Index(values.dictionary.to_pylist(), dtype=object)
        return pd.Categorical.from_codes(codes, categories, validate=False)
    if pa.types.is_timestamp(kind):
        if kind.unit != "ns":
            values = values.cast(pa.timestamp("ns"))  # out of range: raises, read whole
        stamps = fixed_values(values, "datetime64[ns]")
        if values.null_count:
            stamps = np.where(present(values), stamps.view(np.int64), _NAT).view(stamps.dtype)
        return stamps
    if pa.types.is_boolean(kind):
        flags = values.fill_null(False).to_numpy(zero_copy_only=False)
        if values.null_count:
            return pd.arrays.BooleanArray(flags, ~present(values))
        return flags
    return values.cast(pa.float64()).to_numpy(zero_copy_only=False)


def _tasks(metadata) -> list[tuple[list[int], slice]]:
    """The row groups each task reads (consecutive, up to :data:`_TASK_ROWS` rows) and the
    file's rows they hold."""
    tasks, groups, start, rows = [], [], 0, 0
    for g in range(metadata.num_row_groups):
        groups.append(g)
        rows += metadata.row_group(g).num_rows
        if rows >= _TASK_ROWS or g == metadata.num_row_groups - 1:
            tasks.append((groups, slice(start, start + rows)))
            groups, start, rows = [], start + rows, 0
    return tasks


def _scan(
    plan: _Plan,
    day: pd.Timestamp | None,
    stamps: list[pd.Timestamp] | None,
    by: str | None,
    population: pd.DataFrame | None,
    definition: HighValueDefinition,
    domestic_only: bool,
):
    """The classification and the stocks, each task's row groups read and computed by
    :func:`_task`, the application numbers read apart (:func:`_numbers`), on two threads or
    more; pending tasks are cancelled when one finds the file must be read whole."""
    n = plan.metadata.num_rows
    out = None
    if day is not None:  # the classification's arrays, each task writing its own rows
        out = {
            "valid": np.empty(n, bool),
            "high": np.empty(n, bool),
            "unknown": np.empty(n, bool),
            "met": {c: np.empty(n, bool) for c in CRITERIA},
            "known": {c: np.empty(n, bool) for c in CRITERIA},
        }
    shared = _Shared(
        plan, definition, day, out, None if stamps is None else _grid(stamps, definition)
    )
    tasks = _tasks(plan.metadata)
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 1))) as pool:
        # the longer tasks first, so that the threads finish together
        work = [pool.submit(_task, shared, g, rows, by, domestic_only) for g, rows in tasks]
        read = [pool.submit(_numbers, plan, g) for g, _ in tasks] if plan.numbers else []
        try:
            results = [f.result() for f in work]
            tables = [f.result() for f in read]
        except BaseException:
            for future in work + read:
                future.cancel()
            raise
    synthetic = plan.marked or any(s for s, _ in results)
    classified = stocks = None
    if out is not None:
        number = _application_numbers(plan, tables)
        at = (out["valid"], out["met"], out["known"], out["high"], out["unknown"])
        # by the flag alone (the scan reads no concordance): classify's own reasons
        unknown = out["valid"] & ~out["known"]["strategic_emerging"]
        why = _why_unknown(pd.DataFrame(), unknown, definition, None)
        classified = _classified(number, at, plan.index, synthetic, definition, day, why)
    if stamps is not None:
        found = [c for _, c in results]
        groups, counts = _combine(found, by, plan.dictionary, shared.grid[0], stamps)
        stocks = _stock_frame(
            counts, stamps, by, groups, population, synthetic, definition, domestic_only
        )
    return classified, stocks


class _Shared(NamedTuple):
    """What every task (:func:`_task`) shares."""

    plan: _Plan
    definition: HighValueDefinition
    day: pd.Timestamp | None  # the classification's date (None: none)
    out: dict | None  # the classification's arrays, the file's length each
    grid: tuple | None  # the stocks' dates as :func:`stock._grid` gives them (None: none)


def _task(shared: _Shared, groups: list[int], rows: slice, by: str | None, domestic_only: bool):
    """Row groups ``groups`` (the file's ``rows``): read, prepared, classified into
    ``shared.out`` and counted; (whether their synthetic column says synthetic, their
    :func:`_group_changes`)."""
    import pyarrow.parquet as pq

    plan, definition = shared.plan, shared.definition
    file = pq.ParquetFile(plan.path, metadata=plan.metadata)
    table = file.read_row_groups(groups, columns=plan.columns, use_threads=False)
    frame = pd.DataFrame(
        {c: _series(table.column(c), c) for c in plan.columns if c != "synthetic"}, copy=False
    )
    synthetic = "synthetic" in plan.columns and is_synthetic(
        pd.DataFrame({"synthetic": table.column("synthetic").to_pandas()})
    )
    del table
    flag = frame.get("strategic_emerging")
    flags_only = definition.concordance_inputs()[1] == "none"
    if not flags_only and flag is not None and flag.isna().any():
        raise _Whole  # criterion 1 reads the concordance for these patents
    try:
        prepared = prepare_patents(frame)
    except InputError:
        raise _Whole from None  # read whole, the error names the row
    static = _static(prepared, definition)
    if shared.out is not None:
        valid, met, known, high, unknown = _at(static, shared.day, definition)
        out = shared.out
        out["valid"][rows], out["high"][rows], out["unknown"][rows] = valid, high, unknown
        for c in CRITERIA:
            out["met"][c][rows], out["known"][c][rows] = met[c], known[c]
    if shared.grid is None:
        return synthetic, None
    return synthetic, _group_changes(prepared, static, by, shared.grid, domestic_only)


def _numbers(plan: _Plan, groups: list[int]):
    """The application numbers of row groups ``groups`` (an Arrow table)."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(plan.path, metadata=plan.metadata)
    return file.read_row_groups(groups, columns=["application_number"], use_threads=False)


def _application_numbers(plan: _Plan, tables: list) -> pd.Series | None:
    """The application numbers as ``read_patents`` gives them (None: not read)."""
    import pyarrow as pa

    if not tables:
        return None
    column = pa.concat_tables(tables).column(0)
    table = pa.table({"application_number": column}, metadata=columns_metadata(plan.schema))
    return table.to_pandas()["application_number"].set_axis(plan.index)


def _group_changes(prepared, static, by, grid, domestic_only: bool):
    """One group's :func:`stock._changes` by its own categories of ``by``: (categories, whether
    a counted patent has none, changes[category (+ missing), state x date])."""
    days, ends, cutoffs = grid
    keep = static.candidate & static.domestic if domestic_only else static.candidate
    rows = np.flatnonzero(keep)
    if by is None:
        categories, codes = [], np.zeros(len(rows), np.int64)
    else:
        column = prepared[by]
        categories = list(column.cat.categories)
        codes = column.cat.codes.to_numpy()[rows].astype(np.int64)
        codes[codes < 0] = len(categories)  # missing: the slot after the categories
    width = 4 * (len(days) + 1)
    size = (len(categories) + 1) * width
    change = _changes(static, rows, codes, ends, cutoffs, size).reshape(-1, width)
    missing = bool(by is not None and (codes == len(categories)).any())
    return categories, missing, change


def _combine(
    found: list, by: str | None, dictionary: bool, days: list[int], stamps: list[pd.Timestamp]
):
    """The groups' changes over one set of categories, ordered as ``read_patents`` orders them
    (a dictionary column: as pyarrow unifies the groups' dictionaries, first seen first; text:
    sorted), ``<missing>`` last when a counted patent has no value; then the counts by date."""
    if by is None:
        change = sum(c[2][0] for c in found)
        return None, _running(change, 1, days, stamps)
    order: dict[str, int] = {}
    for categories, _, _ in found:
        for value in categories:
            order.setdefault(value, len(order))
    values = list(order) if dictionary else sorted(order)
    missing = any(m for _, m, _ in found)
    groups = pd.Index(values + (["<missing>"] if missing else []), dtype=object)
    position = {v: n for n, v in enumerate(groups)}
    width = found[0][2].shape[1]
    change = np.zeros((len(groups), width), np.int64)
    for categories, had_missing, local in found:
        at = np.array([position[v] for v in categories], np.int64)
        change[at] += local[: len(categories)]
        if had_missing:
            change[position["<missing>"]] += local[len(categories)]
    return groups, _running(change.reshape(-1), len(groups), days, stamps)
