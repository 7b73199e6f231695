"""xtensa: the C array of __SYSCALL(nr, symbol, nargs) (2.6.20+) and syscalls.h rows (2.6.14-2.6.19)."""

from __future__ import annotations

from ckptlint.extract import xtensa
from treeutil import make_tree

UNISTD_2620 = """\
#ifndef _XTENSA_UNISTD_H
#define _XTENSA_UNISTD_H

#ifndef __SYSCALL
# define __SYSCALL(nr,func,nargs)
#endif

#define __NR_spill				  0
__SYSCALL(  0, sys_ni_syscall, 0)
#define __NR_xtensa				  1
__SYSCALL(  1, sys_ni_syscall, 0)
#define __NR_open				  3
__SYSCALL(  3, sys_open, 3)

#define __NR_syscall_count			  5

#endif	/* _XTENSA_UNISTD_H */
"""
SYSCALL_C = """\
typedef void (*syscall_t)(void);

syscall_t sys_call_table[__NR_syscall_count] /* FIXME __cacheline_aligned */= {
	[0 ... __NR_syscall_count - 1] = (syscall_t)&sys_ni_syscall,

#undef __SYSCALL
#define __SYSCALL(nr,symbol,nargs) [ nr ] = (syscall_t)symbol,
#undef _XTENSA_UNISTD_H
#include <asm/unistd.h>
};
"""


def test_c_array_slots_from_unistd_and_the_range_default(tmp_path):
    tree = make_tree(tmp_path, {"include/asm-xtensa/unistd.h": UNISTD_2620,
                                "arch/xtensa/kernel/syscall.c": SYSCALL_C}, ("xtensa",))
    [table] = xtensa.extract(tree)
    assert (table.label, table.srcarch, table.kconfig_arch, table.kind) == ("xtensa", "xtensa", "xtensa",
                                                                            "positional")
    header, c_file = "include/asm-xtensa/unistd.h", "arch/xtensa/kernel/syscall.c"
    assert [(e.position, e.entry, e.syscall, e.loc.path, e.loc.line) for e in table.entries] == [
        (0, "sys_ni_syscall", None, header, 9), (1, "sys_ni_syscall", None, header, 11),
        (2, "sys_ni_syscall", None, c_file, 4),  # no __SYSCALL(2, ...): the range default
        (3, "sys_open", "open", header, 13), (4, "sys_ni_syscall", None, c_file, 4)]
    assert [(n.name, n.number, n.loc.line) for n in table.numbers] == [
        ("spill", 0, 8), ("xtensa", 1, 10), ("open", 3, 12)]
    assert (table.count.value, table.count.loc.line) == (5, 15)


def test_a_slot_past_the_array_is_kept_for_the_length_check(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/xtensa/include/asm/unistd.h": UNISTD_2620.replace(
            "\n#define __NR_syscall_count", "#define __NR_foo\t\t\t\t  5\n__SYSCALL(  5, sys_foo, 1)\n"
                                           "\n#define __NR_syscall_count"),
        "arch/xtensa/kernel/syscall.c": SYSCALL_C}, ("xtensa",))
    [table] = xtensa.extract(tree)
    assert [(e.position, e.entry) for e in table.entries][-2:] == [(4, "sys_ni_syscall"), (5, "sys_foo")]
    assert table.path == "arch/xtensa/include/asm/unistd.h"


def test_syscalls_h_rows_of_2_6_16(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/xtensa/kernel/entry.S": ".global sys_call_table\nsys_call_table:\n\n"
                                      "#define SYSCALL(call, narg) .word call\n#include \"syscalls.h\"\n",
        "arch/xtensa/kernel/syscalls.h": "/*\n * comment SYSCALL(not_a_row, 1)\n */\n\n"
                                         "SYSCALL(0, 0)\t\t                /* 00 */\n"
                                         "SYSCALL(sys_exit, 1)\nSYSCALL(sys_ni_syscall, 0)\n",
        "include/asm-xtensa/unistd.h": "#define __NR_spill\t\t  0\n#define __NR_exit\t\t  1\n\n"
                                       "/* Keep this last; should always equal the last valid call number. */\n"
                                       "#define __NR_Linux_syscalls     2\n"}, ("xtensa",))
    [table] = xtensa.extract(tree)
    assert [(e.position, e.entry, e.syscall, e.loc.line) for e in table.entries] == [
        (0, "0", None, 5), (1, "sys_exit", "exit", 6), (2, "sys_ni_syscall", None, 7)]
    # __NR_Linux_syscalls is the last slot's number: three slots
    assert (table.count.value, table.count.loc.line) == (3, 5)
    assert table.path == "arch/xtensa/kernel/syscalls.h"


def test_no_xtensa_no_table(tmp_path):
    tree = make_tree(tmp_path, {"arch/xtensa/kernel/syscall.c": SYSCALL_C}, ("x86",))
    assert xtensa.extract(tree) == []
