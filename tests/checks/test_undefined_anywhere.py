"""CKL504: tree-wide, arch-aware undefined CONFIG_ references, with exact (rule, path, line)."""

from __future__ import annotations

import re

from treeutil import make_tree

from ckptlint.cli import main
from ckptlint.engine.options import Options
from ckptlint.engine.run import enabled_checks, run

KCONFIG = {
    "Kconfig": 'mainmenu "Test"\nsource "arch/$(SRCARCH)/Kconfig"\nsource "init/Kconfig"\n',
    "arch/x86/Kconfig": "config X86\n\tdef_bool y\n",
    "arch/arm/Kconfig": ('config ARM\n\tdef_bool y\n\nconfig ARM_LPAE\n\tbool "LPAE"\n'
                         'source "arch/arm/mm/Kconfig"\n'),
    "arch/arm/mm/Kconfig": "config CPU_V7\n\tbool\n\tselect ARM_LPAE\n\tselect X86_ONLY_FEATURE\n",
    "init/Kconfig": (
        'config FOO\n'
        '\ttristate "foo"\n'
        '\tdepends on UNDEFINED_DEP || ARM_LPAE\n'           # line 3: UNDEFINED_DEP
        '\thelp\n'
        '\t  depends on NOT_A_REFERENCE, this is help text\n'
        '\n'
        'config BAR\n'
        '\tbool "bar" if ARM_LPAE # ARM_LPAE: arm reads this file too\n'
        '\tdefault FOOO\n'                                    # line 9: did you mean FOO
        '\tselect MISSING_SELECT if X86\n'                    # line 10
        '\tdepends on $(success,true) && \\\n'
        '\t\tCONTINUED_UNDEFINED\n'                           # line 12
        '\tdefault "STRING_IS_NOT_A_SYMBOL"\n'
        '\tdefault N\n'),                                    # line 14: a note
}


def tree_with(tmp_path, files: dict[str, str]):
    return make_tree(tmp_path, {**KCONFIG, **files})


def findings(tree, **options):
    result = run(tree, Options(select={"CKL504"}, min_severity="note", arches=None, **options))
    return result, [(f.rule, f.path, f.line) for f in result.findings]


