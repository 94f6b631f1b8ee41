"""Read a canonical patent table (CSV or parquet) for the high-value engine, lean and fast.

Only the engine's columns are read. A parquet file is read a row group at a time, each group's
columns decoded in parallel by pyarrow; dates and amounts are written straight into the frame's
arrays and text stays in Arrow memory (no Python string per patent). The concordance's inputs
(IPC, title, abstract) are read only as far as a definition reads them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..high_value import ENGINE_COLUMNS, HighValueDefinition, prepare_patents
from ..high_value.memory import shared_setting, small_pages
from ..high_value.patents import CONCORDANCE_COLUMNS, INPUTS_READ
from ..schemas import is_synthetic


@small_pages()
def read_patents(path: str | Path, definition: HighValueDefinition | None = None) -> pd.DataFrame:
    """Read a canonical patent table from CSV or parquet and :func:`prepare_patents` it.

    Only the engine's columns are read (:data:`ENGINE_COLUMNS`); CSV values are read as text
    first so that codes such as ``region`` keep their leading digits.

    Parameters
    ----------
    definition
        Read the concordance's inputs (``ipc``, ``title``, ``abstract``) only as far as this
        high-value definition reads them (:meth:`HighValueDefinition.concordance_inputs`): not
        at all when the source's flag decides every patent; from a parquet file only for the
        patents whose flag is empty (the other rows hold a missing value, and the columns are
        left out when no patent needs them). The table then refuses a definition that reads
        more (``attrs["concordance_inputs_read"]``). Default: every engine column for every
        patent, whatever definition classifies them later.

    Raises
    ------
    InputError
        The file does not exist, is neither ``.csv`` nor ``.parquet``, or a value cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", file=path)
    suffix = path.suffix.lower()
    inputs, scope = definition.concordance_inputs() if definition else (CONCORDANCE_COLUMNS, "all")
    parquet = suffix in (".parquet", ".pq")
    # from parquet, the concordance's inputs are read after the flags (for the rows needing them)
    wanted = [c for c in ENGINE_COLUMNS if c not in CONCORDANCE_COLUMNS or c in inputs]
    wanted = [c for c in wanted if not (parquet and c in CONCORDANCE_COLUMNS)] + ["synthetic"]
    try:
        if parquet:
            with _arrow_pool():
                frame, marked = _read_parquet(path, wanted)
        elif suffix == ".csv":
            frame = pd.read_csv(
                path,
                dtype="str",
                keep_default_na=False,
                na_values=[""],
                usecols=wanted.__contains__,
            )
            marked = False
        else:
            raise InputError(
                f"expected a .csv or .parquet file, found {suffix or 'no suffix'!r}", file=path
            )
        prepared = prepare_patents(frame)
        prepared.attrs["synthetic"] = bool(marked or is_synthetic(frame))
        del frame
        if parquet and inputs and scope != "none":
            prepared = _with_inputs(prepared, path, inputs, scope)
        if definition is not None:
            read = {"definition": definition.version, "columns": list(inputs), "patents": scope}
            prepared.attrs[INPUTS_READ] = read
        return prepared
    except InputError as error:
        if error.file is None:
            error.file = path.name
            error.args = (str(error),)
        raise


def _read_parquet(path: Path, columns: list[str]) -> tuple[pd.DataFrame, bool]:
    """The ``columns`` a parquet file has, and whether its metadata marks it synthetic.

    Row group by row group, each group's columns decoded in parallel: ns timestamps and floats
    are copied into arrays of the file's length as they come (NaT and NaN for missing values,
    as pandas has them), and each group's Arrow buffers are freed before the next is read; the
    other columns (text, categories, flags) convert once at the end, text without a copy, with
    the dtypes pandas wrote. The peak is about the frame plus one row group, not twice the frame.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    marked = marked_synthetic(schema)
    # the file's metadata says synthetic: its synthetic column need not be read to tell
    present = [c for c in columns if c in schema.names and not (marked and c == "synthetic")]
    rows = file.metadata.num_rows
    direct = {
        c: np.empty(rows, "datetime64[ns]" if pa.types.is_timestamp(t) else "float64")
        for c in present
        if (t := schema.field(c).type) in (pa.timestamp("ns"), pa.float64())
    }
    chunks: dict[str, list] = {c: [] for c in present if c not in direct}
    start = 0
    for group in range(file.num_row_groups):
        table = file.read_row_group(group, columns=present)
        for name in present:
            at = start
            for chunk in table.column(name).chunks:
                if name in direct:
                    _copy_into(chunk, direct[name][at : at + len(chunk)])
                    at += len(chunk)
                else:
                    chunks[name].append(chunk)
        start += table.num_rows
        del table
    rest = pa.table(
        {c: pa.chunked_array(v, type=schema.field(c).type) for c, v in chunks.items()},
        metadata=columns_metadata(schema),
    )
    converted = rest.to_pandas(split_blocks=True, self_destruct=True)
    del rest, chunks
    index, attrs = pandas_rows(schema, rows)
    frame = pd.DataFrame(
        {c: direct[c] if c in direct else converted[c].array for c in present},
        index=index,
        copy=False,
    )
    frame.attrs = attrs  # those pandas wrote (e.g. the export's as_of)
    return frame, marked


def marked_synthetic(schema) -> bool:
    """Whether a parquet file's metadata marks it synthetic (as ``io.demo.write_parquet`` does)."""
    return (schema.metadata or {}).get(b"synthetic") == b"true"


