"""ipanalysis: intellectual-property indicators for regional IP offices.

The few names a researcher needs, from the layers below (see the README, "How it fits
together"):

- indicators: :data:`INDICATORS` (the registry: definition, unit, formula, source of each),
  :func:`definitions_table`;
- reading files: :func:`read_table` (statistical tables), :func:`read_patent_export` (patent
  exports);
- high-value invention patents: :class:`HighValueDefinition`, :func:`classify`,
  :func:`breakdown`, :func:`stock`;
- plans and regions: :func:`load_plan`, :func:`resolve_region`.

Importing the package does no I/O and registers nothing; each name is imported on first use.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public name → the module that defines it.
_PUBLIC = {
    "INDICATORS": "ipanalysis.indicators",
    "definitions_table": "ipanalysis.indicators",
    "read_table": "ipanalysis.clean.tables",
    "read_patent_export": "ipanalysis.clean.patents",
    "HighValueDefinition": "ipanalysis.high_value",
    "DEFAULT_DEFINITION": "ipanalysis.high_value",
    "classify": "ipanalysis.high_value",
    "breakdown": "ipanalysis.high_value",
    "stock": "ipanalysis.high_value",
    "load_plan": "ipanalysis.plans",
    "resolve_region": "ipanalysis.regions",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ipanalysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
