"""Arch quirks that real trees taught us (see docs/real-trees.md, `--arch all`).

Each test adds to the clean 6.12-style sample the smallest form of a
construct a real 6.12 arch uses, and asserts the exact findings.
"""

from __future__ import annotations

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.extract.prototypes import expand_param_macros
from ckptlint.tree import KernelTree


def findings(tree, *checks):
    result = run(KernelTree(tree), Options(min_severity="note", select=set(checks)))
    return [(f.rule, f.path, f.line) for f in result.findings]


def add(tree, rel, text, append=False):
    path = tree / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a" if append else "w") as handle:
        handle.write(text)


def wire_mmap2(tree):
    """i386 slot 9 calls sys_mmap2, defined in mm/nommu-less code built only with MMU."""
    add(tree, "arch/x86/entry/syscalls/syscall_32.tbl", "9\ti386\tmmap2\t\t\tsys_mmap2\n", True)
    add(tree, "include/linux/syscalls.h",
        "asmlinkage long sys_mmap2(unsigned long addr, unsigned long len);\n", True)
    add(tree, "init/Kconfig", "\nconfig MMU_OPT\n\tbool \"MMU\"\n", True)
    add(tree, "mm/Makefile", "obj-$(CONFIG_MMU_OPT) += mmap2.o\n", True)
    add(tree, "mm/mmap2.c", "SYSCALL_DEFINE2(mmap2, unsigned long, addr, unsigned long, len)\n{\n}\n")


def test_conditional_entry_without_fallback_is_reported(sample):
    tree = sample("clean-6.12")
    wire_mmap2(tree)
    assert findings(tree, "CKL301") == [("CKL301", "mm/mmap2.c", 1)]


def test_table_file_rename_provides_the_other_configurations(sample):
    # m68k 6.12 syscalltable.S: #ifndef CONFIG_MMU / #define sys_mmap2 sys_mmap_pgoff
    tree = sample("clean-6.12")
    wire_mmap2(tree)
    add(tree, "arch/x86/entry/syscall_32.c",
        "#ifndef CONFIG_MMU_OPT\n#define sys_mmap2\tsys_mmap_pgoff\n#endif\n"
        "#include <asm/syscalls_32.h>\nconst sys_call_ptr_t sys_call_table[] = {};\n")
    add(tree, "mm/mmap.c", "SYSCALL_DEFINE2(mmap_pgoff, unsigned long, addr, unsigned long, len)\n"
        "{\n}\n", True)
    assert findings(tree, "CKL301") == []


def test_prototype_alternatives_and_file_renames(sample):
    tree = sample("clean-6.12")
    # powerpc asm/syscalls.h: two sys_ni_syscall prototypes under #ifdef/#else
    add(tree, "arch/x86/include/asm/syscalls.h",
        "#ifdef CONFIG_ARCH_HAS_SYSCALL_WRAPPER\nlong sys_getpid(const struct pt_regs *regs);\n"
        "#else\nlong sys_getpid(void);\n#endif\n"
        # powerpc signal_32.c: #define ucontext ucontext32 above the definition
        "long sys_close(struct ucontext32 __user *ctx);\n"
        # a real mismatch stays one
        "long sys_write(unsigned int fd);\n")
    add(tree, "fs/open.c", "", True)
    text = (tree / "fs/open.c").read_text().replace(
        "SYSCALL_DEFINE1(close, unsigned int, fd)",
        "#define ucontext ucontext32\nSYSCALL_DEFINE1(close, struct ucontext __user *, ctx)")
    (tree / "fs/open.c").write_text(text)
    add(tree, "arch/x86/include/asm/Kbuild", "")
    assert findings(tree, "CKL201") == [
        ("CKL201", "arch/x86/include/asm/syscalls.h", 7),
        ("CKL201", "include/linux/syscalls.h", 15),  # the generic sys_close(unsigned int)
    ]


def test_asm_generic_prototype_only_for_arches_that_include_it(sample):
    tree = sample("clean-6.12")
    add(tree, "include/asm-generic/syscalls.h",
        "#ifndef sys_getpid\nasmlinkage long sys_getpid(struct pt_regs *regs);\n#endif\n")
    add(tree, "arch/x86/include/asm/syscalls.h", "/* x86 declares its own */\n")
    assert findings(tree, "CKL201") == []
    add(tree, "arch/x86/include/asm/syscalls.h", "#include <asm-generic/syscalls.h>\n")
    assert findings(tree, "CKL201") == [("CKL201", "include/asm-generic/syscalls.h", 2)]


