"""unistd headers, assembly tables and the constant-expression evaluator."""

from __future__ import annotations

from ckptlint.extract import tables, unistd
from ckptlint.extract.cexpr import evaluate
from ckptlint.facts import Location
from ckptlint.tree import KernelTree
from treeutil import make_tree


def test_evaluate_expressions():
    names = {"__NR_SYSCALL_BASE": 0x900000, "__NR_Linux": 4000}.get
    assert evaluate("(__NR_SYSCALL_BASE+ 5)", names) == 0x900005
    assert evaluate("__NR_Linux + 1", names) == 4001
    assert evaluate("0x10UL << 2", names) == 64
    assert evaluate("(1 + 2) * 3 - 4 / 2", names) == 7
    assert evaluate("__NR_syscall_max + 1", names) is None
    assert evaluate("1 / 0", names) is None
    assert evaluate("", names) is None


def test_unistd_32_numbers_count_and_comments(tmp_path):
    tree = make_tree(tmp_path, {"arch/x86/include/asm/unistd_32.h": (
        "#define __NR_exit 1\n"
        "/* #define __NR_fake 99\n"
        "   still a comment */\n"
        "#define __NR_read\t\t  3  /* 3 */\n"
        "#if 0\n#define __NR_dead 4\n#endif\n"
        "#define NR_syscalls 4\n")})
    (facts,) = unistd.extract(tree)
    assert [(n.name, n.number, n.loc.line) for n in facts.numbers] == [("exit", 1, 1), ("read", 3, 4)]
    assert facts.count.value == 4 and facts.count.loc == Location("arch/x86/include/asm/unistd_32.h", 8)


def test_unistd_64_pairs_ignored_and_computed_count(tmp_path):
    tree = make_tree(tmp_path, {"arch/x86/include/asm/unistd_64.h": (
        "#define __NR_read 0\n__SYSCALL(__NR_read, sys_read)\n"
        "#define __NR_clone 1\n__SYSCALL(__NR_clone, stub_clone)\n"
        "#define __IGNORE_getcpu\n"
        "#define NR_syscalls (__NR_syscall_max + 1)\n")})
    (facts,) = unistd.extract(tree)
    assert [(e.position, e.entry, e.syscall, e.nr_name, e.loc.line) for e in facts.pairs] == [
        (0, "sys_read", "read", "read", 2), (1, "stub_clone", "clone", "clone", 4)]
    assert facts.ignored == {"getcpu": Location("arch/x86/include/asm/unistd_64.h", 5)}
    assert facts.count is None and facts.count_expr[0] == "(__NR_syscall_max + 1)"


def test_asm_table_positions_holes_aliases_and_crlf(tmp_path):
    tree = make_tree(tmp_path, {"arch/x86/kernel/syscall_table_32.S": (
        ".section .rodata\r\nENTRY(sys_call_table)\r\n"
        "\t.long sys_restart_syscall /* 0 */\r\n"
        "\t.long ptregs_fork\r\n"
        "/* a comment line */\r\n"
        "\t.long sys_ni_syscall\t/* retired */\r\n"
        "\t.long sys_read\r\n")})
    (table,) = tables.extract(tree)
    assert [(e.position, e.entry, e.syscall, e.loc.line) for e in table.entries] == [
        (0, "sys_restart_syscall", "restart_syscall", 3), (1, "ptregs_fork", "fork", 4),
        (2, "sys_ni_syscall", None, 6), (3, "sys_read", "read", 7)]


def test_asm_table_rept(tmp_path):
    tree = make_tree(tmp_path, {"arch/x86/kernel/syscall_table_32.S": (
        "ENTRY(sys_call_table)\n.long sys_a\n.rept 2\n.long sys_ni_syscall\n.endr\n.long sys_b\n")})
    (table,) = tables.extract(tree)
    assert [(e.position, e.entry) for e in table.entries] == [
        (0, "sys_a"), (1, "sys_ni_syscall"), (2, "sys_ni_syscall"), (3, "sys_b")]
