"""Where the project's files live, defined once.

The data root is, in order: the ``IPANALYSIS_HOME`` environment variable; the checkout this
package was installed from (an editable install in the repository's ``src/`` layout); the current
working directory. Notebooks and the CLI find everything through these functions, so they run
from any working directory.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_DIR / "reference"
#: Plan files shipped with the package: in the checkout, a link to ``data/plans/`` (one copy of
#: each plan), whose files a wheel carries.
PACKAGED_PLANS_DIR = REFERENCE_DIR / "plans"
#: The plan a build and a briefing use when none is given: Songjiang District's 2024-2026 plan
#: (``data/plans/songjiang-2024-2026.yaml``).
DEFAULT_PLAN = "songjiang-2024-2026"


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


#: The CJK font of the charts and the pages (Noto Sans CJK SC, SIL Open Font Licence).
FONT_FILE = "NotoSansCJKsc-Regular.otf"


def font_path() -> Path:
    """The packaged CJK font file, in the ``mplfonts`` package: found, not imported (importing
    it imports matplotlib, 0.2-0.4 s, which the page export does not need)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the mplfonts package (the CJK font) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE


def load_yaml(text: str):
    """YAML text (a plan, ``sources.yml``) as Python values, safely: with libyaml's parser where
    PyYAML has it (ten times faster). Text it refuses is parsed again by PyYAML's own parser,
    whose error says more ("expected ',' or ']', but got '<stream end>'"): a ``yaml.YAMLError``
    with the line in ``problem_mark``."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)
