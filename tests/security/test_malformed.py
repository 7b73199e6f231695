"""Malformed input the fuzz campaigns found: each is a finding or note at its line,
never an internal error (the raw inputs are replayed in tests/fuzz_regressions/)."""

from __future__ import annotations

import json

from ckptlint.cli import main


def _findings(capsys, tree, *rules: str) -> list[tuple]:
    code = main(["check", str(tree), "--format", "json", "--show-notes"])
    doc = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    return [(f["rule"], f["path"], f["line"], f["message"]) for f in doc["findings"] if f["rule"] in rules]


def test_type_inside_a_menu_is_a_parse_error_at_its_line(sample, capsys):
    tree = sample("clean")
    with open(tree / "checkpoint" / "Kconfig", "a") as handle:
        handle.write('menu "m"\n\tbool\nendmenu\n')
    assert _findings(capsys, tree, "CKL403") == [
        ("CKL403", "checkpoint/Kconfig", 9, "Kconfig does not parse on 4 arches (make *config "
                                            "refuses it): couldn't parse 'bool': this property is not "
                                            "allowed in a menu or comment")]


def test_extraneous_endif_in_an_included_makefile_keeps_the_includers_conditional(sample, capsys):
    tree = sample("clean")
    (tree / "checkpoint" / "Makefile").write_text(
        "ifeq ($(CONFIG_CHECKPOINT),y)\ninclude checkpoint/Makefile.more\nobj-y += sys.o\nendif\nendif\n")
    (tree / "checkpoint" / "Makefile.more").write_text("X := 1\nendif\nelse\n")
    assert _findings(capsys, tree, "CKL010", "CKL501") == [
        ("CKL010", "checkpoint/Makefile", 5, "extraneous 'endif' ignored"),
        ("CKL010", "checkpoint/Makefile.more", 2, "extraneous 'endif' ignored"),
        ("CKL010", "checkpoint/Makefile.more", 3, "extraneous 'else' ignored"),
    ]
    # the stray endif of the included file did not close the includer's ifeq:
    # sys.o is still built only when CHECKPOINT is set
    assert main(["matrix", str(tree), "--syscall", "checkpoint", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert [d["built_if"] for d in info["definitions"] if d["at"] == "checkpoint/sys.c:5"] == [
        {"arm": "CHECKPOINT", "s390": "CHECKPOINT", "x86": "CHECKPOINT"}]


CLEAN_NOTES = [("CKL602", "arch/arm/kernel/calls.S", 10), ("CKL602", "arch/arm/kernel/calls.S", 10),
               ("CKL601", "arch/x86/include/asm/unistd_32.h", 15),
               ("CKL601", "arch/x86/include/asm/unistd_32.h", 16)]


def test_syscall_number_near_two_to_the_31(sample, capsys, no_hang):
    tree = sample("clean")
    header = tree / "arch" / "x86" / "include" / "asm" / "unistd_32.h"
    lines = header.read_text().split("\n")
    header.write_text("\n".join(lines[:16] + ["#define __NR_huge 2147483647"] + lines[16:]))
    assert _findings(capsys, tree, "CKL002") == [
        ("CKL002", "arch/x86/include/asm/unistd_32.h", 17, "syscall number 11-2147483646 is unused, and "
         "the table has no hole for it (next is __NR_huge = 2147483647)")]


def test_huge_rept_is_cut_with_a_note(sample, capsys, no_hang):
    tree = sample("clean")
    with open(tree / "arch" / "x86" / "kernel" / "syscall_table_32.S", "a") as handle:
        handle.write(".rept 2000000000\n\t.long sys_ni_syscall\n.endr\n")
    assert _findings(capsys, tree, "CKL010", "CKL102") == [
        ("CKL010", "arch/x86/kernel/syscall_table_32.S", 14,
         "'.rept 2000000000' would make the table longer than 65536 slots; cut"),
        ("CKL102", "arch/x86/kernel/syscall_table_32.S", 15, "the i386 table has 65536 entries, but NR_syscalls is 11"),
    ]


def test_literals_the_compiler_refuses_are_unknown_numbers_said_at_their_line(sample, capsys, no_hang):
    # found by the 100,000-example campaign: '08' was an internal error (int(..., 8))
    tree = sample("clean")
    header = tree / "arch" / "x86" / "include" / "asm" / "unistd_32.h"
    lines = header.read_text().split("\n")
    header.write_text("\n".join(lines[:16] + ["#define __NR_bad 08", "#define __NR_worse (__NR_bad + 1)",
                                              "#define __NR_long " + "9" * 5000] + lines[16:]))
    with open(tree / "arch" / "x86" / "kernel" / "syscall_table_32.S", "a") as handle:
        handle.write(".rept " + "7" * 5000 + "\n\t.long sys_ni_syscall\n.endr\n")
    assert _findings(capsys, tree, "CKL010", "CKL102", "CKL003") == [
        ("CKL010", "arch/x86/include/asm/unistd_32.h", 17,
         "'08' is not a C integer constant; the number defined here is unknown"),
        ("CKL010", "arch/x86/include/asm/unistd_32.h", 19,
         "'99999999999999999999...' is not a C integer constant; the number defined here is unknown"),
        ("CKL010", "arch/x86/kernel/syscall_table_32.S", 14,
         "'.rept 77777777777777777777...' is not a count; its body is left out"),
    ]


def test_c_integer_reads_what_a_c_compiler_reads():
    from ckptlint.extract.cexpr import c_integer, evaluate

    assert [c_integer(t) for t in ("0", "10", "010", "0x1fUL", "08", "1e3", "\u0663", "9" * 41)] == [
        0, 10, 8, 31, None, None, None, None]
    assert evaluate("(__NR_SYSCALL_BASE + 010)", {"__NR_SYSCALL_BASE": 0x900000}.get) == 0x900008
    assert evaluate("08 + 1", {}.get) is None


def test_deeply_nested_make_references_are_left_unevaluated(sample, capsys):
    tree = sample("clean")
    with open(tree / "checkpoint" / "Makefile", "a") as handle:
        handle.write("obj-y += " + "$(" * 50000 + "\n")
    code = main(["check", str(tree), "--format", "json", "--show-notes"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and [(f["rule"], f["path"], f["line"]) for f in doc["findings"]] == CLEAN_NOTES


def test_eight_megabytes_of_unclosed_syscall_defines(sample, capsys, no_hang):
    tree = sample("clean")
    (tree / "kernel" / "unclosed.c").write_text("SYSCALL_DEFINE1(" * 500_000 + "\n")
    code = main(["check", str(tree), "--format", "json", "--show-notes"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and [(f["rule"], f["path"], f["line"]) for f in doc["findings"]] == CLEAN_NOTES


def test_unterminated_config_reference_in_a_makefile(sample, capsys):
    """``obj-$(CONFIG_CHE CKPOINT) += x.o`` (a NUL read as a space) used to crash the marker
    resolution; make calls it an unterminated reference, and the line is left unevaluated."""
    tree = sample("clean")
    with open(tree / "checkpoint" / "Makefile", "ab") as handle:
        handle.write(b"obj-$(CONFIG_CHE\x00CKPOINT) += getpid.o\nobj-y += \x01stray.o\n")
    code = main(["check", str(tree), "--format", "json", "--show-notes"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and [(f["rule"], f["path"], f["line"]) for f in doc["findings"]] == CLEAN_NOTES + [
        ("CKL502", "checkpoint/Makefile", 6)]  # the reference scan still sees CONFIG_CHE
    assert doc["findings"][-1]["message"] == "CONFIG_CHE is not defined by any Kconfig file"
