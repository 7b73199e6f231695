"""``<asm/NAME>`` resolution across the header moves, and tables numbered through it."""

from __future__ import annotations

from ckptlint.extract import arch26, unistd
from ckptlint.extract.asmpath import asm_header
from treeutil import make_tree

HDR_ARCH_MAKEFILE = "hdr-arch  := $(SRCARCH)\n\nifeq ($(ARCH),m68knommu)\n       hdr-arch  := m68k\nendif\n"


def test_newer_place_first_then_include_asm_arch(tmp_path):
    tree = make_tree(tmp_path, {"arch/alpha/include/asm/unistd.h": "",
                                "include/asm-alpha/unistd.h": "",
                                "include/asm-i386/unistd.h": ""}, ("alpha", "i386"))
    assert asm_header(tree, "alpha", "unistd.h") == "arch/alpha/include/asm/unistd.h"
    assert asm_header(tree, "i386", "unistd.h") == "include/asm-i386/unistd.h"
    # neither place: the newer path, where a reader then finds nothing
    assert asm_header(tree, "i386", "ia32_unistd.h") == "arch/i386/include/asm/ia32_unistd.h"


def test_hdr_arch_of_the_top_makefile(tmp_path):
    tree = make_tree(tmp_path, {"Makefile": HDR_ARCH_MAKEFILE, "arch/m68k/include/asm/unistd.h": "",
                                "include/asm-m68knommu/unistd.h": ""}, ("m68k", "m68knommu"))
    # 2.6.29+: m68knommu compiles with m68k's headers although its own old ones linger
    assert asm_header(tree, "m68knommu", "unistd.h") == "arch/m68k/include/asm/unistd.h"


def test_old_layout_numbers_an_arch26_table(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/alpha/kernel/systbls.S": "\t.globl sys_call_table\nsys_call_table:\n"
                                       "\t.quad alpha_ni_syscall\n\t.quad sys_exit\n",
        "include/asm-alpha/unistd.h": "#define __NR_osf_syscall\t  0\n#define __NR_exit\t\t  1\n"
                                      "#define NR_SYSCALLS\t\t\t2\n"}, ("alpha",))
    alpha = {t.label: t for t in arch26.extract(tree)}["alpha"]
    assert [(n.name, n.number, n.loc.path, n.loc.line) for n in alpha.numbers] == [
        ("osf_syscall", 0, "include/asm-alpha/unistd.h", 1),
        ("exit", 1, "include/asm-alpha/unistd.h", 2)]
    assert (alpha.count.value, alpha.count.loc.line) == (2, 3)
    assert [(e.position, e.entry, e.loc.line) for e in alpha.entries] == [
        (0, "alpha_ni_syscall", 3), (1, "sys_exit", 4)]


def test_merged_x86_headers_of_2_6_24_under_include_asm_x86(tmp_path):
    tree = make_tree(tmp_path, {"include/asm-x86/unistd_32.h": "#define __NR_exit 1\n",
                                "include/asm-x86/unistd_64.h": "#define __NR_read 0\n"
                                                               "__SYSCALL(__NR_read, sys_read)\n"},
                     ("x86",))
    found = {h.abi: h for h in unistd.extract(tree)}
    assert [(n.name, n.number, n.loc.path) for n in found["i386"].numbers] == [
        ("exit", 1, "include/asm-x86/unistd_32.h")]
    assert [(e.position, e.entry, e.loc.line) for e in found["x86_64"].pairs] == [(0, "sys_read", 2)]
