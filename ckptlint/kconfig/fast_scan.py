"""A fast, arch-aware scan of Kconfig files: definitions, references and ``source`` edges.

kconfiglib builds a full model (~1.5 s per arch on 6.12); tree-wide symbol
checks only need to know which symbols each arch defines and which symbols
each Kconfig line refers to. This scanner reads every Kconfig file once,
then follows ``source``/``osource``/``rsource``/``orsource`` from the top
Kconfig of each ArchConfig, expanding ``$(SRCARCH)``/``$SRCARCH`` (and the
other variables of ``environ.environment``) and globs. The defined-symbol sets
equal kconfiglib's (tests/kconfig/test_kconfig_scan.py and
benchmarks/undefined_symbols.py --verify compare them).

What is skipped, as kconfiglib does: comments, help text (a block ends at
the first non-blank line indented less than its first line), quoted strings,
``$(...)`` macro calls (they expand to constants such as ``y``), numbers and
the constants ``y``/``m``/``n``. Preprocessor variable assignments
(``cc-option = ...``) are not references. ``if`` around a ``source`` does not
stop it being read, exactly as in kconfiglib.
"""

from __future__ import annotations

import glob
import logging
import posixpath
import re
import time
from dataclasses import dataclass, field

from ckptlint.facts import Location
from ckptlint.kconfig.model import ArchConfig, is_number
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: A Kconfig token as kconfiglib's lexer reads an identifier.
_TOKEN = re.compile(r"[A-Za-z0-9_$/.-]+")
#: Quoted strings (either quote), with backslash escapes.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?|\'(?:[^\'\\]|\\.)*\'?')
#: ``$(VAR)`` and 2.6-style ``$VAR`` in a source path.
_VARIABLE = re.compile(r"\$\(([A-Za-z0-9_-]+)\)|\$([A-Za-z_][A-Za-z0-9_]*)")
#: Preprocessor assignments (``cc-option = $(success,...)``, ``X := y``, ``Y += z``).
_ASSIGNMENT = re.compile(r"[A-Za-z0-9_-]+\s*(?::=|\+=|=)")

_SOURCES = {"source": (True, False), "osource": (False, False),
            "rsource": (True, True), "orsource": (False, True)}
_TYPES = {"bool", "boolean", "tristate", "string", "hex", "int", "prompt"}
#: First words whose expressions name symbols, mapped to the reference kind reported.
_KINDS = {"depends": "depends on", "select": "select", "imply": "imply", "default": "default",
          "def_bool": "default", "def_tristate": "default", "range": "range",
          "visible": "visible if", "if": "if"}
#: Words inside such lines that are syntax, not symbols.
_SYNTAX = {"on", "if", "y", "m", "n"}
_NUMERIC = frozenset("-0123456789")


@dataclass
class KconfigFile:
    """What one Kconfig file says, independent of the arch reading it."""

    path: str
    defines: list[tuple[str, int]] = field(default_factory=list)
    references: list[tuple[str, str, int]] = field(default_factory=list)
    sources: list[tuple[str, str, int]] = field(default_factory=list)


    @property
    def names(self) -> frozenset[str]:
        """The symbols this file defines."""
        return frozenset(name for name, _ in self.defines)


@dataclass
class ArchSymbols:
    """The Kconfig files one ArchConfig reads (in kconfiglib's order) and the symbols they define."""

    arch: ArchConfig
    defined: frozenset[str]
    files: list[KconfigFile]
    seconds: float
    missing: list[tuple[str, Location]] = field(default_factory=list)

    def where(self, name: str) -> Location | None:
        """The first ``config`` line defining ``name`` for this arch."""
        for parsed in self.files:
            for defined, line in parsed.defines:
                if defined == name:
                    return Location(parsed.path, line)
        return None


def _strip(line: str) -> str:
    """The line without strings, ``$(...)`` calls and its comment."""
    if '"' in line or "'" in line:
        line = _STRING.sub(" ", line)
    while "$(" in line:
        start = line.index("$(")
        depth, end = 0, start + 1
        while end < len(line):
            depth += {"(": 1, ")": -1}.get(line[end], 0)
            end += 1
            if depth == 0:
                break
        line = line[:start] + " " + line[end:]
    hash_at = line.find("#")
    return line if hash_at < 0 else line[:hash_at]


def _indent(line: str) -> int:
    expanded = line.expandtabs()
    return len(expanded) - len(expanded.lstrip())


def parse_file(path: str, text: str) -> KconfigFile:
    """Definitions, references and sources of one Kconfig file's text."""
    out = KconfigFile(path)
    lines = text.split("\n")
    index, help_indent = 0, None  # help_indent -1: waiting for the first help line
    while index < len(lines):
        line = lines[index]
        if help_indent is not None:  # help text is read line by line, never joined
            index += 1
            if not line.strip():
                continue
            indent = _indent(line)
            if (help_indent == -1 and indent) or indent >= help_indent > 0:
                help_indent = indent if help_indent == -1 else help_indent
                continue
            help_indent, index = None, index - 1
        parts = [(index + 1, line)]
        while parts[-1][1].endswith("\\") and index + 1 < len(lines):
            parts[-1] = (parts[-1][0], parts[-1][1][:-1])
            index += 1
            parts.append((index + 1, lines[index]))
        index += 1
        help_indent = _statement(out, parts)
    return out


