"""Seeded SYNTHETIC patent, PCT, Madrid and transaction records for Shanghai's 16 districts.

Nothing here is an observation. The records exist so that district-level sections, tests and
benchmarks have something realistic to run on where no published data exists. Every frame carries
``synthetic=True`` and ``data_status="synthetic"`` columns and ``frame.attrs["synthetic"] = True``;
:func:`ipanalysis.io.demo.write_parquet` also stamps the parquet file's metadata. A figure derived from these records
must be labelled synthetic wherever it is shown.

Calibration (all in :class:`Targets` and :data:`ASSUMPTIONS`, nowhere else):

* from the real published figures in ``data/raw/`` (read by :func:`ipanalysis.io.demo.read_targets`): Shanghai's
  241,400 valid invention patents and 50.2 high-value patents per 10k residents at end-2023
  (population 2,487.45 万), PCT applications 2,528 (2018), 5,591 (2022) and 6,185 (2023), Madrid
  applications 424 (2021) and 477 (2022), the national share of strategic-emerging patents in the
  high-value stock (95.2 of 132.4 万 = 71.9%, end-2022), and the real 2024 district populations;
* by construction: the number of granted invention patents is set so that the valid stock at
  end-2023 matches the target, and the overseas-family share so that the high-value share matches
  it, given the generated maintenance ages (see :func:`generate`);
* assumed (not published; change them in :data:`ASSUMPTIONS`): grant lags, lapse hazard, growth
  of grants, the mix of other patent types, pledge and award rates, transaction rates and how
  patents spread over districts beyond population (a seeded random weight, so district ranks are
  synthetic too).

What the default call (``generate()``: seed 20240407, scale 1) gives, against the published city
figures: valid invention patents 241,393 at end-2023 (published 241,400) and 201,610 at end-2022;
high-value 124,698 = 50.1 per 10k at end-2023 (published 50.2) and 41.8 at end-2022 (published
40.9; the end-2023 population is used for both); strategic-emerging share of the high-value stock
71.8% (national 71.9%); PCT 2,569 (2018), 5,563 (2022), 6,130 (2023) against 2,528, 5,591 and
6,185; Madrid 425 (2021) and 447 (2022) against 424 and 477. Years outside the published points
(PCT before 2018 and after 2023, Madrid outside 2021-2022, the stock after 2023) continue the
nearest published growth rate and are extrapolations. ``tests/engine/test_synthetic.py`` checks
these within stated tolerances at half scale.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..high_value import DEFAULT_DEFINITION, population_table
from ..locale import text

#: The date the records are calibrated at: the published end-2023 totals.
CALIBRATION_DATE = "2023-12-31"

#: Assumptions that no raw file supplies; each is a round, plausible figure, not an estimate.
ASSUMPTIONS: dict[str, float] = {
    "first_filing_year": 1998,  # history before the window, so stocks and 10-year ages exist
    "grant_lag_days_min": 400,  # filing to grant, uniform
    "grant_lag_days_max": 1500,
    "lapse_hazard": 0.06,  # yearly probability that a granted patent lapses (unpaid fees etc.)
    "term_years": 20,  # invention patent term from filing
    "pending_per_granted": 0.8,  # invention applications never granted (or pending), per grant
    "utility_per_granted": 1.0,  # utility-model rows per granted invention
    "design_per_granted": 0.3,  # design rows per granted invention
    "non_domestic_share": 0.03,  # extra rows held by non-domestic patentees (excluded)
    "pledge_rate": 0.012,  # granted inventions with a registered pledge
    "pledge_median_cny": 4_000_000,  # lognormal amount per pledged patent
    "pledge_sigma": 1.0,
    "award_rate": 0.002,  # granted inventions with an award (some provincial, not counting)
    "district_weight_sigma": 0.5,  # lognormal spread of patents per resident across districts
    "transfer_rate": 0.04,  # transfer registrations per valid invention patent per year
    "licence_rate": 0.01,  # licence registrations per valid invention patent per year
}


_AWARDS = (
    "中国专利金奖",
    "中国专利银奖",
    "中国专利优秀奖",
    "国家技术发明奖二等奖",
    "国家科学技术进步奖二等奖",
    "上海市科学技术奖一等奖",
)


_AWARD_P = (0.05, 0.1, 0.45, 0.05, 0.1, 0.25)


_IPC = (
    "G06F 16/00",
    "G06N 3/08",
    "H01L 21/02",
    "H01M 10/05",
    "A61K 31/00",
    "C12N 15/11",
    "B60L 58/12",
    "G01N 33/53",
    "H04L 9/40",
    "F16H 57/02",
    "B23K 26/00",
    "C08L 23/06",
    "G05B 19/418",
    "A61B 5/00",
    "H02J 7/00",
)


@dataclass(frozen=True)
class Targets:
    """The real published figures the generator is calibrated to (see :func:`read_targets`)."""

    valid_invention_2023: float
    high_value_per_10k_2023: float
    high_value_per_10k_2022: float
    population_10k_2023: float
    valid_growth_2023: float  # year-on-year growth of the valid stock in 2023
    pct: dict[int, float]
    madrid: dict[int, float]
    strategic_emerging_share_of_high_value: float

    @property
    def high_value_share_2023(self) -> float:
        """High-value patents as a share of valid invention patents, end-2023."""
        return self.high_value_per_10k_2023 * self.population_10k_2023 / self.valid_invention_2023


def _value(frame: pd.DataFrame, file: str, **where: object) -> float:
    match = np.ones(len(frame), bool)
    for column, wanted in where.items():
        match &= (frame[column] == wanted).to_numpy()
    if match.sum() != 1:
        found = ", ".join(f"{k}={v}" for k, v in where.items())
        raise InputError(f"expected one row with {found}, found {int(match.sum())}", file=file)
    return float(frame.loc[match, "value"].iloc[0])


def _growth_note(frame: pd.DataFrame, file: str, indicator: str, year: int) -> float:
    """The year-on-year growth quoted in a row's source note ("24.14万件, +19.53%") as 0.1953."""
    row = frame[(frame["indicator"] == indicator) & (frame["year"] == year)]
    found = (
        re.search(r"([+-]\d+(?:\.\d+)?)%", str(row["source_note"].iloc[0])) if len(row) else None
    )
    if found is None:
        raise InputError(
            f"expected a growth like '+19.53%' in the source note of {indicator} {year}",
            file=file,
            column="source_note",
        )
    return float(found.group(1)) / 100


