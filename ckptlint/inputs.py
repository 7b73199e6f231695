"""Content digests of tree files, and checks that a cached result's inputs are unchanged.

A digest is BLAKE2b-128 of the file's bytes. A stat index (size, mtime_ns,
ctime_ns, inode per path, stored in the cache) lets an unchanged file be
recognised without reading it, as git's index does; an entry whose mtime is
within :data:`RACY_SECONDS` of the moment the index was written is not
trusted (the file could have changed again within the same timestamp tick).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from typing import Any, Iterable

from ckptlint.cache import Cache, key_text
from ckptlint.tree import MAX_FILE_BYTES, KernelTree

RACY_SECONDS = 2.0
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def digest_bytes(data: bytes) -> str:
    """The content digest of some bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stat_key(info: os.stat_result) -> list[int]:
    """What must stay equal for a file to count as unchanged without reading it."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


class FileDigests:
    """Digests of tree files by path; remembers them across runs through the cache."""

    def __init__(self, tree: KernelTree, cache: Cache | None) -> None:
        self.tree = tree
        self.cache = cache
        self.key = key_text("stat-index", str(tree.root))
        self.index: dict[str, list] = {}
        self.changed = False
        data = cache.get("stat", self.key) if cache is not None else None
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            written = data.get("written", 0)
            limit = (written - RACY_SECONDS) * 1e9 if isinstance(written, (int, float)) else 0
            self.index = {rel: entry for rel, entry in data["files"].items()
                          if isinstance(entry, list) and len(entry) == 5 and entry[1] < limit}

    def known(self, rel: str, info: os.stat_result) -> str | None:
        """The remembered digest of a file whose stat is ``info``, if unchanged."""
        entry = self.index.get(rel)
        return entry[4] if entry is not None and entry[:4] == stat_key(info) else None

    def remember(self, rel: str, info: os.stat_result, digest: str) -> None:
        """Record a freshly computed digest."""
        self.index[rel] = [*stat_key(info), digest]
        self.changed = True

    def digest(self, rel: str) -> str | None:
        """Digest of a regular file inside the tree, None when absent or unreadable."""
        real = self.tree._resolve(rel)  # noqa: SLF001 - the tree's own containment rule
        if real is None:
            return None
        try:
            info = os.stat(real)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        known = self.known(rel, info)
        if known is not None:
            return known
        try:
            fd = os.open(real, os.O_RDONLY | _NOFOLLOW)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as handle:
                digest = digest_bytes(handle.read(MAX_FILE_BYTES + 1))
        except OSError:
            return None
        self.remember(rel, info, digest)
        return digest

    def snapshot(self, paths: Iterable[str]) -> dict[str, Any]:
        """Digests of recorded inputs: files (None when absent) and ``glob:`` matches."""
        out: dict[str, Any] = {}
        for rel in sorted(paths):
            if rel.startswith("glob:"):
                out[rel] = self.tree.glob_files(rel[5:])
            else:
                out[rel] = self.digest(rel)
        return out

    def unchanged(self, snapshot: Any) -> bool:
        """Whether every input of a snapshot still has the same digest (or matches)."""
        if not isinstance(snapshot, dict):
            return False
        for rel, recorded in snapshot.items():
            current = self.tree.glob_files(rel[5:]) if rel.startswith("glob:") else self.digest(rel)
            if current != recorded:
                return False
        return True

    def save(self) -> None:
        """Write the stat index back when it learnt something."""
        if self.cache is not None and self.changed:
            self.cache.put("stat", self.key, {"written": time.time(), "files": self.index})
            self.changed = False
