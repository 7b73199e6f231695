"""``#define __NR_x N`` headers, ``NR_syscalls`` and ``__SYSCALL(__NR_x, entry)`` pairs."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ckptlint.extract.cexpr import bad_literal, macro_lookup
from ckptlint.facts import Location, SyscallCount, SyscallNumber, TableEntry
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: Per-ABI unistd headers of 2.6-era merged x86 (label, ``<asm/NAME>``):
#: include/asm-x86/ in 2.6.24-2.6.27, arch/x86/include/asm/ from 2.6.28.
X86_HEADERS = (
    ("i386", "unistd_32.h"),
    ("x86_64", "unistd_64.h"),
)

_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)(?:\s+(.*?))?\s*$")
_SYSCALL_PAIR = re.compile(r"^\s*__SYSCALL\s*\(\s*__NR_(\w+)\s*,\s*(\w+)\s*\)")
_IF0 = re.compile(r"^\s*#\s*if\s+0\b")
_IF_ANY = re.compile(r"^\s*#\s*if")
_ENDIF = re.compile(r"^\s*#\s*endif")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/")
# Names under __NR_ that are not syscalls: bases and limits are upper case
# (__NR_SYSCALL_BASE, __NR_Linux), counts are __NR_syscalls/__NR_syscall_max.
_NOT_A_SYSCALL = re.compile(r"^(?:[A-Z]\w*|syscalls|syscall_max|syscall_count)$")
_COUNT_NAMES = ("NR_syscalls", "__NR_syscalls")


@dataclass
class UnistdFacts:
    """What one unistd header says for one ABI."""

    abi: str
    path: str
    numbers: list[SyscallNumber] = field(default_factory=list)
    count: SyscallCount | None = None
    count_expr: tuple[str, Location] | None = None
    pairs: list[TableEntry] = field(default_factory=list)
    ignored: dict[str, Location] = field(default_factory=dict)


def strip_comments(lines: list[str]) -> list[str]:
    """Lines with C comments blanked out, line count preserved."""
    out: list[str] = []
    in_comment = False
    for line in lines:
        text = line
        if in_comment:
            end = text.find("*/")
            if end < 0:
                out.append("")
                continue
            text = " " * (end + 2) + text[end + 2:]
            in_comment = False
        text = _BLOCK_COMMENT.sub(lambda m: " " * len(m.group()), text)
        start = text.find("/*")
        if start >= 0:
            text, in_comment = text[:start], True
        slash = text.find("//")
        if slash >= 0:
            text = text[:slash]
        out.append(text)
    return out


def parse_header(tree: KernelTree, abi: str, path: str) -> UnistdFacts | None:
    """Read one unistd header; None when the file is absent."""
    text = tree.read_text(path)
    if text is None:
        return None  # absent, or unreadable (too big, escaping symlink: noted by the tree)
    raw = text.split("\n")
    facts = UnistdFacts(abi=abi, path=path)
    macros: dict[str, str] = {}
    values: dict[str, int] = {}

    lookup = macro_lookup(macros, values)
    skip_depth = 0
    for lineno, line in enumerate(strip_comments(raw), start=1):
        if skip_depth:
            skip_depth += 1 if _IF_ANY.match(line) else -1 if _ENDIF.match(line) else 0
            continue
        if _IF0.match(line):
            skip_depth = 1
            continue
        refused = _scan_line(facts, line, Location(path, lineno), macros, values, lookup)
        if refused is not None:  # at the line the compiler would refuse
            tree.note(path, f"'{refused}' is not a C integer constant; the number defined here is unknown",
                      "c-syntax", lineno)
    return facts


def _scan_line(facts, line, loc, macros, values, lookup) -> str | None:
    """Record one header line's define or __SYSCALL pair; returns a number-like word of
    a syscall number's define that is no C integer constant (``08``), if any."""
    pair = _SYSCALL_PAIR.match(line)
    if pair:
        nr_name, entry = pair.groups()
        number = lookup("__NR_" + nr_name)
        facts.pairs.append(TableEntry(facts.abi, number if number is not None else -1, entry,
                                      entry_syscall(entry), loc, nr_name=nr_name))
        return
    define = _DEFINE.match(line)
    if not define:
        return
    name, expr = define.group(1), define.group(2) or ""
    macros[name] = expr
    if name.startswith("__IGNORE_"):
        facts.ignored[name[len("__IGNORE_"):]] = loc
        return
    value = lookup(name)
    if value is not None:
        values[name] = value
    if name in _COUNT_NAMES:
        if value is not None:
            facts.count = SyscallCount(facts.abi, value, loc)
        else:
            facts.count_expr = (expr, loc)
    elif name.startswith("__NR_") and not _NOT_A_SYSCALL.match(name[5:]):
        if value is None:
            LOG.debug("%s: cannot evaluate %s = %s", loc, name, expr)
            return bad_literal(expr)
        facts.numbers.append(SyscallNumber(facts.abi, name[5:], value, loc))
    return None


def extract(tree: KernelTree) -> list[UnistdFacts]:
    """All unistd headers this tree's layout has (2.6-era x86 for now)."""
    from ckptlint.extract.asmpath import asm_header

    out = []
    for abi, name in X86_HEADERS:
        facts = parse_header(tree, abi, asm_header(tree, "x86", name))
        if facts is not None:
            out.append(facts)
    return out
