"""configrefs: CONFIG_X references in C, headers and assembly."""

from __future__ import annotations

from ckptlint.extract import configrefs
from ckptlint.facts import ConfigRef, Location
from ckptlint.tree import KernelTree
from treeutil import make_tree


C_FILE = """\
#ifdef CONFIG_CHECKPOINT
/* CONFIG_IN_BLOCK_COMMENT
   CONFIG_STILL_COMMENT */
#if defined(CONFIG_X86_32) || defined(CONFIG_FOO_MODULE)
int x = IS_ENABLED(CONFIG_BAR); // CONFIG_IN_LINE_COMMENT
#endif
int MY_CONFIG_NOT = 1, __CONFIG_NOT_EITHER;
const char *s = "CONFIG_IN_STRING";
#endif /* CONFIG_CHECKPOINT */
"""

ASM_FILE = """\
#ifdef CONFIG_X86_64
	.long sys_x
#endif
"""


def test_references_with_lines(tmp_path):
    tree = make_tree(tmp_path, {"kernel/a.c": C_FILE, "arch/x86/kernel/e.S": ASM_FILE})
    refs = configrefs.extract(tree, ["kernel/a.c", "arch/x86/kernel/e.S", "missing.c"])
    assert refs == [
        ConfigRef("CHECKPOINT", Location("kernel/a.c", 1)),
        ConfigRef("X86_32", Location("kernel/a.c", 4)),
        ConfigRef("FOO_MODULE", Location("kernel/a.c", 4)),  # as written
        ConfigRef("BAR", Location("kernel/a.c", 5)),
        ConfigRef("IN_STRING", Location("kernel/a.c", 8)),
        ConfigRef("X86_64", Location("arch/x86/kernel/e.S", 1)),
    ]


def test_module_suffix():
    from ckptlint.kconfig.names import module_base
    assert module_base("FOO_MODULE") == "FOO"
    assert module_base("MODULES") is None
    assert module_base("_MODULE") is None


def test_file_local_define_is_not_a_reference():
    # arch/parisc/kernel/cache.c (6.12) switches code with its own CONFIG_ macro
    text = "#define CONFIG_FLUSH_PAGE_ACCESSED\t0\n#if CONFIG_FLUSH_PAGE_ACCESSED\n#endif\n" \
           "#ifdef CONFIG_SMP\n#endif\n"
    assert configrefs.extract_text("arch/parisc/kernel/cache.c", text) == [
        ConfigRef("SMP", Location("arch/parisc/kernel/cache.c", 4))]
