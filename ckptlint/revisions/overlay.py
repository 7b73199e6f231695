"""OverlayTree: a kernel tree seen with some files replaced, created or deleted in memory.

check-patch and the staged-state check use it so that nothing is copied: reads
of a patched file come from memory, everything else from the original tree,
which is never written.
"""

from __future__ import annotations

import fnmatch
import logging
import mmap
import os
import posixpath
from functools import cached_property
from typing import Callable, Hashable, Iterator, Mapping

from ckptlint.tree import KernelTree
from ckptlint.treewalk import MAX_FILE_BYTES, SKIP_DIRS

LOG = logging.getLogger(__name__)


class OverlayTree(KernelTree):
    """``root`` as it would be with ``files`` written and ``deleted`` removed.

    ``files`` maps tree-relative POSIX paths to their new bytes. The caller
    vets the paths (see :func:`ckptlint.revisions.patch_apply.safe_path`); the overlay only
    serves them.
    """

    #: Reads of the overlaid files come from memory: its whole runs are never cached, and
    #: the overlaid files are digested and scanned from memory (``served_elsewhere``).
    on_disk = False

    def served_elsewhere(self, rel: str) -> bool:
        rel = self._served_as(rel)
        return rel in self.files or rel in self.deleted

    def __init__(self, root: str | os.PathLike[str], files: Mapping[str, bytes],
                 deleted: set[str] | frozenset[str] = frozenset(), label: str = "overlay") -> None:
        super().__init__(root)
        self.files = dict(files)
        self.deleted = frozenset(deleted) - set(self.files)
        self.identity = f"{self.root}#{label}-{id(self)}"
        self._served_paths: dict[str, str] = {}

    @cached_property
    def _regular_files(self) -> frozenset[str]:
        """The tree's regular files reached without a symlink (its listing, on disk)."""
        return frozenset(self.listing)

    def _served_as(self, rel: str) -> str:
        """The path whose overlaid content ``rel`` reads: ``rel`` itself, or the file a
        symlink on the way leads to when the overlay replaces or deletes that file (6.12's
        arch/arm64/tools/syscall_64.tbl is a link to scripts/syscall.tbl, which a patch
        changes)."""
        if rel in self.files or rel in self.deleted or not (self.files or self.deleted):
            return rel
        # once the tree is listed anyway (a full run), a listed file has no link on its
        # way; a run the cache answers asks about a few hundred paths and never lists the
        # tree (0.33 s on 6.12), so each is resolved on its own
        if "listing" in self.__dict__ and rel in self._regular_files:
            return rel
        known = self._served_paths.get(rel)
        if known is None:
            target = self._leads_to(rel)
            known = self._served_paths[rel] = (target if target in self.files or target in self.deleted
                                               else rel)
        return known

    @cached_property
    def srcarches(self) -> list[str]:
        """SRCARCH directories, counting Kconfig files the overlay adds or removes."""
        found = set(super().srcarches)
        found |= {p.split("/")[1] for p in self.files if _is_arch_kconfig(p)}
        return sorted(a for a in found if self.is_file(f"arch/{a}/Kconfig"))

    def is_file(self, rel: str) -> bool:
        served = self._served_as(rel)
        if served in self.files:
            if self._recorders:
                self._record(rel)
            return True
        return served not in self.deleted and super().is_file(rel)

    def unreadable(self, rel: str) -> bool:
        served = self._served_as(rel)
        return served not in self.files and served not in self.deleted and super().unreadable(rel)

    def is_dir(self, rel: str) -> bool:
        prefix = rel.strip("/") + "/"
        return super().is_dir(rel) or any(p.startswith(prefix) for p in self.files)

    def read_bytes(self, rel: str) -> bytes | None:
        self._read_raw(rel)
        if self._recorders:
            self._record(rel)
        served = self._served_as(rel)
        if served in self.deleted:
            return None
        data = self.files.get(served)
        if data is None:
            return super().read_bytes(rel)
        if len(data) > MAX_FILE_BYTES:
            self.note(rel, f"file is larger than {MAX_FILE_BYTES} bytes; skipped", "too-large")
            return None
        return data

    def scan_bytes(self, rel: str, want: Callable[[str, bytes | mmap.mmap], bool],
                   key: Hashable | None = None) -> bool:
        self._read_raw(rel)
        self._record(rel)
        served = self._served_as(rel)
        if served in self.deleted:
            return False
        data = self.files.get(served)
        if data is None:
            return super().scan_bytes(rel, want, key)
        return 0 < len(data) <= MAX_FILE_BYTES and bool(want(rel, data))

    def read_walked(self, rel: str, needle: bytes, limit: int = MAX_FILE_BYTES) -> bytes | None:
        served = self._served_as(rel)
        if served not in self.files and served not in self.deleted:
            return super().read_walked(rel, needle, limit)
        data = self.read_bytes(rel)  # the patched content (None: deleted or over the cap, noted)
        return data if data and len(data) <= limit and needle in data else None

    def glob(self, pattern: str, at: tuple[str, int] | None = None, quiet: bool = False) -> list[str]:
        found = {p for p in super().glob(pattern, at, quiet) if p not in self.deleted}
        found |= {p for p in self.files if _glob_match(p, pattern)}
        return sorted(found)

    def walk(self, suffixes: tuple[str, ...] = (), under: str = "",
             skip: frozenset[str] = SKIP_DIRS, prefixes: tuple[str, ...] = ()) -> Iterator[str]:
        found = {p for p in super().walk(suffixes, under, skip, prefixes) if p not in self.deleted}
        start = under.strip("/") + "/" if under.strip("/") else ""
        for path in self.files:
            if not path.startswith(start):
                continue
            directories = path[len(start):].split("/")[:-1]
            name = posixpath.basename(path)
            if any(d in skip for d in directories):
                continue
            if (suffixes and name.endswith(suffixes)) or (prefixes and name.startswith(prefixes)):
                found.add(path)
        return iter(sorted(found))


def _is_arch_kconfig(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "arch" and parts[2] == "Kconfig"


def _glob_match(path: str, pattern: str) -> bool:
    """glob semantics for one path: ``*`` and ``?`` never cross a ``/``."""
    names, parts = path.split("/"), pattern.split("/")
    return len(names) == len(parts) and all(fnmatch.fnmatchcase(n, p) for n, p in zip(names, parts))
