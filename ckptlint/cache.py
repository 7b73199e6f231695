"""The on-disk cache: plain JSON entries under $XDG_CACHE_HOME/ckptlint, never in the tree.

An entry is one JSON file ``<kind>/<sha256 of key>.json`` holding
``{"ckptlint-cache": FORMAT, "kind": ..., "key": ..., "data": ...}``. Loading
checks the format, the kind and the full key text, so a corrupt, truncated,
foreign or colliding file reads as a miss and is simply rewritten. JSON (not
pickle or marshal) because a cache directory may be shared: reading an entry
can only ever produce lists, dicts, strings and numbers, never run code.
Writes go to a temporary file in the same directory and are ``os.replace``d in,
so concurrent runs see either the old or the new entry. The total size is
kept under a cap by deleting the least recently used entries (reads refresh
an entry's mtime).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from ckptlint import __version__

LOG = logging.getLogger(__name__)

#: Bumped whenever the meaning of any entry changes; older entries are misses.
FORMAT = 1
#: Default size cap (MiB); ``CKPTLINT_CACHE_MAX_MB`` overrides it.
DEFAULT_MAX_MB = 512
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
#: Temporary files older than this (seconds) are leftovers of killed runs.
STALE_TMP_SECONDS = 3600


def default_root() -> Path:
    """``$XDG_CACHE_HOME/ckptlint``, else ``~/.cache/ckptlint``."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec says relative values are ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ckptlint"


def max_bytes_from_env() -> int:
    """The size cap in bytes (``CKPTLINT_CACHE_MAX_MB``, default 512 MiB)."""
    text = os.environ.get("CKPTLINT_CACHE_MAX_MB", "")
    try:
        megabytes = float(text) if text else DEFAULT_MAX_MB
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return max(0, int(megabytes * 1024 * 1024))


def key_text(*parts: Any) -> str:
    """A key from JSON-able parts, always including ckptlint's version and the format
    (entries computed by ckptlint's code add ``session.code_fingerprint()``)."""
    return json.dumps([__version__, FORMAT, *parts], sort_keys=True, separators=(",", ":"))


class Cache:
    """Entries by (kind, key); every failure to read or write is a miss, never an error."""

    def __init__(self, root: Path, max_bytes: int | None = None) -> None:
        self.root = root
        self.max_bytes = max_bytes_from_env() if max_bytes is None else max_bytes
        self.hits = 0
        self.misses = 0
        self.writes = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / (hashlib.sha256(key.encode()).hexdigest() + ".json")

    def get(self, kind: str, key: str) -> Any | None:
        """The data stored under (kind, key), or None."""
        path = self._path(kind, key)
        try:
            # a shared directory may hold anything: no symlink, no FIFO, no device
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > max(self.max_bytes, 1 << 20):
                    raise ValueError("not a regular file of sensible size")
                entry = json.loads(handle.read())
            if (not isinstance(entry, dict) or entry.get("ckptlint-cache") != FORMAT
                    or entry.get("kind") != kind or entry.get("key") != key or "data" not in entry):
                raise ValueError("foreign or outdated entry")
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, RecursionError, UnicodeDecodeError) as exc:
            LOG.debug("cache entry %s ignored: %s", path, exc)
            self.misses += 1
            return None
        try:
            os.utime(path)
        except OSError:
            pass
        self.hits += 1
        return entry["data"]

    def put(self, kind: str, key: str, data: Any) -> None:
        """Store data (atomically: a temporary file renamed over the entry)."""
        path = self._path(kind, key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            # dumps, not dump: only the one-shot encoder is the C one (10x faster)
            text = json.dumps({"ckptlint-cache": FORMAT, "kind": kind, "key": key, "data": data},
                              separators=(",", ":"))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
            tmp = None
            self.writes += 1
        except (OSError, TypeError, ValueError) as exc:
            LOG.debug("cache entry %s not written: %s", path, exc)
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def evict(self) -> int:
        """Delete least recently used entries until the cache fits its cap; returns bytes freed."""
        entries: list[tuple[float, int, Path]] = []
        now = time.time()
        try:
            kinds = [p for p in self.root.iterdir() if p.is_dir()]
        except OSError:
            return 0
        for kind in kinds:
            try:
                listing = list(os.scandir(kind))
            except OSError:
                continue
            for entry in listing:
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if entry.name.startswith(".tmp-"):
                    if now - info.st_mtime > STALE_TMP_SECONDS:
                        _unlink(Path(entry.path))
                    continue
                if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False):
                    entries.append((info.st_mtime, info.st_size, Path(entry.path)))
        total = sum(size for _, size, _ in entries)
        freed = 0
        for _, size, path in sorted(entries):
            if total - freed <= self.max_bytes:
                break
            if _unlink(path):
                freed += size
        return freed


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except OSError:
        return False


def open_cache(tree_root: Path, enabled: bool, root: Path | None = None) -> Cache | None:
    """The run's cache, or None when disabled or when it would lie inside the tree."""
    if not enabled:
        return None
    root = (root or default_root()).expanduser()
    try:
        resolved = root.resolve()
    except OSError:
        return None
    tree = tree_root.resolve()
    if resolved == tree or tree in resolved.parents:
        LOG.warning("cache directory %s is inside the checked tree; not caching", root)
        return None
    return Cache(root)
