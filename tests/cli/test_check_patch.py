"""check-patch: git format-patch output on stdin, as b4's per-patch check commands run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import add_frob, commit_all, git, make_repo, snapshot, swap_frob
from samples import ROOT as SAMPLES

from ckptlint.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLE = "arch/x86/kernel/syscall_table_32.S"
EXPECTED_SWAP = [
    f"{TABLE}:13: ERROR: CKL101 sys_frob and sys_restart are swapped: slot 10 (__NR_restart) "
    "calls sys_frob, slot 11 (__NR_frob) calls sys_restart (i386)",
    "total: 1 errors, 0 warnings, 0 notes, 2 patches checked",
]


@pytest.fixture(scope="module")
def patches(tmp_path_factory):
    """format-patch mboxes of the sys_frob series: 'add', 'add+swap', 'swap' alone, 'add+unswap'."""
    repo = make_repo(tmp_path_factory.mktemp("series") / "linux")
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    add_frob(repo)
    added = commit_all(repo, "x86: add sys_frob")
    swap_frob(repo)
    swapped = commit_all(repo, "x86: move sys_frob before sys_restart")

    def mbox(*revs: str) -> bytes:
        return git(repo, "format-patch", "--stdout", *revs)

    return {"add": mbox(f"{base}..{added}"), "add+swap": mbox(f"{base}..{swapped}"),
            "swap": mbox(f"{added}..{swapped}"), "repo": repo, "swapped": swapped}


@pytest.fixture
def tree(tmp_path):
    """A plain (not git) copy of the clean 2.6.33 sample tree."""
    return Path(shutil.copytree(SAMPLES / "clean-2.6.33", tmp_path / "linux"))


def b4_run(cwd: Path, patch: bytes) -> subprocess.CompletedProcess:
    """What b4 does: the command in the tree's top directory, the patch on stdin."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "ckptlint", "check-patch", "-"], input=patch,
                          capture_output=True, cwd=cwd, env=env, check=False)


def test_clean_patch_is_silent_and_exits_zero(patches, tree):
    before = snapshot(tree)
    done = b4_run(tree, patches["add"])
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
    assert snapshot(tree) == before


def test_series_prints_one_terse_line_per_introduced_finding(patches, tree):
    before = snapshot(tree)
    done = b4_run(tree, patches["add+swap"])
    assert done.returncode == 1
    assert done.stdout.decode().splitlines() == EXPECTED_SWAP
    assert done.stderr == b""
    assert snapshot(tree) == before


def test_patch_that_does_not_apply_is_one_line_and_exit_2(patches, tree):
    done = b4_run(tree, patches["swap"])
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == f"check-patch: patch 1/1 does not apply to {TABLE}:10\n"


def test_the_failing_patch_is_numbered_in_its_series(patches, tree, capsys):
    mbox = patches["add"] + patches["swap"] + patches["swap"]
    assert main(["check-patch", "--tree", str(tree), _write(tree.parent / "s.mbox", mbox)]) == 2
    assert capsys.readouterr().err == f"check-patch: patch 3/3 does not apply to {TABLE}:10\n"


def test_files_no_check_reads_are_vetted_but_not_applied(patches, tree, capsys):
    stale_doc = _diff("a/Documentation/frob.txt", "b/Documentation/frob.txt",
                      "@@ -1 +1 @@\n-old text\n+new text\n")
    assert main(["check-patch", _write(tree.parent / "d.patch", stale_doc + patches["add"]),
                 "--tree", str(tree)]) == 0
    assert capsys.readouterr() == ("", "")
    escaping_doc = _diff("a/../README", "b/../README", "@@ -1 +1 @@\n-a\n+b\n")
    assert main(["check-patch", _write(tree.parent / "e.patch", escaping_doc), "--tree", str(tree)]) == 2
    assert capsys.readouterr().err == "check-patch: path '../README' leaves the tree; refused\n"


def test_series_already_in_the_tree_is_checked_in_reverse(patches, tmp_path):
    """b4 prep --check runs the command in a tree where the series is applied."""
    applied = tmp_path / "applied"
    git(patches["repo"], "worktree", "add", "-q", str(applied), patches["swapped"])
    try:
        done = b4_run(applied, patches["add+swap"])
    finally:
        git(patches["repo"], "worktree", "remove", "--force", str(applied))
    assert done.returncode == 1
    assert done.stdout.decode().splitlines() == EXPECTED_SWAP


