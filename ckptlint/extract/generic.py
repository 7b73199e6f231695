"""``asm-generic/unistd.h`` tables: one AbiTable per arch that includes the generic list.

An arch uses the generic list when its ``arch/<a>/include/uapi/asm/unistd.h``
(or 2.6's ``arch/<a>/include/asm/unistd.h``) includes ``<asm-generic/unistd.h>``
and it has no ``kernel/Makefile.syscalls`` (6.11+ arches are read by
``ckptlint.extract.tbl``). The headers are run through a small preprocessor
that follows the arch's kernel ``asm/unistd.h`` -> ``uapi/asm/unistd.h`` ->
``asm-generic/unistd.h`` chain, so ``#define __ARCH_WANT_X`` decides which
``#ifdef __ARCH_WANT_X`` blocks count, and arch additions after the include
(``__NR_arch_specific_syscall + n``) are read too.

Assumptions, per view: ``__BITS_PER_LONG`` is the arch's bitness from
``BITS`` (unknown arches: 32), ``__LP64__`` follows it, ``__KERNEL__`` and
``__SYSCALL`` are defined, ``__SYSCALL_COMPAT`` is not, and every
``CONFIG_`` test is taken as true (a configuration with the feature on).
"""

from __future__ import annotations

import logging
import operator
import re
from dataclasses import dataclass, field

from ckptlint.extract.asmpath import asm_header
from ckptlint.extract.cexpr import evaluate
from ckptlint.extract.tbl import label_for
from ckptlint.extract.unistd import strip_comments
from ckptlint.facts import AbiTable, Location, SyscallCount, SyscallNumber, TableEntry
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

GENERIC_HEADERS = ("include/uapi/asm-generic/unistd.h", "include/asm-generic/unistd.h")

#: Bitness of each generic-unistd arch; riscv (and tile) build both a 64-bit
#: and a 32-bit kernel. Arches not listed are taken as 32-bit.
BITS: dict[str, tuple[int, ...]] = {
    "arm64": (64,), "loongarch": (64,), "riscv": (64, 32), "tile": (64, 32),
    "arc": (32,), "csky": (32,), "hexagon": (32,), "nios2": (32,), "openrisc": (32,),
    "score": (32,), "c6x": (32,), "unicore32": (32,), "metag": (32,), "h8300": (32,),
}

_INCLUDES_GENERIC = re.compile(r"^\s*#\s*include\s*<asm-generic/unistd\.h>", re.M)
_INCLUDES_UAPI = re.compile(r"^\s*#\s*include\s*<uapi/asm/unistd\.h>", re.M)
_DIRECTIVE = re.compile(r"^\s*#\s*(\w+)\s*(.*?)\s*$")
# Function-like macros are defined as "NAME(" with no space before the paren.
_DEFINE = re.compile(r"^([A-Za-z_]\w*)(\()?\s*(.*)$")
_INCLUDE = re.compile(r"^[<\"]([^>\"]+)[>\"]")
_INVOCATION = re.compile(r"^\s*(__SYSCALL|__SC_COMP_3264|__SC_COMP|__SC_3264)\s*\((.*)\)")
_IDENT = re.compile(r"^[A-Za-z_]\w*$")
_DEFINED = re.compile(r"\bdefined\s*(?:\(\s*(\w+)\s*\)|(\w+))|\bIS_ENABLED\s*\(\s*(\w+)\s*\)")
_COND_TOKEN = re.compile(r"\s*(\|\||&&|==|!=|<=|>=|[<>!()]|\d+[uUlL]*|[A-Za-z_]\w*)")
# Not syscalls although spelt __NR_x: upper-case bases, the count, and the
# base of arch-specific numbers.
_NOT_A_SYSCALL = re.compile(r"^(?:[A-Z]\w*|syscalls|arch_specific_syscall)$")
_COMPAT_COUNT = re.compile(r"^\s*#\s*define\s+__NR_compat_syscalls\s+(\S+)", re.M)


@dataclass
class _Pair:
    """A table slot before its ``__NR3264_`` name is resolved."""

    macro: str
    number: int
    entry: str
    compat: str | None
    loc: Location


