"""The international and commercialisation briefings' pieces: flows by year, top filers."""

from __future__ import annotations

import pandas as pd

from ...analysis import NATION
from ...indicators import INDICATORS, yoy_growth
from ...synthetic import holder_label
from .. import charts
from ..bundle import Briefing
from .common import DEMO_MARK, heading, is_demo, paragraph, records_mark, table, trend

#: The columns of the commercialisation table: catalogue key → (indicator, basis).
COMMERCIALISATION = {
    "commercialisation.col_transfers": ("patent_transfer_count", "registrations"),
    "commercialisation.col_licences": ("patent_licence_count", "registrations"),
    "commercialisation.col_both": ("patent_transfer_licence_count", "registrations"),
    "commercialisation.col_pledges": ("patent_pledge_count", "registrations"),
    "commercialisation.col_pledge_amount": ("patent_pledge_amount", "patent"),
}
#: What a synthetic filer is called in a table of filers: PCT and Madrid filings are
#: applications, so their filers are applicants (the column says so), never patentees.
FILER_ROLE = "applicant"


def flow_growth(b: Briefing, indicator: str, own: pd.DataFrame) -> list:
    """The flow's name, and its latest year-on-year change (or that the region has no figure)."""
    ind = INDICATORS[indicator]
    items: list = [heading(ind.name(b.lang), 3)]
    if len(own) >= 2:
        growth = yoy_growth(own.set_index("year")["value"]).dropna()
        if len(growth):
            text = b.text(
                "international.growth",
                year=int(growth.index[-1]),
                region=b.region_name(),
                value=charts.format_number(own["value"].iloc[-1], ind.unit, b.lang),
                growth=growth.iloc[-1],
            )
            items.append(paragraph(text + (DEMO_MARK if is_demo(own) else "")))
    elif own.empty:
        items.append(paragraph(b.text("page.no_data_note"), "note"))
    return items


def top_filers(b: Briefing, records: pd.DataFrame, population: str, top: int = 10) -> list:
    """The region's applicants with the most filings in the reporting year; ``population`` is
    the catalogue key saying whose filings they are (``population.pct`` …)."""
    if records.empty or "applicant" not in records:
        return []
    mark, caption = records_mark(b, records, population)
    year = records[records["filing_date"].dt.year == b.year]
    counts = year["applicant"].value_counts().head(top)
    if counts.empty:
        return [paragraph(b.text("international.no_filers", year=b.year), "note")]
    applicant = b.text("international.col_applicant")
    shown = pd.DataFrame(
        {
            applicant: [
                holder_label(name, b.lang, FILER_ROLE) for name in counts.index.astype(str)
            ],
            b.text("international.col_applications"): counts.to_numpy().astype(float),
        }
    )
    return [
        heading(b.text("international.top_filers", year=b.year) + mark, 4),
        table(shown, sortable=True, caption=caption, names=(applicant,)),
    ]


def national_trends(b: Briefing) -> list:
    """The national transfers-and-licences and pledge-financing series (published); the note
    on the pledge series' basis compares it with the region's only where the region has one."""
    own = b.series(*COMMERCIALISATION["commercialisation.col_pledge_amount"])
    basis = "pledge_basis" if len(own) else "pledge_basis_national"
    return [
        heading(b.text("commercialisation.national"), 3),
        trend(b, "patent_transfer_licence_count", "registrations", [NATION]),
        trend(b, "ip_pledge_financing_amount", "patent_and_trademark", [NATION]),
        paragraph(b.text(f"commercialisation.{basis}"), "note"),
    ]
