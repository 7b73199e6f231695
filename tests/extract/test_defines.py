"""defines: SYSCALL_DEFINEn, plain C definitions and assembly entry labels."""

from __future__ import annotations

import os

import pytest

from ckptlint.extract import defines
from ckptlint.facts import Location, Param
from ckptlint.tree import KernelTree
from treeutil import make_tree


CHECKPOINT_C = """\
#include <linux/syscalls.h>
/*
 * SYSCALL_DEFINE3(commented, int, a, int, b, int, c)
 */
#define SYSCALL_DEFINE_LOCAL(x) SYSCALL_DEFINE1(x, int, a)

SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd,
		unsigned long, flags, int, logfd)
{
	return 0;
}

SYSCALL_DEFINE0(restart_simple)
{
	printk("SYSCALL_DEFINE1(in_string, int, a)");
	return sys_other(1);
}
// SYSCALL_DEFINE1(line_comment, int, a)
COMPAT_SYSCALL_DEFINE2(ckpt, int, fd,
	compat_ulong_t, flags)
{
	long ret = sys_checkpoint(0, fd, flags, -1);
	return ret;
}
SYSCALL32_DEFINE0(sigreturn)
{
}
SYSCALL_DEFINE6(odd_args, int, fd, SC_ARG64(offset), SC_ARG64(len), int, advice)
{
}
SYSCALL_DEFINE2(missing_pair, int, fd, long)
{
}
"""

HEADER = "#define SC_ARG64(name) u32, name##_lo, u32, name##_hi\n"

OLD_C = """\
asmlinkage long sys_old(unsigned int fd,
			char __user *buf)
{
	return 0;
}

asmlinkage long
sys_clone(unsigned long clone_flags, void __user *parent_tid)
{
	return do_fork();
}

int sys_fork(struct pt_regs *regs)
{
	return sys_clone(0, NULL);
}

static long sys_helper(int x)
{
	return x;
}

long sys_decl_only(int);
int stub_not_in_arch(void) { return 0; }
"""

ENTRY_S = """\
/* ENTRY(sys_commented) */
#define PTREGSCALL0(name) \\
	ALIGN; \\
ptregs_##name: \\
	leal 4(%esp),%eax; \\
	jmp sys_##name;

PTREGSCALL0(fork)
PTREGSCALL0(eclone)

ENTRY(sys_call_table)
	.long sys_restart_syscall
ENTRY(sys_asm_entry)
	ret
	.globl sys_globl_label
sys_globl_label:
	ret
ptregs_clone:
	ret
	.macro PTREGSCALL label, func, arg
	.globl \\label
\\label:
	leaq \\func(%rip),%rax
	.endm
	PTREGSCALL stub_clone, sys_clone, %r8
	PTREGSCALL stub_eclone, sys_eclone, %r8
# sys_hash_comment:
not_a_syscall:
"""


@pytest.fixture
def tree(tmp_path):
    return make_tree(tmp_path, {
        "checkpoint/sys.c": CHECKPOINT_C,
        "include/linux/syscalls.h": HEADER,
        "arch/x86/kernel/process.c": OLD_C,
        "drivers/usb/usbip/stub_main.c": "int stub_probe(int x)\n{\n}\n",
        "arch/x86/kernel/entry_32.S": ENTRY_S,
        "kernel/nothing.c": "int main(void) { return 0; }\n",
    })


def defs(tree, path=None):
    return [d for d in defines.extract(tree) if path is None or d.loc.path == path]


