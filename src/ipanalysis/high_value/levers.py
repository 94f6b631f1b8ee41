"""Levers on the high-value stock: patents about to pass the maintenance threshold, and lapses."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..schemas import is_synthetic, mark_status
from .classify import _at, _static, _timestamp
from .definition import DEFAULT_DEFINITION, HighValueDefinition
from .memory import small_pages
from .patents import prepare_patents


@small_pages()
def maturing(
    patents: pd.DataFrame,
    as_of: object,
    months: int,
    definition: HighValueDefinition = DEFAULT_DEFINITION,
    domestic_only: bool = True,
) -> pd.DataFrame:
    """Valid invention patents that will pass the maintenance threshold within ``months``.

    A patent is listed when it is valid at ``as_of``, does not yet meet the maintenance criterion,
    and first meets it on or before ``as_of + months`` (``qualifies_on`` is the day after its
    ``maintenance_years`` anniversary). ``already_high_value`` tells whether another criterion makes
    it high-value anyway, so the lever is the rows where it is ``False``. It assumes the patent's
    fees are paid until then.

    Returns
    -------
    DataFrame
        ``application_number, region, qualifies_on, already_high_value`` (nullable boolean),
        sorted by ``qualifies_on``, index of the input.
    """
    day = _timestamp(as_of, "as_of")
    if months < 0:
        raise ValueError(f"months must be zero or more, not {months}")
    prepared = prepare_patents(patents)
    static = _static(prepared, definition)
    valid, met, *_ = _at(static, day, definition)
    keep = valid & static.anchor_known & ~met["maintained"]
    if domestic_only:
        keep &= static.domestic
    rows = prepared.loc[keep]
    anchor = rows[definition.maintenance_from]
    qualifies = anchor + pd.DateOffset(years=definition.maintenance_years) + pd.Timedelta(days=1)
    horizon = day + pd.DateOffset(months=months)
    within = (qualifies <= horizon).to_numpy()
    # every criterion but maintenance (not met on these rows, its anchor known)
    other, other_unknown = static.static_met[keep], static.static_unknown[keep]
    out = pd.DataFrame(index=rows.index)
    for column in ("application_number", "region"):
        if column in rows.columns:
            out[column] = rows[column]
    out["qualifies_on"] = qualifies
    out["already_high_value"] = pd.arrays.BooleanArray(other, ~other & other_unknown)
    out = out.loc[within].sort_values("qualifies_on", kind="stable")
    out = mark_status(out, is_synthetic(patents))
    out.attrs["definition"] = definition.version
    return out


def lapsed(
    patents: pd.DataFrame,
    start: object,
    end: object,
    patent_types: Sequence[str] = ("invention",),
    domestic_only: bool = True,
) -> pd.DataFrame:
    """Granted patents whose right ended in ``[start, end]`` (both inclusive), e.g. for unpaid fees.

    Returns ``application_number, region, patent_type, grant_date, lapse_date`` of those rows and a
    ``years_in_force`` column (whole years from grant to lapse), sorted by ``lapse_date``.
    """
    first, last = _timestamp(start, "start"), _timestamp(end, "end")
    if last < first:
        raise ValueError(f"end {last.date()} is before start {first.date()}")
    prepared = prepare_patents(patents)
    keep = (
        prepared["patent_type"].isin(list(patent_types)).to_numpy(dtype=bool)
        & prepared["grant_date"].notna().to_numpy()
        & (prepared["lapse_date"] >= first).fillna(False).to_numpy(dtype=bool)
        & (prepared["lapse_date"] <= last).fillna(False).to_numpy(dtype=bool)
    )
    if domestic_only:
        keep &= prepared["domestic"].to_numpy(dtype=bool)
    columns = [
        c
        for c in ("application_number", "region", "patent_type", "grant_date", "lapse_date")
        if c in prepared.columns
    ]
    out = prepared.loc[keep, columns].copy()
    g, lp = out["grant_date"], out["lapse_date"]
    years = (
        lp.dt.year
        - g.dt.year
        - ((lp.dt.month * 100 + lp.dt.day) < (g.dt.month * 100 + g.dt.day)).astype(int)
    )
    out["years_in_force"] = years.astype("int64")
    return mark_status(out.sort_values("lapse_date", kind="stable"), is_synthetic(patents))
