"""Expression queries: refined satisfiability, dependencies, explanations."""

from __future__ import annotations

from ckptlint.kconfig import loader
from ckptlint.kconfig.query import direct_dependency, explain_expr, same_expr, satisfiable
from ckptlint.tree import KernelTree

KCONFIG = """
config ARCH
\tstring
\toption env="ARCH"

config SYSCTL
\tbool "sysctl support"

config SYSCTL_SYSCALL
\tbool "sysctl syscall"
\tselect SYSCTL

config NEEDS_A
\tbool "needs A"
\tdepends on A && B

config A
\tbool "A"

config B
\tbool "B"

config NEVER
\tbool
\tdefault y if ARCH = "arm"
"""


def model_for(tmp_path, kconfig: str = KCONFIG, label: str = "i386"):
    """A KconfigModel of a one-file x86 tree."""
    (tmp_path / "Makefile").write_text("VERSION = 2\nPATCHLEVEL = 6\nSUBLEVEL = 33\n")
    (tmp_path / "arch" / "x86").mkdir(parents=True)
    (tmp_path / "arch" / "x86" / "Kconfig").write_text(kconfig)
    tree = KernelTree(tmp_path)
    config = next(c for c in loader.arch_configs(tree) if c.label == label)
    return loader.load(tree, config, use_cache=False)


def test_select_correlation_is_honoured(tmp_path):
    model = model_for(tmp_path)
    assert model.can_expr_be("SYSCTL_SYSCALL && !SYSCTL")  # per-symbol view: looks possible
    assert not satisfiable(model, "SYSCTL_SYSCALL && !SYSCTL")
    assert satisfiable(model, "!SYSCTL_SYSCALL && !SYSCTL")


def test_dependency_correlation_is_honoured(tmp_path):
    model = model_for(tmp_path)
    assert not satisfiable(model, "NEEDS_A && !B")
    assert satisfiable(model, "NEEDS_A && A")


def test_direct_dependency_and_same_expr(tmp_path):
    model = model_for(tmp_path)
    assert direct_dependency(model, "NEEDS_A") == "A && B"
    assert same_expr(model, "A && B", "B && A")
    assert not same_expr(model, "A && B", "A")


def test_explain_expr_names_the_blocking_symbol(tmp_path):
    model = model_for(tmp_path)
    steps = explain_expr(model, "NEVER && A")
    assert steps and steps[0][1].path == "arch/x86/Kconfig"
    assert "NEVER" in steps[0][0]


def test_promptless_symbol_follows_its_dependency(tmp_path):
    model = model_for(tmp_path, "config IA32_EMULATION\n\tbool \"ia32\"\n\nconfig COMPAT\n"
                      "\tdef_bool y\n\tdepends on IA32_EMULATION\n", "x86_64")
    assert model.can_expr_be("IA32_EMULATION && !COMPAT")
    assert not satisfiable(model, "IA32_EMULATION && !COMPAT")
    assert satisfiable(model, "!IA32_EMULATION && !COMPAT")


def test_select_inside_an_if_block_still_binds(tmp_path):
    model = model_for(tmp_path, "config 64BIT\n\tbool \"64-bit\"\n\nconfig COMPAT\n\tbool\n\n"
                      "if 64BIT\nconfig N32\n\tbool \"n32\"\n\tselect COMPAT\nendif\n", "x86_64")
    assert not satisfiable(model, "N32 && !COMPAT")
    assert satisfiable(model, "!N32 && !COMPAT")


def test_selector_condition_outside_the_expression_is_followed(tmp_path):
    # powerpc 6.12: PPC32 is ``default y if !PPC64`` and PPC selects
    # OLD_SIGACTION if PPC32, so a 32-bit kernel always has OLD_SIGACTION.
    model = model_for(tmp_path, "config X86\n\tdef_bool y\n\tselect OLD_SIGACTION if PPC32\n\n"
                      "config PPC64\n\tbool \"64-bit\"\n\nconfig PPC32\n\tbool\n"
                      "\tdefault y if !PPC64\n\nconfig OLD_SIGACTION\n\tbool\n", "x86_64")
    assert model.can_expr_be("!PPC64 && !OLD_SIGACTION")
    assert not satisfiable(model, "!PPC64 && !OLD_SIGACTION")
    assert satisfiable(model, "PPC64 && !OLD_SIGACTION")


def test_a_dependency_two_levels_down_decides(tmp_path):
    """2.6 mips: MIPS32_N32 depends on MIPS32_COMPAT, which depends on 64BIT; with
    neither 32BIT nor 64BIT, nothing n32 is built."""
    model = model_for(tmp_path, 'config 32BIT\n\tbool "32"\nconfig 64BIT\n\tbool "64"\n'
                                'config MIPS32_COMPAT\n\tbool\n\tdepends on 64BIT\n\tdefault y\n'
                                'config MIPS32_N32\n\tbool "n32"\n\tdepends on MIPS32_COMPAT\n')
    assert satisfiable(model, "MIPS32_N32 && !32BIT") is True
    assert satisfiable(model, "MIPS32_N32 && !32BIT && !64BIT") is False


def test_an_undefined_symbol_is_n_in_the_refinement(tmp_path):
    model = model_for(tmp_path, 'config V10\n\tbool "v10"\n')
    gate = "(!V10 && !V32 || V10 && !V32 || V32) && !V32"  # 2.6.24 cris: V32 is defined nowhere
    assert satisfiable(model, f"({gate}) && !({gate})") is False
    assert satisfiable(model, gate) is True


def test_a_tristate_comparison_is_evaluated_in_the_refinement(tmp_path):
    """2.6.12 s390: UID16 is ``default y`` and ``depends on ARCH_S390X = 'n'``."""
    model = model_for(tmp_path, 'config ARCH_S390X\n\tbool "64 bit kernel"\nconfig 64BIT\n'
                                '\tdef_bool ARCH_S390X\nconfig UID16\n\tbool\n\tdefault y\n'
                                "\tdepends on ARCH_S390X = 'n'\n")
    assert satisfiable(model, "!64BIT && !UID16") is False
    assert satisfiable(model, "64BIT && !UID16") is True