@dataclass
class _Pre:
    """A minimal preprocessor over unistd headers for one view."""

    tree: KernelTree
    srcarch: str
    bits: int
    label: str
    macros: dict[str, str] = field(default_factory=dict)
    numbers: list[SyscallNumber] = field(default_factory=list)
    pairs: list[_Pair] = field(default_factory=list)
    ignored: dict[str, Location] = field(default_factory=dict)
    count: SyscallCount | None = None
    seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        """Predefine what the kernel build defines for this view."""
        self.macros.update({"__SYSCALL": "", "__KERNEL__": "1", "__BITS_PER_LONG": str(self.bits)})
        if self.bits == 64:
            self.macros["__LP64__"] = "1"

    def value(self, name: str, depth: int = 0) -> int | None:
        """Integer value of a macro, or None."""
        if name not in self.macros or depth > 20:
            return None
        return evaluate(self.macros[name], lambda n: self.value(n, depth + 1))

    def run(self, path: str, record: bool) -> None:
        """Preprocess one file; ``record`` says whether its __NR_ defines and slots count."""
        if path in self.seen:
            return
        self.seen.add(path)
        stack: list[list[bool]] = []  # per #if: [parent active, some branch taken, this active]
        for lineno, line in _logical_lines(self.tree.lines(path)):
            active = not stack or stack[-1][2]
            directive = _DIRECTIVE.match(line)
            if directive:
                self.directive(stack, active, directive.group(1), directive.group(2),
                               Location(path, lineno), record)
            elif active and record:
                self.invocation(line, Location(path, lineno))

    def directive(self, stack: list[list[bool]], active: bool, kind: str, rest: str,
                  loc: Location, record: bool) -> None:
        """Apply one ``#`` line."""
        if kind == "if":
            take = active and self.condition(rest)
            stack.append([active, take, take])
        elif kind in ("ifdef", "ifndef"):
            known = bool(rest) and self.condition(f"defined({rest.split()[0]})")
            take = active and known == (kind == "ifdef")
            stack.append([active, take, take])
        elif kind in ("elif", "else") and stack:
            frame = stack[-1]
            take = frame[0] and not frame[1] and (kind == "else" or self.condition(rest))
            frame[1], frame[2] = frame[1] or take, take
        elif kind == "endif" and stack:
            stack.pop()
        elif not active:
            return
        elif kind == "define":
            self.define(rest, loc, record)
        elif kind == "undef" and rest and rest not in ("__SYSCALL",):
            self.macros.pop(rest.split()[0], None)
        elif kind == "include" and (target := _INCLUDE.match(rest)):
            self.include(target.group(1))

    def include(self, name: str) -> None:
        """Follow the two includes that matter; others are system headers."""
        if name == "asm-generic/unistd.h":
            path = next((p for p in GENERIC_HEADERS if self.tree.is_file(p)), None)
            if path:
                self.run(path, True)
        elif name == "uapi/asm/unistd.h":
            self.run(f"arch/{self.srcarch}/include/uapi/asm/unistd.h", True)

    def define(self, rest: str, loc: Location, record: bool) -> None:
        """Record a ``#define``: a macro always, a number/count/ignore when recording."""
        match = _DEFINE.match(rest)
        if not match:
            return
        name, body = match.group(1), match.group(3).strip()
        self.macros[name] = "" if match.group(2) else body
        if not record:
            return
        if name.startswith("__IGNORE_"):
            self.ignored[name[len("__IGNORE_"):]] = loc
        elif name == "__NR_syscalls":
            value = self.value(name)
            if value is not None:
                self.count = SyscallCount(self.label, value, loc)
        elif name.startswith("__NR_") and not _NOT_A_SYSCALL.match(name[5:]):
            value = self.value(name)
            if value is not None:
                self.numbers.append(SyscallNumber(self.label, name[5:], value, loc))

    def invocation(self, line: str, loc: Location) -> None:
        """Record a ``__SYSCALL``/``__SC_*`` slot."""
        match = _INVOCATION.match(line)
        if not match:
            return
        args = [a.strip() for a in match.group(2).split(",")]
        macro, kind = args[0], match.group(1)
        wanted = {"__SYSCALL": 2, "__SC_COMP": 3, "__SC_3264": 3, "__SC_COMP_3264": 4}[kind]
        if len(args) != wanted:
            LOG.debug("%s: %s with %d arguments", loc, kind, len(args))
            return
        if kind in ("__SC_3264", "__SC_COMP_3264"):
            entry = args[1] if self.bits == 32 else args[2]
        else:
            entry = args[1]
        compat = args[2] if kind == "__SC_COMP" else args[3] if kind == "__SC_COMP_3264" else None
        number = self.value(macro) if _IDENT.match(macro) else evaluate(macro, self.value)
        if number is None:
            LOG.debug("%s: cannot evaluate %s", loc, macro)
            return
        self.pairs.append(_Pair(macro, number, self.alias(entry), compat and self.alias(compat), loc))

    def alias(self, entry: str) -> str:
        """``sys_mmap2`` -> ``sys_mmap_pgoff`` where the arch says ``#define sys_mmap2 ...``."""
        for _ in range(4):
            body = self.macros.get(entry)
            if not body or not _IDENT.match(body) or body == entry:
                break
            entry = body
        return entry

    def condition(self, text: str) -> bool:
        """Truth of an ``#if`` expression (unparseable ones count as true)."""
        def known(m: re.Match[str]) -> str:
            """``defined(X)`` -> 1 or 0; CONFIG_ tests count as enabled."""
            name = m.group(1) or m.group(2) or m.group(3)
            return " 1 " if name.startswith("CONFIG_") or name in self.macros else " 0 "

        tokens = [t for t in _COND_TOKEN.findall(_DEFINED.sub(known, text)) if t]
        try:
            value, rest = _logic(tokens, self)
            if rest:
                raise ValueError(rest)
            return bool(value)
        except (ValueError, IndexError):
            LOG.debug("cannot evaluate #if %s; taken as true", text)
            return True


