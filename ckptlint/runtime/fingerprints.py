"""Content digests of tree files, and checks that a cached result's inputs are unchanged.

A digest is BLAKE2b-128 of the file's bytes. A stat index (size, mtime_ns,
ctime_ns, inode per path, stored in the cache) lets an unchanged file be
recognised without reading it, as git's index does; an entry whose mtime is
within :data:`RACY_SECONDS` of the moment the index was written is not
trusted (the file could have changed again within the same timestamp tick).
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import time
from pathlib import Path
from typing import Any, Iterable

from ckptlint.runtime.cache import Cache, key_text
from ckptlint.tree import KernelTree
from ckptlint.treewalk import MAX_FILE_BYTES, names_digest, stat_key  # noqa: F401 - re-exported

RACY_SECONDS = 2.0
#: Recorded for an input that changed while the run used it: never equal to a state.
CHANGED_DURING_RUN = "changed during the run"
_UNSEEN = object()
#: ``changed_files`` keeps the lstat of a snapshot's files for the run below this many.
_KEEP_LSTATS = 10_000
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Digest of ckptlint's own sources and kconfiglib's version: any change is a new cache."""
    import kconfiglib

    digest = hashlib.blake2b(repr(getattr(kconfiglib, "VERSION", "?")).encode(), digest_size=16)
    from ckptlint.extract.packs import builtin_dir

    package = Path(__file__).parent.parent
    sources = [(p.relative_to(package).as_posix(), p) for p in sorted(package.rglob("*.py"))]
    sources += [(f"rules/{p.name}", p) for p in sorted(builtin_dir().glob("*.toml"))]
    for name, path in sources:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def digest_bytes(data: bytes) -> str:
    """The content digest of some bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stat_digest(info: os.stat_result) -> str:
    """A digest standing for a file's content while its stat is unchanged (``stat:...``):
    for files whose content nothing keeps, so reading them whole to hash them is
    not worth it. It never equals a content digest."""
    return "stat:" + ":".join(str(n) for n in stat_key(info))


class FileDigests:
    """Digests of tree files by path; remembers them across runs through the cache."""

    def __init__(self, tree: KernelTree, cache: Cache | None) -> None:
        self.tree = tree
        self.cache = cache
        self.key = key_text("stat-index", str(tree.root))
        self.index: dict[str, list] = {}
        self.changed = False
        self._dirs: dict[str, str] = {}
        #: Input states already taken by ``snapshot`` (all at the end of the run).
        self._snapshots: dict[str, Any] = {}
        #: ``lstat`` of tree files as this run first saw them (None: absent): the run
        #: entry, 23 Kconfig entries, the definition scan and the byte-filter answers
        #: ask about the same files (6.12: ~190,000 questions, ~50,000 files).
        self._lstats: dict[str, os.stat_result | None] = {}
        self.racy_limit = 0.0
        data = cache.get("stat", self.key) if cache is not None else None
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            written = data.get("written", 0)
            limit = (written - RACY_SECONDS) * 1e9 if isinstance(written, (int, float)) else 0
            self.racy_limit = limit
            self.index = {rel: entry for rel, entry in data["files"].items()
                          if isinstance(entry, list) and len(entry) == 5 and entry[1] < limit}

    def lstat(self, rel: str) -> os.stat_result | None:
        """``lstat`` of ``root/rel`` (None: absent or unreachable), taken once per run.

        For checks against the index only: what a run first saw of a file is what its
        cached parts are checked against. ``snapshot`` takes a fresh stat, so a file
        that changes while the run uses it is still never taken as unchanged.
        """
        try:
            return self._lstats[rel]
        except KeyError:
            pass
        try:
            info = os.lstat(f"{self.tree.root}/{rel}")
        except (OSError, ValueError):
            info = None
        self._lstats[rel] = info
        return info

    def known(self, rel: str, info: os.stat_result) -> str | None:
        """The remembered digest of a file whose stat is ``info``, if unchanged."""
        entry = self.index.get(rel)
        return entry[4] if entry is not None and entry[:4] == stat_key(info) else None

    def remember(self, rel: str, info: os.stat_result, digest: str) -> None:
        """Record a freshly computed digest."""
        self.index[rel] = [*stat_key(info), digest]
        self.changed = True

    def _real_dir(self, rel: str) -> str:
        """Real path of a tree directory ("" when absent or outside), one lstat per directory."""
        known = self._dirs.get(rel)
        if known is None:
            parent, _, name = rel.rpartition("/")
            base = self._real_dir(parent) if rel else str(self.tree.root)
            known = ""
            if base and rel:
                path = f"{base}/{name}"
                try:
                    mode = os.lstat(path).st_mode
                except OSError:
                    mode = 0
                if stat.S_ISLNK(mode):  # the tree's own rule decides where it may lead
                    known = str(self.tree._resolve(rel) or "")  # noqa: SLF001
                elif stat.S_ISDIR(mode):
                    known = path
            elif base:
                known = base
            self._dirs[rel] = known
        return known

    def _stat(self, rel: str) -> tuple[str, os.stat_result] | None:
        """(real path, stat) of a file inside the tree."""
        head, _, name = rel.rpartition("/")
        base = self._real_dir(head)
        if not base:
            return None
        path = f"{base}/{name}"
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                real = self.tree._resolve(rel)  # noqa: SLF001
                if real is None:
                    return None
                path, info = str(real), os.stat(real)
        except OSError:
            return None
        return path, info

    def digest(self, rel: str, found: tuple[str, os.stat_result] | None | object = _UNSEEN) -> str | None:
        """Digest of a regular file inside the tree, None when absent or unreadable
        (``found``: what ``_stat(rel)`` just returned, if the caller has it)."""
        if self.tree.served_elsewhere(rel):  # an overlay's: its content, never the stat index
            return self._served(rel)
        if found is _UNSEEN:
            found = self._stat(rel)
        if found is None:
            return None
        path, info = found
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        self.tree.read_stats.setdefault(rel, stat_key(info))  # what this run relies on
        known = self.known(rel, info)
        if known is not None:
            return known
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as handle:
                digest = digest_bytes(handle.read(MAX_FILE_BYTES + 1))
        except OSError:
            return None
        self.remember(rel, info, digest)
        return digest

    def _served(self, rel: str) -> str | None:
        """The digest of a file the tree serves from memory (None: deleted, or over the cap)."""
        data = self.tree.read_bytes(rel)
        return None if data is None or len(data) > MAX_FILE_BYTES else digest_bytes(data)

    def current(self, rel: str) -> Any:
        """What an input is now: a digest, ``glob:`` matches, ``dir:`` existence or
        ``link:`` target."""
        if rel.startswith("glob:"):
            return self.tree.glob_files(rel[5:])
        if rel.startswith("dir:"):
            return self.tree.is_dir(rel[4:])
        if rel.startswith("link:"):
            return self.tree.canonical(rel[5:])
        return self.digest(rel)

    def snapshot(self, paths: Iterable[str]) -> dict[str, Any]:
        """The current state of recorded inputs (see :meth:`current`); a file that changed
        since the run first read it gets a value no later state can equal."""
        out: dict[str, Any] = {}
        memo = self._snapshots  # the end of a run snapshots the same Makefiles ~40 times
        for rel in sorted(paths):
            value = memo.get(rel, _UNSEEN)
            if value is _UNSEEN:
                seen = self.tree.read_stats.get(rel)
                found = self._stat(rel) if seen is not None else None
                if seen is not None and (found is None or stat_key(found[1]) != seen):
                    value = CHANGED_DURING_RUN
                elif seen is not None:
                    value = self.digest(rel, found)  # one stat, not two
                else:
                    value = self.current(rel)
                memo[rel] = value
            out[rel] = value
        return out

    def unchanged(self, snapshot: Any) -> bool:
        """Whether every input of a snapshot is still in the same state."""
        return self.changed_files(snapshot, most=0) == []

    def changed_files(self, snapshot: Any, most: int) -> list[str] | None:
        """The files of a snapshot whose digest changed, if there are at most ``most``
        of them and every other input (``glob:``, ``dir:``, a file now absent or
        unreadable) is in the same state; else None.

        Most inputs are plain files whose digest the stat index already holds: one
        ``lstat`` that gives back the indexed stat settles them (a warm run of 6.12 asks
        this of ~40,000 files). Anything else (a symlink, a changed stat, a ``glob:`` or
        ``dir:`` input, a file the tree serves from memory) takes the full path."""
        if not isinstance(snapshot, dict):
            return None
        changed: list[str] = []
        index, limit, served = self.index, self.racy_limit, self.tree.served_elsewhere
        seen = self._lstats
        # a whole run's inputs (the warm path: ~46,000 files) are looked at once, so kept
        # nowhere; the per-arch entries' ~1,700 Kconfig files are asked 23 times
        keep = len(snapshot) < _KEEP_LSTATS
        root = f"{self.tree.root}/"
        for rel, recorded in snapshot.items():
            entry = index.get(rel)
            if entry is not None and entry[4] == recorded and entry[1] < limit and not served(rel):
                info = seen.get(rel, _UNSEEN)
                if info is _UNSEEN:
                    if keep:
                        info = self.lstat(rel)
                    else:
                        try:
                            info = os.lstat(root + rel)
                        except (OSError, ValueError):
                            info = None
                if info is None:
                    return None
                if (not stat.S_ISLNK(info.st_mode) and info.st_size == entry[0]
                        and info.st_mtime_ns == entry[1] and info.st_ctime_ns == entry[2]
                        and info.st_ino == entry[3]):
                    self.tree.read_stats.setdefault(rel, entry[:4])
                    continue
            now = self.current(rel)
            if now == recorded:
                continue
            if (len(changed) == most or not isinstance(now, str) or not isinstance(recorded, str)
                    or recorded == CHANGED_DURING_RUN or rel.startswith(("glob:", "dir:", "link:"))):
                return None
            changed.append(rel)
        return changed

    def dirs_unchanged(self, stamps: Any) -> bool:
        """Whether no directory of a listing changed (so no file was added or removed)."""
        if not isinstance(stamps, dict) or not stamps:
            return False
        root = str(self.tree.root)
        for rel, recorded in stamps.items():
            try:
                info = os.stat(os.path.join(root, rel), follow_symlinks=False)
            except OSError:
                return False
            if [info.st_mtime_ns, info.st_ino] == recorded[:2] and info.st_mtime_ns < self.racy_limit:
                continue
            # touched (a file written and renamed over another): unchanged if it holds the same names
            if len(recorded) != 3 or info.st_ino != recorded[1]:
                return False
            try:
                with os.scandir(os.path.join(root, rel)) as entries:
                    if names_digest(entries) != recorded[2]:
                        return False
            except OSError:
                return False
        return True

    def save(self) -> None:
        """Write the stat index back when it learnt something."""
        if self.cache is not None and self.changed:
            self.cache.put("stat", self.key, {"written": time.time(), "files": self.index})
            self.changed = False
