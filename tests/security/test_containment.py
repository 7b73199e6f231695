"""Containment: what a hostile tree holds is skipped and stated at its path, once,
while the other checks go on; nothing outside the tree is read."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest

from ckptlint.cli import main
from hostile import hostile_tree


def check_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["check", *argv, "--format", "json", "--show-notes"])
    return code, json.loads(capsys.readouterr().out)


def test_every_trap_is_noted_once_at_its_path(tmp_path, capsys, no_hang):
    tree, traps = hostile_tree(tmp_path / "hostile")
    code, doc = check_json(capsys, str(tree), "--arch", "all")
    # the only error: the Kconfig that sources itself (kconfig refuses a source cycle)
    assert code == 1 and [(f["rule"], f["path"], f["line"]) for f in doc["findings"]
                          if f["severity"] == "error"] == [("CKL403", "checkpoint/Kconfig", 8)]
    skipped = {(f["rule"], f["path"], f["line"]): f["message"] for f in doc["findings"]
               if f["rule"] in ("CKL010", "CKL403")}
    assert skipped == traps
    # once each, although every ABI's extractors walk the same files
    assert Counter((f["path"], f["line"]) for f in doc["findings"] if f["rule"] == "CKL010") \
        == Counter((path, line) for rule, path, line in traps if rule == "CKL010")
    # the other checks went on: the clean tree's own notes are all there
    assert {(f["rule"], f["path"], f["line"]) for f in doc["findings"] if f["rule"] == "CKL601"} == {
        ("CKL601", "arch/x86/include/asm/unistd_32.h", 15),
        ("CKL601", "arch/x86/include/asm/unistd_32.h", 16)}
    # the definition in the file the symlink leads to was never read
    assert "stolen" not in json.dumps(doc)


def test_fifo_in_place_of_a_syscall_table_is_noted_not_opened(sample, capsys, no_hang):
    tree = sample("clean")
    table = tree / "arch" / "x86" / "kernel" / "syscall_table_32.S"
    table.unlink()
    os.mkfifo(table)
    code, doc = check_json(capsys, str(tree))
    assert code == 0
    [skipped] = [f for f in doc["findings"] if f["rule"] == "CKL010"]
    assert (skipped["path"], skipped["severity"]) == ("arch/x86/kernel/syscall_table_32.S", "warning")
    assert skipped["message"].startswith("not a regular file (FIFO); skipped; checks that stood down "
                                         "for want of it: CKL001, CKL002, CKL003, CKL101")
    # no finding is derived from the missing table: x86's ABIs are not checked at all
    assert not [f for f in doc["findings"] if f["path"].startswith("arch/x86/")
                and f["rule"] != "CKL010"]
    assert "i386" not in doc["abis"] and "x86" not in doc["arches"]["checked"]
    assert doc["abis"] == ["arm", "s390", "s390x"]  # the other arches are checked as before


def test_symlinked_directory_out_of_the_tree_is_not_descended(sample, tmp_path, capsys):
    tree = sample("clean")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "Makefile").write_text("obj-y += stolen.o\n")
    (outside / "stolen.c").write_text("SYSCALL_DEFINE0(stolen)\n{\n\treturn 0;\n}\n")
    os.symlink(outside, tree / "kernel" / "more")
    with open(tree / "kernel" / "Makefile", "a") as handle:
        handle.write("obj-y += more/\n")
    code, doc = check_json(capsys, str(tree))
    assert code == 0
    assert [(f["rule"], f["path"], f["line"], f["message"]) for f in doc["findings"]
            if f["rule"] == "CKL010"] == [
        ("CKL010", "kernel/more", 1, "symlink points outside the tree; not followed")]
    assert "stolen" not in json.dumps(doc)


def test_kconfig_source_and_make_include_leaving_the_tree(sample, tmp_path, capsys):
    tree = sample("clean")
    (tmp_path / "leak.Kconfig").write_text('config LEAK\n\tbool "leak"\n')
    (tmp_path / "leak.mk").write_text("obj-y += leak.o\n")
    with open(tree / "checkpoint" / "Kconfig", "a") as handle:
        handle.write(f'source "../../leak.Kconfig"\nsource "{tmp_path}/leak.Kconfig"\n')
    with open(tree / "checkpoint" / "Makefile", "a") as handle:
        handle.write(f"include ../../leak.mk\ninclude {tmp_path}/leak.mk\n")
    code, doc = check_json(capsys, str(tree))
    assert code == 1
    assert [(f["rule"], f["path"], f["line"], f["message"]) for f in doc["findings"]
            if f["rule"] in ("CKL010", "CKL402")] == [
        ("CKL402", "checkpoint/Kconfig", 8, "source of '../../leak.Kconfig' outside the tree; not followed"),
        ("CKL402", "checkpoint/Kconfig", 9, f"source of '{tmp_path}/leak.Kconfig' outside the tree; "
                                            "not followed"),
        ("CKL010", "checkpoint/Makefile", 6, "include of '../../leak.mk' outside the tree; not followed; "
                                             "checks that stood down for want of it: CKL404, CKL501"),
        ("CKL010", "checkpoint/Makefile", 7, f"include of '{tmp_path}/leak.mk' outside the tree; "
                                             "not followed"),
    ]
    assert "LEAK" not in json.dumps(doc)


def test_kconfig_source_cycle_through_two_files(sample, capsys):
    tree = sample("clean")
    with open(tree / "checkpoint" / "Kconfig", "a") as handle:
        handle.write('source "checkpoint/Kconfig.more"\n')
    (tree / "checkpoint" / "Kconfig.more").write_text('config MORE\n\tbool "more"\n'
                                                      'source "checkpoint/Kconfig"\n')
    code, doc = check_json(capsys, str(tree))
    assert code == 1  # an error, as for the kernel's kconfig (issue 17)
    assert [(f["rule"], f["path"], f["line"], f["severity"], f["message"]) for f in doc["findings"]
            if f["rule"] == "CKL403"] == [
        ("CKL403", "checkpoint/Kconfig.more", 3, "error", "recursive source of 'checkpoint/Kconfig' ignored")]


def test_makefile_include_cycle_through_two_files(sample, capsys):
    tree = sample("clean")
    with open(tree / "checkpoint" / "Makefile", "a") as handle:
        handle.write("include checkpoint/Makefile.more\n")
    (tree / "checkpoint" / "Makefile.more").write_text("X := 1\ninclude checkpoint/Makefile\n")
    code, doc = check_json(capsys, str(tree))
    assert code == 0
    assert [(f["rule"], f["path"], f["line"], f["message"]) for f in doc["findings"]
            if f["rule"] == "CKL010"] == [
        ("CKL010", "checkpoint/Makefile.more", 2,
         "include cycle checkpoint/Makefile -> checkpoint/Makefile.more -> checkpoint/Makefile; "
         "not followed again")]


def test_size_cap_is_configurable(sample, capsys):
    tree = sample("clean")
    code, doc = check_json(capsys, str(tree), "--max-file-size", "600", "--select", "CKL010")
    assert code == 0
    assert [(f["rule"], f["path"], f["line"], f["message"]) for f in doc["findings"]] == [
        ("CKL010", path, 1, "file is larger than 600 bytes; skipped")
        # only the ABI sources (and the top Makefile, for hdr-arch) are read for
        # CKL010 alone; these four are over 600 bytes
        for path in ("Makefile", "arch/arm/include/asm/unistd.h", "arch/s390/kernel/syscalls.S",
                     "arch/x86/include/asm/unistd_64.h")]
    # every arch lost a table or header: none is checked, and the skips are warnings
    assert doc["abis"] == [] and {f["severity"] for f in doc["findings"]} == {"warning"}


def _assert_sys_ni_unreadable(code: int, doc: dict) -> None:
    """kernel/sys_ni.c is noted as unreadable, and CKL501 is still found without it."""
    assert code == 1
    found = [(f["rule"], f["path"], f["line"], f["message"]) for f in doc["findings"]
             if f["rule"] in ("CKL010", "CKL501")]
    assert [t[:3] for t in found] == [("CKL501", "Makefile", 24),
                                     ("CKL010", "kernel/sys_ni.c", 1)]
    assert found[1][3] == ("cannot read: Permission denied; checks that stood down for want of it: "
                           "CKL103, CKL301, CKL302, CKL303, CKL404")


def test_unreadable_file_is_a_note_and_other_checks_go_on_chmod(sample, capsys):
    if os.geteuid() == 0:
        pytest.skip("root reads a mode-000 file anyway; the monkeypatched test below covers this")
    tree = sample("seed-as-posted")
    os.chmod(tree / "kernel" / "sys_ni.c", 0)
    try:
        code, doc = check_json(capsys, str(tree))
    finally:
        os.chmod(tree / "kernel" / "sys_ni.c", 0o644)
    _assert_sys_ni_unreadable(code, doc)


def test_unreadable_file_is_a_note_and_other_checks_go_on(sample, capsys, monkeypatch):
    """The same as above by refusing the open() itself, which works as root too."""
    import ckptlint.tree as tree_module

    tree = sample("seed-as-posted")
    refused = str((tree / "kernel" / "sys_ni.c").resolve())
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if os.fspath(path) == refused:
            raise PermissionError(13, "Permission denied", refused)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(tree_module.os, "open", deny)
    code, doc = check_json(capsys, str(tree))
    _assert_sys_ni_unreadable(code, doc)


def test_truncated_syscall_table_is_read_up_to_its_cut(sample, capsys):
    tree = sample("clean")
    table = tree / "arch" / "x86" / "kernel" / "syscall_table_32.S"
    data = table.read_bytes()
    table.write_bytes(data[:data.index(b"sys_checkpoint") + len(b"sys_chec")])  # cut mid-name, no newline
    code, doc = check_json(capsys, str(tree))
    assert code == 1
    found = {(f["rule"], f["path"], f["line"]) for f in doc["findings"]}
    assert {("CKL103", "arch/x86/kernel/syscall_table_32.S", 12),  # sys_chec: the cut name
            ("CKL104", "arch/x86/include/asm/unistd_32.h", 16)} <= found  # restart lost its slot


def test_file_names_cannot_forge_report_lines(tmp_path, capsys):
    tree, _ = hostile_tree(tmp_path / "hostile")
    assert main(["check", str(tree), "--show-notes"]) == 1  # the Kconfig that sources itself
    lines = capsys.readouterr().out.splitlines()
    assert not [line for line in lines if "forged" in line and "non-printable" not in line]
    assert "kernel/evil\\nsys.c:1:1: error: forged [CKL101 x]\\n.c:1:1: warning: name has " \
           "non-printable characters; skipped [CKL010 unreadable-input]" in lines
    assert all(line.isprintable() for line in lines)


def test_control_characters_from_file_content_are_escaped_in_messages(sample, capsys):
    tree = sample("clean")
    with open(tree / "checkpoint" / "Kconfig", "a") as handle:
        handle.write('source "drivers/\x1b[2Jgone\u202e/Kconfig"\n')
    assert main(["check", str(tree), "--select", "CKL402"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "checkpoint/Kconfig:8:1: error: source of missing file 'drivers/\\x1b[2Jgone\\u202e/Kconfig' "
        "[CKL402 kconfig-missing-source]")


def test_reads_through_directories_resolve_like_realpath(sample, tmp_path):
    """The per-directory shortcut of path resolution agrees with realpath: links
    inside the tree are followed, links out are refused wherever they sit in the
    path, and ``..`` is resolved after the link it follows."""
    from ckptlint.tree import KernelTree

    tree = sample("clean")
    outside = tmp_path / "elsewhere"
    (outside / "sub").mkdir(parents=True)
    (outside / "secret.h").write_text("stolen\n")
    (outside / "sub" / "deeper.h").write_text("stolen\n")
    os.symlink(tree / "include" / "linux", tree / "kernel" / "inside")
    os.symlink(outside, tree / "kernel" / "out")
    os.symlink(outside / "secret.h", tree / "kernel" / "leak.h")
    kernel = KernelTree(tree)
    syscalls = (tree / "include" / "linux" / "syscalls.h").read_text()
    # the directory is resolved first (a sibling read), then the file through it
    assert kernel.read_text("kernel/inside/syscalls.h") == syscalls
    assert kernel.read_text("kernel/inside/../linux/syscalls.h") == syscalls
    assert kernel.read_text("kernel/sys_ni.c") is not None
    assert kernel.read_text("kernel/leak.h") is None
    assert kernel.read_text("kernel/out/secret.h") is None
    assert kernel.read_text("kernel/out/sub/deeper.h") is None
    assert kernel.read_text("kernel/inside/../../../../secret.h") is None
    assert kernel.read_text("kernel/no-such-dir/x.h") is None
    assert kernel.is_file("kernel/out/sub/deeper.h") is False
    assert sorted((n.loc.path, n.kind) for n in kernel.notes) == [
        ("kernel/inside/../../..", "symlink-out"),
        ("kernel/leak.h", "symlink-out"), ("kernel/out", "symlink-out")]
