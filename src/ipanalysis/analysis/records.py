"""Plan indicators from an office's own records: PCT, Madrid, transfer, licence and pledge lists,
value added by industry class, and the per-patent counts of a patent export.

Each function takes canonical record tables (:mod:`ipanalysis.clean.records`) and returns
observation rows without their source (:data:`ipanalysis.schemas.SOURCELESS_COLUMNS`;
``status`` is ``derived``: computed by ipanalysis from records, not published). The caller (:mod:`ipanalysis.io.prepare`) adds
where the records came from. Decisions:

* **Coverage.** A list is complete only for the regions and years it covers: ``covers`` (region
  codes; default the regions its rows name) and ``years`` (the years covered; default the span of
  its dates; several lists cover the union of their own). Inside the coverage a region-year without a record is a true 0; outside it nothing
  is said (unknown is never zero). Rows of other regions are left out and counted in the notes.
* **Counting.** PCT: one per international application, by the first-named applicant's region and
  the year of the international filing date. Madrid: one per application, by the year of the date
  the list gives (filing or registration, stated). Transfers, licences, pledges: one per
  registration (a pledge over several patents once), by the region of the party the list was read
  for and the year of the registration date; a kind of list not supplied gives no count.
* **Amounts.** Pledge amounts are summed once per registration; a region-year with a pledge whose
  amount is not given gets no amount (a partial sum would understate it).
* **Patent-intensive industries.** Value added of the GB/T 4754-2017 classes an office maps to
  the NBS 2019 classification; a class marked partial (``*`` in the official table) counts with
  ``partial_share`` of its value added (default 0: only wholly patent-intensive classes, a lower
  bound). The share of GDP divides by the region's GDP of the same year where it is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..indicators import INDICATORS
from ..schemas import SOURCELESS_COLUMNS


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=SOURCELESS_COLUMNS)


def coverage(
    regions: pd.Series, dates: pd.Series, covers: Iterable[str] | None, years: Sequence[int] | None
) -> tuple[list[str], list[int]]:
    """The region codes and years a list is complete for: those given (``years``: every year
    covered), else the regions its rows name and the span of its dates.

    >>> coverage(pd.Series(["310117", None]), pd.to_datetime(pd.Series(["2023-05-01", "2024-01-02"])),
    ...     None, None)
    (['310117'], [2023, 2024])
    """  # noqa: E501
    named = regions.dropna().astype(str)
    codes = sorted(set(covers) if covers else set(named[named.str.fullmatch(r"\d{6}")]))
    if years:
        return codes, sorted({int(y) for y in years})
    known = dates.dropna()
    if known.empty:
        return codes, []
    return codes, list(range(int(known.dt.year.min()), int(known.dt.year.max()) + 1))


def counts_by_year(
    regions: pd.Series,
    dates: pd.Series,
    codes: list[str],
    years: list[int],
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """``region_code, year, value``: rows (or ``weights``) by region and year over the coverage,
    0 where a covered region-year has none.

    >>> counts_by_year(pd.Series(["a", "a", "b"]),
    ...     pd.to_datetime(pd.Series(["2023-01-01", "2024-01-01", "2024-02-02"])), ["a"], [2023, 2024])
      region_code  year  value
    0           a  2023    1.0
    1           a  2024    1.0
    """  # noqa: E501
    frame = pd.DataFrame(
        {
            "region_code": regions.astype("object").where(regions.notna(), None),
            "year": dates.dt.year,
            "value": 1.0 if weights is None else weights.astype(float),
        }
    )
    frame = frame[frame["region_code"].isin(codes) & frame["year"].isin(years)]
    summed = frame.groupby(["region_code", "year"])["value"].sum()
    index = pd.MultiIndex.from_product([codes, years], names=["region_code", "year"])
    return summed.reindex(index, fill_value=0.0).reset_index()


def observation_rows(
    counts: pd.DataFrame, indicator: str, basis: str, note: str, category: str = "total"
) -> pd.DataFrame:
    """Observation rows (``derived``) of a ``region_code, year, value`` table."""
    if counts.empty:
        return _empty()
    years = counts["year"].astype("int64")
    return pd.DataFrame(
        {
            "region_code": counts["region_code"].astype(str),
            "indicator": indicator,
            "category": category,
            "year": years,
            "date": pd.to_datetime(years.astype(str) + "-12-31"),
            "value": counts["value"].astype(float),
            "unit": INDICATORS[indicator].unit,
            "basis": basis,
            "basis_note": note,
            "status": "derived",
            "confidence": None,
        }
    )[SOURCELESS_COLUMNS]


def pct_observations(
    pct: pd.DataFrame,
    covers: Iterable[str] | None = None,
    years: Sequence[int] | None = None,
    receiving_offices: Iterable[str] | str | None = ("CN",),
) -> pd.DataFrame:
    """PCT applications (件) by the first-named applicant's region and filing year.

    The indicator counts what CNIPA received as receiving office, so by default only
    applications received by ``CN`` count; ``receiving_offices`` names others (two-letter codes,
    e.g. ``["CN", "IB"]``), ``"all"`` counts every one. ``attrs["received"]`` and
    ``attrs["left_out"]`` count, among the covered regions' applications, those counted and those
    received elsewhere, by office; the basis note names them.
    """
    codes, span = coverage(pct["region"], pct["filing_date"], covers, years)
    office = pct["receiving_office"].fillna("?").astype(str).str.upper()
    ours = pct["region"].isin(codes) & pct["filing_date"].dt.year.isin(span)
    if receiving_offices == "all" or receiving_offices is None:
        counted = pd.Series(True, index=pct.index)
    else:
        wanted = [receiving_offices] if isinstance(receiving_offices, str) else receiving_offices
        counted = office.isin([str(o).strip().upper() for o in wanted])
    received = office[ours & counted].value_counts().to_dict()
    left_out = office[ours & ~counted].value_counts().to_dict()
    words = ", ".join(f"{o} {n}" for o, n in received.items()) or "none"
    note = (
        "counted by ipanalysis from the office's PCT list: first-named applicant's address, "
        f"international filing date; received by {words}"
        + (
            f"; not counted: {', '.join(f'{o} {n}' for o, n in left_out.items())}"
            if left_out
            else ""
        )
    )
    rows = pct[counted]
    out = observation_rows(
        counts_by_year(rows["region"], rows["filing_date"], codes, span),
        "pct_applications_cnipa",
        "all_applicants",
        note,
    )
    out.attrs.update(received=received, left_out=left_out)
    return out


def madrid_observations(
    madrid: pd.DataFrame, covers: Iterable[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Madrid applications (件) by the applicant's region and the year of the list's date."""
    codes, span = coverage(madrid["region"], madrid["date"], covers, years)
    kinds = sorted(set(madrid["date_kind"].dropna()))
    note = (
        "counted by ipanalysis from the office's Madrid list: applicant's address, "
        f"{' and '.join(kinds) or 'filing'} date"
    )
    counts = counts_by_year(madrid["region"], madrid["date"], codes, span)
    return observation_rows(counts, "madrid_applications_cnipa", "domestic", note)