def test_arch_enosys_stub_in_the_compat_column_is_a_hole(sample):
    # parisc 6.12: 68 32 sgetmask sys_sgetmask sys32_unimplemented
    tree = sample("clean-6.12")
    add(tree, "arch/x86/entry/syscalls/syscall_32.tbl",
        "68\ti386\tsgetmask\t\tsys_sgetmask\t\tsys32_unimplemented\n"
        "69\ti386\tssetmask\t\tsys_ssetmask\t\tcompat_sys_getpid\n", True)
    lines = (tree / "arch/x86/entry/syscalls/syscall_32.tbl").read_text().splitlines()
    ssetmask = next(i for i, line in enumerate(lines, 1) if "ssetmask" in line)
    assert findings(tree, "CKL107") == [
        ("CKL107", "arch/x86/entry/syscalls/syscall_32.tbl", ssetmask)]


def test_pair_macros_in_a_prototype_expand(tmp_path):
    from treeutil import make_tree

    tree = make_tree(tmp_path, {"include/linux/compat.h":
                                "#define compat_arg_u64(name)\t\tu32  name##_lo, u32  name##_hi\n"})
    text = tree.read_text("include/linux/compat.h")
    assert expand_param_macros(tree, text, "int fd, int mode, compat_arg_u64(offset), "
                                           "compat_arg_u64(len)") == (
        "int fd, int mode, u32  offset_lo, u32  offset_hi, u32  len_lo, u32  len_hi")
    assert expand_param_macros(tree, text, "int fd, __user_cap(x)") == "int fd, __user_cap(x)"


def test_assembly_included_by_a_built_file_is_built_with_it(sample):
    # sparc64 6.12: head_64.S (obj-y) #includes syscalls.S, which no Makefile names
    tree = sample("clean-6.12")
    add(tree, "arch/x86/kernel/Makefile", "obj-y += head_64.o\n", True)
    add(tree, "arch/x86/kernel/head_64.S", "#include \"syscalls.S\"\n")
    add(tree, "arch/x86/kernel/syscalls.S", "ENTRY(sys_asm_only)\n")
    from ckptlint.engine.run import wiring_graph

    graph = wiring_graph(KernelTree(tree), {"kbuild"}, Options())
    assert graph.gate("arch/x86/kernel/syscalls.S", "x86") == "(y)"
    assert graph.gate("arch/x86/kernel/unbuilt.S", "x86") is None


def test_wants_that_asm_generic_unistd_derives(tmp_path):
    # 2.6.33 score: its unistd.h sets __ARCH_WANT_SYSCALL_DEPRECATED and includes
    # asm-generic/unistd.h, which then defines __ARCH_WANT_SYS_TIME
    from ckptlint.engine.run import wiring_graph
    from treeutil import make_tree

    tree = make_tree(tmp_path, {
        "arch/score/include/asm/unistd.h": "#define __ARCH_WANT_SYSCALL_DEPRECATED\n"
                                           "#include <asm-generic/unistd.h>\n",
        "include/asm-generic/unistd.h": "#ifdef __ARCH_WANT_SYSCALL_DEPRECATED\n"
                                        "#define __ARCH_WANT_SYS_TIME\n#endif\n"
                                        "#ifdef __ARCH_WANT_SYSCALL_NO_AT\n"
                                        "#define __ARCH_WANT_SYS_UTIME\n#endif\n"}, ("score",))
    graph = wiring_graph(tree, set(), Options(arches=None))
    assert graph.resolve_arch_wants("__ARCH_WANT_SYS_TIME", "score") == "(((y)))"
    assert graph.resolve_arch_wants("__ARCH_WANT_SYS_UTIME", "score") == "((n))"


