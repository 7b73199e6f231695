"""prototypes: syscall declarations in the syscall headers."""

from __future__ import annotations

import os

import pytest

from ckptlint.extract import prototypes
from ckptlint.facts import Location, Param
from ckptlint.tree import KernelTree
from treeutil import make_tree


SYSCALLS_H = """\
/* header comment: asmlinkage long sys_in_comment(int); */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H
#define __SYSCALL_DEFINEx(x, name, ...) \\
	asmlinkage long sys##name(__MAP(x,__SC_DECL,__VA_ARGS__));
asmlinkage long sys_read(unsigned int fd, char __user *buf, size_t count);
asmlinkage long sys_select(int n, fd_set __user *inp, fd_set __user *outp,
			fd_set __user *exp, struct timeval __user *tvp);
#ifdef CONFIG_CHECKPOINT
asmlinkage long sys_checkpoint(pid_t pid, int fd, unsigned long flags,
			       int logfd);
#endif
// asmlinkage long sys_line_comment(void);
asmlinkage unsigned long sys_brk_like(unsigned long brk);
asmlinkage void __user *sys_ptr_ret(void);
int helper_not_a_syscall(int);
static inline long sys_inline_helper(int x) { return x; }
asmlinkage long sys_ni_syscall(void);
#endif
"""

X86_H = """\
int sys_fork(struct pt_regs *);
long sys_execve(char __user *, char __user * __user *,
		char __user * __user *, struct pt_regs *);
asmlinkage int sys_sigsuspend(int, int, old_sigset_t);
asmlinkage int old_mmap(struct mmap_arg_struct __user *);
struct new_utsname;
"""

COMPAT_H = """\
extern int get_compat_timespec(struct timespec *, const struct compat_timespec __user *);
asmlinkage long compat_sys_select(int n, compat_ulong_t __user *inp,
	compat_ulong_t __user *outp, compat_ulong_t __user *exp,
	struct compat_timeval __user *tvp);
"""


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "arch/x86").mkdir(parents=True)
    (tmp_path / "arch/x86/Kconfig").write_text("")
    return make_tree(tmp_path, {
        "include/linux/syscalls.h": SYSCALLS_H,
        "include/linux/compat.h": COMPAT_H,
        "arch/x86/include/asm/syscalls.h": X86_H,
        "arch/x86/kernel/sys_x86.h": "asmlinkage long sys_arch_thing(int a);\n",
        "arch/x86/kernel/other.h": "asmlinkage long sys_not_scanned(int a);\n",
    })


def by_name(protos):
    return {p.function: p for p in protos}


def test_syscalls_h(tree):
    protos = prototypes.extract(tree)
    names = [p.function for p in protos if p.loc.path == "include/linux/syscalls.h"]
    assert names == ["sys_read", "sys_select", "sys_checkpoint", "sys_brk_like",
                     "sys_ptr_ret", "sys_ni_syscall"]
    found = by_name(protos)
    assert found["sys_read"].loc == Location("include/linux/syscalls.h", 6)
    assert found["sys_select"].loc.line == 7
    assert found["sys_checkpoint"].loc.line == 10
    assert found["sys_checkpoint"].params == (
        Param("pid_t", "pid"), Param("int", "fd"), Param("unsigned long", "flags"),
        Param("int", "logfd"))
    assert found["sys_select"].params[1] == Param("fd_set *", "inp")
    assert found["sys_ni_syscall"].params == ()
    assert not tree.notes


def test_non_asmlinkage_and_unnamed(tree):
    found = by_name(prototypes.extract(tree))
    assert found["sys_fork"].params == (Param("struct pt_regs *"),)
    assert found["sys_fork"].loc == Location("arch/x86/include/asm/syscalls.h", 1)
    assert [p.type for p in found["sys_execve"].params] == [
        "char *", "char **", "char **", "struct pt_regs *"]
    assert found["sys_execve"].loc.line == 2
    assert found["sys_sigsuspend"].params[2] == Param("old_sigset_t")
    assert "old_mmap" in found  # asmlinkage makes any name an entry point
    assert "helper_not_a_syscall" not in found
    assert "get_compat_timespec" not in found
    assert found["compat_sys_select"].loc == Location("include/linux/compat.h", 2)
    assert found["sys_arch_thing"].loc.path == "arch/x86/kernel/sys_x86.h"
    assert "sys_not_scanned" not in found


def test_header_paths(tree):
    assert prototypes.header_paths(tree) == [
        "include/linux/syscalls.h", "include/linux/compat.h",
        "arch/x86/include/asm/syscalls.h", "arch/x86/kernel/sys_x86.h"]


@pytest.mark.realtree
def test_realtree_prototypes():
    root = os.environ.get("CKPTLINT_REALTREE")
    if not root:
        pytest.skip("set CKPTLINT_REALTREE to a kernel source tree to run this test")
    tree = KernelTree(root)
    found = by_name(prototypes.extract(tree))
    assert [p.type for p in found["sys_read"].params] == ["unsigned int", "char *", "size_t"]
    assert found["sys_read"].loc.path == "include/linux/syscalls.h"
    assert not [n for n in tree.notes if n.kind == "unparsed-params"]
