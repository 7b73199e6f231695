"""Syscall definitions: SYSCALL_DEFINEn macros, plain C definitions, assembly entry labels.

C files are scanned with comments, literal contents and preprocessor lines
blanked, so neither ``#define SYSCALL_DEFINE...`` nor a commented-out
definition is recorded. Files are pre-filtered on raw bytes before decoding.
Preprocessor conditions are not evaluated: every definition is recorded.
"""

from __future__ import annotations

import logging
import mmap
import re
from typing import Callable, Hashable, Iterable

from ckptlint.extract import cdecl
from ckptlint.extract.prototypes import (LineCounter, arg_macro, arg_macro_headers, clean_code,
                                         fallback_define_args, parse_or_note, scan_functions)
from ckptlint.extract.asm_defines import asm_definitions, label_macro_definitions
from ckptlint.facts import Definition, Location, Param, TreeNote
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


#: ``SYSCALL_DEFINEn(`` / ``SYSCALL32_DEFINEn(``; a literal start keeps the scan fast.
#: The family prefix (``COMPAT_``, ``PPC32_``) is read back from the text before
#: the match, and a word character before that (``__SYSCALL_DEFINEx``) rejects it;
#: the digit keeps out the generic ``SYSCALL_DEFINEx``.
_DEFINE_RE = re.compile(r"SYSCALL(32)?_DEFINE([0-6])\s*\(")
_FAMILY_PREFIXES = ("COMPAT_", "PPC32_", "")
#: Function names given to each macro family. The 32-bit families expand to the
#: native macro without CONFIG_COMPAT and to the compat one with it: both recorded.
_MACRO_PREFIXES = {
    "SYSCALL_DEFINE": ("sys_",), "COMPAT_SYSCALL_DEFINE": ("compat_sys_",),
    "SYSCALL32_DEFINE": ("sys_", "compat_sys_"), "PPC32_SYSCALL_DEFINE": ("sys_", "compat_sys_"),
}
#: The 2.6 wrapper form ``SYSCALL_DEFINE(name)(params)``, used for syscalls with
#: 64-bit arguments under CONFIG_HAVE_SYSCALL_WRAPPERS (``SYSCALL_DEFINE(pread64)``).
#: The lookbehind rejects ``__SYSCALL_DEFINE`` and ``COMPAT_SYSCALL_DEFINE``.
_DEFINE_PAREN_RE = re.compile(r"(?<![\w])SYSCALL_DEFINE\s*\(\s*(\w+)\s*\)\s*\(")
#: Byte-level pre-filters (run on every .c file, so each starts with a literal
#: that the regex engine can scan for quickly).
_DEFINE_BYTES_RE = re.compile(rb"SYSCALL(?:32)?_DEFINE[0-6]")
_SYS_BYTES_RE = re.compile(rb"sys(?:32)?_\w+[ \t]*\(")
_ARCH_BYTES_RE = re.compile(rb"(?:ptregs|stub)_\w+[ \t]*\(")  # arch/ only, see _ARCH_CALL_RE
#: What may precede a defined name on its line: specifiers only (calls such as
#: ``x = sys_y(`` and ``foo(sys_y(`` are rejected; ``return sys_y(`` passes, harmlessly).
_SPECIFIERS_BYTES_RE = re.compile(rb"[\w \t*]*")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_ASM_BYTES_RE = re.compile(rb"\b(?:compat_sys|sys32|sys|ptregs|stub32|stub|ia32)_\w*|##")
#: ``...sys_name(`` (literal start for speed; the full name is checked with _C_NAME_RE).
_C_CALL_RE = re.compile(r"sys(?:32)?_\w+\s*\(")
#: ``stub_``/``ptregs_`` definitions count only under arch/ (drivers/usb/usbip
#: names its whole "stub" driver ``stub_*``).
_ARCH_CALL_RE = re.compile(r"(?:ptregs|stub)_\w+\s*\(")
_C_NAME_RE = re.compile(r"(?:compat_sys|sys32|sys|ptregs|stub)_\w+")
#: An argument macro inside SYSCALL_DEFINE that expands to two pairs (``SC_ARG64(off)``).
_ARG_MACRO_RE = re.compile(r"(\w+)\((\w+)\)$")


