"""asm-generic/unistd.h tables: __SC_* macros, __ARCH_WANT filtering, arch additions."""

from __future__ import annotations

from pathlib import Path

from ckptlint.extract import generic
from ckptlint.tree import KernelTree
from treeutil import make_tree

GENERIC = """\
#include <asm/bitsperlong.h>
#ifndef __SYSCALL
#define __SYSCALL(x, y)
#endif
#if __BITS_PER_LONG == 32 || defined(__SYSCALL_COMPAT)
#define __SC_3264(_nr, _32, _64) __SYSCALL(_nr, _32)
#else
#define __SC_3264(_nr, _32, _64) __SYSCALL(_nr, _64)
#endif
#ifdef __SYSCALL_COMPAT
#define __SC_COMP(_nr, _sys, _comp) __SYSCALL(_nr, _comp)
#else
#define __SC_COMP(_nr, _sys, _comp) __SYSCALL(_nr, _sys)
#endif
#define __NR_io_setup 0
__SC_COMP(__NR_io_setup, sys_io_setup, compat_sys_io_setup)
#define __NR3264_fcntl 25
__SC_COMP_3264(__NR3264_fcntl, sys_fcntl64, sys_fcntl, \\
	       compat_sys_fcntl64)
#ifdef __ARCH_WANT_RENAMEAT
#define __NR_renameat 38
__SYSCALL(__NR_renameat, sys_renameat)
#endif /* __ARCH_WANT_RENAMEAT */
#define __NR_nfsservctl 42
__SYSCALL(__NR_nfsservctl, sys_ni_syscall)
#if defined(__ARCH_WANT_TIME32_SYSCALLS) || __BITS_PER_LONG != 32
#define __NR_futex 98
__SC_3264(__NR_futex, sys_futex_time32, sys_futex)
#endif
#define __NR3264_mmap 222
__SC_3264(__NR3264_mmap, sys_mmap2, sys_mmap)
#define __NR_arch_specific_syscall 244
#undef __NR_syscalls
#define __NR_syscalls 300
#if __BITS_PER_LONG == 64 && !defined(__SYSCALL_COMPAT)
#define __NR_fcntl __NR3264_fcntl
#define __NR_mmap __NR3264_mmap
#else
#define __NR_fcntl64 __NR3264_fcntl
#define __NR_mmap2 __NR3264_mmap
#endif
"""
H = "include/uapi/asm-generic/unistd.h"


def line(text: str, snippet: str) -> int:
    return next(i for i, l in enumerate(text.split("\n"), start=1) if snippet in l)


def rows(table) -> list[tuple]:
    return [(e.abi, e.position, e.nr_name, e.entry, e.compat, e.syscall, e.loc.path, e.loc.line)
            for e in table.entries]


FOO = """\
#define sys_mmap2 sys_mmap_pgoff
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_TIME32_SYSCALLS
#include <asm-generic/unistd.h>
#define __NR_cacheflush (__NR_arch_specific_syscall + 1)
__SYSCALL(__NR_cacheflush, sys_cacheflush)
#define __IGNORE_fadvise64
"""


def test_32_bit_arch_with_wants_aliases_and_additions(tmp_path):
    tree = make_tree(tmp_path, {H: GENERIC, "arch/foo/Kconfig": "",
                                "arch/foo/include/uapi/asm/unistd.h": FOO})
    (table,) = generic.extract(tree)
    assert (table.label, table.srcarch, table.kconfig_arch, table.kind, table.path) == (
        "foo", "foo", "foo", "pairs", H)
    foo = "arch/foo/include/uapi/asm/unistd.h"

    def g(snippet: str) -> int:
        return line(GENERIC, snippet)

    assert rows(table) == [
        ("foo", 0, "io_setup", "sys_io_setup", "compat_sys_io_setup", "io_setup", H, g("__SC_COMP(__NR_io")),
        ("foo", 25, "fcntl64", "sys_fcntl64", "compat_sys_fcntl64", "fcntl64", H, g("__SC_COMP_3264(")),
        ("foo", 38, "renameat", "sys_renameat", None, "renameat", H, g("__SYSCALL(__NR_renameat")),
        ("foo", 42, "nfsservctl", "sys_ni_syscall", None, None, H, g("__SYSCALL(__NR_nfsservctl")),
        ("foo", 98, "futex", "sys_futex_time32", None, "futex_time32", H, g("__SC_3264(__NR_futex")),
        ("foo", 222, "mmap2", "sys_mmap_pgoff", None, "mmap_pgoff", H, g("__SC_3264(__NR3264_mmap")),
        ("foo", 245, "cacheflush", "sys_cacheflush", None, "cacheflush", foo, 6),
    ]
    assert [(n.name, n.number) for n in table.numbers] == [
        ("io_setup", 0), ("renameat", 38), ("nfsservctl", 42), ("futex", 98),
        ("fcntl64", 25), ("mmap2", 222), ("cacheflush", 245)]
    assert (table.count.abi, table.count.value, table.count.loc.line) == (
        "foo", 300, g("define __NR_syscalls"))
    assert {k: (v.path, v.line) for k, v in table.ignored.items()} == {"fadvise64": (foo, 7)}


