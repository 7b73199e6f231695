"""A number that collides: one finding at the number, not three (principle 3).

A series rebased onto a release that took its number keeps the old
``#define``, while the table (and ``NR_syscalls``) already moved past it.
"""

from __future__ import annotations

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree

UNISTD = "arch/x86/include/asm/unistd_32.h"
TABLE = "arch/x86/kernel/syscall_table_32.S"


def findings(tree):
    result = run(KernelTree(tree), Options(min_severity="warning",
                                           select={"CKL001", "CKL003", "CKL101"}))
    return [(f.rule, f.path, f.line, f.message) for f in result.findings]


def edit(tree, rel, old, new):
    path = tree / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_collision_whose_entry_sits_at_a_free_slot_is_one_error(sample):
    tree = sample("clean")
    edit(tree, UNISTD, "#define __NR_restart\t\t10", "#define __NR_restart\t\t9")
    assert findings(tree) == [
        ("CKL001", UNISTD, 16, "__NR_restart reuses number 9 of __NR_checkpoint; the table has "
         "sys_restart at 10, which no __NR_ has: did you mean 10?")]


def test_collision_whose_entry_sits_in_a_taken_slot_keeps_the_position_finding(sample):
    tree = sample("clean")
    edit(tree, UNISTD, "#define __NR_restart\t\t10", "#define __NR_restart\t\t9")
    # the entry went to slot 8 (getpid's): not what a renumbering explains
    edit(tree, TABLE, "\t.long sys_getpid\n\t.long sys_checkpoint\n\t.long sys_restart\t/* 10 */",
         "\t.long sys_restart\n\t.long sys_checkpoint\n\t.long sys_getpid\t/* 10 */")
    rules = [(rule, path, line) for rule, path, line, _ in findings(tree)]
    assert ("CKL001", UNISTD, 16) in rules
    assert any(rule == "CKL101" and path == TABLE for rule, path, _ in rules)


def test_collision_with_a_count_that_fits_neither_keeps_the_count_finding(sample):
    tree = sample("clean")
    edit(tree, UNISTD, "#define __NR_restart\t\t10", "#define __NR_restart\t\t9")
    edit(tree, UNISTD, "#define NR_syscalls 11", "#define NR_syscalls 12")
    assert [(rule, path, line) for rule, path, line, _ in findings(tree)] == [
        ("CKL001", UNISTD, 16), ("CKL003", UNISTD, 20)]


def test_the_first_of_two_colliding_names_can_be_the_one_off(sample):
    # sh64 2.6.22-2.6.33: __NR_fgetxattr 269 (meant 259, where its entry is) collides
    # with the later, right __NR_sched_setaffinity 269; one finding, at the typo
    tree = sample("clean")
    edit(tree, UNISTD, "#define __NR_checkpoint\t\t9", "#define __NR_checkpoint\t\t10")
    edit(tree, UNISTD, "#define __NR_restart\t\t10", "#define __NR_restart\t\t10\n#define __NR_frob\t\t11")
    edit(tree, UNISTD, "#define NR_syscalls 11", "#define NR_syscalls 12")
    edit(tree, TABLE, "\t.long sys_restart\t/* 10 */", "\t.long sys_restart\t/* 10 */\n\t.long sys_frob")
    result = run(KernelTree(tree), Options(min_severity="warning",
                                           select={"CKL001", "CKL002", "CKL003", "CKL101"}))
    assert [(f.rule, f.path, f.line, f.message) for f in result.findings] == [
        ("CKL001", UNISTD, 15, "__NR_checkpoint reuses number 10 of __NR_restart; the table has "
         "sys_checkpoint at 9, which no __NR_ has: did you mean 9?")]


def test_a_count_not_bumped_past_renumbered_calls_is_one_finding_at_the_count(sample):
    # cris 2.6.25-rc: timerfd_settime/gettime numbered 315/316 (tee's, vmsplice's), the
    # tables at 325/326, NR_syscalls left at 325: the count is one mistake, at its line
    tree = sample("clean")
    edit(tree, UNISTD, "#define __NR_restart\t\t10", "#define __NR_restart\t\t10\n#define __NR_frob\t\t8")
    edit(tree, TABLE, "\t.long sys_restart\t/* 10 */", "\t.long sys_restart\t/* 10 */\n\t.long sys_frob")
    result = run(KernelTree(tree), Options(min_severity="warning",
                                           select={"CKL001", "CKL003", "CKL101", "CKL102"}))
    assert [(f.rule, f.path, f.line) for f in result.findings] == [
        ("CKL001", UNISTD, 17), ("CKL003", UNISTD, 21)]
    assert result.findings[1].message == ("NR_syscalls is 11, but the table goes up to 11 "
                                          "(sys_frob): expected 12")


def test_a_number_one_past_where_its_entry_sits_is_one_finding_at_the_number(sample):
    # eclone on arm: __NR_eclone (__NR_SYSCALL_BASE+367), calls.S has it at 366
    tree = sample("clean")
    edit(tree, UNISTD, "#define __NR_restart\t\t10", "#define __NR_restart\t\t11")
    edit(tree, UNISTD, "#define NR_syscalls 11", "#define NR_syscalls 12")
    result = run(KernelTree(tree), Options(min_severity="warning",
                                           select={"CKL001", "CKL002", "CKL003", "CKL101", "CKL102"}))
    assert [(f.rule, f.path, f.line, f.message) for f in result.findings] == [
        ("CKL101", UNISTD, 16, "__NR_restart is 11, but the table has sys_restart at 10, which "
         "no __NR_ has: did you mean 10?")]
