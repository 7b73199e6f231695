"""Early cutoff: an edit whose files give the same facts is answered by the stored run;
any other edit runs in full, and either way the report is what an uncached run gives."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ckptlint.cli import main
from ckptlint.runtime import cutoff
from ckptlint.tree import KernelTree

TABLE = "arch/x86/entry/syscalls/syscall_64.tbl"
ROW = "463\tcommon\tcheckpoint\t\tsys_checkpoint\n"


def age(tree: Path, seconds: int = 3600) -> None:
    past = os.stat(tree).st_mtime - seconds
    for path in [tree, *tree.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


def check(tree: Path, tmp_path: Path, *extra: str) -> tuple[list[tuple], dict]:
    """(rule, path, line, column) of each finding, and the run's cache counters."""
    report, timings = tmp_path / "report.json", tmp_path / "timings.json"
    main(["check", str(tree), "--show-notes", "--format", "json", "-o", str(report),
          "--timings", str(timings), *extra])
    findings = [(f["rule"], f["path"], f["line"], f["column"])
                for f in json.loads(report.read_text())["findings"]]
    return findings, json.loads(timings.read_text())["cache"]


def edit(tree: Path, rel: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in a file, as an editor saves it (a new file renamed over)."""
    path = tree / rel
    text = path.read_text()
    assert old in text
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text.replace(old, new, 1))
    os.replace(temporary, path)


@pytest.fixture
def filled(sample, tmp_path, monkeypatch) -> Path:
    """The modern-undefined-entry case, its cache filled by one run."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tree = sample("modern-undefined-entry")
    age(tree)
    findings, counters = check(tree, tmp_path)
    assert findings == [("CKL103", TABLE, 14, 1), ("CKL601", TABLE, 14, 1)]
    assert counters["settled"] == []
    return tree


def test_a_comment_added_to_a_table_is_settled_by_the_stored_run(filled, tmp_path):
    edit(filled, TABLE, ROW, ROW + "# a comment after the new row\n")
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == [TABLE]
    assert findings == [("CKL103", TABLE, 14, 1), ("CKL601", TABLE, 14, 1)]
    assert check(filled, tmp_path, "--no-cache")[0] == findings
    again, counters = check(filled, tmp_path)  # the stored run now stands for the new content
    assert (again, counters["settled"]) == (findings, [])


def test_a_row_that_changes_runs_in_full(filled, tmp_path):
    edit(filled, TABLE, ROW, ROW.replace("sys_checkpoint", "sys_exit"))
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == []
    assert findings == [("CKL601", TABLE, 14, 1)]


def test_a_comment_that_moves_the_row_runs_in_full(filled, tmp_path):
    edit(filled, TABLE, ROW, "# a comment before the new row\n" + ROW)
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == []
    assert findings == [("CKL103", TABLE, 15, 1), ("CKL601", TABLE, 15, 1)]


def test_a_finding_whose_column_moves_runs_in_full(filled, tmp_path):
    edit(filled, TABLE, ROW, "  " + ROW)  # the same row for the scripts; the column is 3
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == []
    assert findings == [("CKL103", TABLE, 14, 3), ("CKL601", TABLE, 14, 3)]


def test_a_suppression_added_to_a_settled_table_still_applies(filled, tmp_path):
    edit(filled, TABLE, ROW, ROW.replace("\n", "\t# ckptlint: ignore[CKL103]\n"))
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == [TABLE]
    assert findings == [("CKL601", TABLE, 14, 1)]


@pytest.mark.parametrize("rel, old", [("kernel/sys_ni.c", "\n"), ("include/linux/syscalls.h", "\n")])
def test_a_comment_in_a_file_read_raw_runs_in_full(filled, tmp_path, rel, old):
    """Files a check reads line by line, not through a projection, are never settled."""
    edit(filled, rel, old, "\n/* a comment */\n")
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == []
    assert findings == [("CKL103", TABLE, 14, 1), ("CKL601", TABLE, 14, 1)]


def test_reads_outside_a_projection_count_as_raw(sample):
    tree = KernelTree(sample("modern-undefined-entry"))
    rows = tree.project("tbl rows", TABLE, lambda: tree.lines(TABLE)[:2])
    assert rows == tree.projections[TABLE]["tbl rows"] and TABLE not in tree.raw
    tree.project("tbl rows", "kernel/sys_ni.c", lambda: tree.read_text(TABLE))  # another file's
    assert TABLE in tree.raw and "kernel/sys_ni.c" not in tree.raw
    tree.record(["include/linux/syscalls.h"])  # read elsewhere (a worker, the definition scan)
    assert "include/linux/syscalls.h" in tree.raw
    tree.scan_bytes("kernel/sys.c", lambda rel, data: True, "any")  # byte scans are reads too
    tree.read_walked("kernel/exit.c", b"SYSCALL")
    assert {"kernel/sys.c", "kernel/exit.c"} <= tree.raw


def test_a_projection_that_notes_its_file_counts_as_raw(sample):
    tree = KernelTree(sample("modern-undefined-entry"), max_file_bytes=10)
    assert tree.project("tbl rows", TABLE, lambda: tree.lines(TABLE)) == []
    assert TABLE in tree.raw and TABLE not in tree.projections


def test_settling_refuses_what_it_cannot_recompute(sample):
    tree = KernelTree(sample("modern-undefined-entry"))
    rows = cutoff.digest(tree.project("tbl rows", TABLE, lambda: []))
    assert not cutoff.settled(tree, [TABLE], {TABLE: {"a kind nobody computes": rows}})
    assert not cutoff.settled(tree, [TABLE], {TABLE: {"column 99999999999": rows}})
    assert not cutoff.settled(tree, [TABLE], {TABLE: {"tbl rows": rows}})  # not [] now
    assert not cutoff.settled(tree, [TABLE], None)
    assert cutoff.settled(tree, [], {})  # nothing changed
    assert not cutoff.settled(tree, [TABLE] * (cutoff.MAX_CHANGED + 1), {TABLE: {}})


def patch_of(tree: Path, rel: str, old: str, new: str) -> bytes:
    """A unified diff that replaces ``old`` by ``new`` in one file of the tree."""
    import difflib

    text = (tree / rel).read_text()
    return "".join(difflib.unified_diff(text.splitlines(True), text.replace(old, new, 1).splitlines(True),
                                        f"a/{rel}", f"b/{rel}")).encode()


def patch_runs(tree: Path, data: bytes, monkeypatch) -> tuple[list[tuple], int]:
    """(rule, path, line) of what the patch introduces, and how many runs it took."""
    from ckptlint.engine.options import Options
    from ckptlint.revisions import check_patch as module

    runs = []
    real = module.run

    def counted(*args, **kwargs):
        runs.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "run", counted)
    outcome = module.check_patch(KernelTree(tree), data, Options(arches=None))
    return [(f.rule, f.path, f.line) for f in outcome.introduced], len(runs)