def targets_from(shanghai: pd.DataFrame, national: pd.DataFrame) -> Targets:
    """The calibration targets from the real published tables (read by :mod:`ipanalysis.io`).

    ``shanghai`` is ``shanghai_ip_and_context_indicators.csv`` (rows of 上海市 used),
    ``national`` is ``national_high_value_breakdown.csv``; their file names label errors.
    """
    sh_file = "shanghai_ip_and_context_indicators.csv"
    nat_file = "national_high_value_breakdown.csv"
    sh = shanghai[shanghai["geo"] == "上海市"]
    nat = national

    def v(indicator, year):
        return _value(sh, sh_file, indicator=indicator, year=year)

    pct = {
        int(y): v("pct_applications", y)
        for y in sh.loc[sh["indicator"] == "pct_applications", "year"]
    }
    madrid = {
        int(y): v("madrid_applications", y)
        for y in sh.loc[sh["indicator"] == "madrid_applications", "year"]
    }
    se = _value(nat, nat_file, indicator="high_value_strategic_emerging", as_of="2022-12-31")
    total = _value(
        nat, nat_file, indicator="high_value_invention_patents_domestic", as_of="2022-12-31"
    )
    return Targets(
        valid_invention_2023=v("valid_invention_patents", 2023),
        high_value_per_10k_2023=v("high_value_invention_patents_per_10k", 2023),
        high_value_per_10k_2022=v("high_value_invention_patents_per_10k", 2022),
        population_10k_2023=v("resident_population_10k", 2023),
        valid_growth_2023=_growth_note(sh, sh_file, "valid_invention_patents", 2023),
        pct=pct,
        madrid=madrid,
        strategic_emerging_share_of_high_value=se / total,
    )


