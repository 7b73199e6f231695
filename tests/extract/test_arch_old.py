"""Old layouts (2.6.12-2.6.28): separate i386/x86_64/sparc64/ppc64 srcarches and their tables."""

from __future__ import annotations

from ckptlint.extract import arch_old
from ckptlint.extract.asmpath import asm_header
from ckptlint.facts import AbiTable
from treeutil import make_tree


def tables(tree) -> dict[str, AbiTable]:
    return {table.label: table for table in arch_old.extract(tree)}


def rows(table: AbiTable) -> list[tuple]:
    return [(e.position, e.entry, e.compat, e.loc.path, e.loc.line) for e in table.entries]


def numbers(table: AbiTable) -> list[tuple]:
    return [(n.name, n.number, n.loc.path, n.loc.line) for n in table.numbers]


I386_UNISTD = "#define __NR_restart_syscall      0\n#define __NR_exit\t\t  1\n#define __NR_fork\t\t  2\n" \
              "\n#define NR_syscalls 3\n"
X86_64_UNISTD = """\
#ifndef __SYSCALL
#define __SYSCALL(a,b)
#endif
#define __NR_read                                0
__SYSCALL(__NR_read, sys_read)
#define __NR_exit                               1
__SYSCALL(__NR_exit, sys_exit)
#define __NR_syscall_max __NR_exit
#ifndef __NO_STUBS
#define __NR__exit __NR_exit
#endif
"""
IA32_UNISTD_FULL = "#define __NR_ia32_restart_syscall 0\n#define __NR_ia32_exit\t\t  1\n" \
                   "#define __NR_ia32_fork\t\t  2\n\n#define IA32_NR_syscalls 5\t/* must be > than biggest syscall! */\n"
IA32_ENTRY = """\
\t.data
\t.align 8
\t.globl ia32_sys_call_table
ia32_sys_call_table:
\t.quad sys_restart_syscall
\t.quad sys_exit
\t.quad stub32_fork
\t/* don't forget to change IA32_NR_syscalls */
ia32_syscall_end:\t\t
\t.rept IA32_NR_syscalls-(ia32_syscall_end-ia32_sys_call_table)/8
\t\t.quad ni_syscall
\t.endr
"""


def test_i386_x86_64_and_ia32_of_2_6_12(tmp_path):
    tree = make_tree(tmp_path, {
        "include/asm-i386/unistd.h": I386_UNISTD,
        "arch/i386/kernel/syscall_table.S": ".data\nENTRY(sys_call_table)\n\t.long sys_restart_syscall\n"
                                            "\t.long sys_exit\n\t.long sys_fork\n",
        "include/asm-x86_64/unistd.h": X86_64_UNISTD,
        "include/asm-x86_64/ia32_unistd.h": IA32_UNISTD_FULL,
        "arch/x86_64/ia32/ia32entry.S": IA32_ENTRY}, ("i386", "x86_64"))
    found = tables(tree)
    i386, x86_64, ia32 = found["i386"], found["x86_64"], found["ia32"]
    assert [(t.srcarch, t.kconfig_arch, t.kind) for t in (i386, x86_64, ia32)] == [
        ("i386", "i386", "positional"), ("x86_64", "x86_64", "pairs"), ("x86_64", "x86_64", "positional")]
    assert rows(i386) == [(0, "sys_restart_syscall", None, "arch/i386/kernel/syscall_table.S", 3),
                          (1, "sys_exit", None, "arch/i386/kernel/syscall_table.S", 4),
                          (2, "sys_fork", None, "arch/i386/kernel/syscall_table.S", 5)]
    assert (i386.count.value, i386.count.loc.path, i386.count.loc.line) == (3, "include/asm-i386/unistd.h", 5)
    # __NO_STUBS, as arch/x86_64/kernel/syscall.c includes it: no __NR__exit alias
    assert numbers(x86_64) == [("read", 0, "include/asm-x86_64/unistd.h", 4),
                               ("exit", 1, "include/asm-x86_64/unistd.h", 6)]
    assert [(e.position, e.entry, e.nr_name, e.loc.line) for e in x86_64.entries] == [
        (0, "sys_read", "read", 5), (1, "sys_exit", "exit", 7)]
    # the full ia32_unistd.h of 2.6.12-2.6.16 numbers ia32, padded to IA32_NR_syscalls
    assert numbers(ia32) == [("restart_syscall", 0, "include/asm-x86_64/ia32_unistd.h", 1),
                             ("exit", 1, "include/asm-x86_64/ia32_unistd.h", 2),
                             ("fork", 2, "include/asm-x86_64/ia32_unistd.h", 3)]
    assert (ia32.count.value, ia32.count.loc.line) == (5, 5)
    assert [(e.position, e.entry, e.syscall, e.loc.line) for e in ia32.entries] == [
        (0, "sys_restart_syscall", "restart_syscall", 5), (1, "sys_exit", "exit", 6),
        (2, "stub32_fork", "fork", 7), (3, "ni_syscall", None, 11), (4, "ni_syscall", None, 11)]


