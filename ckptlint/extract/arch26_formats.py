"""Readers shared by the 2.6-era per-arch tables: unistd headers with
``#if`` views (this module), and the positional slot scanner with per-format
row parsers (``ckptlint.extract.asmslots``, re-exported here).

A *row* is a tuple of columns, one symbol per table that includes the line
(``(native, compat)`` for ``CALL(ABI(a, b))``, three columns for powerpc and
s390, one column for a plain ``.long``). See ``ckptlint.extract.arch26`` for
which column feeds which ABI.
"""

from __future__ import annotations

import logging
import re
from typing import Callable

from ckptlint.extract.asmslots import Row, RowParser, Slot, data_row, scan_slots  # noqa: F401 - re-exported
from ckptlint.extract.cexpr import evaluate, macro_lookup
from ckptlint.extract.unistd import UnistdFacts, strip_comments
from ckptlint.facts import Location, SyscallCount, SyscallNumber
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

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
# A header that picks the ABI's own unistd header (2.6.27 sparc, sh: unistd_32.h/unistd_64.h).
_INCLUDE_UNISTD = re.compile(r"^\s*#\s*include\s*<asm/(unistd\w*\.h)>")


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
                zero: frozenset[str] = frozenset(),
                include: Callable[[str], str] | None = None) -> UnistdFacts | None:
    """Numbers and count of ``path`` as seen with ``defined`` macros set.

    Names in ``zero`` (``__NR_SYSCALL_BASE``, ``__NR_Linux``) evaluate to 0 so
    numbers are relative to the ABI's base. With ``include`` (``<asm/NAME>``
    -> path), an active ``#include <asm/unistd*.h>`` is read in place: 2.6.27's
    sparc ``unistd.h`` picks ``unistd_32.h`` or ``unistd_64.h`` by
    ``__arch64__``. None when the file is absent.
    """
    text = tree.read_text(path)
    if text is None:
        return None
    facts = UnistdFacts(abi=abi, path=path)
    macros = dict(defined)
    _read_into(tree, path, text, facts, macros, _evaluator(macros, zero), include, {path})
    return facts


def _read_into(tree: KernelTree, path: str, text: str, facts: UnistdFacts, macros: dict[str, str],
               value: Callable[[str], int | None], include: Callable[[str], str] | None,
               seen: set[str]) -> None:
    """The defines of one header (and of the unistd headers it includes) into ``facts``."""
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
            if undef.group(1).startswith("__NR_"):  # 2.6.12 s390x: #undef __NR_lchown, then 198
                facts.numbers[:] = [n for n in facts.numbers if n.name != undef.group(1)[5:]]
        elif (define := _DEFINE.match(line)):
            macros[define.group(1)] = define.group(2) or ""
            _record(facts, define.group(1), define.group(2) or "", value, Location(path, lineno))
        elif include is not None and (target := _INCLUDE_UNISTD.match(line)):
            inner = include(target.group(1))
            if inner not in seen and (inner_text := tree.read_text(inner)) is not None:
                seen.add(inner)
                _read_into(tree, inner, inner_text, facts, macros, value, include, seen)


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
