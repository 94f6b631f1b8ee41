"""Where the project's files live, defined once.

The data root is, in order: the ``IPANALYSIS_HOME`` environment variable; the checkout this
package was installed from (an editable install in the repository's ``src/`` layout); the current
working directory. Notebooks and the CLI find everything through these functions, so they run
from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_DIR / "reference"
#: Plan files shipped with the package: in the checkout, a link to ``data/plans/`` (one copy of
#: each plan), whose files a wheel carries.
PACKAGED_PLANS_DIR = REFERENCE_DIR / "plans"


def project_root() -> Path:
    """The folder holding ``data/``, ``notebooks/`` and ``reports/``."""
    env = os.environ.get("IPANALYSIS_HOME")
    if env:
        return Path(env).expanduser().resolve()
    checkout = PACKAGE_DIR.parents[1]
    if (checkout / "data" / "sources.yml").exists():
        return checkout
    return Path.cwd()


def data_dir() -> Path:
    return project_root() / "data"


def raw_dir() -> Path:
    return data_dir() / "raw"


def processed_dir() -> Path:
    return data_dir() / "processed"


def manifest_path() -> Path:
    return data_dir() / "sources.yml"


def plans_dir() -> Path:
    """An office's own plan files; the plans shipped with the package are in
    :data:`PACKAGED_PLANS_DIR`."""
    return data_dir() / "plans"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"
