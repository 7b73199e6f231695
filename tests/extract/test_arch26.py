"""2.6-era per-arch syscall tables: arm, powerpc, s390, ia32, sparc, mips, parisc."""

from __future__ import annotations

import os

import pytest

from ckptlint.extract import arch26
from ckptlint.extract.arch26_formats import cond_true
from ckptlint.facts import AbiTable
from ckptlint.tree import KernelTree
from treeutil import make_tree


def tables(tree: KernelTree) -> dict[str, AbiTable]:
    return {table.label: table for table in arch26.extract(tree)}


def rows(table: AbiTable) -> list[tuple]:
    return [(table.label, e.position, e.entry, e.compat, e.loc.line) for e in table.entries]


def numbers(table: AbiTable) -> list[tuple]:
    return [(n.name, n.number, n.loc.line) for n in table.numbers]


ARM_CALLS = """\
/* 0 */\t\tCALL(sys_restart_syscall)
\t\tCALL(OBSOLETE(sys_time))\t/* used by libc4 */
\t\tCALL(ABI(sys_pread64, sys_oabi_pread64))
\t\tCALL(OBSOLETE(ABI(sys_ipc, sys_oabi_ipc)))
\t\tCALL(sys_eclone_wrapper)
#ifndef syscalls_counted
.equ syscalls_padding, ((NR_syscalls + 3) & ~3) - NR_syscalls
#define syscalls_counted
#endif
.rept syscalls_padding
\t\tCALL(sys_ni_syscall)
.endr
"""
ARM_UNISTD = """\
#define __NR_OABI_SYSCALL_BASE\t0x900000
#if defined(__thumb__) || defined(__ARM_EABI__)
#define __NR_SYSCALL_BASE\t0
#else
#define __NR_SYSCALL_BASE\t__NR_OABI_SYSCALL_BASE
#endif
#define __NR_restart_syscall\t\t(__NR_SYSCALL_BASE+  0)
#define __NR_time\t\t\t(__NR_SYSCALL_BASE+ 1)
#define __NR_eclone\t\t\t(__NR_SYSCALL_BASE+4)
#define __ARM_NR_BASE\t\t\t(__NR_SYSCALL_BASE+0x0f0000)
#define __ARM_NR_breakpoint\t\t(__ARM_NR_BASE+1)
"""


def test_arm_calls_abi_obsolete_padding_and_relative_numbers(tmp_path):
    tree = make_tree(tmp_path, {"arch/arm/kernel/calls.S": ARM_CALLS,
                                "arch/arm/include/asm/unistd.h": ARM_UNISTD}, ("arm",))
    arm = tables(tree)["arm"]
    assert (arm.srcarch, arm.kconfig_arch, arm.kind) == ("arm", "arm", "positional")
    assert rows(arm) == [
        ("arm", 0, "sys_restart_syscall", "sys_restart_syscall", 1),
        # entry-common.S: OBSOLETE(x) is sys_ni_syscall in the EABI table, x in the OABI one
        ("arm", 1, "sys_ni_syscall", "sys_time", 2),
        ("arm", 2, "sys_pread64", "sys_oabi_pread64", 3),
        ("arm", 3, "sys_ni_syscall", "sys_oabi_ipc", 4),
        ("arm", 4, "sys_eclone_wrapper", "sys_eclone_wrapper", 5),
        ("arm", 5, "sys_ni_syscall", "sys_ni_syscall", 11),
        ("arm", 6, "sys_ni_syscall", "sys_ni_syscall", 11),
        ("arm", 7, "sys_ni_syscall", "sys_ni_syscall", 11),
    ]
    assert arm.entries[2].syscall == "pread64"
    assert numbers(arm) == [("restart_syscall", 0, 7), ("time", 1, 8), ("eclone", 4, 9)]
    assert arm.count is None


