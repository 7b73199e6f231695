"""The pre-commit hook: ``check --staged``, its manifest, and the real framework offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GIT_ENV, add_frob, edit, git, make_repo, snapshot

from ckptlint.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLE = "arch/x86/kernel/syscall_table_32.S"
SHIFTED = [
    f"{TABLE}:12:2: error: sys_getpid is at table position 9, but __NR_getpid is 8 (entries from "
    "here are shifted by +1) (i386) [CKL101 table-position-mismatch]",
    "arch/x86/include/asm/unistd_32.h:14:1: note: __NR_getpid is 8",
    f"{TABLE}:14:2: error: the i386 table has 12 entries, but NR_syscalls is 11 (i386) "
    "[CKL102 table-length-mismatch]",
    "arch/x86/include/asm/unistd_32.h:20:1: note: NR_syscalls is defined here",
        "2 findings (2 errors, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64",
]


def shift_table(repo: Path) -> None:
    """A stray hole before sys_getpid: every later entry moves by one."""
    edit(repo / TABLE, "\t.long sys_getpid\n", "\t.long sys_ni_syscall\n\t.long sys_getpid\n")


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "linux")


def test_manifest_is_valid_and_runs_whatever_is_staged():
    """No ``files`` filter: a staged file of any name may be read (``include dirs.mk``);
    ckptlint decides from what its run read, not pre-commit from names."""
    clientlib = pytest.importorskip("pre_commit.clientlib",
                                    reason="pre-commit is not installed (pip install '.[test]')")
    hooks = clientlib.load_manifest(str(REPO_ROOT / ".pre-commit-hooks.yaml"))
    assert [h["id"] for h in hooks] == ["ckptlint"]
    hook = hooks[0]
    assert (hook["entry"], hook["language"], hook["pass_filenames"], hook["files"]) == (
        "ckptlint check --staged .", "python", False, "")


def test_nothing_staged_exits_zero_without_loading_the_checker(repo):
    """Any staged file may be read (a Makefile can include it under any name), so only an
    empty index change takes the fast path (issue 17)."""
    (repo / "README").write_text("docs only, not staged\n")
    probe = ("import sys; from ckptlint.cli import main; code = main(['check', '--staged', '.']); "
             "heavy = sorted(m for m in ('networkx', 'kconfiglib', 'pycparser', 'ckptlint.engine.run') "
             "if m in sys.modules); print(code, heavy)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, check=True)
    assert done.stdout == "0 []\n"
    assert done.stderr == ""


def test_staged_wiring_error_fails_the_hook(repo, capsys):
    shift_table(repo)
    git(repo, "add", TABLE)
    before = snapshot(repo)
    assert main(["check", "--staged", str(repo)]) == 1
    assert capsys.readouterr().out.splitlines() == SHIFTED
    assert snapshot(repo) == before  # index, HEAD, work tree: untouched


def test_the_index_is_checked_not_the_work_tree(repo, capsys):
    add_frob(repo)
    git(repo, "add", "-A")
    shift_table(repo)  # broken, but not staged
    (repo / "kernel/dup.c").write_text("SYSCALL_DEFINE0(getpid)\n{\n\treturn 0;\n}\n")  # untracked
    assert main(["check", str(repo)]) == 1  # the work tree itself is broken
    capsys.readouterr()
    assert main(["check", "--staged", str(repo)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "0 findings (0 errors, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64")


def test_a_staged_error_fixed_only_in_the_work_tree_still_fails(repo, capsys):
    shift_table(repo)
    git(repo, "add", TABLE)
    git(repo, "checkout", "--", TABLE)  # the work tree is clean again, the index is not
    assert main(["check", "--staged", str(repo)]) == 1
    assert capsys.readouterr().out.splitlines() == SHIFTED


def _break_close_on_arm(repo: Path) -> None:
    """A committed mistake: arm's table calls a function nothing defines (CKL103)."""
    edit(repo / "arch/arm/kernel/calls.S", "CALL(sys_close)", "CALL(sys_closee)")
    git(repo, "commit", "-q", "-am", "a mistake already in HEAD")


