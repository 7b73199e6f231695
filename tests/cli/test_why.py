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
        "ckptlint: error: unknown arch 'arm64' for this tree; did you mean arm? (one of: all, arm, "
        "i386, s390, s390x, x86, x86_64)\n")


def test_srcarch_answers_for_each_of_its_kconfig_arches(capsys):
    assert main(["why", "CHECKPOINT", "--arch", "x86", str(CLEAN)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "CHECKPOINT can be y on i386 (defined at checkpoint/Kconfig:3)"
    assert lines[1] == "CHECKPOINT can never be enabled on x86_64 (defined at checkpoint/Kconfig:3):"
    assert lines[-1] == "  arch/x86/Kconfig:4: 64BIT is y: prompt only if ARCH = \"x86\", default ARCH = \"x86_64\""


def test_abi_label_names_its_kconfig_arch(capsys):
    assert main(["why", "CHECKPOINT", "--arch", "s390x", str(CLEAN)]) == 0
    assert capsys.readouterr().out == "CHECKPOINT can be y on s390 (defined at checkpoint/Kconfig:3)\n"


def test_misspelt_arch_and_symbol_get_a_suggestion(capsys):
    assert main(["why", "CHECKPOINT", "--arch", "x68", str(CLEAN)]) == 2
    assert capsys.readouterr().err == (
        "ckptlint: error: unknown arch 'x68' for this tree; did you mean x86? (one of: all, arm, "
        "i386, s390, s390x, x86, x86_64)\n")
    assert main(["why", "CHEKPOINT", "--arch", "i386", str(CLEAN)]) == 1
    assert capsys.readouterr().out == ("CHEKPOINT is not defined by any Kconfig file read for i386; "
                                       "did you mean CHECKPOINT?\n")


def test_tree_may_follow_the_options(capsys):
    assert main(["why", "CHECKPOINT", "--arch", "i386", str(CLEAN)]) == 0
    assert main(["why", "CHECKPOINT", str(CLEAN), "--arch", "i386"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "CHECKPOINT can be y on i386 (defined at checkpoint/Kconfig:3)"] * 2
    assert main(["why", "CHECKPOINT", "--arch", "i386", str(CLEAN), "extra"]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: unrecognized arguments: {CLEAN} extra\n"


def test_two_swapped_letters_get_a_suggestion(capsys):
    """``MUM`` is ``MMU`` with two letters swapped: too short for difflib's ratio, the
    commonest typo all the same (``why NUAM`` on a real tree gives NUMA)."""
    assert main(["why", "MUM", "--arch", "i386", str(CLEAN)]) == 1
    assert capsys.readouterr().out == ("MUM is not defined by any Kconfig file read for i386; "
                                       "did you mean MMU?\n")
