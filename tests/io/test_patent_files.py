"""read_patents: the parquet reader gives pandas' own reading, and a table read for a definition
(the IPC and text only where the definition reads them) classifies exactly like a whole one."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from patent_rows import random_table

from ipanalysis.errors import InputError
from ipanalysis.high_value import (
    DEFAULT_DEFINITION,
    ENGINE_COLUMNS,
    classify,
    configured,
    maturing,
    prepare_patents,
    stock,
    year_ends,
)
from ipanalysis.io import read_patents

DEFINITIONS = {
    "auto": DEFAULT_DEFINITION,
    "flag": configured(strategic_emerging_source="flag"),
    "concordance": configured(strategic_emerging_source="concordance"),
    "description": configured(keyword_rule="description"),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One table as parquet in row groups of 700 (flags missing in some groups only) and CSV."""
    folder = tmp_path_factory.mktemp("patents")
    table = random_table(3_000, seed=11)
    known = table["strategic_emerging"].fillna(False).astype("boolean")
    table["strategic_emerging"] = table["strategic_emerging"].where(
        (table.index < 700) | (table.index >= 2_100), known
    )  # row groups 2-3 have every flag
    table["abstract"] = table["title"]
    table.to_parquet(folder / "patents.parquet", index=False, row_group_size=700)
    table.to_csv(folder / "patents.csv", index=False)
    flagged = table.assign(strategic_emerging=known)
    flagged.to_parquet(folder / "flagged.parquet", index=False, row_group_size=700)
    return folder


def test_parquet_reads_as_pandas_does(files):
    path = files / "patents.parquet"
    columns = [c for c in ENGINE_COLUMNS if c in pd.read_parquet(path).columns]
    expected = prepare_patents(pd.read_parquet(path, columns=columns))
    result = read_patents(path)
    pd.testing.assert_frame_equal(result, expected)
    assert result["grant_date"].dtype == "datetime64[ns]"
    assert result["grant_date"].isna().sum() > 0


@pytest.mark.parametrize("name", ["patents.parquet", "patents.csv", "flagged.parquet"])
@pytest.mark.parametrize("read_for", list(DEFINITIONS))
def test_a_table_read_for_a_definition_classifies_as_the_whole_table(files, name, read_for):
    definition = DEFINITIONS[read_for]
    whole, lean = read_patents(files / name), read_patents(files / name, definition)
    for as_of in ("2019-12-31", "2024-02-29"):
        pd.testing.assert_frame_equal(
            classify(lean, as_of, definition), classify(whole, as_of, definition)
        )
        pd.testing.assert_frame_equal(
            maturing(lean, as_of, 12, definition), maturing(whole, as_of, 12, definition)
        )
    dates = year_ends(2010, 2025)
    pd.testing.assert_frame_equal(
        stock(lean, dates, definition=definition), stock(whole, dates, definition=definition)
    )


def test_only_what_the_definition_reads_is_read(files):
    lean = read_patents(files / "patents.parquet")
    assert {"ipc", "title", "abstract"} <= set(lean.columns)
    lean = read_patents(files / "patents.parquet", DEFAULT_DEFINITION)
    missing = lean["strategic_emerging"].isna().to_numpy()
    assert missing.sum() > 0
    assert lean["title"].notna().to_numpy()[~missing].sum() == 0  # flag given: text not read
    assert lean["ipc"].notna().to_numpy()[missing].sum() > 0
    assert list(lean.columns) == [c for c in ENGINE_COLUMNS if c in lean.columns]
    description = read_patents(files / "patents.parquet", DEFINITIONS["description"])
    assert "ipc" in description.columns and "title" not in description.columns
    for name in ("flagged.parquet", "patents.csv"):
        flag_only = read_patents(files / name, DEFINITIONS["flag"])
        assert not {"ipc", "title", "abstract"} & set(flag_only.columns)
    every_flag = read_patents(files / "flagged.parquet", DEFAULT_DEFINITION)
    assert not {"ipc", "title", "abstract"} & set(every_flag.columns)


def test_a_table_read_for_one_definition_refuses_one_that_reads_more(files):
    lean = read_patents(files / "patents.parquet", DEFAULT_DEFINITION)
    with pytest.raises(InputError) as error:
        classify(lean, "2024-12-31", DEFINITIONS["concordance"])
    assert str(error.value) == (
        "the patent table was read for high-value definition cnipa-2021/2, which reads ipc, "
        "title, abstract of the patents whose strategic_emerging flag is empty; "
        "cnipa-2021/2+strategic_emerging_source=concordance reads ipc, title, abstract of every "
        "patent: read the file with read_patents(path, definition) for the definition that "
        "classifies it"
    )
    with pytest.raises(InputError):
        stock(read_patents(files / "patents.parquet", DEFINITIONS["flag"]), "2024-12-31")
    # nothing to read for the patents a flag decides: any flag-first definition is fine
    every_flag = read_patents(files / "flagged.parquet", DEFINITIONS["flag"])
    classify(every_flag, "2024-12-31", DEFAULT_DEFINITION)
    # and what was read travels with the table (as JSON: the table still writes to parquet)
    held = lean[lean["domestic"].to_numpy(bool)]
    assert json.loads(json.dumps(held.attrs["concordance_inputs_read"]))["patents"] == (
        "flag_missing"
    )
    with pytest.raises(InputError):
        classify(held, "2024-12-31", DEFINITIONS["concordance"])


def test_a_parquet_file_without_row_groups_or_with_other_dtypes(tmp_path):
    empty = random_table(10, seed=1).iloc[:0]
    empty.to_parquet(tmp_path / "empty.parquet", index=False)
    assert len(read_patents(tmp_path / "empty.parquet", DEFAULT_DEFINITION)) == 0
    table = random_table(50, seed=2)
    table["grant_date"] = table["grant_date"].astype("datetime64[us]")
    table["pledge_amount"] = table["pledge_amount"].astype("float32")
    table.index = np.arange(100, 150)  # written as a column; rows are numbered from 0 as read
    table.to_parquet(tmp_path / "other.parquet")
    read = read_patents(tmp_path / "other.parquet")
    columns = [c for c in ENGINE_COLUMNS if c in table.columns]
    expected = prepare_patents(pd.read_parquet(tmp_path / "other.parquet", columns=columns))
    pd.testing.assert_frame_equal(read, expected.reset_index(drop=True))
    assert read["grant_date"].dtype == "datetime64[ns]"
    pd.testing.assert_frame_equal(
        classify(read, "2020-12-31"), classify(table.reset_index(drop=True), "2020-12-31")
    )


def test_arrow_pool_blocks_nest_and_overlap_and_put_the_default_back():
    import threading

    import pyarrow as pa

    from ipanalysis.io.patents import _arrow_pool

    before = pa.default_memory_pool().backend_name
    seen = []
    with _arrow_pool("system"):
        seen.append(pa.default_memory_pool().backend_name)
        worker = threading.Thread(
            target=lambda: _arrow_pool("jemalloc")(
                lambda: seen.append(pa.default_memory_pool().backend_name)
            )()
        )
        worker.start()
        worker.join()
    assert seen == ["system", "system"]  # the first block's pool, until the last one ends
    assert pa.default_memory_pool().backend_name == before
