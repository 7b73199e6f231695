"""Shared fixtures: sample-tree materialisation, the golden-update switch, and
two suite-wide guards.

Spawn guard: an audit hook, installed once for the whole session, watches
every process-spawning event. When ckptlint code is on the call stack the
spawn is refused (the hook raises, so nothing runs) and recorded; the test
during which it happened then fails. The one allowed spawn is ``git`` launched
from ``ckptlint/revisions/gitview.py`` (series mode) with an argument list, never a
shell. ``os.fork`` is allowed (multiprocessing's 'fork' start method runs no
new program); a forked child that tries to exec is caught in the child and
recorded in a file the parent reads. Test code itself may spawn (``python -m
ckptlint`` child processes): only frames from the ckptlint package count.

Cache guard: XDG_CACHE_HOME points into a session temporary directory, so no
run writes a cache into a checked tree or the user's home.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spawnguard import SPAWN_GUARD  # noqa: E402


@pytest.fixture(autouse=True)
def no_spawn_from_ckptlint():
    """Fail the test during which ckptlint code tried to start a program."""
    SPAWN_GUARD.clear()
    yield SPAWN_GUARD
    refused = SPAWN_GUARD.events()
    SPAWN_GUARD.clear()
    if refused:
        pytest.fail("ckptlint tried to spawn a process:\n" + "\n".join(refused), pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def cache_outside_trees(tmp_path_factory):
    """Point XDG_CACHE_HOME (inherited by child processes) at a session temporary directory."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture
def no_hang():
    """Turn a blocked read (a FIFO opened by mistake) or a runaway run into a failure, not a hung suite."""
    def timeout(signum, frame):
        raise AssertionError("ckptlint blocked or ran for over 60 s (a FIFO opened? quadratic input?)")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def pytest_sessionfinish(session, exitstatus):
    if os.path.exists(SPAWN_GUARD.record):
        os.unlink(SPAWN_GUARD.record)


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
