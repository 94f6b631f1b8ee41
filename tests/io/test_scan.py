"""scan_patents: the classification and stocks of a parquet file read a row group at a time are
those of the whole table read by read_patents, with every edge the engine meets; what the scan
does not read that way is read whole, with read_patents' errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from patent_rows import random_table

from ipanalysis.errors import InputError
from ipanalysis.high_value import (
    DEFAULT_DEFINITION,
    classify,
    configured,
    population_table,
    stock,
    year_ends,
)
from ipanalysis.io import demo, read_patents, scan_patents
from ipanalysis.io import scan as scan_module

FLAG_ONLY = configured(strategic_emerging_source="flag")
DATES = year_ends(2010, 2025)


def _expected(path, as_of, dates, definition=DEFAULT_DEFINITION, **options):
    patents = read_patents(path, definition)
    return (
        classify(patents, as_of, definition),
        stock(patents, dates, definition=definition, **options),
    )


def _same(scan, expected):
    classified, stocks = expected
    pd.testing.assert_frame_equal(scan.classified, classified)
    assert scan.classified.attrs == classified.attrs
    pd.testing.assert_frame_equal(scan.stocks, stocks)
    assert scan.stocks.attrs == stocks.attrs


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """random_table in row groups of 700 rows: every flag given, and some flags missing."""
    folder = tmp_path_factory.mktemp("scan")
    table = random_table(3_000, seed=5)
    flagged = table.assign(strategic_emerging=table["strategic_emerging"].fillna(True))
    flagged.to_parquet(folder / "flagged.parquet", index=False, row_group_size=700)
    table.to_parquet(folder / "missing.parquet", index=False, row_group_size=700)
    table.to_csv(folder / "patents.csv", index=False)
    return folder


@pytest.mark.parametrize("as_of", ["2016-02-29", "2020-12-31", "2025-12-31"])
def test_row_groups_give_the_whole_tables_results(files, as_of):
    path = files / "flagged.parquet"
    scan = scan_patents(path, as_of, DATES)
    assert scan.how == "row groups"
    _same(scan, _expected(path, as_of, DATES))
    # the file's edges are there: unknown statuses, missing regions, dates not yet granted
    assert scan.classified["high_value"].isna().any()
    assert "<missing>" in set(scan.stocks["region"])
    assert (scan.stocks["high_value_unknown"] > 0).any()


@pytest.mark.parametrize(
    "options",
    [
        {"by": None},
        {"domestic_only": False},
        {"population": pd.DataFrame({"adcode": ["310117"], "resident_population_10k": [195.9]})},
    ],
    ids=["by-none", "all-patentees", "population"],
)
def test_every_option_of_stock(files, options):
    path = files / "flagged.parquet"
    scan = scan_patents(path, "2024-12-31", DATES, **options)
    assert scan.how == "row groups"
    _same(scan, _expected(path, "2024-12-31", DATES, **options))
    if "population" in options:
        assert scan.stocks["valid_per_10k"].notna().any()


def test_missing_flags_are_unknown_by_the_flag_alone_and_read_whole_otherwise(files):
    path = files / "missing.parquet"
    scan = scan_patents(path, "2024-12-31", DATES, definition=FLAG_ONLY)
    assert scan.how == "row groups"
    _same(scan, _expected(path, "2024-12-31", DATES, FLAG_ONLY))
    assert scan.classified.attrs["strategic_emerging_unknown"]["no strategic-emerging flag"] > 0
    # the default definition reads the concordance for them: the file is read whole
    scan = scan_patents(path, "2024-12-31", DATES)
    assert scan.how == "whole"
    _same(scan, _expected(path, "2024-12-31", DATES))
    assert scan_patents(files / "patents.csv", "2024-12-31", DATES).how == "whole"


def test_only_what_is_asked(files):
    path = files / "flagged.parquet"
    only_stocks = scan_patents(path, dates="2023-12-31")
    assert only_stocks.classified is None
    pd.testing.assert_frame_equal(
        only_stocks.stocks, stock(read_patents(path), "2023-12-31", definition=DEFAULT_DEFINITION)
    )
    only_classified = scan_patents(path, as_of="2023-12-31")
    assert only_classified.stocks is None and only_classified.how == "row groups"
    pd.testing.assert_frame_equal(
        only_classified.classified, classify(read_patents(path), "2023-12-31")
    )
    with pytest.raises(ValueError, match="as_of"):
        scan_patents(path)
    with pytest.raises(ValueError, match="as_of must be a date"):
        scan_patents(path, "soon")


def test_groups_with_their_own_regions_and_other_types(tmp_path):
    """Each row group has its own dictionary of regions (the whole table's categories: first seen
    first, as pyarrow unifies them) or the regions are text (sorted); text categories,
    microsecond dates, whole-number amounts, pledge counts, an unmarked synthetic column, the
    rows' range from the file's metadata."""
    table = random_table(2_000, seed=8).assign(strategic_emerging=True)
    rows = np.arange(2_000)
    table["region"] = np.where(rows < 1_000, "310117", np.where(rows % 3, "310101", None))
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    regions = pa.chunked_array(
        [pc.dictionary_encode(arrow.column("region").slice(at, 500)) for at in range(0, 2_000, 500)]
    )
    arrow = arrow.set_column(arrow.schema.get_field_index("region"), "region", regions)
    pq.write_table(arrow, tmp_path / "regions.parquet", row_group_size=500)
    groups = pq.ParquetFile(tmp_path / "regions.parquet")
    assert groups.read_row_group(0).column("region").chunk(0).dictionary.to_pylist() == ["310117"]
    other = table.assign(
        patent_type=table["patent_type"].astype(str),
        award=table["award"].astype(object),
        grant_date=table["grant_date"].astype("datetime64[us]"),
        pledge_amount=table["pledge_amount"].round().astype("Int64"),
        # pledged, and some without an amount: unknown
        pledge_count=pd.array(np.where(rows % 7 == 0, 1, None), dtype="Int64"),
        synthetic=rows == 1_999,
    )
    other.index = pd.RangeIndex(100, 2_100)
    other.to_parquet(tmp_path / "other.parquet", row_group_size=500)
    for name in ("regions.parquet", "other.parquet"):
        scan = scan_patents(tmp_path / name, "2022-12-31", DATES)
        assert scan.how == "row groups", name
        _same(scan, _expected(tmp_path / name, "2022-12-31", DATES))
    first_seen = scan_patents(tmp_path / "regions.parquet", dates="2022-12-31").stocks["region"]
    assert list(first_seen) == ["310117", "310101", "<missing>"]
    other = scan_patents(tmp_path / "other.parquet", "2022-12-31", "2022-12-31")
    assert list(other.stocks["region"]) == ["310101", "310117", "<missing>"]
    assert other.classified.index[0] == 100
    assert other.classified.attrs["unknown"]["high_pledge"] > 0
    assert other.stocks.attrs["synthetic"] and other.classified.attrs["synthetic"]


def test_the_demo_file_is_marked_synthetic(tmp_path):
    path = tmp_path / "demo.parquet"
    demo.write_parquet(demo.generate_patents(5_000, seed=3), path)
    scan = scan_patents(path, "2025-12-31", year_ends(2016, 2025))
    assert scan.how == "row groups"
    _same(scan, _expected(path, "2025-12-31", year_ends(2016, 2025)))
    assert set(scan.stocks["data_status"]) == {"synthetic"}


def test_a_value_the_engine_refuses_is_reported_with_its_row(tmp_path):
    table = random_table(1_000, seed=4).assign(strategic_emerging=False)
    table["patent_type"] = table["patent_type"].cat.add_categories("plant")
    table.loc[640, "patent_type"] = "plant"
    path = tmp_path / "bad.parquet"
    table.to_parquet(path, index=False, row_group_size=300)
    with pytest.raises(InputError) as scanned:
        scan_patents(path, "2022-12-31", DATES)
    with pytest.raises(InputError) as whole:
        read_patents(path)
    assert str(scanned.value) == str(whole.value)
    assert "row 642" in str(scanned.value)


def test_a_population_of_another_basis_is_refused_as_stock_refuses_it(files):
    population = population_table(
        pd.DataFrame({"region": ["310117"], "population_10k": [190.0], "basis": ["registered"]})
    )
    with pytest.raises(InputError, match="basis"):
        scan_patents(files / "flagged.parquet", dates="2024-12-31", population=population)


def test_what_the_scan_leaves_to_the_whole_read_gives_the_same(tmp_path):
    """Stocks by a flag (not a category), a file's own row names and attrs, a missing file."""
    table = random_table(1_200, seed=6).assign(strategic_emerging=True)
    table.index = pd.RangeIndex(0, 1_200, name="row")
    table.attrs = {"synthetic": True}  # as read_patents marks a demo table; written by pandas
    path = tmp_path / "named.parquet"
    table.drop(columns="application_number").to_parquet(path, row_group_size=400)
    scan = scan_patents(path, "2022-12-31", DATES)
    assert scan.how == "row groups"
    _same(scan, _expected(path, "2022-12-31", DATES))
    assert scan.classified.index.name == "row"
    assert set(scan.stocks["data_status"]) == {"synthetic"}
    by_flag = scan_patents(path, dates="2022-12-31", by="domestic")
    assert by_flag.how == "whole"
    pd.testing.assert_frame_equal(
        by_flag.stocks, stock(read_patents(path), "2022-12-31", "domestic")
    )
    # application numbers stored as the index: a column again, both ways
    indexed = tmp_path / "indexed.parquet"
    random_table(900, seed=7).set_index("application_number").to_parquet(
        indexed, row_group_size=300
    )
    scan = scan_patents(indexed, "2022-12-31", DATES, definition=FLAG_ONLY)
    assert scan.how == "row groups"
    _same(scan, _expected(indexed, "2022-12-31", DATES, FLAG_ONLY))
    assert scan.classified["application_number"].iloc[0] == "CN201500000000"
    with pytest.raises(InputError, match="no such file"):
        scan_patents(tmp_path / "nowhere.parquet", "soon")


