"""Hostile patches: a change is applied as ``git apply`` would, or refused; never skipped.

Issue 17, "Hidden changes": a ``GIT binary patch`` (literal or delta), a
symlink or mode change, and a file read under a name the wiring pattern does
not match. And "Unbounded work": the hunk search is linear.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gitrepo import git, make_repo, snapshot

from ckptlint.cli import main

UNDEFINED_NOPE = "CKL502 CONFIG_NOPE is not defined by any Kconfig file"
TOTAL_ONE = "total: 1 errors, 0 warnings, 0 notes, 1 patch checked\n"  # checkpatch's wording


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "linux")


def _diff(repo: Path, *paths: str, binary: bool = False) -> bytes:
    """The work tree's change as ``git diff`` prints it, then the change undone."""
    if binary:
        (repo / ".gitattributes").write_text("* binary\n")
    patch = git(repo, "diff", "--binary", "--full-index", "HEAD", "--", *paths)
    (repo / ".gitattributes").unlink(missing_ok=True)
    git(repo, "reset", "-q", "--hard")
    git(repo, "clean", "-qfdx")
    return patch


def _check_patch(capsys, repo: Path, patch: bytes) -> tuple[int, str, str]:
    (repo.parent / "change.patch").write_bytes(patch)
    before = snapshot(repo.parent)
    code = main(["check-patch", str(repo.parent / "change.patch"), "--tree", str(repo)])
    out, err = capsys.readouterr()
    assert snapshot(repo.parent) == before  # nothing written, in the tree or beside it
    return code, out, err


def test_binary_literal_patch_of_a_wiring_file_is_applied(repo, capsys):
    (repo / "checkpoint/Makefile").write_text("obj-$(CONFIG_NOPE) += sys.o\n")
    patch = _diff(repo, "checkpoint/Makefile", binary=True)
    assert b"GIT binary patch\nliteral " in patch
    assert _check_patch(capsys, repo, patch) == (1, f"checkpoint/Makefile:1: ERROR: {UNDEFINED_NOPE}\n" + TOTAL_ONE, "")


def test_binary_delta_patch_is_applied(repo, capsys):
    makefile = repo / "checkpoint/Makefile"
    makefile.write_text("# padding\n" * 400 + "obj-$(CONFIG_CHECKPOINT) += sys.o\n")
    git(repo, "commit", "-qam", "pad")
    makefile.write_text("# padding\n" * 400 + "obj-$(CONFIG_NOPE) += sys.o\n")
    patch = _diff(repo, "checkpoint/Makefile", binary=True)
    assert b"GIT binary patch\ndelta " in patch
    assert _check_patch(capsys, repo, patch) == (1, f"checkpoint/Makefile:401: ERROR: {UNDEFINED_NOPE}\n" + TOTAL_ONE, "")


def test_binary_patch_for_other_content_is_refused(repo, capsys):
    (repo / "checkpoint/Makefile").write_text("obj-$(CONFIG_NOPE) += sys.o\n")
    patch = _diff(repo, "checkpoint/Makefile", binary=True)
    (repo / "checkpoint/Makefile").write_text("obj-y += sys.o\n")
    assert _check_patch(capsys, repo, patch) == (
        2, "", "check-patch: patch 1/1 does not apply to checkpoint/Makefile: binary patch for other content\n")


