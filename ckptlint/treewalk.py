"""Walking a kernel tree's directories and scanning its files' raw bytes.

A mixin of :class:`ckptlint.tree.KernelTree`: the listing of every file (with
the directory stamps that tell whether any was added or removed), walks and
globs over it, and byte filters that decide whether a file is worth decoding.
"""

from __future__ import annotations

import bisect
import fnmatch
import glob
import itertools
import mmap
import os
import stat
from functools import cached_property
from pathlib import Path
from typing import Callable, Hashable, Iterator

from ckptlint.facts import printable


#: Files larger than this are skipped with a note (the largest wiring file in
#: 6.12, include/linux/syscalls.h, is about 50 KiB; generated tables are < 1 MiB).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: A glob (a Kconfig ``source "arch/*/Kconfig"``) yields at most this many files.
MAX_GLOB_MATCHES = 4096

#: Open flags for raw scans: never follow a symlink, never block on a FIFO (POSIX-only flags).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

#: Directories never descended into when walking for sources.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "tools", "Documentation", "samples"})
#: Directories never listed at all (version control data).
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
#: Up to this size ``read_walked`` reads a file in one call instead of mapping it.
_SMALL_FILE = 64 * 1024

#: Notes for names that cannot be shown (tests and docs quote them).
UNPRINTABLE_NAME = "name has non-printable characters; skipped"


