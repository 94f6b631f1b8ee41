"""The patent-intensive industries briefing's pieces: the share of GDP, the categories, GDP."""

from __future__ import annotations

import pandas as pd

from ...indicators import INDICATORS
from ...schemas import PII_CATEGORY_CODES
from .. import charts
from ..bundle import Briefing
from .common import paragraph, sentences, table

#: The NBS 2019 classification's seven categories (国家统计局令第25号).
CATEGORIES = PII_CATEGORY_CODES


def no_district_figure(b: Briefing, own: pd.DataFrame) -> list:
    """Say so when the region has no published patent-intensive figure (none is estimated)."""
    if len(own):
        return []
    return [paragraph(b.text("patent_intensive.no_district", region=b.region_name()), "note")]


def categories(b: Briefing, wide: pd.DataFrame) -> list:
    """The categories' value added as stacked bars, and their shares by year as a table."""
    if wide.empty:
        return []
    labels = {c: b.text(f"patent_intensive.category.{c}") for c in CATEGORIES}
    wide = wide.rename(columns=labels)
    chart = charts.stacked_share_chart(
        wide,
        title=b.text("patent_intensive.categories_title"),
        unit=INDICATORS["pii_value_added"].unit_label(b.lang),
        caption=b.sources_caption([wide.attrs["sources"]]),
        lang=b.lang,
    )
    shares = (wide.div(wide.sum(axis=1), axis=0) * 100).round(1).T
    shares.columns = [str(c) for c in shares.columns]
    shares.index.name = b.text("patent_intensive.col_category")
    return [chart, table(shares.reset_index())]


def gdp_note(b: Briefing, gdp: pd.DataFrame) -> list:
    """The region's published GDP by year, with the confidence of figures read second-hand and
    the publications they were read in."""
    if gdp.empty:
        return []
    parts = []
    for r in gdp.itertuples():
        confidence = (
            ""
            if r.confidence in (None, "high") or pd.isna(r.confidence)
            else b.text(
                "patent_intensive.confidence", confidence=b.text(f"confidence.{r.confidence}")
            )
        )
        text = charts.say_number(r.value, INDICATORS["gdp"].unit, b.lang)
        year = b.text("patent_intensive.gdp_year", year=int(r.year), text=text)
        parts.append(year + confidence)
    values = b.text("common.list_sep").join(parts)
    cited = b.text("common.list_sep").join(dict.fromkeys(b.cite(r) for _, r in gdp.iterrows()))
    note = b.text("patent_intensive.gdp", region=b.region_name(), values=values)
    return [paragraph(sentences(b, [note, b.text("page.table_sources", sources=cited)]), "note")]
