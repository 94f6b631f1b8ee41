"""What produced a figure: the code's version and commit, digests that date processed data."""

from __future__ import annotations

import hashlib
import subprocess

from .. import __version__, paths
from ..indicators import DEFINITIONS_VERSION


def git_commit() -> str:
    """The checkout's commit, or 'unknown' outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=paths.PACKAGE_DIR,
            timeout=5,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def code_digest(*parts: str) -> str:
    """A digest of the package's source files under ``parts`` (modules or folders).

    Processed data carry it, so a change to the code that made them makes them stale.
    """
    digest = hashlib.sha256()
    for part in parts:
        path = paths.PACKAGE_DIR / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(paths.PACKAGE_DIR).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def code_version(*parts: str) -> str:
    """``version/definitions version/digest`` of the code under ``parts``."""
    return f"{__version__}/{DEFINITIONS_VERSION}/{code_digest(*parts)}"