def test_number_named_twice_on_purpose_is_no_duplicate(sample):
    # arm 2.6.33: #define __NR_sync_file_range2 __NR_arm_sync_file_range;
    # h8300: __NR_madvise1 219 beside __NR_madvise 219, slot 219 a hole.
    # (A real reuse, two called syscalls on one number: case duplicate-number.)
    tree = sample("clean")
    header = tree / "arch/x86/include/asm/unistd_32.h"
    header.write_text(header.read_text().replace(
        "#define __NR_restart\t\t10\n",
        "#define __NR_restart\t\t10\n#define __NR_restart2\t\t__NR_restart\n"
        "#define __NR_retired\t\t7\n#define __NR_retired_too\t7\n"))
    table = tree / "arch/x86/kernel/syscall_table_32.S"  # arm's table calls the new name
    table.write_text(table.read_text().replace(".long sys_restart\t", ".long sys_restart2\t"))
    assert findings(tree, "CKL001") == []


def test_private_header_binds_only_its_includers(sample):
    # 2.6.33 sparc: kernel/systbls.h declares sparc64's sys_ipc; sys_sparc_32.c,
    # which defines another one, does not include it
    tree = sample("clean")
    add(tree, "arch/x86/kernel/systbls.h", "asmlinkage long sys_getpid(int unused);\n")
    assert findings(tree, "CKL201") == []
    add(tree, "kernel/sys.c", "#include \"../arch/x86/kernel/systbls.h\"\n", True)
    assert findings(tree, "CKL201") == [("CKL201", "arch/x86/kernel/systbls.h", 1)]


def test_header_included_only_under_a_condition(sample):
    # 2.6.33 sh: asm/syscalls.h includes syscalls_64.h only without CONFIG_SUPERH32;
    # the i386 kernel (always X86_32 here) never sees the 64-bit prototype
    tree = sample("clean")
    add(tree, "arch/x86/include/asm/syscalls.h",
        '#ifdef CONFIG_X86_32\n#include "syscalls_32.h"\n#else\n#include "syscalls_64.h"\n#endif\n')
    add(tree, "arch/x86/include/asm/syscalls_64.h", "asmlinkage long sys_checkpoint(int unused);\n")
    add(tree, "arch/x86/include/asm/syscalls_32.h", "")
    assert [f for f in findings(tree, "CKL201") if f[1].startswith("arch/")] == []


def test_file_local_rename_is_not_a_second_definition(sample):
    # 2.6.33 powerpc signal_32.c: #define sys_swapcontext compat_sys_swapcontext (PPC64)
    tree = sample("clean")
    add(tree, "kernel/Makefile", "obj-y += other.o\n", True)
    add(tree, "kernel/other.c", "#ifdef CONFIG_X86_64\n#define sys_getpid compat_sys_getpid\n"
        "#endif\nasmlinkage long sys_getpid(void)\n{\n}\n")
    assert findings(tree, "CKL204") == []


def test_old_trees_compare_arch_families_and_note_what_their_tools_let_pass(tmp_path):
    """2.6.16: arch/x86_64 is i386's other half, not an arch to hold to i386's list;
    and before scripts/checksyscalls.sh (2.6.22) a missing number is only a note."""
    import shutil

    from samples import ROOT

    from ckptlint.engine.options import Options
    from ckptlint.engine.run import run
    from ckptlint.tree import KernelTree

    tree = tmp_path / "t"
    shutil.copytree(ROOT / "clean-2.6.16", tree)
    unistd = tree / "include/asm-i386/unistd.h"
    text = unistd.read_text()
    last = [line for line in text.splitlines() if line.startswith("#define __NR_")][-1]
    name, number = last.split()[1], int(last.split()[2])
    unistd.write_text(text.replace(last, f"{last}\n#define __NR_frob {number + 1}"))
    found = run(KernelTree(tree), Options(min_severity="note", select={"CKL602"})).findings
    assert {(f.rule, f.arch, f.severity) for f in found} == {("CKL602", "sparc32", "note")}


def test_the_reference_list_does_not_depend_on_the_arches_in_scope(sample):
    """--arch arm still holds arm to i386's list, as scripts/checksyscalls.sh does."""
    from ckptlint.engine.options import Options
    from ckptlint.engine.run import run
    from ckptlint.tree import KernelTree

    tree = KernelTree(sample("missing-on-arch"))
    for arches in (None, {"arm"}):
        found = run(tree, Options(arches=arches, select={"CKL602"})).findings
        assert [(f.rule, f.path, f.line, f.symbol) for f in found] == [
            ("CKL602", "arch/arm/kernel/calls.S", 8, "getpid")]