def columns_metadata(schema) -> dict:
    """A parquet file's metadata (``schema.metadata``) without the index pandas stored in it:
    columns converted with it keep the dtypes pandas wrote and are numbered 0, 1, … (an index
    stored as a column, such as ``application_number``, stays a column)."""
    import json

    metadata = dict(schema.metadata or {})
    if b"pandas" in metadata:
        stored = json.loads(metadata[b"pandas"])
        stored["index_columns"] = []
        metadata[b"pandas"] = json.dumps(stored).encode()
    return metadata


def pandas_rows(schema, rows: int) -> tuple[pd.Index, dict]:
    """The row index and ``attrs`` pandas gives the ``rows`` rows of a parquet file with this
    ``schema``: a range index stored in its metadata (start, step, name), the ``attrs`` pandas
    wrote; rows numbered 0, 1, … otherwise (an index stored as a column is not read)."""
    import pyarrow as pa

    numbers = pa.array(np.zeros(rows, np.int8))
    frame = pa.table({"__ipanalysis_rows__": numbers}, metadata=schema.metadata).to_pandas()
    return frame.index, frame.attrs


def present(chunk) -> np.ndarray:
    """Where an Arrow array has a value, from its validity bitmap (one bit per value)."""
    if not chunk.null_count:
        return np.ones(len(chunk), bool)
    bits = np.frombuffer(chunk.buffers()[0], np.uint8)
    end = chunk.offset + len(chunk)
    return np.unpackbits(bits, count=end, bitorder="little")[chunk.offset :].view(bool)


def fixed_values(chunk, dtype) -> np.ndarray:
    """An Arrow timestamp (ns) or float64 array's values as numpy ``dtype`` (``datetime64[ns]``
    or ``float64``), straight from its buffer, read-only; missing values are not yet NaT/NaN
    (see :func:`present`)."""
    dtype = np.dtype(dtype)
    data = chunk.buffers()[1] if len(chunk) else None
    if data is None:  # empty, or no buffer at all
        return chunk.to_numpy(zero_copy_only=False).astype(dtype)
    return np.frombuffer(data, dtype, len(chunk), chunk.offset * dtype.itemsize)


def _copy_into(chunk, out: np.ndarray) -> None:
    """Copy an Arrow timestamp (ns) or float64 array into ``out``, missing values as NaT or NaN:
    straight from its buffer, no intermediate array of its length."""
    out[:] = fixed_values(chunk, out.dtype)
    if chunk.null_count:
        out[~present(chunk)] = np.array(None, out.dtype)


_POOL: dict = {}


@contextlib.contextmanager
def _arrow_pool(name: str = "jemalloc") -> Iterator[None]:
    """Arrow's default memory pool set to ``name`` (``jemalloc`` or ``system``; the system
    allocator where pyarrow has no jemalloc) while the block runs, then put back. Nested and
    concurrent blocks keep the pool the first one set; the last one puts the default back.

    Reading 5 million patents right after another large process had exited, pyarrow's default
    pool (mimalloc) spent 0.6-0.7 s in the kernel, giving memory back and faulting it in again,
    against 0.15-0.2 s with jemalloc or the system allocator: mimalloc takes transparent huge
    pages, which this kernel sometimes compacts memory for on the spot.
    """
    import pyarrow as pa

    def start():
        try:
            pool = pa.jemalloc_memory_pool() if name == "jemalloc" else pa.system_memory_pool()
        except NotImplementedError:
            pool = pa.system_memory_pool()
        _POOL["before"] = pa.default_memory_pool()
        pa.set_memory_pool(pool)

    with shared_setting("arrow_pool", start, lambda: pa.set_memory_pool(_POOL["before"])):
        yield


def _rows_needing(prepared: pd.DataFrame, scope: str) -> np.ndarray:
    """Positions of the patents whose criterion 1 reads the concordance's inputs."""
    flag = prepared.get("strategic_emerging")
    if scope == "all" or flag is None:
        return np.arange(len(prepared))
    return np.flatnonzero(flag.isna().to_numpy(dtype=bool))


def _with_inputs(prepared: pd.DataFrame, path: Path, columns, scope: str) -> pd.DataFrame:
    """``prepared`` with the concordance's ``columns`` read from a parquet file for the rows
    that need them (:func:`_rows_needing`), a missing value in the other rows; unchanged when
    no row needs them. Only the row groups that hold such rows are read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    present = [c for c in columns if c in file.schema_arrow.names]
    needed = _rows_needing(prepared, scope)
    if not present or not len(needed):
        return prepared
    pieces, start = [], 0
    for group in range(file.num_row_groups):
        size = file.metadata.row_group(group).num_rows
        inside = needed[(needed >= start) & (needed < start + size)] - start
        if len(inside):
            table = file.read_row_group(group, columns=present)
            pieces.append(table if len(inside) == size else table.take(inside))
        start += size
    read = pa.concat_tables(pieces)
    if len(needed) < len(prepared):  # spread over the table's rows, missing elsewhere
        at = np.full(len(prepared), -1, np.int64)
        at[needed] = np.arange(len(needed))
        read = read.take(pa.array(at, mask=at < 0))
    values = read.replace_schema_metadata(file.schema_arrow.metadata).to_pandas()
    values.index = prepared.index
    out = prepared.copy(deep=False)
    for column in present:  # in the engine's column order
        out.insert(_position(out, column), column, values[column])
    return out


def _position(frame: pd.DataFrame, column: str) -> int:
    """Where ``column`` goes among ``frame``'s columns in :data:`ENGINE_COLUMNS` order."""
    order = {c: n for n, c in enumerate(ENGINE_COLUMNS)}
    return sum(order.get(c, len(order)) < order[column] for c in frame.columns)
