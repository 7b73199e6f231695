"""Unified diffs and mbox series, parsed (applying them is :mod:`ckptlint.revisions.patch_apply`).

``git format-patch`` output (one or several mails), ``git diff`` output and
plain ``diff -u`` output are understood; absolute paths are refused here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Iterator

from ckptlint.revisions.gitbinary import BinaryError, BinaryHunk, line_bytes

LOG = logging.getLogger(__name__)

#: The separator line ``git format-patch`` and mbox files put before each mail.
_MBOX_FROM = re.compile(rb"^From \S+ .*\d{4}\s*$")
_SUBJECT = re.compile(rb"^Subject:[ \t]*(.*)$", re.I)
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_DIFF_GIT = re.compile(rb"^diff --git ")
_INDEX = re.compile(rb"^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?$")
_BINARY_SIZE = re.compile(rb"^(literal|delta) (\d+)$")
_MODE_LINE = re.compile(rb"^(old mode|new mode|new file mode|deleted file mode) ([0-7]{6})$")
#: git's mode of a symbolic link.
SYMLINK_MODE = "120000"
_NO_NEWLINE = b"\\ No newline at end of file"
_DEV_NULL = "/dev/null"
_QUOTED_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
                   "r": "\r", '"': '"', "\\": "\\"}


class PatchError(Exception):
    """A patch that cannot be read, does not apply, or would leave the tree."""


@dataclass
class Hunk:
    """One ``@@`` block: the lines it expects and the lines it leaves."""

    old_start: int
    old: list[bytes]
    new: list[bytes]


@dataclass
class FilePatch:
    """The change to one file. ``old_path`` None = created, ``new_path`` None = deleted."""

    old_path: str | None
    new_path: str | None
    hunks: list[Hunk] = field(default_factory=list)
    #: "Binary files a and b differ": the content changes in a way the patch does not carry
    opaque: bool = False
    #: a copy keeps its source (a rename removes it)
    copy: bool = False
    #: a ``GIT binary patch``: (forward, reverse) hunks; reverse None when git left it out
    binary: tuple[BinaryHunk, BinaryHunk | None] | None = None
    old_mode: str | None = None
    new_mode: str | None = None
    #: the ``index`` line's object names (abbreviated unless ``--full-index``)
    old_id: str | None = None
    new_id: str | None = None

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    @property
    def symlink(self) -> bool:
        """Whether either side is a symbolic link."""
        return SYMLINK_MODE in (self.old_mode, self.new_mode)

    @property
    def mode_change(self) -> bool:
        """Whether the file's mode changes (a created or deleted file does not count)."""
        return (self.old_mode is not None and self.new_mode is not None
                and self.old_mode != self.new_mode)

    def reversed(self) -> FilePatch:
        """The patch that undoes this one."""
        hunks = [Hunk(h.old_start, h.new, h.old) for h in self.hunks]
        binary = None
        if self.binary is not None:
            if self.binary[1] is None:
                raise PatchError(f"binary patch of {self.path} cannot be reversed (no reverse hunk)")
            binary = (self.binary[1], self.binary[0])
        return FilePatch(self.new_path, self.old_path, hunks, self.opaque, self.copy, binary,
                         self.new_mode, self.old_mode, self.new_id, self.old_id)


@dataclass
class Patch:
    """One mail (or the whole input when it is a bare diff)."""

    subject: str
    files: list[FilePatch]


# -- parsing ------------------------------------------------------------------
def parse_series(data: bytes) -> list[Patch]:
    """The patches in ``data``, in order; mails without a diff (a cover letter) are dropped."""
    if b"\r\n" in data and data.count(b"\r\n") == data.count(b"\n"):
        data = data.replace(b"\r\n", b"\n")  # a mail saved with CRLF endings, as git mailsplit folds it
    patches = [p for p in (_parse_mail(m) for m in _split_mails(data)) if p.files]
    if not patches:
        raise PatchError("no diff found in the input")
    return patches


def _split_mails(data: bytes) -> Iterator[list[bytes]]:
    lines = data.splitlines(keepends=True)
    current: list[bytes] = []
    for line in lines:
        if _MBOX_FROM.match(line) and current:
            yield current
            current = []
        current.append(line)
    if current:
        yield current