PPC_SYSTBL_H = """\
/* list */
SYSCALL(restart_syscall)
COMPAT_SYS_SPU(open)
PPC_SYS(fork)
OLDSYS(stat)
SYS32ONLY(sigreturn)
SYSX_SPU(sys_lseek,ppc32_lseek,sys_lseek)
COMPAT_SYS(sigpending)
"""
PPC_SYSTBL_S = """\
#ifdef CONFIG_PPC64
#define SYSCALL(func)\t\t.llong\t.sys_##func,.sys_##func
#define sys_sigpending\tsys_ni_syscall
#endif
_GLOBAL(sys_call_table)
#include <asm/systbl.h>
"""
PPC_UNISTD = """\
#define __NR_restart_syscall\t  0
#define __NR_open\t\t  1
#define __NR_fork\t\t  2
#define __NR_oldstat\t\t  3
#ifndef __powerpc64__
#define __NR_sigreturn\t\t  4
#endif
#define __NR_lseek\t\t  5
#define __NR_sigpending\t\t  6
#define __NR_syscalls\t\t7
#define NR_syscalls\t__NR_syscalls
"""


def test_powerpc_macros_give_ppc64_native_compat_and_ppc32(tmp_path):
    tree = make_tree(tmp_path, {"arch/powerpc/include/asm/systbl.h": PPC_SYSTBL_H,
                                "arch/powerpc/kernel/systbl.S": PPC_SYSTBL_S,
                                "arch/powerpc/include/asm/unistd.h": PPC_UNISTD}, ("powerpc",))
    found = tables(tree)
    assert rows(found["ppc64"]) == [
        ("ppc64", 0, "sys_restart_syscall", "sys_restart_syscall", 2),
        ("ppc64", 1, "sys_open", "compat_sys_open", 3),
        ("ppc64", 2, "ppc_fork", "ppc_fork", 4),
        ("ppc64", 3, "sys_ni_syscall", "sys_ni_syscall", 5),
        ("ppc64", 4, "sys_ni_syscall", "compat_sys_sigreturn", 6),
        ("ppc64", 5, "sys_lseek", "ppc32_lseek", 7),
        ("ppc64", 6, "sys_ni_syscall", "compat_sys_sigpending", 8),  # systbl.S alias
    ]
    assert rows(found["ppc32"]) == [
        ("ppc32", 0, "sys_restart_syscall", None, 2), ("ppc32", 1, "sys_open", None, 3),
        ("ppc32", 2, "ppc_fork", None, 4), ("ppc32", 3, "sys_stat", None, 5),
        ("ppc32", 4, "sys_sigreturn", None, 6), ("ppc32", 5, "sys_lseek", None, 7),
        ("ppc32", 6, "sys_sigpending", None, 8),
    ]
    assert "sigreturn" not in [n.name for n in found["ppc64"].numbers]
    assert ("sigreturn", 4, 6) in numbers(found["ppc32"])
    assert found["ppc64"].count.value == 7 and found["ppc64"].count.loc.line == 10
    assert found["ppc64"].kconfig_arch == found["ppc32"].kconfig_arch == "powerpc"


S390_SYSCALLS = """\
/* SYSCALL(31 bit syscall, 64 bit syscall, 31 bit emulated syscall) */
#define NI_SYSCALL SYSCALL(sys_ni_syscall,sys_ni_syscall,sys_ni_syscall)

NI_SYSCALL\t\t\t\t\t\t\t/* 0 */
SYSCALL(sys_exit,sys_exit,sys32_exit_wrapper)
SYSCALL(sys_time,sys_ni_syscall,sys32_time_wrapper)\t\t/* old time syscall */
SYSCALL(sys_restart,sys_restart,sys_restore_wrapper)
SYSCALL(sys_getrlimit,sys_getrlimit,compat_sys_old_getrlimit_wrapper)
SYSCALL(sys_getuid16,sys_ni_syscall,sys32_getuid16)
"""
S390_UNISTD = """\
#define __NR_exit                 1
#define __NR_restart              3
#define __NR_getrlimit            4
#define NR_syscalls 6
#ifndef __s390x__
#define __NR_time\t\t 2
#define __NR_getuid\t\t 5
#endif
"""


