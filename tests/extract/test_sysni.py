"""sysni: cond_syscall / COND_SYSCALL fallbacks."""

from __future__ import annotations

from ckptlint.extract import sysni
from ckptlint.facts import CondSyscall, Location
from ckptlint.tree import KernelTree
from treeutil import make_tree


OLD = """\
#include <linux/linkage.h>
/* cond_syscall(sys_in_comment); */
cond_syscall(sys_nfsservctl);
cond_syscall(sys32_quotactl);
// cond_syscall(sys_line_comment);
cond_syscall( sys_checkpoint );
cond_syscall(sys_checkpoint);
"""

MODERN = """\
#ifndef COND_SYSCALL
#define COND_SYSCALL(name) cond_syscall(sys_##name)
#endif
#define COND_SYSCALL_COMPAT(name) \\
	cond_syscall(compat_sys_##name)
COND_SYSCALL(io_setup);
COND_SYSCALL_COMPAT(io_setup);
"""


def test_old_style_with_duplicates(tmp_path):
    tree = make_tree(tmp_path, {"kernel/sys_ni.c": OLD})
    assert sysni.extract(tree) == [
        CondSyscall("sys_nfsservctl", Location("kernel/sys_ni.c", 3)),
        CondSyscall("sys32_quotactl", Location("kernel/sys_ni.c", 4)),
        CondSyscall("sys_checkpoint", Location("kernel/sys_ni.c", 6)),
        CondSyscall("sys_checkpoint", Location("kernel/sys_ni.c", 7)),
    ]


def test_modern_macros_and_arch_files(tmp_path):
    (tmp_path / "arch/foo").mkdir(parents=True)
    (tmp_path / "arch/foo/Kconfig").write_text("")
    tree = make_tree(tmp_path, {"kernel/sys_ni.c": MODERN,
                                "arch/foo/kernel/sys_ni_foo.c": "cond_syscall(sys_foo_only);\n"})
    assert sysni.extract(tree) == [
        CondSyscall("sys_io_setup", Location("kernel/sys_ni.c", 6)),
        CondSyscall("compat_sys_io_setup", Location("kernel/sys_ni.c", 7)),
        CondSyscall("sys_foo_only", Location("arch/foo/kernel/sys_ni_foo.c", 1)),
    ]


def test_missing_file(tmp_path):
    assert sysni.extract(make_tree(tmp_path, {})) == []


def test_posix_stubs_sys_ni_fallbacks(tmp_path):
    from ckptlint.extract import sysni
    from ckptlint.tree import KernelTree

    (tmp_path / "Makefile").write_text("")
    (tmp_path / "arch").mkdir()
    stubs = tmp_path / "kernel" / "time" / "posix-stubs.c"
    stubs.parent.mkdir(parents=True)
    stubs.write_text("#define SYS_NI(name)  SYSCALL_ALIAS(sys_##name, sys_ni_posix_timers)\n"
                     "SYS_NI(timer_create);\nCOMPAT_SYS_NI(timer_settime);\n")
    found = [(c.function, c.loc.path, c.loc.line) for c in sysni.extract(KernelTree(tmp_path))]
    assert found == [("sys_timer_create", "kernel/time/posix-stubs.c", 2),
                     ("compat_sys_timer_settime", "kernel/time/posix-stubs.c", 3)]
