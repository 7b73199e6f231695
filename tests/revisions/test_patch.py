"""The in-memory unified-diff applier and the overlay tree it feeds."""

from __future__ import annotations

import pytest
from treeutil import make_tree

from ckptlint.revisions.overlay import OverlayTree
from ckptlint.revisions.patch import PatchError, parse_series
from ckptlint.revisions.patch_apply import Applier


def apply(tree, text: str | bytes) -> dict[str, bytes | None]:
    applier = Applier(tree)
    patches = parse_series(text.encode() if isinstance(text, str) else text)
    for number, patch in enumerate(patches, 1):
        applier.apply(patch, f"patch {number}/{len(patches)}")
    return applier.state


@pytest.fixture
def tree(tmp_path):
    lines = "".join(f"line {n}\n" for n in range(1, 21))
    return make_tree(tmp_path, {"kernel/a.c": lines, "kernel/b.c": "one\ntwo\n",
                                "kernel/noeol.c": "x\ny"})


def test_two_hunks_modify_one_file(tree):
    state = apply(tree, "--- a/kernel/a.c\n+++ b/kernel/a.c\n"
                        "@@ -2,3 +2,3 @@\n line 2\n-line 3\n+LINE 3\n line 4\n"
                        "@@ -15,3 +15,4 @@\n line 15\n line 16\n+inserted\n line 17\n")
    lines = state["kernel/a.c"].decode().splitlines()
    assert lines[1:4] == ["line 2", "LINE 3", "line 4"]
    assert lines[14:18] == ["line 15", "line 16", "inserted", "line 17"]
    assert len(lines) == 21


def test_hunk_may_drift_but_context_must_match(tree):
    drifted = "--- a/kernel/a.c\n+++ b/kernel/a.c\n@@ -5,2 +5,2 @@\n line 8\n-line 9\n+nine\n"
    assert apply(tree, drifted)["kernel/a.c"].decode().splitlines()[8] == "nine"
    fuzzy = "--- a/kernel/a.c\n+++ b/kernel/a.c\n@@ -8,2 +8,2 @@\n line 8 \n-line 9\n+nine\n"
    with pytest.raises(PatchError, match=r"^patch 1/1 does not apply to kernel/a.c:8$"):
        apply(tree, fuzzy)


def test_create_and_delete_git_style(tree):
    state = apply(tree, "diff --git a/kernel/new.c b/kernel/new.c\nnew file mode 100644\n"
                        "index 0000000..1111111\n--- /dev/null\n+++ b/kernel/new.c\n"
                        "@@ -0,0 +1,2 @@\n+int a;\n+int b;\n"
                        "diff --git a/kernel/b.c b/kernel/b.c\ndeleted file mode 100644\n"
                        "index 2222222..0000000\n--- a/kernel/b.c\n+++ /dev/null\n"
                        "@@ -1,2 +0,0 @@\n-one\n-two\n")
    assert state == {"kernel/new.c": b"int a;\nint b;\n", "kernel/b.c": None}


def test_creating_an_existing_file_fails(tree):
    with pytest.raises(PatchError, match="^patch 1/1 creates kernel/b.c, which already exists$"):
        apply(tree, "--- /dev/null\n+++ b/kernel/b.c\n@@ -0,0 +1 @@\n+x\n")


def test_no_newline_at_end_of_file_both_ways(tree):
    text = ("--- a/kernel/noeol.c\n+++ b/kernel/noeol.c\n@@ -1,2 +1,2 @@\n x\n-y\n"
            "\\ No newline at end of file\n+z\n")
    assert apply(tree, text)["kernel/noeol.c"] == b"x\nz\n"
    text = ("--- a/kernel/b.c\n+++ b/kernel/b.c\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
            "\\ No newline at end of file\n")
    assert apply(tree, text)["kernel/b.c"] == b"one\nTWO"


def test_crlf_mail_is_folded_like_git_mailsplit(tree):
    text = "--- a/kernel/b.c\r\n+++ b/kernel/b.c\r\n@@ -1,2 +1,2 @@\r\n one\r\n-two\r\n+2\r\n"
    assert apply(tree, text) == {"kernel/b.c": b"one\n2\n"}


def test_rename_moves_content(tree):
    state = apply(tree, "diff --git a/kernel/b.c b/kernel/c.c\nsimilarity index 100%\n"
                        "rename from kernel/b.c\nrename to kernel/c.c\n")
    assert state == {"kernel/b.c": None, "kernel/c.c": b"one\ntwo\n"}