def test_syscall_define(tree):
    found = {d.function: d for d in defs(tree, "checkpoint/sys.c")}
    assert sorted(found) == ["compat_sys_ckpt", "compat_sys_sigreturn", "sys_checkpoint",
                             "sys_missing_pair", "sys_odd_args", "sys_restart_simple",
                             "sys_sigreturn"]
    ckpt = found["sys_checkpoint"]
    assert (ckpt.kind, ckpt.arity, ckpt.loc) == ("SYSCALL_DEFINE", 4, Location("checkpoint/sys.c", 7))
    assert ckpt.params == (Param("pid_t", "pid"), Param("int", "fd"),
                           Param("unsigned long", "flags"), Param("int", "logfd"))
    assert found["sys_restart_simple"].arity == 0 and found["sys_restart_simple"].params == ()
    assert found["compat_sys_ckpt"].loc.line == 19
    assert found["compat_sys_ckpt"].params[1] == Param("compat_ulong_t", "flags")
    assert found["sys_sigreturn"].loc == found["compat_sys_sigreturn"].loc
    assert [p.name for p in found["sys_odd_args"].params] == [
        "fd", "offset_lo", "offset_hi", "len_lo", "len_hi", "advice"]
    assert found["sys_missing_pair"].arity == 2
    assert found["sys_missing_pair"].params == (Param("int", "fd"),)


def test_old_style_c_definitions(tree):
    found = {d.function: d for d in defs(tree, "arch/x86/kernel/process.c")}
    assert sorted(found) == ["stub_not_in_arch", "sys_clone", "sys_fork", "sys_old"]
    assert found["sys_old"].kind == "asmlinkage" and found["sys_old"].arity is None
    assert found["sys_old"].params == (Param("unsigned int", "fd"), Param("char *", "buf"))
    assert found["sys_clone"].loc == Location("arch/x86/kernel/process.c", 8)
    assert found["sys_fork"].kind == "c"
    assert found["sys_fork"].params == (Param("struct pt_regs *", "regs"),)
    assert defs(tree, "drivers/usb/usbip/stub_main.c") == []


def test_assembly_labels(tree):
    found = [(d.function, d.loc.line) for d in defs(tree, "arch/x86/kernel/entry_32.S")]
    assert found == [("ptregs_fork", 8), ("ptregs_eclone", 9), ("sys_asm_entry", 13),
                     ("sys_globl_label", 15), ("ptregs_clone", 18),
                     ("stub_clone", 25), ("stub_eclone", 26)]
    assert all(d.kind == "asm" and d.params == () for d in defs(tree, "arch/x86/kernel/entry_32.S"))


def test_explicit_paths(tree):
    only = defines.extract(tree, ["checkpoint/sys.c"])
    assert {d.loc.path for d in only} == {"checkpoint/sys.c"}


def test_candidate_prefilter(tree):
    paths = defines.candidate_files(tree, (".c",), defines._c_candidate)
    assert "kernel/nothing.c" not in paths and "checkpoint/sys.c" in paths


@pytest.mark.realtree
def test_realtree_sys_read():
    root = os.environ.get("CKPTLINT_REALTREE")
    if not root:
        pytest.skip("set CKPTLINT_REALTREE to a kernel source tree to run this test")
    tree = KernelTree(root)
    reads = [d for d in defines.extract(tree) if d.function == "sys_read"]
    assert any(d.kind == "SYSCALL_DEFINE" and d.arity == 3 and d.loc.path == "fs/read_write.c"
               and [p.type for p in d.params] == ["unsigned int", "char *", "size_t"]
               for d in reads)


def test_unprefixed_table_entries_are_found_in_assembly(tmp_path):
    from ckptlint.extract import defines

    tree = make_tree(tmp_path, {
        "arch/alpha/kernel/entry.S": "\t.align 4\n\t.globl alpha_fork\nalpha_fork:\n\tbr sys_fork\n",
        "arch/m68k/kernel/entry.S": "ENTRY(__sys_fork)\n\tjbsr sys_fork\n",
        "arch/m68k/kernel/other.S": "unrelated_label:\n\trts\n"})
    found = [(d.function, d.kind, d.loc.path, d.loc.line)
             for d in defines.extract(tree, extra_names={"alpha_fork", "__sys_fork", "unrelated"})]
    assert found == [("alpha_fork", "asm", "arch/alpha/kernel/entry.S", 2),
                     ("__sys_fork", "asm", "arch/m68k/kernel/entry.S", 1)]


