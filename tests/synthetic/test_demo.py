"""The demo is plausible: its district figures add up to Shanghai's published totals and sit
where the districts' published proxies (population, GDP) put them."""

import math

import pandas as pd
import pytest

from ipanalysis import paths
from ipanalysis.io import demo as demo_io
from ipanalysis.synthetic import demo_observations

DISTRICTS = 16


@pytest.fixture(scope="module")
def observations(tmp_path_factory):
    made = demo_io.make_demo(paths.data_dir())
    return demo_observations(made.tables, made.population, made.seed, made.end)


def _total(observations, indicator, year):
    rows = observations[(observations["indicator"] == indicator) & (observations["year"] == year)]
    assert rows["region_code"].nunique() == DISTRICTS
    return rows["value"].sum()


@pytest.mark.parametrize(
    "indicator,year,published",
    [
        ("valid_invention_patents", 2023, 241_400),  # SIPA, 2024-02-22
        ("high_value_invention_patents", 2023, round(50.2 * 2487.45)),  # 50.2 per 10k
        ("pct_applications_cnipa", 2018, 2_528),  # CNIPA yearbook table 6-4
        ("pct_applications_cnipa", 2022, 5_591),
        ("pct_applications_cnipa", 2023, 6_185),
        ("madrid_applications_cnipa", 2021, 424),  # CNIPA yearbook 2022 table 7-4
        ("madrid_applications_cnipa", 2022, 477),
    ],
)
def test_district_demo_figures_add_up_to_the_published_city_total(
    observations, indicator, year, published
):
    assert _total(observations, indicator, year) == published


def test_each_district_sits_where_its_proxies_put_it(observations):
    raw = paths.raw_dir()
    pop = pd.read_csv(raw / "shanghai_district_population_2024.csv", dtype={"adcode": str})
    gdp = pd.read_csv(raw / "shanghai_district_gdp_2023.csv", dtype={"adcode": str})
    city_gdp = float(gdp.loc[gdp["adcode"] == "310000", "gdp_100m_cny"].iloc[0])
    known = dict(zip(gdp["adcode"], gdp["gdp_100m_cny"], strict=True))
    people = dict(zip(pop["adcode"], pop["resident_population_10k"], strict=True))
    missing = [d for d in people if d not in known]
    rest = city_gdp - sum(known[d] for d in people if d in known)
    output = {d: known.get(d, rest * people[d] / sum(people[m] for m in missing)) for d in people}
    # the city's high-value stock shared by √(population share × GDP share), per resident
    weight = {d: math.sqrt(people[d] * output[d]) for d in people}
    city = 50.2 * 2487.45
    implied = {d: city * weight[d] / sum(weight.values()) / people[d] for d in people}
    shown = observations[
        (observations["indicator"] == "high_value_invention_patents_per_10k")
        & (observations["year"] == 2023)
    ].set_index("region_code")["value"]
    ratios = {d: shown[d] / implied[d] for d in people}
    assert all(1 / 3 <= r <= 3 for r in ratios.values()), ratios
    assert max(shown) / min(shown) > 1.5  # the districts differ, as their proxies do


def test_songjiang_no_longer_sits_far_above_the_city(observations):
    rows = observations[
        (observations["indicator"] == "high_value_invention_patents_per_10k")
        & (observations["year"] == 2023)
    ].set_index("region_code")["value"]
    assert rows["310117"] < 50.2  # below the city: Songjiang's GDP per resident is below it
    assert rows["310101"] > rows["310151"]  # central Huangpu above rural Chongming