_LOGIC = ("||", "&&")


def _logic(tokens: list[str], pre: _Pre, level: int = 0) -> tuple[int, list[str]]:
    """``a || b`` (level 0) and ``a && b`` (level 1) over comparisons."""
    def operand(rest: list[str]) -> tuple[int, list[str]]:
        """The next tighter-binding operand."""
        return _logic(rest, pre, level + 1) if level == 0 else _compare(rest, pre)

    value, tokens = operand(tokens)
    while tokens and tokens[0] == _LOGIC[level]:
        rhs, tokens = operand(tokens[1:])
        value = int(bool(value) or bool(rhs)) if level == 0 else int(bool(value) and bool(rhs))
    return value, tokens


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt,
            "<=": operator.le, ">=": operator.ge}


def _compare(tokens: list[str], pre: _Pre) -> tuple[int, list[str]]:
    """``a == b`` and friends over atoms."""
    value, tokens = _atom(tokens, pre)
    if tokens and tokens[0] in _COMPARE:
        op = tokens[0]
        rhs, tokens = _atom(tokens[1:], pre)
        value = int(_COMPARE[op](value, rhs))
    return value, tokens


def _atom(tokens: list[str], pre: _Pre) -> tuple[int, list[str]]:
    """A number, a macro (0 when undefined), ``!atom`` or a parenthesised expression."""
    head = tokens[0]
    if head == "!":
        value, rest = _atom(tokens[1:], pre)
        return int(not value), rest
    if head == "(":
        value, rest = _logic(tokens[1:], pre)
        if not rest or rest[0] != ")":
            raise ValueError("unbalanced")
        return value, rest[1:]
    if head[0].isdigit():
        return int(head.rstrip("uUlL")), tokens[1:]
    if _IDENT.match(head):
        return pre.value(head) or 0, tokens[1:]
    raise ValueError(head)


