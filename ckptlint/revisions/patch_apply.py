"""Patches applied in memory, one after another, to a view of a tree; never to disk.

Hunks must match their context exactly (no fuzz); a hunk may sit at another
line than its header says, as ``git apply`` allows. Paths that would leave
the tree are refused.
"""

from __future__ import annotations

import logging
from typing import Callable

from ckptlint.revisions import gitbinary
from ckptlint.revisions.patch import FilePatch, Patch, PatchError
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


def safe_path(tree: KernelTree, path: str) -> str:
    """``path`` if it names a place inside the tree, else a PatchError."""
    parts = path.split("/")
    if path.startswith("/") or not path or "\\" in path or any(p in ("..", "", ".") for p in parts):
        raise PatchError(f"path '{path}' leaves the tree; refused")
    if not tree.contains(path):
        raise PatchError(f"path '{path}' goes through a symlink out of the tree; refused")
    return path


class Applier:
    """Applies patches one after another to an in-memory view of a tree."""

    def __init__(self, tree: KernelTree, relevant: Callable[[str], bool] = lambda path: True) -> None:
        self.tree = tree
        #: whether a check can read ``path``: such a file must apply, and a change to it
        #: that cannot be modelled (a symlink, binary without data) is refused
        self.relevant = relevant
        #: path -> new bytes, or None when the series deleted it (or made it a non-file)
        self.state: dict[str, bytes | None] = {}
        #: paths of the series left out because no check reads them
        self.skipped: set[str] = set()

    def content(self, path: str) -> bytes | None:
        if path in self.state:
            return self.state[path]
        return self.tree.read_bytes(path)

    def apply(self, patch: Patch, where: str) -> None:
        """Apply every file of ``patch`` or none (``where`` names it in errors: "patch 2/3")."""
        staged: dict[str, bytes | None] = {}
        for file_patch in patch.files:
            for path in {file_patch.old_path, file_patch.new_path} - {None}:
                safe_path(self.tree, path)
            paths = {file_patch.old_path, file_patch.new_path} - {None}
            if not any(self.relevant(p) for p in paths):
                self.skipped |= paths
                continue
            unmodelled = _unmodelled(file_patch)
            if unmodelled:
                raise PatchError(f"{where} {unmodelled} {file_patch.path}, which ckptlint reads; "
                                 "refused")
            self._apply_file(file_patch, staged, where)
        self.state.update(staged)

    def _apply_file(self, fp: FilePatch, staged: dict[str, bytes | None], where: str) -> None:
        def current(path: str) -> bytes | None:
            return staged[path] if path in staged else self.content(path)

        if fp.old_path is None:
            if current(fp.new_path) is not None:
                raise PatchError(f"{where} creates {fp.new_path}, which already exists")
            before: list[bytes] = []
        else:
            data = current(fp.old_path)
            if data is None:
                raise PatchError(f"{where} does not apply to {fp.old_path}: no such file")
            before = data.splitlines(keepends=True)
        if fp.binary is not None:
            after = [self._apply_binary(fp, b"".join(before), where)]
            after = [chunk for chunk in after if chunk]
        else:
            after = _apply_hunks(before, fp, where)
        if fp.old_path is not None and fp.old_path != fp.new_path and not fp.copy:
            staged[fp.old_path] = None
        if fp.new_path is None:
            if after:
                raise PatchError(f"{where} deletes {fp.old_path} but does not remove all of it")
            return
        staged[fp.new_path] = b"".join(after)

    def _apply_binary(self, fp: FilePatch, source: bytes, where: str) -> bytes:
        """The new content of a ``GIT binary patch``, checked against the ``index`` names."""
        name = fp.old_path or fp.new_path
        if fp.old_path is not None and fp.old_id and not gitbinary.blob_id(source).startswith(fp.old_id):
            raise PatchError(f"{where} does not apply to {name}: binary patch for other content")
        try:
            result = gitbinary.apply(fp.binary[0], source, self.tree.max_file_bytes)
        except gitbinary.BinaryError as exc:
            raise PatchError(f"{where}: binary patch of {name}: {exc}") from None
        if fp.new_id and fp.new_id.strip("0") and not gitbinary.blob_id(result).startswith(fp.new_id):
            raise PatchError(f"{where}: binary patch of {name} does not give the content it names")
        return result


#: Modes whose content is a file's bytes.
_REGULAR = frozenset({"100644", "100755", "100664"})


def _unmodelled(fp: FilePatch) -> str | None:
    """What about ``fp`` cannot be applied to a view of files (None when all of it can)."""
    if fp.symlink:
        return "changes the symbolic link"
    for mode in (fp.old_mode, fp.new_mode):
        if mode is not None and mode not in _REGULAR:
            return f"gives mode {mode} to"
    if fp.opaque:
        return "changes binary content it does not carry (use git diff --binary) of"
    return None


def _apply_hunks(lines: list[bytes], fp: FilePatch, where: str) -> list[bytes]:
    """``lines`` with every hunk of ``fp`` applied; hunks may drift, never fuzz."""
    out: list[bytes] = []
    cursor = 0
    offset = 0
    for hunk in fp.hunks:
        if hunk.old:
            position = _find(lines, hunk.old, hunk.old_start - 1 + offset, cursor)
        else:  # pure insertion after line old_start ("@@ -0,0 +1,n @@" at the top)
            position = min(max(hunk.old_start + offset, cursor), len(lines))
        if position is None:
            raise PatchError(f"{where} does not apply to {fp.old_path or fp.new_path}:{hunk.old_start}")
        out.extend(lines[cursor:position])
        out.extend(hunk.new)
        cursor = position + len(hunk.old)
        offset = position - (hunk.old_start - 1)
    out.extend(lines[cursor:])
    return out


def _find(lines: list[bytes], old: list[bytes], wanted: int, floor: int) -> int | None:
    """The start nearest ``wanted`` (not before ``floor``) where ``old`` matches exactly.

    Linear: a rolling hash over line hashes finds the candidate windows, and only
    those are compared line by line (a 20,000-line hunk against a 1,000,000-line
    file compared every window in full before, which never ended). Each
    candidate compare costs ``len(old)`` and a mismatching candidate needs a hash
    collision, so the work is about ``len(lines) + len(old)`` whatever the input.
    """
    size = len(old)
    last = len(lines) - size
    if size == 0 or last < floor:
        return None
    modulus, base = (1 << 61) - 1, 1_000_003
    hashes = [hash(line) % modulus for line in lines]
    target = 0
    for line in old:
        target = (target * base + hash(line)) % modulus
    top = pow(base, size - 1, modulus)
    window = 0
    for line_hash in hashes[floor:floor + size]:
        window = (window * base + line_hash) % modulus
    candidates: list[int] = []
    for start in range(floor, last + 1):
        if window == target:
            candidates.append(start)
        if start < last:
            window = ((window - hashes[start] * top) * base + hashes[start + size]) % modulus
    for start in sorted(candidates, key=lambda c: (abs(c - wanted), c > wanted)):
        if lines[start:start + size] == old:
            return start
    return None
