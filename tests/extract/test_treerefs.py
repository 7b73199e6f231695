"""Tree-wide CONFIG_ reference scanning: exact (name, line) pairs."""

from __future__ import annotations

from ckptlint.kconfig.tree_refs import scan_bytes


def test_c_references_skip_comments_pasting_and_definitions():
    data = (b"#ifdef CONFIG_A\n"                                   # 1
            b"/* CONFIG_IN_BLOCK\n * CONFIG_STILL_IN_BLOCK */ CONFIG_B\n"  # 2-3
            b"x = 1; // CONFIG_IN_LINE\n"                          # 4
            b"/* a // b */ if (IS_ENABLED(CONFIG_C)) {}\n"         # 5
            b"#define CONFIG_LOCAL 1\n"                            # 6
            b"enum { CONFIG_ENUM = 2, };\n"                        # 7
            b"#define P(x) CONFIG_PASTE_##x x##CONFIG_PASTED\n"     # 8
            b"MY_CONFIG_GLUED DCONFIG_GLUED\n"                     # 9
            b'pr_info("CONFIG_IN_STRING");\n'                      # 10
            b"#if defined(CONFIG_D_MODULE) || CONFIG_E == 1\n")    # 11
    refs, defined = scan_bytes(data, makefile=False)
    assert refs == [("A", 1), ("B", 3), ("C", 5), ("IN_STRING", 10), ("D_MODULE", 11), ("E", 11)]
    assert defined == {"LOCAL", "ENUM"}


def test_makefile_references_skip_comments_and_collect_compiler_defines():
    data = (b"obj-$(CONFIG_A) += a.o # CONFIG_COMMENTED\n"
            b"ifdef CONFIG_B\nccflags-y += -DCONFIG_FLAG=1\nendif\n"
            b"CONFIG_ASSIGNED := y\n"
            b"x := \\# CONFIG_AFTER_ESCAPED_HASH\n")
    refs, defined = scan_bytes(data, makefile=True)
    assert refs == [("A", 1), ("B", 2), ("AFTER_ESCAPED_HASH", 6)]
    assert defined == {"FLAG", "ASSIGNED"}


def test_file_without_config_costs_nothing():
    assert scan_bytes(b"int x;\n" * 1000, makefile=False) == ([], set())
