"""Assembly syscall tables: ``.long``/``.quad`` entries whose position is the number."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ckptlint.extract.cexpr import c_integer, shown
from ckptlint.extract.unistd import strip_comments
from ckptlint.facts import Location, TableEntry
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: 2.6-era assembly tables (label, path, the symbol that starts the table).
ASM_TABLES = (
    ("i386", "arch/x86/kernel/syscall_table_32.S", "sys_call_table"),
)

_TABLE_START = re.compile(r"^\s*(?:ENTRY\s*\(\s*(\w+)\s*\)|(\w+)\s*:)")
_SLOT = re.compile(r"^\s*\.(?:long|quad|word|int)\s+(.*?)\s*;?\s*$")
_REPT = re.compile(r"^\s*\.rept\s+(\d+)")
_ENDR = re.compile(r"^\s*\.endr\b")
# The table ends at END(...), a .size directive, or another global label.
_TABLE_END = re.compile(r"^\s*(?:END\s*\(|\.size\b|ENTRY\s*\()")


@dataclass
class AsmTable:
    """One assembly table."""

    abi: str
    path: str
    start: Location | None = None
    entries: list[TableEntry] = field(default_factory=list)


def parse_asm_table(tree: KernelTree, abi: str, path: str, symbol: str) -> AsmTable | None:
    """Entries of the table that starts at ``symbol`` in ``path``; None if absent."""
    text = tree.read_text(path)
    if text is None:
        return None
    table = AsmTable(abi=abi, path=path)
    lines = strip_comments(text.split("\n"))
    position = 0
    rept: tuple[int, list[tuple[str, Location]], Location] | None = None
    for lineno, line in enumerate(lines, start=1):
        loc = Location(path, lineno)
        if table.start is None:
            start = _TABLE_START.match(line)
            if start and symbol in start.groups():
                table.start = loc
            continue
        if _TABLE_END.match(line):
            break
        if rept is None and (m := _REPT.match(line)):
            count = c_integer(m.group(1))
            if count is None:  # 40 digits and more: no assembler takes it
                tree.note(path, f"'.rept {shown(m.group(1))}' is not a count; its body is left out",
                          "c-syntax", lineno)
            rept = (count or 0, [], loc)
            continue
        if rept is not None and _ENDR.match(line):
            count, body, rept_loc = rept
            for _ in range(repeat_count(tree, count, len(table.entries), len(body), rept_loc)):
                for entry, body_loc in body:
                    position = _add(table, position, entry, body_loc)
            rept = None
            continue
        slot = _SLOT.match(line)
        if not slot:
            continue
        for entry in (e.strip() for e in slot.group(1).split(",")):
            if rept is not None:
                rept[1].append((entry, loc))
            else:
                position = _add(table, position, entry, loc)
    return table


#: No real table comes near this (6.12's longest has under 500 slots); a
#: hostile ``.rept 2000000000`` must not be expanded.
MAX_TABLE_SLOTS = 1 << 16


def repeat_count(tree: KernelTree, count: int, have: int, body: int, loc: Location) -> int:
    """How often a ``.rept`` body of ``body`` slots may repeat after ``have`` slots
    without passing MAX_TABLE_SLOTS; when cut, a note at the ``.rept`` line."""
    if body == 0 or have + count * body <= MAX_TABLE_SLOTS:
        return count
    tree.note(loc.path, f"'.rept {count}' would make the table longer than {MAX_TABLE_SLOTS} slots; cut",
              "table-too-long", loc.line)
    return max(0, (MAX_TABLE_SLOTS - have) // body)


def _add(table: AsmTable, position: int, entry: str, loc: Location) -> int:
    table.entries.append(TableEntry(table.abi, position, entry, entry_syscall(entry), loc))
    return position + 1


def extract(tree: KernelTree) -> list[AsmTable]:
    """All assembly tables of this tree's layout."""
    out = []
    for abi, path, symbol in ASM_TABLES:
        table = parse_asm_table(tree, abi, path, symbol)
        if table is not None and table.start is not None:
            out.append(table)
    return out