def _statement(out: KconfigFile, parts: list[tuple[int, str]]) -> int | None:
    """Record one logical line; returns -1 when it opens help text."""
    first_number, first = parts[0]
    words = first.split(None, 2)
    if not words:
        return None
    keyword = words[0]
    if keyword == "help" or keyword.startswith("---help"):
        return -1
    if keyword in ("config", "menuconfig") and len(words) > 1:
        name = words[1].split("#", 1)[0]
        if name:
            out.defines.append((name, first_number))
    elif keyword in _SOURCES and len(words) > 1:
        rest = first.split(None, 1)[1].strip()
        quoted = rest.startswith('"') and '"' in rest[1:]
        out.sources.append((keyword, rest[1:rest.index('"', 1)] if quoted else rest.split()[0],
                            first_number))
    elif keyword in _KINDS or (keyword in _TYPES and not _ASSIGNMENT.match(first.lstrip())):
        _references(out, parts, _KINDS.get(keyword, "prompt if"))
    return None


def _references(out: KconfigFile, parts: list[tuple[int, str]], kind: str) -> None:
    """Symbols named on one logical line, each at its physical line."""
    for index, (number, text) in enumerate(parts):
        tokens = _TOKEN.findall(_strip(text))
        if index == 0:
            tokens = tokens[1:]  # the keyword itself
            if kind == "prompt if":  # "bool 'x' if EXPR": only what follows "if"
                tokens = tokens[tokens.index("if") + 1:] if "if" in tokens else []
        for token in tokens:
            if token in _SYNTAX or token[0] == "$" or (token[0] in _NUMERIC and is_number(token)):
                continue
            out.references.append((token, kind, number))


class KconfigScanner:
    """Parses each Kconfig file of a tree once and walks the source graph per arch."""

    def __init__(self, tree: KernelTree) -> None:
        self.tree = tree
        self.files: dict[str, KconfigFile | None] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._is_file: dict[str, bool] = {}
        self._globbed: dict[tuple[str, str | None], list[str]] = {}

    def file(self, path: str) -> KconfigFile | None:
        """The parsed file, or None when it cannot be read."""
        if path not in self.files:
            text = self.tree.read_text(path)
            self.files[path] = parse_file(path, text) if text is not None else None
        return self.files[path]

    def scan(self, arch: ArchConfig) -> ArchSymbols:
        """Every file ``arch`` reads (depth-first, source order) and the symbols defined."""
        from ckptlint.kconfig.environ import environment

        started = time.perf_counter()
        env = environment(self.tree, arch)
        from ckptlint.kconfig.loader import kconfig_root

        root = kconfig_root(self.tree, arch)
        order: list[KconfigFile] = []
        seen: set[str] = set()
        missing: list[tuple[str, Location]] = []
        stack: list[str] = []

        def visit(path: str) -> None:
            parsed = self.file(path)
            if parsed is None or path in stack:
                return
            stack.append(path)
            if path not in seen:
                seen.add(path)
                order.append(parsed)
            for keyword, pattern, line in parsed.sources:
                required, relative = _SOURCES[keyword]
                matches = self._matches(self._expand(pattern, env), path if relative else None)
                if not matches and required:
                    missing.append((pattern, Location(path, line)))
                for match in matches:
                    visit(match)
            stack.pop()

        if self._file_exists(root):
            visit(root)
        else:
            missing.append((root, Location(root, 1)))
        defined = frozenset().union(*(self._defined_names(p) for p in order))
        return ArchSymbols(arch, defined, order, time.perf_counter() - started, missing)

    def _defined_names(self, parsed: KconfigFile) -> frozenset[str]:
        if parsed.path not in self._names:
            self._names[parsed.path] = parsed.names
        return self._names[parsed.path]

    def _file_exists(self, rel: str) -> bool:
        if rel not in self._is_file:
            self._is_file[rel] = self.tree.is_file(rel)
        return self._is_file[rel]

    @staticmethod
    def _expand(pattern: str, env: dict[str, str]) -> str:
        pattern = pattern.replace("$(srctree)/", "").replace("$srctree/", "")
        return _VARIABLE.sub(lambda m: env.get(m.group(1) or m.group(2), ""), pattern)

    def _matches(self, pattern: str, relative_to: str | None) -> list[str]:
        """Tree files a source pattern names (globs sorted, as kconfiglib does)."""
        key = (pattern, relative_to and posixpath.dirname(relative_to))
        if key not in self._globbed:
            self._globbed[key] = self._find(pattern, relative_to)
        return self._globbed[key]

    def _find(self, pattern: str, relative_to: str | None) -> list[str]:
        if relative_to is not None:
            pattern = posixpath.join(posixpath.dirname(relative_to), pattern)
        rel = posixpath.normpath(pattern) if pattern else ""
        if not rel or rel.startswith(("/", "../")) or rel == "..":
            return []
        if not glob.has_magic(rel):
            return [rel] if self._file_exists(rel) else []
        return [m for m in self.tree.glob(rel) if self._file_exists(m)]


def scan_arches(tree: KernelTree, arches: list[ArchConfig]) -> tuple[KconfigScanner, list[ArchSymbols]]:
    """Scan every arch of ``arches`` sharing one file cache."""
    scanner = KconfigScanner(tree)
    return scanner, [scanner.scan(arch) for arch in arches]
