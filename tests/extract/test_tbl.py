"""Modern syscall*.tbl tables: rows, ABI selection from Makefiles, fallbacks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ckptlint.extract import tbl
from ckptlint.tree import KernelTree
from treeutil import make_tree


def rows(tables, label: str) -> list[tuple]:
    (table,) = [t for t in tables if t.label == label]
    return [(e.position, e.nr_name, e.entry, e.compat, e.syscall, e.loc.line) for e in table.entries]


X86_MAKEFILE = """\
syscall32 := $(src)/syscall_32.tbl
syscall64 := $(src)/syscall_64.tbl
systbl := $(srctree)/scripts/syscalltbl.sh
quiet_cmd_systbl = SYSTBL  $@
      cmd_systbl = $(CONFIG_SHELL) $(systbl) --abis $(abis) \\
		$< $@
$(out)/syscalls_32.h: abis := i386
$(out)/syscalls_32.h: $(syscall32) $(systbl) FORCE
	$(call if_changed,systbl)
$(out)/syscalls_64.h: abis := common,64
$(out)/syscalls_64.h: $(syscall64) $(systbl) FORCE
	$(call if_changed,systbl)
$(out)/syscalls_x32.h: abis := common,x32
$(out)/syscalls_x32.h: $(syscall64) $(systbl) FORCE
	$(call if_changed,systbl)
"""
X86_32 = """\
# The format is:
# <number> <abi> <name> <entry point> [<compat entry point> [noreturn]]
0	i386	restart_syscall		sys_restart_syscall
1	i386	exit			sys_exit			-		noreturn

