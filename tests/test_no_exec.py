"""No execution: a full check never spawns a process, whatever the tree's Kconfig
and Makefiles say; and the suite-wide spawn guard (spawnguard.py, installed by conftest.py) does catch one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ckptlint.cli import main
from spawnguard import GITVIEW, PACKAGE_DIR, SpawnRefused


def test_hostile_shell_calls_are_never_run(sample, tmp_path, capsys, no_spawn_from_ckptlint):
    tree = sample("clean")
    (tree / "checkpoint" / "Kconfig").write_text(
        'config CHECKPOINT\n\tbool "c/r"\n\tdepends on $(shell,touch PWNED) CHECKPOINT_SUPPORT\n'
        '\tdefault "$(shell,touch PWNED2)"\n')
    (tree / "checkpoint" / "Makefile").write_text(
        "obj-$(CONFIG_CHECKPOINT) += sys.o $(shell touch PWNED3)\n"
        "X := $(shell touch PWNED4)\nobj-y += $(X)\nY != touch PWNED5\n")
    before = set(p.name for p in tree.iterdir()) | set(p.name for p in tmp_path.iterdir())
    code = main(["check", str(tree), "--arch", "all", "--show-notes"])
    main(["matrix", str(tree), "--syscall", "checkpoint"])
    main(["why", "CHECKPOINT", "--arch", "i386", str(tree)])
    assert no_spawn_from_ckptlint.events() == []
    assert code in (0, 1)
    after = set(p.name for p in tree.iterdir()) | set(p.name for p in tmp_path.iterdir())
    assert after == before
    assert not any(p.name.startswith("PWNED") for p in tree.rglob("*"))
    capsys.readouterr()


def _run_as(filename: str, source: str) -> None:
    """Run ``source`` as if it were code of the ckptlint module ``filename``."""
    exec(compile(source, filename, "exec"), {"subprocess": subprocess, "os": os, "sys": sys})


def test_the_guard_refuses_and_records_a_spawn_from_ckptlint_code(no_spawn_from_ckptlint):
    with pytest.raises(SpawnRefused):
        _run_as(PACKAGE_DIR + "extract/evil.py", "subprocess.run(['true'])")
    with pytest.raises(SpawnRefused):
        _run_as(PACKAGE_DIR + "extract/evil.py", "os.system('true')")
    events = no_spawn_from_ckptlint.events()
    no_spawn_from_ckptlint.clear()  # expected here: do not fail this test at teardown
    assert [e.split(":")[0] for e in events] == ["subprocess.Popen from ckptlint/extract/evil.py",
                                                 "os.system from ckptlint/extract/evil.py"]


def test_the_guard_allows_git_from_gitview_only(no_spawn_from_ckptlint):
    _run_as(GITVIEW, "subprocess.run(['git', '--version'], capture_output=True, check=True)")
    assert no_spawn_from_ckptlint.events() == []
    with pytest.raises(SpawnRefused):  # a shell, even from gitview
        _run_as(GITVIEW, "subprocess.run('git --version', shell=True)")
    with pytest.raises(SpawnRefused):  # another program from gitview
        _run_as(GITVIEW, "subprocess.run(['sh', '-c', 'git --version'])")
    with pytest.raises(SpawnRefused):  # git, but not from gitview
        _run_as(PACKAGE_DIR + "cli/commands.py", "subprocess.run(['git', '--version'])")
    events = no_spawn_from_ckptlint.events()
    no_spawn_from_ckptlint.clear()
    assert [e.split(":")[0] for e in events] == ["subprocess.Popen from ckptlint/revisions/gitview.py"] * 2 + [
        "subprocess.Popen from ckptlint/cli/commands.py"]


def test_the_guard_sees_an_exec_in_a_forked_child(no_spawn_from_ckptlint):
    pid = os.fork()  # what multiprocessing's 'fork' start method does: allowed
    if pid == 0:
        try:
            _run_as(PACKAGE_DIR + "kconfig/worker.py", "os.execv('/bin/true', ['true'])")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    events = no_spawn_from_ckptlint.events()
    no_spawn_from_ckptlint.clear()
    assert [e.split(":")[0] for e in events] == ["os.exec from ckptlint/kconfig/worker.py"]


def test_test_code_itself_may_spawn(no_spawn_from_ckptlint):
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert no_spawn_from_ckptlint.events() == []


def test_check_patch_never_spawns(sample, tmp_path, capsys, no_spawn_from_ckptlint):
    """check-patch applies in memory: no git, no patch(1), nothing from the tree."""
    tree = sample("clean")
    patch = tmp_path / "frob.patch"
    patch.write_text("--- /dev/null\n+++ b/kernel/frob.c\n@@ -0,0 +1,4 @@\n"
                     "+SYSCALL_DEFINE1(frob, int, level)\n+{\n+\treturn level;\n+}\n")
    assert main(["check-patch", str(patch), "--tree", str(tree), "--arch", "all"]) == 0
    assert no_spawn_from_ckptlint.events() == []
    assert not (tree / "kernel" / "frob.c").exists()
    capsys.readouterr()


def test_series_and_staged_modes_spawn_only_git_from_gitview(tmp_path, capsys,
                                                             no_spawn_from_ckptlint):
    """Series mode and --staged start only git, from gitview: the guard refuses anything else."""
    from gitrepo import add_frob, commit_all, git, make_repo

    repo = make_repo(tmp_path / "linux")
    add_frob(repo)
    commit_all(repo, "x86: add sys_frob")
    sys_ni = repo / "kernel/sys_ni.c"
    sys_ni.write_text(sys_ni.read_text() + "/* staged */\n")
    git(repo, "add", "-A")
    sys_ni.write_text(sys_ni.read_text() + "/* not staged: read from the index */\n")
    series_code = main(["check", str(repo), "--base", "HEAD~1"])
    staged_code = main(["check", "--staged", str(repo)])
    capsys.readouterr()
    assert (series_code, staged_code) == (0, 0)
    assert no_spawn_from_ckptlint.events() == []
