"""A positional scanner for assembly syscall tables, with per-format row parsers.

A table is the run of data rows after the line its ``start`` pattern matches
(or the whole file, for an included list) up to an end marker. What it
understands of the assembler and the preprocessor, all seen in real tables:

* ``.rept N`` ... ``.endr`` padding, ``.equ``/``.set`` symbols, and sizes
  written as ``(. - table) / W`` or ``(end_label - start_label) / W`` (a slot
  count: arm's ``__syscall_end - __syscall_start``, x86_64's ia32
  ``ia32_syscall_end - ia32_sys_call_table``);
* an end label that a following ``.rept`` measures the table with does not
  end the table (arm 2.6.12 ``__syscall_end:``, ia32 2.6.12 ``ia32_syscall_end:``);
* ``#if`` blocks: the first branch is the table's (``#if 0`` loses), except
  that ``#ifdef``/``#ifndef`` of a name in ``defined`` is decided;
* a file included twice (arm's ``calls.S``: ``#ifndef NR_syscalls`` /
  ``#define NR_syscalls 320`` / ``#else`` <table> in 2.6.12, the padding
  ``.equ`` under ``#ifndef syscalls_counted`` in 2.6.16+): with ``twice``
  the first pass's ``#define``s and symbols are in force for the second,
  whose rows are the table.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Callable

from ckptlint.extract.cexpr import evaluate
from ckptlint.extract.tables import repeat_count
from ckptlint.extract.unistd import strip_comments
from ckptlint.facts import Location
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

Row = tuple[str, ...]
RowParser = Callable[[str], list[Row]]

_COND = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b\s*(.*?)\s*$")
_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)(?:\s+(.*?))?\s*$")
# A one-parameter macro whose body is one symbol: frv's `#define __MMU(X) X`
# (`#else` sys_ni_syscall) wraps rows as `.long __MMU(sys_mprotect)`. Row
# macros with longer bodies (powerpc's SYSCALL(func)) are the row parsers' job.
_FUNC_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)\(\s*(\w+)\s*\)\s+(\w+)\s*$")
_FUNC_USE = re.compile(r"\b([A-Za-z_]\w*)\s*\(\s*(\w+)\s*\)")
_EQU = re.compile(r"^\s*\.(?:equ|set)\s+(\w+)\s*,\s*(.+?)\s*$")
_REPT = re.compile(r"^\s*\.rept\s+(.+?)\s*$")
_ENDR = re.compile(r"^\s*\.endr\b")
# (. - table) / W or (label - table) / W: a slot count (m68knommu, blackfin, arm, ia32).
_SIZE = re.compile(r"\(\s*(\.|\w+)\s*-\s*(\w+)\s*\)\s*/\s*\d+")
# A table ends at END()/ENDPROC()/ENTRY()/_GLOBAL() (ppc, ppc64: the next
# table or function), .size, .endm, or a new named label once slots have
# been seen (sparc64 has two labels on one table's head).
_TABLE_END = re.compile(r"^\s*(?:END\s*\(|ENDPROC\s*\(|ENTRY\s*\(|_GLOBAL\s*\(|\.size\b|\.endm\b"
                        r"|[A-Za-z_]\w*\s*:)")
_LABEL = re.compile(r"^\s*([A-Za-z_]\w*)\s*:\s*$")
# Data rows: several comma-separated symbols may share one directive (.llong: ppc64).
# Operands stop at an assembler line comment: ; (cris), # (mips), | (m68k), @ (arm).
_DATA = re.compile(r"^\s*(?:\.long|\.word|\.quad|\.llong|\.dword|\.int|data8|PTR)\s+([^;#|@]+)")
# Symbol-name macros of the C namespace: SYMBOL_NAME (2.4-era), v850's CSYM/C_SYMBOL_NAME.
_SYMBOL_NAME = re.compile(r"\b(?:SYMBOL_NAME|C_SYMBOL_NAME|CSYM)\s*\(\s*(\w+)\s*\)")
# A slot value: a symbol (dots allowed for ppc64 descriptors) or a literal 0.
_ITEM = re.compile(r"^[A-Za-z_.$][\w.$]*$|^0$")


@dataclass(frozen=True)
class Slot:
    """One table slot: its columns and the line that emits it."""

    cols: Row
    loc: Location


@dataclass
class _Pass:
    """One pass over a table file: what it emits and what it defines."""

    path: str
    row: RowParser
    nr_syscalls: int | None
    symbols: dict[str, int]
    defined: frozenset[str]
    slots: list[Slot] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    defines: set[str] = field(default_factory=set)
    #: one-parameter symbol macros (name -> (parameter, body)), see _FUNC_DEFINE
    wrappers: dict[str, tuple[str, str]] = field(default_factory=dict)
    rept: tuple[int, list[Slot], Location] | None = None

    def lookup(self, name: str) -> int | None:
        """Assembler symbols; NR_syscalls from the header or the slot count."""
        if name in self.symbols:
            return self.symbols[name]
        if name == "NR_syscalls":
            return self.nr_syscalls if self.nr_syscalls is not None else len(self.slots)
        return None

    def size(self, expr: str) -> str:
        """``(. - t) / W`` and ``(label - t) / W`` replaced by slot counts."""
        def count(match: re.Match[str]) -> str:
            head, tail = match.groups()
            end = len(self.slots) if head == "." else self.labels.get(head)
            return match.group(0) if end is None else str(end - self.labels.get(tail, 0))
        return _SIZE.sub(count, expr)

    def wrapper(self, line: str) -> bool:
        """Record a ``#define M(X) sym`` line; True if it was one."""
        if (match := _FUNC_DEFINE.match(line)):
            self.wrappers[match.group(1)] = (match.group(2), match.group(3))
        return match is not None

    def unwrap(self, line: str) -> str:
        """``M(x)`` of a recorded symbol macro replaced by its expansion."""
        def expand(match: re.Match[str]) -> str:
            if match.group(1) not in self.wrappers:
                return match.group(0)
            param, body = self.wrappers[match.group(1)]
            return match.group(2) if body == param else body
        return _FUNC_USE.sub(expand, line) if self.wrappers else line

    def line(self, tree: KernelTree, line: str, lineno: int) -> None:
        """One active line inside the table."""
        if self.wrapper(line):
            return
        line = self.unwrap(line)
        if (define := _DEFINE.match(line)):
            self.defines.add(define.group(1))
            if (val := evaluate(define.group(2) or "", self.lookup)) is not None:
                self.symbols[define.group(1)] = val
        elif (equ := _EQU.match(line)):
            if (val := evaluate(self.size(equ.group(2)), self.lookup)) is not None:
                self.symbols[equ.group(1)] = val
        elif (label := _LABEL.match(line)):
            self.labels[label.group(1)] = len(self.slots)
        elif self.rept is None and (m := _REPT.match(line)):
            loc = Location(self.path, lineno)
            self.rept = (self.rept_count(m.group(1), loc), [], loc)
        elif self.rept is not None and _ENDR.match(line):
            count, body, loc = self.rept
            self.slots.extend(body * repeat_count(tree, count, len(self.slots), len(body), loc))
            self.rept = None
        else:
            target = self.rept[1] if self.rept is not None else self.slots
            target.extend(Slot(cols, Location(self.path, lineno)) for cols in self.row(line))

    def rept_count(self, expr: str, loc: Location) -> int:
        """Repeat count of a ``.rept`` (0 with a debug note when not constant)."""
        count = evaluate(self.size(expr), self.lookup)
        if count is None or count < 0:
            LOG.debug("%s: cannot evaluate .rept %s", loc, expr)
            return 0
        return count