#: (indicator, basis, event types counted) of the transaction lists.
TRANSACTION_COUNTS = (
    ("patent_transfer_count", "registrations", ("transfer",)),
    ("patent_licence_count", "registrations", ("licence",)),
    ("patent_transfer_licence_count", "registrations", ("transfer", "licence")),
    ("patent_pledge_count", "registrations", ("pledge",)),
)


def transaction_observations(
    transactions: pd.DataFrame, lists: Mapping[str, tuple[Sequence[str], Sequence[int]]]
) -> pd.DataFrame:
    """Registrations (次) of transfers, licences and pledges by region and year, and pledge
    amounts (亿元).

    ``lists`` gives, for each kind of list supplied (transfer, licence, pledge), the region codes
    and years its lists cover (:func:`coverage`). A count is given for the regions and years every
    kind it needs covers (transfers and licences: both lists); a count needing a kind not
    supplied is not given.
    """
    note = "counted by ipanalysis from the office's registration lists (one per registration)"
    frames = []
    for indicator, basis, events in TRANSACTION_COUNTS:
        if not set(events) <= set(lists):
            continue
        codes = sorted(set.intersection(*(set(lists[e][0]) for e in events)))
        span = sorted(set.intersection(*(set(lists[e][1]) for e in events)))
        rows = transactions[transactions["event_type"].isin(events)]
        counts = counts_by_year(rows["region"], rows["date"], codes, span)
        frames.append(observation_rows(counts, indicator, basis, note))
    if "pledge" in lists:
        codes, span = lists["pledge"]
        frames.append(pledge_amounts(transactions, sorted(codes), sorted(span)))
    return pd.concat(frames, ignore_index=True) if frames else _empty()


