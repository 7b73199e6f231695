"""KernelTree: read-only, contained access to a kernel source tree."""

from __future__ import annotations

import logging
import os
import stat
from functools import cached_property
from pathlib import Path
from typing import Iterator

from ckptlint.facts import Location, TreeNote
from ckptlint.findings import printable

LOG = logging.getLogger(__name__)

#: Files larger than this are skipped with a note (the largest wiring file in
#: 6.12, include/linux/syscalls.h, is about 50 KiB; generated tables are < 1 MiB).
MAX_FILE_BYTES = 8 * 1024 * 1024

#: Directories never descended into when walking for sources.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "tools", "Documentation", "samples"})


class TreeError(Exception):
    """The tree cannot be checked at all (not a directory, not a kernel tree)."""


class KernelTree:
    """A kernel source tree opened for reading only.

    Every path handed in or out is tree-relative POSIX. Reads never follow a
    symlink out of the tree, never block on FIFOs or devices, cap file size,
    and decode bytes leniently so one odd file cannot stop a run.
    """

    def __init__(self, root: str | os.PathLike[str], max_file_bytes: int | None = None) -> None:
        path = Path(root)
        if not path.exists():
            raise TreeError(f"{root}: no such directory")
        if not path.is_dir():
            raise TreeError(f"{root}: not a directory")
        self.root = path.resolve()
        if not (self.root / "Makefile").is_file() or not (self.root / "arch").is_dir():
            raise TreeError(f"{root}: not a kernel tree (no top-level Makefile and arch/)")
        #: Files larger than this are skipped with a note.
        self.max_file_bytes = MAX_FILE_BYTES if max_file_bytes is None else max_file_bytes
        self.notes: list[TreeNote] = []
        self._noted: set[tuple[str, int, str]] = set()
        self._text_cache: dict[str, str | None] = {}

    # -- layout -----------------------------------------------------------
    @cached_property
    def srcarches(self) -> list[str]:
        """Directories under arch/ that carry a Kconfig (the SRCARCH values)."""
        out = []
        for entry in sorted(os.scandir(self.root / "arch"), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False) and (Path(entry.path) / "Kconfig").is_file():
                out.append(entry.name)
        return out

    @cached_property
    def era(self) -> str:
        """``modern`` when syscall numbers come from .tbl files, else ``2.6``."""
        if self.is_file("arch/x86/entry/syscalls/syscall_32.tbl") or self.is_file("scripts/syscall.tbl"):
            return "modern"
        return "2.6"

    @cached_property
    def kconfig_root_template(self) -> str:
        """The top Kconfig file: ``Kconfig`` in 2.6.37+, ``arch/$SRCARCH/Kconfig`` before."""
        return "Kconfig" if self.is_file("Kconfig") else "arch/{srcarch}/Kconfig"

    # -- safe access ------------------------------------------------------
    def _resolve(self, rel: str) -> Path | None:
        """Absolute path for ``rel`` if it stays inside the tree, else None (noted)."""
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
        """Resolved ``rel`` if it stays inside the tree; else None (noted at ``rel`` if asked)."""
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
        real = self._resolve(rel)
        try:
            return real is not None and stat.S_ISREG(real.stat().st_mode)
        except OSError:
            return False

    def is_dir(self, rel: str) -> bool:
        real = self._resolve(rel.rstrip("/") or ".")
        return real is not None and real.is_dir()

    def read_text(self, rel: str) -> str | None:
        """Decoded content of a regular file (``\\r\\n`` folded to ``\\n``), or None."""
        if rel in self._text_cache:
            return self._text_cache[rel]
        data = self.read_bytes(rel)
        text = None if data is None else decode(data)
        self._text_cache[rel] = text
        return text

    def read_bytes(self, rel: str) -> bytes | None:
        """Raw content of a regular file inside the tree within the size cap, or None (noted)."""
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
        return None if self.too_large(rel, len(data)) else data

    def too_large(self, rel: str, size: int) -> bool:
        """Whether ``size`` is over the size cap; if so the file is noted as skipped."""
        if size <= self.max_file_bytes:
            return False
        self.note(rel, f"file is larger than {self.max_file_bytes} bytes; skipped", "too-large")
        return True

    def lines(self, rel: str) -> list[str]:
        """Lines of a file without their newlines (empty when unreadable)."""
        text = self.read_text(rel)
        return text.split("\n") if text else []

    # -- walking ----------------------------------------------------------
    def walk(self, suffixes: tuple[str, ...] = (), under: str = "",
             skip: frozenset[str] = SKIP_DIRS, prefixes: tuple[str, ...] = ()) -> Iterator[str]:
        """Tree-relative paths of regular files ending in ``suffixes`` (or whose
        name starts with one of ``prefixes``), sorted.

        Symlinks are never followed while walking; one that leads out of the
        tree or loops is noted, as is a FIFO, socket or device with a wanted
        name. A symlinked file inside the tree is still read when something
        names it explicitly.
        """
        start = self.root / under if under else self.root
        stack = [start]
        found: list[str] = []
        while stack:
            directory = stack.pop()
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                if not entry.name.isprintable():  # a newline or bidi control in a name could forge output
                    self.note(printable(self._rel(entry)), UNPRINTABLE_NAME, "unprintable-name")
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in skip:
                        stack.append(Path(entry.path))
                    continue
                wanted = ((suffixes and entry.name.endswith(suffixes))
                          or (prefixes and entry.name.startswith(prefixes)))
                if entry.is_symlink():
                    self._vet_symlink(entry)
                elif not wanted:
                    continue
                elif entry.is_file(follow_symlinks=False):
                    found.append(self._rel(entry))
                else:
                    self._vet_special(entry)
        return iter(sorted(found))

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


#: Notes for symlinks (tests and docs quote them).
SYMLINK_OUT = "symlink points outside the tree; not followed"
SYMLINK_LOOP = "symlink loop; not followed"
UNPRINTABLE_NAME = "name has non-printable characters; skipped"
OPEN_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


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
