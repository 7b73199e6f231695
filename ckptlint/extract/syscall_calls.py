"""Calls of ``sys_*()`` functions from C code of the kernel itself.

Only the call sites: ``sys_name(`` where the line is no definition, prototype,
macro or fallback. Which of the names are syscall entry points is the graph's
business (the definitions); userspace and build code (``tools/``, ``samples/``,
``scripts/``, ``usr/``, ``Documentation/``) is not kernel code and is not read.
"""

from __future__ import annotations

import re
from typing import Iterator

from ckptlint.facts import Location
from ckptlint.tree import KernelTree

#: Not kernel code: userspace tools, samples, build scripts, the initramfs helpers.
_OUTSIDE = frozenset({"tools", "samples", "scripts", "usr", "Documentation"})
_CALL = re.compile(r"(?<![\w.>&])(sys_\w+)\s*\(")
#: Lines that declare, define or stand for a syscall rather than call it.
_NOT_A_CALL = re.compile(r"^\s*(?:#|\*|/\*|//)|SYSCALL_DEFINE|SYSCALL32_DEFINE|asmlinkage|"
                         r"cond_syscall|COND_SYSCALL|SYSCALL_ALIAS|__SYSCALL|EXPORT_SYMBOL")


#: Comments and string literals, blanked (their newlines kept) before calls are looked for.
_NOISE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def extract(tree: KernelTree) -> Iterator[tuple[str, Location]]:
    """(called function, where) for every ``sys_*()`` call in the kernel's C files."""
    for path in tree.walk((".c",)):
        if path.split("/", 1)[0] in _OUTSIDE:
            continue
        data = tree.read_bytes(path)
        if not data or b"sys_" not in data:
            continue
        text = _NOISE.sub(_blank, "\n".join(tree.lines(path)))
        for number, line in enumerate(text.split("\n"), start=1):
            if "sys_" not in line or _NOT_A_CALL.search(line):
                continue
            for match in _CALL.finditer(line):
                if _declares(line, match.start()):
                    continue
                yield match.group(1), Location(path, number)


def _declares(line: str, start: int) -> bool:
    """Whether the name at ``start`` is declared or defined, not called: a type before it
    (``int sys_fork(``), or alone at the start of a line that does not end a statement (the
    old style, its return type on the line above)."""
    before = line[:start].rstrip()
    if not before:
        return not line.rstrip().endswith(";")
    return bool(re.search(r"[\w*]$", before)) and not re.search(r"\b(?:return|else|do)$", before)
