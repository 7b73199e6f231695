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
