"""Publishing: run the briefing notebooks (papermill, warm kernels), export self-contained HTML,
keep the index of briefings.

- :mod:`~ipanalysis.publish.runner` — :func:`build` and :func:`run_notebook`; atomic publishing.
- :mod:`~ipanalysis.publish.notebooks` — the notebooks, their titles and parameters.
- :mod:`~ipanalysis.publish.export` — executed notebook → one HTML file, font embedded.
- :mod:`~ipanalysis.publish.index` — ``reports/index.html`` and its registry.
"""

from .index import write_index
from .notebooks import NOTEBOOKS, check_extra_parameters, notebook_parameters
from .runner import BuildResult, build, resolve_region, run_notebook

__all__ = [
    "NOTEBOOKS",
    "BuildResult",
    "build",
    "check_extra_parameters",
    "notebook_parameters",
    "resolve_region",
    "run_notebook",
    "write_index",
]
