"""What a briefing page displays, piece by piece, in the briefing's language.

Each function takes a :class:`~ipanalysis.briefing.bundle.Briefing` (and the tables an analysis
step computed) and returns an HTML fragment, a chart, or a list of them in reading order (show
with ``display(*items)``). Words come from the locale catalogue, names and units from the
indicator registry, rule parameters from the definitions. Nothing here reads or writes a file.
"""

from IPython.display import HTML

from ..bundle import Briefing
from .common import (
    DEMO_MARK,
    DERIVED_MARK,
    heading,
    is_demo,
    paragraph,
    peer_chart,
    records_mark,
    table,
    trend,
    yearly_table,
)
from .flows import COMMERCIALISATION, flow_growth, national_trends, top_filers
from .frame import (
    activities_table,
    banner,
    definitions,
    header,
    indicator_sections,
    provenance,
    scorecard_table,
)
from .high_value import STOCK as HIGH_VALUE_STOCK
from .high_value import (
    criteria,
    criterion_names,
    definition_note,
    headline,
    levers,
    national_context,
    overlaps,
    projection_note,
    trend_to_target,
)
from .patent_intensive import CATEGORIES, categories, gdp_note, no_district_figure


def title(b: Briefing, key: str, level: int = 2, /, **fields: object) -> HTML:
    """A heading whose text is the catalogue's ``key``."""
    return heading(b.text(key, **fields), level)


def note(b: Briefing, key: str, /, **fields: object) -> HTML:
    """A note whose text is the catalogue's ``key``."""
    return paragraph(b.text(key, **fields), "note")


__all__ = [
    "CATEGORIES",
    "COMMERCIALISATION",
    "HIGH_VALUE_STOCK",
    "DEMO_MARK",
    "DERIVED_MARK",
    "activities_table",
    "banner",
    "categories",
    "criteria",
    "criterion_names",
    "definition_note",
    "definitions",
    "flow_growth",
    "gdp_note",
    "header",
    "heading",
    "headline",
    "indicator_sections",
    "is_demo",
    "levers",
    "national_context",
    "national_trends",
    "no_district_figure",
    "note",
    "overlaps",
    "paragraph",
    "peer_chart",
    "projection_note",
    "provenance",
    "records_mark",
    "scorecard_table",
    "table",
    "title",
    "trend",
    "trend_to_target",
    "top_filers",
    "yearly_table",
]
