"""The conventions of ruff and gcc: prefix selection, --extend-select/--extend-ignore,
--statistics, --exit-zero, colour, note lines, the tree found from a subdirectory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ckptlint.cli import main

ROOT = Path(__file__).resolve().parents[2]
TABLE = "arch/x86/kernel/syscall_table_32.S"
SUMMARY_TAIL = "ABIs: arm, i386, s390, s390x, x86_64"
#: The error regexp an editor (Emacs compilation-mode, Vim's errorformat) uses for gcc.
GCC = re.compile(r"^(.*):(\d+):(\d+): (error|warning|note): ")


def _lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_a_prefix_selects_every_check_it_starts(sample, capsys):
    tree = sample("table-shift")
    assert main(["check", str(tree), "--select", "CKL1"]) == 1
    assert _lines(capsys) == [
        f"{TABLE}:13:2: error: sys_checkpoint is at table position 10, but __NR_checkpoint is 9 "
        "(entries from here are shifted by +1) (i386) [CKL101 table-position-mismatch]",
        "arch/x86/include/asm/unistd_32.h:15:1: note: __NR_checkpoint is 9",
        f"{TABLE}:14:2: error: the i386 table has 12 entries, but NR_syscalls is 11 (i386) "
        "[CKL102 table-length-mismatch]",
        "arch/x86/include/asm/unistd_32.h:20:1: note: NR_syscalls is defined here",
        f"2 findings (2 errors, 0 warnings, 0 notes); {SUMMARY_TAIL}",
    ]
    assert main(["check", str(tree), "--select", "CKL10", "--ignore", "CKL102"]) == 1
    assert [line.split(": ")[0] for line in _lines(capsys)][:1] == [f"{TABLE}:13:2"]


def test_an_unknown_prefix_is_refused_with_a_suggestion(capsys):
    assert main(["check", str(ROOT / "sample_trees" / "clean-2.6.33"), "--select", "CKL8"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: unknown check 'CKL8' (see 'ckptlint rules')\n"
    assert main(["check", str(ROOT / "sample_trees" / "clean-2.6.33"), "--select",
                 "table-positon-mismatch"]) == 2
    assert capsys.readouterr().err == (
        "ckptlint: error: unknown check 'table-positon-mismatch'; did you mean "
        "table-position-mismatch? (see 'ckptlint rules')\n")


def test_extend_select_adds_to_the_configured_selection(sample, capsys):
    tree = sample("table-shift")
    (tree / ".ckptlint.toml").write_text('select = ["CKL102"]\n')
    assert main(["check", str(tree), "--extend-select", "CKL101"]) == 1
    found = [GCC.match(line).group(1, 2, 4) for line in _lines(capsys) if GCC.match(line)]
    assert found == [(TABLE, "13", "error"), ("arch/x86/include/asm/unistd_32.h", "15", "note"),
                     (TABLE, "14", "error"), ("arch/x86/include/asm/unistd_32.h", "20", "note")]


def test_extend_ignore_adds_to_the_configured_ignores(sample, capsys):
    tree = sample("table-shift")
    (tree / ".ckptlint.toml").write_text('ignore = ["CKL101"]\n')
    assert main(["check", str(tree), "--extend-ignore", "table-length-mismatch"]) == 0
    assert _lines(capsys) == [f"0 findings (0 errors, 0 warnings, 0 notes); {SUMMARY_TAIL}"]


def test_extend_keys_in_the_config(sample, capsys):
    tree = sample("table-shift")
    (tree / ".ckptlint.toml").write_text('extend-ignore = ["CKL10"]\n')
    assert main(["check", str(tree)]) == 0
    assert _lines(capsys)[-1] == f"0 findings (0 errors, 0 warnings, 0 notes); {SUMMARY_TAIL}"


def test_severity_by_prefix_in_the_config(sample, capsys):
    tree = sample("table-shift")
    (tree / ".ckptlint.toml").write_text('[severity]\nCKL1 = "warning"\nCKL101 = "note"\n')
    assert main(["check", str(tree), "--select", "CKL1", "--show-notes"]) == 0
    assert [line for line in _lines(capsys) if "[CKL" in line] == [
        f"{TABLE}:13:2: note: sys_checkpoint is at table position 10, but __NR_checkpoint is 9 "
        "(entries from here are shifted by +1) (i386) [CKL101 table-position-mismatch]",
        f"{TABLE}:14:2: warning: the i386 table has 12 entries, but NR_syscalls is 11 (i386) "
        "[CKL102 table-length-mismatch]"]


def test_statistics_counts_each_check(sample, capsys):
    tree = sample("table-shift")
    assert main(["check", str(tree), "--statistics", "--show-notes"]) == 1
    assert _lines(capsys) == [
        "2  CKL601  cross-abi-wiring (note)",
        "2  CKL602  missing-on-arch (note)",
        "1  CKL101  table-position-mismatch (error)",
        "1  CKL102  table-length-mismatch (error)",
        f"6 findings (2 errors, 0 warnings, 4 notes); {SUMMARY_TAIL}",
    ]


def test_statistics_is_text_only(capsys):
    assert main(["check", str(ROOT / "sample_trees" / "clean-2.6.33"), "--statistics",
                 "--format", "json"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: --statistics writes text, not json\n"


def test_exit_zero_reports_but_succeeds(sample, capsys):
    tree = sample("table-shift")
    assert main(["check", str(tree), "--exit-zero"]) == 0
    assert _lines(capsys)[-1] == f"2 findings (2 errors, 0 warnings, 0 notes); {SUMMARY_TAIL}"
    assert main(["check", str(tree / "nope"), "--exit-zero"]) == 2


def test_every_line_of_a_finding_parses_as_gcc_output(sample, capsys):
    tree = sample("seed-as-posted")
    assert main(["check", str(tree)]) == 1
    lines = _lines(capsys)
    assert lines[:4] == [
        "Makefile:24:1: error: checkpoint/ is never descended into by Kbuild, so "
        "sys_checkpoint, sys_restart are never built; list it with the top-level directories "
        "here (s390, x86) [CKL501 unreachable-syscall-dir]",
        "checkpoint/Makefile:1:1: note: checkpoint/'s Makefile, which Kbuild never reads",
        "checkpoint/sys.c:5:1: note: sys_checkpoint is defined here",
        "checkpoint/sys.c:11:1: note: sys_restart is defined here",
    ]
    assert all(GCC.match(line) for line in lines[:-1])


def test_colour_always_paints_like_gcc_and_never_does_not(sample, capsys):
    tree = sample("table-shift")
    assert main(["check", str(tree), "--select", "CKL102", "--color", "always"]) == 1
    assert _lines(capsys)[:2] == [
        f"\x1b[01m{TABLE}:14:2:\x1b[0m \x1b[01;31merror:\x1b[0m the i386 table has 12 entries, but "
        "NR_syscalls is 11 (i386) \x1b[02m[CKL102 table-length-mismatch]\x1b[0m",
        "\x1b[01march/x86/include/asm/unistd_32.h:20:1:\x1b[0m \x1b[01;36mnote:\x1b[0m NR_syscalls "
        "is defined here"]
    assert main(["check", str(tree), "--select", "CKL102", "--color", "never"]) == 1
    assert "\x1b" not in capsys.readouterr().out


def _on_a_tty(argv: list[str], env: dict) -> str:
    """ckptlint's stdout when it is a terminal (a pty), as a person runs it."""
    import pty

    controller, terminal = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "ckptlint", *argv], stdout=terminal,
                          stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                          check=False)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert done.returncode == 1
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color(sample):
    argv = ["check", str(sample("table-shift")), "--select", "CKL102", "--no-cache"]
    coloured = _on_a_tty(argv, {"NO_COLOR": ""})
    assert "\x1b[01;31merror:\x1b[0m" in coloured
    plain = _on_a_tty(argv, {"NO_COLOR": "1"})
    assert "\x1b[" not in plain and f"{TABLE}:14:2: error: the i386 table" in plain


