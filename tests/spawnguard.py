"""The spawn guard: an audit hook that refuses and records any process spawned while
ckptlint code is on the call stack (see tests/conftest.py, which installs it once)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import ckptlint  # wherever it is imported from: the work tree or site-packages

#: Audit events that start a new program (os.fork and os.forkpty do not).
SPAWN_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                "os.startfile")

PACKAGE_DIR = str(Path(ckptlint.__file__).resolve().parent) + os.sep
GITVIEW = PACKAGE_DIR + "revisions/gitview.py"


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
        name = os.path.realpath(frame.f_code.co_filename)  # only on spawn events: cost is no issue
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
