"""GitHub Actions annotations: exact lines, escaping, and the default inside Actions."""

from __future__ import annotations

from ckptlint.cli import main
from ckptlint.facts import Location
from ckptlint.findings import Finding, Related
from ckptlint.report.github import annotation

TABLE_SHIFT = [
    "::error file=arch/x86/kernel/syscall_table_32.S,line=13,col=2,title=CKL101 table-position-mismatch"
    "::sys_checkpoint is at table position 10, but __NR_checkpoint is 9 (entries from here are shifted"
    " by +1) (i386)%0Aarch/x86/include/asm/unistd_32.h:15: __NR_checkpoint is 9",
    "::error file=arch/x86/kernel/syscall_table_32.S,line=14,col=2,title=CKL102 table-length-mismatch"
    "::the i386 table has 12 entries, but NR_syscalls is 11 (i386)"
    "%0Aarch/x86/include/asm/unistd_32.h:20: NR_syscalls is defined here",
    "2 findings (2 errors, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64",
]


def test_github_lines_for_a_table_shift(sample, capsys):
    assert main(["check", str(sample("table-shift")), "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == TABLE_SHIFT


def test_github_is_the_default_inside_actions(sample, capsys, monkeypatch):
    tree = sample("table-shift")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", str(tree)]) == 1
    assert capsys.readouterr().out.splitlines() == TABLE_SHIFT
    assert main(["check", str(tree), "--format", "text"]) == 1
    assert capsys.readouterr().out.startswith("arch/x86/kernel/syscall_table_32.S:13:2: error:")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert main(["check", str(tree)]) == 1
    assert capsys.readouterr().out.startswith("arch/x86/kernel/syscall_table_32.S:13:2: error:")


def test_github_escaping_of_properties_and_message():
    finding = Finding(path="arch/x,y:z/100%.S", line=7, rule="CKL302", name="stray-cond-syscall",
                      severity="warning", message="50% done,\r\nnext: line", column=None,
                      related=(Related(Location("kernel/a,b.c", 3), "here: 1%"),))
    assert annotation(finding) == (
        "::warning file=arch/x%2Cy%3Az/100%25.S,line=7,title=CKL302 stray-cond-syscall"
        "::50%25 done,%0D%0Anext: line%0Akernel/a,b.c:3: here: 1%25")


def test_github_note_is_a_notice():
    finding = Finding(path="Makefile", line=1, rule="CKL010", name="unreadable-input",
                      severity="note", message="m", column=1, arch="x86_64")
    assert annotation(finding) == "::notice file=Makefile,line=1,col=1,title=CKL010 unreadable-input::m (x86_64)"