def test_ia32_of_2_6_18_is_numbered_by_the_i386_header(tmp_path):
    tree = make_tree(tmp_path, {
        "include/asm-i386/unistd.h": I386_UNISTD,
        "include/asm-x86_64/ia32_unistd.h": "#define __NR_ia32_restart_syscall 0\n#define __NR_ia32_exit 1\n",
        "arch/x86_64/ia32/ia32entry.S": "ia32_sys_call_table:\n\t.quad sys_restart_syscall\n\t.quad sys_exit\n"
                                        "\t.quad stub32_fork\nia32_syscall_end:\n"}, ("x86_64",))
    ia32 = tables(tree)["ia32"]
    assert numbers(ia32) == [("restart_syscall", 0, "include/asm-i386/unistd.h", 1),
                             ("exit", 1, "include/asm-i386/unistd.h", 2), ("fork", 2, "include/asm-i386/unistd.h", 3)]
    assert (ia32.count.value, ia32.count.loc.path) == (3, "include/asm-i386/unistd.h")
    assert [e.entry for e in ia32.entries] == ["sys_restart_syscall", "sys_exit", "stub32_fork"]


POWERPC_SYSTBL_2616 = """\
#ifdef CONFIG_PPC64
#define SYSCALL(func)\t\t.llong\t.sys_##func,.sys_##func
#else
#define SYSCALL(func)\t\t.long\tsys_##func
#endif

#ifdef CONFIG_PPC64
#define sys_sigpending\tsys_ni_syscall
#endif

_GLOBAL(sys_call_table)
SYSCALL(restart_syscall)
SYSCALL(exit)
COMPAT_SYS(sigpending)
"""
PPC_MAKEFILE = ("# Temporary hack until we have migrated to asm-powerpc\n"
                "arch/$(ARCH)/include/asm:\n\t$(Q)if [ ! -d arch/$(ARCH)/include ]; then mkdir -p arch/$(ARCH)/include; fi\n"
                "\t$(Q)ln -fsn $(srctree)/include/asm-powerpc arch/$(ARCH)/include/asm\n")
POWERPC_UNISTD = "#define __NR_restart_syscall\t  0\n#define __NR_exit\t\t  1\n#define __NR_sigpending\t\t  2\n" \
                 "#define __NR_syscalls\t\t3\n"