FADVISE = "\nSYSCALL_DEFINE6(fadvise64_64, int, fd, SC_ARG64(offset), SC_ARG64(len), int, advice)\n{\n}\n"
SPLIT = "#define SC_ARG64(name) u32, name##_lo, u32, name##_hi\n"


def test_a_pair_macro_moved_into_an_included_header_is_still_expanded(sample):
    # a refactor that moves SC_ARG64 from syscalls.h into a header it includes
    # changes nothing the compiler sees: no arity error either
    tree = sample("clean-6.12")
    add(tree, "kernel/sys.c", FADVISE, append=True)
    add(tree, "include/linux/syscall_split.h", SPLIT)
    syscalls = tree / "include/linux/syscalls.h"
    syscalls.write_text(syscalls.read_text().replace(
        "#define _LINUX_SYSCALLS_H\n", "#define _LINUX_SYSCALLS_H\n#include <linux/syscall_split.h>\n"))
    assert findings(tree, "CKL203", "CKL010") == []


def test_a_pair_macro_defined_nowhere_leaves_the_parameters_unknown(sample):
    # unexpanded, SC_ARG64(offset) stands for an unknown number of pairs: no CKL203
    # on a definition nobody edited, one note at it saying what was not read
    tree = sample("clean-6.12")
    add(tree, "kernel/sys.c", FADVISE, append=True)
    assert findings(tree, "CKL203", "CKL010") == [("CKL010", "kernel/sys.c", 7)]
    add(tree, "include/linux/syscall_split.h", SPLIT)
    add(tree, "kernel/sys.c", '#include <linux/syscall_split.h>\n' + (tree / "kernel/sys.c").read_text())
    assert findings(tree, "CKL203", "CKL010") == [("CKL010", "kernel/sys.c", 8)]
    add(tree, "kernel/sys.c", SPLIT, append=True)  # in the file itself: expanded
    assert findings(tree, "CKL203", "CKL010") == []


def test_a_prototype_only_another_arch_sees_leaves_the_callers_without_one(sample):
    # 2.6.30's pipe2: declared only in powerpc's asm/syscalls.h while the generic
    # table called it on every arch (ecf4667d30d added the generic declaration)
    tree = sample("clean-all-arches")
    syscalls = tree / "include/linux/syscalls.h"
    syscalls.write_text(syscalls.read_text().replace("asmlinkage long sys_getpid(void);\n", ""))
    add(tree, "arch/x86/include/asm/syscalls.h", "asmlinkage long sys_getpid(void);\n", append=True)
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL202"}))
    assert [(f.rule, f.path, f.line) for f in result.findings] == [("CKL202", "kernel/sys.c", 2)]
    assert "tables of arm, s390, which see none of the headers" in result.findings[0].message
    add(tree, "include/linux/syscalls.h", "asmlinkage long sys_getpid(void);\n", append=True)
    assert findings(tree, "CKL202") == []


def test_a_gate_no_arch_can_enable_is_reported_at_its_config_line(sample):
    # the syscall moved into an object under a symbol with neither prompt nor default:
    # dead on every arch, so the symbol is what to edit, not the first arch's table
    tree = sample("clean-6.12")
    add(tree, "init/Kconfig", "\nconfig GETPID_OPT\n\tbool\n", append=True)
    kernel = tree / "kernel/Makefile"
    kernel.write_text("obj-y     = exit.o signal.o sys_ni.o\nobj-$(CONFIG_GETPID_OPT) += sys.o\n")
    add(tree, "kernel/sys_ni.c", "COND_SYSCALL(getpid);\n", append=True)
    lines = (tree / "init/Kconfig").read_text().split("\n")
    config = lines.index("config GETPID_OPT") + 1
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL404"}))
    assert [(f.rule, f.path, f.line) for f in result.findings] == [("CKL404", "init/Kconfig", config)]
    assert "but GETPID_OPT can be y on no arch" in result.findings[0].message
    add(tree, "init/Kconfig", "\tdefault y if X86_32\n", append=True)  # i386 can: a table's finding
    assert findings(tree, "CKL404") == [("CKL404", "arch/x86/entry/syscalls/syscall_32.tbl", 15)]  # ia32