def _c_candidate(rel: str, data: bytes | mmap.mmap) -> bool:
    """Whether raw C bytes may hold a SYSCALL_DEFINE or a syscall-named definition."""
    # each test is a pass over the bytes (6.12: 680 MB of C), so the cheap
    # literal searches guard the regexes that have no literal start
    if data.find(b"SYSCALL") >= 0 and (_DEFINE_BYTES_RE.search(data) or data.find(b"SYSCALL_DEFINE(") >= 0):
        return True
    if data.find(b"save_static_function(") >= 0:
        return True
    regexes = [_SYS_BYTES_RE]
    if rel.startswith("arch/") and (data.find(b"ptregs_") >= 0 or data.find(b"stub_") >= 0):
        regexes.append(_ARCH_BYTES_RE)
    for regex in regexes:
        for match in regex.finditer(data):
            pos = match.start()
            if pos >= 7 and data[pos - 7:pos] == b"compat_":
                pos -= 7
            if pos and data[pos - 1] in _WORD_BYTES:
                continue  # ``subsys_initcall(``, ``do_sys_open(``: another name
            line_start = data.rfind(b"\n", 0, pos) + 1
            if _SPECIFIERS_BYTES_RE.fullmatch(data[line_start:pos]):
                return True
    return False


def _asm_candidate(rel: str, data: bytes | mmap.mmap) -> bool:
    """Whether raw assembly bytes may hold a syscall entry label."""
    return _ASM_BYTES_RE.search(data) is not None


def candidate_files(tree: KernelTree, suffixes: tuple[str, ...],
                    want: Callable[[str, bytes | mmap.mmap], bool], under: str = "",
                    key: Hashable | None = None) -> list[str]:
    """Files from ``tree.walk`` whose raw bytes satisfy ``want``.

    ``walk`` never yields symlinks; ``scan_bytes`` maps files read-only, so the
    tree's text cache is filled only with the hits. ``key`` names what ``want``
    decides (same key, same answer for the same bytes), so the answer is cached.
    """
    return [rel for rel in tree.walk(suffixes, under=under) if tree.scan_bytes(rel, want, key)]


# -- SYSCALL_DEFINEn ---------------------------------------------------------------
def _define_args(tree: KernelTree, args: list[str], loc: Location, what: str) -> tuple[Param, ...]:
    """Parsed SYSCALL_DEFINE pairs, or a textual fallback plus a tree note."""
    params = cdecl.parse_define_args(args)
    if params is None:
        tree.notes.append(TreeNote(message=f"cannot parse parameters of {what}: {', '.join(args)}",
                                   loc=loc, kind="unparsed-params"))
        return fallback_define_args(args)
    return params


def _expand_args(tree: KernelTree, text: str, args: list[str]) -> tuple[list[str], str | None]:
    """Arguments with pair-producing macros (``SC_ARG64(x)`` -> ``u32, x_lo, u32, x_hi``)
    expanded, and the first argument macro whose ``#define`` was found nowhere (None:
    every one expanded). An argument that is a whole ``M(x)`` is neither a type nor a
    name: unexpanded, the parameters it stands for are unknown."""
    out: list[str] = []
    for arg in args:
        match = _ARG_MACRO_RE.match(arg)
        macro = arg_macro(tree, text, match.group(1)) if match else None
        if match is not None and macro is None:
            return args, arg
        if match is None:
            out.append(arg)
            continue
        param, body = macro
        body = re.sub(rf"\b{param}\s*##\s*|\b{param}\b", match.group(2), body)
        out.extend(" ".join(part.split()) for part in cdecl.split_top(body))
    return out, None


def _define_family(code: str, match: re.Match[str]) -> str | None:
    """``COMPAT_``/``PPC32_``/```` before a SYSCALL_DEFINE match, None if part of another name."""
    for family in _FAMILY_PREFIXES:
        begin = match.start() - len(family)
        if code.startswith(family, begin) and not (begin > 0 and (code[begin - 1].isalnum()
                                                                  or code[begin - 1] == "_")):
            if f"{family}SYSCALL{match.group(1) or ''}_DEFINE" in _MACRO_PREFIXES:
                return family
    return None


