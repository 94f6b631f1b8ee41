import shutil
from pathlib import Path

import pytest

from ipanalysis import io, paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def prepared():
    """All raw sources read in memory (no writes)."""
    return io.prepare_all(paths.data_dir())


@pytest.fixture(scope="session")
def observations(prepared):
    return prepared.observations


@pytest.fixture()
def data_copy(tmp_path):
    """A writable copy of data/ (raw files, manifest, plans) without processed outputs."""
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("processed"))
    (target / "processed").mkdir()
    return target