def test_binary_patch_that_inflates_past_the_cap_is_refused(repo, capsys):
    import zlib

    from ckptlint.revisions.gitbinary import _ALPHABET

    def encode(data: bytes) -> bytes:  # git's base85 lines
        out = []
        for start in range(0, len(data), 52):
            chunk = data[start:start + 52]
            padded = chunk + b"\0" * (-len(chunk) % 4)
            text = bytearray()
            for i in range(0, len(padded), 4):
                value = int.from_bytes(padded[i:i + 4], "big")
                text += bytes(_ALPHABET[value // 85 ** k % 85] for k in range(4, -1, -1))
            head = 0x41 + len(chunk) - 1 if len(chunk) <= 26 else 0x61 + len(chunk) - 27
            out.append(bytes([head]) + bytes(text))
        return b"\n".join(out) + b"\n"

    bomb = zlib.compress(b"\0" * (64 << 20), 9)  # 64 MiB of zeros, 65 KB deflated
    patch = (b"diff --git a/checkpoint/Makefile b/checkpoint/Makefile\nGIT binary patch\n"
             b"literal 67108864\n" + encode(bomb) + b"\n")
    assert _check_patch(capsys, repo, patch) == (
        2, "", "check-patch: patch 1/1: binary patch of checkpoint/Makefile: binary hunk of 67108864 bytes "
               "is over the 8388608-byte cap\n")


def test_symlink_change_to_a_read_file_is_refused(repo, capsys):
    target = repo / "checkpoint/Makefile"
    target.unlink()
    target.symlink_to("../kernel/Makefile")
    patch = _diff(repo, "checkpoint/Makefile")
    assert b"new file mode 120000" in patch
    assert _check_patch(capsys, repo, patch) == (
        2, "", "check-patch: patch 1/1 changes the symbolic link checkpoint/Makefile, which ckptlint reads; "
               "refused\n")


def test_mode_only_change_is_applied_and_changes_nothing(repo, capsys):
    (repo / "checkpoint/Makefile").chmod(0o755)
    patch = _diff(repo, "checkpoint/Makefile")
    assert patch.endswith(b"old mode 100644\nnew mode 100755\n")
    assert _check_patch(capsys, repo, patch) == (0, "", "")


#: At the file that lists the top-level directories, whatever it is called.
UNREACHED = (": ERROR: CKL501 checkpoint/ is never descended into by Kbuild, so sys_checkpoint, "
             "sys_restart are never built; list it with the top-level directories here (s390, x86)\n"
             "total: 1 errors, 0 warnings, 0 notes, 1 patch checked\n")


def _split_top_dirs(repo: Path) -> None:
    """The top Makefile's ``core-y`` line moved into ``dirs.mk``, which it includes."""
    makefile = repo / "Makefile"
    text = makefile.read_text()
    line = "core-y\t\t+= kernel/ mm/ fs/ checkpoint/\n"
    assert text.count(line) == 1
    makefile.write_text(text.replace(line, "include $(srctree)/dirs.mk\n"))
    (repo / "dirs.mk").write_text(line)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "dirs.mk")


def test_included_file_under_any_name_is_checked(repo, capsys):
    _split_top_dirs(repo)
    (repo / "dirs.mk").write_text("core-y\t\t+= kernel/ mm/ fs/\n")
    patch = _diff(repo, "dirs.mk")
    assert _check_patch(capsys, repo, patch) == (1, "dirs.mk:1" + UNREACHED, "")


def test_a_file_the_patch_creates_and_includes_is_checked(repo, capsys):
    makefile = repo / "Makefile"
    text = makefile.read_text().replace("core-y\t\t+= kernel/ mm/ fs/ checkpoint/\n",
                                        "include $(srctree)/more-dirs.mk\n")
    makefile.write_text(text)
    (repo / "more-dirs.mk").write_text("core-y\t\t+= kernel/ mm/ fs/\n")
    git(repo, "add", "-N", "more-dirs.mk")
    patch = _diff(repo, "Makefile", "more-dirs.mk")
    assert _check_patch(capsys, repo, patch) == (1, "more-dirs.mk:1" + UNREACHED, "")


def test_hunk_search_is_linear(tmp_path, capsys):
    """A 20,000-line hunk that matches nowhere in a 1,000,000-line file: refused at once."""
    repo = make_repo(tmp_path / "linux")
    (repo / "kernel/huge.c").write_bytes(b"x\n" * 1_000_000)
    hunk = b"".join([b"@@ -1,20000 +1,20000 @@\n", b" x\n" * 19_999, b"-y\n+z\n"])
    patch = b"--- a/kernel/huge.c\n+++ b/kernel/huge.c\n" + hunk
    started = time.monotonic()
    assert _check_patch(capsys, repo, patch) == (
        2, "", "check-patch: patch 1/1 does not apply to kernel/huge.c:1\n")
    assert time.monotonic() - started < 30
