"""What the graph's queries read of source files besides the facts: sources that
``#include`` other sources, one-parameter macros of table files, entry renames
in the files that expand a table, an arch's use of an asm-generic header, the
headers that include a header, a file's ``#define`` renames.

The graph (ckptlint.graph.conditions) asks these lazily, for the few files a
check's question needs, and keeps the answers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ckptlint.extract.asmpath import asm_header
from ckptlint.extract.ppcond import condition_at
from ckptlint.facts import Location

#: ``#include "file.c"``: a translation unit built from several .c files.
_C_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"/]+\.[cS])"', re.M)
#: What every file _C_INCLUDE matches holds in its raw bytes (a looser pattern).
_C_INCLUDE_BYTES = re.compile(rb'"[^"/]+\.[cS]"')


def _may_include_source(rel: str, data: bytes) -> bool:
    """Whether a file's raw bytes may ``#include "<name>.c"`` (or ``.S``)."""
    # the regex tries every string literal: only where a quoted .c/.S name may be
    return (data.find(b'.c"') >= 0 or data.find(b'.S"') >= 0) \
        and _C_INCLUDE_BYTES.search(data) is not None


#: A file that expands a syscall table (``#include <asm/syscall_table.h>``,
#: ``ENTRY(sys_call_table)``), and the entry renames it makes.
_TABLE_FILE = re.compile(r"syscall_table|sys_call_table")
_TABLE_FILE_BYTES = re.compile(rb"syscall_table|sys_call_table")


def _may_rename_entries(rel: str, data: bytes) -> bool:
    """Whether a file's raw bytes may hold ``#define sys_x y`` in a table file."""
    # "call_table" (in both names) is rare: one quick pass rejects almost every file
    return data.find(b"call_table") >= 0 and data.find(b"#define") >= 0 \
        and _TABLE_FILE_BYTES.search(data) is not None


def scan_along_definitions(tree) -> None:
    """Have the definition scan, which reads every arch C and assembly file, also
    answer :func:`entry_aliases`'s byte filter, which the checks ask of
    every one of them (one open per file, not two). ``source_includers`` asks only the
    files of a few directories: it scans them itself."""
    tree.scan_along(_ENTRY_ALIASES_KEY, _may_rename_entries, (".c", ".S"), under="arch")


_ENTRY_ALIASES_KEY = "entry-aliases"
_INCLUDES_SOURCE_KEY = "includes-source"
_ENTRY_ALIAS = re.compile(r"^[ \t]*#[ \t]*define[ \t]+((?:compat_)?sys_\w+)[ \t]+(\w+)[ \t]*$", re.M)

#: ``#define M(X) X`` (or another one-symbol body) in a table file, and ``M(sym)`` in a slot.
_WRAPPER_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)\(\s*(\w+)\s*\)\s+(\w+)\s*$")
_SLOT_MACRO = re.compile(r"\b([A-Za-z_]\w*)\s*\(\s*\w+\s*\)")

#: Macros that define sys_x without CONFIG_COMPAT and compat_sys_x with it.
_COMPAT_SWITCHED = re.compile(r"\bSYSCALL32_DEFINE\d\s*\(")


def source_includers(tree, directory: str) -> dict[str, list[str]]:
    """Name -> the .c/.S files directly in ``directory`` that ``#include "<name>"``
    (a .c or .S file): 6.x kernel/sched/build_policy.c includes syscalls.c."""
    index: dict[str, list[str]] = defaultdict(list)
    prefix = f"{directory}/" if directory else ""
    for sibling in tree.walk((".c", ".S"), under=directory, skip=frozenset({"*"})) \
            if directory else ():
        if "/" in sibling[len(prefix):] \
                or not tree.scan_bytes(sibling, _may_include_source, _INCLUDES_SOURCE_KEY):
            continue  # most files include no source file: not decoded nor kept
        for included in _C_INCLUDE.findall(tree.read_text(sibling) or ""):
            index[included].append(sibling)
    return index


def compat_switched(tree, path: str, line: int) -> bool:
    """Whether ``line`` of ``path`` opens a SYSCALL32_DEFINEn (sys_x without
    CONFIG_COMPAT, compat_sys_x with it)."""
    lines = tree.lines(path)
    return 0 < line <= len(lines) and _COMPAT_SWITCHED.search(lines[line - 1]) is not None


