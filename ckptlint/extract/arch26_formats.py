"""Readers shared by the 2.6-era per-arch tables: unistd headers with
``#if`` views, and a positional slot scanner with per-format row parsers.

A *row* is a tuple of columns, one symbol per table that includes the line
(``(native, compat)`` for ``CALL(ABI(a, b))``, three columns for powerpc and
s390, one column for a plain ``.long``). See ``ckptlint.extract.arch26`` for
which column feeds which ABI.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Callable

from ckptlint.extract.cexpr import evaluate, macro_lookup
from ckptlint.extract.unistd import UnistdFacts, strip_comments
from ckptlint.extract.tables import repeat_count
from ckptlint.facts import Location, SyscallCount, SyscallNumber
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

Row = tuple[str, ...]
RowParser = Callable[[str], list[Row]]

_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)(?:\s+(.*?))?\s*$")
_UNDEF = re.compile(r"^\s*#\s*undef\s+(\w+)")
_COND = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b\s*(.*?)\s*$")
_DEFINED = re.compile(r"\bdefined\s*(?:\(\s*(\w+)\s*\)|(\w+))")
# __NR_ names that are not syscalls: upper-case or digit-led bases and limits
# (__NR_SYSCALL_BASE, __NR_Linux, __NR_O32_Linux_syscalls, __NR_64_Linux) and counts.
_NOT_A_SYSCALL = re.compile(r"^(?:[A-Z0-9]\w*|syscalls|syscall_max|syscall_count)$")
# A count defined as another __NR_ name (blackfin: NR_syscalls __NR_syscall).
_COUNT_ALIAS = re.compile(r"^\(?\s*__NR_(\w+)\s*\)?$")
#: Count macros; the mips/parisc ``__NR_Linux_syscalls`` is the last number
#: (mips, 2.6) or last+1 (parisc) and is normalised by the caller.
COUNT_NAMES = ("NR_syscalls", "__NR_syscalls", "NR_SYSCALLS", "__NR_syscall_count",
               "__NR_Linux_syscalls")

# Assembly directives of a table.
_EQU = re.compile(r"^\s*\.(?:equ|set)\s+(\w+)\s*,\s*(.+?)\s*$")
_REPT = re.compile(r"^\s*\.rept\s+(.+?)\s*$")
_ENDR = re.compile(r"^\s*\.endr\b")
# (. - table) / N: the number of slots emitted so far (m68knommu, blackfin).
_DOT_MINUS = re.compile(r"\(\s*\.\s*-\s*\w+\s*\)\s*/\s*\d+")
# A table ends at END()/ENDPROC()/ENTRY(), .size, .endm, or a new named label
# once slots have been seen (sparc64 has two labels on one table's head).
_TABLE_END = re.compile(r"^\s*(?:END\s*\(|ENDPROC\s*\(|ENTRY\s*\(|\.size\b|\.endm\b|[A-Za-z_]\w*\s*:)")
# Data rows: several comma-separated symbols may share one directive.
# Operands stop at an assembler line comment: ; (cris), # (mips), | (m68k), @ (arm).
_DATA = re.compile(r"^\s*(?:\.long|\.word|\.quad|\.dword|\.int|data8|PTR)\s+([^;#|@]+)")
_SYMBOL_NAME = re.compile(r"SYMBOL_NAME\s*\(\s*(\w+)\s*\)")
# A slot value: a symbol (dots allowed for ppc64 descriptors) or a literal 0.
_ITEM = re.compile(r"^[A-Za-z_.$][\w.$]*$|^0$")


@dataclass(frozen=True)
class Slot:
    """One table slot: its columns and the line that emits it."""

    cols: Row
    loc: Location


def cond_true(expr: str, macros: dict[str, str], value: Callable[[str], int | None]) -> bool:
    """Truth of a ``#if`` expression: defined(), !, &&, ||, ==, != over integers."""
    text = _DEFINED.sub(lambda m: "1" if (m.group(1) or m.group(2)) in macros else "0", expr)
    return any(all(_atom(part, macros, value) for part in _split(alt, "&&"))
               for alt in _split(text, "||"))


