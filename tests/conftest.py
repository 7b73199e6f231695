"""Shared fixtures: sample-tree materialisation and the golden-update switch."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite sample_trees/cases/*/expected.txt from current output")


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
