"""Syscall prototypes declared in the kernel's syscall headers.

Every declaration is recorded whatever ``#if`` it sits under: preprocessor
conditions are not evaluated here. Comments, string contents and preprocessor
lines (``#define`` bodies included) are blanked before scanning.
"""

from __future__ import annotations

import fnmatch
import logging
import re
from dataclasses import dataclass
from typing import Iterator

from ckptlint.extract import cdecl
from ckptlint.facts import Location, Param, Prototype, TreeNote
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: Fixed header paths, then glob patterns relative to the tree root.
HEADERS = ("include/linux/syscalls.h", "include/linux/compat.h", "include/asm-generic/syscalls.h")
ARCH_HEADER_GLOBS = (
    "include/asm/syscalls.h", "include/asm/syscall.h", "include/asm/syscalls_32.h",
    "include/asm/syscalls_64.h", "include/asm/sys_ia32.h", "include/asm/ia32.h",
    "include/asm/unistd.h", "kernel/*sys*.h", "kernel/entry.h", "kernel/compat_*.h",
)

#: Names of syscall entry points: recorded even without ``asmlinkage``.
SYSCALL_NAME_RE = re.compile(r"(?:compat_sys|sys32|sys|ptregs|stub32|stub)_\w+$")
#: ``identifier (`` -- a candidate function declarator.
_CALL_RE = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
#: What may precede the name in a declaration: identifiers and stars only
#: (rules out calls such as ``return sys_x(`` and ``x = sys_y(``, see _STMT_WORDS).
_PREFIX_RE = re.compile(r"^[\w\s*]*$")
#: Statement keywords: a prefix containing one is code, not a declaration.
_STMT_WORDS = frozenset(
    "return if else while for do switch case goto sizeof typedef define defined".split())
#: Words that cannot be a declared function's name (keywords, attribute macros).
_NOT_NAMES = frozenset("if while for switch return sizeof typeof __typeof__ __attribute__ "
                       "__attribute defined asm __asm__ volatile __volatile__".split())

#: C comments and string/char literals, matched together so that a quote inside
#: a comment (``don't``) or a comment marker inside a string is not mistaken.
_COMMENT_OR_LITERAL_RE = re.compile(
    r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.S)
#: Preprocessor directives, including backslash-continued lines.
_DIRECTIVE_RE = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.M)


@dataclass(frozen=True)
class FunctionHeader:
    """``<prefix> name(<params>)`` followed by ``terminator`` (``;`` or ``{``)."""

    name: str
    prefix: str
    params: str
    start: int
    name_pos: int
    terminator: str


def blank(match: re.Match[str]) -> str:
    """Replacement keeping only the newlines of a match (so line numbers survive)."""
    return "\n".join(" " * len(part) for part in match.group(0).split("\n"))


def mask_comments(text: str, strings: bool = True) -> str:
    """Blank C comments (and, with ``strings``, literal contents) keeping offsets and lines."""
    if "/" not in text and not (strings and ("'" in text or '"' in text)):
        return text

    def repl(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] == "/":
            return blank(match)
        if not strings:
            return token
        return token[0] + " " * (len(token) - 2) + token[-1]
    return _COMMENT_OR_LITERAL_RE.sub(repl, text)


def mask_directives(text: str) -> str:
    """Blank preprocessor lines (``#define`` bodies included), keeping offsets and lines."""
    if "#" not in text:
        return text
    return _DIRECTIVE_RE.sub(blank, text)


def clean_code(text: str) -> str:
    """Comments, literal contents and preprocessor lines blanked (offsets kept)."""
    return mask_directives(mask_comments(text))


def line_of(text: str, pos: int) -> int:
    """1-based line number of offset ``pos``."""
    return text.count("\n", 0, pos) + 1


class LineCounter:
    """1-based line numbers of increasing offsets in one text, counted incrementally."""

    def __init__(self, text: str) -> None:
        """Start counting at the top of ``text``."""
        self.text, self.pos, self.line = text, 0, 1

    def __call__(self, pos: int) -> int:
        """Line of ``pos`` (fast when offsets only grow)."""
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _declaration_start(code: str, pos: int) -> int:
    """Offset where the declaration ending at ``pos`` begins (after ``;``, ``{``, ``}``)."""
    start = max(code.rfind(";", 0, pos), code.rfind("{", 0, pos), code.rfind("}", 0, pos)) + 1
    while start < pos and code[start].isspace():
        start += 1
    return start


