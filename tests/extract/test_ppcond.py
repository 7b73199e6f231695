"""Preprocessor conditions as Kconfig expressions."""

from __future__ import annotations

from treeutil import make_tree

from ckptlint.extract.ppcond import condition_at, translate


def test_translate():
    assert translate("defined(CONFIG_X) && !IS_ENABLED(CONFIG_Y_MODULE)") == "X && ! Y_MODULE"  # as written: kconfig.names
    assert translate("BITS_PER_LONG == 32") == "! 64BIT"
    assert translate("__BITS_PER_LONG != 32") == "64BIT"
    assert translate("defined(__ARCH_WANT_SYS_FORK)") == "__ARCH_WANT_SYS_FORK"
    assert translate("0") == "n"
    assert translate("LINUX_VERSION_CODE > 5") is None


def test_condition_at_nesting_else_and_elif(tmp_path):
    tree = make_tree(tmp_path, {"kernel/x.c": (
        "#ifndef _X_H\n"                      # 1: include guard: unknown, y
        "#ifdef CONFIG_A\n"                   # 2
        "a\n"                                 # 3
        "#else\n"                             # 4
        "b\n"                                 # 5
        "#endif\n"                            # 6
        "#if defined(CONFIG_B) || defined(CONFIG_C)\n"  # 7
        "c\n"                                 # 8
        "#elif CONFIG_D\n"                    # 9
        "d\n"                                 # 10
        "#endif\n#endif\n")})
    assert condition_at(tree, "kernel/x.c", 1) == "y"
    assert condition_at(tree, "kernel/x.c", 3) == "(A)"
    assert condition_at(tree, "kernel/x.c", 5) == "((!(A)))"
    assert condition_at(tree, "kernel/x.c", 8) == "(B || C)"
    assert condition_at(tree, "kernel/x.c", 10) == "((!(B || C)) && (D))"
    assert condition_at(tree, "kernel/x.c", 11) == "y"


def test_kernel_guard_is_a_known_truth(tmp_path):
    tree = make_tree(tmp_path, {"arch/x86/include/asm/unistd.h": (
        "#ifdef __KERNEL__\n# ifdef CONFIG_X86_32\n#  include \"unistd_32.h\"\n# endif\n"
        "#else\n#  include \"unistd_32.h\"\n#endif\n")})
    assert condition_at(tree, "arch/x86/include/asm/unistd.h", 3) == "((y)) && (X86_32)"
    assert condition_at(tree, "arch/x86/include/asm/unistd.h", 6) == "((!((y))))"


def test_arch_wants_follow_the_kconfig_condition_of_their_header(tmp_path):
    from ckptlint.graph.factgraph import FactGraph, Facts

    tree = make_tree(tmp_path, {
        "arch/x86/include/asm/unistd.h": "#ifdef __KERNEL__\n# ifdef CONFIG_X86_32\n"
                                         "#  include \"unistd_32.h\"\n# endif\n#endif\n",
        "arch/x86/include/asm/unistd_32.h": "#define __ARCH_WANT_STAT64\n"}, ("x86",))
    graph = FactGraph(Facts(tree=tree))
    assert graph.resolve_arch_wants("!__ARCH_WANT_STAT64 || __ARCH_WANT_SYS_NEWFSTATAT", "x86") == \
        "!((((y)) && (X86_32)) && (y)) || n"


def test_uclinux_is_the_no_mmu_toolchain(tmp_path):
    from ckptlint.extract.ppcond import condition_at
    from treeutil import make_tree

    tree = make_tree(tmp_path, {"arch/m68k/include/asm/x.h":
                                "#ifdef __uClinux__\nint a;\n#else\nint b;\n#endif\n"})
    assert condition_at(tree, "arch/m68k/include/asm/x.h", 2) == "((!MMU))"
    assert condition_at(tree, "arch/m68k/include/asm/x.h", 4) == "((!((!MMU))))"


def test_header_arch_from_the_top_makefile(tmp_path):
    from treeutil import make_tree

    tree = make_tree(tmp_path, {"Makefile": "hdr-arch  := $(SRCARCH)\n\nifeq ($(ARCH),m68knommu)\n"
                                            "       hdr-arch  := m68k\nendif\n"})
    assert (tree.header_arch("m68knommu"), tree.header_arch("arm")) == ("m68k", "arm")
