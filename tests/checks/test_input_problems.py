"""CKL010: what could not be read is stated at its path, and the run goes on."""

from __future__ import annotations

import os

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree


def test_symlink_out_of_the_tree_is_noted_not_followed(sample, tmp_path):
    tree = sample("clean")
    outside = tmp_path / "secret.h"
    outside.write_text("asmlinkage long sys_read(int stolen);\n")
    target = tree / "include" / "linux" / "syscalls.h"
    target.unlink()
    os.symlink(outside, target)
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL010", "CKL202"}))
    triples = [(f.rule, f.path, f.line, f.message) for f in result.findings]
    # the prototypes it would have given are unknown: CKL202 stands down, and says so
    assert triples == [("CKL010", "include/linux/syscalls.h", 1,
                        "symlink points outside the tree; not followed; checks that stood down "
                        "for want of it: CKL202")]
    assert result.findings[0].severity == "warning"


def test_oversized_file_is_noted(sample, monkeypatch):
    import ckptlint.tree as tree_module

    tree = sample("clean")
    monkeypatch.setattr(tree_module, "MAX_FILE_BYTES", 200)
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL010"}))
    paths = {f.path for f in result.findings if "larger than 200 bytes" in f.message}
    # only the extractors CKL010 needs ran: the ABI tables, each too big now, and the
    # top Makefile whose hdr-arch says where each arch's <asm/unistd.h> is
    assert paths == {"Makefile", "arch/x86/include/asm/unistd_32.h", "arch/x86/include/asm/unistd_64.h",
                     "arch/x86/kernel/syscall_table_32.S", "arch/arm/include/asm/unistd.h",
                     "arch/arm/kernel/calls.S", "arch/s390/include/asm/unistd.h",
                     "arch/s390/kernel/syscalls.S"}
    assert result.abis == []


def test_unparsable_prototype_is_a_note_not_a_mismatch(sample):
    tree = sample("clean")
    header = tree / "include" / "linux" / "syscalls.h"
    header.write_bytes(header.read_bytes().replace(
        b"asmlinkage long sys_close(unsigned int fd);",
        b"asmlinkage long sys_close(unsigned int fd, char \xff\xfe *junk);"))
    result = run(KernelTree(tree), Options(min_severity="note"))
    assert [(f.rule, f.path, f.line) for f in result.findings if f.path == "include/linux/syscalls.h"] \
        == [("CKL010", "include/linux/syscalls.h", 14)]
