"""Inline suppressions: each comment syntax, on the line or the comment line above."""

from __future__ import annotations

import pytest

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.engine.suppress import comment_openers, parse_comment
from ckptlint.tree import KernelTree

NOTES = {("CKL601", "arch/x86/include/asm/unistd_32.h", 15),
         ("CKL601", "arch/x86/include/asm/unistd_32.h", 16),
         ("CKL602", "arch/arm/kernel/calls.S", 10)}
TABLE = "arch/x86/kernel/syscall_table_32.S"
S390_TABLE = "arch/s390/kernel/syscalls.S"


@pytest.mark.parametrize("path, line, whole, names", [
    ("kernel/sys.c", "long x; /* ckptlint: ignore[CKL202] */", False, ("CKL202",)),
    ("kernel/sys.c", "long x; // ckptlint: ignore[CKL202, missing-prototype]", False,
     ("CKL202", "missing-prototype")),
    ("include/linux/syscalls.h", " * ckptlint: ignore", True, ()),
    ("kernel/sys.c", "// ckptlint: ignore[CKL202]", True, ("CKL202",)),
    ("kernel/sys.c", "long x; // ckptlint: ignore[CKL202]", True, None),  # not a comment-only line
    ("kernel/sys.c", 'char *s = "ckptlint: ignore";', False, None),      # not in a comment
    ("kernel/sys.c", "long x; # ckptlint: ignore", False, None),          # not C syntax
    ("arch/arm/kernel/calls.S", "CALL(sys_x) @ ckptlint: ignore[CKL101]", False, ("CKL101",)),
    ("arch/x86/kernel/entry.s", "\t.long sys_x ; ckptlint: ignore[CKL101]", False, ("CKL101",)),
    ("arch/x86/kernel/entry.S", "# ckptlint: ignore[CKL101]", True, ("CKL101",)),
    ("arch/x86/entry/syscalls/syscall_64.tbl", "# ckptlint: ignore[CKL103]", True, ("CKL103",)),
    ("checkpoint/Makefile", "obj-y += a.o  # ckptlint: ignore[CKL502]", False, ("CKL502",)),
    ("arch/x86/Kconfig.debug", "\tdepends on X # ckptlint: ignore[CKL401]", False, ("CKL401",)),
    ("Documentation/notes.txt", "# ckptlint: ignore", True, None),       # no known syntax
])
def test_parse_comment(path, line, whole, names):
    assert parse_comment(line, comment_openers(path), whole) == names


def _remaining(sample, case, edits, rel=None):
    """Findings (rule, path, line) after editing one file of a sample case, and the count suppressed."""
    tree = sample(case)
    for rel_path, old, new in edits:
        target = tree / rel_path
        text = target.read_text()
        assert text.count(old) == 1, old
        target.write_text(text.replace(old, new))
    result = run(KernelTree(tree), Options(min_severity="note"))
    return {(f.rule, f.path, f.line) for f in result.findings}, result.excluded()["suppressed"]


def test_c_suppression_by_name_on_the_line(sample):
    found, suppressed = _remaining(sample, "missing-prototype", [(
        "checkpoint/sys.c", "SYSCALL_DEFINE4(restart, pid_t, pid, int, fd,",
        "SYSCALL_DEFINE4(restart, pid_t, pid, int, fd, /* ckptlint: ignore[missing-prototype] */")])
    assert (found, suppressed) == (NOTES, 1)


def test_c_suppression_on_the_comment_line_above(sample):
    found, suppressed = _remaining(sample, "missing-prototype", [(
        "checkpoint/sys.c", "SYSCALL_DEFINE4(restart,",
        "// ckptlint: ignore[CKL202]\nSYSCALL_DEFINE4(restart,")])
    assert (found, suppressed) == (NOTES, 1)


def test_asm_suppression_leaves_the_other_findings(sample):
    found, suppressed = _remaining(sample, "table-shift", [(
        TABLE, "\t.long sys_checkpoint\n", "\t.long sys_checkpoint /* ckptlint: ignore[CKL101] */\n")])
    assert found == NOTES | {("CKL102", TABLE, 14)}
    assert suppressed == 1


def test_asm_at_comment_line_above_names_two_checks(sample):
    found, suppressed = _remaining(sample, "table-shift", [(
        TABLE, "\t.long sys_restart\t/* 10 */\n",
        "@ ckptlint: ignore[CKL102,unwired-syscall]\n\t.long sys_restart\t/* 10 */\n")])
    assert found == NOTES | {("CKL101", TABLE, 13)}
    assert suppressed == 1  # CKL102; the name that matches nothing here suppresses nothing


def test_trailing_comment_does_not_reach_the_next_line(sample):
    found, suppressed = _remaining(sample, "table-shift", [(
        TABLE, "\t.long sys_checkpoint\n", "\t.long sys_checkpoint /* ckptlint: ignore */\n")])
    assert found == NOTES | {("CKL102", TABLE, 14)}
    assert suppressed == 1


def test_tbl_suppression(sample):
    found, suppressed = _remaining(sample, "modern-undefined-entry", [(
        "arch/x86/entry/syscalls/syscall_64.tbl", "463\tcommon\tcheckpoint\t\tsys_checkpoint\n",
        "# ckptlint: ignore[undefined-table-entry]\n463\tcommon\tcheckpoint\t\tsys_checkpoint\n")])
    assert found == {("CKL601", "arch/x86/entry/syscalls/syscall_64.tbl", 15)} and suppressed == 1


def test_makefile_suppression(sample):
    found, suppressed = _remaining(sample, "chekcpoint-restart", [(
        "checkpoint/Makefile", "#\n\nobj-", "#\n# ckptlint: ignore[CKL502]\nobj-")])
    # CKL404 stands down for a gate naming an undefined symbol: CKL502 is the one finding
    assert found == NOTES
    assert suppressed == 1


def test_kconfig_suppression(sample):
    found, suppressed = _remaining(sample, "kconfig-undefined", [(
        "checkpoint/Kconfig", "depends on CHECKPOINT_SUPORT && EXPERIMENTAL",
        "depends on CHECKPOINT_SUPORT && EXPERIMENTAL # ckptlint: ignore[kconfig-undefined-symbol]")])
    # CHECKPOINT can be y on no arch: CKL404 is at its config line (suppressing CKL401 keeps it)
    assert found == NOTES | {("CKL404", "checkpoint/Kconfig", 3), ("CKL901", "checkpoint/Kconfig", 3)}
    assert suppressed == 1


def test_unknown_name_is_a_note_and_suppresses_nothing(sample):
    found, suppressed = _remaining(sample, "table-shift", [(
        TABLE, "\t.long sys_checkpoint\n", "\t.long sys_checkpoint /* ckptlint: ignore[CKL1O1] */\n")])
    assert found == NOTES | {("CKL011", TABLE, 13), ("CKL101", TABLE, 13), ("CKL102", TABLE, 14)}
    assert suppressed == 0


def test_summary_counts_suppressed_findings(sample, capsys):
    from ckptlint.cli import main

    tree = sample("table-shift")
    table = tree / TABLE
    table.write_text(table.read_text().replace(
        "\t.long sys_checkpoint\n", "\t.long sys_checkpoint /* ckptlint: ignore[CKL101] */\n"))
    assert main(["check", str(tree)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 finding (1 error, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64; 1 suppressed inline")