def stat_key(info: os.stat_result) -> list[int]:
    """What must stay equal for a file to count as unchanged without reading it."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def read_fd(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes of an open file (less if it shrank meanwhile).

    The byte scans read whole files this way rather than mapping them: for
    the ~33,000 C files of a tree (20 KB on average) one read costs less than
    the page faults and unmapping of a map (6.12: 0.85 s against 1.15 s).
    """
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class TreeWalk:
    """Listing, walks, globs and byte scans of :class:`ckptlint.tree.KernelTree`."""

    def scan_bytes(self, rel: str, want: Callable[[str, bytes | mmap.mmap], bool],
                   key: Hashable | None = None) -> bool:
        """Whether the raw bytes of a walked file satisfy ``want``, without caching its text.

        The file is opened with O_NOFOLLOW and read whole (``read_fd``); empty, special,
        oversized or unreadable files never match. With a ``key`` (naming what
        ``want`` decides) the answer is remembered.
        """
        self._read_raw(rel)
        self._record(rel)  # an input of whatever is recorded: its answer may change with it
        if key is None:
            return self._scan_uncached(rel, want)
        hit = self._scan_cache.get((rel, key))
        if hit is None:
            if self.scan_memory is not None:  # an earlier run's answer for these very bytes
                hit = self.scan_memory(rel, key)
            if hit is None:
                hit = self._scan_uncached(rel, want)
            self._scan_cache[(rel, key)] = hit
        return hit

    def scan_along(self, key: Hashable, want: Callable[[str, bytes | mmap.mmap], bool],
                   suffixes: tuple[str, ...], under: str = "") -> None:
        """Answer ``scan_bytes(rel, want, key)`` while the bytes are read anyway.

        From now on, whenever a file ending in one of ``suffixes`` under ``under``
        is read for another scan (the whole-tree definition scan reads every C
        and assembly file), ``want`` is asked too and its answer remembered; a
        later ``scan_bytes`` with this key opens nothing. Only for ``want``
        functions of the bytes alone, like every keyed scan.
        """
        if all(known[0] != key for known in self._along):
            self._along.append((key, want, suffixes, f"{under.rstrip('/')}/" if under else ""))

    def answer_along(self, rel: str, data: bytes | mmap.mmap, info: os.stat_result | None = None) -> None:
        """Remember the ``scan_along`` answers for a file whose bytes are ``data``
        (``info``: the file's stat when they were read, which the answers stand for)."""
        if info is not None and self._along:
            self.scan_stats[rel] = stat_key(info)
        for key, want, suffixes, prefix in self._along:
            if rel.endswith(suffixes) and rel.startswith(prefix) and (rel, key) not in self._scan_cache:
                self._scan_cache[(rel, key)] = bool(want(rel, data))

    def _scan_uncached(self, rel: str, want: Callable[[str, bytes | mmap.mmap], bool]) -> bool:
        try:
            fd = os.open(os.path.join(self.root, rel), os.O_RDONLY | _NOFOLLOW)
        except OSError:
            return False
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or not info.st_size \
                    or self.too_large(rel, info.st_size):
                return False
            data = read_fd(fd, info.st_size)
            self.scan_stats[rel] = stat_key(info)  # what the answer stands for
            self.answer_along(rel, data)
            return bool(want(rel, data))
        except (OSError, ValueError):
            return False
        finally:
            os.close(fd)

    def glob(self, pattern: str, at: tuple[str, int] | None = None, quiet: bool = False) -> list[str]:
        """Regular files of the tree matching a glob ``pattern`` (tree-relative), sorted.

        Matched against :attr:`listing`, never the file system: no directory
        symlink is followed (``d*/d*/...`` through links to ``.`` hung the
        file system glob; a link to ``/`` listed the whole machine), nothing
        outside the tree is seen, and ``*`` never crosses a ``/``. At most
        :data:`MAX_GLOB_MATCHES` paths are returned; past that, a note at ``at`` (the
        line that globs, when the caller knows it; else the directory globbed), unless
        ``quiet`` (a second glob of a pattern whose first one said so).
        """
        parts = pattern.split("/")
        if not pattern or pattern.startswith("/") or any(p in ("", ".", "..") for p in parts):
            return []
        fixed = list(itertools.takewhile(lambda part: not glob.has_magic(part), parts[:-1]))
        listing = self.listing
        base = "/".join(fixed) + "/" if fixed else ""
        start = bisect.bisect_left(listing, base) if base else 0
        end = bisect.bisect_left(listing, base[:-1] + chr(ord("/") + 1)) if base else len(listing)
        found: list[str] = []
        for rel in listing[start:end]:
            names = rel.split("/")
            if len(names) == len(parts) and all(map(fnmatch.fnmatchcase, names, parts)):
                if len(found) == MAX_GLOB_MATCHES:
                    path, line = at or (base.rstrip("/") or ".", 1)
                    if not quiet:
                        self.note(path, f"glob '{printable(pattern)}' matches more than "
                                  f"{MAX_GLOB_MATCHES} files; the rest are not used", "glob-cap", line)
                    break
                found.append(rel)
        return found

    # -- walking ----------------------------------------------------------
    def glob_files(self, pattern: str, at: tuple[str, int] | None = None) -> list[str]:
        """Regular files matching a glob relative to the root, sorted (recorded as ``glob:``)."""
        if self._recorders:
            self._record("glob:" + pattern)
        return [m for m in self.glob(pattern, at) if self.is_file(m)]

    @cached_property
    def listing(self) -> list[str]:
        """Every regular file of the tree (no symlinks, no VCS data), tree-relative, sorted.

        One walk serves every ``walk()`` call of a run (file discovery).
        """
        stack = [str(self.root)]
        found: list[str] = []
        stamps: dict[str, list[int]] = {}
        specials: list[tuple[str, int]] = []
        root = str(self.root) + os.sep
        while stack:
            directory = stack.pop()
            try:
                info = os.stat(directory, follow_symlinks=False)
                entries = list(os.scandir(directory))
            except OSError:
                continue
            stamps[directory[len(root):].replace(os.sep, "/")] = [info.st_mtime_ns, info.st_ino,
                                                                  names_digest(entries)]
            for entry in entries:
                if not entry.name.isprintable():  # a newline or bidi control could forge output
                    self.note(printable(self._rel(entry)), UNPRINTABLE_NAME, "unprintable-name")
                elif entry.is_symlink():
                    self._vet_symlink(entry)  # noted when it leads out of the tree or loops
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name not in VCS_DIRS:
                        stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    found.append(entry.path[len(root):].replace(os.sep, "/"))
                else:
                    try:  # FIFO, socket, device: never opened; noted if a walk wants its name
                        specials.append((self._rel(entry), entry.stat(follow_symlinks=False).st_mode))
                    except OSError:
                        pass
        found.sort()
        self.dir_stamps = stamps
        self._specials = sorted(specials)
        return found

    def walk(self, suffixes: tuple[str, ...] = (), under: str = "",
             skip: frozenset[str] = SKIP_DIRS, prefixes: tuple[str, ...] = ()) -> Iterator[str]:
        """Tree-relative paths of regular files ending in ``suffixes`` (or whose
        name starts with one of ``prefixes``), sorted.

        Directories named in ``skip`` are not descended into (below ``under``).
        Symlinks are never followed while walking; one that leads out of the
        tree or loops is noted (by ``listing``), as is a FIFO, socket or device
        with a wanted name. A symlinked file inside the tree is still read
        when something names it explicitly.
        """
        listing = self.listing
        base = under.strip("/") + "/" if under.strip("/") else ""
        if base:
            start = bisect.bisect_left(listing, base)
            end = bisect.bisect_left(listing, base[:-1] + chr(ord("/") + 1))
        else:
            start, end = 0, len(listing)
        found: list[str] = []
        for rel in listing[start:end]:
            head, _, name = rel.rpartition("/")
            if not ((suffixes and name.endswith(suffixes)) or (prefixes and name.startswith(prefixes))):
                continue
            if skip and head != base[:-1] and not skip.isdisjoint(head[len(base):].split("/")):
                continue
            found.append(rel)
        for rel, mode in self._specials:
            head, _, name = rel.rpartition("/")
            if rel.startswith(base) and ((suffixes and name.endswith(suffixes))
                                         or (prefixes and name.startswith(prefixes))):
                self._skip_special(rel, mode)
        return iter(found)

    def _rel(self, entry: os.DirEntry) -> str:
        return Path(entry.path).relative_to(self.root).as_posix()

    def _vet_symlink(self, entry: os.DirEntry) -> None:
        """Note a symlink met while walking if it leads out of the tree or loops."""
        self._resolve(self._rel(entry))

    def _vet_special(self, entry: os.DirEntry) -> None:
        try:
            self._skip_special(self._rel(entry), entry.stat(follow_symlinks=False).st_mode)
        except OSError:
            pass

    def read_walked(self, rel: str, needle: bytes, limit: int = MAX_FILE_BYTES) -> bytes | None:
        """Raw bytes of a file ``walk`` yielded if they contain ``needle``, uncached; else None.

        For whole-tree scans that must not cache the tree's text: a small file
        is read in one call, a larger one mapped read-only and copied only when
        ``needle`` occurs (most are not: mapping avoids the copy). ``walk`` never
        descends through a symlink, so only the last component can have
        changed since; it is opened with O_NOFOLLOW and must still be a
        regular file.
        """
        self._read_raw(rel)
        self._record(rel)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(os.path.join(self.root, rel), flags)
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not st.st_size:
                return None
            if self.too_large(rel, st.st_size) or st.st_size > limit:
                return None
            if st.st_size <= _SMALL_FILE:
                data = os.read(fd, _SMALL_FILE + 1)
                return data if needle in data else None
            with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as mapped:
                return mapped[:] if mapped.find(needle) >= 0 else None
        except (OSError, ValueError) as exc:
            self.note(rel, f"cannot read: {getattr(exc, 'strerror', None) or exc}")
            return None
        finally:
            os.close(fd)


def _special_kind(mode: int) -> str | None:
    """``FIFO``, ``socket``, ``character device`` or ``block device``; None for others."""
    for test, kind in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return kind
    return None


def decode(data: bytes) -> str:
    """Decode file bytes leniently: UTF-8 (BOM dropped), else Latin-1.

    CRLF becomes LF; a lone CR and a NUL become a space, so that lines are
    counted as ``git`` and ``grep -n`` count them (only LF ends a line).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", " ")
    if "\0" in text:
        text = text.replace("\0", " ")
    return text


def names_digest(entries) -> str:
    """What a directory holds, by name: equal while no entry is added, removed or renamed
    (an editor's write-and-rename changes the directory's mtime, not this)."""
    import hashlib

    return hashlib.blake2b("\0".join(sorted(e.name for e in entries)).encode("utf-8", "surrogateescape"),
                           digest_size=8).hexdigest()