def _clean_prefix(prefix: str) -> str | None:
    """Declaration specifiers before the name, annotations removed; None if not a declaration."""
    cleaned = " ".join(prefix.split())
    if not cleaned or ("(" not in cleaned and not _PREFIX_RE.match(cleaned)):
        return None  # fast path: most candidates are calls inside code
    cleaned = cdecl.strip_annotations(cleaned)
    if not cleaned or not _PREFIX_RE.match(cleaned):
        return None
    if any(word in _STMT_WORDS for word in cleaned.replace("*", " ").split()):
        return None
    return cleaned


def _terminator(code: str, pos: int) -> str:
    """First significant character after ``pos``, skipping attributes and annotations."""
    tail = code[pos:pos + 400]
    stop = min((i for i in (tail.find(";"), tail.find("{")) if i >= 0), default=-1)
    if stop < 0:
        return ""
    between = tail[:stop]
    if between.strip() and cdecl.strip_annotations(between):
        return ""
    return tail[stop]


def _name_start(code: str, pos: int) -> int:
    """Start of the identifier that contains offset ``pos``."""
    while pos > 0 and (code[pos - 1].isalnum() or code[pos - 1] == "_"):
        pos -= 1
    return pos


def scan_functions(code: str, call_re: re.Pattern[str] = _CALL_RE,
                   name_re: re.Pattern[str] | None = None) -> Iterator[FunctionHeader]:
    """Function declarators in cleaned code, prefix validated as declaration specifiers.

    ``call_re`` finds ``...name(`` (it may match the tail of a name; the name is
    extended backwards) and ``name_re``, when given, must match the whole name.
    """
    for match in call_re.finditer(code):
        name_pos = _name_start(code, match.start())
        name = code[name_pos:code.index("(", match.start())].rstrip()
        if name in _NOT_NAMES or (name_re is not None and not name_re.fullmatch(name)):
            continue
        start = _declaration_start(code, name_pos)
        prefix = _clean_prefix(code[start:name_pos])
        if prefix is None:
            continue
        open_pos = match.end() - 1
        close = cdecl.matching_paren(code, open_pos)
        if close < 0:
            continue
        term = _terminator(code, close + 1)
        if term:
            yield FunctionHeader(name, prefix, code[open_pos + 1:close], start, name_pos, term)


def fallback_params(text: str) -> tuple[Param, ...]:
    """Best-effort textual parameters (annotations stripped) when pycparser fails."""
    cleaned = cdecl.strip_annotations(text)
    if cleaned in ("", "void"):
        return ()
    return tuple(Param(part.strip(), None) for part in cdecl.split_top(cleaned))


def fallback_define_args(args: list[str]) -> tuple[Param, ...]:
    """Best-effort textual (type, name) pairs when pycparser fails on SYSCALL_DEFINE args."""
    return tuple(Param(cdecl.strip_annotations(args[i]), args[i + 1].strip() or None)
                 for i in range(0, len(args) - 1, 2))


def parse_or_note(tree: KernelTree, text: str, loc: Location, what: str) -> tuple[Param, ...]:
    """``cdecl.parse_params`` with a tree note (and textual fallback) on failure."""
    params = cdecl.parse_params(text)
    if params is None:
        tree.notes.append(TreeNote(message=f"cannot parse parameters of {what}: "
                                   f"{' '.join(text.split())}", loc=loc, kind="unparsed-params"))
        return fallback_params(text)
    return params


#: Headers that define parameter-pair macros (``compat_arg_u64(x)``, ``SC_ARG64(x)``).
ARG_MACRO_HEADERS = ("include/linux/syscalls.h", "include/asm-generic/compat.h",
                     "include/linux/compat.h")
#: A whole parameter that is a one-argument macro call.
_PARAM_MACRO_RE = re.compile(r"(\w+)\((\w+)\)")


#: ``#include <linux/x.h>`` (or ``uapi/``, ``asm-generic/``): a header whose tree path is known.
_GENERIC_INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*<((?:linux|uapi|asm-generic)/[\w./-]+\.h)>', re.M)