def test_s390_columns_and_wrapper_mismatches(tmp_path):
    tree = make_tree(tmp_path, {"arch/s390/kernel/syscalls.S": S390_SYSCALLS,
                                "arch/s390/include/asm/unistd.h": S390_UNISTD}, ("s390",))
    found = tables(tree)
    s390x, s390 = found["s390x"], found["s390"]
    assert rows(s390x) == [
        ("s390x", 0, "sys_ni_syscall", "sys_ni_syscall", 4),
        ("s390x", 1, "sys_exit", "sys32_exit_wrapper", 5),
        ("s390x", 2, "sys_ni_syscall", "sys32_time_wrapper", 6),
        ("s390x", 3, "sys_restart", "sys_restore_wrapper", 7),
        ("s390x", 4, "sys_getrlimit", "compat_sys_old_getrlimit_wrapper", 8),
        ("s390x", 5, "sys_ni_syscall", "sys32_getuid16", 9),
    ]
    assert [(e.position, e.entry, e.compat) for e in s390.entries][1:3] == [
        (1, "sys_exit", None), (2, "sys_time", None)]
    assert [n.name for n in s390x.numbers] == ["exit", "restart", "getrlimit"]
    assert [n.name for n in s390.numbers] == ["exit", "restart", "getrlimit", "time", "getuid"]
    assert s390x.count.value == 6
    flagged = arch26.wrapper_mismatches(s390x)
    assert [(e.position, e.compat, e.loc.line) for e, _ in flagged] == [(3, "sys_restore_wrapper", 7)]
    assert "restore" in flagged[0][1] and "restart" in flagged[0][1]
    assert arch26.wrapper_mismatches(s390) == []  # no compat column on 31-bit


def test_ia32_quad_table_numbered_by_unistd_32(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/x86/ia32/ia32entry.S": (
            "\t.quad 1b,ia32_badarg\n\t.section .rodata,\"a\"\n\t.align 8\nia32_sys_call_table:\n"
            "\t.quad sys_restart_syscall\n\t.quad stub32_fork\t\t/* 1 */\n\t.quad stub32_eclone\n"
            "ia32_syscall_end:\n"),
        "arch/x86/include/asm/unistd_32.h": (
            "#define __NR_restart_syscall 0\n#define __NR_fork 1\n#define __NR_eclone 2\n"
            "#define NR_syscalls 3\n")}, ("x86",))
    ia32 = tables(tree)["ia32"]
    assert (ia32.srcarch, ia32.kconfig_arch) == ("x86", "x86_64")
    assert rows(ia32) == [("ia32", 0, "sys_restart_syscall", None, 5),
                          ("ia32", 1, "stub32_fork", None, 6), ("ia32", 2, "stub32_eclone", None, 7)]
    assert ia32.entries[2].syscall == "eclone" and ia32.count.value == 3
    assert numbers(ia32)[-1] == ("eclone", 2, 3)


SPARC_64 = """\
\t.text
#ifdef CONFIG_COMPAT
\t.globl sys_call_table32
sys_call_table32:
/*0*/\t.word sys_restart_syscall, sys32_exit, sys_fork
\t.word sys_read, compat_sys_time
#endif /* CONFIG_COMPAT */
\t.globl sys_call_table64, sys_call_table
sys_call_table64:
sys_call_table:
/*0*/\t.word sys_restart_syscall, sparc_exit, sys_fork
\t.word sys_read, sys_nis_syscall
"""
SPARC_32 = """\
sys_call_table:
/*0*/\t.long sys_restart_syscall, sys_exit, sys_fork
/*3*/\t.long sys_read, sys_time
\t.globl sunos_sys_table
sunos_sys_table:
\t.long sunos_nosys
"""
SPARC_UNISTD = """\
#ifndef __32bit_syscall_numbers__
#ifndef __arch64__
#define __32bit_syscall_numbers__
#endif
#endif
#define __NR_restart_syscall 0
#define __NR_exit 1
#define __NR_fork 2
#define __NR_read 3
#ifdef __32bit_syscall_numbers__
#define __NR_time 4
#endif
#define NR_syscalls 5
"""