def test_arch_awareness_and_reference_forms(tmp_path):
    tree = tree_with(tmp_path, {
        "arch/x86/kernel/foo.c": (
            "#ifdef CONFIG_ARM_LPAE\n"                                        # 1: arm only
            "#endif\n"
            "/* CONFIG_IN_COMMENT\n   CONFIG_IN_COMMENT_TOO */\n"
            "// CONFIG_IN_LINE_COMMENT\n"
            "#if IS_ENABLED(CONFIG_FOO) || defined(CONFIG_FOO_MODULE)\n"      # 6: fine
            "#endif\n"
            "#if IS_BUILTIN(CONFIG_FOOO) || IS_REACHABLE(CONFIG_BAR)\n"       # 8: FOOO
            "#endif\n"
            "#if IS_MODULE(CONFIG_FOOO_MODULE) && defined(CONFIG_X86)\n"       # 10: FOOO_MODULE
            "#endif\n"
            "#define CONFIG_LOCAL_MACRO 1\n"
            "#if CONFIG_LOCAL_MACRO\n#endif\n"
            "#define PASTE(x) CONFIG_PASTED_##x\n"),
        "arch/arm/mm/mmu.c": "#ifdef CONFIG_ARM_LPAE\n#endif\n#ifdef CONFIG_X86\n#endif\n",
        "drivers/Makefile": ("obj-$(CONFIG_FOO) += foo.o\n"
                             "obj-$(CONFIG_MISSING) += missing.o # CONFIG_IN_MAKE_COMMENT\n"
                             "ifdef CONFIG_ARM_LPAE\nendif\n"),
        "drivers/foo.c": "#ifdef CONFIG_ARM_LPAE\n#endif\n",
    })
    result, found = findings(tree)
    assert found == [
        ("CKL504", "arch/arm/mm/Kconfig", 4),
        ("CKL504", "arch/arm/mm/mmu.c", 3),
        ("CKL504", "arch/x86/kernel/foo.c", 1),
        ("CKL504", "arch/x86/kernel/foo.c", 8),
        ("CKL504", "arch/x86/kernel/foo.c", 10),
        ("CKL504", "drivers/Makefile", 2),
        ("CKL504", "init/Kconfig", 3),
        ("CKL504", "init/Kconfig", 9),
        ("CKL504", "init/Kconfig", 10),
        ("CKL504", "init/Kconfig", 12),
        ("CKL504", "init/Kconfig", 14),
    ]
    messages = {(f.path, f.line): f.message for f in result.findings}
    assert {f.severity for f in result.findings if f.line != 14 or f.path != "init/Kconfig"} == {"warning"}
    assert [(f.severity, f.message) for f in result.findings if (f.path, f.line) == ("init/Kconfig", 14)] == [
        ("note", "'default N' names an undefined symbol N, which is n; write n")]
    assert messages[("arch/x86/kernel/foo.c", 1)] == (
        "CONFIG_ARM_LPAE: ARM_LPAE is not defined for the arches that build this file "
        "(i386, x86_64); only arm defines it at arch/arm/Kconfig:4")
    assert messages[("arch/arm/mm/mmu.c", 3)] == (
        "CONFIG_X86: X86 is not defined for the arches that build this file (arm); "
        "only i386, x86_64 define it at arch/x86/Kconfig:1")
    assert messages[("arch/x86/kernel/foo.c", 8)] == (
        "CONFIG_FOOO: FOOO is not defined by any Kconfig file; did you mean CONFIG_FOO?")
    assert messages[("arch/x86/kernel/foo.c", 10)] == (
        "CONFIG_FOOO_MODULE: neither FOOO_MODULE nor FOOO is defined by any Kconfig file; "
        "did you mean CONFIG_FOO_MODULE?")
    assert messages[("init/Kconfig", 3)] == (
        "'depends on UNDEFINED_DEP': UNDEFINED_DEP is not defined by any Kconfig file")
    assert messages[("init/Kconfig", 9)] == (
        "'default FOOO': FOOO is not defined by any Kconfig file; did you mean FOO?")
    assert messages[("arch/arm/mm/Kconfig", 4)] == (
        "'select X86_ONLY_FEATURE': X86_ONLY_FEATURE is not defined by any Kconfig file")


def test_arch_scope_limits_the_files_checked(tmp_path):
    tree = tree_with(tmp_path, {
        "arch/x86/kernel/foo.c": "#ifdef CONFIG_ARM_LPAE\n#endif\n",
        "arch/arm/mm/mmu.c": "#ifdef CONFIG_X86\n#endif\n",
        "drivers/foo.c": "#ifdef CONFIG_NOWHERE\n#endif\n"})
    _, found = findings(tree)
    assert found == [("CKL504", "arch/arm/mm/Kconfig", 4),
                     ("CKL504", "arch/arm/mm/mmu.c", 1), ("CKL504", "arch/x86/kernel/foo.c", 1),
                     ("CKL504", "drivers/foo.c", 1), ("CKL504", "init/Kconfig", 3),
                     ("CKL504", "init/Kconfig", 9), ("CKL504", "init/Kconfig", 10),
                     ("CKL504", "init/Kconfig", 12), ("CKL504", "init/Kconfig", 14)]
    result = run(tree, Options(select={"CKL504"}, arches={"x86"}))
    assert [(f.path, f.line) for f in result.findings] == [
        ("arch/x86/kernel/foo.c", 1), ("drivers/foo.c", 1), ("init/Kconfig", 3),
        ("init/Kconfig", 9), ("init/Kconfig", 10), ("init/Kconfig", 12)]


