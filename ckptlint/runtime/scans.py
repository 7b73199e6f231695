"""Byte-scan answers kept from one run to the next.

Before a file is decoded, a keyed byte filter (``KernelTree.scan_bytes``)
decides whether it is worth it: does this arch header define an ``__ARCH_``
macro, does this table file rename an entry. An answer is a function of the
file's bytes and the filter's key alone, so it stands as long as the file does.
A run that recomputes facts after an edit asks these of ~19,000 files of 6.12
(0.6 s of reading); kept here, each costs one ``lstat`` at most (shared with the
other checks of the file against the stat index, ``FileDigests.lstat``).

An answer is stored with the digest the stat index holds for the file, and
only when the index's stat is the one the file had when it was scanned; it is
used again only when the index gives the same digest for the file's current
stat. A file the tree serves from memory (a patch's) is always scanned afresh.
"""

from __future__ import annotations

import stat
import threading
from typing import Any, Hashable

from ckptlint.runtime.cache import Cache
from ckptlint.tree import KernelTree
from ckptlint.treewalk import stat_key


class ScanMemory:
    """``tree.scan_memory`` of a run with a cache: earlier answers, checked file by file."""

    def __init__(self, tree: KernelTree, cache: Cache, digests: Any, key: str) -> None:
        self.tree, self.cache, self.digests, self.key = tree, cache, digests, key
        self._known: dict[str, dict[str, list]] | None = None
        self._lock = threading.Lock()
        self.reused = 0

    def _load(self) -> dict[str, dict[str, list]]:
        with self._lock:
            if self._known is None:
                data = self.cache.get("scans", self.key)
                # a malformed entry (or part of one) is a miss, like every cache entry
                self._known = {name: answers for name, answers in data.items()
                               if isinstance(answers, dict)} if isinstance(data, dict) else {}
            return self._known

    def __call__(self, rel: str, key: Hashable) -> bool | None:
        stored = self._load().get(repr(key), {}).get(rel)
        if (not isinstance(stored, list) or len(stored) != 2 or not isinstance(stored[0], str)
                or self.tree.served_elsewhere(rel)):
            return None
        info = self.digests.lstat(rel)
        if (info is None or not stat.S_ISREG(info.st_mode) or not info.st_size
                or info.st_size > self.tree.max_file_bytes
                or self.digests.known(rel, info) != stored[0]):
            return None
        seen = stat_key(info)
        self.tree.read_stats.setdefault(rel, seen)
        self.tree.scan_stats[rel] = seen
        self.reused += 1
        return bool(stored[1])

    def store(self) -> None:
        """Keep this run's answers for files whose indexed stat is the one they were
        scanned with (answers of other files from earlier runs stay, checked on use)."""
        index, seen = self.digests.index, self.tree.scan_stats
        if not seen:  # nothing scanned (a run the cache answered): nothing to keep
            return
        known = self._load()
        fresh: dict[str, dict[str, list]] = {}
        for (rel, key), hit in list(self.tree._scan_cache.items()):  # noqa: SLF001 - the tree's answers
            entry = index.get(rel)
            if entry is None or seen.get(rel) != entry[:4]:
                continue
            name = repr(key)
            value = [entry[4], bool(hit)]
            if known.get(name, {}).get(rel) != value:
                fresh.setdefault(name, {})[rel] = value
        if fresh:
            merged = {name: {**known.get(name, {}), **fresh.get(name, {})} for name in {*known, *fresh}}
            self.cache.put("scans", self.key, merged)
