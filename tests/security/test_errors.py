"""Every tool error is one line on stderr and exit 2: no traceback, no partial output."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckptlint.cli import COMMANDS, main
from clicommands import check_formats, commands

CLEAN = Path(__file__).resolve().parents[2] / "sample_trees" / "clean-2.6.33"


def _prepare(tmp: Path) -> dict[str, Path]:
    """Files and directories the bad invocations point at."""
    a_file = tmp / "a-file"
    a_file.write_text("not a tree\n")
    (tmp / "not-kernel").mkdir()
    return {"tmp": tmp, "file": a_file, "nope": tmp / "nope", "plain": tmp / "not-kernel",
            "no-dir": tmp / "no-dir"}


def _quoted(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)


#: id -> (argv, exact stderr message), with {tmp}, {file}, {nope}, {plain}, {no-dir} filled in.
CASES = {
    "missing-tree": (["check", "{nope}"], "{nope}: no such directory"),
    "tree-is-a-file": (["check", "{file}"], "{file}: not a directory"),
    "not-a-kernel-tree": (["check", "{plain}"], "{plain}: not a kernel tree (no top-level Makefile and arch/)"),
    "output-dir-missing": (["check", "CLEAN", "-o", "{no-dir}/report.txt"],
                           "cannot write report to {no-dir}/report.txt: no such directory {no-dir}"),
    "output-dir-is-a-file": (["check", "CLEAN", "-o", "{file}/report.txt"],
                             "cannot write report to {file}/report.txt: no such directory {file}"),
    "output-is-a-dir": (["check", "CLEAN", "-o", "{tmp}"], "cannot write report to {tmp}: is a directory"),
    "bad-arch": (["check", "CLEAN", "--arch", "vax"],
                 "unknown arch 'vax' for this tree (one of: all, arm, i386, s390, s390x, x86, x86_64)"),
    "bad-arch-in-list": (["check", "CLEAN", "--arch", "x86,vax"],
                         "unknown arch 'vax' for this tree (one of: all, arm, i386, s390, s390x, x86, x86_64)"),
    "unknown-check": (["check", "CLEAN", "--select", "CKL999"], "unknown check 'CKL999' (see 'ckptlint rules')"),
    "unknown-format": (["check", "CLEAN", "--format", "xml"],
                       f"argument --format: invalid choice: 'xml' (choose from {_quoted(check_formats())})"),
    "bad-size": (["check", "CLEAN", "--max-file-size", "12Q"],
                 "argument --max-file-size: '12Q' is not a size (such as 16M, 512K or 1048576)"),
    "missing-rules-dir": (["check", "CLEAN", "--rules", "{nope}"], "{nope}: rules directory does not exist"),
    "why-bad-arch": (["why", "CHECKPOINT", "CLEAN", "--arch", "vax"],
                     "unknown arch 'vax' for this tree (one of: all, arm, i386, s390, s390x, x86, x86_64)"),
    "why-missing-tree": (["why", "CHECKPOINT", "{nope}", "--arch", "i386"], "{nope}: no such directory"),
    "matrix-unknown-syscall": (["matrix", "CLEAN", "--syscall", "nope"], "no syscall 'nope' in this tree"),
    "matrix-tree-is-a-file": (["matrix", "{file}"], "{file}: not a directory"),
    "explain-unknown": (["explain", "CKL999"], "unknown check 'CKL999' (see 'ckptlint rules')"),
    "unknown-command": (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate' "
                                        f"(choose from {_quoted(commands())})"),
}


def _fill(text: str, paths: dict[str, Path]) -> str:
    text = text.replace("CLEAN", str(CLEAN))
    for key, path in paths.items():
        text = text.replace("{" + key + "}", str(path))
    return text


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_is_one_line_exit_2(case, tmp_path, capsys):
    paths = _prepare(tmp_path)
    argv, message = CASES[case]
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main([_fill(a, paths) for a in argv]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"ckptlint: error: {_fill(message, paths)}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no report, no temporary file


def test_internal_error_is_one_line_and_leaves_no_report(tmp_path, capsys, monkeypatch):
    import ckptlint.engine.run

    def broken(tree, options):
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(ckptlint.engine.run, "run", broken)
    assert main(["check", str(CLEAN), "-o", str(tmp_path / "report.txt")]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "ckptlint: error: internal error: ValueError: boom second line "
                              "(rerun with --debug for a traceback)\n")
    assert list(tmp_path.iterdir()) == []


def test_no_command_is_one_line_naming_every_command(capsys):
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("ckptlint: error: a command is required: ") and err.count("\n") == 1
    assert all(name in err for name in COMMANDS)


def test_a_failure_inside_the_error_handler_is_still_one_line_and_exit_2(tmp_path):
    """A MemoryError raised while main() reports another error (issue 17: a doubling Makefile
    ended in a traceback and exit 1, "findings") is one line and exit 2."""
    import subprocess
    import sys

    probe = ("import ckptlint.cli as cli\n"
             "def boom(argv=None):\n    raise MemoryError\n"
             "cli.main = boom\ncli.entry()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "ckptlint: error: internal error: MemoryError\n")
