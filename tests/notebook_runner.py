"""Run a briefing notebook's code cells in this process and collect what it displays.

Faster than a kernel, and it runs the notebook itself (not a copy of its steps): the parameters
cell runs first, then the given parameters override it (as papermill injects them), then every
other code cell in order, with ``IPython.display.display`` collecting the displayed items.
"""

from __future__ import annotations

from unittest import mock

import nbformat

from ipanalysis import paths


def displayed(name: str, **parameters) -> list:
    """The items notebook ``name`` displays, in order, run with ``parameters``."""
    notebook = nbformat.read(paths.notebooks_dir() / f"{name}.ipynb", as_version=4)
    items: list = []
    namespace: dict = {}
    with mock.patch("IPython.display.display", lambda *objs, **_: items.extend(objs)):
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, f"{name}.ipynb", "exec"), namespace)
            if "parameters" in cell.metadata.get("tags", []):
                namespace.update(parameters)
    return items
