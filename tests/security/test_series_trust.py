"""Series mode and --staged (issue 17): every file an extractor reads, from the right commit
or the index; blobs over the size cap never read; the configuration from the base commit."""

from __future__ import annotations

import json

from gitrepo import commit_all, git, make_repo
from test_patches import _split_top_dirs

from ckptlint.cli import main
from ckptlint.revisions import gitview



def _series(repo, base, capsys) -> tuple[int, dict]:
    code = main(["check", str(repo), "--base", base, "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


def _keys(findings) -> list[tuple]:
    return [(f["rule"], f["path"], f["line"]) for f in findings]


def test_series_reads_an_included_file_under_any_name(tmp_path, capsys):
    repo = make_repo(tmp_path / "linux")
    _split_top_dirs(repo)
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    (repo / "dirs.mk").write_text("core-y\t\t+= kernel/ mm/ fs/\n")
    commit_all(repo, "drop checkpoint/ from the build")
    code, doc = _series(repo, base, capsys)
    assert code == 1
    # a clean base reports no false error
    assert doc["series"]["base"]["summary"] == {"error": 0, "warning": 0, "note": 0}
    assert [_keys(c["introduced"]) for c in doc["series"]["commits"]] == [[("CKL501", "dirs.mk", 1)]]


def test_series_never_reads_a_blob_over_the_size_cap(tmp_path, capsys, monkeypatch):
    repo = make_repo(tmp_path / "linux")
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    (repo / "kernel" / "zeros.c").write_bytes(b"\0" * (9 << 20))  # 9 MiB; the cap is 8 MiB
    commit_all(repo, "a huge file")
    big = git(repo, "rev-parse", "HEAD:kernel/zeros.c").decode().strip()
    asked: list[str] = []
    original = gitview.Repo.blobs

    def spy(self, shas):
        shas = list(shas)
        asked.extend(shas)
        return original(self, shas)

    monkeypatch.setattr(gitview.Repo, "blobs", spy)
    code = main(["check", str(repo), "--base", base, "--format", "json", "--show-notes"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and big not in asked
    assert [(f["rule"], f["path"], f["message"]) for f in doc["findings"] if f["rule"] == "CKL010"] == [("CKL010", "kernel/zeros.c",
                                           "file is larger than 8388608 bytes; skipped; checks that stood "
                                           "down for want of it: CKL103, CKL301, CKL302, CKL303, CKL404")]


def test_a_series_cannot_relax_its_own_gate(tmp_path, capsys):
    repo = make_repo(tmp_path / "linux")
    base = git(repo, "rev-parse", "HEAD").decode().strip()
    (repo / ".ckptlint.toml").write_text('ignore = ["CKL502"]\n')
    (repo / "checkpoint/Makefile").write_text("obj-$(CONFIG_NOPE) += sys.o\n")
    commit_all(repo, "relax the gate, then break the build")
    code, doc = _series(repo, base, capsys)
    assert code == 1
    assert [_keys(c["introduced"]) for c in doc["series"]["commits"]] == [
        [("CKL502", "checkpoint/Makefile", 1)]]


def test_the_base_commits_configuration_is_used(tmp_path, capsys):
    repo = make_repo(tmp_path / "linux")
    (repo / ".ckptlint.toml").write_text('ignore = ["CKL502"]\n')
    base = commit_all(repo, "the project's own configuration")
    (repo / "checkpoint/Makefile").write_text("obj-$(CONFIG_NOPE) += sys.o\n")
    commit_all(repo, "an undefined symbol, ignored by the base's configuration")
    (repo / ".ckptlint.toml").write_text("")  # the work tree's copy does not count
    assert _series(repo, base, capsys)[0] == 0


def test_staged_reads_every_file_from_the_index(tmp_path, capsys):
    repo = make_repo(tmp_path / "linux")
    _split_top_dirs(repo)
    (repo / "dirs.mk").write_text("core-y\t\t+= kernel/ mm/ fs/\n")
    git(repo, "add", "dirs.mk")
    (repo / "dirs.mk").write_text("core-y\t\t+= kernel/ mm/ fs/ checkpoint/\n")  # work tree: fine
    code = main(["check", str(repo), "--staged", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and _keys(doc["findings"]) == [("CKL501", "dirs.mk", 1)]


def test_the_base_commits_rule_packs_are_used(tmp_path, capsys):
    """Packs the base configuration names are written before it is validated, and a
    commit of the series that edits them changes nothing: they are the base's."""
    repo = make_repo(tmp_path / "linux")
    (repo / "ckrules").mkdir()
    (repo / "ckrules" / "mine.toml").write_text(
        '[pack]\nname = "mine"\ndescription = "d"\n\n'
        '[[syscall]]\nname = "checkpoint"\nsignature = "pid_t pid, int fd, unsigned long flags"\n')
    (repo / ".ckptlint.toml").write_text('rules = ["ckrules"]\n')
    base = commit_all(repo, "the project's own rule pack")
    (repo / "ckrules" / "mine.toml").write_text("[pack\n")  # read from the commit: exit 2
    (repo / "checkpoint/Makefile").write_text("obj-$(CONFIG_NOPE) += sys.o\n")
    commit_all(repo, "break the pack, and the build")
    code, doc = _series(repo, base, capsys)
    assert code == 1
    assert [_keys(c["introduced"]) for c in doc["series"]["commits"]] == [
        [("CKL502", "checkpoint/Makefile", 1)]]