def syscall_defines(tree: KernelTree, path: str, code: str, text: str) -> list[Definition]:
    """``SYSCALL_DEFINEn(name, type, arg, ...)`` invocations in cleaned code."""
    out = []
    line = LineCounter(code)
    for match in _DEFINE_RE.finditer(code):
        family = _define_family(code, match)
        close = cdecl.matching_paren(code, match.end() - 1)
        if family is None or close < 0:
            continue
        parts = [" ".join(p.split()) for p in cdecl.split_top(code[match.end():close])]
        if not re.fullmatch(r"\w+", parts[0]):
            continue  # SYSCALL_DEFINEn(name##x, ...) inside some other macro
        loc = Location(path, line(match.start() - len(family)))
        args, unexpanded = _expand_args(tree, text, [p for p in parts[1:] if p])
        macro = f"{family}SYSCALL{match.group(1) or ''}_DEFINE"
        what = f"{macro}{match.group(2)}({parts[0]})"
        if unexpanded is None:
            params = _define_args(tree, args, loc, what)
        else:  # unknown parameters: nothing is derived from them (arity, prototypes)
            params = None
            name = unexpanded.split("(", 1)[0]
            tree.notes.append(TreeNote(
                message=f"cannot read the parameters of {what}: no #define of {name}() "
                        f"in {path} or in {', '.join(arg_macro_headers(tree))}",
                loc=loc, kind="unparsed-params"))
        for prefix in _MACRO_PREFIXES[macro]:
            out.append(Definition(function=prefix + parts[0], kind="SYSCALL_DEFINE",
                                  params=params, loc=loc, arity=int(match.group(2))))
    return out + _paren_defines(tree, path, code, line)


def _paren_defines(tree: KernelTree, path: str, code: str, line: LineCounter) -> list[Definition]:
    """``SYSCALL_DEFINE(name)(type arg, ...)``: the 2.6 form for 64-bit arguments."""
    out = []
    for match in _DEFINE_PAREN_RE.finditer(code) if "SYSCALL_DEFINE(" in code else ():
        close = cdecl.matching_paren(code, match.end() - 1)
        if close < 0 or code[close + 1:].lstrip()[:1] != "{":
            continue
        loc = Location(path, line(match.start()))
        function = "sys_" + match.group(1)
        params = parse_or_note(tree, code[match.end():close], loc, function)
        out.append(Definition(function=function, kind="SYSCALL_DEFINE", params=params, loc=loc))
    return out


# -- plain C definitions ------------------------------------------------------------
#: A weak definition's annotation, in the text before its name.
_WEAK_RE = re.compile(r"\b__weak\b|__attribute__\s*\(\(\s*(?:__)?weak(?:__)?\b")

def c_definitions(tree: KernelTree, path: str, code: str,
                  extra: re.Pattern[str] | None = None) -> list[Definition]:
    """``[asmlinkage] T sys_x(...) {`` definitions in cleaned code.

    ``extra`` matches table entries named without a syscall prefix
    (i386's ``old_select``, ``old_mmap``); it is searched under arch/, and
    elsewhere for ``asmlinkage`` definitions only (2.6.12's fs/readdir.c
    ``asmlinkage long old_readdir(...)``, which eleven arches' tables name).
    """
    out = []
    in_arch = path.startswith("arch/")
    line = LineCounter(code)
    heads = list(scan_functions(code, _C_CALL_RE, _C_NAME_RE))
    if in_arch:
        heads += scan_functions(code, _ARCH_CALL_RE, _C_NAME_RE)
    if extra is not None and (in_arch or "asmlinkage" in code):
        heads += [head for head in scan_functions(code, extra)
                  if in_arch or "asmlinkage" in code[head.start:head.name_pos]]
    unique = {head.name_pos: head for head in heads}  # ``stub_sys_x`` is found by both
    for head in sorted(unique.values(), key=lambda h: h.name_pos):
        raw_prefix = code[head.start:head.name_pos]
        if head.terminator != "{" or re.search(r"\bstatic\b", raw_prefix):
            continue  # a static function cannot be a syscall-table target
        loc = Location(path, line(head.name_pos))
        kind = "asmlinkage" if "asmlinkage" in raw_prefix else "c"
        params = parse_or_note(tree, head.params, loc, head.name)
        out.append(Definition(function=head.name, kind=kind, params=params, loc=loc,
                              weak=_WEAK_RE.search(raw_prefix) is not None))
    return out


