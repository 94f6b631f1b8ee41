"""The high-value briefing's pieces: headline, projection, stock, criteria, overlaps, levers."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from ...analysis import NATION, series
from ...high_value import ALL_CRITERIA, CRITERIA, HighValueDefinition
from ...indicators import INDICATORS
from .. import charts
from ..bundle import Briefing
from ..html import render
from .common import (
    DEMO_MARK,
    heading,
    is_demo,
    paragraph,
    records_mark,
    status_badge,
    table,
    trend,
    value_view,
)

INDICATOR = "high_value_invention_patents_per_10k"
BASIS = "domestic"
#: The columns of the stock table: catalogue key → (indicator, basis).
STOCK = {
    "high_value.col_valid": ("valid_invention_patents", "domestic"),
    "high_value.col_high_value": ("high_value_invention_patents", "domestic"),
    "high_value.col_per_10k": (INDICATOR, BASIS),
}


def headline(b: Briefing, indicator: str = INDICATOR) -> list:
    """The region's latest value of the plan indicator, the target and the status (‡ when
    computed from demo figures; "not assessed" before the plan)."""
    rows = b.scorecard[b.scorecard["indicator"] == indicator].head(1)
    if rows.empty:
        return []
    r = next(rows.itertuples())
    unit = INDICATORS[indicator].unit
    return [
        HTML(
            render(
                "headline",
                item=r.item,
                colon=b.text("common.colon"),
                value=value_view(b, r.value, unit, r.value_status, r.value_year),
                target_word=b.text("page.target"),
                target=r.target,
                badge=status_badge(b, r),
            )
        )
    ]


def projection_note(b: Briefing, own: pd.DataFrame, band: pd.DataFrame | None) -> list:
    """What continuing the recent trend gives at the target year, and the assumptions."""
    level = b.target(INDICATOR)
    if band is None or level is None:
        return []
    last = band.iloc[-1]
    text = b.text(
        "high_value.projection",
        window=band.attrs["window"],
        by=level.by,
        central=last["central"],
        low=last["low"],
        high=last["high"],
        target=level.value,
        unit=INDICATORS[INDICATOR].unit,
    )
    return [paragraph(text + (DEMO_MARK if is_demo(own) else ""), "note")]


def trend_to_target(b: Briefing, band: pd.DataFrame | None):
    """The region, its parent and the nation against the target, with the projection band."""
    level = b.target(INDICATOR)
    return trend(
        b,
        INDICATOR,
        BASIS,
        [b.region_code, b.parent, NATION],
        target=level.value if level else None,
        target_year=level.by if level else None,
        target_label=level.label(b.lang, scope=b.place["scope"]) if level else "",
        band=band,
        band_label=b.text("high_value.band"),
    )


def criterion_names(b: Briefing, definition: HighValueDefinition) -> dict[str, str]:
    """The criteria's names in the briefing's language, rule parameters from ``definition``."""
    years = definition.maintenance_years  # the one rule parameter a criterion's name shows
    names = {c: b.text(f"high_value.criterion.{c}", years=years) for c in CRITERIA}
    return {**names, ALL_CRITERIA: b.text("high_value.criterion.all")}


def criteria(
    b: Briefing, parts: pd.DataFrame, definition: HighValueDefinition, records: pd.DataFrame
) -> list:
    """The breakdown by criterion (:func:`ipanalysis.high_value.breakdown`) as a table."""
    if records.empty:
        return []
    mark, caption = records_mark(b, records, "population.patents")
    names = criterion_names(b, definition)
    shown = pd.DataFrame(
        {
            b.text("high_value.col_criterion"): parts["criterion"].map(names),
            b.text("common.patents"): parts["patents"].astype(float),
            b.text("high_value.col_only"): parts["only_this"].astype(float),
            b.text("high_value.col_with_others"): parts["with_others"].astype(float),
            b.text("high_value.col_share"): (parts["share"] * 100).round(1),
        }
    )
    return [
        heading(b.text("high_value.criteria_heading", year=b.year) + mark, 3),
        table(shown, caption=caption),
    ]


def overlaps(
    b: Briefing, combos: pd.DataFrame, definition: HighValueDefinition, records: pd.DataFrame
) -> list:
    """High-value patents by the combination of criteria they meet
    (:func:`ipanalysis.high_value.overlaps`)."""
    if records.empty:
        return []
    mark, _ = records_mark(b, records)
    names = criterion_names(b, definition)
    shown = pd.DataFrame(
        {
            b.text("high_value.col_combination"): combos["combination"].map(
                lambda c: " + ".join(names.get(x, x) for x in c.split("+"))
            ),
            b.text("common.patents"): combos["patents"].astype(float),
        }
    )
    empty = b.text("high_value.no_overlaps", year=b.year)
    return [heading(b.text("high_value.overlaps_heading") + mark, 3), table(shown, empty=empty)]


def levers(
    b: Briefing,
    maturing: pd.DataFrame,
    lapsed: pd.DataFrame,
    months: int,
    definition: HighValueDefinition,
    records: pd.DataFrame,
) -> list:
    """Patents about to pass the maintenance threshold and this year's lapses, as a note."""
    if records.empty:
        return []
    mark, _ = records_mark(b, records)
    text = b.text(
        "high_value.levers",
        months=months,
        years=definition.maintenance_years,
        maturing=len(maturing),
        lever=int((~maturing["already_high_value"]).sum()),
        year=b.year,
        lapsed=len(lapsed),
    )
    return [heading(b.text("high_value.levers_heading") + mark, 3), paragraph(text)]


def national_context(b: Briefing) -> list:
    """The latest national count of strategic-emerging high-value patents, with its source."""
    national = series(b.index, "high_value_strategic_emerging", NATION, year_end=False)
    if national.empty:
        return []
    last = national.iloc[-1]
    text = b.text(
        "high_value.national_context",
        date=f"{last['date']:%Y-%m-%d}",
        value=charts.format_number(
            last["value"], INDICATORS["high_value_strategic_emerging"].unit, b.lang
        ),
        source=b.cite(last),
    )
    return [paragraph(text, "note")]


def definition_note(b: Briefing, definition: HighValueDefinition | None = None) -> HTML:
    """The definition's version and every parameter (``b.definition`` unless another is
    given), in the briefing's language."""
    return paragraph((definition or b.definition).describe(b.lang), "note")
