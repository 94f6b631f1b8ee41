"""The Briefing's look-ups: names and series made once per briefing, each caller its own frame."""

import shutil

import pandas as pd
import pytest

from ipanalysis import paths
from ipanalysis.analysis import series
from ipanalysis.briefing import load_briefing


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    target = tmp_path_factory.mktemp("bundle") / "data"
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("processed"))
    return load_briefing("松江区", 2025, data_dir=str(target))


def test_a_series_is_looked_up_once_and_each_caller_gets_its_own_frame(briefing):
    indicator, basis = "high_value_invention_patents_per_10k", "domestic"
    expected = series(briefing.index, indicator, "310117", basis, through_year=2025)
    first = briefing.series(indicator, basis)
    pd.testing.assert_frame_equal(first, expected)
    first["value"] = -1.0  # a caller changing its frame changes nothing kept
    again = briefing.series(indicator, basis)
    pd.testing.assert_frame_equal(again, expected)
    assert again is not first
    peer = briefing.series(indicator, basis, "310115")
    pd.testing.assert_frame_equal(
        peer, series(briefing.index, indicator, "310115", basis, through_year=2025)
    )


def test_names_and_the_regions_records(briefing):
    regions = briefing.regions
    for code, name in zip(regions["code"][:50], regions["name"][:50], strict=True):
        assert briefing.region_name(code) == name
    assert briefing.region_name() == "松江区"
    assert briefing.region_name("999999") == "999999"
    patents = briefing.district_records("patents")
    frame = briefing.records["patents"]
    expected = frame[frame["region"].astype(str) == "310117"]
    pd.testing.assert_frame_equal(patents, expected)
