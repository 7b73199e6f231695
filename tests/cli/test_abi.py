"""Userspace ABI breaks (CKL701) in series mode, check-patch and --staged; abi-diff."""

from __future__ import annotations

import json
import tempfile

import pytest
from gitrepo import add_frob, commit_all, edit, git, make_repo

from ckptlint.abi.model import Shape, shape, word_bits
from ckptlint.cli import main

READ_DEF = ("fs/read_write.c", "SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)",
            "SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, int, count)")
READ_PROTO = ("include/linux/syscalls.h", "char __user *buf, size_t count);",
              "char __user *buf, int count);")
READ_BREAK = ("userspace ABI break: read: argument 3 'size_t count' -> 'int count' (32-bit unsigned "
              "-> 32-bit signed) on arm, i386, s390; argument 3 'size_t count' -> 'int count' "
              "(64-bit unsigned -> 32-bit signed) on s390x, x86_64")


def resign_read(repo) -> None:
    """read's count as int in both its definition and its prototype: self-consistent."""
    for path, old, new in (READ_DEF, READ_PROTO):
        edit(repo / path, old, new)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return make_repo(tmp_path / "linux")


def test_width_model():
    assert shape("pid_t", 64) == Shape("value", 32, True)
    assert shape("size_t", 32) == Shape("value", 32, False)
    assert shape("size_t", 64) == Shape("value", 64, False)
    assert shape("const char __user *", 32) == Shape("pointer", 32, False)
    assert shape("loff_t", 32) == Shape("value", 64, True)
    assert shape("unsigned long", None) is None  # word size unknown: no shape
    assert shape("struct foo", 64) is None and shape("enum pl_code", 64) is None
    assert shape("mode_t", 64) is None  # arch-dependent typedef
    assert [word_bits(a) for a in ("i386", "x86_64", "ia32", "arm64-compat", "x32", "sh64",
                                   "um-i386", "um-x86_64")] == [32, 64, 64, 64, 64, None, 32, 64]


def test_series_reports_a_self_consistent_resigning(repo, capsys):
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    resign_read(repo)
    resigned = commit_all(repo, "fs: read count as int")
    edit(repo / "fs/read_write.c", "SYSCALL_DEFINE3(read,", "/* read */\nSYSCALL_DEFINE3(read,")
    commented = commit_all(repo, "fs: comment read")
    assert main(["check", str(repo), "--base", base]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"base {base[:12]} clean-2.6.33 sample tree: 0 findings (0 errors, 0 warnings, 0 notes)",
        f"{resigned[:12]} fs: read count as int",
        f"+ fs/read_write.c:2: error: CKL701 {READ_BREAK}",
        f"{commented[:12]} fs: comment read",  # the finding moved a line: neither + nor -
        "2 commits after base: 1 finding (1 error, 0 warnings, 0 notes) introduced, 0 fixed; "
        "head: 1 finding (1 error, 0 warnings, 0 notes)",
    ]
    # a comment-only commit on its own introduces nothing
    assert main(["check", str(repo), "--base", resigned]) == 0


def test_a_syscall_the_series_added_is_exempt(repo, capsys):
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    add_frob(repo)
    commit_all(repo, "add sys_frob")
    edit(repo / "kernel/sys.c", "SYSCALL_DEFINE2(frob, int, level,",
         "SYSCALL_DEFINE2(frob, unsigned long, level,")
    commit_all(repo, "frob takes an unsigned long")
    code = main(["check", str(repo), "--base", base, "--select", "CKL701"])
    assert "CKL701" not in capsys.readouterr().out
    assert code == 0