def test_an_emptied_syscalls_h_is_one_finding_there(sample):
    # 7.3 with an empty include/linux/syscalls.h gave 472 CKL202, one per definition
    tree = sample("clean-6.12")
    (tree / "include/linux/syscalls.h").write_text("/* nothing */\n")
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL202"}))
    assert [(f.rule, f.path, f.line) for f in result.findings] == [
        ("CKL202", "include/linux/syscalls.h", 1)]
    assert result.findings[0].message.startswith("include/linux/syscalls.h declares no syscall: 8 ")


def test_a_socket_call_the_sibling_reaches_through_socketcall_is_wired_there(sample):
    # 2.6.27's paccept: x86_64 numbered it, i386 reached it through socketcall
    tree = sample("clean-6.12")
    add(tree, "arch/x86/entry/syscalls/syscall_32.tbl", "102\ti386\tsocketcall\t\tsys_socketcall\n", True)
    add(tree, "arch/x86/entry/syscalls/syscall_64.tbl", "288\tcommon\taccept4\t\t\tsys_accept4\n", True)
    add(tree, "net/socket.c", "SYSCALL_DEFINE4(accept4, int, fd, int, a, int, b, int, flags)\n{\n}\n"
        "SYSCALL_DEFINE2(socketcall, int, call, unsigned long __user *, args)\n{\n}\n")
    add(tree, "Kbuild", "obj-y += net/\n", True)
    add(tree, "net/Makefile", "obj-y += socket.o\n")
    # each at the other ABI's table, after the last call both have (where its line goes)
    socketcall = ("CKL601", "arch/x86/entry/syscalls/syscall_64.tbl", 11)  # i386's own, in this sample
    assert findings(tree, "CKL601") == [("CKL601", "arch/x86/entry/syscalls/syscall_32.tbl", 8),
                                        socketcall]
    add(tree, "include/uapi/linux/net.h", "#define SYS_ACCEPT4\t18\t/* sys_accept4(2) */\n")
    assert findings(tree, "CKL601") == [socketcall]


def test_a_new_syscall_is_judged_by_its_native_definition():
    # 2.6.30's preadv: the ia32 view calls compat_sys_preadv in fs/compat.c, which sorts
    # before fs/read_write.c; the finding belongs at the native SYSCALL_DEFINE
    from ckptlint.abi.snapshot import Call
    from ckptlint.checks.new_syscall_without_flags import representative
    from ckptlint.facts import Location, Param

    native = Call("i386", "preadv", 333, Location("arch/x86/include/asm/unistd_32.h", 340),
                  "sys_preadv", None, None, (Param("unsigned long", "fd"),),
                  Location("fs/read_write.c", 755))
    compat = Call("ia32", "preadv", 333, Location("arch/x86/include/asm/unistd_32.h", 340),
                  "compat_sys_preadv", None, None, (Param("unsigned long", "fd"),),
                  Location("fs/compat.c", 1236))
    assert representative([compat, native]) is native
    assert representative([compat]) is compat


def test_a_slot_missing_from_a_table_um_also_runs_is_one_finding(sample):
    # um-i386 reads i386's very table and numbers: one missing slot, one error for both
    tree = sample("um-host-table")
    unistd = tree / "include/asm-i386/unistd.h"
    unistd.write_text(unistd.read_text().replace(
        "#define NR_syscalls 9", "#define __NR_frob\t\t  9\n#define NR_syscalls 10"))
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL104"}))
    assert [(f.rule, f.path, f.line) for f in result.findings] == [
        ("CKL104", "include/asm-i386/unistd.h", 18)]
    assert result.findings[0].message.endswith("(also um-i386, which read the same lines)")


def test_a_symbol_the_arch_makefile_sets_itself_is_defined(sample):
    # 5.10 x86: CONFIG_X86_X32_ABI := y and -DCONFIG_X86_X32_ABI when the linker can do x32
    tree = sample("clean-6.12")
    add(tree, "kernel/Makefile", "obj-$(CONFIG_FOO_X32_ABI) += foo.o\n", True)
    line = len((tree / "kernel/Makefile").read_text().splitlines())
    assert findings(tree, "CKL502") == [("CKL502", "kernel/Makefile", line)]
    add(tree, "arch/x86/Makefile", "ifeq ($(x32_ok),y)\n        CONFIG_FOO_X32_ABI := y\n"
        "        KBUILD_CFLAGS += -DCONFIG_FOO_X32_ABI\nendif\n", True)
    assert findings(tree, "CKL502") == []


