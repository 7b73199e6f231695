"""Shared fixtures: sample-tree materialisation, the golden-update switch, and
two suite-wide guards.

Spawn guard: an audit hook, installed once for the whole session, watches
every process-spawning event. When ckptlint code is on the call stack the
spawn is refused (the hook raises, so nothing runs) and recorded; the test
during which it happened then fails. The one allowed spawn is ``git`` launched
from ``ckptlint/gitview.py`` (series mode) with an argument list, never a
shell. ``os.fork`` is allowed (multiprocessing's 'fork' start method runs no
new program); a forked child that tries to exec is caught in the child and
recorded in a file the parent reads. Test code itself may spawn (``python -m
ckptlint`` child processes): only frames from the ckptlint package count.

Cache guard: XDG_CACHE_HOME points into a session temporary directory, so no
run writes a cache into a checked tree or the user's home.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Audit events that start a new program (os.fork and os.forkpty do not).
SPAWN_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                "os.startfile")
PACKAGE_DIR = str(Path(__file__).resolve().parent.parent / "ckptlint") + os.sep
GITVIEW = PACKAGE_DIR + "gitview.py"


class SpawnRefused(RuntimeError):
    """Raised by the audit hook to stop a spawn from ckptlint code."""


class SpawnGuard:
    """Session-wide record of spawns attempted by ckptlint code."""

    def __init__(self) -> None:
        fd, self.record = tempfile.mkstemp(prefix="ckptlint-spawns-", suffix=".log")
        os.close(fd)

    def events(self) -> list[str]:
        """Every refused spawn since the last clear (from this process and forked children)."""
        with open(self.record, encoding="utf-8") as handle:
            return [line.rstrip("\n") for line in handle if line.strip()]

    def clear(self) -> None:
        open(self.record, "w").close()

    def hook(self, event: str, args: tuple) -> None:
        if not event.startswith(SPAWN_EVENTS):
            return
        origin = _ckptlint_frame(sys._getframe(1))
        if origin is None or (origin == GITVIEW and _is_git(event, args)):
            return
        where = origin[len(PACKAGE_DIR) - len("ckptlint/"):]
        line = f"{event} from {where}: {repr(args)[:200]}"
        with open(self.record, "a", encoding="utf-8") as handle:
            handle.write(line.replace("\n", " ") + "\n")
        raise SpawnRefused(f"ckptlint must not spawn processes: {line}")


def _ckptlint_frame(frame) -> str | None:
    """File name of the innermost ckptlint frame on the stack, if any."""
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(PACKAGE_DIR):
            return name
        frame = frame.f_back
    return None


def _is_git(event: str, args: tuple) -> bool:
    """A plain ``git`` argv (never a shell): Popen(executable, args, ...) or posix_spawn(path, argv, env)."""
    if event == "subprocess.Popen":
        executable, argv = args[0], args[1]
    elif event == "os.posix_spawn":
        executable, argv = args[0], args[1]
    else:
        return False
    if isinstance(argv, (str, bytes)) or not argv:
        return False
    names = {os.path.basename(os.fsdecode(executable or argv[0])), os.path.basename(os.fsdecode(argv[0]))}
    return names == {"git"}


SPAWN_GUARD = SpawnGuard()
if not getattr(sys, "_ckptlint_spawn_guard", False):  # audit hooks cannot be removed: add once
    sys.addaudithook(SPAWN_GUARD.hook)
    sys._ckptlint_spawn_guard = True  # type: ignore[attr-defined]


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
