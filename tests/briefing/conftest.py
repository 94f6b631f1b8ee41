"""Fixtures of the briefing tests."""

import shutil

import pytest

from ipanalysis import paths


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A copy of the project's data folder, without ``processed/``, for one test module: its
    briefings prepare their data there, and a module may add files of its own."""
    target = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("processed"))
    return target