def test_powerpc_2_6_16_inline_systbl_serves_ppc_ppc32_and_ppc64(tmp_path):
    tree = make_tree(tmp_path, {"arch/powerpc/kernel/systbl.S": POWERPC_SYSTBL_2616,
                                "arch/ppc/Makefile": PPC_MAKEFILE,
                                "include/asm-ppc/page.h": "",  # asm-ppc/ has headers, but no unistd.h
                                "include/asm-powerpc/unistd.h": POWERPC_UNISTD}, ("powerpc", "ppc"))
    found = tables(tree)
    # ARCH=ppc finds <asm/unistd.h> through its Makefile's link to include/asm-powerpc
    assert asm_header(tree, "ppc", "unistd.h") == "include/asm-powerpc/unistd.h"
    ppc, ppc32, ppc64 = found["ppc"], found["ppc32"], found["ppc64"]
    assert [(t.srcarch, t.kconfig_arch, t.path) for t in (ppc, ppc32, ppc64)] == [
        ("ppc", "ppc", "arch/powerpc/kernel/systbl.S"), ("powerpc", "powerpc", "arch/powerpc/kernel/systbl.S"),
        ("powerpc", "powerpc", "arch/powerpc/kernel/systbl.S")]
    assert rows(ppc) == [(0, "sys_restart_syscall", None, "arch/powerpc/kernel/systbl.S", 12),
                         (1, "sys_exit", None, "arch/powerpc/kernel/systbl.S", 13),
                         (2, "sys_sigpending", None, "arch/powerpc/kernel/systbl.S", 14)]
    assert [(e.entry, e.compat) for e in ppc64.entries] == [
        ("sys_restart_syscall", "sys_restart_syscall"), ("sys_exit", "sys_exit"),
        ("sys_ni_syscall", "compat_sys_sigpending")]
    assert numbers(ppc) == numbers(ppc32) == [("restart_syscall", 0, "include/asm-powerpc/unistd.h", 1),
                                              ("exit", 1, "include/asm-powerpc/unistd.h", 2),
                                              ("sigpending", 2, "include/asm-powerpc/unistd.h", 3)]
    assert ppc.count.value == 3


def test_ppc_and_ppc64_misc_s_of_2_6_12(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/ppc/kernel/misc.S": "_GLOBAL(__main)\n\tblr\n_GLOBAL(sys_call_table)\n"
                                  "\t.long sys_restart_syscall /* 0 */\n\t.long ppc_fork\n",
        "include/asm-ppc/unistd.h": "#define __NR_restart_syscall\t  0\n#define __NR_fork\t\t  1\n",
        "arch/ppc64/kernel/misc.S": "\t.balign 8\n_GLOBAL(sys_call_table32)\n\t.llong .sys_restart_syscall\n"
                                    "\t.llong .compat_sys_fork\n\t.balign 8\n_GLOBAL(sys_call_table)\n"
                                    "\t.llong .sys_restart_syscall\n\t.llong .ppc_fork\n",
        "include/asm-ppc64/unistd.h": "#define __NR_restart_syscall\t  0\n#define __NR_fork\t\t  1\n"
                                      "#define __NR_syscalls\t\t2\n"}, ("ppc", "ppc64"))
    found = tables(tree)
    assert rows(found["ppc"]) == [(0, "sys_restart_syscall", None, "arch/ppc/kernel/misc.S", 4),
                                  (1, "ppc_fork", None, "arch/ppc/kernel/misc.S", 5)]
    # the compat table ends at the next _GLOBAL()
    assert rows(found["ppc64"]) == [
        (0, "sys_restart_syscall", "sys_restart_syscall", "arch/ppc64/kernel/misc.S", 7),
        (1, "ppc_fork", "compat_sys_fork", "arch/ppc64/kernel/misc.S", 8)]
    assert found["ppc64"].srcarch == "ppc64"


def test_sparc_and_sparc64_with_nr_syscalls_in_entry_s(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/sparc/kernel/systbls.S": "\t.globl sys_call_table\nsys_call_table:\n"
                                       "/*0*/\t.long sys_restart_syscall, sys_exit\n\t.globl sunos_sys_table\n"
                                       "sunos_sys_table:\n\t.long sunos_indir\n",
        "arch/sparc/kernel/entry.S": "#define NR_SYSCALLS 2      /* Each OS is different... */\n",
        "include/asm-sparc/unistd.h": "#define __NR_restart_syscall      0\n#define __NR_exit                 1\n",
        "arch/sparc64/kernel/systbls.S": "\t.globl sys_call_table32\nsys_call_table32:\n/*0*/\t.word sys_restart_syscall, "
                                         "sparc_exit\n\t.globl sys_call_table64, sys_call_table\nsys_call_table64:\n"
                                         "sys_call_table:\n/*0*/\t.word sys_restart_syscall, sparc_exit\n",
        "arch/sparc64/kernel/entry.S": "#define NR_SYSCALLS 2      /* Each OS is different... */\n",
        "include/asm-sparc64/unistd.h": "#define __NR_restart_syscall      0\n#define __NR_exit                 1\n"},
        ("sparc", "sparc64"))
    found = tables(tree)
    sparc32, sparc64 = found["sparc32"], found["sparc64"]
    assert [(e.position, e.entry, e.loc.line) for e in sparc32.entries] == [
        (0, "sys_restart_syscall", 3), (1, "sys_exit", 3)]
    assert (sparc32.count.value, sparc32.count.loc.path, sparc32.count.loc.line) == (
        2, "arch/sparc/kernel/entry.S", 1)
    assert (sparc64.srcarch, sparc64.kconfig_arch) == ("sparc64", "sparc64")
    assert [(e.entry, e.compat, e.loc.line) for e in sparc64.entries] == [
        ("sys_restart_syscall", "sys_restart_syscall", 7), ("sparc_exit", "sparc_exit", 7)]
    assert sparc64.count.loc.path == "arch/sparc64/kernel/entry.S"


