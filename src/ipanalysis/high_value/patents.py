"""The canonical patent table as the high-value computations read it: columns and dtypes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..vocabulary import flag_words, missing_mask

#: Columns of the canonical patent table (:data:`ipanalysis.schemas.PATENT_COLUMNS`) read here.
ENGINE_COLUMNS: tuple[str, ...] = (
    "application_number",
    "patent_type",
    "filing_date",
    "grant_date",
    "lapse_date",
    "region",
    "ipc",
    "title",
    "abstract",
    "strategic_emerging",
    "overseas_family",
    "pledge_amount",
    "pledge_count",
    "award",
    "domestic",
)


#: The columns only the concordance reads (criterion 1 for patents no flag decides).
CONCORDANCE_COLUMNS: tuple[str, ...] = ("ipc", "title", "abstract")


#: The key of ``attrs`` where :func:`ipanalysis.io.read_patents` records what it read of the
#: concordance's inputs when it read for one definition: ``{"definition": version,
#: "columns": [...], "patents": "none" | "flag_missing" | "all"}`` (see
#: :meth:`~ipanalysis.high_value.HighValueDefinition.concordance_inputs`).
INPUTS_READ = "concordance_inputs_read"


_SCOPES = {"none": 0, "flag_missing": 1, "all": 2}


_REQUIRED = ("patent_type", "grant_date", "lapse_date", "domestic")


_DATES = ("filing_date", "grant_date", "lapse_date")


_FLAGS = ("strategic_emerging", "overseas_family", "domestic")


def _to_flag(values: pd.Series, column: str) -> pd.Series:
    """A nullable boolean from bool, 0/1 or true/false/是/否 text; else an InputError."""
    if isinstance(values.dtype, pd.BooleanDtype):
        return values
    if values.dtype == bool:
        return values if column == "domestic" else values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values.dtype):
        bad = values.notna() & ~values.isin([0, 1])
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"expected true/false, found {values.iloc[pos]!r}", row=pos + 2, column=column
            )
        return values.astype("boolean")
    text = values.astype("str").str.strip().str.lower()
    missing = missing_mask(text)
    true, false = flag_words(text)
    bad = ~missing & ~true & ~false
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"expected true/false, found {values.iloc[pos]!r}", row=pos + 2, column=column
        )
    return pd.Series(
        pd.arrays.BooleanArray(true.to_numpy(dtype=bool), missing.to_numpy(dtype=bool)),
        index=values.index,
        name=column,
    )


def _to_dates(values: pd.Series, column: str) -> pd.Series:
    if values.dtype == "datetime64[ns]":
        return values
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.astype("datetime64[ns]")
    parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = parsed.isna() & values.notna() & (values.astype("str").str.strip() != "")
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"expected a date like 2023-05-23, found {values.iloc[pos]!r}",
            row=pos + 2,
            column=column,
        )
    return parsed.astype("datetime64[ns]")


def prepare_patents(patents: pd.DataFrame) -> pd.DataFrame:
    """The engine's columns of a canonical patent table, with the engine's dtypes.

    Keeps only :data:`ENGINE_COLUMNS` that are present (extra columns are ignored), returns a new
    frame (the input is not changed): dates as ``datetime64[ns]``, ``patent_type`` and ``region`` as
    categoricals, flags as nullable booleans, ``pledge_amount`` as float. Already-prepared columns
    pass through without copying work.

    Raises
    ------
    InputError
        A required column is missing, or a value cannot be read; the error names the column and the
        row (counted as in a CSV file: the header is row 1).
    """
    missing = [c for c in _REQUIRED if c not in patents.columns]
    if missing:
        raise InputError(f"patent table lacks required column(s): {', '.join(missing)}")
    present = [c for c in ENGINE_COLUMNS if c in patents.columns]
    # a lazy (copy-on-write) selection: columns already in the engine's dtypes are not copied
    frame = patents[present]
    for column in present:
        values = original = frame[column]
        if column in _DATES:
            values = _to_dates(values, column)
        elif column in _FLAGS:
            values = _to_flag(values, column)
        elif column in ("pledge_amount", "pledge_count") and values.dtype != "float64":
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        elif column in ("patent_type", "region", "award"):
            if not isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype("category")
            if column == "region" and not pd.api.types.is_string_dtype(values.cat.categories):
                values = values.cat.rename_categories(values.cat.categories.astype(str))
        if values is not original:
            frame[column] = values
    types = frame["patent_type"]
    unknown = set(types.cat.categories) - {"invention", "utility_model", "design"}
    found = np.flatnonzero(types.isin(sorted(unknown)).to_numpy()) if unknown else []
    if len(found):  # a category no patent has (e.g. a row group's dictionary) is no error
        pos = int(found[0])
        raise InputError(
            f"patent_type must be invention, utility_model or design, found {types.iloc[pos]!r}",
            row=pos + 2,
            column="patent_type",
        )
    if frame["domestic"].isna().any():
        pos = int(np.flatnonzero(frame["domestic"].isna().to_numpy())[0])
        raise InputError(
            "domestic must be true or false, found a missing value", row=pos + 2, column="domestic"
        )
    return frame


def held_domestically(patents: pd.DataFrame) -> pd.DataFrame:
    """The patents the official indicators count: those of domestic patentees (国内专利权人,
    excluding Hong Kong, Macao, Taiwan and abroad). A patent whose patentee's country is
    unknown is left out (it belongs to no region's count).

    >>> p = pd.DataFrame({"application_number": ["CN1", "CN2", "CN3"],
    ...                   "domestic": pd.array([True, False, None], dtype="boolean")})
    >>> held_domestically(p)["application_number"].tolist()
    ['CN1']
    """
    if "domestic" not in patents.columns:
        raise InputError("patent table lacks required column(s): domestic")
    flag = patents["domestic"]
    if not isinstance(flag.dtype, pd.BooleanDtype) and flag.dtype != bool:
        flag = _to_flag(flag, "domestic")
    return patents[flag.fillna(False).astype(bool).to_numpy()]


def check_inputs_read(patents: pd.DataFrame, definition) -> None:
    """Refuse a table read for a definition that reads less of the concordance's inputs than
    ``definition`` does (:data:`INPUTS_READ`): its IPC or text would be missing, not absent.

    >>> p = pd.DataFrame({"ipc": [None]})
    >>> p.attrs[INPUTS_READ] = {"definition": "x/1", "columns": [], "patents": "none"}
    >>> from ipanalysis.high_value import DEFAULT_DEFINITION
    >>> check_inputs_read(p, DEFAULT_DEFINITION)
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: the patent table was read for high-value definition x/1, which reads no IPC or text; cnipa-2021/2 reads ipc, title, abstract of the patents whose strategic_emerging flag is empty: read the file with read_patents(path, definition) for the definition that classifies it
    """  # noqa: E501
    read = patents.attrs.get(INPUTS_READ)
    if not read:  # read whole, or built in memory
        return
    columns, scope = definition.concordance_inputs()
    lacking = [c for c in columns if c not in read["columns"]]
    if not lacking and _SCOPES[scope] <= _SCOPES[read["patents"]]:
        return
    which = {"flag_missing": "of the patents whose strategic_emerging flag is empty"}
    had = ", ".join(read["columns"]) if read["columns"] and read["patents"] != "none" else ""
    raise InputError(
        f"the patent table was read for high-value definition {read['definition']}, which reads "
        f"{had + ' ' + which.get(read['patents'], 'of every patent') if had else 'no IPC or text'}; "
        f"{definition.version} reads {', '.join(columns)} {which.get(scope, 'of every patent')}: "
        "read the file with read_patents(path, definition) for the definition that classifies it"
    )