def test_a_row_missing_from_one_mips_table_is_one_finding(sample):
    # 6.12 mips: frob in the n64 table and i386's, not in o32's: CKL602 at the o32
    # table, not also a CKL601 "wired for mips-n64 but not for mips-o32"
    tree = sample("clean-6.12")
    add(tree, "arch/x86/entry/syscalls/syscall_32.tbl", "9\ti386\tfrob\t\t\tsys_frob\n", True)
    add(tree, "arch/x86/entry/syscalls/syscall_64.tbl", "61\tcommon\tfrob\t\t\tsys_frob\n", True)
    add(tree, "include/linux/syscalls.h", "asmlinkage long sys_frob(int fd);\n", True)
    add(tree, "kernel/sys.c", "SYSCALL_DEFINE1(frob, int, fd)\n{\n}\n", True)
    add(tree, "arch/mips/Kconfig", "config MIPS\n\tdef_bool y\n")
    add(tree, "arch/mips/kernel/syscalls/syscall_n64.tbl", "0\tn64\tread\tsys_read\n"
        "1\tn64\tgetpid\tsys_getpid\n2\tn64\tfrob\tsys_frob\n")
    add(tree, "arch/mips/kernel/syscalls/syscall_o32.tbl", "3\to32\tread\tsys_read\n"
        "20\to32\tgetpid\tsys_getpid\n")
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL601", "CKL602"}))
    assert [(f.rule, f.path, f.line) for f in result.findings if f.message.startswith("frob ")] == [
        ("CKL602", "arch/mips/kernel/syscalls/syscall_o32.tbl", 2)]


def test_an_abi_whose_arch_has_no_kconfig_is_unknown_not_off(sample):
    # 2.6.24-rc2 (before the fix for it) found no arch/x86/Kconfig and called 170 syscalls
    # "built only if y ... the link fails when that is off": principle 2
    tree = sample("clean-6.12")
    wire_mmap2(tree)
    assert findings(tree, "CKL301") == [("CKL301", "mm/mmap2.c", 1)]
    (tree / "arch/x86/Kconfig").unlink()
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL301"}))
    assert [f for f in result.findings if f.rule == "CKL301"] == []
    assert [(cause.loc.path, cause.message) for cause, checks in result.unevaluated
            if "CKL301" in checks] == [
        ("arch/x86", "arch/x86 has no Kconfig that ckptlint could find")]


def test_the_per_arch_kconfig_of_the_2_6_24_rc_transition(tmp_path):
    from ckptlint.kconfig.loader import arch_configs, kconfig_root
    from treeutil import make_tree

    tree = make_tree(tmp_path, {
        "scripts/kconfig/Makefile": ("ifneq ($(wildcard $(srctree)/arch/$(SRCARCH)/Kconfig.$(ARCH)),)\n"
                                     "        Kconfig := arch/$(SRCARCH)/Kconfig.$(ARCH)\nelse\n"
                                     "        Kconfig := arch/$(SRCARCH)/Kconfig\nendif\n"),
        "arch/x86/Kconfig.i386": "config X86_32\n\tdef_bool y\n",
        "arch/x86/Kconfig.x86_64": "config X86_64\n\tdef_bool y\n",
    })
    assert tree.srcarches == ["x86"]
    assert [(c.label, kconfig_root(tree, c)) for c in arch_configs(tree)] == [
        ("i386", "arch/x86/Kconfig.i386"), ("x86_64", "arch/x86/Kconfig.x86_64")]


def test_a_misspelt_fallback_is_one_finding_at_it(sample):
    # COND_SYSCALL(mmap3) meant for sys_mmap2: CKL301 at the typo, not also CKL302
    tree = sample("clean-6.12")
    wire_mmap2(tree)
    add(tree, "kernel/sys_ni.c", "COND_SYSCALL(mmap3);\n", append=True)
    line = len((tree / "kernel/sys_ni.c").read_text().splitlines())
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL301", "CKL302"}))
    assert [(f.rule, f.path, f.line) for f in result.findings] == [("CKL301", "kernel/sys_ni.c", line)]
    assert result.findings[0].message == (
        "cond_syscall(sys_mmap3) names no function; sys_mmap2, built only if MMU_OPT, has no "
        "fallback: the link fails when that is off (on i386, ia32)")