def slot_macros(tree, path: str, line: int) -> list[str]:
    """The one-parameter macros a table slot's line is written through (``__MMU(sys_mlock)``)."""
    lines = tree.lines(path)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return _SLOT_MACRO.findall(text)


def wrapper_macros(tree, path: str) -> dict[str, list[tuple[int, str]]]:
    """One-parameter macros a table file defines: name -> [(line, "identity" or body)]."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for number, line in enumerate(tree.lines(path), start=1):
        match = _WRAPPER_DEFINE.match(line)
        if match:
            name, param, body = match.groups()
            found[name].append((number, "identity" if body == param else body))
    return dict(found)


def entry_aliases(tree, srcarch: str) -> dict[str, list[tuple[str, str, Location]]]:
    """``#define sys_x other`` in an arch's table files: entry -> [(other, #if condition, loc)].

    The file that expands the generated table renames some entries
    (m68k's syscalltable.S: ``#ifndef CONFIG_MMU`` / ``#define sys_mmap2
    sys_mmap_pgoff``), so under that condition the table calls ``other``.
    """
    found: dict[str, list[tuple[str, str, Location]]] = defaultdict(list)
    for path in tree.walk((".c", ".S"), under=f"arch/{srcarch}"):
        # raw bytes first: only table files are decoded (x86 alone has ~700 .c/.S)
        if not tree.scan_bytes(path, _may_rename_entries, _ENTRY_ALIASES_KEY):
            continue
        text = tree.read_text(path) or ""
        if "#define" not in text or not _TABLE_FILE.search(text):
            continue
        for match in _ENTRY_ALIAS.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found[match.group(1)].append(
                (match.group(2), condition_at(tree, path, line), Location(path, line)))
    return dict(found)


def uses_generic(tree, srcarch: str, name: str) -> bool:
    """Whether an arch compiles include/asm-generic/<name> (by #include or Kbuild generic-y)."""
    own = asm_header(tree, srcarch, name)
    text = tree.read_text(own) if tree.is_file(own) else None
    if text is not None:
        return f"asm-generic/{name}" in text
    kbuild = tree.read_text(f"arch/{srcarch}/include/asm/Kbuild") or ""
    mandatory = tree.read_text("include/asm-generic/Kbuild") or ""
    return re.search(rf"^\s*(generic|mandatory)-y\s*\+?=\s*{re.escape(name)}\b",
                     kbuild + "\n" + mandatory, re.M) is not None


def includes(tree, path: str, header: str) -> bool:
    """Whether ``path`` names ``header`` (by file name) in an ``#include``."""
    name = re.escape(header.rsplit("/", 1)[-1])
    return re.search(rf'^[ \t]*#[ \t]*include[ \t]*[<"](?:[\w./-]*/)?{name}[>"]',
                     tree.read_text(path) or "", re.M) is not None


def including_lines(tree, header: str) -> Iterator[tuple[str, int]]:
    """(sibling, line) of each ``#include`` of ``header`` in the headers beside it."""
    directory, _, name = header.rpartition("/")
    raw = name.encode() if name.isascii() else None

    def mentions(rel: str, data: bytes) -> bool:
        return data.find(raw) >= 0
    for sibling in tree.walk((".h",), under=directory, skip=frozenset({"*"})):
        if sibling == header or sibling.rpartition("/")[0] != directory:
            continue
        if raw is not None and not tree.scan_bytes(sibling, mentions, ("mentions", name)):
            continue  # most of include/linux's ~1,800 headers: neither decoded nor kept
        if name not in (tree.read_text(sibling) or ""):
            continue
        for lineno, line in enumerate(tree.lines(sibling), start=1):
            if re.match(rf'\s*#\s*include\s*[<"](?:asm/)?{re.escape(name)}[>"]', line):
                yield sibling, lineno


#: ``#define ident other_ident`` (object-like, one identifier).
_RENAME_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)[ \t]*$", re.M)


def define_renames(tree, path: str) -> dict[str, str]:
    """A file's identifier renames: ``#define ucontext ucontext32`` -> {ucontext: ucontext32}."""
    text = tree.read_text(path) or ""
    return dict(_RENAME_RE.findall(text)) if "#" in text else {}
