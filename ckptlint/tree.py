"""KernelTree: read-only, contained access to a kernel source tree."""

from __future__ import annotations

import itertools
import logging
import mmap
import os
import re
import stat
import threading
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Iterator, TypeVar

from ckptlint.facts import Location, TreeNote, printable
from ckptlint.treewalk import MAX_FILE_BYTES, UNPRINTABLE_NAME, TreeWalk, _special_kind, decode

LOG = logging.getLogger(__name__)
T = TypeVar("T")

#: Default identities: two KernelTree objects on one root never share cached
#: models (the files may have changed in between, as in a fuzz campaign).
_TREE_IDS = itertools.count(1)




#: ``VERSION = 6`` and its siblings in the top Makefile.
_VERSION_LINE = re.compile(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)[ \t]*=[ \t]*(\S*)", re.M)


class TreeError(Exception):
    """The tree cannot be checked at all (not a directory, not a kernel tree)."""




def is_tree_root(path: Path) -> bool:
    """Whether ``path`` is the top of a kernel tree: a Makefile and arch/."""
    return (path / "Makefile").is_file() and (path / "arch").is_dir()


def find_root(start: str | None) -> str:
    """The kernel tree ``start`` (default: the working directory) is in, as git finds
    its work tree: ``start`` itself or its nearest parent that is a tree root.
    ``start`` is returned as given when it is the root, or when no directory is
    (KernelTree then says why it is not a tree)."""
    given = start or "."
    path = Path(given)
    if not path.is_dir():
        return given
    resolved = path.resolve()
    for candidate in (resolved, *resolved.parents):
        if is_tree_root(candidate):
            return given if candidate == resolved else str(candidate)
    return given


