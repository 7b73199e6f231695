"""An arch's own overrides of a shared ``.tbl``: renamed numbers and entries.

Arches that build their table from ``scripts/syscall.tbl`` (6.11+) may say
in their ``uapi/asm/unistd.h`` that a number goes by another name (6.12 csky
and hexagon: ``#define __NR_sync_file_range2 84`` and ``#undef
__NR_sync_file_range``), and in the C file that expands the table that an
entry is another function (``#define sys_sync_file_range
sys_sync_file_range2``). Only unconditional lines are taken here; a rename
under ``#if`` stays a conditional alias (``FactGraph.entry_aliases``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ckptlint.extract.cexpr import c_integer
from ckptlint.extract.ppcond import condition_at
from ckptlint.facts import Location
from ckptlint.tree import KernelTree

_NUMBER = re.compile(r"^[ \t]*#[ \t]*define[ \t]+__NR_(\w+)[ \t]+(\d+)[ \t]*(?:/[*/].*)?$", re.M)
_UNDEF = re.compile(r"^[ \t]*#[ \t]*undef[ \t]+__NR_(\w+)[ \t]*$", re.M)
_ENTRY = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(sys_\w+)[ \t]+(sys_\w+)[ \t]*$", re.M)
#: Where the table is expanded: a C file that includes a generated syscall table.
_EXPANDS = re.compile(r"#\s*include\s*<asm/syscall_table[\w]*\.h>")


@dataclass
class Overrides:
    """One arch's renames: number -> (name, where said), dropped names, entry -> entry."""

    numbers: dict[int, tuple[str, Location]] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    entries: dict[str, str] = field(default_factory=dict)


def overrides(tree: KernelTree, srcarch: str) -> Overrides:
    """The unconditional number and entry renames of ``srcarch``."""
    out = Overrides()
    for header in (f"arch/{srcarch}/include/uapi/asm/unistd.h", f"arch/{srcarch}/include/asm/unistd.h"):
        text = tree.read_text(header) if tree.is_file(header) else None
        if not text:
            continue
        for match in _UNDEF.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            if condition_at(tree, header, line) == "y":
                out.dropped.add(match.group(1))
        for match in _NUMBER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            if condition_at(tree, header, line) == "y":
                number = c_integer(match.group(2))
                if number is not None:
                    out.numbers.setdefault(number, (match.group(1), Location(header, line)))
    kernel = f"arch/{srcarch}/kernel"
    for path in tree.walk((".c",), under=kernel, skip=frozenset({"*"})) if tree.is_dir(kernel) else ():
        text = tree.read_text(path) or ""
        if not _EXPANDS.search(text):
            continue
        for match in _ENTRY.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            if condition_at(tree, path, line) == "y":
                out.entries[match.group(1)] = match.group(2)
    return out
