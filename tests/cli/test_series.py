"""Series mode: check TREE --base REV [--head REV] on temporary git kernel trees."""

from __future__ import annotations

import json
import shutil
import tempfile

import pytest
from gitrepo import add_frob, commit_all, edit, git, make_repo, snapshot, swap_frob, unswap_frob

from ckptlint.cli import main
from ckptlint.revisions import series as series_module
from ckptlint.tree import KernelTree

TABLE = "arch/x86/kernel/syscall_table_32.S"
#: sys_frob and sys_restart exchanged: one mistake, one finding at the first of them
FROB_SWAP = ("sys_frob and sys_restart are swapped: slot 10 (__NR_restart) calls sys_frob, "
             "slot 11 (__NR_frob) calls sys_restart")


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """Base + 3 commits: add sys_frob, break its table position, fix it; private TMPDIR."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    repo = make_repo(tmp_path / "linux")
    shas = [git(repo, "rev-parse", "HEAD").decode().strip()]
    add_frob(repo)
    shas.append(commit_all(repo, "x86: add sys_frob"))
    swap_frob(repo)
    shas.append(commit_all(repo, "x86: move sys_frob before sys_restart"))
    unswap_frob(repo)
    shas.append(commit_all(repo, "x86: put sys_frob back at 11"))
    return repo, shas, scratch


def test_series_demo_reports_who_introduced_and_who_fixed(demo, capsys):
    repo, shas, scratch = demo
    before = snapshot(repo)
    code = main(["check", str(repo), "--base", shas[0]])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        f"base {shas[0][:12]} clean-2.6.33 sample tree: 0 findings (0 errors, 0 warnings, 0 notes)",
        f"{shas[1][:12]} x86: add sys_frob",
        f"{shas[2][:12]} x86: move sys_frob before sys_restart",
        f"+ {TABLE}:13: error: CKL101 {FROB_SWAP} (i386)",
        f"{shas[3][:12]} x86: put sys_frob back at 11",
        f"- {TABLE}:13: error: CKL101 {FROB_SWAP} (i386)",
        "3 commits after base: 1 finding (1 error, 0 warnings, 0 notes) introduced, 1 fixed; "
        "head: 0 findings (0 errors, 0 warnings, 0 notes)",
    ]
    # work tree, index, HEAD, refs and every other byte under .git: untouched
    assert snapshot(repo) == before
    assert list(scratch.iterdir()) == []  # the temporary checkout is gone


def test_series_json_extends_the_contract(demo, capsys):
    repo, shas, _ = demo
    assert main(["check", str(repo), "--base", shas[0], "--head", shas[2], "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["version", "tree", "findings", "summary", "abis", "series"]
    assert doc["tree"] == str(repo.resolve())
    assert [(f["rule"], f["path"], f["line"]) for f in doc["findings"]] == [
        ("CKL101", TABLE, 13)]  # the head's own finding
    assert doc["series"]["base"] == {"commit": shas[0], "subject": "clean-2.6.33 sample tree",
                                     "summary": {"error": 0, "warning": 0, "note": 0}}
    commits = doc["series"]["commits"]
    assert [c["commit"] for c in commits] == shas[1:3]
    assert [(f["rule"], f["path"], f["line"], f["arch"]) for f in commits[1]["introduced"]] == [
        ("CKL101", TABLE, 13, "i386")]
    assert commits[0]["introduced"] == commits[0]["fixed"] == commits[1]["fixed"] == []
    assert commits[1]["introduced"][0]["fingerprint"] == doc["findings"][0]["fingerprint"]


def test_a_finding_that_only_moves_is_neither_introduced_nor_fixed(demo, capsys):
    repo, shas, _ = demo
    git(repo, "reset", "-q", "--hard", shas[2])  # the broken state is the new base
    edit(repo / TABLE, ".section .rodata", "/* a comment line above the shifted entries */\n.section .rodata")
    moved = commit_all(repo, "x86: comment the table")
    assert main(["check", str(repo), "--base", shas[2]]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [f"{moved[:12]} x86: comment the table",
                       "1 commit after base: 0 findings (0 errors, 0 warnings, 0 notes) introduced, "
                       "0 fixed; head: 1 finding (1 error, 0 warnings, 0 notes)"]


def test_only_changed_wiring_files_are_rewritten(demo, monkeypatch, capsys):
    repo, shas, _ = demo
    (repo / "Documentation").mkdir()
    (repo / "Documentation/frob.txt").write_text("not a wiring file\n")
    base = commit_all(repo, "docs")
    edit(repo / "kernel/sys.c", "\treturn level;\n", "\treturn level + 1;\n")
    (repo / "Documentation/frob.txt").write_text("still not a wiring file\n")
    last = commit_all(repo, "kernel: frob harder")
    written: list[list[str]] = []
    original = series_module.Snapshot._write

    def spy(self, files):
        written.append(sorted(files))
        return original(self, files)

    read: list[tuple[str, str]] = []
    original_read = KernelTree.read_bytes

    def read_spy(self, rel):
        data = original_read(self, rel)
        if data is not None:
            read.append((self.identity.rsplit("@", 1)[-1], rel))
        return data

    original_scan = KernelTree._scan_uncached

    def scan_spy(self, rel, want):
        read.append((self.identity.rsplit("@", 1)[-1], f"scan {rel}"))
        return original_scan(self, rel, want)

    monkeypatch.setattr(series_module.Snapshot, "_write", spy)
    monkeypatch.setattr(KernelTree, "read_bytes", read_spy)
    monkeypatch.setattr(KernelTree, "_scan_uncached", scan_spy)
    assert main(["check", str(repo), "--base", base, "--head", last]) == 0
    capsys.readouterr()
    assert "Documentation/frob.txt" not in written[0]
    assert "kernel/sys.c" in written[0] and TABLE in written[0]
    assert written[1:] == [["kernel/sys.c"]]
    # the second commit's check re-reads and re-scans only the changed file
    assert len([r for r in read if r[0] == base]) > 10
    assert sorted(rel for sha, rel in read if sha == last) == ["kernel/sys.c", "scan kernel/sys.c"]


def test_kconfig_is_parsed_again_only_when_a_file_its_parse_read_changed(demo, monkeypatch, capsys):
    from ckptlint.kconfig import loader

    repo, shas, _ = demo
    edit(repo / "checkpoint/Kconfig", "\tbool", "\tdepends on NO_SUCH_SYMBOL\n\tbool")
    kconfig_commit = commit_all(repo, "checkpoint: depend on a symbol nobody defines")
    edit(repo / "kernel/sys.c", "\treturn level;\n", "\treturn level + 1;\n")
    c_commit = commit_all(repo, "kernel: frob harder")
    parsed: list[str] = []
    original = loader._parse

    def spy(tree, root, arch, state):
        parsed.append(f"{tree.identity.rsplit('@', 1)[-1][:12]} {arch.label}")
        return original(tree, root, arch, state)

    monkeypatch.setattr(loader, "_parse", spy)
    assert main(["check", str(repo), "--base", shas[0]]) == 1
    out = capsys.readouterr().out.splitlines()
    labels = ["arm", "s390", "i386", "x86_64"]  # arch_configs order
    assert parsed == [f"{sha[:12]} {label}" for sha in (shas[0], kconfig_commit) for label in labels]
    start = out.index(f"{kconfig_commit[:12]} checkpoint: depend on a symbol nobody defines")
    assert out[start + 1:-1] == [  # the .c-only commit after it, on the carried model: no change
        "+ checkpoint/Kconfig:3: warning: CKL404 2 syscalls are wired (sys_checkpoint, "
        "sys_restart) for 3 ABIs, but CHECKPOINT can be y on no arch; they always fall back "
        "to sys_ni_syscall",
        "+ checkpoint/Kconfig:3: error: CKL901 CHECKPOINT depends on 'NO_SUCH_SYMBOL && "
        "CHECKPOINT_SUPPORT && EXPERIMENTAL', pack checkpoint-restart says 'CHECKPOINT_SUPPORT && EXPERIMENTAL'",
        "+ checkpoint/Kconfig:4: warning: CKL401 'depends on NO_SUCH_SYMBOL': NO_SUCH_SYMBOL is not "
        "defined by any Kconfig file",
        f"{c_commit[:12]} kernel: frob harder"]


def test_temporary_checkout_is_removed_on_interrupt(demo, monkeypatch, capsys):
    repo, shas, scratch = demo
    calls = []

    def interrupted(tree, options):
        calls.append(tree.root)
        if len(calls) == 2:
            assert any(scratch.iterdir())  # the checkout exists while checking
            raise KeyboardInterrupt
        return real_run(tree, options)

    real_run = series_module.run
    monkeypatch.setattr(series_module, "run", interrupted)
    assert main(["check", str(repo), "--base", shas[0]]) == 2
    assert capsys.readouterr().err == "ckptlint: interrupted\n"
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--base=--output=/tmp/x"], "unknown revision or not a commit: --output=/tmp/x"),
    (["--base", "no-such-branch"], "unknown revision or not a commit: no-such-branch"),
    (["--head", "HEAD"], "--head needs --base"),
    (["--base", "HEAD", "--staged"], "--staged and --base cannot be combined"),
])
def test_bad_revisions_are_one_line_errors(demo, capsys, args, message):
    repo, _, _ = demo
    assert main(["check", str(repo), *args]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"ckptlint: error: {message}\n"
    assert captured.out == ""


def test_head_must_descend_from_base(demo, capsys):
    repo, shas, _ = demo
    assert main(["check", str(repo), "--base", shas[2], "--head", shas[1]]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: {shas[1]} does not descend from {shas[2]}\n"


def test_not_a_git_work_tree(tmp_path, capsys):
    from samples import ROOT

    shutil.copytree(ROOT / "clean-2.6.33", tmp_path / "plain")
    assert main(["check", str(tmp_path / "plain"), "--base", "HEAD"]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: {tmp_path / 'plain'}: not a git work tree\n"


def test_a_subdirectory_of_the_tree_checks_the_whole_tree(demo, capsys):
    """As git finds its work tree: TREE (or the working directory) may be below the top."""
    repo, shas, _ = demo
    top = main(["check", str(repo), "--base", shas[1]]), capsys.readouterr()
    assert main(["check", str(repo / "kernel"), "--base", shas[1]]) == top[0]
    assert capsys.readouterr() == top[1]


def test_kbuild_directories_are_evaluated_again_only_when_a_file_they_read_changed(
        demo, monkeypatch, capsys):
    """Series mode carries each directory's Kbuild evaluation to the next commit unless
    the commit changed a file it read: a .c-only commit evaluates no directory again, a
    commit editing kernel/Makefile evaluates kernel/ again (and nothing else), and one
    editing mm/Makefile, where no syscall is defined, evaluates nothing."""
    from ckptlint.extract import kbuild, kbuild_shared

    repo, shas, _ = demo
    edit(repo / "kernel/sys.c", "\treturn level;\n", "\treturn level + 2;\n")
    commit_all(repo, "kernel: frob even harder")
    makefile = repo / "kernel/Makefile"
    makefile.write_text(makefile.read_text() + "obj-y += extra.o\n")
    commit_all(repo, "kernel: one more object")
    makefile = repo / "mm/Makefile"
    makefile.write_text(makefile.read_text() + "obj-y += extra.o\n")
    commit_all(repo, "mm: one more object")
    evaluated: list[tuple[str, str]] = []
    original = kbuild_shared.ReadTracking.__init__

    def spy(self, base):
        evaluated.append((base["src"].words[0][0], kbuild_commit[0]))
        return original(self, base)
    kbuild_commit = [""]
    monkeypatch.setattr(kbuild_shared.ReadTracking, "__init__", spy)
    original_extract = kbuild.extract

    def extract(tree, srcarch, scope=None):
        kbuild_commit[0] = tree.identity.rsplit("@", 1)[-1][:12]
        return original_extract(tree, srcarch, scope)
    monkeypatch.setattr(kbuild, "extract", extract)
    assert main(["check", str(repo), "--base", shas[-1], "-j1", "--no-cache"]) == 0
    capsys.readouterr()
    commits = list(dict.fromkeys(c for _, c in evaluated))
    assert len(commits) == 2  # the base, and the commit that edited kernel/Makefile
    assert sorted(d for d, c in evaluated if c == commits[1]) == ["kernel"]
    assert len([d for d, c in evaluated if c == commits[0]]) > 3  # every directory, once


LINKED = "arch/x86/entry/syscalls/syscall_64.tbl"


def test_a_table_that_is_a_link_is_checked_in_every_commit(tmp_path, monkeypatch):
    """6.12's arch/arm64/tools/syscall_64.tbl is a link to scripts/syscall.tbl: series
    mode writes such links, so the ABI is checked, and a change to the file it leads to
    is seen through it (the link's decoded text is not carried over)."""
    import os

    from ckptlint.engine.options import Options

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    repo = make_repo(tmp_path / "linux", base="clean-6.12")
    (repo / "scripts").mkdir(exist_ok=True)
    os.replace(repo / LINKED, repo / "scripts/syscall_64.tbl")
    (repo / LINKED).symlink_to("../../../../scripts/syscall_64.tbl")
    commit_all(repo, "x86: the table is a link")
    edit(repo / "scripts/syscall_64.tbl", "sys_exit\n", "sys_exitx\n")
    commit_all(repo, "x86: a typo in the table the link leads to")
    outcome = series_module.check_series(str(repo), "HEAD~1", "HEAD", Options(jobs=1))
    assert outcome.abis == ["i386", "ia32", "x86_64"]
    assert [(f.rule, f.path, f.line) for f in outcome.commits[0].introduced] == \
        [("CKL103", "scripts/syscall_64.tbl", 13), ("CKL701", "scripts/syscall_64.tbl", 13)]


def test_links_out_of_the_tree_are_not_written_and_none_is_written_through(tmp_path, monkeypatch):
    """A commit's link that leads out of the tree is not made; a commit that replaces a
    link by a file writes the file, not what the link led to."""
    import os

    from ckptlint.engine.options import Options

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    outside = tmp_path / "outside.tbl"
    outside.write_text("0\tcommon\tread\tsys_read\n")
    repo = make_repo(tmp_path / "linux", base="clean-6.12")
    (repo / "scripts").mkdir(exist_ok=True)
    (repo / "scripts/out.tbl").symlink_to(os.path.relpath(outside, repo / "scripts"))
    os.replace(repo / LINKED, repo / "scripts/syscall_64.tbl")
    (repo / LINKED).symlink_to("../../../../scripts/syscall_64.tbl")
    commit_all(repo, "links")
    (repo / LINKED).unlink()
    (repo / LINKED).write_text((repo / "scripts/syscall_64.tbl").read_text())
    (repo / "scripts/out.tbl").unlink()
    (repo / "scripts/out.tbl").write_text("# a file now\n")
    commit_all(repo, "files again")
    made = []
    real = series_module.Snapshot._link
    target = (repo / "scripts/syscall_64.tbl").read_bytes()

    def watched(snapshot, listing):
        real(snapshot, listing)
        made.append((sorted((p, snapshot.root.joinpath(p).is_symlink()) for p in snapshot.links),
                     snapshot.root.joinpath("scripts/syscall_64.tbl").read_bytes() == target))

    monkeypatch.setattr(series_module.Snapshot, "_link", watched)
    series_module.check_series(str(repo), "HEAD~1", "HEAD", Options(jobs=1))
    # the link out of the tree was never made; the file the link led to kept its bytes
    assert made == [([(LINKED, True)], True), ([], True)]
    assert outside.read_text() == "0\tcommon\tread\tsys_read\n"
