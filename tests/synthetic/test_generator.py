"""The synthetic generator: calibration against the real published figures, and its labels.

Tolerances are stated per figure: the counts calibrated by construction (valid stock, high-value
share) are tight; Poisson-drawn flows get about three standard deviations at the test scale.
"""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from ipanalysis.analysis import madrid_by_year, pct_by_year
from ipanalysis.high_value import stock
from ipanalysis.io import read_patents
from ipanalysis.io.demo import generate, read_targets, write_parquet
from ipanalysis.paths import raw_dir

SCALE = 0.5


@pytest.fixture(scope="module")
def data():
    return generate(seed=11, scale=SCALE)


@pytest.fixture(scope="module")
def targets():
    return read_targets()


def test_targets_are_read_from_the_raw_files(targets):
    assert targets.valid_invention_2023 == 241400.0
    assert targets.high_value_per_10k_2023 == 50.2
    assert targets.high_value_per_10k_2022 == 40.9
    assert targets.population_10k_2023 == 2487.45
    assert targets.pct == {2023: 6185.0, 2022: 5591.0, 2018: 2528.0}
    assert targets.madrid == {2021: 424.0, 2022: 477.0}
    assert round(targets.strategic_emerging_share_of_high_value, 4) == 0.719


def test_city_stock_sits_near_the_published_shanghai_figures(data, targets):
    city = stock(data["patents"], ["2022-12-31", "2023-12-31"], by=None)
    valid_2023 = city["valid"].iloc[1] / SCALE
    per_10k = city["high_value"] / SCALE / targets.population_10k_2023
    assert abs(valid_2023 / 241400 - 1) < 0.01  # calibrated by construction
    assert abs(per_10k.iloc[1] / 50.2 - 1) < 0.02  # calibrated by construction
    assert abs(per_10k.iloc[0] / 40.9 - 1) < 0.05  # follows from the growth of the stock
    assert city["high_value_unknown"].tolist() == [0, 0]


def test_strategic_emerging_share_of_high_value_matches_the_national_share(data):
    from ipanalysis.high_value import classify

    patents = data["patents"]
    result = classify(patents, "2023-12-31")[patents["domestic"].to_numpy()]
    high = result["high_value"].fillna(False).to_numpy(dtype=bool)
    share = result["strategic_emerging"].to_numpy(dtype=bool, na_value=False)[high].mean()
    assert abs(share - 0.719) < 0.02


def test_flows_sit_near_the_published_figures(data):
    regions = sorted(data["patents"]["region"].cat.categories)
    pct = pct_by_year(data["pct"]).groupby("year")["applications"].sum() / SCALE
    madrid = madrid_by_year(data["madrid"]).groupby("year")["applications"].sum() / SCALE
    assert abs(pct[2023] / 6185 - 1) < 0.06  # sd at this scale about 1.8%
    assert abs(pct[2018] / 2528 - 1) < 0.09  # sd about 2.8%
    assert abs(madrid[2022] / 477 - 1) < 0.2  # sd about 6.5%
    assert list(pct.index) == list(range(2015, 2026))
    assert sorted(data["pct"]["region"].unique()) == regions
    events = set(data["transactions"]["event_type"])
    assert events == {"transfer", "licence", "pledge"}


def test_districts_are_the_sixteen_with_real_populations(data):
    population = pd.read_csv(raw_dir() / "shanghai_district_population_2024.csv", dtype=str)
    assert list(data["patents"]["region"].cat.categories) == population["adcode"].tolist()


def test_a_population_frame_decides_the_districts():
    population = pd.DataFrame({"region": ["310117", "310101"], "population_10k": [195.89, 50.34]})
    out = generate(seed=1, scale=0.01, population=population)
    assert list(out["patents"]["region"].cat.categories) == ["310117", "310101"]


def test_every_frame_is_marked_synthetic(data):
    for name, frame in data.items():
        assert frame.attrs["synthetic"] is True, name
        assert frame["synthetic"].all(), name
        assert (frame["data_status"] == "synthetic").all(), name


def test_same_seed_same_records_other_seed_other_records():
    first = generate(seed=5, scale=0.01)
    again = generate(seed=5, scale=0.01)
    other = generate(seed=6, scale=0.01)
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["patents"]["filing_date"].equals(other["patents"]["filing_date"])


def test_parquet_files_carry_the_synthetic_flag(tmp_path):
    patents = generate(seed=2, scale=0.01)["patents"]
    path = write_parquet(patents, tmp_path / "patents.parquet")
    metadata = pq.read_schema(path).metadata
    assert metadata[b"synthetic"] == b"true"
    assert b'"data_status": "synthetic"' in metadata[b"ipanalysis"]
    assert len(read_patents(path)) == len(patents)
    with pytest.raises(ValueError) as error:
        write_parquet(pd.DataFrame({"a": [1]}), tmp_path / "real.parquet")
    assert str(error.value) == "refusing to write a frame not marked synthetic (attrs and column)"


def test_generator_rejects_a_window_without_the_calibration_year():
    with pytest.raises(ValueError) as error:
        generate(end=2022)
    assert str(error.value) == "end must be 2023 or later (calibration year), not 2022"


def test_growth_is_read_from_the_source_note(targets, tmp_path):
    assert targets.valid_growth_2023 == 0.1953
    raw = pd.read_csv(raw_dir() / "shanghai_ip_and_context_indicators.csv")
    raw.loc[raw["indicator"] == "valid_invention_patents", "source_note"] = "24.14万件"
    raw.to_csv(tmp_path / "shanghai_ip_and_context_indicators.csv", index=False)
    pd.read_csv(raw_dir() / "national_high_value_breakdown.csv").to_csv(
        tmp_path / "national_high_value_breakdown.csv", index=False
    )
    from ipanalysis.errors import InputError

    with pytest.raises(InputError) as error:
        read_targets(tmp_path)
    assert str(error.value) == (
        "shanghai_ip_and_context_indicators.csv, column 'source_note': expected a growth like "
        "'+19.53%' in the source note of valid_invention_patents 2023"
    )


def test_figures_derived_from_synthetic_records_stay_marked(tmp_path):
    from ipanalysis.analysis import transactions_by_year
    from ipanalysis.high_value import classify, lapsed, maturing

    data = generate(seed=4, scale=0.01)
    path = write_parquet(data["patents"], tmp_path / "patents.parquet")
    patents = read_patents(path)
    assert patents.attrs["synthetic"] is True
    stocks = stock(patents, "2023-12-31")
    assert stocks.attrs["synthetic"] is True
    assert set(stocks["data_status"]) == {"synthetic"}
    for result in (
        classify(patents, "2023-12-31"),
        maturing(patents, "2023-12-31", 12),
        lapsed(patents, "2023-01-01", "2023-12-31"),
    ):
        assert result.attrs["data_status"] == "synthetic"
    assert set(transactions_by_year(data["transactions"])["data_status"]) == {"synthetic"}
    assert set(pct_by_year(data["pct"])["data_status"]) == {"synthetic"}


def test_figures_from_real_records_are_not_marked(tmp_path):
    from patent_rows import build

    frame = build({"strategic_emerging": True})
    frame.to_csv(tmp_path / "real.csv", index=False)
    result = stock(read_patents(tmp_path / "real.csv"), "2023-12-31")
    assert "data_status" not in result.columns
    assert result.attrs.get("synthetic") is None
