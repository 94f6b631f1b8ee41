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


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A copy of data/ without processed outputs for one test module: the briefings it loads
    prepare their data there, and the module may add files of its own."""
    target = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("processed"))
    return target