def c_file_definitions(tree: KernelTree, path: str,
                       extra: re.Pattern[str] | None = None) -> list[Definition]:
    """All definitions in one C file."""
    text = tree.read_text(path)
    if not text:
        return []
    code = clean_code(text)
    return (syscall_defines(tree, path, code, text) + c_definitions(tree, path, code, extra)
            + label_macro_definitions(tree, path, code))


def _extra_patterns(names: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[bytes]] | None:
    """(text, bytes) regexes for ``name(`` of the given entry names, or None."""
    names = sorted({n for n in names if re.fullmatch(r"[A-Za-z_]\w*", n)})
    if not names:
        return None
    alternation = _factored(names)
    return (re.compile(rf"\b(?:{alternation})\s*\("),
            re.compile(rf"\b(?:{alternation})\b".encode()))


def _factored(words: list[str]) -> str:
    """An alternation of ``words`` with common prefixes factored out (``parisc_(?:pipe2|
    pread64)``): ``re`` tries a plain alternation's branches one by one at every
    position, and 6.12's 38 unprefixed entry names then cost 1 s over the files
    searched for them; factored, half that. Matches exactly what ``a|b|...`` matches."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body
    return emit(trie)


class Scanner:
    """The per-file part of :func:`extract`: which raw files may hold definitions, and theirs.

    ``extra_names`` are table entries without a syscall prefix, looked for too.
    Scanning file by file lets ``ckptlint.runtime.definition_scan`` cache and parallelise it.
    """

    def __init__(self, extra_names: Iterable[str] = ()) -> None:
        self.extra = _extra_patterns(extra_names)
        self.names = frozenset(extra_names) if self.extra else frozenset()

    def wants(self, rel: str, data: bytes | mmap.mmap) -> bool:
        """Whether a discovered .c file (any) or .S file (under arch/) may define something."""
        if rel.endswith(".S"):
            return _asm_candidate(rel, data) or (
                self.extra is not None and self.extra[1].search(data) is not None)
        return _c_candidate(rel, data) or (
            self.extra is not None and (rel.startswith("arch/") or data.find(b"asmlinkage") >= 0)
            and self.extra[1].search(data) is not None)

    def definitions(self, tree: KernelTree, rel: str) -> list[Definition]:
        """Definitions in one file (C, header or assembly)."""
        if rel.endswith(".S"):
            return asm_definitions(tree, rel, self.names)
        return c_file_definitions(tree, rel, self.extra[0] if self.extra else None)


def discover(tree: KernelTree) -> tuple[list[str], list[str]]:
    """The files a whole-tree scan looks at: every .c file, and .S files under arch/."""
    return list(tree.walk((".c",))), list(tree.walk((".S",), under="arch"))


def extract(tree: KernelTree, paths: Iterable[str] | None = None,
            extra_names: Iterable[str] = ()) -> list[Definition]:
    """Definitions in ``paths`` (default: every .c file, and .S files under arch/).

    ``extra_names`` are table entries without a syscall prefix, looked for too.
    """
    scanner = Scanner(extra_names)
    if paths is None:
        extra_key = scanner.extra[1].pattern if scanner.extra else None  # what wants reads besides bytes
        c_paths = candidate_files(tree, (".c",), scanner.wants, key=("c-definitions", extra_key))
        s_paths = candidate_files(tree, (".S",), scanner.wants, under="arch",
                                  key=("asm-entries", extra_key))
    else:
        paths = list(paths)
        c_paths = [p for p in paths if p.endswith((".c", ".h"))]
        s_paths = [p for p in paths if p.endswith(".S")]
    out: list[Definition] = []
    for path in c_paths + s_paths:
        out.extend(scanner.definitions(tree, path))
    LOG.debug("%d definitions from %d C and %d assembly files", len(out), len(c_paths), len(s_paths))
    return out
