"""The fast Kconfig scan agrees with kconfiglib on what each arch defines and references."""

from __future__ import annotations

import os

import pytest

from treeutil import make_tree

from ckptlint.kconfig import loader
from ckptlint.kconfig.fast_scan import KconfigScanner, parse_file
from ckptlint.tree import KernelTree

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "sample_trees")


def agreement(tree: KernelTree) -> dict[str, tuple]:
    """Per arch label: (kconfiglib defined, scan defined, kconfiglib undefined refs, scan undefined refs)."""
    scanner = KconfigScanner(tree)
    out = {}
    for config in loader.arch_configs(tree):
        model = loader.load(tree, config, use_cache=False)
        scanned = scanner.scan(config)
        model_refs = {(name, loc.path) for name, _, loc in model.undefined_references()}
        out[config.label] = (model.all_defined(), set(scanned.defined), model_refs,
                             scan_undefined(scanned))
    return out


def scan_undefined(scanned) -> set[tuple[str, str]]:
    """(symbol, Kconfig path) of each reference the arch's scan does not define."""
    return {(name, parsed.path) for parsed in scanned.files
            for name, _, _ in parsed.references if name not in scanned.defined}


@pytest.mark.parametrize("name", ["clean-2.6.33", "clean-6.12"])
def test_scan_matches_kconfiglib_on_sample_trees(name):
    for label, (model_defined, scan_defined, model_refs, scan_refs) in agreement(
            KernelTree(os.path.join(SAMPLES, name))).items():
        assert model_defined and scan_defined == model_defined, label
        assert scan_refs == model_refs, label


@pytest.mark.realtree
def test_scan_matches_kconfiglib_on_a_real_tree():
    root = os.environ.get("CKPTLINT_REALTREE")
    if not root:
        pytest.skip("CKPTLINT_REALTREE not set")
    tree = KernelTree(root)
    wanted = {"x86_64", "arm", "powerpc"}
    scanner = KconfigScanner(tree)
    for config in [c for c in loader.arch_configs(tree) if c.label in wanted]:
        model = loader.load(tree, config)
        scanned = scanner.scan(config)
        assert set(scanned.defined) == model.all_defined(), config.label
        assert scan_undefined(scanned) == {(n, loc.path) for n, _, loc in model.undefined_references()}


def test_parse_file_reads_expressions_not_help_or_strings():
    text = (
        'config FOO\n'                                   # 1
        '\tbool "Foo if NOT_IN_PROMPT" if PROMPT_DEP\n'  # 2
        '\tdepends on A && \\\n'                         # 3
        '\t\t(B || !C) # COMMENTED\n'                    # 4
        '\tselect D if E\n'                              # 5
        '\tdefault "STRING" if F\n'                      # 6
        '\tdefault 0x10\n'                               # 7
        '\tdef_bool $(cc-option,-mfoo) || G\n'           # 8
        '\thelp\n'                                       # 9
        '\t  depends on HELP_TEXT\n'                     # 10
        '\n'                                             # 11
        '\t  select MORE_HELP\n'                         # 12
        'menuconfig BAR\n'                               # 13
        '\trange H 10\n'                                 # 14
        'cc-option = $(success,true)\n'                  # 15
        'if I\n'                                         # 16
        'rsource "sub/Kconfig"\n'                        # 17
        'endif\n')
    parsed = parse_file("x/Kconfig", text)
    assert parsed.defines == [("FOO", 1), ("BAR", 13)]
    assert parsed.references == [
        ("PROMPT_DEP", "prompt if", 2), ("A", "depends on", 3), ("B", "depends on", 4),
        ("C", "depends on", 4), ("D", "select", 5), ("E", "select", 5), ("F", "default", 6),
        ("G", "default", 8), ("H", "range", 14), ("I", "if", 16)]
    assert parsed.sources == [("rsource", "sub/Kconfig", 17)]


def test_sources_follow_srcarch_relative_optional_and_globs(tmp_path):
    tree = make_tree(tmp_path, {
        "Kconfig": ('source "arch/$(SRCARCH)/Kconfig"\nosource "missing/Kconfig"\n'
                    'source "drivers/*/Kconfig"\n'),
        "arch/x86/Kconfig": 'config X86\n\tdef_bool y\nrsource "Kconfig.cpu"\n',
        "arch/x86/Kconfig.cpu": "config X86_CPU\n\tbool\n",
        "arch/arm/Kconfig": "config ARM\n\tdef_bool y\n",
        "drivers/a/Kconfig": "config DRIVER_A\n\ttristate\n",
        "drivers/b/Kconfig": "config DRIVER_B\n\ttristate\n",
    })
    scanner = KconfigScanner(tree)
    configs = {c.label: c for c in loader.arch_configs(tree)}
    x86 = scanner.scan(configs["x86_64"])
    assert [f.path for f in x86.files] == ["Kconfig", "arch/x86/Kconfig", "arch/x86/Kconfig.cpu",
                                           "drivers/a/Kconfig", "drivers/b/Kconfig"]
    assert x86.defined == {"X86", "X86_CPU", "DRIVER_A", "DRIVER_B"}
    assert x86.missing == []
    assert scanner.scan(configs["arm"]).defined == {"ARM", "DRIVER_A", "DRIVER_B"}
    assert str(x86.where("X86_CPU")) == "arch/x86/Kconfig.cpu:1"


def test_old_style_srcarch_variable(tmp_path):
    tree = make_tree(tmp_path, {
        "arch/x86/Kconfig": 'config X86\n\tdef_bool y\nsource "init/Kconfig"\nsource "arch/$SRCARCH/Kconfig.cpu"\n',
        "arch/x86/Kconfig.cpu": "config M386\n\tbool\n",
        "init/Kconfig": "config EXPERIMENTAL\n\tbool\n",
    })
    config = next(c for c in loader.arch_configs(tree) if c.label == "i386")
    assert KconfigScanner(tree).scan(config).defined == {"X86", "M386", "EXPERIMENTAL"}


def test_scan_matches_kconfiglib_undefined_references(sample):
    results = agreement(KernelTree(sample("kconfig-undefined")))
    assert results["i386"][3] == results["i386"][2] == {("CHECKPOINT_SUPORT", "checkpoint/Kconfig")}
    for label, (model_defined, scan_defined, model_refs, scan_refs) in results.items():
        assert scan_defined == model_defined and scan_refs == model_refs, label