def test_staged_reports_what_the_change_introduces_and_all_the_whole_picture(repo, capsys):
    """The hook judges the commit, not the tree: HEAD's own error is not the staged change's,
    and does not fail it; --all shows it."""
    from ckptlint.engine import run as engine_run

    _break_close_on_arm(repo)
    (repo / "README").write_text("docs only\n")
    git(repo, "add", "README")
    table = repo / TABLE  # touched, not changed: an editor's save of the same text
    (repo / "saved.tmp").write_bytes(table.read_bytes())
    os.replace(repo / "saved.tmp", table)
    calls = []
    original = engine_run.run
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(engine_run, "run", lambda *a, **k: calls.append(a[0]) or original(*a, **k))
        assert main(["check", "--staged", str(repo)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "0 findings (0 errors, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64"]
    # README is read by no check, and the table was only touched: the work tree's own run
    # (the cache's, on a real tree) answers; HEAD's and the staged view's are not needed
    assert [tree.on_disk for tree in calls] == [True]
    assert main(["check", "--staged", "--all", str(repo)]) == 1
    assert [line.split(": error: ")[0] for line in capsys.readouterr().out.splitlines()
            if ": error: " in line] == ["arch/arm/kernel/calls.S:8:3"]
    shift_table(repo)
    git(repo, "add", TABLE)
    assert main(["check", "--staged", str(repo)]) == 1
    assert capsys.readouterr().out.splitlines() == SHIFTED  # the shift alone


# -- the real pre-commit framework, offline ---------------------------------------------------
def _offline_env(home: Path, wheels: Path) -> dict[str, str]:
    """pre-commit builds the hook's virtualenv offline: no index, ckptlint's runtime
    dependencies from a wheelhouse packed from this interpreter's own installed
    distributions, no build isolation (the virtualenv's seeded setuptools builds
    ckptlint), no system site-packages, no network."""
    env = {k: v for k, v in GIT_ENV.items() if not k.startswith(("PIP_", "VIRTUALENV_"))}
    env.update({"PRE_COMMIT_HOME": str(home), "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels),
                "PIP_NO_BUILD_ISOLATION": "0", "PIP_CONFIG_FILE": os.devnull,
                "VIRTUALENV_SYSTEM_SITE_PACKAGES": "0",
                "VIRTUALENV_NO_PERIODIC_UPDATE": "1", "VIRTUALENV_NO_DOWNLOAD": "1",
                "PRE_COMMIT_COLOR": "never"})
    return env


def _runtime_requirements() -> list[str]:
    """ckptlint's run-time dependencies, by distribution name, from its installed metadata."""
    import re as _re
    from importlib import metadata

    names = []
    for requirement in metadata.requires("ckptlint") or []:
        if "extra ==" not in requirement:
            names.append(_re.match(r"[A-Za-z0-9_.-]+", requirement).group(0))
    return names


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install '.[test]')")
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("ckptlint is not a git checkout here: pre-commit try-repo needs one")
    import wheelhouse

    home = tmp_path_factory.mktemp("pre-commit-home")
    wheelhouse.build(_runtime_requirements(), home / "wheels")
    return home


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), "ckptlint"],
                          cwd=repo, capture_output=True, text=True,
                          env=_offline_env(home, home / "wheels"), check=False)


def test_pre_commit_try_repo_offline(repo, precommit_home):
    (repo / "README").write_text("docs only\n")
    git(repo, "add", "README")
    passed = try_repo(repo, precommit_home)  # a harmless change: the hook runs, and passes
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^ckptlint \(syscall wiring\)\.+Passed$", passed.stdout, re.M)
    shift_table(repo)
    git(repo, "add", TABLE)
    failed = try_repo(repo, precommit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    out = failed.stdout.splitlines()
    assert re.fullmatch(r"ckptlint \(syscall wiring\)\.+Failed", out[out.index("- hook id: ckptlint") - 1])
    assert "- exit code: 1" in out
    start = out.index(SHIFTED[0])
    assert out[start:start + len(SHIFTED)] == SHIFTED
