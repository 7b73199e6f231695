"""CKL112: .tbl rows as the kernel's scripts/syscalltbl.sh reads them (shell ``read``)."""

from __future__ import annotations

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree

TABLE = "arch/x86/entry/syscalls/syscall_64.tbl"
#: The two shapes of the script that matter: with the noreturn check (6.12 on), and
#: reading five columns (5.x-6.11). Our own facsimiles of the loop's first line.
STRICT = ('while read nr abi name native compat noreturn; do\n'
          '\t[ "$noreturn" != "noreturn" ] && echo "invalid string \\"$noreturn\\" in \'noreturn\' column"\n'
          'done\n')
FIVE = "while read nr abi name native compat ; do\n\techo \"__SYSCALL($nr, $native)\"\ndone\n"


def findings(tree):
    result = run(KernelTree(tree), Options(min_severity="note", select={"CKL112"}))
    return [(f.rule, f.path, f.line, f.severity) for f in result.findings]


def table(tree, script, rows, newline="\n"):
    (tree / "scripts").mkdir(exist_ok=True)
    if script is not None:
        (tree / "scripts/syscalltbl.sh").write_text(script)
    else:
        (tree / "scripts/syscalltbl.sh").unlink(missing_ok=True)
    path = tree / TABLE
    head = path.read_text().split("0\tcommon\tread")[0]
    path.write_bytes((head + "".join(rows)).replace("\n", newline).encode())


ROWS = ["0\tcommon\tread\t\t\tsys_read\n", "1\tcommon\twrite\t\t\tsys_write\n",
        "60\tcommon\texit\t\t\tsys_exit\t\t-\tnoreturn\n",
        "231\tcommon\texit_group\t\tsys_exit_group\t-\tnoreturn\n"]


def test_dos_line_endings_stop_the_build_at_the_first_noreturn_row_one_finding(sample):
    tree = sample("clean-6.12")
    table(tree, STRICT, ROWS, newline="\r\n")
    assert findings(tree) == [("CKL112", TABLE, 9, "error")]
    table(tree, STRICT, ROWS)
    assert findings(tree) == []


def test_a_comment_after_a_row_by_era(sample):
    tree = sample("clean-6.12")
    commented = [ROWS[0], "1\tcommon\twrite\t\t\tsys_write\t# new\n", *ROWS[2:]]
    table(tree, STRICT, commented)  # noreturn = "new": the script exits
    assert findings(tree) == [("CKL112", TABLE, 8, "error")]
    table(tree, FIVE, commented)  # compat = "# new": the compat tables break
    assert findings(tree) == [("CKL112", TABLE, 8, "warning")]
    table(tree, FIVE, [ROWS[0], "1\tcommon\twrite\t# sys_write\n"])  # the entry point is "#"
    assert findings(tree) == [("CKL112", TABLE, 8, "error")]
    table(tree, None, commented)  # no scripts/syscalltbl.sh: another reader, not judged
    assert findings(tree) == []
