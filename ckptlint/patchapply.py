"""Patches applied in memory, one after another, to a view of a tree; never to disk.

Hunks must match their context exactly (no fuzz); a hunk may sit at another
line than its header says, as ``git apply`` allows. Paths that would leave
the tree are refused.
"""

from __future__ import annotations

import logging

from ckptlint.patch import FilePatch, Patch, PatchError
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

    def __init__(self, tree: KernelTree) -> None:
        self.tree = tree
        #: path -> new bytes, or None when the series deleted it
        self.state: dict[str, bytes | None] = {}

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
            if file_patch.opaque:
                LOG.debug("%s: symlink or binary %s not modelled", where, file_patch.path)
                continue
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
        after = _apply_hunks(before, fp, where)
        if fp.old_path is not None and fp.old_path != fp.new_path and not fp.copy:
            staged[fp.old_path] = None
        if fp.new_path is None:
            if after:
                raise PatchError(f"{where} deletes {fp.old_path} but does not remove all of it")
            return
        staged[fp.new_path] = b"".join(after)


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
    """The start nearest ``wanted`` (not before ``floor``) where ``old`` matches exactly."""
    size = len(old)
    last = len(lines) - size
    distance = 0
    while wanted - distance >= floor or wanted + distance <= last:
        for start in (wanted - distance, wanted + distance):
            if floor <= start <= last and lines[start:start + size] == old:
                return start
        distance += 1
    return None