def test_sparc_word_rows_and_table32_as_compat(tmp_path):
    tree = make_tree(tmp_path, {"arch/sparc/kernel/systbls_64.S": SPARC_64,
                                "arch/sparc/kernel/systbls_32.S": SPARC_32,
                                "arch/sparc/include/asm/unistd.h": SPARC_UNISTD}, ("sparc",))
    found = tables(tree)
    assert rows(found["sparc64"]) == [
        ("sparc64", 0, "sys_restart_syscall", "sys_restart_syscall", 11),
        ("sparc64", 1, "sparc_exit", "sys32_exit", 11),
        ("sparc64", 2, "sys_fork", "sys_fork", 11),
        ("sparc64", 3, "sys_read", "sys_read", 12),
        ("sparc64", 4, "sys_nis_syscall", "compat_sys_time", 12),
    ]
    assert rows(found["sparc32"]) == [
        ("sparc32", 0, "sys_restart_syscall", None, 2), ("sparc32", 1, "sys_exit", None, 2),
        ("sparc32", 2, "sys_fork", None, 2), ("sparc32", 3, "sys_read", None, 3),
        ("sparc32", 4, "sys_time", None, 3)]
    assert [n.name for n in found["sparc64"].numbers] == ["restart_syscall", "exit", "fork", "read"]
    assert ("time", 4, 11) in numbers(found["sparc32"])
    assert (found["sparc32"].kconfig_arch, found["sparc64"].kconfig_arch) == ("sparc", "sparc64")


MIPS_O32 = """\
\t.macro\tfifty ptr, nargs, from=1, to=50
\tsys\t\\ptr\t\t\\nargs
\t.endm
\t.macro\tsyscalltable
\tsys\tsys_syscall\t\t8\t/* 4000 */
\tsys\tsys_exit\t\t1
\tsys\tsys_nanosleep,\t\t2
#ifdef CONFIG_MIPS_MT_FPAFF
\tsys\tmipsmt_sys_sched_setaffinity\t3
#else
\tsys\tsys_sched_setaffinity\t3
#endif
\t.endm
\t.macro  sys function, nargs
\tPTR\t\\function
\t.endm
EXPORT(sys_call_table)
\tsyscalltable
\t.size\tsys_call_table, . - sys_call_table
"""
MIPS_UNISTD = """\
#if _MIPS_SIM == _MIPS_SIM_ABI32
#define __NR_Linux\t\t\t4000
#define __NR_syscall\t\t\t(__NR_Linux +   0)
#define __NR_exit\t\t\t(__NR_Linux +   1)
#define __NR_nanosleep\t\t\t(__NR_Linux +   2)
#define __NR_sched_setaffinity\t\t(__NR_Linux +   3)
#define __NR_Linux_syscalls\t\t3
#endif
#define __NR_O32_Linux\t\t\t4000
#if _MIPS_SIM == _MIPS_SIM_ABI64
#define __NR_Linux\t\t\t5000
#define __NR_read\t\t\t(__NR_Linux +   0)
#define __NR_Linux_syscalls\t\t0
#endif
#define __NR_64_Linux\t\t\t5000
"""


def test_mips_o32_sys_macro_table_and_sectioned_header(tmp_path):
    tree = make_tree(tmp_path, {"arch/mips/kernel/scall32-o32.S": MIPS_O32,
                                "arch/mips/include/asm/unistd.h": MIPS_UNISTD}, ("mips",))
    o32 = tables(tree)["mips-o32"]
    assert rows(o32) == [("mips-o32", 0, "sys_syscall", None, 5), ("mips-o32", 1, "sys_exit", None, 6),
                         ("mips-o32", 2, "sys_nanosleep", None, 7),
                         ("mips-o32", 3, "mipsmt_sys_sched_setaffinity", None, 9)]
    assert numbers(o32) == [("syscall", 0, 3), ("exit", 1, 4), ("nanosleep", 2, 5),
                            ("sched_setaffinity", 3, 6)]
    assert o32.count.value == 4 and o32.count.loc.line == 7  # last number + 1


def test_parisc_entry_macros_three_views(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/parisc/kernel/syscall_table.S": (
            "#define ENTRY_SAME(_name_) .dword sys_##_name_\n"
            "\tENTRY_SAME(restart_syscall)\t/* 0 */\n\tENTRY_DIFF(execve_wrapper)\n"
            "\tENTRY_UHOH(sgetmask)\n\tENTRY_OURS(pread64)\n\tENTRY_COMP(time)\n"),
        "arch/parisc/include/asm/unistd.h": (
            "#define __NR_Linux 0\n#define __NR_time (__NR_Linux + 4)\n"
            "#define __NR_Linux_syscalls (__NR_time + 1)\n")}, ("parisc",))
    found = tables(tree)
    assert [(e.entry, e.compat) for e in found["parisc64"].entries] == [
        ("sys_restart_syscall", "sys_restart_syscall"), ("sys_execve_wrapper", "sys32_execve_wrapper"),
        ("sys_sgetmask", "sys32_unimplemented"), ("sys_pread64", "parisc_pread64"),
        ("sys_time", "compat_sys_time")]
    assert [e.entry for e in found["parisc"].entries][3:] == ["parisc_pread64", "sys_time"]
    assert found["parisc"].count.value == 5 and numbers(found["parisc"]) == [("time", 4, 2)]