def _split(text: str, op: str) -> list[str]:
    """Split on ``op`` outside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0 and text.startswith(op, i):
            parts.append(text[start:i])
            start = i = i + len(op)
            continue
        i += 1
    return parts + [text[start:]]


def _atom(text: str, macros: dict[str, str], value: Callable[[str], int | None]) -> bool:
    """One conjunct: negation, parenthesised group, comparison or integer."""
    text = text.strip()
    if text.startswith("!") and not text.startswith("!="):
        return not _atom(text[1:], macros, value)
    if text.startswith("(") and _closing(text) == len(text) - 1:
        return cond_true(text[1:-1], macros, value)
    for op in ("==", "!="):
        sides = _split(text, op)
        if len(sides) == 2:
            lhs, rhs = (evaluate(s, lambda n: value(n) or 0) for s in sides)
            return (lhs == rhs) == (op == "==")
    return bool(evaluate(text, lambda n: value(n) or 0))


def _closing(text: str) -> int:
    """Index of the parenthesis closing the one at ``text[0]`` (-1 if none)."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index
    return -1


def read_unistd(tree: KernelTree, abi: str, path: str, defined: dict[str, str],
                zero: frozenset[str] = frozenset()) -> UnistdFacts | None:
    """Numbers and count of ``path`` as seen with ``defined`` macros set.

    Names in ``zero`` (``__NR_SYSCALL_BASE``, ``__NR_Linux``) evaluate to 0 so
    numbers are relative to the ABI's base. None when the file is absent.
    """
    text = tree.read_text(path)
    if text is None:
        return None
    facts = UnistdFacts(abi=abi, path=path)
    macros = dict(defined)
    value = _evaluator(macros, zero)
    stack: list[tuple[bool, bool]] = []  # (this branch active, some branch taken)
    for lineno, line in enumerate(strip_comments(text.split("\n")), start=1):
        cond = _COND.match(line)
        if cond:
            _step(stack, cond.group(1), cond.group(2), macros, value)
            continue
        if stack and not stack[-1][0]:
            continue
        if (undef := _UNDEF.match(line)):
            macros.pop(undef.group(1), None)
        elif (define := _DEFINE.match(line)):
            macros[define.group(1)] = define.group(2) or ""
            _record(facts, define.group(1), define.group(2) or "", value, Location(path, lineno))
    return facts


def _evaluator(macros: dict[str, str], zero: frozenset[str]) -> Callable[[str], int | None]:
    """A name -> value lookup over ``macros`` (recursive, cycle-safe); ``zero`` names are 0."""
    return macro_lookup(macros, dict.fromkeys(zero, 0))


def _step(stack: list[tuple[bool, bool]], kind: str, arg: str, macros: dict[str, str],
          value: Callable[[str], int | None]) -> None:
    """Update the conditional stack (branch active, some branch taken) for one directive."""
    if kind in ("if", "ifdef", "ifndef"):
        parent = all(active for active, _ in stack)
        name = arg.split()[0] if arg.split() else ""
        truth = (name in macros if kind == "ifdef" else name not in macros if kind == "ifndef"
                 else cond_true(arg, macros, value))
        stack.append((parent and truth, truth))
    elif stack and kind in ("elif", "else"):
        _, taken = stack.pop()
        parent = all(active for active, _ in stack)
        truth = not taken and (kind == "else" or cond_true(arg, macros, value))
        stack.append((parent and truth, taken or truth))
    elif stack and kind == "endif":
        stack.pop()


def _record(facts: UnistdFacts, name: str, expr: str, value: Callable[[str], int | None],
            loc: Location) -> None:
    """Store a define as a syscall number or count when it is one."""
    if name in COUNT_NAMES:
        number = value(name)
        if number is not None and facts.count is None:  # keep the first (ppc: __NR_syscalls)
            facts.count = SyscallCount(facts.abi, number, loc)
            alias = _COUNT_ALIAS.match(expr)
            if alias:  # the aliased name is a limit, not a syscall
                facts.numbers[:] = [n for n in facts.numbers
                                    if not (n.name == alias.group(1) and n.number == number)]
        return
    if not name.startswith("__NR_") or _NOT_A_SYSCALL.match(name[5:]):
        return
    number = value(name)
    if number is None:
        LOG.debug("%s: cannot evaluate %s", loc, name)
        return
    facts.numbers.append(SyscallNumber(facts.abi, name[5:], number, loc))


