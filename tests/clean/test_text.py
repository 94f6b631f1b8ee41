"""Shared text cleaning: full-width forms, missing markers (never zero), numbers as text, units."""

import numpy as np
import pandas as pd
import pytest

from ipanalysis.clean import text
from ipanalysis.errors import InputError


def test_to_halfwidth_changes_only_the_full_width_block():
    values = pd.Series(["１２，３４５．６", "（万元）", "　松江区", "①", "—", "……", 3, None])
    got = text.to_halfwidth(values)
    assert got.tolist()[:6] == ["12,345.6", "(万元)", " 松江区", "①", "—", "……"]
    assert got.iloc[6] == 3 and got.iloc[7] is None
    assert values.iloc[0] == "１２，３４５．６"  # the input is not changed


def test_normalise_text_joins_chinese_split_by_layout_but_not_english_words():
    got = text.normalise_text(pd.Series(["专利\n授权量", " 地　区 ", "Pudong\u200b New  Area"]))
    assert got.tolist() == ["专利授权量", "地区", "Pudong New Area"]


@pytest.mark.parametrize(
    "marker", ["", " ", "—", "——", "-", "－", "–", "…", "……", "...", "/", "／", "空白", "N/A"]
)
def test_missing_markers_are_missing_never_zero(marker):
    assert text.is_missing(pd.Series([marker])).tolist() == [True]
    assert np.isnan(text.parse_numbers(pd.Series([marker])).iloc[0])


@pytest.mark.parametrize("not_a_marker", ["0", "x", "无", "abc"])
def test_zero_and_words_are_not_missing_markers(not_a_marker):
    assert text.is_missing(pd.Series([not_a_marker])).tolist() == [False]


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("12,345", 12345.0),
        ("１２，３４５", 12345.0),
        ("1,234,567.89", 1234567.89),
        (" 42 ", 42.0),
        ("－3.5", -3.5),
        ("+7", 7.0),
        ("0.5", 0.5),
        (".5", 0.5),
        ("1.2E+05", 120000.0),
        (12, 12.0),
        (195.89, 195.89),
    ],
)
def test_parse_numbers_reads_numbers_stored_as_text(written, number):
    assert text.parse_numbers(pd.Series([written], dtype=object)).tolist() == [number]


@pytest.mark.parametrize("written", ["1,23", "12,3456", "1.2.3", "abc", "12件", "一百"])
def test_parse_numbers_rejects_what_is_not_a_plain_number(written):
    with pytest.raises(InputError) as err:
        text.parse_numbers(pd.Series(["1", written]))
    assert str(err.value) == (
        f"expected a number or a missing marker such as —, found {written!r} (index 1)"
    )


def test_parse_numbers_rejects_booleans_and_a_bad_errors_argument():
    with pytest.raises(InputError) as err:
        text.parse_numbers(pd.Series([True], dtype=object))
    assert str(err.value) == "expected a number or a missing marker such as —, found True (index 0)"
    with pytest.raises(ValueError, match=r"^errors must be 'raise' or 'coerce', not 'ignore'$"):
        text.parse_numbers(pd.Series(["1"]), errors="ignore")


def test_parse_numbers_keeps_the_index():
    got = text.parse_numbers(pd.Series(["1", "—"], index=[7, 9]))
    pd.testing.assert_series_equal(got, pd.Series([1.0, np.nan], index=[7, 9]))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("年末常住人口(万人)", ("年末常住人口", "万人")),
        ("年末常住人口（万人）", ("年末常住人口", "万人")),
        ("地区生产总值 （亿元）", ("地区生产总值", "亿元")),
        ("专利授权量(单位：件)", ("专利授权量", "件")),
        ("专利授权量，单位：件", ("专利授权量", "件")),
        ("单位：万元", ("", "万元")),
        ("计量单位：亿美元", ("", "亿美元")),
        ("每万人口高价值发明专利拥有量(件/万人)", ("每万人口高价值发明专利拥有量", "件/万人")),
        ("增长率(%)", ("增长率", "%")),
        ("省(区、市)", ("省(区、市)", None)),
        ("发明", ("发明", None)),
    ],
)
def test_split_unit(header, expected):
    assert text.split_unit(header) == expected


def test_split_number_unit():
    got = text.split_number_unit(pd.Series(["1.2亿元", "3,500 万元", "12", "—", "12%"]))
    assert got["number"].tolist() == ["1.2", "3,500", "12", "—", "12"]
    assert got["unit"].tolist() == ["亿元", "万元", pd.NA, pd.NA, "%"]


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("万元", "亿元", 1e-4),
        ("元", "万元", 1e-4),
        ("亿元", "元", 1e8),
        ("万人", "人", 1e4),
        ("件", "万件", 1e-4),
        ("件/万人", "件/人", 1e-4),
        ("件", "元", None),
        ("件", "furlong", None),
        ("万元", "万元", 1.0),
    ],
)
def test_unit_factor(source, target, factor):
    assert text.unit_factor(source, target) == factor


def test_count_units():
    assert [text.is_count_unit(u) for u in ["件", "万件", "项", "人", "万元", "%", "件/万人"]] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_functions_keep_any_index_even_duplicated_labels():
    values = pd.Series(["1,000", "—", "2亿元", "abc"], index=[5, 5, 2, 2])
    pd.testing.assert_series_equal(
        text.parse_numbers(values, errors="coerce"),
        pd.Series([1000.0, np.nan, np.nan, np.nan], index=[5, 5, 2, 2]),
    )
    split = text.split_number_unit(values)
    assert split.index.tolist() == [5, 5, 2, 2]
    assert split["number"].tolist() == ["1,000", "—", "2", "abc"]
    assert text.is_missing(values).tolist() == [False, True, False, False]
    with pytest.raises(InputError) as err:
        text.parse_numbers(values)
    assert str(err.value) == (
        "expected a number or a missing marker such as —, found '2亿元' (index 2)"
    )
