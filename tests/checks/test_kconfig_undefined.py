"""CKL401: a Kconfig property names a symbol no Kconfig file defines, with its hint."""

from __future__ import annotations

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree

EXTRA = ("\nconfig ARCH_H720X\n\tbool \"Hynix\"\n\n"
         "config FB_ARMCLCD\n\tbool \"CLCD\"\n\tdepends on ARCH_LH7952X\n")


def test_the_hint_is_difflibs_closest_match_even_when_few_letter_pairs_are_shared(sample):
    """2.6.33's drivers/video/Kconfig: ARCH_LH7952X shares only 5 of its 11 letter pairs
    with ARCH_H720X, yet difflib's ratio is 0.82; a bigram pre-filter dropped the hint."""
    root = sample("clean")
    kconfig = root / "arch/x86/Kconfig"
    lines = kconfig.read_text().count("\n")
    kconfig.write_text(kconfig.read_text() + EXTRA)
    result = run(KernelTree(root), Options(select={"CKL401"}))
    assert [(f.rule, f.path, f.line, f.message) for f in result.findings] == [
        ("CKL401", "arch/x86/Kconfig", lines + 7, "'depends on ARCH_LH7952X': ARCH_LH7952X is not "
         "defined by any Kconfig file; did you mean ARCH_H720X?")]