def test_64_bit_arch_kernel_wrapper_and_compat_list(tmp_path):
    tree = make_tree(tmp_path, {
        H: GENERIC, "arch/arm64/Kconfig": "",
        "arch/arm64/include/uapi/asm/unistd.h": "#include <asm-generic/unistd.h>\n",
        "arch/arm64/include/asm/unistd.h": (
            "#ifdef CONFIG_COMPAT\n#define __ARCH_WANT_RENAMEAT\n"
            "#define __NR_compat_exit 1\n#define __NR_compat_syscalls 9\n#endif\n"
            "#ifndef __COMPAT_SYSCALL_NR\n#include <uapi/asm/unistd.h>\n#endif\n"),
        "arch/arm64/include/asm/unistd32.h": (
            "#ifndef __SYSCALL\n#define __SYSCALL(x, y)\n#endif\n"
            "#define __NR_restart_syscall 0\n__SYSCALL(__NR_restart_syscall, sys_restart_syscall)\n"
            "__SYSCALL(7, sys_ni_syscall)\n"
            "#define __NR_open 5\n__SYSCALL(__NR_open, compat_sys_open)\n"),
    })
    native, compat = generic.extract(tree)
    assert [(t.label, t.srcarch, t.kconfig_arch, t.kind) for t in (native, compat)] == [
        ("arm64", "arm64", "arm64", "pairs"), ("arm64-compat", "arm64", "arm64", "pairs")]
    assert [r[1:6] for r in rows(native)] == [
        (0, "io_setup", "sys_io_setup", "compat_sys_io_setup", "io_setup"),
        (25, "fcntl", "sys_fcntl", "compat_sys_fcntl64", "fcntl"),
        (38, "renameat", "sys_renameat", None, "renameat"),
        (42, "nfsservctl", "sys_ni_syscall", None, None),
        (98, "futex", "sys_futex", None, "futex"),
        (222, "mmap", "sys_mmap", None, "mmap"),
    ]
    assert "compat_exit" not in {n.name for n in native.numbers}
    u32 = "arch/arm64/include/asm/unistd32.h"
    assert rows(compat) == [
        ("arm64-compat", 0, "restart_syscall", "sys_restart_syscall", None, "restart_syscall", u32, 5),
        ("arm64-compat", 7, None, "sys_ni_syscall", None, None, u32, 6),
        ("arm64-compat", 5, "open", "compat_sys_open", None, "open", u32, 8),
    ]
    assert (compat.count.value, compat.count.loc.path, compat.count.loc.line) == (
        9, "arch/arm64/include/asm/unistd.h", 4)


def test_riscv_both_widths_and_lp64_condition(tmp_path):
    tree = make_tree(tmp_path, {H: GENERIC, "arch/riscv/Kconfig": "",
                                "arch/riscv/include/uapi/asm/unistd.h": (
                                    "#if defined(__LP64__) && !defined(__SYSCALL_COMPAT)\n"
                                    "#define __ARCH_WANT_RENAMEAT\n#endif\n"
                                    "#include <asm-generic/unistd.h>\n")})
    tables = {t.label: t for t in generic.extract(tree)}
    assert {(t.label, t.kconfig_arch) for t in tables.values()} == {
        ("riscv64", "riscv"), ("riscv32", "riscv")}
    assert [e.nr_name for e in tables["riscv64"].entries] == [
        "io_setup", "fcntl", "renameat", "nfsservctl", "futex", "mmap"]
    # 32-bit, no __ARCH_WANT_TIME32_SYSCALLS: futex (time32) and renameat are left out
    assert [(e.nr_name, e.entry) for e in tables["riscv32"].entries] == [
        ("io_setup", "sys_io_setup"), ("fcntl64", "sys_fcntl64"),
        ("nfsservctl", "sys_ni_syscall"), ("mmap2", "sys_mmap2")]


def test_arches_without_generic_include_or_with_makefile_syscalls_are_skipped(tmp_path):
    tree = make_tree(tmp_path, {
        H: GENERIC,
        "arch/new/Kconfig": "", "arch/new/kernel/Makefile.syscalls": "syscall_abis_32 +=\n",
        "arch/new/include/uapi/asm/unistd.h": "#include <asm-generic/unistd.h>\n",
        "arch/old/Kconfig": "", "arch/old/include/uapi/asm/unistd.h": "#define __NR_read 3\n",
    })
    assert generic.extract(tree) == []


def test_2_6_layout_and_deprecated_blocks(tmp_path):
    header = ("#if !defined(_ASM_GENERIC_UNISTD_H) || defined(__SYSCALL)\n"
              "#define __NR_read 63\n__SYSCALL(__NR_read, sys_read)\n"
              "#ifdef __ARCH_WANT_SYSCALL_DEPRECATED\n#define __NR_fork 1079\n"
              "#ifdef CONFIG_MMU\n__SYSCALL(__NR_fork, sys_fork)\n#else\n"
              "__SYSCALL(__NR_fork, sys_ni_syscall)\n#endif\n#endif\n"
              "#ifdef __ARCH_WANT_SYSCALL_NO_AT\n#define __NR_open 1024\n"
              "__SYSCALL(__NR_open, sys_open)\n#endif\n#endif\n")
    tree = make_tree(tmp_path, {
        "include/asm-generic/unistd.h": header, "arch/score/Kconfig": "",
        "arch/score/include/asm/unistd.h": ("#define __ARCH_WANT_SYSCALL_DEPRECATED\n"
                                            "#include <asm-generic/unistd.h>\n"),
    })
    (table,) = generic.extract(tree)
    assert (table.label, table.path) == ("score", "include/asm-generic/unistd.h")
    assert [(e.position, e.entry, e.loc.line) for e in table.entries] == [
        (63, "sys_read", 3), (1079, "sys_fork", 7)]