def test_the_tree_is_found_from_a_subdirectory(sample, capsys, monkeypatch):
    tree = sample("table-shift")
    assert main(["check", str(tree), "--select", "CKL102"]) == 1
    top = _lines(capsys)
    monkeypatch.chdir(tree / "kernel")
    assert main(["check", "--select", "CKL102"]) == 1
    assert _lines(capsys) == top
    assert main(["check", str(tree / "arch" / "x86"), "--select", "CKL102"]) == 1
    assert _lines(capsys) == top


def test_outside_any_tree_the_error_is_unchanged(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: .: not a kernel tree (no top-level Makefile and arch/)\n"


@pytest.mark.parametrize("argv", [["matrix"], ["why", "CHECKPOINT", "--arch", "i386"],
                                  ["symbols", "--list"], ["graph", "--syscall", "checkpoint"]])
def test_every_tree_command_finds_the_tree_from_a_subdirectory(argv, capsys, monkeypatch):
    clean = ROOT / "sample_trees" / "clean-2.6.33"
    code = main([*argv, str(clean)])
    top = capsys.readouterr().out
    monkeypatch.chdir(clean / "kernel")
    assert main(argv) == code
    assert capsys.readouterr().out == top


def test_a_misspelt_suppression_is_a_warning_with_a_suggestion(sample, capsys):
    tree = sample("unknown-suppression")
    assert main(["check", str(tree), "--select", "CKL011,CKL101"]) == 1
    assert _lines(capsys)[0] == (
        f"{TABLE}:13:2: warning: ckptlint: ignore[...] names 'CKL1O1', which is no check ID, name "
        "or ID prefix; did you mean CKL101? (see 'ckptlint rules') [CKL011 unknown-suppression]")


def test_a_suppression_by_prefix(sample, capsys):
    tree = sample("unknown-suppression")
    table = tree / TABLE
    table.write_text(table.read_text().replace("ignore[CKL1O1]", "ignore[CKL1]"))
    assert main(["check", str(tree), "--select", "CKL011,CKL101"]) == 0
    assert _lines(capsys) == [f"0 findings (0 errors, 0 warnings, 0 notes); {SUMMARY_TAIL}; "
                              "1 suppressed inline"]
