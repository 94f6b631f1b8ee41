"""High-value invention patents: the definition, classification, stocks, levers, observations.

Pure functions over the canonical patent table (:data:`ipanalysis.schemas.PATENT_COLUMNS`);
every result carries the definition's version in ``attrs["definition"]``.

- :mod:`~ipanalysis.high_value.definition` — CNIPA's five criteria and their open parameters.
- :mod:`~ipanalysis.high_value.patents` — the table's columns and dtypes as read here.
- :mod:`~ipanalysis.high_value.classify` — each patent on each criterion at a date.
- :mod:`~ipanalysis.high_value.stock` — year-end stocks by region and per 10,000 residents.
- :mod:`~ipanalysis.high_value.levers` — patents about to qualify, and lapses.
- :mod:`~ipanalysis.high_value.observations` — stocks as observations of the registry.
"""

from .classify import breakdown, classify, counts_by_region, overlaps
from .definition import (
    ALL_CRITERIA,
    CRITERIA,
    DEFAULT_AWARDS,
    DEFAULT_DEFINITION,
    HighValueDefinition,
    concordance_prefixes,
    configured,
    with_definition,
)
from .levers import lapsed, maturing
from .observations import STOCK_INDICATORS, records_stock_observations, stock_observations
from .patents import ENGINE_COLUMNS, held_domestically, prepare_patents
from .stock import population_table, stock, year_ends

__all__ = [
    "ALL_CRITERIA",
    "CRITERIA",
    "DEFAULT_AWARDS",
    "DEFAULT_DEFINITION",
    "ENGINE_COLUMNS",
    "HighValueDefinition",
    "STOCK_INDICATORS",
    "breakdown",
    "classify",
    "concordance_prefixes",
    "configured",
    "counts_by_region",
    "held_domestically",
    "lapsed",
    "maturing",
    "overlaps",
    "population_table",
    "prepare_patents",
    "records_stock_observations",
    "stock",
    "stock_observations",
    "with_definition",
    "year_ends",
]