def test_a_patch_that_adds_a_comment_to_a_table_is_settled_by_the_tree_run(filled, monkeypatch):
    data = patch_of(filled, TABLE, ROW, ROW + "# a comment\n")
    assert patch_runs(filled, data, monkeypatch) == ([], 1)


def test_a_patch_that_drops_a_suppression_reports_what_it_hid(filled, tmp_path, monkeypatch):
    edit(filled, TABLE, ROW, ROW.replace("\n", "\t# ckptlint: ignore[CKL103]\n"))
    suppressed = ROW.replace("\n", "\t# ckptlint: ignore[CKL103]\n")
    data = patch_of(filled, TABLE, suppressed, ROW)
    assert patch_runs(filled, data, monkeypatch) == ([("CKL103", TABLE, 14)], 1)


def test_a_patch_that_changes_a_row_runs_the_patched_view(filled, monkeypatch):
    data = patch_of(filled, TABLE, ROW, ROW.replace("sys_checkpoint", "sys_restart"))
    assert patch_runs(filled, data, monkeypatch) == ([("CKL103", TABLE, 14), ("CKL701", TABLE, 14)], 2)


def test_a_series_commit_that_gives_the_same_facts_is_settled(tmp_path, monkeypatch):
    """Series mode: a commit that only adds a comment to a table reuses the previous
    commit's run (once both ran with the series' ABI base); a commit that adds a row is
    run, and its finding introduced."""
    from gitrepo import commit_all, make_repo

    from ckptlint.engine.options import Options
    from ckptlint.revisions import series

    repo = make_repo(tmp_path / "linux", base="clean-6.12")
    table = repo / TABLE
    shas = []
    for added in ("# a first comment\n", "# a second comment\n", ROW):
        table.write_text(table.read_text() + added)
        shas.append(commit_all(repo, f"x86: {added.strip()}"))
    runs = []
    real = series.run
    monkeypatch.setattr(series, "run", lambda tree, options: runs.append(tree) or real(tree, options))
    outcome = series.check_series(str(repo), "HEAD~3", "HEAD", Options(arches=None))
    assert [c.sha for c in outcome.commits] == shas
    assert [[(f.rule, f.path, f.line) for f in c.introduced] for c in outcome.commits] == \
        [[], [], [("CKL103", TABLE, 16)]]
    # the base (without the ABI base), the first commit (with it), the row; not the second
    assert len(runs) == 3
