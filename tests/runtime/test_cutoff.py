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
    # alone on the line above the row, in place of a comment line: no row moves
    edit(filled, TABLE, ROW, "# the new call\n" + ROW)
    assert check(filled, tmp_path)[0] == [("CKL103", TABLE, 15, 1), ("CKL601", TABLE, 15, 1)]
    edit(filled, TABLE, "# the new call\n", "# ckptlint: ignore[CKL103]\n")
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == [TABLE]
    assert findings == [("CKL601", TABLE, 15, 1)]


def test_a_suppression_after_a_row_is_a_change_to_the_row(filled, tmp_path):
    """The kernel's scripts/syscalltbl.sh does not strip a comment after a row (it becomes
    a column: CKL112), so that comment is part of the row's facts: the run is not settled,
    and the suppression applies as ever."""
    edit(filled, TABLE, ROW, ROW.replace("\n", "\t# ckptlint: ignore[CKL103]\n"))
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == []
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
    suppressed = "# ckptlint: ignore[CKL103]\n" + ROW
    edit(filled, TABLE, ROW, suppressed)
    data = patch_of(filled, TABLE, suppressed, "# no longer ignored\n" + ROW)
    assert patch_runs(filled, data, monkeypatch) == ([("CKL103", TABLE, 15)], 1)


def test_a_patch_that_changes_a_row_runs_the_patched_view(filled, monkeypatch):
    data = patch_of(filled, TABLE, ROW, ROW.replace("sys_checkpoint", "sys_restart"))
    # CKL103 for the new entry; no CKL701: the base's sys_checkpoint was defined nowhere,
    # so no kernel ever ran that slot and changing it breaks nobody
    assert patch_runs(filled, data, monkeypatch) == ([("CKL103", TABLE, 14)], 2)


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


# -- what a review of the cutoff found (each failed before its fix) -------------------

def test_a_table_link_pointed_at_another_file_of_equal_rows_runs_in_full(filled, tmp_path):
    """Table findings are placed at the file a link leads to: where it leads is an input."""
    scripts = filled / "scripts"
    scripts.mkdir()
    text = (filled / TABLE).read_text()
    (scripts / "a.tbl").write_text(text.replace(ROW, ROW.replace("\n", "\t# ckptlint: ignore[CKL103]\n")))
    (scripts / "b.tbl").write_text(text)
    (filled / TABLE).unlink()
    (filled / TABLE).symlink_to("../../../../scripts/a.tbl")
    findings, _ = check(filled, tmp_path)
    assert findings == [("CKL601", "scripts/a.tbl", 14, 1)]
    link = filled / "arch/x86/entry/syscalls/next.tbl"
    link.symlink_to("../../../../scripts/b.tbl")
    os.replace(link, filled / TABLE)  # as ln -sfn does
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == []
    assert findings == [("CKL103", "scripts/b.tbl", 14, 1), ("CKL601", "scripts/b.tbl", 14, 1)]


def test_a_macro_header_read_by_a_cached_definition_scan_is_read_raw(sample, tmp_path, monkeypatch):
    """SYSCALL_DEFINE arguments are expanded with include/linux/syscalls.h's macros: a
    definition scan answered from the cache still reads that header."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tree = sample("clean-6.12")
    with open(tree / "kernel/sys.c", "a") as handle:
        handle.write("\nSYSCALL_DEFINE3(frob, int, fd, SC_ARG64(off))\n{\n\treturn 0;\n}\n")
    header = "include/linux/syscalls.h"
    edit(tree, header, "\n", "\n#define SC_ARG64(name) u32, name##_lo, u32, name##_hi\n")
    age(tree)
    check(tree, tmp_path)
    edit(tree, "kernel/exit.c", "\n", "\n/* a run whose definitions come from the cache */\n")
    assert check(tree, tmp_path)[0] == []
    edit(tree, header, "u32, name##_lo, u32, name##_hi", "u64, name")
    findings, counters = check(tree, tmp_path)
    assert counters["settled"] == []
    assert findings == [("CKL203", "kernel/sys.c", 7, 1)]


def test_a_file_saved_again_while_settling_is_not_taken_as_settled(filled, tmp_path, monkeypatch):
    """The settled entry is refreshed with the state the projections read, not a later one."""
    edit(filled, TABLE, ROW, ROW + "# a comment\n")
    real = cutoff.settled

    def settled_then_saved(*args):
        answer = real(*args)
        edit(filled, TABLE, "# a comment\n", "")  # the developer saves again, mid-run
        edit(filled, TABLE, ROW, ROW.replace("sys_checkpoint", "sys_exit"))
        return answer

    monkeypatch.setattr(cutoff, "settled", settled_then_saved)
    assert check(filled, tmp_path)[1]["settled"] == [TABLE]
    monkeypatch.setattr(cutoff, "settled", real)
    findings, counters = check(filled, tmp_path)
    assert counters["settled"] == []
    assert findings == [("CKL601", TABLE, 14, 1)]


def test_a_settling_attempt_that_fails_leaves_no_note(sample, tmp_path, monkeypatch):
    """The full run after a failed attempt reports only what it reads itself."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tree = sample("modern-undefined-entry")
    (tree / "arch/x86/kernel/Makefile.syscalls").write_text("# nothing yet\n")
    age(tree)
    before, _ = check(tree, tmp_path, "--max-file-size", "2000")
    edit(tree, TABLE, ROW, ROW + "# padding " + "x" * 2000 + "\n")  # now over the cap
    edit(tree, "arch/x86/kernel/Makefile.syscalls", "# nothing yet\n", "syscall_abis_64 += common 64\n")
    findings, counters = check(tree, tmp_path, "--max-file-size", "2000")
    assert counters["settled"] == []
    assert findings == check(tree, tmp_path, "--max-file-size", "2000", "--no-cache")[0]
    assert ("CKL010", TABLE, 1, 1) not in findings


