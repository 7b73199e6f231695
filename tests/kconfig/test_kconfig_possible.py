"""Possible values, explanations, references: exact answers on a tiny 2.6-style tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckptlint.facts import Location
from ckptlint.kconfig import ArchConfig, arch_configs, load
from ckptlint.tree import KernelTree

MAKEFILE = "VERSION = 2\nPATCHLEVEL = 6\nSUBLEVEL = 33\nEXTRAVERSION =\n"

X86_KCONFIG = """\
# x86 configuration
mainmenu "Linux Kernel Configuration for x86"

# Select 32 or 64 bit
config 64BIT
\tbool "64-bit kernel" if ARCH = "x86"
\tdefault ARCH = "x86_64"
\thelp
\t  Say yes to build a 64-bit kernel.

config X86_32
\tdef_bool !64BIT

config X86_64
\tdef_bool 64BIT

config X86
\tdef_bool y
\tselect HAVE_KVM
\tselect HAVE_UNDEFINED_THING

config CHECKPOINT_SUPPORT
\tbool
\tdefault y if X86_32

source "init/Kconfig"
source "checkpoint/Kconfig"
"""

INIT_KCONFIG = """\
config ARCH
\tstring
\toption env="ARCH"

config KERNELVERSION
\tstring
\toption env="KERNELVERSION"

config EXPERIMENTAL
\tbool "Prompt for development and/or incomplete code/drivers"

config MODULES
\tbool "Enable loadable module support"
\toption modules

config HAVE_KVM
\tbool

config BROKEN
\tbool

config NEEDS_BROKEN
\tbool "needs broken"
\tdepends on BROKEN

config FORCER
\tbool "forces NEEDS_BROKEN"
\tselect NEEDS_BROKEN

choice
\tprompt "High memory"
\tdepends on X86_32
\tdefault NOHIGHMEM

config NOHIGHMEM
\tbool "off"

config HIGHMEM4G
\tbool "4GB"

endchoice
"""

CHECKPOINT_KCONFIG = """\
# Checkpoint/restart
config CHECKPOINT
\tbool "Checkpoint/restart (EXPERIMENTAL)"
\tdepends on CHECKPOINT_SUPPORT && EXPERIMENTAL
\tdepends on !NOT_DEFINED_ANYWHERE
\thelp
\t  Application checkpoint/restart.

config CHECKPOINT_DEBUG
\ttristate "Checkpoint debugging"
\tdepends on CHECKPOINT
\tdefault m
"""


def write_tree(root: Path, files: dict[str, str]) -> KernelTree:
    """Create a tree from {relative path: content} and open it."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return KernelTree(root)


@pytest.fixture
def tree(tmp_path: Path) -> KernelTree:
    return write_tree(tmp_path, {"Makefile": MAKEFILE, "arch/x86/Kconfig": X86_KCONFIG,
                                 "init/Kconfig": INIT_KCONFIG,
                                 "checkpoint/Kconfig": CHECKPOINT_KCONFIG})


@pytest.fixture
def models(tree: KernelTree) -> dict:
    return {a.label: load(tree, a) for a in arch_configs(tree)}


def test_arch_configs_for_x86(tree: KernelTree) -> None:
    assert arch_configs(tree) == [ArchConfig("i386", "i386", "x86", "x86"),
                                  ArchConfig("x86_64", "x86_64", "x86", "x86")]


@pytest.mark.parametrize("label,name,values", [
    ("i386", "64BIT", {"n"}), ("x86_64", "64BIT", {"y"}),
    ("i386", "X86_32", {"y"}), ("x86_64", "X86_32", {"n"}),
    ("i386", "CHECKPOINT_SUPPORT", {"y"}), ("x86_64", "CHECKPOINT_SUPPORT", {"n"}),
    ("i386", "CHECKPOINT", {"n", "y"}), ("x86_64", "CHECKPOINT", {"n"}),
    ("i386", "CHECKPOINT_DEBUG", {"n", "m", "y"}), ("x86_64", "CHECKPOINT_DEBUG", {"n"}),
    ("i386", "MODULES", {"n", "y"}), ("i386", "HAVE_KVM", {"y"}),
    ("i386", "NEEDS_BROKEN", {"n", "y"}), ("i386", "BROKEN", {"n"}),
    ("i386", "HIGHMEM4G", {"n", "y"}), ("x86_64", "HIGHMEM4G", {"n"}),
    ("i386", "NOT_DEFINED_ANYWHERE", {"n"}),
])
def test_can_be_per_arch(models: dict, label: str, name: str, values: set[str]) -> None:
    model = models[label]
    assert model.error is None
    assert {v for v in ("n", "m", "y") if model.can_be(name, v)} == values


def test_arch_x86_leaves_64bit_open(tree: KernelTree) -> None:
    model = load(tree, ArchConfig("x86", "x86", "x86", "x86"))
    assert model.can_be("64BIT", "y") and model.can_be("64BIT", "n")
    assert model.can_be("CHECKPOINT", "y")
    # correlations are ignored: X86_32 and 64BIT both vary, so this is "possible"
    assert model.can_expr_be("X86_32 && !X86_32")


def test_string_values(models: dict) -> None:
    assert models["x86_64"].can_be("ARCH", "x86_64")
    assert not models["x86_64"].can_be("ARCH", "i386")
    assert models["i386"].can_be("KERNELVERSION", "2.6.33")


