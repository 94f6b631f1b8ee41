"""ipanalysis: intellectual-property indicators for regional IP offices.

A small flat public API over the modules: indicator definitions (:mod:`ipanalysis.indicators`),
plans and their targets (:mod:`ipanalysis.plans`), reading the embedded published data
(:mod:`ipanalysis.sources`), regions (:mod:`ipanalysis.regions`) and the briefing build
(:mod:`ipanalysis.build`). Importing the package does no I/O and registers nothing.
"""

__version__ = "0.1.0"