def scan_slots(tree: KernelTree, path: str, row: RowParser, start: re.Pattern[str] | None,
               nr_syscalls: int | None = None, constants: dict[str, int] | None = None,
               twice: bool = False) -> list[Slot] | None:
    """Slots of the table in ``path`` that begins at the line ``start`` matches.

    With ``start`` None the whole file is the table (an included list).
    ``NR_syscalls`` is ``nr_syscalls`` when given, else the slots emitted so
    far (arm's self-counting first pass); ``constants`` are header values the
    table's file sees (x86_64's ``IA32_NR_syscalls``). None when the file or
    the start is absent.
    """
    text = tree.read_text(path)
    if text is None:
        return None
    lines = strip_comments(text.split("\n"))
    first = _Pass(path, row, nr_syscalls, dict(constants or {}), frozenset())
    if not _run(tree, lines, start, first):
        return None
    if not twice:
        return first.slots
    second = _Pass(path, row, nr_syscalls, first.symbols, frozenset(first.defines))
    _run(tree, lines, start, second)
    return second.slots


def _run(tree: KernelTree, lines: list[str], start: re.Pattern[str] | None, scan: _Pass) -> bool:
    """Feed the table's lines to ``scan``; False if ``start`` never matched."""
    stack: list[tuple[bool, bool]] = []
    started = start is None
    for index, line in enumerate(lines):
        if _table_cond(stack, line, scan.defined) or not all(active for active, _ in stack):
            continue
        if not started:
            scan.wrapper(line)  # symbol macros defined before the table apply to its rows
            started = bool(start.match(line))
            continue
        if scan.slots and _TABLE_END.match(line) and not _measured_end(line, lines, index):
            break
        scan.line(tree, line, index + 1)
    return started


def _measured_end(line: str, lines: list[str], index: int) -> bool:
    """Whether ``line`` is an end label that the next non-blank line's ``.rept`` measures."""
    label = _LABEL.match(line)
    if not label:
        return False
    following = next((text for text in lines[index + 1:] if text.strip()), "")
    rept = _REPT.match(following)
    return bool(rept) and re.search(rf"\b{re.escape(label.group(1))}\b", rept.group(1)) is not None


def _table_cond(stack: list[tuple[bool, bool]], line: str, defined: frozenset[str]) -> bool:
    """Track ``#if`` nesting for a table; True if ``line`` was a conditional.

    Entries are (active, taken). The first branch wins and ``#if 0`` loses,
    but ``#ifdef``/``#ifndef`` of a name in ``defined`` is decided by it.
    """
    cond = _COND.match(line)
    if not cond:
        return False
    kind, arg = cond.group(1), cond.group(2).strip()
    if kind.startswith("if"):
        name = arg.split()[0] if arg.split() else ""
        truth = not (kind == "if" and arg == "0")
        if kind in ("ifdef", "ifndef") and name in defined:
            truth = (kind == "ifdef")
        stack.append((truth, truth))
    elif stack and kind in ("elif", "else"):
        taken = stack[-1][1]
        stack[-1] = (not taken, True)
    elif stack and kind == "endif":
        stack.pop()
    return True


def data_row(line: str) -> list[Row]:
    """``.long a, b`` / ``.word`` / ``.quad`` / ``.llong`` / ``data8`` / ``PTR``: one row per symbol."""
    match = _DATA.match(_SYMBOL_NAME.sub(r"\1", line))
    if not match:
        return []
    items = [item.strip() for item in match.group(1).split(",")]
    # Only symbols or 0: `.long 1b, fixup` exception rows never reach here
    # (they sit outside tables) but expressions would not be slot names.
    return [(item,) for item in items if _ITEM.match(item)]
