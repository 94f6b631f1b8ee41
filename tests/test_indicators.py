"""The registry is complete and cited; formulas reproduce official published figures."""

import math

import pandas as pd
import pytest

from ipanalysis import indicators
from ipanalysis.analysis import series
from ipanalysis.indicators import INDICATORS, Ratio, cagr, required_growth, yoy_growth

PLAN_INDICATORS = {
    "high_value_invention_patents_per_10k",
    "pct_applications_cnipa",
    "madrid_applications_cnipa",
    "ip_pledge_financing_amount",
    "patent_transfer_licence_count",
    "pii_share_gdp",
}
SUPPORTING = {
    "valid_invention_patents",
    "high_value_invention_patents",
    "resident_population",
    "gdp",
    "pii_value_added",
}


def test_every_plan_indicator_and_supporting_measure_is_registered():
    assert {i for i, e in INDICATORS.items() if e.plan} == PLAN_INDICATORS
    assert SUPPORTING <= set(INDICATORS)


@pytest.mark.parametrize("ident", sorted(INDICATORS))
def test_every_entry_is_complete(ident):
    entry = INDICATORS[ident]
    assert entry.id == ident and ident.isascii() and ident == ident.lower()
    for text in (
        entry.name_zh,
        entry.name_en,
        entry.unit,
        entry.unit_en,
        entry.definition_zh,
        entry.definition_en,
        entry.source.publisher,
        entry.source.document,
    ):
        assert text.strip()
    assert entry.direction in ("higher", "lower", "none")
    assert entry.bases, "every indicator names its counting basis"
    if isinstance(entry, Ratio):
        assert entry.numerator in INDICATORS and entry.denominator in INDICATORS
        assert entry.formula == f"{entry.numerator} / {entry.denominator}" + (
            "" if entry.scale == 1 else f" × {entry.scale:g}"
        )


def test_ratio_indicators_are_built_from_registered_measures():
    per_10k = INDICATORS["high_value_invention_patents_per_10k"]
    assert (per_10k.numerator, per_10k.denominator, per_10k.scale) == (
        "high_value_invention_patents",
        "resident_population",
        1.0,
    )
    share = INDICATORS["pii_share_gdp"]
    assert (share.numerator, share.denominator, share.scale) == ("pii_value_added", "gdp", 100.0)


def test_ratio_sums_parts_by_group_before_dividing():
    frame = pd.DataFrame(
        {
            "region": ["a", "a", "b"],
            "pii_value_added": [10.0, 20.0, 5.0],
            "gdp": [100.0, 100.0, 50.0],
        }
    )
    result = INDICATORS["pii_share_gdp"](frame, by="region")
    assert result.to_dict() == {"a": 15.0, "b": 10.0}
    assert result.name == "pii_share_gdp"


def test_get_unknown_indicator_names_the_known_ones():
    with pytest.raises(KeyError) as err:
        indicators.get("nope")
    assert err.value.args[0].startswith("unknown indicator 'nope'; known: gdp, high_value")


def _value(obs, indicator, year, basis=None, region="100000"):
    frame = series(obs, indicator, region, basis)
    return frame.set_index("year")["value"][year]


def test_national_2023_high_value_per_10k_is_reproduced_from_published_parts(observations):
    stock = observations[
        (observations.indicator == "high_value_invention_patents")
        & (observations.basis == "domestic")
        & (observations.year == 2023)
    ]
    population = _value(observations, "resident_population", 2023)
    assert (stock["value"].item(), population) == (1_665_000, 140_967)
    computed = INDICATORS["high_value_invention_patents_per_10k"].compute(
        stock["value"].item(), population
    )
    assert round(computed, 1) == _value(observations, "high_value_invention_patents_per_10k", 2023)
    assert round(computed, 2) == 11.81


def test_national_2022_high_value_per_10k_matches_within_rounding(observations):
    # the 2022 stock (132.4万) is itself derived from the published enterprise share
    stock = _value(observations, "high_value_invention_patents", 2022, "domestic")
    population = _value(observations, "resident_population", 2022)
    assert (
        round(stock / population, 1)
        == 9.4
        == _value(observations, "high_value_invention_patents_per_10k", 2022)
    )


def test_high_value_share_of_valid_invention_patents_2023_is_415_percent(observations):
    # 国新办 2024-01-16: 166.5万件 high-value, "占有效发明专利41.5%" of 401.5万件
    hv = _value(observations, "high_value_invention_patents", 2023, "domestic")
    valid = _value(observations, "valid_invention_patents", 2023, "domestic")
    assert round(indicators.share(hv, valid), 1) == 41.5


@pytest.mark.parametrize("year,total", [(2019, 114630.7), (2022, 153176), (2023, 168713)])
def test_patent_intensive_categories_add_up_to_the_published_total(observations, year, total):
    rows = observations[(observations.indicator == "pii_value_added") & (observations.year == year)]
    assert rows.loc[rows.category == "total", "value"].item() == total
    assert math.isclose(rows.loc[rows.category != "total", "value"].sum(), total, abs_tol=0.05)


@pytest.mark.parametrize("year,domestic", [(2022, 69115), (2023, 68780)])
def test_pct_provinces_add_up_to_the_domestic_subtotal(observations, year, domestic):
    rows = observations[
        (observations.indicator == "pct_applications_cnipa")
        & (observations.source_id == "cnipa-pct-by-region-2023")
        & (observations.year == year)
    ]
    provinces = rows[~rows.region_code.isin(["100000", "CN-DOM", "FOREIGN"])]
    assert len(provinces) == 34
    assert provinces["value"].sum() == domestic
    assert rows.loc[rows.region_code == "CN-DOM", "value"].item() == domestic


def test_yoy_growth_cagr_and_required_growth_hand_worked():
    growth = yoy_growth(pd.Series({2022: 5591.0, 2023: 6185.0}))
    assert round(growth[2023], 2) == 10.62  # SIPA: "+10.62%"
    assert math.isnan(growth[2022])
    assert round(cagr(2528, 6185, 5), 2) == 19.59
    assert round(cagr(100, 121, 2), 6) == 10.0
    assert round(required_growth(24.0, 30.0, 2), 4) == 11.8034
    assert required_growth(0.0, 30.0, 2) == math.inf
    with pytest.raises(ValueError, match=r"^cagr needs a positive number of years, got 0$"):
        cagr(1, 2, 0)
    with pytest.raises(ValueError, match=r"^required_growth needs years left > 0, got 0$"):
        required_growth(1, 2, 0)


def test_madrid_2023_growth_matches_the_published_rate(observations):
    values = series(observations, "madrid_applications_cnipa", "100000").set_index("year")["value"]
    assert round(yoy_growth(values)[2023], 1) == 6.3  # "同比增长6.3%"


def test_definitions_table_has_one_row_per_indicator():
    table = indicators.definitions_table()
    assert list(table["id"]) == list(INDICATORS)
    assert table.loc[table.id == "pii_share_gdp", "formula"].item() == "pii_value_added / gdp × 100"
