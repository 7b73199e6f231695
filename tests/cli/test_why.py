"""ckptlint why: can a gate be enabled on an arch, and the chain when it cannot."""

from __future__ import annotations

from pathlib import Path

from ckptlint.cli import main

CLEAN = Path(__file__).resolve().parents[2] / "sample_trees" / "clean-2.6.33"


def test_checkpoint_cannot_be_enabled_on_x86_64(capsys):
    assert main(["why", "CHECKPOINT", "--arch", "x86_64", str(CLEAN)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "CHECKPOINT can never be enabled on x86_64 (defined at checkpoint/Kconfig:3):",
        "  checkpoint/Kconfig:5: CHECKPOINT depends on CHECKPOINT_SUPPORT && EXPERIMENTAL",
        "  arch/x86/Kconfig:21: CHECKPOINT_SUPPORT is only 'default y if X86_32'",
        "  arch/x86/Kconfig:11: X86_32 is 'def_bool !64BIT'",
        "  arch/x86/Kconfig:4: 64BIT is y: prompt only if ARCH = \"x86\", default ARCH = \"x86_64\"",
    ]


def test_checkpoint_can_be_enabled_on_i386(capsys):
    assert main(["why", "CONFIG_CHECKPOINT", "--arch", "i386", str(CLEAN)]) == 0
    assert capsys.readouterr().out == "CHECKPOINT can be y on i386 (defined at checkpoint/Kconfig:3)\n"


def test_unknown_arch_is_a_usage_error(capsys):
    assert main(["why", "CHECKPOINT", "--arch", "arm64", str(CLEAN)]) == 2
    assert capsys.readouterr().err == (
        "ckptlint: error: unknown arch 'arm64' for this tree (one of: arm, s390, i386, x86_64)\n")