def test_many_small_row_groups_are_read_a_few_hundred_thousand_rows_a_task(tmp_path):
    table = random_table(3_000, seed=9).assign(strategic_emerging=False)
    path = tmp_path / "small_groups.parquet"
    table.to_parquet(path, index=False, row_group_size=100)
    metadata = pq.ParquetFile(path).metadata
    assert [len(groups) for groups, _ in scan_module._tasks(metadata)] == [30]
    scan = scan_patents(path, "2021-12-31", DATES)
    assert scan.how == "row groups"
    _same(scan, _expected(path, "2021-12-31", DATES))


def test_a_real_export_canonicalised_to_parquet(tmp_path):
    """The real 61-column export (tests/fixtures/patents/SOURCE.md: 10 CNIPA records of
    中科大数据研究院, Zhengzhou) read by read_patent_export and written as parquet: the scan gives
    the frame path's results, and the one granted invention is where the file puts it."""
    from ipanalysis.clean.patents import read_patent_export

    export = Path(__file__).parents[1] / "fixtures" / "patents" / "cn_export_10rows.csv"
    path = tmp_path / "real.parquet"
    read_patent_export(export, as_of="2025-12-31").data.to_parquet(path)
    dates = ["2023-12-31", "2024-12-31", "2025-12-31"]
    # the export has no strategic-emerging flag: by the flag alone it is unknown, row groups
    scan = scan_patents(path, "2025-12-31", dates, definition=FLAG_ONLY)
    assert scan.how == "row groups"
    _same(scan, _expected(path, "2025-12-31", dates, FLAG_ONLY))
    # 申请号 CN202211359874.7, 专利类型 发明公开;发明授权, 授权公告日 20240405, 失效日期 0, 申请人地址
    # 450000河南省郑州市…: valid from 2024 in 郑州市 (410100); the other nine are not granted inventions
    valid = scan.classified.set_index("application_number")["valid"]
    assert valid[valid].index.tolist() == ["CN202211359874.7"]
    assert scan.stocks[["region", "valid", "high_value_unknown"]].values.tolist() == [
        ["410100", 0, 0],
        ["410100", 1, 1],
        ["410100", 1, 1],
    ]
    # the default definition reads the concordance for them: read whole, the same results
    scan = scan_patents(path, "2025-12-31", dates)
    assert scan.how == "whole"
    _same(scan, _expected(path, "2025-12-31", dates))