def _parse_mail(lines: list[bytes]) -> Patch:
    subject = ""
    for line in lines:
        if not line.strip():
            break
        match = _SUBJECT.match(line.rstrip(b"\r\n"))
        if match:
            subject = match.group(1).decode("utf-8", "replace").strip()
    return Patch(subject, list(_parse_files(lines)))


def _parse_files(lines: list[bytes]) -> Iterator[FilePatch]:
    index = 0
    while index < len(lines):
        line = _chomp(lines[index])
        if _DIFF_GIT.match(line) or (line.startswith(b"--- ") and index + 1 < len(lines)
                                     and _chomp(lines[index + 1]).startswith(b"+++ ")):
            file_patch, index = _parse_file(lines, index)
            if file_patch is not None:
                yield file_patch
        else:
            index += 1


def _parse_file(lines: list[bytes], index: int) -> tuple[FilePatch | None, int]:
    """One file's headers and hunks starting at ``index``; returns the next index."""
    old = new = None
    renamed_from = renamed_to = None
    opaque = copy = False
    git_names = None
    binary = None
    modes: dict[str, str] = {}
    ids: tuple[str | None, str | None] = (None, None)
    if _DIFF_GIT.match(_chomp(lines[index])):
        git_names = _chomp(lines[index])[len(b"diff --git "):]
        index += 1
        while index < len(lines) and not _starts_file(lines, index):
            line = _chomp(lines[index])
            if line.startswith(b"--- ") or line.startswith(b"@@"):
                break
            if line.startswith((b"rename from ", b"copy from ")):
                renamed_from = _name(line.split(b" ", 2)[2], strip=False)
                copy = line.startswith(b"copy")
            elif line.startswith((b"rename to ", b"copy to ")):
                renamed_to = _name(line.split(b" ", 2)[2], strip=False)
            elif line == b"GIT binary patch":
                binary, index = _parse_binary(lines, index + 1)
                continue
            elif line.startswith(b"Binary files"):
                opaque = True
            elif _INDEX.match(line):
                found = _INDEX.match(line)
                ids = (found.group(1).decode(), found.group(2).decode())
                if found.group(3):
                    modes.setdefault("old", found.group(3).decode())
                    modes.setdefault("new", found.group(3).decode())
            mode = _MODE_LINE.match(line)
            if mode:
                kind, value = mode.group(1), mode.group(2).decode()
                if kind == b"deleted file mode":
                    new = _DEV_NULL
                    modes["old"] = value
                elif kind == b"new file mode":
                    old = _DEV_NULL
                    modes["new"] = value
                else:
                    modes["old" if kind == b"old mode" else "new"] = value
            index += 1
    if index < len(lines) and _chomp(lines[index]).startswith(b"--- "):
        old = _name(_chomp(lines[index])[4:])
        new = _name(_chomp(lines[index + 1])[4:]) if index + 1 < len(lines) else None
        index += 2
    elif renamed_from or renamed_to or git_names is not None:
        old, new = _git_only_names(git_names, renamed_from, renamed_to, old, new)
    hunks: list[Hunk] = []
    while index < len(lines) and _HUNK.match(lines[index]):
        hunk, index = _parse_hunk(lines, index)
        hunks.append(hunk)
    if old is None or new is None:
        return None, index
    if binary is not None and hunks:
        raise PatchError(f"binary and text hunks for one file ({new or old})")
    old_path = None if old == _DEV_NULL else old
    new_path = None if new == _DEV_NULL else new
    patch = FilePatch(old_path, new_path, hunks, opaque, copy, binary,
                      modes.get("old") if old_path is not None else None,
                      modes.get("new") if new_path is not None else None, *ids)
    if renamed_from and renamed_to and patch.old_path and patch.new_path:
        patch.old_path, patch.new_path = renamed_from, renamed_to
    return patch, index


