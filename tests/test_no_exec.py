"""A full check never spawns a process, whatever the tree's Kconfig and Makefiles say."""

from __future__ import annotations

import sys

import pytest

from ckptlint.cli import main

#: os.fork is allowed: -j workers are forks of ckptlint itself that never exec
#: (ckptlint.workers); anything that would start another program is not.
SPAWN_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                "pty.spawn")
_STATE = {"armed": False, "events": []}


def _hook(event, args):
    if _STATE["armed"] and event.startswith(SPAWN_EVENTS):
        _STATE["events"].append((event, repr(args)[:200]))


@pytest.fixture(scope="module", autouse=True)
def audit_hook():
    # audit hooks cannot be removed: the hook stays, disarmed, after these tests
    if not getattr(sys, "_ckptlint_audit_installed", False):
        sys.addaudithook(_hook)
        sys._ckptlint_audit_installed = True
    yield


def test_hostile_shell_calls_are_never_run(sample, tmp_path, capsys):
    tree = sample("clean")
    (tree / "checkpoint" / "Kconfig").write_text(
        'config CHECKPOINT\n\tbool "c/r"\n\tdepends on $(shell,touch PWNED) CHECKPOINT_SUPPORT\n'
        '\tdefault "$(shell,touch PWNED2)"\n')
    (tree / "checkpoint" / "Makefile").write_text(
        "obj-$(CONFIG_CHECKPOINT) += sys.o $(shell touch PWNED3)\n"
        "X := $(shell touch PWNED4)\nobj-y += $(X)\n")
    before = set(p.name for p in tree.iterdir()) | set(p.name for p in tmp_path.iterdir())
    _STATE["events"].clear()
    _STATE["armed"] = True
    try:
        code = main(["check", str(tree), "--arch", "all", "--show-notes"])
        main(["matrix", str(tree), "--syscall", "checkpoint"])
        main(["why", "CHECKPOINT", "--arch", "i386", str(tree)])
    finally:
        _STATE["armed"] = False
    assert _STATE["events"] == []
    assert code in (0, 1)
    after = set(p.name for p in tree.iterdir()) | set(p.name for p in tmp_path.iterdir())
    assert after == before
    assert not any(p.name.startswith("PWNED") for p in tree.rglob("*"))
    capsys.readouterr()


def test_the_hook_does_see_a_spawn():
    import subprocess

    _STATE["events"].clear()
    _STATE["armed"] = True
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    finally:
        _STATE["armed"] = False
    assert [e for e, _ in _STATE["events"]] == ["subprocess.Popen"]