def _log_interp(anchors: dict[int, float], years: np.ndarray) -> np.ndarray:
    """Log-linear through published points; beyond them, the nearest segment's growth rate."""
    xs = np.array(sorted(anchors), dtype=float)
    ys = np.log([anchors[int(x)] for x in xs])
    if len(xs) == 1:
        return np.full(len(years), math.exp(ys[0]))
    out = np.interp(years, xs, ys)
    low, high = years < xs[0], years > xs[-1]
    first_rate = (ys[1] - ys[0]) / (xs[1] - xs[0])
    last_rate = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    out[low] = ys[0] + (years[low] - xs[0]) * first_rate
    out[high] = ys[-1] + (years[high] - xs[-1]) * last_rate
    return np.exp(out)


def _mark(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    frame["synthetic"] = True
    frame["data_status"] = "synthetic"
    frame.attrs.update({"synthetic": True, "data_status": "synthetic", "seed": seed})
    return frame


def _day_in_year(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    """A uniformly random day of each given year, datetime64[ns]."""
    start = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    length = np.where((years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0)), 366, 365)
    days = (rng.random(len(years)) * length).astype("int64")
    return (start + days.astype("timedelta64[D]")).astype("datetime64[ns]")


def allocate(total: int, weights: pd.Series) -> pd.Series:
    """Split a whole number over ``weights`` exactly (largest remainders), in their order.

    >>> allocate(10, pd.Series([0.5, 0.3, 0.2], index=["a", "b", "c"])).tolist()
    [5, 3, 2]
    >>> int(allocate(7, pd.Series([1.0, 1.0, 1.0])).sum())
    7
    """
    share = weights.to_numpy(dtype=float) / weights.sum() * int(total)
    counts = np.floor(share).astype(np.int64)
    left = int(total) - int(counts.sum())
    counts[np.argsort(-(share - counts), kind="stable")[:left]] += 1
    return pd.Series(counts, index=weights.index)


def district_weights(proxies: pd.DataFrame, city_gdp: float | None = None) -> pd.Series:
    """Each district's share of the city's patents and filings, from published proxies.

    ``proxies`` has ``region`` and ``population_10k`` and, optionally, ``gdp`` (亿元; missing
    where a district's GDP is not published). A district's weight is the geometric mean of its
    shares of population and of GDP, so a district with more people and more output holds more
    patents, and its per-10k figure rises with its GDP per resident, more gently than GDP does
    (per-10k ∝ √(GDP per resident)). Where a district's GDP is not published, the city's
    ``city_gdp`` less the published districts' is spread over the others by population (its
    estimate is listed in ``attrs["gdp_estimated"]``); without a ``gdp`` column the weights
    are the population shares.

    >>> p = pd.DataFrame({"region": ["a", "b"], "population_10k": [100.0, 100.0],
    ...                   "gdp": [3000.0, None]})
    >>> district_weights(p, city_gdp=4000.0).round(4).tolist()
    [0.634, 0.366]
    """
    pop = proxies["population_10k"].to_numpy(dtype=float)
    if "gdp" not in proxies.columns:
        weights = pop
    else:
        gdp = proxies["gdp"].to_numpy(dtype=float)
        missing = np.isnan(gdp)
        if missing.any():
            known = gdp[~missing].sum()
            if city_gdp is None or city_gdp <= known:
                per_head = known / pop[~missing].sum()  # the published districts' GDP per head
                rest = per_head * pop[missing].sum()
            else:
                rest = city_gdp - known
            gdp = np.where(missing, rest * pop / pop[missing].sum(), gdp)
        weights = np.sqrt(pop / pop.sum() * gdp / gdp.sum())
    out = pd.Series(weights / weights.sum(), index=proxies["region"].astype(str).to_numpy())
    if "gdp" in proxies.columns:
        out.attrs["gdp_estimated"] = proxies.loc[proxies["gdp"].isna(), "region"].tolist()
    return out


def _granted(rng, n: int, end: int, growth: float) -> dict[str, np.ndarray]:
    """Dates of ``n`` granted inventions: grant years weighted by growth, lags, lapses."""
    first = int(ASSUMPTIONS["first_filing_year"]) + 2
    years = np.arange(first, end + 1)
    weights = growth ** (years - first)
    grant_year = rng.choice(years, size=n, p=weights / weights.sum())
    grant = _day_in_year(rng, grant_year)
    lag = rng.integers(
        int(ASSUMPTIONS["grant_lag_days_min"]), int(ASSUMPTIONS["grant_lag_days_max"]) + 1, n
    )
    filing = grant - lag.astype("timedelta64[D]")
    life_days = rng.exponential(365.25 / ASSUMPTIONS["lapse_hazard"], n).astype("int64")
    lapse = grant + life_days.astype("timedelta64[D]")
    term_end = (
        pd.DatetimeIndex(filing) + pd.DateOffset(years=int(ASSUMPTIONS["term_years"]))
    ).to_numpy()
    lapse = np.minimum(lapse, term_end)
    horizon = np.datetime64(f"{end}-12-31", "ns")
    lapse = np.where(lapse > horizon, np.datetime64("NaT", "ns"), lapse)
    return {"filing": filing, "grant": grant, "lapse": lapse}


def _valid_at(dates: dict[str, np.ndarray], day: str) -> np.ndarray:
    d = np.datetime64(day, "ns")
    lapse = dates["lapse"]
    return (dates["grant"] <= d) & (np.isnat(lapse) | (lapse > d))


def _pledge_high_share(threshold: float) -> float:
    mu = math.log(ASSUMPTIONS["pledge_median_cny"])
    z = (math.log(threshold) - mu) / ASSUMPTIONS["pledge_sigma"]
    return 0.5 * math.erfc(z / math.sqrt(2))


#: The catalogue key of a synthetic patentee's name. The records hold it in Chinese, as an
#: office's records would; a briefing says it in its own language (:func:`holder_label`).
HOLDER_KEY = "demo.patentee"


def holder_name(region: str, k: int) -> str:
    """The name of synthetic patentee ``k`` of ``region``, as the records hold it.

    >>> holder_name("310117", 203)
    '合成专利权人310117-203'
    """
    return text(HOLDER_KEY, "zh", id=f"{region}-{k:03d}")


def holder_label(name: str, lang: str, role: str = "patentee") -> str:
    """A synthetic holder's name as a page in ``lang`` says it, called a ``role``
    (``patentee``, or ``applicant`` for a list of applications such as Madrid's trademark
    filings); any other name as given.

    >>> holder_label("合成专利权人310117-203", "en")
    'Synthetic patentee 310117-203'
    >>> holder_label("合成专利权人310117-203", "zh", role="applicant")
    '合成申请人310117-203'
    >>> holder_label("上海某科技有限公司", "en")
    '上海某科技有限公司'
    """
    head, _, tail = text(HOLDER_KEY, "zh").partition("{id}")
    found = re.fullmatch(re.escape(head) + r"(\d{6}-\d{3})" + re.escape(tail), name)
    return text(f"demo.{role}", lang, id=found[1]) if found else name


def _patents(
    rng: np.random.Generator,
    n_granted: int,
    dates: dict[str, np.ndarray],
    weights: pd.Series,
    se_rate: float,
    overseas_rate: float,
    end: int,
    unknown_share: float,
    growth: float,
) -> pd.DataFrame:
    """Assemble the canonical table: granted inventions, then the other rows by their ratios.

    Length: one column of the canonical patent table per draw, in the order the random
    generator is used (the order fixes the records a seed gives).
    """
    a = ASSUMPTIONS
    n_pending = int(round(n_granted * a["pending_per_granted"]))
    n_utility = int(round(n_granted * a["utility_per_granted"]))
    n_design = int(round(n_granted * a["design_per_granted"]))
    n_main = n_granted + n_pending + n_utility + n_design
    n_foreign = int(round(n_main * a["non_domestic_share"]))
    n = n_main + n_foreign
    if n >= 10**7:
        raise ValueError(f"at most 9,999,999 records per call, not {n:,}")
    # the non-domestic rows are granted inventions too, so the exclusion matters
    n_inv = n_granted + n_foreign
    other = _granted(rng, n_foreign, end, growth)
    filing = np.concatenate([dates["filing"], other["filing"]])
    grant = np.concatenate([dates["grant"], other["grant"]])
    lapse = np.concatenate([dates["lapse"], other["lapse"]])
    ungranted = _granted(rng, n - n_inv, end, growth)
    # other rows: filing dates shaped like the inventions'; utility models and designs are granted
    n_rest = n - n_inv
    is_pending = np.arange(n_rest) < n_pending
    horizon = np.datetime64(f"{end}-12-31", "ns")
    rest_grant = np.where(is_pending, np.datetime64("NaT", "ns"), ungranted["grant"])
    rest_grant = np.where(rest_grant > horizon, np.datetime64("NaT", "ns"), rest_grant)
    filing = np.concatenate([filing, ungranted["filing"]])
    grant = np.concatenate([grant, rest_grant])
    lapse = np.concatenate(
        [lapse, np.where(is_pending, np.datetime64("NaT", "ns"), ungranted["lapse"])]
    )
    types = np.concatenate(
        [
            np.zeros(n_inv, np.int8),
            np.where(is_pending, 0, np.where(np.arange(n_rest) < n_pending + n_utility, 1, 2)),
        ]
    ).astype(np.int8)
    domestic = np.ones(n, bool)
    domestic[n_granted:n_inv] = False

    regions = weights.index.to_numpy()
    region_code = rng.choice(len(regions), size=n, p=weights.to_numpy())
    # the inventions valid at end-2023: each district exactly its share of the city's stock
    valid = rng.permutation(np.flatnonzero(_valid_at(dates, CALIBRATION_DATE)))
    region_code[valid] = np.repeat(np.arange(len(regions)), allocate(len(valid), weights))
    pool = 400
    holder_code = region_code * pool + rng.integers(0, pool, n)
    holder_names = np.array([holder_name(r, k) for r in regions for k in range(pool)], dtype=object)

    se = rng.random(n) < se_rate
    overseas = rng.random(n) < overseas_rate
    pledged = rng.random(n) < a["pledge_rate"]
    amount = np.where(
        pledged,
        np.round(rng.lognormal(math.log(a["pledge_median_cny"]), a["pledge_sigma"], n), -4),
        np.nan,
    )
    awarded = rng.random(n) < a["award_rate"]
    award_code = np.where(awarded, rng.choice(len(_AWARDS), size=n, p=_AWARD_P), -1)
    se_mask = rng.random(n) < unknown_share if unknown_share else np.zeros(n, bool)

    seq = np.arange(n, dtype=np.int64)
    filing_year = pd.DatetimeIndex(filing).year.to_numpy().astype(np.int64)
    number = filing_year * 10**8 + (types.astype(np.int64) + 1) * 10**7 + seq
    frame = pd.DataFrame(
        {
            "application_number": "CN" + pd.Series(number).astype("str"),
            "patent_type": pd.Categorical.from_codes(
                types, ["invention", "utility_model", "design"]
            ),
            "filing_date": filing,
            "grant_date": grant,
            "lapse_date": lapse,
            "region": pd.Categorical.from_codes(region_code, [str(r) for r in regions]),
            "patentee": pd.Categorical.from_codes(holder_code, holder_names.astype(str)),
            "ipc": pd.Categorical.from_codes(rng.integers(0, len(_IPC), n), list(_IPC)),
            "strategic_emerging": pd.arrays.BooleanArray(se, se_mask),
            "overseas_family": pd.arrays.BooleanArray(overseas, np.zeros(n, bool)),
            "pledge_amount": amount,
            "award": pd.Categorical.from_codes(award_code, list(_AWARDS)),
            "domestic": domestic,
        }
    )
    order = rng.permutation(n)
    return frame.iloc[order].reset_index(drop=True)


def _criterion_rates(targets: Targets, dates) -> tuple[float, float]:
    """The strategic-emerging and overseas-family shares that calibrate the high-value stock."""
    se_rate = targets.strategic_emerging_share_of_high_value * targets.high_value_share_2023
    return se_rate, _overseas_rate(targets, dates, se_rate, CALIBRATION_DATE)


def _overseas_rate(targets: Targets, dates, se_rate: float, as_of: str) -> float:
    """The overseas-family share that makes the end-2023 high-value share hit the target."""
    valid = _valid_at(dates, as_of)
    years = DEFAULT_DEFINITION.maintenance_years
    cutoff = np.datetime64(f"{int(as_of[:4]) - years}{as_of[4:]}", "ns")
    maintained = float((dates["filing"][valid] < cutoff).mean())
    pledge = ASSUMPTIONS["pledge_rate"] * _pledge_high_share(DEFAULT_DEFINITION.pledge_threshold)
    award = ASSUMPTIONS["award_rate"] * (1 - _AWARD_P[-1])
    not_high = 1 - targets.high_value_share_2023
    rate = 1 - not_high / ((1 - se_rate) * (1 - maintained) * (1 - pledge) * (1 - award))
    return min(max(rate, 0.0), 1.0)


def generate(
    seed: int = 20240407,
    start: int = 2015,
    end: int = 2025,
    scale: float = 1.0,
    population: pd.DataFrame | None = None,
    targets: Targets | None = None,
    unknown_share: float = 0.0,
    city_gdp: float | None = None,
) -> dict[str, pd.DataFrame]:
    """Synthetic patents, PCT, Madrid and transactions for Shanghai's districts, seeded.

    The city's published totals are spread over the districts by :func:`district_weights`,
    exactly where a total is published: the valid invention stock and the high-value stock at
    end-2023, PCT and Madrid applications in the years published; other years continue the
    nearest published growth.

    Parameters
    ----------
    seed
        Same seed, same records.
    start, end
        Years of the flow tables; patents are generated from 1998 so stocks exist at ``start``, and
        nothing happens after 31 December of ``end`` (later lapses are left missing).
    scale
        Fraction of Shanghai's size (``0.05`` for fast tests); counts scale, rates do not.
    population
        District populations (:func:`ipanalysis.high_value.population_table` layout), with a
        ``gdp`` column where district GDPs are published; required
        (:func:`ipanalysis.io.demo.generate` passes ``data/raw``'s).
    targets
        Calibration targets (:func:`targets_from`); required, likewise.
    unknown_share
        Share of patents whose ``strategic_emerging`` flag is missing (default none).
    city_gdp
        The city's GDP (亿元) of the year of the district GDPs, for the districts without one.

    Returns
    -------
    dict
        ``patents`` (canonical patent table), ``pct``, ``madrid``, ``transactions``; each frame has
        ``synthetic``/``data_status`` columns and ``attrs["synthetic"] = True``.
    """
    if not 0 < scale <= 20:
        raise ValueError(f"scale must be in (0, 20], not {scale}")
    if end < 2023:
        raise ValueError(f"end must be 2023 or later (calibration year), not {end}")
    if population is None or targets is None:
        raise ValueError("generate needs the district population and the calibration targets")
    pop = population_table(population)
    if "gdp" in population.columns:  # published district GDPs, missing where none
        pop["gdp"] = pd.to_numeric(population["gdp"], errors="coerce").to_numpy()
    rng = np.random.default_rng(seed)
    weights = district_weights(pop, city_gdp)
    growth = 1.0 + targets.valid_growth_2023
    target_valid = int(round(targets.valid_invention_2023 * scale))
    # draw generously, then keep grants until exactly the city's valid stock at end-2023
    n_big = int(target_valid * 2.2) + 100
    dates = _granted(rng, n_big, end, growth)
    valid = np.cumsum(_valid_at(dates, CALIBRATION_DATE))
    if valid[-1] < target_valid:  # pragma: no cover - the factor 2.2 leaves a wide margin
        raise RuntimeError(f"calibration needs {target_valid} valid grants, drew {valid[-1]}")
    n_granted = int(np.searchsorted(valid, target_valid)) + 1
    dates = {k: v[:n_granted] for k, v in dates.items()}
    se_rate, overseas = _criterion_rates(targets, dates)
    patents = _patents(
        rng, n_granted, dates, weights, se_rate, overseas, end, unknown_share, growth
    )
    high_value = int(round(targets.high_value_per_10k_2023 * targets.population_10k_2023 * scale))
    patents = _calibrate_high_value(rng, patents, allocate(high_value, weights))
    patents.attrs["calibration"] = {
        "granted_inventions": n_granted,
        "strategic_emerging_rate": se_rate,
        "overseas_family_rate": overseas,
        "scale": scale,
    }
    years = np.arange(start, end + 1)
    pct = _applications(rng, _log_interp(targets.pct, years) * scale, years, weights, "PCT/CN")
    madrid = _applications(rng, _log_interp(targets.madrid, years) * scale, years, weights, "MM")
    transactions = _transactions(rng, patents, years, end)
    return {
        name: _mark(frame, seed)
        for name, frame in {
            "patents": patents,
            "pct": pct,
            "madrid": madrid,
            "transactions": transactions,
        }.items()
    }


def generate_patents(
    n: int, population: pd.DataFrame, targets: Targets, seed: int = 0, end: int = 2025
) -> pd.DataFrame:
    """Exactly ``n`` synthetic patent records with the generator's mix (for benchmarks).

    Not calibrated to a city total: the mix of types, ages and criteria is the calibrated one, the
    size is ``n``.
    """
    pop = population_table(population)
    rng = np.random.default_rng(seed)
    a = ASSUMPTIONS
    per_granted = (
        1 + a["pending_per_granted"] + a["utility_per_granted"] + a["design_per_granted"]
    ) * (1 + a["non_domestic_share"])
    n_granted = int(math.ceil(n / per_granted)) + 1
    growth = 1.0 + targets.valid_growth_2023
    dates = _granted(rng, n_granted, end, growth)
    se_rate, overseas = _criterion_rates(targets, dates)
    weights = district_weights(pop)
    frame = _patents(rng, n_granted, dates, weights, se_rate, overseas, end, 0.0, growth)
    return _mark(frame.iloc[:n].reset_index(drop=True), seed)


def _calibrate_high_value(
    rng: np.random.Generator, patents: pd.DataFrame, wanted: pd.Series
) -> pd.DataFrame:
    """Make each district's high-value stock at end-2023 exactly ``wanted`` (by region).

    Only the two flags drawn at random are changed: a surplus loses patents whose only
    criteria were strategic emerging or overseas family; a shortfall gains strategic-emerging
    patents among the valid ones meeting no criterion.
    """
    from ..high_value import classify as classify_at
    from ..high_value import held_domestically

    held = held_domestically(patents)
    met = classify_at(held, CALIBRATION_DATE)
    others = met[["maintained", "high_pledge", "award"]].fillna(False).any(axis=1)
    high = met["high_value"].fillna(False).astype(bool)
    se = patents["strategic_emerging"].copy()
    overseas = patents["overseas_family"].copy()
    region = held["region"].astype(str)
    for code, target in wanted.items():
        here = region == code
        have = int((high & here).sum())
        if have > target:
            pool = held.index[(high & here & ~others).to_numpy()]
            drop = rng.choice(pool, size=min(have - target, len(pool)), replace=False)
            se.loc[drop], overseas.loc[drop] = False, False
        elif have < target:
            pool = held.index[(met["valid"] & ~high & here).to_numpy()]
            se.loc[rng.choice(pool, size=min(target - have, len(pool)), replace=False)] = True
    return patents.assign(strategic_emerging=se, overseas_family=overseas)


def _applications(
    rng, expected: np.ndarray, years: np.ndarray, weights: pd.Series, prefix: str
) -> pd.DataFrame:
    # each year's total (the published one where there is one) split exactly by the weights
    counts = np.array([allocate(int(round(e)), weights).to_numpy() for e in expected])
    year = np.repeat(np.repeat(years, len(weights)), counts.ravel())
    region = np.repeat(np.tile(weights.index.to_numpy().astype(str), len(years)), counts.ravel())
    seq = np.arange(len(year))
    numbers = pd.Series(year).astype("str") + "/" + pd.Series(seq).astype("str").str.zfill(6)
    return pd.DataFrame(
        {
            "application_number": prefix + numbers,
            "filing_date": _day_in_year(rng, year),
            "region": pd.Series(region, dtype="str"),
        }
    )


def _transactions(rng, patents: pd.DataFrame, years: np.ndarray, end: int) -> pd.DataFrame:
    inv = patents[
        (patents["patent_type"] == "invention")
        & patents["domestic"]
        & patents["grant_date"].notna()
    ]
    grant = inv["grant_date"].to_numpy()
    lapse = inv["lapse_date"].to_numpy()
    parts = []
    for year in years:  # one vectorised draw per year (11 years), not per record
        day = np.datetime64(f"{year}-12-31", "ns")
        valid = np.flatnonzero((grant <= day) & (np.isnat(lapse) | (lapse > day)))
        for event, rate in (
            ("transfer", ASSUMPTIONS["transfer_rate"]),
            ("licence", ASSUMPTIONS["licence_rate"]),
        ):
            k = rng.poisson(rate * len(valid))
            pick = rng.choice(valid, size=k, replace=True) if k and len(valid) else valid[:0]
            date = _day_in_year(rng, np.full(k, year))
            date = np.maximum(date, grant[pick])
            parts.append(
                pd.DataFrame(
                    {
                        "event_type": event,
                        "date": date,
                        "application_number": inv["application_number"].to_numpy()[pick],
                        "region": inv["region"].to_numpy()[pick],
                        "amount": np.nan,
                    }
                )
            )
    pledged = inv[inv["pledge_amount"].notna()]
    offset = rng.integers(0, 3 * 365, len(pledged)).astype("timedelta64[D]")
    date = pledged["grant_date"].to_numpy() + offset
    parts.append(
        pd.DataFrame(
            {
                "event_type": "pledge",
                "date": date,
                "application_number": pledged["application_number"].to_numpy(),
                "region": pledged["region"].to_numpy(),
                "amount": pledged["pledge_amount"].to_numpy(),
            }
        )
    )
    out = pd.concat(parts, ignore_index=True)
    dyear = out["date"].dt.year
    out = out[(dyear >= years[0]) & (dyear <= end)].sort_values("date", kind="stable")
    out["region"] = out["region"].astype("str")
    out["event_type"] = out["event_type"].astype("str")
    return out.reset_index(drop=True)