def test_can_expr_be(models: dict) -> None:
    i386, x86_64 = models["i386"], models["x86_64"]
    assert i386.can_expr_be("CHECKPOINT && X86_32")
    assert not x86_64.can_expr_be("CHECKPOINT && X86_32")
    assert x86_64.can_expr_be("CHECKPOINT && X86_32", "n")
    assert not i386.can_expr_be("X86_32 && !X86_32")
    assert x86_64.can_expr_be("y") and x86_64.can_expr_be("n", "n")
    assert not x86_64.can_expr_be("n")
    assert not x86_64.can_expr_be("SOMETHING_UNKNOWN") and x86_64.can_expr_be("SOMETHING_UNKNOWN", "n")
    assert x86_64.can_expr_be('ARCH = "x86_64"') and not x86_64.can_expr_be('ARCH != "x86_64"')
    assert i386.can_expr_be("CHECKPOINT_DEBUG = m")
    with pytest.raises(ValueError):
        i386.can_expr_be("CHECKPOINT && (")


def test_explain_chain(models: dict) -> None:
    assert models["x86_64"].explain("CHECKPOINT") == [
        ("CHECKPOINT depends on CHECKPOINT_SUPPORT && EXPERIMENTAL", Location("checkpoint/Kconfig", 4)),
        ("CHECKPOINT_SUPPORT is only 'default y if X86_32'", Location("arch/x86/Kconfig", 24)),
        ("X86_32 is 'def_bool !64BIT'", Location("arch/x86/Kconfig", 12)),
        ('64BIT is y: prompt only if ARCH = "x86", default ARCH = "x86_64"',
         Location("arch/x86/Kconfig", 5)),
    ]
    assert models["i386"].explain("CHECKPOINT") == []


def test_explain_choice_entry(models: dict) -> None:
    chain = models["x86_64"].explain("HIGHMEM4G")
    assert chain[:2] == [
        ('HIGHMEM4G is an entry of choice "High memory"', Location("init/Kconfig", 38)),
        ('choice "High memory" depends on X86_32', Location("init/Kconfig", 32)),
    ]
    assert chain[2][1] == Location("arch/x86/Kconfig", 12)


def test_undefined_references(models: dict) -> None:
    assert models["i386"].undefined_references() == [
        ("HAVE_UNDEFINED_THING", "select", Location("arch/x86/Kconfig", 20)),
        ("NOT_DEFINED_ANYWHERE", "depends on", Location("checkpoint/Kconfig", 5)),
    ]


def test_definitions(models: dict) -> None:
    model = models["i386"]
    assert model.is_defined("CHECKPOINT") and not model.is_defined("HAVE_UNDEFINED_THING")
    assert model.definitions("CHECKPOINT") == [Location("checkpoint/Kconfig", 2)]
    assert {"64BIT", "CHECKPOINT", "ARCH", "HIGHMEM4G"} <= model.all_defined()
    assert "NOT_DEFINED_ANYWHERE" not in model.all_defined()


def test_selectors_and_unmet_selects(models: dict) -> None:
    model = models["i386"]
    assert model.selectors("HAVE_KVM") == [("X86", Location("arch/x86/Kconfig", 19))]
    assert model.unmet_selects("FORCER") == [("NEEDS_BROKEN", Location("init/Kconfig", 28))]
    assert model.unmet_selects("X86") == []


def test_m_needs_modules(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"Makefile": MAKEFILE, "arch/x86/Kconfig": (
        "config MODULES\n\tbool \"modules\"\n\tdepends on BROKEN\n\toption modules\n\n"
        "config BROKEN\n\tbool\n\n"
        "config FOO\n\ttristate \"foo\"\n\tdefault m\n")})
    model = load(tree, arch_configs(tree)[0])
    assert model.error is None
    assert model.can_be("FOO", "y") and model.can_be("FOO", "n") and not model.can_be("FOO", "m")


@pytest.mark.parametrize("order", ["forward", "reverse"])
def test_values_computed_on_demand_are_the_whole_fixpoint(models: dict, order: str) -> None:
    """A question computes only the cone it depends on; in any order of questions,
    every answer is the one the fixpoint over the whole tree gives."""
    from ckptlint.kconfig.value_sets import Possible

    for model in models.values():
        kconf = model.kconf
        eager = Possible(kconf, eager=True)
        lazy = Possible(kconf)
        items = list(kconf.unique_defined_syms) + list(kconf.unique_choices)
        assert len(lazy._final) < len(items)  # noqa: SLF001 - only MODULES' cone so far
        for item in items if order == "forward" else items[::-1]:
            assert lazy.tri_of(item) == eager.tri_of(item), item.name
            assert lazy.str_values(item) == eager.str_values(item), item.name
        assert lazy._final == set(items)  # noqa: SLF001


def test_module_suffix_means_the_symbol_is_m(models: dict) -> None:
    # CONFIG_CHECKPOINT_DEBUG_MODULE is set exactly when CHECKPOINT_DEBUG = m
    assert models["i386"].can_expr_be("CHECKPOINT_DEBUG_MODULE", "y") is True
    assert models["x86_64"].can_expr_be("CHECKPOINT_DEBUG_MODULE", "y") is False
    # CHECKPOINT is bool: it is never m, so its _MODULE name is never set
    assert models["i386"].can_expr_be("CHECKPOINT_MODULE", "y") is False