def arg_macro_headers(tree: KernelTree) -> tuple[str, ...]:
    """Where pair macros are looked for besides the file itself: :data:`ARG_MACRO_HEADERS`,
    then the generic headers each of them includes (a macro moved into a header that
    syscalls.h includes is still found). Kept on the tree (it does not change in a run)."""
    known = tree.__dict__.get("_arg_macro_headers")
    if known is None:
        found: list[str] = list(ARG_MACRO_HEADERS)
        for header in ARG_MACRO_HEADERS:
            for name in _GENERIC_INCLUDE_RE.findall(tree.read_text(header) or ""):
                found.extend(c for c in (f"include/{name}", f"include/uapi/{name}") if tree.is_file(c))
        known = tree.__dict__["_arg_macro_headers"] = tuple(dict.fromkeys(found))
    return known


def arg_macro(tree: KernelTree, text: str, macro: str) -> tuple[str, str] | None:
    """(parameter, body) of a one-parameter ``#define macro(p) body`` in the file or headers."""
    pattern = re.compile(rf"^[ \t]*#[ \t]*define[ \t]+{re.escape(macro)}\([ \t]*(\w+)[ \t]*\)"
                         r"[ \t]*([^\n]*)", re.M)
    for source in (text, *(tree.read_text(h) or "" for h in arg_macro_headers(tree))):
        match = pattern.search(source)
        if match:
            return match.group(1), match.group(2)
    return None


def expand_param_macros(tree: KernelTree, text: str, params: str) -> str:
    """A prototype's parameter list with pair macros expanded.

    include/linux/compat.h declares ``compat_sys_fallocate(int fd, int mode,
    compat_arg_u64(offset), compat_arg_u64(len))``: each macro is two ``u32``
    parameters, as in the definition's ``compat_arg_u64_dual``.
    """
    if "(" not in params:
        return params
    parts = []
    for part in cdecl.split_top(params):
        match = _PARAM_MACRO_RE.fullmatch(part.strip())
        macro = arg_macro(tree, text, match.group(1)) if match else None
        if macro is None or "," not in macro[1]:
            parts.append(part.strip())
            continue
        name, body = macro
        parts.append(re.sub(rf"\b{name}\s*##\s*|\b{name}\b", match.group(2), body))
    return ", ".join(parts)


def header_paths(tree: KernelTree) -> list[str]:
    """The syscall headers present in the tree, in a stable order.

    ``include/asm/`` patterns are the arch's ``<asm/NAME>`` wherever its era
    keeps it (``include/asm-x86_64/ia32.h`` before the header moves).
    """
    from ckptlint.extract.asmpath import asm_header

    paths = [p for p in HEADERS if tree.is_file(p)]
    for arch in tree.srcarches:
        for pattern in ARCH_HEADER_GLOBS:
            if pattern.startswith("include/asm/"):
                path = asm_header(tree, arch, pattern[len("include/asm/"):])
                if tree.is_file(path):
                    paths.append(path)
                continue
            folder, _, glob = f"arch/{arch}/{pattern}".rpartition("/")
            if "*" not in glob:
                if tree.is_file(f"{folder}/{glob}"):
                    paths.append(f"{folder}/{glob}")
                continue
            if tree.is_dir(folder):
                paths.extend(p for p in tree.walk((".h",), under=folder, skip=frozenset())
                             if p.rpartition("/")[0] == folder
                             and fnmatch.fnmatch(p.rpartition("/")[2], glob))
    return list(dict.fromkeys(paths))


#: The projection (``KernelTree.project``) that :func:`extract_file` is.
PROTOTYPES = "prototypes"


def extract_file(tree: KernelTree, path: str) -> list[Prototype]:
    """Prototypes declared in one header."""
    return tree.project(PROTOTYPES, path, lambda: _extract_file(tree, path))


def _extract_file(tree: KernelTree, path: str) -> list[Prototype]:
    text = tree.read_text(path)
    if not text or "(" not in text:
        return []
    code = clean_code(text)
    out = []
    line = LineCounter(code)
    for head in scan_functions(code):
        if head.terminator != ";":
            continue
        if "asmlinkage" not in code[head.start:head.name_pos] and not SYSCALL_NAME_RE.match(head.name):
            continue  # a helper declared next to the syscalls (compat.h has many)
        loc = Location(path, line(head.start))
        params = parse_or_note(tree, expand_param_macros(tree, text, head.params), loc, head.name)
        out.append(Prototype(function=head.name, params=params, loc=loc))
    return out


def extract(tree: KernelTree) -> list[Prototype]:
    """Syscall prototypes of all syscall headers of the tree, by path then line."""
    out: list[Prototype] = []
    for path in header_paths(tree):
        out.extend(extract_file(tree, path))
    LOG.debug("%d prototypes", len(out))
    return out
