"""CKL106: an unsorted .tbl is an error where the kernel's script refuses it."""

from __future__ import annotations

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree

TBL = "arch/x86/entry/syscalls/syscall_64.tbl"
#: The 6.1+ scripts/syscalltbl.sh check, in its own words.
REFUSING = ('#!/bin/sh\nwhile read nr abi name native compat noreturn; do\n'
            '\tif [ $nxt -gt $nr ]; then\n\t\techo "error: $infile: syscall table is not sorted '
            'or duplicates the same syscall number" >&2\n\t\texit 1\n\tfi\ndone\n')


def findings(tree):
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL001", "CKL106"}))
    return [(f.rule, f.path, f.line, f.severity) for f in result.findings]


def test_unsorted_rows_are_a_warning_where_the_script_sorts_them(sample):
    assert findings(sample("unsorted-table")) == [("CKL106", TBL, 12, "warning")]


def test_unsorted_rows_are_an_error_where_scripts_syscalltbl_sh_refuses_them(sample):
    tree = sample("unsorted-table")
    (tree / "scripts").mkdir(exist_ok=True)
    (tree / "scripts/syscalltbl.sh").write_text(REFUSING)
    assert findings(tree) == [("CKL106", TBL, 12, "error")]


def test_a_row_whose_number_collides_is_only_the_collision(sample):
    # 6.12 alpha: "463 common frob" among the 5xx rows, 463 being pselect6's
    tree = sample("clean-6.12")
    path = tree / TBL
    path.write_text(path.read_text() + "3\tcommon\tfrob\t\t\tsys_frob\n")
    assert findings(tree) == [("CKL001", TBL, 14, "error")]
