"""Shared fixtures: sample-tree materialisation and the golden-update switch."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite sample_trees/cases/*/expected.txt from current output")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """CLI runs cache under $XDG_CACHE_HOME: give the test session its own, outside every tree."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture
def sample(tmp_path):
    """Materialise a case by name: ``sample("seed-as-posted")`` -> tree path."""
    from samples import CASES, Case, materialise
    import tomllib

    def make(name: str) -> Path:
        directory = CASES / name
        case = Case(name, directory, tomllib.loads((directory / "case.toml").read_text()))
        return materialise(case, tmp_path / name)

    return make