def _logical_lines(raw: list[str]) -> list[tuple[int, str]]:
    """(first line number, text) with comments blanked and backslash continuations joined."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for lineno, line in enumerate(strip_comments(raw), start=1):
        start, text = pending if pending else (lineno, "")
        text += line
        if text.rstrip().endswith("\\"):
            pending = (start, text.rstrip()[:-1] + " ")
            continue
        pending = None
        out.append((start, text))
    return out


def generic_arches(tree: KernelTree) -> list[str]:
    """Arches whose unistd.h includes the generic list and that have no Makefile.syscalls."""
    out = []
    for srcarch in tree.srcarches:
        if tree.is_file(f"arch/{srcarch}/kernel/Makefile.syscalls"):
            continue
        texts = (tree.read_text(p) or "" for p in (f"arch/{srcarch}/include/uapi/asm/unistd.h",
                                                   asm_header(tree, srcarch, "unistd.h")))
        if any(_INCLUDES_GENERIC.search(text) for text in texts):
            out.append(srcarch)
    return out


def _resolve_names(pre: _Pre) -> list[TableEntry]:
    """TableEntries with ``__NR3264_x`` slots named after their ``__NR_y`` alias."""
    aliases = {body: name[5:] for name, body in pre.macros.items()
               if name.startswith("__NR_") and body.startswith("__NR3264_") and _IDENT.match(body)}
    out = []
    for pair in pre.pairs:
        if pair.macro.startswith("__NR3264_"):
            nr_name: str | None = aliases.get(pair.macro, pair.macro[len("__NR3264_"):])
        elif pair.macro.startswith("__NR_"):
            nr_name = pair.macro[5:]
        else:
            nr_name = None
        out.append(TableEntry(pre.label, pair.number, pair.entry, entry_syscall(pair.entry),
                              pair.loc, nr_name=nr_name, compat=pair.compat))
    return out


def arch_table(tree: KernelTree, srcarch: str, bits: int, label: str, kconfig: str) -> AbiTable | None:
    """The generic table as one arch and bitness sees it (None if no generic header)."""
    path = next((p for p in GENERIC_HEADERS if tree.is_file(p)), None)
    if path is None:
        return None
    pre = _Pre(tree, srcarch, bits, label)
    kernel = asm_header(tree, srcarch, "unistd.h")
    uapi = f"arch/{srcarch}/include/uapi/asm/unistd.h"
    if _INCLUDES_UAPI.search(tree.read_text(kernel) or ""):
        pre.run(kernel, False)  # kernel-side wrapper: its __ARCH_WANT_ defines, not its numbers
    else:
        pre.run(uapi if tree.is_file(uapi) else kernel, True)
    return AbiTable(label=label, srcarch=srcarch, kconfig_arch=kconfig, kind="pairs", path=path,
                    numbers=pre.numbers, entries=_resolve_names(pre), count=pre.count,
                    ignored=pre.ignored)


def arm64_compat(tree: KernelTree) -> AbiTable | None:
    """arm64's AArch32 list, ``asm/unistd32.h`` (pairs, with the count from ``asm/unistd.h``)."""
    path = asm_header(tree, "arm64", "unistd32.h")
    if not tree.is_file(path):
        return None
    pre = _Pre(tree, "arm64", 32, "arm64-compat")
    pre.run(path, True)
    table = AbiTable(label="arm64-compat", srcarch="arm64", kconfig_arch="arm64", kind="pairs",
                     path=path, numbers=pre.numbers, entries=_resolve_names(pre), ignored=pre.ignored)
    header = asm_header(tree, "arm64", "unistd.h")
    for lineno, line in _logical_lines(tree.lines(header)):
        match = _COMPAT_COUNT.match(line)
        value = evaluate(match.group(1), pre.value) if match else None
        if value is not None:
            table.count = SyscallCount("arm64-compat", value, Location(header, lineno))
    return table


def extract(tree: KernelTree) -> list[AbiTable]:
    """One AbiTable per generic-unistd arch and bitness, plus arm64's compat list."""
    out: list[AbiTable] = []
    for srcarch in generic_arches(tree):
        widths = BITS.get(srcarch, (32,))
        keys = [str(bits) for bits in widths]
        for bits in widths:
            label, kconfig = label_for(srcarch, str(bits), keys)
            table = arch_table(tree, srcarch, bits, label, kconfig)
            if table is not None:
                out.append(table)
        if srcarch == "arm64" and (compat := arm64_compat(tree)) is not None:
            out.append(compat)
    return out