class KernelTree(TreeWalk):
    """A kernel source tree opened for reading only.

    Every path handed in or out is tree-relative POSIX. Reads never follow a
    symlink out of the tree, never block on FIFOs or devices, cap file size,
    and decode bytes leniently so one odd file cannot stop a run.
    """

    def __init__(self, root: str | os.PathLike[str], identity: str | None = None,
                 max_file_bytes: int | None = None) -> None:
        path = Path(root)
        if not path.exists():
            raise TreeError(f"{root}: no such directory")
        if not path.is_dir():
            raise TreeError(f"{root}: not a directory")
        self.root = path.resolve()
        if not is_tree_root(self.root):
            raise TreeError(f"{root}: not a kernel tree (no top-level Makefile and arch/)")
        #: What caches key this tree's content by (a temporary tree reused for
        #: several commits, or an overlay on this root, gets its own).
        self.identity = identity or f"{self.root}#{next(_TREE_IDS)}"
        #: Files larger than this are skipped with a note.
        self.max_file_bytes = MAX_FILE_BYTES if max_file_bytes is None else max_file_bytes
        self.notes: list[TreeNote] = []
        self._noted: set[tuple[str, int, str]] = set()
        self._text_cache: dict[str, str | None] = {}
        self._lines_cache: dict[str, tuple[str, list[str]]] = {}
        self._hdr_arch: dict[str, str] | None = None
        self._specials: list[tuple[str, int]] = []
        self._scan_cache: dict[tuple[str, Hashable], bool] = {}
        #: The stat of each file when its bytes were scanned (the scan answers stand for it).
        self.scan_stats: dict[str, list[int]] = {}
        #: ``scan_memory(rel, key)``: an answer kept from an earlier run for the file as it
        #: is now, or None (set by ckptlint.runtime.session when there is a cache).
        self.scan_memory: Callable[[str, Hashable], bool | None] | None = None
        #: (key, want, suffixes, path prefix) answered by every mapping of a matching file
        self._along: list[tuple[Hashable, Callable[[str, bytes | mmap.mmap], bool],
                                tuple[str, ...], str]] = []
        #: Answers of ``_resolve`` and ``is_file`` (a tree does not change during a run;
        #: every arch's Kconfig parse asks about the same ~5,000 ``source`` paths).
        self._resolved: dict[str, Path | None] = {}
        #: Paths a symlink on the way leads elsewhere (inside the tree).
        self._linked: set[str] = set()
        self._regular: dict[str, bool] = {}
        self._directories: dict[str, Path | None] = {}
        self._recorders: list[set[str]] = []
        #: Files whose content something read other than through :meth:`project`
        #: (a change to them may change any finding), and what each projection
        #: of a file gave (a change that gives the same is settled: ckptlint.runtime.cutoff).
        self.raw: set[str] = set()
        self.projections: dict[str, dict[str, Any]] = {}
        #: The file each thread is projecting (the checks run in two threads).
        self._projecting = threading.local()
        #: (mtime_ns, inode) of every directory ``listing`` walked: while none
        #: changes, no file was added, removed or renamed anywhere.
        self.dir_stamps: dict[str, list[int]] = {}
        #: (size, mtime_ns, ctime_ns, inode) of each file when first read: a cached
        #: result is not trusted if its inputs changed while the run was reading them.
        self.read_stats: dict[str, list[int]] = {}

    @property
    def on_disk(self) -> bool:
        """Whether every read is of the file on disk under ``root``: what the cache and
        the parallel definition scan, which digest and read files straight from disk,
        rely on. A tree serving other content (an overlay of staged or patched
        files) answers False: its whole runs are not cached, and the files it serves
        from elsewhere (``served_elsewhere``) are digested and scanned from memory."""
        return True

    def served_elsewhere(self, rel: str) -> bool:
        """Whether ``rel`` is not read from disk (an overlay's file, or one it deleted)."""
        return False

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        """Collect every path read or probed (and ``glob:`` patterns) while the block runs.

        What a cached result depends on: ``ckptlint.runtime.fingerprints`` re-checks these paths.
        """
        seen: set[str] = set()
        self._recorders.append(seen)
        try:
            yield seen
        finally:  # by identity: two nested recorders may hold equal sets
            self._recorders[:] = [r for r in self._recorders if r is not seen]

    def note_mark(self) -> tuple[int, set[tuple[str, int, str]]]:
        """Where the notes stand now, for :meth:`forget_notes`."""
        return len(self.notes), set(self._noted)

    def forget_notes(self, mark: tuple[int, set[tuple[str, int, str]]]) -> None:
        """Drop the notes made since ``mark`` (a tentative read whose outcome is not used)."""
        del self.notes[mark[0]:]
        self._noted = mark[1]

    def _record(self, rel: str) -> None:
        for seen in self._recorders:
            seen.add(rel)

    def record(self, paths: Iterable[str]) -> None:
        """Count ``paths`` as read by whatever is being recorded (reads made elsewhere)."""
        paths = list(paths)
        self.raw.update(paths)
        for seen in self._recorders:
            seen.update(paths)

    def _read_raw(self, rel: str) -> None:
        """Count a read of ``rel``'s content that no projection stands for."""
        if rel != getattr(self._projecting, "rel", None):
            self.raw.add(rel)

    def project(self, kind: str, rel: str, compute: Callable[[], T]) -> T:
        """``compute()``, a function of ``rel``'s content alone (and of files it reads
        raw), remembered as ``rel``'s projection ``kind``.

        A run whose inputs changed only in files that were read through
        projections, each giving the same value again, has the same findings
        (``ckptlint.runtime.cutoff``). A projection that notes anything about
        ``rel`` (too large, unreadable) counts as a raw read.
        """
        local = self._projecting
        outer, local.rel = getattr(local, "rel", None), rel
        noted = len(self.notes)
        try:
            value = compute()
        finally:
            local.rel = outer
        if any(note.loc.path == rel for note in self.notes[noted:]):
            self.raw.add(rel)
        else:
            self.projections.setdefault(rel, {})[kind] = value
        return value

    # -- layout -----------------------------------------------------------
    @cached_property
    def srcarches(self) -> list[str]:
        """Directories under arch/ that carry a Kconfig (the SRCARCH values)."""
        out = []
        for entry in sorted(os.scandir(self.root / "arch"), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False) and ((Path(entry.path) / "Kconfig").is_file()
                                                        or self._per_arch_kconfig(entry.name)):
                out.append(entry.name)
        return out

    def _per_arch_kconfig(self, srcarch: str) -> bool:
        """2.6.24-rc1..rc3's arch/x86: no Kconfig, but ``Kconfig.i386`` and ``Kconfig.x86_64``,
        which scripts/kconfig/Makefile took as ``arch/$(SRCARCH)/Kconfig.$(ARCH)``."""
        return srcarch == "x86" and any(
            (self.root / "arch" / "x86" / f"Kconfig.{arch}").is_file() for arch in ("i386", "x86_64")) \
            and "Kconfig.$(ARCH)" in (self.read_text("scripts/kconfig/Makefile") or "")

    def header_arch(self, srcarch: str) -> str:
        """The arch whose ``include/`` an arch compiles with (the top Makefile's ``hdr-arch``).

        2.6.33's m68knommu has no headers of its own: ``ifeq ($(ARCH),m68knommu)``
        / ``hdr-arch := m68k``.
        """
        if self._hdr_arch is None:
            text = self.read_text("Makefile") or ""
            self._hdr_arch = dict(re.findall(
                r"^ifeq\s*\(\$\(ARCH\),\s*(\w+)\)\s*\n\s*hdr-arch\s*:=\s*(\w+)", text, re.M))
        return self._hdr_arch.get(srcarch, srcarch)

    @cached_property
    def era(self) -> str:
        """``modern`` when syscall numbers come from .tbl files, else ``2.6``."""
        if self.is_file("arch/x86/entry/syscalls/syscall_32.tbl") or self.is_file("scripts/syscall.tbl"):
            return "modern"
        return "2.6"

    def kernel_version(self) -> str | None:
        """``6.12.0`` from the top Makefile, or None."""
        fields = dict(_VERSION_LINE.findall(self.read_text("Makefile") or ""))
        if not fields.get("VERSION"):
            return None
        return ".".join(fields.get(k, "0") or "0" for k in ("VERSION", "PATCHLEVEL", "SUBLEVEL")) + \
            fields.get("EXTRAVERSION", "")

    @cached_property
    def kconfig_root_template(self) -> str:
        """The top Kconfig file: ``Kconfig`` in 2.6.37+, ``arch/$SRCARCH/Kconfig`` before."""
        return "Kconfig" if self.is_file("Kconfig") else "arch/{srcarch}/Kconfig"

    # -- safe access ------------------------------------------------------
    def _resolve(self, rel: str) -> Path | None:
        """Absolute path for ``rel`` if it stays inside the tree, else None (noted). A path
        that a symlink leads elsewhere is recorded as the input ``link:rel`` too: where it
        leads is part of what was read."""
        try:
            real = self._resolved[rel]
        except KeyError:
            real = self._resolved[rel] = self._resolve_uncached(rel)
            if real is not None and rel != "." and str(real) != f"{self.root}/{rel}":
                self._linked.add(rel)
        if self._recorders and rel in self._linked:
            self._record("link:" + rel)
        return real

    def _resolve_uncached(self, rel: str) -> Path | None:
        if rel.startswith("/") or "\\" in rel or "\0" in rel:
            return None
        if not rel.isprintable():
            self.note(printable(rel), UNPRINTABLE_NAME, "unprintable-name")
            return None
        real = self._contained(rel)
        if real is None:  # say so at the link itself, once, not at every path through it
            parts = rel.split("/")
            for end in range(1, len(parts) + 1):
                if self._contained("/".join(parts[:end]), note=True) is None:
                    break
        return real

    def _contained(self, rel: str, note: bool = False) -> Path | None:
        """Resolved ``rel`` if it stays inside the tree; else None (noted at ``rel`` if asked).

        Through a directory already resolved inside the tree, a last component
        that is not a symlink resolves to itself: one ``lstat`` instead of one
        per component (the checks read ~3,000 headers and sources).
        """
        parent, _, name = rel.rpartition("/")
        if name and name not in (".", "..") and parent not in (".", ".."):
            base = self._directory(parent)
            if base is not None:
                candidate = base / name
                try:
                    linked = stat.S_ISLNK(os.lstat(candidate).st_mode)
                except FileNotFoundError:
                    linked = False  # resolve(strict=False) keeps a missing last name as it is
                except OSError:
                    linked = True  # let resolve() decide and report
                if not linked:
                    return candidate
        try:
            real = (self.root / rel).resolve(strict=False)
        except (OSError, RuntimeError):  # symlink loop
            if note:
                self.note(rel, SYMLINK_LOOP, "symlink-loop")
            return None
        if real != self.root and self.root not in real.parents:
            if note:
                self.note(rel, SYMLINK_OUT, "symlink-out")
            return None
        return real

    def _directory(self, rel: str) -> Path | None:
        """Resolved directory ``rel`` ("" = the root) if inside the tree, else None (never noted)."""
        try:
            return self._directories[rel]
        except KeyError:
            real = self._directories[rel] = self.root if not rel else self._contained(rel)
            return real

    def note(self, rel: str, message: str, kind: str = "unreadable", line: int = 1) -> None:
        """Record, once per place and kind, what was skipped at ``rel`` and why (reported as CKL010)."""
        key = (rel, line, kind)
        if key in self._noted:
            return
        self._noted.add(key)
        self.notes.append(TreeNote(message=message, loc=Location(rel, line), kind=kind))

    def _skip_special(self, rel: str, mode: int) -> bool:
        """Note and skip a FIFO, socket or device (never opened: a FIFO would block)."""
        kind = _special_kind(mode)
        if kind is not None:
            self.note(rel, f"not a regular file ({kind}); skipped", "special-file")
        return kind is not None

    def is_file(self, rel: str) -> bool:
        if self._recorders:
            self._record(rel)
        known = self._regular.get(rel)
        if known is None:
            real = self._resolve(rel)
            try:
                known = real is not None and stat.S_ISREG(real.stat().st_mode)
            except OSError:
                known = False
            self._regular[rel] = known
        return known

    def is_dir(self, rel: str) -> bool:
        if self._recorders:
            self._record("dir:" + rel)
        real = self._resolve(rel.rstrip("/") or ".")
        return real is not None and real.is_dir()

    def read_text(self, rel: str) -> str | None:
        """Decoded content of a regular file (``\\r\\n`` folded to ``\\n``), or None."""
        if self._recorders:
            self._record(rel)
        self._read_raw(rel)
        if rel in self._text_cache:
            return self._text_cache[rel]
        data = self.read_bytes(rel)
        text = None if data is None else decode(data)
        self._text_cache[rel] = text
        return text

    def adopt_cache(self, other: KernelTree, changed: set[str]) -> None:
        """Reuse ``other``'s decoded files and scan answers, except for ``changed`` files
        (the same root at the next commit)."""
        for rel, text in other._text_cache.items():  # noqa: SLF001 - same class
            if text is not None and rel not in changed:
                self._text_cache.setdefault(rel, text)
        for (rel, key), hit in other._scan_cache.items():  # noqa: SLF001
            if rel not in changed:
                self._scan_cache.setdefault((rel, key), hit)

    def _read_uncached(self, rel: str) -> str | None:
        data = self.read_bytes(rel)
        return None if data is None else decode(data)

    def read_bytes(self, rel: str) -> bytes | None:
        """Raw content of a regular file inside the tree within the size cap, or None (noted)."""
        self._read_raw(rel)
        if self._recorders:
            self._record(rel)
        real = self._resolve(rel)
        if real is None:
            return None
        try:
            st = real.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.note(rel, f"cannot read: {exc.strerror or exc}")
            return None
        if not stat.S_ISREG(st.st_mode):
            self._skip_special(rel, st.st_mode)
            return None
        if self.too_large(rel, st.st_size):
            return None
        try:
            # O_NONBLOCK|O_NOFOLLOW: should the file have become a FIFO or a
            # symlink since stat(), the open neither blocks nor follows it.
            fd = os.open(real, os.O_RDONLY | OPEN_FLAGS)
        except OSError as exc:
            self.note(rel, f"cannot read: {exc.strerror or exc}")
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                self._skip_special(rel, st.st_mode)
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(self.max_file_bytes + 1)
        except OSError as exc:
            self.note(rel, f"cannot read: {exc.strerror or exc}")
            return None
        finally:
            os.close(fd)
        if self.too_large(rel, len(data)):
            return None
        self.read_stats.setdefault(rel, [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
        return data

    def too_large(self, rel: str, size: int) -> bool:
        """Whether ``size`` is over the size cap; if so the file is noted as skipped."""
        if size <= self.max_file_bytes:
            return False
        self.note(rel, f"file is larger than {self.max_file_bytes} bytes; skipped", "too-large")
        return True

    def canonical(self, rel: str) -> str:
        """``rel`` with the symlinks on its way resolved, tree-relative: the file a person
        edits (6.12's arch/arm64/tools/syscall_64.tbl is a link to scripts/syscall.tbl).
        ``rel`` itself when it is no link, or leads out of the tree. Recorded as the input
        ``link:rel`` even when it is no link: a file replaced by a link to an equal copy
        elsewhere moves the findings placed here."""
        if self._recorders:
            self._record("link:" + rel)
        return self._leads_to(rel)

    def _leads_to(self, rel: str) -> str:
        """:meth:`canonical` without recording it."""
        real = self._resolve(rel)
        if real is None:
            return rel
        try:
            target = real.relative_to(self.root).as_posix()
        except ValueError:
            return rel
        return target if target != "." else rel

    def unreadable(self, rel: str) -> bool:
        """Whether the tree has an entry at ``rel`` that is not served as a file: a link
        out of the tree, a FIFO, a file over the size cap. What it holds is unknown; a
        missing file is another matter."""
        parts = rel.split("/")
        if not rel or rel.startswith("/") or ".." in parts or self.is_file(rel):
            return False
        return os.path.lexists(os.path.join(self.root, *parts))

    def contains(self, rel: str) -> bool:
        """Whether ``rel`` names a place inside the tree (no escaping symlink on the way)."""
        return self._resolve(rel) is not None

    def lines(self, rel: str) -> list[str]:
        """Lines of a file without their newlines (empty when unreadable).

        The list is shared between callers (the checks ask for the same
        headers thousands of times): never modify it.
        """
        text = self.read_text(rel)
        if not text:
            return []
        known = self._lines_cache.get(rel)
        if known is None or known[0] is not text:
            known = self._lines_cache[rel] = (text, text.split("\n"))
        return known[1]

#: Notes for symlinks (tests and docs quote them).
SYMLINK_OUT = "symlink points outside the tree; not followed"
SYMLINK_LOOP = "symlink loop; not followed"
OPEN_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