def test_unprefixed_entries_outside_arch_count_as_asmlinkage_definitions_only(tmp_path):
    # 2.6.12: eleven tables name `old_readdir`, defined in fs/readdir.c
    tree = make_tree(tmp_path, {
        "fs/readdir.c": "struct readdir_callback { int result; };\n\n"
                        "asmlinkage long old_readdir(unsigned int fd, void __user * dirent, unsigned int count)\n"
                        "{\n\treturn 0;\n}\n",
        "fs/other.c": "long old_select(int n)\n{\n\treturn n;\n}\n",
        "arch/i386/kernel/sys_i386.c": "asmlinkage int old_mmap(struct mmap_arg_struct __user *arg)\n{\n}\n"})
    found = [(d.function, d.kind, d.loc.path, d.loc.line)
             for d in defines.extract(tree, extra_names={"old_readdir", "old_select", "old_mmap"})]
    assert sorted(found) == [("old_mmap", "asmlinkage", "arch/i386/kernel/sys_i386.c", 1),
                             ("old_readdir", "asmlinkage", "fs/readdir.c", 3)]


def test_gas_macro_labels_with_a_prefix(tmp_path):
    # alpha 6.12 entry.S: ``.macro fork_like name`` defines ``alpha_\name:``
    from ckptlint.extract import defines

    tree = make_tree(tmp_path, {"arch/alpha/kernel/entry.S":
                                ".macro\tfork_like name\n\t.align\t4\n\t.globl\talpha_\\name\n"
                                "alpha_\\name:\n\tjsr\t$26, sys_\\name\n.endm\n\n"
                                "fork_like fork\nfork_like clone3\n"})
    found = [(d.function, d.loc.line)
             for d in defines.extract(tree, extra_names={"alpha_fork", "alpha_clone3"})]
    assert found == [("alpha_fork", 8), ("alpha_clone3", 9)]


SIM_H_612 = ('#define save_static_function(symbol)\t\t\t\t\t\\\n__asm__(\t\t\t\t\t\t\t\\\n'
             '\t".text\\n\\t"\t\t\t\t\t\t\\\n\t".ent\\t__" #symbol ", 0\\n__"\t\t\t\t\\\n'
             '\t#symbol":\\n\\t"\t\t\t\t\t\t\\\n\t"j\\t_" #symbol "\\n\\t")\n')
SIM_H_26 = SIM_H_612.replace('__" #symbol ", 0\\n__"', '" #symbol ", 0\\n"')


@pytest.mark.parametrize("sim_h, label", [(SIM_H_612, "__sys_sysmips"), (SIM_H_26, "sys_sysmips")])
def test_label_made_by_a_c_macro(tmp_path, sim_h, label):
    # mips: the tables call the label save_static_function() makes; its prefix
    # is read from asm/sim.h (``__`` in 6.x, none in 2.6)
    tree = make_tree(tmp_path, {"arch/mips/include/asm/sim.h": sim_h,
                                "arch/mips/kernel/syscall.c":
                                "#include <asm/sim.h>\n\nsave_static_function(sys_sysmips);\n"
                                "static int __used noinline\n"
                                "_sys_sysmips(long cmd, long arg1, long arg2)\n{\n}\n"})
    found = sorted((d.function, d.kind, d.loc.line) for d in defines.extract(tree))
    assert found == [(label, "asm", 3)]


def test_mips_leaf_defines_a_prefixed_entry(tmp_path):
    # mips 6.12 scall64-o32.S: LEAF(sys32_syscall), the o32 compat column's slot 0
    tree = make_tree(tmp_path, {"arch/mips/kernel/scall64-o32.S":
                                "\t.align\t5\nLEAF(sys32_syscall)\n\tjr\tra\n\tEND(sys32_syscall)\n"})
    assert [(d.function, d.loc.line) for d in defines.extract(tree)] == [("sys32_syscall", 2)]


