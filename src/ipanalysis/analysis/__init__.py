"""Analysis of indicator values: series, the plan scorecard, one rank rule, flows, projections.

Pure functions over tables (observations, record tables); no file is read or written here.

- :mod:`~ipanalysis.analysis.series` — one region's yearly values of one indicator.
- :mod:`~ipanalysis.analysis.scorecard` — every plan target and activity with its status.
- :mod:`~ipanalysis.analysis.rank` — ranks among peers, aware of the indicator's direction.
- :mod:`~ipanalysis.analysis.flows` — PCT, Madrid, transfer, licence and pledge counts by year.
- :mod:`~ipanalysis.analysis.projections` — a series projected to the target year.
"""

from .flows import count_by_year, madrid_by_year, pct_by_year, transactions_by_year
from .projections import project_per_10k, projection_band
from .rank import higher_is_better, peers, rank, rank_among
from .scorecard import (
    assess_target,
    build_scorecard,
    check_parameters,
    comparable,
    peer_table,
    peer_values,
    plan_words,
)
from .series import NATION, ObservationIndex, category_table, one_kind, series
from .vintages import conflicts, revisions

__all__ = [
    "NATION",
    "ObservationIndex",
    "assess_target",
    "build_scorecard",
    "category_table",
    "check_parameters",
    "comparable",
    "conflicts",
    "count_by_year",
    "higher_is_better",
    "madrid_by_year",
    "pct_by_year",
    "one_kind",
    "peer_table",
    "peer_values",
    "plan_words",
    "peers",
    "project_per_10k",
    "projection_band",
    "rank",
    "rank_among",
    "revisions",
    "series",
    "transactions_by_year",
]