def test_rept_to_nr_syscalls_and_comment_operands(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/m68knommu/kernel/syscalltable.S": (
            "ENTRY(sys_call_table)\n\t.long sys_ni_syscall\t; 0 - old setup, used\n"
            "\t.long sys_exit\n\t.rept NR_syscalls-(.-sys_call_table)/4\n"
            "\t\t.long sys_ni_syscall\n\t.endr\n"),
        "arch/m68k/include/asm/unistd.h": "#define __NR_exit 1\n#define NR_syscalls\t\t4\n",
        # the top Makefile's hdr-arch (2.6.29-2.6.38) points m68knommu at m68k's headers
        "Makefile": "hdr-arch  := $(SRCARCH)\n\nifeq ($(ARCH),m68knommu)\n       hdr-arch  := m68k\nendif\n"},
        ("m68knommu", "m68k"))
    table = tables(tree)["m68knommu"]
    assert [(e.position, e.entry, e.loc.line) for e in table.entries] == [
        (0, "sys_ni_syscall", 2), (1, "sys_exit", 3), (2, "sys_ni_syscall", 5), (3, "sys_ni_syscall", 5)]


def test_cond_true_expressions():
    macros = {"__ARM_EABI__": "1", "_MIPS_SIM": "1", "_MIPS_SIM_ABI32": "1", "_MIPS_SIM_ABI64": "3"}
    value = {"_MIPS_SIM": 1, "_MIPS_SIM_ABI32": 1, "_MIPS_SIM_ABI64": 3}.get
    assert cond_true("defined(__thumb__) || defined(__ARM_EABI__)", macros, value)
    assert not cond_true("defined(__ARM_EABI__) && !defined(__KERNEL__) && 0", macros, value)
    assert cond_true("_MIPS_SIM == _MIPS_SIM_ABI32", macros, value)
    assert not cond_true("(_MIPS_SIM == _MIPS_SIM_ABI64)", macros, value)
    assert cond_true("!defined(CONFIG_AEABI) || defined(CONFIG_OABI_COMPAT)", macros, value)


def test_absent_arches_give_nothing(tmp_path):
    assert arch26.extract(make_tree(tmp_path, {}, ("arm", "s390"))) == []


ECLONE_LABELS = {"ia32": "arch/x86/include/asm/unistd_32.h", "arm": "arch/arm/include/asm/unistd.h",
                 "ppc64": "arch/powerpc/include/asm/unistd.h", "s390x": "arch/s390/include/asm/unistd.h"}


@pytest.mark.realtree
def test_realtree_tables_and_eclone_wiring():
    root = os.environ.get("CKPTLINT_REALTREE")
    if not root:
        pytest.skip("CKPTLINT_REALTREE is not set (path of a real kernel tree)")
    tree = KernelTree(root)
    if tree.era != "2.6":
        pytest.skip("2.6-era arch tables: CKPTLINT_REALTREE is a .tbl-era tree")
    found = tables(tree)
    for label in ("ia32", "arm", "ppc64", "ppc32", "s390x", "s390", "sparc64", "mips-o32"):
        table = found[label]
        assert len(table.entries) > 250 and len(table.numbers) > 250, label
        assert [e.position for e in table.entries] == list(range(len(table.entries))), label
        assert max(n.number for n in table.numbers) < len(table.entries), label
    if "__NR_eclone" not in (tree.read_text("arch/x86/include/asm/unistd_32.h") or ""):
        return
    for label in ECLONE_LABELS:
        table = found[label]
        (number,) = [n.number for n in table.numbers if n.name == "eclone"]
        entry = [e for e in table.entries if e.position == number][0]
        assert "eclone" in entry.entry, (label, number, entry)