def test_check_patch_reports_the_break(repo, capsys):
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    resign_read(repo)
    commit_all(repo, "fs: read count as int")
    patch = repo.parent / "read.patch"
    patch.write_bytes(git(repo, "format-patch", "--stdout", f"{base}..HEAD"))
    git(repo, "checkout", "-q", base)
    assert main(["check-patch", str(patch), "--tree", str(repo)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"fs/read_write.c:2: ERROR: CKL701 {READ_BREAK}",
        "total: 1 errors, 0 warnings, 0 notes, 1 patch checked"]  # checkpatch's own wording


def test_staged_compares_with_head(repo, capsys):
    resign_read(repo)
    git(repo, "add", "-A")
    assert main(["check", str(repo), "--staged"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"fs/read_write.c:2:1: error: {READ_BREAK} [CKL701 userspace-abi-break]"
    git(repo, "commit", "-q", "-m", "read count as int")
    edit(repo / "fs/read_write.c", "SYSCALL_DEFINE3(read,", "/* read */\nSYSCALL_DEFINE3(read,")
    git(repo, "add", "-A")
    assert main(["check", str(repo), "--staged"]) == 0  # the break is HEAD's now, not staged


def test_abi_diff_between_two_revisions(repo, capsys):
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    resign_read(repo)
    edit(repo / "arch/x86/kernel/syscall_table_32.S", "\t.long sys_close\n", "\t.long sys_ni_syscall\n")
    head = commit_all(repo, "read count as int; close withdrawn on i386")
    assert main(["abi-diff", base[:12], head[:12], "--tree", str(repo)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"abi-diff {base[:12]} -> {head[:12]}: 5 ABIs compared",
        "Removed (1 syscall x ABI):",
        "  close: removed: 6 is now a hole (sys_ni_syscall) [i386]",
        "Re-signed (5 syscall x ABI):",
        "  read: argument 3 'size_t count' -> 'int count' (32-bit unsigned -> 32-bit signed) "
        "[arm, i386, s390]",
        "  read: argument 3 'size_t count' -> 'int count' (64-bit unsigned -> 32-bit signed) "
        "[s390x, x86_64]",
        "0 added, 0 renamed, 1 removed, 0 renumbered, 0 entry, 5 signature, 0 unresolved; "
        "6 userspace ABI breaks",
    ]
    assert main(["abi-diff", base[:12], head[:12], "--tree", str(repo), "--arch", "i386"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (lines[0], lines[-1]) == (
        f"abi-diff {base[:12]} -> {head[:12]}: 1 ABI compared",
        "0 added, 0 renamed, 1 removed, 0 renumbered, 0 entry, 1 signature, 0 unresolved; "
        "2 userspace ABI breaks")
    assert main(["abi-diff", base, head, "--tree", str(repo), "--fail-on-break"]) == 1
    capsys.readouterr()
    assert main(["abi-diff", base, head, "--tree", str(repo), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["breaks"] == 6
    [removed] = [c for c in doc["changes"] if c["kind"] == "removed"]
    assert (removed["abi"], removed["syscall"], removed["old"]["number_at"]) == (
        "i386", "close", "arch/x86/include/asm/unistd_32.h:12")
    assert main(["abi-diff", base, head, "--tree", str(repo), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out.splitlines()
    assert "| `close` | removed: 6 is now a hole (sys_ni_syscall) | i386 |" in markdown


def test_abi_diff_of_two_directories_and_bad_input(tmp_path, capsys):
    from samples import ROOT

    assert main(["abi-diff", str(ROOT / "clean-2.6.33"), str(ROOT / "clean-2.6.33")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "0 added, 0 renamed, 0 removed, 0 renumbered, 0 entry, 0 signature, 0 unresolved; "
        "0 userspace ABI breaks")
    assert main(["abi-diff", str(ROOT / "clean-2.6.33"), "no-such-rev", "--tree", str(tmp_path)]) == 2


def test_a_swap_is_one_table_finding_not_an_abi_break_too(repo, capsys):
    """Swapped slots break userspace, but the mistake is the table's: CKL101 names it at the
    line to edit; CKL701 does not repeat it for each number and each definition. 2.6.33's
    i386 umount slot calls sys_oldumount, a name no __NR_ has: so does close here."""
    for path, old, new in (("arch/x86/kernel/syscall_table_32.S", "\t.long sys_close\n",
                            "\t.long sys_oldclose\n"),
                           ("fs/open.c", "SYSCALL_DEFINE1(close,", "SYSCALL_DEFINE1(oldclose,"),
                           ("include/linux/syscalls.h", "sys_close(", "sys_oldclose(")):
        edit(repo / path, old, new)
    commit_all(repo, "close's entry is sys_oldclose")
    edit(repo / "arch/x86/kernel/syscall_table_32.S", "\t.long sys_open\t\t/* 5 */\n\t.long sys_oldclose\n",
         "\t.long sys_oldclose\t\t/* 5 */\n\t.long sys_open\n")
    git(repo, "add", "-A")
    assert main(["check", str(repo), "--staged", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    # (other arches still call sys_close: the base's own CKL103s)
    assert [(f["rule"], f["path"], f["line"]) for f in doc["findings"] if f["rule"] != "CKL103"] == [
        ("CKL101", "arch/x86/kernel/syscall_table_32.S", 8)]


def test_a_new_syscall_without_flags_is_a_warning_in_series_mode(repo, capsys):
    """CKL704: adding-syscalls.rst's 'Planning for Extension'. sys_frob as add_frob
    wires it takes flags; the same call with only ``int level`` does not."""
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    add_frob(repo)
    for path, old, new in (("kernel/sys.c", "SYSCALL_DEFINE2(frob, int, level, unsigned int, flags)",
                            "SYSCALL_DEFINE1(frob, int, level)"),
                           ("include/linux/syscalls.h", "sys_frob(int level, unsigned int flags)",
                            "sys_frob(int level)")):
        edit(repo / path, old, new)
    commit_all(repo, "add sys_frob without flags")
    assert main(["check", str(repo), "--base", base, "--format", "json", "--fail-on", "warning"]) == 1
    [commit] = json.loads(capsys.readouterr().out)["series"]["commits"]
    assert [(f["rule"], f["path"], f["line"], f["message"]) for f in commit["introduced"]] == [
        ("CKL704", "kernel/sys.c", 7, "new syscall frob takes int level but no flags argument: "
         "it cannot be extended without another syscall")]
    assert main(["check", str(repo)]) == 0  # a tree alone has no base: nothing to say


def test_a_tree_s_snapshot_comes_back_from_the_cache_unchanged(sample, tmp_path, monkeypatch):
    """check-patch's base is the tree as it is: its ABI snapshot is kept like a view."""
    from ckptlint.engine.options import Options
    from ckptlint.revisions import abi_base
    from ckptlint.tree import KernelTree

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tree = sample("clean")
    options = Options(use_cache=True, jobs=1)
    first = abi_base.of_tree(KernelTree(tree), options, "HEAD")
    second = abi_base.of_tree(KernelTree(tree), options, "HEAD")  # the stored one
    plain = abi_base.of_tree(KernelTree(tree), Options(use_cache=False, jobs=1), "HEAD")
    assert first.calls == second.calls == plain.calls and first.calls
    assert second.positions == plain.positions and second.words == plain.words
    assert second.label == "HEAD" and repr(second) == repr(plain)
    assert any(call.params for calls in second.calls.values() for call in calls.values())


def test_a_call_the_base_wired_brokenly_is_mended_not_broken():
    # 2.6.22-rc6 0b622330213: x86_64's __NR_timerfd was 282, signalfd's too; the fix
    # renumbered it 283, which check-patch called a userspace ABI break
    from ckptlint.abi.diff import diff
    from ckptlint.abi.snapshot import Call, Snapshot
    from ckptlint.facts import Location, Param

    at = Location("include/asm-x86_64/unistd.h", 629)
    params = (Param("int", "fd"),)
    old = Snapshot({"x86_64": {"timerfd": Call("x86_64", "timerfd", 282, at, "sys_timerfd",
                                               params=params, broken="its number is another's too")}},
                   {"x86_64": 64})
    new = Snapshot({"x86_64": {"timerfd": Call("x86_64", "timerfd", 283, at, "sys_timerfd",
                                               params=params)}}, {"x86_64": 64})
    result = diff(old, new)
    assert [(c.kind, c.breaks, c.detail) for c in result.changes] == [
        ("renumbered", False, "renumbered 282 -> 283 (the base's did not work: its number is "
                              "another's too)")]
    assert result.breaks() == []


def test_a_patch_that_mends_a_colliding_number_is_no_abi_break(sample, tmp_path, monkeypatch):
    # the same on a tree: duplicate-number has __NR_restart 9 (checkpoint's); the fix
    # gives it 10, where its table entry is
    import difflib

    from ckptlint.engine.options import Options
    from ckptlint.revisions.check_patch import check_patch
    from ckptlint.tree import KernelTree

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tree = sample("duplicate-number")
    rel = "arch/x86/include/asm/unistd_32.h"
    text = (tree / rel).read_text()
    fixed = text.replace("#define __NR_restart\t\t9", "#define __NR_restart\t\t10")
    data = "".join(difflib.unified_diff(text.splitlines(True), fixed.splitlines(True),
                                        f"a/{rel}", f"b/{rel}")).encode()
    outcome = check_patch(KernelTree(tree), data, Options(arches=None))
    assert [(f.rule, f.path, f.line) for f in outcome.introduced] == []