5	i386	open			sys_open			compat_sys_open
17	i386	break
18	i386	oldstat			sys_ni_syscall
"""
X86_64 = """\
0	common	read			sys_read
13	64	rt_sigaction		sys_rt_sigaction
512	x32	rt_sigaction		compat_sys_rt_sigaction   # x32 only
"""


def test_x86_rows_and_abis_from_makefile(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/x86/entry/syscalls/Makefile": X86_MAKEFILE,
        "arch/x86/entry/syscalls/syscall_32.tbl": X86_32,
        "arch/x86/entry/syscalls/syscall_64.tbl": X86_64,
        "tools/arch/x86/entry/syscalls/syscall_64.tbl": "99 common nope sys_nope\n",
    })
    tables = tbl.extract(tree)
    assert [(t.label, t.srcarch, t.kconfig_arch, t.kind, t.path, t.count) for t in tables] == [
        ("i386", "x86", "i386", "numbered", "arch/x86/entry/syscalls/syscall_32.tbl", None),
        ("ia32", "x86", "x86_64", "numbered", "arch/x86/entry/syscalls/syscall_32.tbl", None),
        ("x86_64", "x86", "x86_64", "numbered", "arch/x86/entry/syscalls/syscall_64.tbl", None),
        ("x32", "x86", "x86_64", "numbered", "arch/x86/entry/syscalls/syscall_64.tbl", None),
    ]
    # the x86_64 kernel's ia32 table is the same file read through its compat column
    assert [r[:3] for r in rows(tables, "ia32")] == [
        (0, "restart_syscall", "sys_restart_syscall"), (1, "exit", "sys_exit"),
        (5, "open", "compat_sys_open"), (17, "break", ""), (18, "oldstat", "sys_ni_syscall")]
    assert rows(tables, "i386") == [
        (0, "restart_syscall", "sys_restart_syscall", None, "restart_syscall", 3),
        (1, "exit", "sys_exit", None, "exit", 4),
        (5, "open", "sys_open", "compat_sys_open", "open", 6),
        (17, "break", "", None, None, 7),
        (18, "oldstat", "sys_ni_syscall", None, None, 8),
    ]
    assert rows(tables, "x86_64") == [
        (0, "read", "sys_read", None, "read", 1),
        (13, "rt_sigaction", "sys_rt_sigaction", None, "rt_sigaction", 2),
    ]
    assert rows(tables, "x32") == [
        (0, "read", "sys_read", None, "read", 1),
        (512, "rt_sigaction", "compat_sys_rt_sigaction", None, "rt_sigaction", 3),
    ]
    x86_64 = tables[2]
    assert [(n.abi, n.name, n.number, str(n.loc)) for n in x86_64.numbers] == [
        ("x86_64", "read", 0, "arch/x86/entry/syscalls/syscall_64.tbl:1"),
        ("x86_64", "rt_sigaction", 13, "arch/x86/entry/syscalls/syscall_64.tbl:2"),
    ]


def test_makefile_that_builds_one_abi_yields_one_table(tmp_path):
    makefile = X86_MAKEFILE.split("$(out)/syscalls_32.h")[0] + (
        "$(out)/syscalls_64.h: abis := common,64\n"
        "$(out)/syscalls_64.h: $(syscall64) $(systbl) FORCE\n")
    tree = make_tree(tmp_path, {"arch/x86/entry/syscalls/Makefile": makefile,
                                "arch/x86/entry/syscalls/syscall_64.tbl": X86_64})
    assert [t.label for t in tbl.extract(tree)] == ["x86_64"]


def test_percent_rules_arm_and_mips(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/arm/tools/Makefile": (
            "syscall := $(src)/syscall.tbl\nsystbl := $(srctree)/scripts/syscalltbl.sh\n"
            "gen-y := $(gen)/calls-oabi.S\ngen-y += $(gen)/calls-eabi.S\n"
            "      cmd_systbl = $(CONFIG_SHELL) $(systbl) --abis common,$* $< $@\n"
            "$(gen)/calls-%.S: $(syscall) $(systbl) FORCE\n\t$(call if_changed,systbl)\n"),
        "arch/arm/tools/syscall.tbl": ("0\tcommon\trestart_syscall\tsys_restart_syscall\n"
                                       "13\toabi\ttime\tsys_time32\n"
                                       "14\teabi\tonly_eabi\tsys_only_eabi\n"),
        "arch/mips/kernel/syscalls/Makefile": (
            "systbl := $(srctree)/scripts/syscalltbl.sh\n"
            "      cmd_systbl = $(CONFIG_SHELL) $(systbl) $< $@\n"
            "$(kapi)/syscall_table_%.h: $(src)/syscall_%.tbl $(systbl) FORCE\n"
            "kapisyshdr-y += syscall_table_n64.h \\\n\t\tsyscall_table_o32.h\n"),
        "arch/mips/kernel/syscalls/syscall_n64.tbl": "0\tn64\tread\tsys_read\n",
        "arch/mips/kernel/syscalls/syscall_o32.tbl": "0\to32\tsyscall\tsys_syscall\tsys32_syscall\n",
    })
    tables = tbl.extract(tree)
    assert [(t.label, t.kconfig_arch) for t in tables] == [
        ("arm-oabi", "arm"), ("arm", "arm"), ("mips-n64", "mips"), ("mips-o32", "mips"),
        ("mips-o32-compat", "mips")]
    assert [r[:3] for r in rows(tables, "arm")] == [
        (0, "restart_syscall", "sys_restart_syscall"), (14, "only_eabi", "sys_only_eabi")]
    assert [r[:3] for r in rows(tables, "arm-oabi")] == [
        (0, "restart_syscall", "sys_restart_syscall"), (13, "time", "sys_time32")]
    assert rows(tables, "mips-o32") == [(0, "syscall", "sys_syscall", "sys32_syscall", "syscall", 1)]
    assert rows(tables, "mips-o32-compat")[0][:3] == (0, "syscall", "sys32_syscall")


def test_s390_dash_columns_and_compat_view(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/s390/kernel/syscalls/Makefile": ("syscall\t:= $(srctree)/$(src)/syscall.tbl\n"
                                               "syshdr_abi_unistd_32 := common,32\n"
                                               "syshdr_abi_unistd_64 := common,64\n"),
        "arch/s390/kernel/syscalls/syscall.tbl": (
            "11  common\texecve\t\tsys_execve\t\tcompat_sys_execve\n"
            "13  32\t\ttime\t\t-\t\t\tsys_time32\n"
            "142 64\t\tselect\t\tsys_select\t\t-\n"),
    })
    tables = tbl.extract(tree)
    assert rows(tables, "s390x") == [
        (11, "execve", "sys_execve", "compat_sys_execve", "execve", 1),
        (142, "select", "sys_select", None, "select", 3),
    ]
    assert rows(tables, "s390-compat") == [
        (11, "execve", "compat_sys_execve", "compat_sys_execve", "execve", 1),
        (13, "time", "sys_time32", "sys_time32", "time32", 2),
    ]
    assert {t.label: t.kconfig_arch for t in tables} == {"s390-compat": "s390", "s390x": "s390"}


def test_makefile_syscalls_arches(tmp_path):
    table = ("0\tcommon\tio_setup\tsys_io_setup\tcompat_sys_io_setup\n"
             "4\ttime32\tio_getevents\tsys_io_getevents_time32\n"
             "4\t64\tio_getevents\tsys_io_getevents\n"
             "25\t32\tfcntl64\tsys_fcntl64\tcompat_sys_fcntl64\n"
             "25\t64\tfcntl\tsys_fcntl\n"
             "244\tfoo\tcacheflush\tsys_cacheflush\n"
             "259\triscv\triscv_flush_icache\tsys_riscv_flush_icache\n")
    tree = make_tree(tmp_path, {
        "scripts/syscall.tbl": table,
        "scripts/Makefile.asm-headers": ("syscall_abis_32  += common,32\nsyscall_abis_64  += common,64\n"
                                         "syscalltbl := $(srctree)/scripts/syscall.tbl\n"),
        "arch/foo/Kconfig": "",
        "arch/foo/kernel/Makefile.syscalls": "syscall_abis_32 += foo time32\n",
        "arch/foo/include/asm/Kbuild": "syscall-y += syscall_table_32.h\n",
        "arch/riscv/Kconfig": "",
        "arch/riscv/kernel/Makefile.syscalls": ("syscall_abis_32 += riscv\n"
                                                "syscall_abis_64 += riscv\n"),
        "arch/riscv/include/asm/Kbuild": ("syscall-y += syscall_table_32.h\n"
                                          "syscall-y += syscall_table_64.h\n"),
    })
    tables = tbl.extract(tree)
    assert [(t.label, t.srcarch, t.kconfig_arch, t.path) for t in tables] == [
        ("foo", "foo", "foo", "scripts/syscall.tbl"),
        ("riscv32", "riscv", "riscv", "scripts/syscall.tbl"),
        ("riscv32-compat", "riscv", "riscv", "scripts/syscall.tbl"),
        ("riscv64", "riscv", "riscv", "scripts/syscall.tbl"),
    ]
    assert [r[:4] for r in rows(tables, "foo")] == [
        (0, "io_setup", "sys_io_setup", "compat_sys_io_setup"),
        (4, "io_getevents", "sys_io_getevents_time32", None),
        (25, "fcntl64", "sys_fcntl64", "compat_sys_fcntl64"),
        (244, "cacheflush", "sys_cacheflush", None),
    ]
    assert [r[0:2] for r in rows(tables, "riscv64")] == [
        (0, "io_setup"), (4, "io_getevents"), (25, "fcntl"), (259, "riscv_flush_icache")]
    assert [r[0:2] for r in rows(tables, "riscv32")] == [
        (0, "io_setup"), (25, "fcntl64"), (259, "riscv_flush_icache")]


def test_arm64_style_table_override(tmp_path):
    tree = make_tree(tmp_path, {
        "scripts/syscall.tbl": "0\tcommon\tunused\tsys_unused\n",
        "arch/arm64/Kconfig": "",
        "arch/arm64/kernel/Makefile.syscalls": ("syscall_abis_32 +=\nsyscall_abis_64 += renameat\n"
                                                "syscalltbl = arch/arm64/tools/syscall_%.tbl\n"),
        "arch/arm64/include/asm/Kbuild": ("syscall-y += syscall_table_32.h\n"
                                          "syscall-y += syscall_table_64.h\n"),
        "arch/arm64/tools/syscall_32.tbl": "0\tcommon\trestart_syscall\tsys_restart_syscall\n"
                                           "5\tcommon\topen\tsys_open\tcompat_sys_open\n",
        "arch/arm64/tools/syscall_64.tbl": "38\trenameat\trenameat\tsys_renameat\n"
                                           "39\t32\tnot_here\tsys_not_here\n",
    })
    tables = tbl.extract(tree)
    assert [(t.label, t.kconfig_arch, t.path) for t in tables] == [
        ("arm64-compat", "arm64", "arch/arm64/tools/syscall_32.tbl"),
        ("arm64", "arm64", "arch/arm64/tools/syscall_64.tbl"),
    ]
    assert rows(tables, "arm64-compat")[1] == (5, "open", "compat_sys_open", "compat_sys_open",
                                               "open", 2)
    assert rows(tables, "arm64") == [(38, "renameat", "sys_renameat", None, "renameat", 1)]


def test_unknown_arch_and_unparseable_makefile_fall_back(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/zzz/kernel/syscalls/syscall.tbl": "0\tcommon\tread\tsys_read\n1\tweird\tx\tsys_x\n",
        "arch/two/kernel/syscalls/syscall_a.tbl": "0\tcommon\tread\tsys_read\n",
        "arch/two/kernel/syscalls/syscall_b.tbl": "0\tcommon\twrite\tsys_write\n",
        "arch/sparc/kernel/syscalls/Makefile": "include $(srctree)/something/else.mk\n",
        "arch/sparc/kernel/syscalls/syscall.tbl": ("0\tcommon\trestart_syscall\tsys_restart_syscall\n"
                                                   "1\t32\texit32\tsys_exit\n"
                                                   "2\t64\texit64\tsys_exit\n"),
    })
    tables = tbl.extract(tree)
    assert [(t.label, t.kconfig_arch) for t in tables] == [
        ("sparc32", "sparc"), ("sparc32-compat", "sparc64"), ("sparc64", "sparc64"), ("two-a", "two"), ("two-b", "two"),
        ("zzz", "zzz")]
    assert [r[1] for r in rows(tables, "sparc64")] == ["restart_syscall", "exit64"]
    assert [r[1] for r in rows(tables, "zzz")] == ["read", "x"]


REALTREE = os.environ.get("CKPTLINT_REALTREE")


@pytest.mark.realtree
def test_real_tree_tables():
    if not REALTREE or not Path(REALTREE).is_dir():
        pytest.skip("set CKPTLINT_REALTREE to a kernel source tree to run real-tree tests")
    from ckptlint.extract import generic

    tree = KernelTree(REALTREE)
    tables = tbl.extract(tree) + generic.extract(tree)
    assert tables and all(t.entries for t in tables)
    if tree.era != "modern":
        return
    by_label = {t.label: t for t in tables}
    first = {label: next(e for e in by_label[label].entries if e.position == 0).nr_name
             for label in ("x86_64", "i386")}
    assert first == {"x86_64": "read", "i386": "restart_syscall"}


def test_7_x_loongarch_builds_a_32_and_a_64_bit_kernel(tmp_path):
    """7.x LoongArch: syscall_abis_32/64 in Makefile.syscalls; the 64-bit ABI keeps its
    6.x name, and each table is built by its own kernel only (abis.Abi.condition)."""
    from ckptlint.graph.abis import Abi

    tree = make_tree(tmp_path, {
        "scripts/syscall.tbl": "0\tcommon\tio_setup\tsys_io_setup\n",
        "scripts/Makefile.asm-headers": "syscalltbl := $(srctree)/scripts/syscall.tbl\n",
        "arch/loongarch/Kconfig": "",
        "arch/loongarch/kernel/Makefile.syscalls": "syscall_abis_32 += memfd_secret\n"
                                                   "syscall_abis_64 += memfd_secret\n",
        "arch/loongarch/include/asm/Kbuild": "syscall-y += syscall_table_32.h\n"
                                             "syscall-y += syscall_table_64.h\n",
    })
    tables = tbl.extract(tree)
    assert [(t.label, t.kconfig_arch) for t in tables] == [("loongarch32", "loongarch"),
                                                             ("loongarch", "loongarch")]
    assert [Abi(t.label, t.srcarch, t.kconfig_arch).condition for t in tables] == ["32BIT", "64BIT"]
    assert Abi("foo-64", "foo", "foo").condition == "64BIT"
    assert Abi("foo-32", "foo", "foo").condition == "!64BIT"


def test_an_arch_renames_a_shared_row(tmp_path):
    """6.12's csky and hexagon: scripts/syscall.tbl says sync_file_range at 84; their uapi
    header numbers 84 sync_file_range2 and drops the old name, and the file that expands
    the table calls the other function. The row is theirs as they rename it."""
    tree = make_tree(tmp_path, {
        "scripts/syscall.tbl": ("83\tcommon\tfsync\tsys_fsync\n"
                                "84\tcommon\tsync_file_range\tsys_sync_file_range\n"),
        "arch/foo/Kconfig": "",
        "arch/foo/kernel/Makefile.syscalls": "syscall_abis_32 += foo\n",
        "arch/foo/include/asm/Kbuild": "syscall-y += syscall_table_32.h\n",
        "arch/foo/include/uapi/asm/unistd.h": ("#define __NR_sync_file_range2 84\n"
                                               "#undef __NR_sync_file_range\n"),
        "arch/foo/kernel/syscall_table.c": ("#define sys_sync_file_range sys_sync_file_range2\n"
                                            "#include <asm/syscall_table_32.h>\n"),
    })
    assert [r[:5] for r in rows(tbl.extract(tree), "foo")] == [
        (83, "fsync", "sys_fsync", None, "fsync"),
        (84, "sync_file_range2", "sys_sync_file_range2", None, "sync_file_range2")]


def test_a_table_that_links_to_the_shared_one_is_reported_where_it_is_edited(tmp_path):
    """6.12's arch/arm64/tools/syscall_64.tbl is a symlink to scripts/syscall.tbl: a row
    is edited, and so reported, in scripts/syscall.tbl."""
    tree = make_tree(tmp_path, {
        "scripts/syscall.tbl": "0\tcommon\tio_setup\tsys_io_setup\n",
        "arch/arm64/Kconfig": "",
        "arch/arm64/kernel/Makefile.syscalls": ("syscall_abis_64 +=\n"
                                                "syscalltbl = arch/arm64/tools/syscall_%.tbl\n"),
        "arch/arm64/include/asm/Kbuild": "syscall-y += syscall_table_64.h\n",
    })
    (tmp_path / "arch/arm64/tools").mkdir(parents=True)
    os.symlink("../../../scripts/syscall.tbl", tmp_path / "arch/arm64/tools/syscall_64.tbl")
    tree = KernelTree(tmp_path)
    [table] = [t for t in tbl.extract(tree) if t.label == "arm64"]
    assert [(e.nr_name, str(e.loc)) for e in table.entries] == [("io_setup", "scripts/syscall.tbl:1")]
    assert table.path == "scripts/syscall.tbl"


# -- 4.18-5.11: per-target Makefile variables and per-ABI macros (linux-source-5.10) --------
PPC_510_MAKEFILE = """\
syscall := $(srctree)/$(src)/syscall.tbl
systbl := $(srctree)/$(src)/syscalltbl.sh
      cmd_systbl = $(CONFIG_SHELL) '$(systbl)' '$<' '$@'	\\
		   '$(systbl_abis_$(basetarget))'		\\
		   '$(systbl_abi_$(basetarget))'		\\
		   '$(systbl_offset_$(basetarget))'
