"""The slot scanner: padding measured by labels, files included twice, #ifdef of known names."""

from __future__ import annotations

from ckptlint.extract import arch26
from ckptlint.extract.asmslots import data_row, scan_slots
from ckptlint.extract.arch26 import _start
from treeutil import make_tree

# arm's calls.S of 2.6.12-2.6.14: entry-common.S includes it twice, the first
# time for the count (NR_syscalls undefined), the second for the table.
ARM_2612_CALLS = """\
/* This file is included twice in entry-common.S */
#ifndef NR_syscalls
#define NR_syscalls 8
#else

__syscall_start:
/* 0 */\t\t.long\tsys_restart_syscall
\t\t.long\tsys_exit
\t\t.long\tsys_fork_wrapper
__syscall_end:

\t\t.rept\tNR_syscalls - (__syscall_end - __syscall_start) / 4
\t\t\t.long\tsys_ni_syscall
\t\t.endr
#endif
"""
ARM_2612_UNISTD = """\
#if defined(__thumb__)
#define __NR_SYSCALL_BASE\t0
#else
#define __NR_SYSCALL_BASE\t0x900000
#endif
#define __NR_restart_syscall\t\t(__NR_SYSCALL_BASE+  0)
#define __NR_exit\t\t\t(__NR_SYSCALL_BASE+  1)
#define __NR_fork\t\t\t(__NR_SYSCALL_BASE+  2)
"""


def test_arm_2612_calls_second_inclusion_padded_to_its_own_count(tmp_path):
    tree = make_tree(tmp_path, {"arch/arm/kernel/calls.S": ARM_2612_CALLS,
                                "include/asm-arm/unistd.h": ARM_2612_UNISTD}, ("arm",))
    arm = {t.label: t for t in arch26.extract(tree)}["arm"]
    assert [(e.position, e.entry, e.compat, e.loc.line) for e in arm.entries] == [
        (0, "sys_restart_syscall", "sys_restart_syscall", 7),
        (1, "sys_exit", "sys_exit", 8),
        (2, "sys_fork_wrapper", "sys_fork_wrapper", 9),
    ] + [(n, "sys_ni_syscall", "sys_ni_syscall", 13) for n in range(3, 8)]
    assert [(n.name, n.number, n.loc.path, n.loc.line) for n in arm.numbers] == [
        ("restart_syscall", 0, "include/asm-arm/unistd.h", 6), ("exit", 1, "include/asm-arm/unistd.h", 7),
        ("fork", 2, "include/asm-arm/unistd.h", 8)]
    assert arm.count is None  # the 2.6.12 header has no NR_syscalls; calls.S's is a padding target


def test_an_end_label_that_no_rept_measures_ends_the_table(tmp_path):
    tree = make_tree(tmp_path, {"t.S": "table:\n\t.quad a\nend_of_it:\n\t.quad b\n"})
    assert [s.cols for s in scan_slots(tree, "t.S", data_row, _start("table"))] == [("a",)]


def test_ia32_style_padding_to_a_header_constant(tmp_path):
    tree = make_tree(tmp_path, {"e.S": ("ia32_sys_call_table:\n\t.quad sys_exit\n\t.quad sys_read\n"
                                        "ia32_syscall_end:\t\t\n"
                                        "\t.rept IA32_NR_syscalls-(ia32_syscall_end-ia32_sys_call_table)/8\n"
                                        "\t\t.quad ni_syscall\n\t.endr\n")})
    slots = scan_slots(tree, "e.S", data_row, _start("ia32_sys_call_table"),
                       constants={"IA32_NR_syscalls": 5})
    assert [(s.cols[0], s.loc.line) for s in slots] == [
        ("sys_exit", 2), ("sys_read", 3), ("ni_syscall", 6), ("ni_syscall", 6), ("ni_syscall", 6)]


def test_ifdef_of_a_first_pass_define_is_decided_in_the_second(tmp_path):
    tree = make_tree(tmp_path, {"c.S": ("#ifndef counted\n#define counted\n.equ pad, 2\n#else\n"
                                        "\t.long a\n.rept pad\n\t.long b\n.endr\n#endif\n")})
    # one pass: the first branch, no rows; twice: `counted` and `pad` of the first pass hold
    assert scan_slots(tree, "c.S", data_row, None) == []
    assert [(s.cols[0], s.loc.line) for s in scan_slots(tree, "c.S", data_row, None, twice=True)] == [
        ("a", 5), ("b", 7), ("b", 7)]
    assert scan_slots(tree, "missing.S", data_row, None) is None


def test_llong_rows_and_csym_names(tmp_path):
    assert data_row("\t.llong .sys_restart_syscall") == [(".sys_restart_syscall",)]
    assert data_row("\t.long CSYM(sys_exit)") == [("sys_exit",)]
    assert data_row("\t.long C_SYMBOL_NAME(sys_read), sys_write") == [("sys_read",), ("sys_write",)]
