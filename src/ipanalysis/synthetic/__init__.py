"""SYNTHETIC demo records and the district figures computed from them, clearly apart.

Nothing here is an observation. :mod:`~ipanalysis.synthetic.generator` makes seeded records
calibrated to Shanghai's published totals; :mod:`~ipanalysis.synthetic.demo` turns them into
district observations marked ``synthetic``. Every frame carries the mark; briefings label every
figure computed from it (‡ and a banner). :mod:`ipanalysis.io.demo` reads the calibration files
and caches the records.
"""

from .demo import (
    DEFAULT_SEED,
    PROXIES,
    SOURCE_ID,
    TABLE_INDICATORS,
    TABLES,
    add_applicants,
    demo_observations,
)
from .generator import (
    ASSUMPTIONS,
    Targets,
    allocate,
    district_weights,
    generate,
    generate_patents,
    holder_label,
    holder_name,
    targets_from,
)

__all__ = [
    "ASSUMPTIONS",
    "DEFAULT_SEED",
    "PROXIES",
    "SOURCE_ID",
    "TABLES",
    "TABLE_INDICATORS",
    "Targets",
    "add_applicants",
    "allocate",
    "demo_observations",
    "district_weights",
    "generate",
    "generate_patents",
    "holder_label",
    "holder_name",
    "targets_from",
]