def test_not_run_by_default_only_when_selected():
    assert "CKL504" not in {c.ID for c in enabled_checks(Options())}
    assert [c.ID for c in enabled_checks(Options(select={"undefined-config-anywhere"}))] == ["CKL504"]


def test_symbols_command(tmp_path, capsys):
    tree = tree_with(tmp_path, {"arch/x86/kernel/foo.c": "#ifdef CONFIG_ARM_LPAE\n#endif\n"})
    assert main(["symbols", str(tree.root), "--list"]) == 1
    assert capsys.readouterr().out == (
        "ARM_LPAE\nCONTINUED_UNDEFINED\nFOOO\nMISSING_SELECT\nN\nUNDEFINED_DEP\nX86_ONLY_FEATURE\n")
    assert main(["symbols", str(tree.root), "--arch", "arm"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("arch/arm/mm/Kconfig:4:2: warning: 'select X86_ONLY_FEATURE': X86_ONLY_FEATURE "
                      "is not defined by any Kconfig file [CKL504 undefined-config-anywhere]")
    assert "arch/x86/kernel/foo.c" not in "\n".join(out)
    assert main(["symbols", str(tree.root), "--arch", "vax"]) == 2
    assert capsys.readouterr().err.startswith("ckptlint: error: unknown arch 'vax' for this tree")
    assert main(["symbols", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr() == ("", f"ckptlint: error: {tmp_path / 'nowhere'}: no such directory\n")
    output = tmp_path / "out.txt"
    assert main(["symbols", str(tree.root), "--list", "-o", str(output)]) == 1
    assert output.read_text().splitlines()[0] == "ARM_LPAE"


def test_verbose_summary_counts_scanned_arches(tmp_path, capsys):
    tree = tree_with(tmp_path, {})
    assert main(["check", str(tree.root), "--select", "CKL504", "--arch", "all", "-v"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  kconfig scan: 3 arches scanned for defined symbols" in out
    assert [line.split(":")[0] for line in out if line.startswith("  kconfig scan ")] == [
        "  kconfig scan arm", "  kconfig scan i386", "  kconfig scan x86_64"]


def test_verbose_summary_counts_kconfiglib_arches(capsys):
    from samples import ROOT

    main(["check", str(ROOT / "clean-2.6.33"), "--select", "CKL404", "--arch", "all", "-v"])
    out = capsys.readouterr().out.splitlines()
    assert "  kconfiglib: 4 arches loaded" in out
    assert [line.split(":")[0] for line in out if line.startswith("  kconfig ")] == [
        "  kconfig arm", "  kconfig i386", "  kconfig s390", "  kconfig x86_64"]
    assert all(re.fullmatch(r"  kconfig \w+: loaded in \d+\.\d\ds", line)
               for line in out if line.startswith("  kconfig "))


def test_arch_directory_borrowed_by_another_arch_makefile(tmp_path):
    tree = tree_with(tmp_path, {
        "arch/arm64/Kconfig": "config ARM64\n\tdef_bool y\nconfig ACPI\n\tbool\n",
        "arch/arm64/xen/Makefile": "xen-arm-y += $(addprefix ../../arm/xen/, enlighten.o)\n",
        "arch/arm/xen/enlighten.c": "#ifdef CONFIG_ACPI\n#endif\n#ifdef CONFIG_X86\n#endif\n",
        "arch/arm/kernel/setup.c": "#ifdef CONFIG_ACPI\n#endif\n"})
    result = run(tree, Options(select={"CKL504"}, arches={"arm"}))
    assert [(f.path, f.line, f.message) for f in result.findings if f.path.endswith(".c")] == [
        ("arch/arm/kernel/setup.c", 1, "CONFIG_ACPI: ACPI is not defined for the arches that build "
                                       "this file (arm); only arm64 defines it at arch/arm64/Kconfig:3"),
        ("arch/arm/xen/enlighten.c", 3, "CONFIG_X86: X86 is not defined for the arches that build this "
                                        "file (arm, arm64); only i386, x86_64 define it at arch/x86/Kconfig:1")]
