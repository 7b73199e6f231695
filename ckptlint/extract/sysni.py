"""Weak syscall fallbacks: ``cond_syscall(sys_x)`` and ``COND_SYSCALL[_COMPAT](x)``.

Comments and preprocessor lines (``#define COND_SYSCALL(name) ...``) are
blanked first; duplicates are kept so that a check can report them.
"""

from __future__ import annotations

import fnmatch
import logging
import re
from typing import Iterable

from ckptlint.extract.prototypes import LineCounter, clean_code
from ckptlint.facts import CondSyscall, Location
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: ``cond_syscall(sys_x)`` (2.6), ``COND_SYSCALL(x)`` / ``COND_SYSCALL_COMPAT(x)`` (4.17+).
#: The word boundary keeps out ``__COND_SYSCALL(`` helpers; the ``\w+`` argument
#: keeps out ``cond_syscall(sys_##name)`` even if a macro body slipped through.
#: ``SYS_NI(x)`` / ``COMPAT_SYS_NI(x)`` are kernel/time/posix-stubs.c's fallbacks for
#: the POSIX timer syscalls before 6.5 (aliases of sys_ni_posix_timers).
_COND_RE = re.compile(r"\b(cond_syscall|COND_SYSCALL_COMPAT|COND_SYSCALL|COMPAT_SYS_NI|SYS_NI)"
                      r"\s*\(\s*(\w+)\s*\)")
_PREFIXES = {"cond_syscall": "", "COND_SYSCALL": "sys_", "COND_SYSCALL_COMPAT": "compat_sys_",
             "SYS_NI": "sys_", "COMPAT_SYS_NI": "compat_sys_"}
#: Other files that hold fallbacks.
_STUB_FILES = ("kernel/time/posix-stubs.c",)
#: Where the fallbacks live: the generic file and any per-arch copy.
_ARCH_GLOB = "*sys_ni*.c"


def sysni_paths(tree: KernelTree) -> list[str]:
    """kernel/sys_ni.c, posix-stubs.c and ``arch/<arch>/kernel/*sys_ni*.c`` when present."""
    paths = [p for p in ("kernel/sys_ni.c",) + _STUB_FILES if tree.is_file(p)]
    for arch in tree.srcarches:
        folder = f"arch/{arch}/kernel"
        if tree.is_dir(folder):
            paths += [p for p in tree.walk((".c",), under=folder, skip=frozenset())
                      if fnmatch.fnmatch(p.rpartition("/")[2], _ARCH_GLOB)]
    return paths


def extract_text(path: str, text: str) -> list[CondSyscall]:
    """Fallback declarations in one file's text, in order."""
    code = clean_code(text)
    line = LineCounter(code)
    return [CondSyscall(function=_PREFIXES[m.group(1)] + m.group(2),
                        loc=Location(path, line(m.start())))
            for m in _COND_RE.finditer(code)]


def extract(tree: KernelTree, paths: Iterable[str] | None = None) -> list[CondSyscall]:
    """Every cond_syscall of the tree (or of ``paths``), by path then line."""
    out: list[CondSyscall] = []
    for path in (sysni_paths(tree) if paths is None else paths):
        out.extend(file_fallbacks(tree, path))
    LOG.debug("%d cond_syscall entries", len(out))
    return out


#: The projection (``KernelTree.project``) that :func:`file_fallbacks` is.
FALLBACKS = "cond_syscalls"


def file_fallbacks(tree: KernelTree, path: str) -> list[CondSyscall]:
    """The fallback declarations of one file of the tree (none when it cannot be read)."""
    return tree.project(FALLBACKS, path, lambda: extract_text(path, tree.read_text(path) or ""))
