"""Table length against NR_syscalls: a guard slot past the end is not a stray entry."""

from __future__ import annotations

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree

TABLE = "arch/x86/kernel/syscall_table_32.S"


def findings(tree):
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL102"}))
    return [(f.rule, f.path, f.line) for f in result.findings]


def test_one_hole_past_the_end_is_a_guard_slot(sample):
    # avr32 2.6.20-2.6.29: ".long sys_ni_syscall /* r8 is saturated at nr_syscalls */"
    tree = sample("clean")
    with open(tree / TABLE, "a") as handle:
        handle.write("\t.long sys_ni_syscall\t/* r8 is saturated at nr_syscalls */\n")
    assert findings(tree) == []


def test_two_holes_past_the_end_are_a_table_too_long(sample):
    tree = sample("clean")
    with open(tree / TABLE, "a") as handle:
        handle.write("\t.long sys_ni_syscall\n\t.long sys_ni_syscall\n")
    assert findings(tree) == [("CKL102", TABLE, 15)]


def test_a_table_that_lost_its_last_entry_is_ckl104_alone(sample):
    # eclone 2.6.35 without ".long ptregs_eclone": CKL104 at the number, not also CKL102
    tree = sample("clean")
    path = tree / TABLE
    path.write_text(path.read_text().replace("\t.long sys_restart\t/* 10 */\n", ""))
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL102", "CKL104"}))
    assert [(f.rule, f.path, f.line) for f in result.findings if f.arch == "i386"] == [
        ("CKL104", "arch/x86/include/asm/unistd_32.h", 16)]
