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


def test_a_narrowed_run_does_not_send_a_dead_gate_to_another_arch(sample):
    # v2.6.24 --arch avr32: KEXEC (defined in arch/arm/Kconfig among others) was reported at
    # arch/arm/Kconfig:1 as a file to source; it is another arch's own option
    tree = sample("clean")
    with open(tree / "arch/arm/Kconfig", "a") as handle:
        handle.write("\nconfig ARM_ONLY_FEATURE\n\tbool \"ARM only\"\n")
    kernel = tree / "kernel/Makefile"
    kernel.write_text(kernel.read_text().replace("obj-y     = exit.o signal.o sys.o sys_ni.o",
                                                 "obj-y     = exit.o signal.o sys_ni.o\n"
                                                 "obj-$(CONFIG_ARM_ONLY_FEATURE) += sys.o"))
    with open(tree / "kernel/sys_ni.c", "a") as handle:
        handle.write("cond_syscall(sys_getpid);\n")
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL404"}, arches={"x86"}))
    # at x86's own wiring (x86_64 sorts first), not at arch/arm/Kconfig
    assert [(f.rule, f.path) for f in result.findings if "getpid" in f.message] == [
        ("CKL404", "arch/x86/include/asm/unistd_64.h")]
