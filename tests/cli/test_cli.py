"""The command line: exit codes, formats, errors, python -m."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ckptlint.cli import main

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "sample_trees" / "clean-2.6.33"


def test_clean_tree_exits_zero(capsys):
    assert main(["check", str(CLEAN)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("0 findings (0 errors, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64")


def test_seed_as_posted_text_line_format(sample, capsys):
    tree = sample("seed-as-posted")
    assert main(["check", str(tree)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("Makefile:24:1: error: checkpoint/ is never descended into by "
                        "Kbuild, so sys_checkpoint, sys_restart are never built; list it with "
                        "the top-level directories here (s390, x86) [CKL501 unreachable-syscall-dir]")
    assert lines[1] == "checkpoint/Makefile:1:1: note: checkpoint/'s Makefile, which Kbuild never reads"
    assert lines[2] == "checkpoint/sys.c:5:1: note: sys_checkpoint is defined here"
    assert lines[3] == "checkpoint/sys.c:11:1: note: sys_restart is defined here"


def test_json_contract(sample, capsys):
    tree = sample("table-shift")
    assert main(["check", str(tree), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert list(doc)[:4] == ["version", "tree", "findings", "summary"]
    assert doc["version"] == 1 and doc["tree"] == str(tree.resolve())
    first = doc["findings"][0]
    assert list(first) == ["rule", "name", "severity", "path", "line", "column", "message",
                           "symbol", "arch", "related", "fingerprint"]
    assert (first["rule"], first["name"], first["path"], first["line"], first["symbol"],
            first["arch"]) == ("CKL101", "table-position-mismatch",
                               "arch/x86/kernel/syscall_table_32.S", 13, "checkpoint", "i386")
    assert first["related"] == [{"path": "arch/x86/include/asm/unistd_32.h", "line": 15,
                                 "note": "__NR_checkpoint is 9"}]
    assert doc["summary"] == {"error": 2, "warning": 0, "note": 0}


def test_fail_on_warning(sample, capsys):
    tree = sample("stray-cond-syscall")
    assert main(["check", str(tree), "--select", "CKL302"]) == 0
    assert main(["check", str(tree), "--select", "CKL302", "--fail-on", "warning"]) == 1


def test_show_notes_reports_the_cross_abi_note(capsys):
    assert main(["check", str(CLEAN), "--show-notes"]) == 0
    out = capsys.readouterr().out
    assert ("arch/x86/include/asm/unistd_32.h:15:1: note: checkpoint is wired for i386 but not "
            "for x86_64; its gate cannot be enabled on x86_64 (x86_64) [CKL601 cross-abi-wiring]") in out


def test_missing_tree_is_one_line_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err == f"ckptlint: error: {tmp_path / 'nope'}: no such directory\n"


def test_not_a_kernel_tree(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "not a kernel tree" in capsys.readouterr().err


def test_unknown_option_is_one_line(capsys):
    assert main(["check", str(CLEAN), "--frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ckptlint: error: unrecognized arguments")


def test_unknown_check_id(capsys):
    assert main(["check", str(CLEAN), "--select", "CKL999"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: unknown check 'CKL999' (see 'ckptlint rules')\n"


def test_output_file_written_whole(sample, tmp_path, capsys):
    tree = sample("table-shift")
    target = tmp_path / "report.json"
    assert main(["check", str(tree), "--format", "json", "-o", str(target)]) == 1
    assert json.loads(target.read_text())["summary"]["error"] == 2
    assert capsys.readouterr().out == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ckptlint-")] == []


def test_output_to_a_fifo_is_written_through_not_replaced(tmp_path, capsys):
    """``-o /dev/null`` once renamed a regular file over the device node; a FIFO is
    the same case without touching /dev."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    try:
        assert main(["check", str(CLEAN), "--format", "json", "-o", str(fifo)]) == 0
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    finally:  # a reader still waiting for a writer is let go
        if reader.is_alive() and stat.S_ISFIFO(os.lstat(fifo).st_mode):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # ENXIO: the reader had already read and closed its end
                pass
        reader.join(timeout=60)
    assert json.loads(received[0])["summary"]["error"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_output_through_a_symlink_replaces_the_file_it_names(sample, tmp_path, capsys):
    real = tmp_path / "reports" / "report.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert main(["check", str(sample("table-shift")), "--format", "json", "-o", str(link)]) == 1
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["summary"]["error"] == 2
    assert capsys.readouterr().out == ""


def test_bad_rules_dir(tmp_path, capsys):
    bad = tmp_path / "packs"
    bad.mkdir()
    (bad / "x.toml").write_text('[pack]\nname = "x"\n[[syscall]]\nname = "foo"\n')
    assert main(["check", str(CLEAN), "--rules", str(bad)]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: {bad / 'x.toml'}: [[syscall]] #1 needs 'signature'\n"


def test_rules_and_explain(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "CKL101  table-position-mismatch" in out
    assert "pack  checkpoint-restart" in out
    assert ("CKL504  undefined-config-anywhere    warning  A CONFIG_ reference anywhere in the tree "
            "names no symbol of the arches that build it (opt-in)\n") in out
    assert main(["explain", "table-position-mismatch"]) == 0
    text = capsys.readouterr().out
    for section in ("What it checks:", "Why it matters:", "Example:", "Fix:"):
        assert section in text


def test_python_dash_m_and_version():
    proc = subprocess.run([sys.executable, "-m", "ckptlint", "--version"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("ckptlint ")
    proc = subprocess.run([sys.executable, "-m", "ckptlint", "check", str(CLEAN), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0 and json.loads(proc.stdout)["findings"] == []


def test_the_command_exits_without_teardown_but_with_everything_written(sample, tmp_path):
    """``entry`` leaves through os._exit: the exit code, stdout, -o and --timings are whole."""
    tree = sample("seed-as-posted")
    report, timings = tmp_path / "report.json", tmp_path / "timings.json"
    proc = subprocess.run([sys.executable, "-m", "ckptlint", "check", str(tree), "--format", "json",
                           "-o", str(report), "--timings", str(timings)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert ("CKL501", "Makefile", 24) in {
        (f["rule"], f["path"], f["line"]) for f in json.loads(report.read_text())["findings"]}
    assert "checks" in json.loads(timings.read_text())["stages"]
    piped = subprocess.run([sys.executable, "-m", "ckptlint", "check", str(tree), "--format", "json"],
                           capture_output=True, text=True, cwd=ROOT, check=False)
    assert piped.returncode == 1 and piped.stdout == report.read_text() and piped.stderr == ""
    # a short report stays in the stream's buffer until entry flushes it
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    short = subprocess.run([sys.executable, "-m", "ckptlint", "check", str(CLEAN)],
                           capture_output=True, text=True, cwd=ROOT, check=False, env=buffered)
    assert short.returncode == 0 and "0 findings (0 errors, 0 warnings, 0 notes)" in short.stdout
    # a usage error still says one line and exits 2
    bad = subprocess.run([sys.executable, "-m", "ckptlint", "check", str(tmp_path / "none")],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and bad.stdout == ""


def test_debug_is_taken_after_the_command_too(tmp_path, capsys):
    """The hint says 'rerun with --debug'; users put it after the command. A usage error is
    still one line under --debug (only internal errors get a traceback)."""
    assert main(["check", str(tmp_path / "nope"), "--debug"]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: {tmp_path / 'nope'}: no such directory\n"
    assert main(["--debug", "rules"]) == 0