#: The event types behind each indicator the transaction lists give.
TRANSACTION_EVENTS = {
    **{indicator: events for indicator, _, events in TRANSACTION_COUNTS},
    "patent_pledge_amount": ("pledge",),
    "ip_pledge_financing_amount": ("pledge",),
}


def pledge_amounts(transactions: pd.DataFrame, codes: list[str], span: list[int]) -> pd.DataFrame:
    """Pledge financing (亿元) by region and year, once per registration; a region-year with a
    pledge whose amount is not given is left out (unknown, not understated)."""
    pledges = transactions[transactions["event_type"] == "pledge"]
    amounts = pledges["amount"].astype(float) / 1e8
    summed = counts_by_year(pledges["region"], pledges["date"], codes, span, amounts.fillna(0.0))
    missing = counts_by_year(
        pledges["region"], pledges["date"], codes, span, amounts.isna().astype(float)
    )
    summed = summed[missing["value"].to_numpy() == 0]
    note = "summed by ipanalysis from the office's pledge registrations (each amount once)"
    return pd.concat(
        [
            observation_rows(summed, "patent_pledge_amount", "patent", note),
            observation_rows(summed, "ip_pledge_financing_amount", "patent", note),
        ],
        ignore_index=True,
    )


def pledge_amounts_by_patent(transactions: pd.DataFrame) -> pd.Series:
    """The largest registered pledge amount (元) of each patent a pledge list names, by
    application number: a registration over several patents gives each its amount (the
    financing the patent secured, with the others). Registrations without an amount are left out.

    >>> t = pd.DataFrame({"event_type": ["pledge", "pledge", "transfer"],
    ...     "patents": ["CN1;CN2", "CN2", "CN3"], "amount": [5e6, 2e7, None]})
    >>> pledge_amounts_by_patent(t).to_dict()
    {'CN1': 5000000.0, 'CN2': 20000000.0}
    """
    pledges = transactions[
        (transactions["event_type"] == "pledge") & transactions["amount"].notna()
    ]
    listed = pledges.assign(patent=pledges["patents"].astype(str).str.split(";")).explode("patent")
    listed = listed[listed["patent"].str.strip() != ""]
    return listed.groupby(listed["patent"].str.strip())["amount"].max().astype(float)


#: (indicator, per-patent count columns summed) of the per-patent fallback.
PER_PATENT_COUNTS = (
    ("patent_transfer_licence_count", ("transfer_count", "licence_count")),
    ("patent_pledge_count", ("pledge_count",)),
)