systbl_abis_syscall_table_32 := common,nospu,32
systbl_abi_syscall_table_32 := 32
$(kapi)/syscall_table_32.h: $(syscall) $(systbl)
systbl_abis_syscall_table_64 := common,nospu,64
systbl_abi_syscall_table_64 := 64
$(kapi)/syscall_table_64.h: $(syscall) $(systbl)
systbl_abis_syscall_table_c32 := common,nospu,32
systbl_abi_syscall_table_c32 := c32
$(kapi)/syscall_table_c32.h: $(syscall) $(systbl)
systbl_abis_syscall_table_spu := common,spu
systbl_abi_syscall_table_spu := spu
$(kapi)/syscall_table_spu.h: $(syscall) $(systbl)
"""
PPC_510_SCRIPT = """\
	while read nr abi name entry compat ; do
		if [ "$my_abi" = "c32" ] && [ ! -z "$compat" ]; then
"""
PPC_ROWS = ("0\tnospu\trestart_syscall\tsys_restart_syscall\n"
            "291\t32\tfstatat64\tsys_fstatat64\tcompat_sys_fstatat64\n"
            "291\t64\tnewfstatat\tsys_newfstatat\n"
            "291\tspu\tnewfstatat\tsys_newfstatat\n")


def test_per_target_abi_lists_of_the_5x_makefiles(tmp_path):
    tree = make_tree(tmp_path, {"arch/powerpc/kernel/syscalls/Makefile": PPC_510_MAKEFILE,
                                "arch/powerpc/kernel/syscalls/syscalltbl.sh": PPC_510_SCRIPT,
                                "arch/powerpc/kernel/syscalls/syscall.tbl": PPC_ROWS})
    tables = tbl.extract(tree)
    # c32 (the compat column, "$my_abi" = "c32") is the 64-bit kernel's ppc32-compat, as in 6.x
    assert [t.label for t in tables] == ["ppc32", "ppc32-compat", "ppc64", "spu"]
    assert [r[:3] for r in rows(tables, "ppc32")] == [(0, "restart_syscall", "sys_restart_syscall"),
                                                      (291, "fstatat64", "sys_fstatat64")]
    assert [r[:3] for r in rows(tables, "ppc32-compat")][1] == (291, "fstatat64", "compat_sys_fstatat64")
    assert [r[:3] for r in rows(tables, "ppc64")] == [(0, "restart_syscall", "sys_restart_syscall"),
                                                      (291, "newfstatat", "sys_newfstatat")]
    assert [r[:3] for r in rows(tables, "spu")] == [(291, "newfstatat", "sys_newfstatat")]


def test_arm_5x_tag_is_the_abi_list_and_names_may_have_dashes(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/arm/tools/Makefile": (
            "syscall := $(srctree)/$(src)/syscall.tbl\nsystbl := $(srctree)/$(src)/syscalltbl.sh\n"
            "      cmd_systbl = $(CONFIG_SHELL) '$(systbl)' '$<' '$@' \\\n"
            "\t\t   '$(systbl_abi_$(basetarget))'\n"
            "systbl_abi_calls-oabi := common,oabi\n$(gen)/calls-oabi.S: $(syscall) $(systbl) FORCE\n"
            "systbl_abi_calls-eabi := common,eabi\n$(gen)/calls-eabi.S: $(syscall) $(systbl) FORCE\n"),
        "arch/arm/tools/syscall.tbl": ("21\tcommon\tmount\tsys_mount\n"
                                       "22\toabi\tumount\tsys_oldumount\n"),
    })
    tables = tbl.extract(tree)
    assert [r[:3] for r in rows(tables, "arm")] == [(21, "mount", "sys_mount")]
    assert [r[:3] for r in rows(tables, "arm-oabi")] == [(21, "mount", "sys_mount"),
                                                         (22, "umount", "sys_oldumount")]


def test_x86_5x_per_abi_macros_take_the_rows_the_c_files_keep(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/x86/entry/syscalls/Makefile": (
            "syscall32 := $(srctree)/$(src)/syscall_32.tbl\nsyscall64 := $(srctree)/$(src)/syscall_64.tbl\n"
            "systbl := $(srctree)/$(src)/syscalltbl.sh\n"
            "      cmd_systbl = $(CONFIG_SHELL) '$(systbl)' $< $@\n"
            "$(out)/syscalls_32.h: $(syscall32) $(systbl)\n"
            "$(out)/syscalls_64.h: $(syscall64) $(systbl)\n"),
        "arch/x86/entry/syscalls/syscalltbl.sh": '    echo "__SYSCALL_${abi}($nr, $entry)"\n',
        "arch/x86/entry/syscalls/syscall_32.tbl": X86_32,
        "arch/x86/entry/syscalls/syscall_64.tbl": X86_64,
    })
    tables = tbl.extract(tree)
    assert [t.label for t in tables] == ["i386", "ia32", "x86_64", "x32"]
    # 512 x32 rt_sigaction is not a second __NR_rt_sigaction of x86_64
    assert [r[:3] for r in rows(tables, "x86_64")] == [(0, "read", "sys_read"),
                                                       (13, "rt_sigaction", "sys_rt_sigaction")]


def test_an_arch_unistd_h_tells_checksyscalls_what_it_ignores(tmp_path):
    # 6.12: sparc's asm/unistd.h ignores the 32-bit set/getres[ug]id under
    # __32bit_syscall_numbers__; alpha's uapi unistd.h aliases __NR_getpid to getxpid
    tree = make_tree(tmp_path, {
        "arch/sparc/kernel/syscalls/syscall.tbl": "0\tcommon\trestart_syscall\tsys_restart_syscall\n",
        "arch/sparc/include/asm/unistd.h": ("#ifdef __32bit_syscall_numbers__\n"
                                            "#define __IGNORE_setresuid\n#endif\n"),
        "arch/alpha/kernel/syscalls/syscall.tbl": "20\tcommon\tgetxpid\tsys_getxpid\n",
        "arch/alpha/include/uapi/asm/unistd.h": "#define __NR_getpid __NR_getxpid\n",
    })
    tables = {t.label: t for t in tbl.extract(tree)}
    assert {name: str(loc) for name, loc in tables["alpha"].ignored.items()} == {
        "getpid": "arch/alpha/include/uapi/asm/unistd.h:1"}
    assert {name: str(loc) for name, loc in tables["sparc32"].ignored.items()} == {
        "setresuid": "arch/sparc/include/asm/unistd.h:2"}