def test_second_patch_applies_on_the_first(tree):
    mbox = ("From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
            "Subject: [PATCH 1/2] one\n\n---\n--- a/kernel/b.c\n+++ b/kernel/b.c\n"
            "@@ -1,2 +1,2 @@\n one\n-two\n+2\n-- \n2.39.5\n\n"
            "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n"
            "Subject: [PATCH 2/2] two\n\n---\n--- a/kernel/b.c\n+++ b/kernel/b.c\n"
            "@@ -1,2 +1,3 @@\n one\n 2\n+3\n-- \n2.39.5\n")
    assert [p.subject for p in parse_series(mbox.encode())] == ["[PATCH 1/2] one", "[PATCH 2/2] two"]
    assert apply(tree, mbox) == {"kernel/b.c": b"one\n2\n3\n"}


def test_quoted_path_and_no_diff_at_all(tree):
    state = apply(tree, 'diff --git "a/kernel/sp ace.c" "b/kernel/sp ace.c"\nnew file mode 100644\n'
                        '--- /dev/null\n+++ "b/kernel/sp ace.c"\n@@ -0,0 +1 @@\n+int s;\n')
    assert state == {"kernel/sp ace.c": b"int s;\n"}
    with pytest.raises(PatchError, match="^no diff found in the input$"):
        parse_series(b"Subject: [PATCH 0/2] cover letter\n\nJust words.\n")


def test_overlay_serves_patched_files_and_hides_deleted_ones(tree):
    overlay = OverlayTree(tree.root, {"kernel/new.c": b"int n;\n", "kernel/a.c": b"patched\n",
                                      "fresh/dir/Kconfig.x": b"config X\n"}, {"kernel/b.c"})
    assert list(overlay.walk((".c",))) == ["kernel/a.c", "kernel/new.c", "kernel/noeol.c"]
    assert list(overlay.walk(prefixes=("Kconfig",), under="fresh")) == ["fresh/dir/Kconfig.x"]
    assert overlay.read_text("kernel/a.c") == "patched\n"
    assert overlay.read_text("kernel/b.c") is None and not overlay.is_file("kernel/b.c")
    assert overlay.is_dir("fresh/dir") and not tree.is_dir("fresh/dir")
    assert overlay.glob("kernel/*.c") == ["kernel/a.c", "kernel/new.c", "kernel/noeol.c"]
    assert [p for p in ("kernel/a.c", "kernel/b.c", "kernel/new.c")
            if overlay.scan_bytes(p, lambda rel, data: b"int" in data or b"patched" in data)] == [
        "kernel/a.c", "kernel/new.c"]
    # the whole-tree CONFIG_ scan (CKL504) reads the patched bytes too, and counts them as read
    with overlay.recording() as read:
        assert overlay.read_walked("kernel/a.c", b"patched") == b"patched\n"
        assert overlay.read_walked("kernel/a.c", b"line 1") is None
        assert overlay.read_walked("kernel/b.c", b"") is None
    assert read == {"kernel/a.c", "kernel/b.c"}
    assert overlay.identity != tree.identity
    assert (tree.root / "kernel/a.c").read_text().startswith("line 1\n")  # never written


SYMLINK_AND_BINARY = ("diff --git a/kernel/blob.bin b/kernel/blob.bin\nnew file mode 100644\n"
                      "index 0000000..e69de29\nBinary files /dev/null and b/kernel/blob.bin differ\n"
                      "diff --git a/kernel/link.c b/kernel/link.c\nnew file mode 120000\n"
                      "index 0000000..1111111\n--- /dev/null\n+++ b/kernel/link.c\n"
                      "@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n"
                      "--- a/kernel/b.c\n+++ b/kernel/b.c\n@@ -1,2 +1,2 @@\n-one\n+ONE\n two\n")


def test_binary_and_symlink_changes_no_check_reads_are_left_out(tree):
    applier = Applier(tree, relevant=lambda path: path == "kernel/b.c")
    applier.apply(parse_series(SYMLINK_AND_BINARY.encode())[0], "patch 1/1")
    assert applier.state == {"kernel/b.c": b"ONE\ntwo\n"}
    assert applier.skipped == {"kernel/blob.bin", "kernel/link.c"}


@pytest.mark.parametrize("read, message", [
    ("kernel/link.c", "patch 1/1 changes the symbolic link kernel/link.c, which ckptlint reads; refused"),
    ("kernel/blob.bin", "patch 1/1 changes binary content it does not carry (use git diff --binary) "
                        "of kernel/blob.bin, which ckptlint reads; refused")])
def test_symlink_or_dataless_binary_change_to_a_read_file_is_refused(tree, read, message):
    applier = Applier(tree, relevant=lambda path: path in (read, "kernel/b.c"))
    with pytest.raises(PatchError) as caught:
        applier.apply(parse_series(SYMLINK_AND_BINARY.encode())[0], "patch 1/1")
    assert str(caught.value) == message
    assert applier.state == {}