def _git_only_names(git_names: bytes | None, renamed_from: str | None, renamed_to: str | None,
                    old: str | None, new: str | None) -> tuple[str | None, str | None]:
    """Names of a hunk-less git diff (a rename, a mode change, an empty file)."""
    if renamed_from and renamed_to:
        return renamed_from, renamed_to
    if git_names is None:
        return old, new
    half = git_names.split(b" b/", 1)[0] if b" b/" in git_names else git_names
    name = _name(half)
    return old or name, new or name


def _parse_binary(lines: list[bytes], index: int) -> tuple[tuple[BinaryHunk, BinaryHunk | None], int]:
    """The forward and (optional) reverse hunks after ``GIT binary patch``."""
    found: list[BinaryHunk] = []
    while len(found) < 2 and index < len(lines):
        header = _BINARY_SIZE.match(_chomp(lines[index]))
        if header is None:
            break
        index += 1
        chunks: list[bytes] = []
        while index < len(lines) and _chomp(lines[index]):
            try:
                chunks.append(line_bytes(_chomp(lines[index])))
            except BinaryError as exc:
                raise PatchError(f"binary patch line {index + 1}: {exc}") from None
            index += 1
        index += 1  # the blank line that ends the hunk
        found.append(BinaryHunk(header.group(1).decode(), int(header.group(2)), b"".join(chunks)))
    if not found:
        raise PatchError(f"GIT binary patch without a literal or delta hunk at line {index}")
    return (found[0], found[1] if len(found) > 1 else None), index


def _starts_file(lines: list[bytes], index: int) -> bool:
    return bool(_DIFF_GIT.match(lines[index]))


def _parse_hunk(lines: list[bytes], index: int) -> tuple[Hunk, int]:
    match = _HUNK.match(lines[index])
    old_start = int(match.group(1))
    old_left = int(match.group(2)) if match.group(2) is not None else 1
    new_left = int(match.group(4)) if match.group(4) is not None else 1
    index += 1
    old: list[bytes] = []
    new: list[bytes] = []
    last: list[list[bytes]] = []
    while index < len(lines) and (old_left > 0 or new_left > 0):
        raw = lines[index]
        body = raw[1:] if raw[:1] in (b" ", b"-", b"+") else None
        if raw in (b"\n", b"\r\n"):  # a mailer stripped the blank context line's space
            raw, body = b" " + raw, raw
        if body is None:
            raise PatchError(f"malformed hunk line {index + 1}: {raw[:40]!r}")
        if raw[:1] in (b" ", b"-"):
            old.append(body)
            old_left -= 1
        if raw[:1] in (b" ", b"+"):
            new.append(body)
            new_left -= 1
        last = [old, new] if raw[:1] == b" " else [old] if raw[:1] == b"-" else [new]
        index += 1
        if index < len(lines) and _chomp(lines[index]) == _NO_NEWLINE:
            for side in last:
                side[-1] = _chomp(side[-1])
            index += 1
    if old_left > 0 or new_left > 0:
        raise PatchError(f"truncated hunk at line {index}")
    return Hunk(old_start, old, new), index


def _chomp(line: bytes) -> bytes:
    return line[:-2] if line.endswith(b"\r\n") else line[:-1] if line.endswith(b"\n") else line


def _name(raw: bytes, strip: bool = True) -> str:
    """A header's path: unquoted, timestamp dropped, first component (a/, b/) stripped."""
    text = raw.decode("utf-8", "surrogateescape")
    if text.startswith('"'):
        text = _unquote(text)
    else:
        text = text.split("\t", 1)[0].rstrip()
    if text == _DEV_NULL:
        return text
    if text.startswith("/"):
        raise PatchError(f"absolute path '{text}' refused")
    if strip and "/" in text:
        text = text.split("/", 1)[1]
    return text


def _unquote(text: str) -> str:
    """A C-quoted git path ("a/sp\\303\\251cial")."""
    out = bytearray()
    index = 1
    while index < len(text) and text[index] != '"':
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            nxt = text[index + 1]
            if nxt in "01234567":
                out.append(int(text[index + 1:index + 4], 8))
                index += 4
                continue
            out += _QUOTED_ESCAPES.get(nxt, nxt).encode()
            index += 2
            continue
        out += char.encode("utf-8", "surrogateescape")
        index += 1
    return out.decode("utf-8", "surrogateescape")