def per_patent_observations(
    snapshots: Sequence[tuple[pd.Timestamp, pd.DataFrame]], covers: Iterable[str] | None = None
) -> pd.DataFrame:
    """Transfers and licences, and pledges (次), from the per-patent counts of patent exports
    where no list is given: the count of a year is the difference of the summed counts of two
    exports taken at consecutive year ends (a patent no longer in the later export is not
    counted, so it is an estimate). An export alone gives no yearly count.

    ``snapshots`` are ``(as_of, canonical patent table)`` pairs.
    """
    frames = []
    for indicator, columns in PER_PATENT_COUNTS:
        totals = {}
        for as_of, patents in snapshots:
            if set(columns) <= set(patents.columns):
                summed = sum(patents[c].astype(float) for c in columns)
                by_region = summed.groupby(patents["region"].astype(str)).sum(min_count=1)
                totals[pd.Timestamp(as_of)] = by_region
        frames.append(_differences(totals, covers, indicator, " and ".join(columns)))
    return pd.concat(frames, ignore_index=True)


def _differences(totals: dict, covers, indicator: str, what: str) -> pd.DataFrame:
    rows = []
    for day, by_region in totals.items():
        before = pd.Timestamp(year=day.year - 1, month=12, day=31)
        if not (day.month == 12 and day.day == 31) or before not in totals:
            continue
        change = by_region.sub(totals[before]).dropna()
        codes = set(covers) if covers else set(change.index)
        rows += [(r, day.year, v) for r, v in change.items() if r in codes and v >= 0]
    counts = pd.DataFrame(rows, columns=["region_code", "year", "value"])
    note = (
        f"estimated by ipanalysis from the per-patent counts ({what}) of two patent exports "
        "a year apart (no registration list given)"
    )
    return observation_rows(counts, indicator, "registrations", note)


def pii_observations(
    value_added: pd.DataFrame,
    mapping: pd.DataFrame,
    gdp: pd.DataFrame | None = None,
    partial_share: float = 0.0,
) -> tuple[pd.DataFrame, list[str]]:
    """Patent-intensive industries' value added (亿元) and its share of GDP (%) by region and
    year, from value added by 4-digit class and the office's class mapping; and notes.

    ``gdp`` has ``region_code, year, value`` (亿元). A class marked partial counts with
    ``partial_share`` (0 to 1) of its value added. A region-year where a mapped class's value is
    missing gets no figure; one without GDP gets no share.
    """
    if not 0.0 <= partial_share <= 1.0:
        raise ValueError(f"partial_share must be between 0 and 1, not {partial_share}")
    classes = mapping.drop_duplicates("industry_code")
    weight = pd.Series(
        np.where(classes["partial"].astype(bool), partial_share, 1.0),
        index=classes["industry_code"],
    )
    mapped = value_added[value_added["industry_code"].isin(weight.index)]
    notes = [
        f"{len(mapped)} of {len(value_added)} class values are of patent-intensive classes "
        f"(partial classes counted at {partial_share:g} of their value added)"
    ]
    part = mapped["value_added"].astype(float) * mapped["industry_code"].map(weight)
    grouped = part.groupby([mapped["region"].astype(str), mapped["year"]])
    totals = grouped.sum(min_count=1)[grouped.apply(lambda v: v.notna().all())]
    counts = totals.rename("value").rename_axis(["region_code", "year"]).reset_index()
    note = (
        "computed by ipanalysis from the office's value added by GB/T 4754 class and its NBS "
        f"2019 class mapping (partial classes at {partial_share:g})"
    )
    frames = [observation_rows(counts, "pii_value_added", "nbs_2019", note)]
    if gdp is not None and not counts.empty:
        both = counts.merge(gdp, on=["region_code", "year"], suffixes=("", "_gdp"))
        both["value"] = both["value"] / both["value_gdp"] * 100
        frames.append(observation_rows(both, "pii_share_gdp", "nbs_2019", note + "; GDP published"))
        missing = len(counts) - len(both)
        if missing:
            notes.append(f"{missing} region-year(s) without GDP: no share of GDP given")
    return pd.concat(frames, ignore_index=True), notes