def test_sh_entry_s_v850_csym_and_frv_mmu_wrapper(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/sh/kernel/entry.S": "2:\t.long\tNR_syscalls\n3:\t.long\tsys_call_table\n\n"
                                  "ENTRY(sys_call_table)\n\t.long sys_ni_syscall\t/* 0 */\n\t.long sys_exit\n",
        "include/asm-sh/unistd.h": "#define __NR_exit\t\t  1\n",
        "arch/v850/kernel/entry.S": "\t.align 4\nC_DATA(sys_call_table):\n\t.long CSYM(sys_restart_syscall)\t// 0\n"
                                    "\t.long sys_fork_wrapper\nsys_call_table_end:\nC_END(sys_call_table)\n",
        "include/asm-v850/unistd.h": "#define __NR_restart_syscall\t  0\n#define __NR_fork\t\t  1\n",
        "arch/frv/kernel/entry.S": "#ifdef CONFIG_MMU\n#define __MMU(X) X\n#else\n#define __MMU(X) sys_ni_syscall\n"
                                   "#endif\n\t.globl\t\tsys_call_table\nsys_call_table:\n"
                                   "\t.long sys_restart_syscall\n\t.long __MMU(sys_mprotect) /* 1 */\n",
        "include/asm-frv/unistd.h": "#define __NR_restart_syscall\t  0\n#define __NR_mprotect\t\t  1\n"},
        ("sh", "v850", "frv"))
    from ckptlint.extract import arch26

    found = tables(tree) | {t.label: t for t in arch26.extract(tree)}
    assert [(e.position, e.entry, e.loc.line) for e in found["sh"].entries] == [
        (0, "sys_ni_syscall", 5), (1, "sys_exit", 6)]
    assert [(e.position, e.entry, e.loc.line) for e in found["v850"].entries] == [
        (0, "sys_restart_syscall", 3), (1, "sys_fork_wrapper", 4)]
    assert [(e.position, e.entry, e.loc.line) for e in found["frv"].entries] == [
        (0, "sys_restart_syscall", 8), (1, "sys_mprotect", 9)]


def test_undef_drops_a_number_before_its_redefinition(tmp_path):
    # 2.6.12 include/asm-s390/unistd.h: under __s390x__ the 16-bit-uid numbers go, then come back
    tree = make_tree(tmp_path, {
        "arch/s390/kernel/syscalls.S": "SYSCALL(sys_lchown16,sys_ni_syscall,sys32_lchown16_wrapper)\n",
        "include/asm-s390/unistd.h": "#define __NR_lchown 16\n#ifdef __s390x__\n#undef  __NR_lchown\n"
                                     "#define __NR_lchown  \t\t198\n#endif\n"}, ("s390",))
    from ckptlint.extract import arch26

    found = {t.label: t for t in arch26.extract(tree)}
    assert [(n.name, n.number, n.loc.line) for n in found["s390x"].numbers] == [("lchown", 198, 4)]
    assert [(n.name, n.number, n.loc.line) for n in found["s390"].numbers] == [("lchown", 16, 1)]


def test_absent_old_arches_give_nothing(tmp_path):
    tree = make_tree(tmp_path, {"arch/x86/kernel/syscall_table_32.S": "ENTRY(sys_call_table)\n\t.long sys_exit\n"},
                     ("x86",))
    assert arch_old.extract(tree) == []