def test_a_new_row_x32_does_not_take_is_reported(sample):
    # "463 64 frob" where "common" was meant: syscalls_x32.h takes common,x32 only
    tree = sample("clean-6.12")
    add(tree, "arch/x86/entry/syscalls/syscall_32.tbl", "9\ti386\tfrob\t\t\tsys_frob\n", True)
    add(tree, "arch/x86/entry/syscalls/syscall_64.tbl", "61\t64\tfrob\t\t\tsys_frob\n", True)
    add(tree, "arch/x86/entry/syscalls/Makefile", "$(out)/syscalls_x32.h: $(syscall64) $(systbl) FORCE\n"
        "\t$(call if_changed,systbl)\n"  # the sample builds no x32 table, nor picks rows by ABI
        "      cmd_systbl = $(CONFIG_SHELL) $(systbl) --abis $(abis) $< $@\n", True)
    add(tree, "arch/x86/Kconfig", "\nconfig X86_X32_ABI\n\tbool \"x32 ABI for 64-bit mode\"\n"
        "\tdepends on X86_64\n", True)
    add(tree, "include/linux/syscalls.h", "asmlinkage long sys_frob(int fd);\n", True)
    add(tree, "kernel/sys.c", "SYSCALL_DEFINE1(frob, int, fd)\n{\n}\n", True)
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL601"}))
    assert [(f.rule, f.path, f.line, f.message) for f in result.findings] == [
        ("CKL601", "arch/x86/entry/syscalls/syscall_64.tbl", 13,
         "frob is wired for x86_64 but not for x32")]


def test_a_misspelt_prototype_is_one_finding_at_it(sample):
    tree = sample("clean-6.12")
    add(tree, "arch/x86/entry/syscalls/syscall_32.tbl", "9\ti386\tfrob\t\t\tsys_frob\n", True)
    add(tree, "kernel/sys.c", "SYSCALL_DEFINE1(frob, int, fd)\n{\n}\n", True)
    add(tree, "include/linux/syscalls.h", "asmlinkage long sys_forb(int fd);\n", True)
    line = len((tree / "include/linux/syscalls.h").read_text().splitlines())
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL202"}))
    assert [(f.rule, f.path, f.line, f.message) for f in result.findings] == [
        ("CKL202", "include/linux/syscalls.h", line, "sys_forb is declared here but defined "
         "nowhere, and sys_frob, which a syscall table calls, is declared nowhere: did you "
         "mean sys_frob?")]


def test_a_row_another_abi_takes_is_where_ckl602_points(sample):
    # 6.12 arm: "463 oabi frob" where "common" was meant: the eabi table lacks it, and the
    # finding is at that row, not at the row before it
    tree = sample("clean-6.12")
    add(tree, "arch/x86/entry/syscalls/syscall_32.tbl", "9\ti386\tfrob\t\t\tsys_frob\n", True)
    add(tree, "kernel/sys.c", "SYSCALL_DEFINE1(frob, int, fd)\n{\n}\n", True)
    add(tree, "arch/arm/Kconfig", "config ARM\n\tdef_bool y\n")
    add(tree, "arch/arm/tools/Makefile",
        "syscall := $(src)/syscall.tbl\nsystbl := $(srctree)/scripts/syscalltbl.sh\n"
        "gen-y := $(gen)/calls-oabi.S\ngen-y += $(gen)/calls-eabi.S\n"
        "      cmd_systbl = $(CONFIG_SHELL) $(systbl) --abis common,$* $< $@\n"
        "$(gen)/calls-%.S: $(syscall) $(systbl) FORCE\n")
    add(tree, "arch/arm/tools/syscall.tbl", "3\tcommon\tread\tsys_read\n"
        "20\tcommon\tgetpid\tsys_getpid\n21\toabi\tfrob\tsys_frob\n")
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL602"}))
    assert [(f.path, f.line) for f in result.findings
            if f.message.startswith("frob ") and f.arch == "arm"] == [("arch/arm/tools/syscall.tbl", 3)]
