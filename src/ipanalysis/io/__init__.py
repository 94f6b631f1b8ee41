"""Files in and out: the manifest, one reader per layout kind, prepare (the only writer of
``data/processed/``), and loaders that only read.

- :mod:`~ipanalysis.io.manifest` — ``data/sources.yml``: provenance, sha256 pins, layouts.
- :mod:`~ipanalysis.io.readers` — a raw file → observations or a canonical record table, by
  its layout kind (:mod:`~ipanalysis.io.published`, :mod:`~ipanalysis.io.release`, patents and
  the office's lists: PCT, Madrid, transactions, value added, class mapping, activity log).
- :mod:`~ipanalysis.io.office` — the office's lists → observations with their source line.
- :mod:`~ipanalysis.io.definition` — the high-value definition's parameters as an office sets
  them (``sources.yml``, notebook parameter, CLI option).
- :mod:`~ipanalysis.io.prepare` — every source read, reconciled and written to
  ``data/processed/``; the demo cache.
- :mod:`~ipanalysis.io.load` — processed data, record tables, population and activity logs.
- :mod:`~ipanalysis.io.demo` — the synthetic demo's calibration files and cache.
- :mod:`~ipanalysis.io.scan` — a parquet patent file classified and counted in one read.
- :mod:`~ipanalysis.io.provenance` — code version and commit.
"""

from .demo import load_demo, read_targets
from .load import (
    load_observations,
    load_office,
    load_patents,
    load_processed,
    read_activity_log,
    read_patents,
)
from .manifest import SourceEntry, manifest_table, read_manifest, sha256
from .population import load_population
from .prepare import Prepared, prepare, prepare_all, prepare_demo, quality_summary
from .readers import read_source
from .scan import PatentScan, scan_patents

__all__ = [
    "PatentScan",
    "Prepared",
    "SourceEntry",
    "load_demo",
    "load_observations",
    "load_patents",
    "load_population",
    "load_office",
    "load_processed",
    "manifest_table",
    "prepare",
    "prepare_all",
    "prepare_demo",
    "quality_summary",
    "read_activity_log",
    "read_manifest",
    "read_patents",
    "read_source",
    "read_targets",
    "scan_patents",
    "sha256",
]