def scan_slots(tree: KernelTree, path: str, row: RowParser, start: re.Pattern[str] | None,
               nr_syscalls: int | None = None) -> list[Slot] | None:
    """Slots of the table in ``path`` that begins at the line ``start`` matches.

    With ``start`` None the whole file is the table (an included list). The
    first branch of every ``#if`` is taken (the option the table was written
    for) except ``#if 0``. ``.rept``/``.equ`` are expanded; ``NR_syscalls``
    is ``nr_syscalls`` when given, else the slots emitted so far (arm's
    self-counting first pass). None when the file or the start is absent.
    """
    text = tree.read_text(path)
    if text is None:
        return None
    slots: list[Slot] = []
    symbols: dict[str, int] = {}
    rept: tuple[int, list[Slot], Location] | None = None
    stack: list[tuple[bool, bool]] = []
    started = start is None
    for lineno, line in enumerate(strip_comments(text.split("\n")), start=1):
        if _table_cond(stack, line) or not all(active for active, _ in stack):
            continue
        if not started:
            started = bool(start.match(line))
            continue
        if slots and _TABLE_END.match(line):
            break
        lookup = _asm_lookup(symbols, slots, nr_syscalls)
        if (equ := _EQU.match(line)):
            if (val := evaluate(_dot(equ.group(2), slots), lookup)) is not None:
                symbols[equ.group(1)] = val
        elif rept is None and (m := _REPT.match(line)):
            loc = Location(path, lineno)
            rept = (_rept_count(m.group(1), slots, lookup, loc), [], loc)
        elif rept is not None and _ENDR.match(line):
            count, body, loc = rept
            slots.extend(body * repeat_count(tree, count, len(slots), len(body), loc))
            rept = None
        else:
            target = rept[1] if rept is not None else slots
            target.extend(Slot(cols, Location(path, lineno)) for cols in row(line))
    return slots if started else None


def _table_cond(stack: list[tuple[bool, bool]], line: str) -> bool:
    """Track ``#if`` nesting for a table (first branch wins, ``#if 0`` loses);
    True if ``line`` was a conditional. Entries are (active, taken)."""
    cond = _COND.match(line)
    if not cond:
        return False
    kind = cond.group(1)
    if kind.startswith("if"):
        truth = not (kind == "if" and cond.group(2).strip() == "0")
        stack.append((truth, truth))
    elif stack and kind in ("elif", "else"):
        taken = stack[-1][1]
        stack[-1] = (not taken, True)
    elif stack and kind == "endif":
        stack.pop()
    return True


def _asm_lookup(symbols: dict[str, int], slots: list[Slot],
                nr_syscalls: int | None) -> Callable[[str], int | None]:
    """Values of assembler symbols; NR_syscalls from the header or the slot count."""
    def lookup(name: str) -> int | None:
        if name in symbols:
            return symbols[name]
        if name == "NR_syscalls":
            return nr_syscalls if nr_syscalls is not None else len(slots)
        return None
    return lookup


def _dot(expr: str, slots: list[Slot]) -> str:
    """Replace ``(. - table) / N`` by the number of slots emitted so far."""
    return _DOT_MINUS.sub(str(len(slots)), expr)


def _rept_count(expr: str, slots: list[Slot], lookup: Callable[[str], int | None],
                loc: Location) -> int:
    """Repeat count of a ``.rept`` (0 with a debug note when not constant)."""
    count = evaluate(_dot(expr, slots), lookup)
    if count is None or count < 0:
        LOG.debug("%s: cannot evaluate .rept %s", loc, expr)
        return 0
    return count


def data_row(line: str) -> list[Row]:
    """``.long a, b`` / ``.word`` / ``.quad`` / ``data8`` / ``PTR``: one row per symbol."""
    match = _DATA.match(_SYMBOL_NAME.sub(r"\1", line))
    if not match:
        return []
    items = [item.strip() for item in match.group(1).split(",")]
    # Only symbols or 0: `.long 1b, fixup` exception rows never reach here
    # (they sit outside tables) but expressions would not be slot names.
    return [(item,) for item in items if _ITEM.match(item)]