def test_patch_file_and_tree_options(patches, tree, capsys):
    patch_file = _write(tree.parent / "add-swap.mbox", patches["add+swap"])
    assert main(["check-patch", patch_file, "--tree", str(tree)]) == 1
    assert capsys.readouterr().out.splitlines() == EXPECTED_SWAP
    assert main(["check-patch", patch_file, "--tree", str(tree), "--fail-on", "note",
                 "--select", "CKL102"]) == 0
    assert capsys.readouterr().out == ""


def _diff(old: str, new: str, body: str) -> bytes:
    return f"--- {old}\n+++ {new}\n{body}".encode()


NEW_FILE_HUNK = "@@ -0,0 +1 @@\n+int x;\n"


@pytest.mark.parametrize("patch, message", [
    (_diff("/dev/null", "b/../evil.c", NEW_FILE_HUNK), "path '../evil.c' leaves the tree; refused"),
    (_diff("/dev/null", "b/kernel/../../evil.c", NEW_FILE_HUNK),
     "path 'kernel/../../evil.c' leaves the tree; refused"),
    (_diff("/dev/null", "/tmp/evil.c", NEW_FILE_HUNK), "absolute path '/tmp/evil.c' refused"),
    (_diff("/dev/null", "b/escape/evil.c", NEW_FILE_HUNK),
     "path 'escape/evil.c' goes through a symlink out of the tree; refused"),
])
def test_paths_that_leave_the_tree_are_refused(tree, tmp_path, patch, message):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tree / "escape").symlink_to(outside)
    done = b4_run(tree, patch)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode() == f"check-patch: {message}\n"
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "evil.c").exists()


def test_created_kconfig_file_is_seen_through_the_overlay(tree, capsys):
    source_only = _diff("a/init/Kconfig", "b/init/Kconfig", _source_hunk(tree))
    with_file = source_only + _diff("/dev/null", "b/frob/Kconfig",
                                    '@@ -0,0 +1,2 @@\n+config FROB\n+\tbool "frob"\n')
    assert main(["check-patch", _write(tree.parent / "a.patch", source_only), "--tree", str(tree)]) == 1
    lines = capsys.readouterr().out.splitlines()
    last = len((tree / "init/Kconfig").read_text().splitlines()) + 1
    assert lines == [f"init/Kconfig:{last}: ERROR: CKL402 source of missing file 'frob/Kconfig'",
                     "total: 1 errors, 0 warnings, 0 notes, 1 patch checked"]
    assert main(["check-patch", _write(tree.parent / "b.patch", with_file), "--tree", str(tree)]) == 0
    assert capsys.readouterr().out == ""


def _source_hunk(tree: Path) -> str:
    lines = (tree / "init/Kconfig").read_text().splitlines()
    count = len(lines)
    return f"@@ -{count},1 +{count},2 @@\n {lines[-1]}\n+source \"frob/Kconfig\"\n"


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_no_summary_leaves_out_the_total_line(patches, tree, capsys):
    patch_file = _write(tree.parent / "add-swap.mbox", patches["add+swap"])
    assert main(["check-patch", patch_file, "--tree", str(tree), "--no-summary"]) == 1
    assert capsys.readouterr().out.splitlines() == EXPECTED_SWAP[:-1]


def test_json_format_has_the_introduced_findings_and_the_patch_count(patches, tree, capsys):
    import json

    patch_file = _write(tree.parent / "add-swap.mbox", patches["add+swap"])
    assert main(["check-patch", patch_file, "--tree", str(tree), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["path"], f["line"], f["arch"]) for f in doc["findings"]] == [
        ("CKL101", TABLE, 13, "i386")]
    assert doc["summary"] == {"error": 1, "warning": 0, "note": 0}
    assert doc["patches"] == {"count": 2, "already_applied": False}


def test_sarif_and_github_formats(patches, tree, capsys):
    import json

    patch_file = _write(tree.parent / "add-swap.mbox", patches["add+swap"])
    assert main(["check-patch", patch_file, "--tree", str(tree), "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [("CKL101", 13)]
    assert main(["check-patch", patch_file, "--tree", str(tree), "--format", "github"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"::error file={TABLE},line=13,col=2,title=CKL101 table-position-mismatch::"
                            "sys_frob and sys_restart are swapped")


def test_exit_zero_keeps_the_output(patches, tree, capsys):
    patch_file = _write(tree.parent / "add-swap.mbox", patches["add+swap"])
    assert main(["check-patch", patch_file, "--tree", str(tree), "--exit-zero"]) == 0
    assert capsys.readouterr().out.splitlines() == EXPECTED_SWAP