def test_a_raw_read_in_another_thread_while_a_file_is_projected_counts(sample):
    """The checks run in two threads: a projection in one does not hide the other's reads."""
    import threading

    tree = KernelTree(sample("modern-undefined-entry"))
    inside, go = threading.Event(), threading.Event()

    def project() -> None:
        tree.project("tbl rows", TABLE, lambda: (inside.set(), go.wait(), tree.lines(TABLE)[:1])[2])

    worker = threading.Thread(target=project)
    worker.start()
    inside.wait()
    tree.read_text(TABLE)
    go.set()
    worker.join()
    assert TABLE in tree.raw


def test_the_size_cap_is_part_of_what_a_stored_run_is_for(filled, tmp_path):
    findings, _ = check(filled, tmp_path, "--max-file-size", "300")
    assert ("CKL010", TABLE, 1, None) in findings  # the table is over 300 bytes: not read


def test_a_series_commit_adding_a_file_the_last_run_probed_is_run(tmp_path):
    """A commit that adds a file no wiring rule names, which the previous run looked
    for (scripts/checksyscalls.sh), is run: the snapshot writes it, the finding goes."""
    from gitrepo import commit_all, git

    from ckptlint.engine.options import Options
    from ckptlint.revisions import series

    repo = sample_case(tmp_path, "never-built-no-fallback")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "base")
    with open(repo / "kernel/sys.c", "a") as handle:
        handle.write("\n/* a comment */\n")
    commit_all(repo, "a comment")
    (repo / "scripts").mkdir(exist_ok=True)
    (repo / "scripts/checksyscalls.sh").write_text("cat << EOF\n#define __IGNORE_checkpoint\nEOF\n")
    commit_all(repo, "checksyscalls: checkpoint is ignored")
    outcome = series.check_series(str(repo), "HEAD~2", "HEAD", Options(min_severity="note", jobs=1))
    assert [(f.rule, f.path, f.line) for f in outcome.commits[-1].fixed] == \
        [("CKL602", "arch/arm/kernel/calls.S", 10)]


def sample_case(tmp_path: Path, name: str) -> Path:
    import tomllib

    from samples import CASES, Case, materialise

    directory = CASES / name
    return materialise(Case(name, directory, tomllib.loads((directory / "case.toml").read_text())),
                       tmp_path / name)


def test_a_patch_to_the_file_a_table_link_leads_to_is_read_through_the_link(filled, monkeypatch):
    """check-patch serves a patched file to every path a symlink leads to it (6.12's
    arch/arm64/tools/syscall_64.tbl is a link to scripts/syscall.tbl); such a patch that
    gives the same rows is settled for both, one that changes a row runs."""
    scripts = filled / "scripts"
    scripts.mkdir()
    os.replace(filled / TABLE, scripts / "syscall_64.tbl")
    (filled / TABLE).symlink_to("../../../../scripts/syscall_64.tbl")
    assert patch_runs(filled, patch_of(filled, "scripts/syscall_64.tbl", ROW, ROW + "# a comment\n"),
                      monkeypatch) == ([], 1)
    data = patch_of(filled, "scripts/syscall_64.tbl", "sys_exit\n", "sys_exitx\n")
    assert patch_runs(filled, data, monkeypatch) == \
        ([("CKL103", "scripts/syscall_64.tbl", 13), ("CKL701", "scripts/syscall_64.tbl", 13)], 2)
