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
import hmac
import json
import logging
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Any

from ckptlint import __version__

LOG = logging.getLogger(__name__)

#: Bumped whenever the meaning of any entry changes; older entries are misses.
FORMAT = 2
#: Bytes of the per-user key that signs entries.
KEY_BYTES = 32
#: Default size cap (MiB); ``CKPTLINT_CACHE_MAX_MB`` overrides it.
DEFAULT_MAX_MB = 512
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
#: Temporary files older than this (seconds) are leftovers of killed runs.
STALE_TMP_SECONDS = 3600
#: A run that wrote trusts the usage ledger this long before it lists the cache again.
RESCAN_SECONDS = 24 * 3600
#: Eviction deletes down to this share of the cap, so the next runs need not list again.
LOW_WATER = 0.75
#: The usage ledger at the cache root: ``MAC\n{"bytes": N, "scanned": T}``.
USAGE = "usage"


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
    (entries computed by ckptlint's code add ``fingerprints.code_fingerprint()``)."""
    return json.dumps([__version__, FORMAT, *parts], sort_keys=True, separators=(",", ":"))


class Cache:
    """Entries by (kind, key); every failure to read or write is a miss, never an error.

    Nothing inside the cache directory is ever followed through a symlink: every
    entry, kind directory and the key file is opened relative to a directory
    descriptor with ``O_NOFOLLOW``, and eviction only unlinks names it listed
    through such a descriptor. An entry is ``MAC\n JSON``: an HMAC-SHA256 of the
    JSON text under the per-user key ``<root>/key`` (32 random bytes, 0600), so
    an entry edited, planted or copied from another cache is a miss, and its
    JSON is never even parsed.
    """

    def __init__(self, root: Path, max_bytes: int | None = None) -> None:
        self.root = root
        self.max_bytes = max_bytes_from_env() if max_bytes is None else max_bytes
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self.written_bytes = 0
        self._secret: bytes | None = None
        self._key_warned = False

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / self._name(key)

    @staticmethod
    def _name(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest() + ".json"

    # -- descriptors: never a symlink inside the cache --------------------
    def _open_dir(self, kind: str | None, create: bool) -> int:
        """A descriptor of the root (``kind`` None) or of one kind directory, never through a link."""
        if create:
            os.makedirs(self.root, mode=0o700, exist_ok=True)
        root = os.open(self.root, os.O_RDONLY | _DIRECTORY)
        if kind is None:
            return root
        try:
            if create:
                try:
                    os.mkdir(kind, 0o700, dir_fd=root)
                except FileExistsError:
                    pass
            return os.open(kind, os.O_RDONLY | _DIRECTORY, dir_fd=root)
        finally:
            os.close(root)

    def secret(self) -> bytes:
        """The per-user key (made on first use); OSError or ValueError when unusable."""
        if self._secret is None:
            root = self._open_dir(None, create=True)
            try:
                try:
                    fd = os.open("key", os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600,
                                 dir_fd=root)
                except FileExistsError:
                    pass
                else:
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(secrets.token_bytes(KEY_BYTES))
                fd = os.open("key", os.O_RDONLY | _NOFOLLOW, dir_fd=root)
                with os.fdopen(fd, "rb") as handle:
                    info = os.fstat(handle.fileno())
                    if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                            or info.st_mode & 0o077 or info.st_size != KEY_BYTES):
                        raise ValueError("the cache key is not a private file of the user")
                    self._secret = handle.read(KEY_BYTES + 1)
                    if len(self._secret) != KEY_BYTES:
                        raise ValueError("the cache key has the wrong size")
            except (OSError, ValueError) as exc:
                self._secret = None
                if not self._key_warned:  # said once: every entry is a miss until it is mended
                    self._key_warned = True
                    LOG.warning("cache key %s unusable (%s); not caching", self.root / "key", exc)
                raise
            finally:
                os.close(root)
        return self._secret

    def _mac(self, text: bytes) -> bytes:
        return hmac.new(self.secret(), text, hashlib.sha256).hexdigest().encode()

    def get(self, kind: str, key: str) -> Any | None:
        """The data stored under (kind, key), or None."""
        name = self._name(key)
        try:
            directory = self._open_dir(kind, create=False)
            try:
                entry = json.loads(self._read_signed(directory, name, max(self.max_bytes, 1 << 20)))
                if (not isinstance(entry, dict) or entry.get("ckptlint-cache") != FORMAT
                        or entry.get("kind") != kind or entry.get("key") != key or "data" not in entry):
                    raise ValueError("foreign or outdated entry")
                try:
                    os.utime(name, dir_fd=directory, follow_symlinks=False)
                except (OSError, NotImplementedError):
                    pass
            finally:
                os.close(directory)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, RecursionError, UnicodeDecodeError, MemoryError) as exc:
            LOG.debug("cache entry %s/%s ignored: %s", kind, name, exc)
            self.misses += 1
            return None
        self.hits += 1
        return entry["data"]

    def put(self, kind: str, key: str, data: Any) -> None:
        """Store data (atomically: a temporary file renamed over the entry)."""
        name = self._name(key)
        directory = None
        try:
            # dumps, not dump: only the one-shot encoder is the C one (10x faster)
            text = json.dumps({"ckptlint-cache": FORMAT, "kind": kind, "key": key, "data": data},
                              separators=(",", ":")).encode()
            self._mac(text)  # an unusable key: nothing is created
            directory = self._open_dir(kind, create=True)
            self.written_bytes += self._write_signed(directory, name, text)
            self.writes += 1
        except (OSError, TypeError, ValueError, RecursionError) as exc:
            LOG.debug("cache entry %s/%s not written: %s", kind, name, exc)
        finally:
            if directory is not None:
                os.close(directory)

    # -- signed files: ``MAC\n JSON`` -------------------------------------
    def _read_signed(self, directory: int, name: str, limit: int) -> bytes:
        """The text of a signed file in ``directory``; ValueError unless it is a regular
        file of at most ``limit`` bytes whose digest matches (a shared directory may
        hold anything: no symlink is followed, no FIFO or device is read)."""
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW, dir_fd=directory)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                raise ValueError("not a regular file of sensible size")
            raw = handle.read()
        mac, _, text = raw.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(text)):
            raise ValueError("digest does not match (edited or foreign entry)")
        return text

    def _write_signed(self, directory: int, name: str, text: bytes) -> int:
        """Write ``text`` signed, atomically (a temporary file renamed over ``name``);
        returns the bytes written."""
        body = self._mac(text) + b"\n" + text
        tmp = f".tmp-{secrets.token_hex(8)}.json"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(tmp, name, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            _unlink(tmp, directory)
            raise
        return len(body)

    def evict(self, force: bool = False) -> int:
        """Keep the cache under its cap; returns bytes freed.

        Listing a large cache costs a stat per entry (22,000 of them after a few
        real trees), so a run that wrote adds its bytes to the usage ledger and
        lists the cache only when the ledger says the cap is passed, when the
        ledger is missing, forged or a day old, or when ``force`` is set. A
        listing that finds the cache over its cap deletes least recently used
        entries down to LOW_WATER of it. Writers racing on the ledger may lose
        each other's bytes; the daily listing puts that right.
        """
        now = time.time()
        if not force:
            usage = self._read_usage()
            if usage is not None:
                used, scanned = usage
                estimate = used + self.written_bytes
                if estimate <= self.max_bytes and 0 <= now - scanned < RESCAN_SECONDS:
                    self.written_bytes = 0
                    self._write_usage(estimate, scanned)
                    return 0
        self.written_bytes = 0
        freed, remaining = self._list_and_delete(now)
        if remaining is not None:
            self._write_usage(remaining, now)
        return freed

    def _list_and_delete(self, now: float) -> tuple[int, int | None]:
        """(bytes freed, bytes left) after one listing, or (0, None) when it could not list.

        Only regular files listed through a kind directory's descriptor are
        unlinked, by name relative to it: a symlink planted anywhere in the
        cache is neither followed nor deleted through.
        """
        entries: list[tuple[float, int, int, str]] = []
        opened: list[int] = []
        try:
            root = self._open_dir(None, create=False)
        except OSError:
            return 0, None
        try:
            with os.scandir(root) as listing:
                kinds = [e.name for e in listing if e.is_dir(follow_symlinks=False)]
            for kind in kinds:
                try:
                    directory = os.open(kind, os.O_RDONLY | _DIRECTORY, dir_fd=root)
                except OSError:
                    continue
                opened.append(directory)
                with os.scandir(directory) as listing:
                    for entry in listing:
                        try:
                            info = entry.stat(follow_symlinks=False)
                        except OSError:
                            continue
                        if not stat.S_ISREG(info.st_mode):
                            continue
                        if entry.name.startswith(".tmp-"):
                            if now - info.st_mtime > STALE_TMP_SECONDS:
                                _unlink(entry.name, directory)
                            continue
                        if entry.name.endswith(".json"):
                            entries.append((info.st_mtime, info.st_size, directory, entry.name))
            total = sum(size for _, size, _, _ in entries)
            freed = 0
            if total > self.max_bytes:
                goal = int(self.max_bytes * LOW_WATER)
                for _, size, directory, name in sorted(entries, key=lambda e: (e[0], e[3])):
                    if total - freed <= goal:
                        break
                    if _unlink(name, directory):
                        freed += size
            return freed, total - freed
        except OSError:
            return 0, None
        finally:
            for fd in opened:
                os.close(fd)
            os.close(root)

    def _read_usage(self) -> tuple[int, float] | None:
        """(bytes, when listed) from the ledger, or None when it is missing or not ours."""
        try:
            root = self._open_dir(None, create=False)
        except OSError:
            return None
        try:
            usage = json.loads(self._read_signed(root, USAGE, 4096))
            used, scanned = usage["bytes"], usage["scanned"]
            if type(used) is not int or type(scanned) not in (int, float) or used < 0:
                return None
            return used, float(scanned)
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None
        finally:
            os.close(root)

    def _write_usage(self, used: int, scanned: float) -> None:
        """Replace the ledger atomically; a failure only means the next run lists again."""
        try:
            root = self._open_dir(None, create=False)
        except OSError:
            return
        try:
            self._write_signed(root, USAGE, json.dumps({"bytes": used, "scanned": scanned}).encode())
        except (OSError, ValueError) as exc:
            LOG.debug("cache usage ledger not written: %s", exc)
        finally:
            os.close(root)


def _unlink(name: str, directory: int) -> bool:
    try:
        os.unlink(name, dir_fd=directory)
        return True
    except OSError:
        return False


def open_cache(tree_root: Path, enabled: bool, root: Path | None = None) -> Cache | None:
    """The run's cache, or None when disabled, inside the tree, or not the user's own (warned)."""
    if not enabled:
        return None
    root = (root or default_root()).expanduser()
    try:
        resolved = root.resolve()
    except (OSError, RuntimeError):
        return None
    tree = tree_root.resolve()
    if resolved == tree or tree in resolved.parents:
        LOG.warning("cache directory %s is inside the checked tree; not caching", root)
        return None
    # the path as named too: a symlink planted where others may write redirects the cache
    problem = (unsafe_directory(Path(os.path.abspath(root)), links=True)
               or unsafe_directory(resolved))
    if problem:
        LOG.warning("cache directory %s %s; not caching", root, problem)
        return None
    return Cache(resolved)


def unsafe_directory(path: Path, links: bool = False) -> str | None:
    """Why ``path`` (resolved, or with ``links`` as named) cannot hold the user's cache, or None.

    The directory, if it exists, must be the user's own and writable by no one
    else; every directory above it must belong to the user or root and be
    writable by no one else unless it is sticky (``/tmp``): otherwise another
    user could swap entries or the directory itself. With ``links``, a
    component may be a symlink of the user's or root's: whoever can replace it
    can write its directory, which is checked like every other.
    """
    uid = os.getuid()
    for index, directory in enumerate([path, *path.parents]):
        try:
            info = os.lstat(directory)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"cannot be checked ({exc.strerror or exc})"
        if links and stat.S_ISLNK(info.st_mode):
            if info.st_uid not in (uid, 0):
                return f"is reached through another user's symlink ({directory})"
            continue
        if not stat.S_ISDIR(info.st_mode):
            return f"is not a directory ({directory})"
        shared = info.st_mode & 0o022
        if index == 0 and info.st_uid != uid:
            return "is not the user's own"
        if index == 0 and shared:
            return "is writable by group or others"
        if index > 0 and (info.st_uid not in (uid, 0) or (shared and not info.st_mode & stat.S_ISVTX)):
            return f"has a parent ({directory}) that other users can change"
    return None