def test_filters_asked_along_the_definition_scan_are_answered_from_its_mapping(tmp_path):
    """``scan_along``: the definition scan answers another byte filter for the files it maps
    (arch files only, here); a later keyed ``scan_bytes`` opens nothing and agrees."""
    from ckptlint.extract.source_text import _may_rename_entries, scan_along_definitions
    from ckptlint.runtime.definition_scan import scan_file

    tree = make_tree(tmp_path, {
        "arch/m68k/kernel/syscalltable.S": "#ifndef CONFIG_MMU\n#define sys_mmap2 sys_mmap_pgoff\n#endif\n"
                                           "ENTRY(sys_call_table)\n\t.long sys_mmap2\n",
        "arch/m68k/kernel/sys_m68k.c": "#define FOO bar\nint x;\n",
        "kernel/table.c": "#define sys_y z\nvoid *sys_call_table;\n"}, arches=("m68k",))
    scan_along_definitions(tree)
    scanner = defines.Scanner()
    for rel in ("arch/m68k/kernel/syscalltable.S", "arch/m68k/kernel/sys_m68k.c", "kernel/table.c"):
        scan_file(tree, scanner, rel)
    never = lambda rel, data: pytest.fail(f"{rel} opened again")  # noqa: E731
    assert tree.scan_bytes("arch/m68k/kernel/syscalltable.S", never, "entry-aliases") is True
    assert tree.scan_bytes("arch/m68k/kernel/sys_m68k.c", never, "entry-aliases") is False
    # outside arch/ nothing was answered along: the filter runs when asked
    assert ("kernel/table.c", "entry-aliases") not in tree._scan_cache  # noqa: SLF001
    assert tree.scan_bytes("kernel/table.c", _may_rename_entries, "entry-aliases") is True
    assert ("kernel/table.c", "entry-aliases") in tree._scan_cache  # noqa: SLF001


def test_whole_files_are_read_for_the_byte_scans_even_when_they_shrink(tmp_path):
    """The byte scans read a file in one go (``read_fd``): all of it, or what is
    left when it shrank between the stat and the read (never a fault, as a map
    of a truncated file would give)."""
    from ckptlint.treewalk import read_fd

    path = tmp_path / "table.c"
    body = b"SYSCALL_DEFINE0(x)\n" * 5000  # 95 KB
    path.write_bytes(body)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read_fd(fd, len(body)) == body
        os.lseek(fd, 0, os.SEEK_SET)
        os.truncate(path, 10)
        assert read_fd(fd, len(body)) == body[:10]
    finally:
        os.close(fd)
    tree = make_tree(tmp_path, {})
    assert tree.scan_bytes("table.c", lambda rel, data: data == body[:10]) is True


def test_unprefixed_entry_names_are_found_by_a_factored_alternation():
    """The names without a syscall prefix (6.12: ``parisc_pipe2``, ``sysm_pipe``...) are
    searched for as one alternation with common prefixes factored out; it matches
    exactly what the plain alternation matches, prefixes of one another included."""
    import random
    import re

    assert defines._factored(["ab", "a", "abc", "b_x"]) == "(?:a(?:b(?:c)?)?|b_x)"
    rng = random.Random(20261207)
    for _ in range(300):
        words = sorted({"".join(rng.choice("ab_") for _ in range(rng.randint(1, 4)))
                        for _ in range(rng.randint(1, 10))})
        for tail in (r"\b", r"\s*\("):
            plain = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))}){tail}")
            factored = re.compile(rf"\b(?:{defines._factored(words)}){tail}")
            for _ in range(20):
                text = "".join(rng.choice("ab_ (\n") for _ in range(30))
                assert [m.span() for m in factored.finditer(text)] == \
                    [m.span() for m in plain.finditer(text)], (words, text)
    text_re, bytes_re = defines._extra_patterns(["parisc_pipe2", "parisc_pread64", "sysm_pipe"])
    assert text_re.search("long parisc_pread64 (int fd)") and not text_re.search("parisc_pread(")
    assert bytes_re.search(b"x = sysm_pipe;") and not bytes_re.search(b"sysm_pipe2")
