"""A full check never spawns a process, whatever the tree's Kconfig and Makefiles say."""

from __future__ import annotations

import sys

import pytest

from ckptlint.cli import main

#: os.fork is allowed: -j workers are forks of ckptlint itself that never exec
#: (ckptlint.workers); anything that would start another program is not.
SPAWN_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                "pty.spawn")
_STATE = {"armed": False, "events": [], "callers": []}


def _hook(event, args):
    if _STATE["armed"] and event.startswith(SPAWN_EVENTS):
        _STATE["events"].append((event, repr(args)[:200]))
        _STATE["callers"].append((_nearest_ckptlint_module(), args[1][0] if event == "subprocess.Popen" else None))


def _nearest_ckptlint_module() -> str | None:
    """The innermost ckptlint module on the stack (who asked for the process)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("ckptlint."):
            return name
        frame = frame.f_back
    return None


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


def test_check_patch_never_spawns(sample, tmp_path, capsys):
    """check-patch applies in memory: no git, no patch(1), nothing from the tree."""
    tree = sample("clean")
    patch = tmp_path / "frob.patch"
    patch.write_text("--- /dev/null\n+++ b/kernel/frob.c\n@@ -0,0 +1,4 @@\n"
                     "+SYSCALL_DEFINE1(frob, int, level)\n+{\n+\treturn level;\n+}\n")
    _STATE["events"].clear()
    _STATE["armed"] = True
    try:
        code = main(["check-patch", str(patch), "--tree", str(tree), "--arch", "all"])
    finally:
        _STATE["armed"] = False
    assert _STATE["events"] == []
    assert code == 0
    assert not (tree / "kernel" / "frob.c").exists()
    capsys.readouterr()


def test_series_and_staged_modes_spawn_only_git_from_gitview(tmp_path, capsys):
    """The audit whitelist: every process of series mode and --staged is git, started by gitview."""
    from gitrepo import add_frob, commit_all, git, make_repo

    repo = make_repo(tmp_path / "linux")
    add_frob(repo)
    commit_all(repo, "x86: add sys_frob")
    sys_ni = repo / "kernel/sys_ni.c"
    sys_ni.write_text(sys_ni.read_text() + "/* staged */\n")
    git(repo, "add", "-A")
    sys_ni.write_text(sys_ni.read_text() + "/* not staged: read from the index */\n")
    _STATE["events"].clear()
    _STATE["callers"].clear()
    _STATE["armed"] = True
    try:
        series_code = main(["check", str(repo), "--base", "HEAD~1"])
        staged_code = main(["check", "--staged", str(repo)])
    finally:
        _STATE["armed"] = False
    capsys.readouterr()
    assert (series_code, staged_code) == (0, 0)
    assert _STATE["callers"] and set(_STATE["callers"]) == {("ckptlint.gitview", "git")}

