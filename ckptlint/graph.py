"""FactGraph: the one place that knows networkx; joins facts into wiring edges.

Nodes are tuples whose first item is the kind:

``("syscall", name)``, ``("nr", abi, name)``, ``("slot", abi, position)``,
``("symbol", function)``, ``("def", i)``, ``("proto", i)``, ``("cond", i)``,
``("file", path)``, ``("object", path)``.

Edges carry ``rel``: syscall -numbered-> nr -selects-> slot -calls-> symbol;
symbol -defined-by-> def -in-> file -built-as-> object; symbol -declared-by->
proto; symbol -falls-back-to-> cond.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from ckptlint.abis import Abi, abi as abi_for
from ckptlint.facts import (CondSyscall, Definition, Location, Prototype, SyscallCount,
                            SyscallNumber, TableEntry)
from ckptlint.naming import implementing_functions
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


@dataclass
class Facts:
    """Everything the extractors produced for one run."""

    tree: KernelTree
    numbers: dict[str, list[SyscallNumber]] = field(default_factory=dict)
    counts: dict[str, SyscallCount] = field(default_factory=dict)
    tables: dict[str, list[TableEntry]] = field(default_factory=dict)
    table_kind: dict[str, str] = field(default_factory=dict)
    ignored: dict[str, dict[str, Location]] = field(default_factory=dict)
    prototypes: list[Prototype] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    cond_syscalls: list[CondSyscall] = field(default_factory=list)
    kbuild: dict[str, Any] = field(default_factory=dict)
    kconfig: dict[str, Any] = field(default_factory=dict)
    kconfig_symbols: dict[str, Location] = field(default_factory=dict)
    config_refs: list[Any] = field(default_factory=list)
    problems: list[tuple[str, str, Location]] = field(default_factory=list)
    packs: list[Any] = field(default_factory=list)
    abi_info: dict[str, Abi] = field(default_factory=dict)
    tree_symbols: Any = None
    #: fact kind -> the tree paths its extractor read or probed (see FactGraph.unread)
    inputs: dict[str, set[str]] = field(default_factory=dict)
    #: ABI label -> its numbers, for ABIs other checks compare against even when the
    #: run is narrowed to other arches (i386, CKL602's reference list)
    reference_numbers: dict[str, list[SyscallNumber]] = field(default_factory=dict)
    #: ARM's private syscalls (ckptlint.extract.armprivate)
    arm_private: list[Any] = field(default_factory=list)


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
    answer :meth:`FactGraph.entry_aliases`'s byte filter, which the checks ask of
    every one of them (one open per file, not two). ``_includers`` asks only the
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


#: Tree note kinds whose file (or included file) was not read at all.
SKIPPED_KINDS = frozenset({"unreadable", "symlink-out", "symlink-loop", "special-file", "too-large",
                           "unprintable-name", "include-outside"})


def _input_kinds(path: str, inputs: dict[str, set[str]]) -> list[tuple[str, str | None]]:
    """The (fact kind, srcarch or None) keys a skipped file at ``path`` leaves incomplete."""
    parts = path.split("/")
    srcarch = (parts[1] if len(parts) > 2 and parts[0] == "arch"
               else parts[1][len("asm-"):] if len(parts) > 2 and parts[0] == "include"
               and parts[1].startswith("asm-") and parts[1] != "asm-generic" else None)
    name = parts[-1]
    keys: list[tuple[str, str | None]] = []
    for kind in ("cond_syscalls", "prototypes"):
        if path in inputs.get(kind, ()):
            keys.append((kind, None))
    if path in inputs.get("tables", ()):
        keys.append(("tables", srcarch))
    if name.endswith((".c", ".S")) and parts[0] not in ("Documentation", "tools", "samples"):
        keys.append(("definitions", None))
    if name.startswith(("Makefile", "Kbuild")):
        keys.append(("kbuild", srcarch))
    if name.startswith("Kconfig"):
        keys.append(("kconfig", srcarch))
    return keys


def node_id(node: tuple) -> str:
    """A graph node as text: ``nr:i386:checkpoint``, ``slot:i386:9:12``."""
    return ":".join(str(part) for part in node)


class FactGraph:
    """The joined wiring graph plus query helpers used by the checks."""

    def __init__(self, facts: Facts) -> None:
        import networkx as nx

        self.facts = facts
        self.tree = facts.tree
        self.g = nx.MultiDiGraph()
        self._defs: dict[str, list[Definition]] = defaultdict(list)
        self._protos: dict[str, list[Prototype]] = defaultdict(list)
        self._conds: dict[str, list[CondSyscall]] = defaultdict(list)
        self._include_index: dict[str, dict[str, list[str]]] = {}
        self._unread: dict | None = None
        self._slot_wrappers: dict[str, dict[str, list[tuple[int, str]]]] = {}
        self._abis: tuple[list[str], list] | None = None
        self._wants: dict[str, dict[str, str]] = {}
        self._generic_macros: frozenset[str] | None = None
        self._aliases: dict[str, dict[str, list[tuple[str, str, Location]]]] = {}
        #: the run's ckptlint.unknown.Ledger while checks run (set by the engine), and
        #: afterwards [cause, stood-down check IDs] for each cause met
        self.ledger = None
        self.unevaluated: list = []
        self._build()

    # -- construction -----------------------------------------------------
    def _build(self) -> None:
        f = self.facts
        for abi, numbers in f.numbers.items():
            for num in numbers:
                self.g.add_node(("nr", abi, num.name), fact=num)
                self.g.add_edge(("syscall", num.name), ("nr", abi, num.name), rel="numbered")
        for abi, entries in f.tables.items():
            by_number = self.number_index(abi)
            for entry in entries:
                slot = ("slot", abi, entry.position, entry.loc.line)
                self.g.add_node(slot, fact=entry)
                self.g.add_edge(slot, ("symbol", entry.entry), rel="calls")
                for target in implementing_functions(entry.entry)[1:]:
                    self.g.add_edge(("symbol", entry.entry), ("symbol", target), rel="wraps")
                for num in by_number.get(entry.position, ()):
                    self.g.add_edge(("nr", abi, num.name), slot, rel="selects")
        self._add_indexed(f.definitions, "def", "defined-by", self._defs)
        self._add_indexed(f.prototypes, "proto", "declared-by", self._protos)
        self._add_indexed(f.cond_syscalls, "cond", "falls-back-to", self._conds)
        for i, definition in enumerate(f.definitions):
            self.g.add_edge(("def", i), ("file", definition.loc.path), rel="in")
            for srcarch, kbuild in f.kbuild.items():
                condition = kbuild.condition_for_source(definition.loc.path)
                target = ("object", srcarch, definition.loc.path)
                if condition is not None and not self.g.has_edge(("file", definition.loc.path), target):
                    self.g.add_edge(("file", definition.loc.path), target, rel="built-as",
                                    condition=condition)

    def _add_indexed(self, facts: Iterable[Any], kind: str, rel: str,
                     index: dict[str, list[Any]]) -> None:
        for i, fact in enumerate(facts):
            self.g.add_node((kind, i), fact=fact)
            self.g.add_edge(("symbol", fact.function), (kind, i), rel=rel)
            index[fact.function].append(fact)

    # -- inputs that could not be read ------------------------------------------
    def unread(self, kind: str, srcarch: str | None = None):
        """An Unknown when an input of fact ``kind`` (for ``srcarch``) could not be read,
        else None; a running check that asks is booked as standing down.

        Kinds: ``cond_syscalls`` and ``prototypes`` (a file their extractor read),
        ``tables`` (a table or unistd header, per srcarch: an arch/<a>/ or
        include/asm-<a>/ path is that arch's, any other one every arch's),
        ``definitions`` (any C or assembly file), ``kbuild`` (a Makefile or Kbuild
        file) and ``kconfig`` (a Kconfig file), per srcarch like tables.
        """
        from ckptlint.unknown import Unknown, met

        for key in ((kind, srcarch), (kind, None)) if srcarch is not None else ((kind, None),):
            cause = self.unread_inputs().get(key)
            if cause is not None:
                return met(Unknown(cause))
        if srcarch is None:  # any srcarch's input of this kind
            for (known, _), cause in self.unread_inputs().items():
                if known == kind:
                    return met(Unknown(cause))
        return None

    def unread_inputs(self) -> dict[tuple[str, str | None], Any]:
        """(kind, srcarch or None) -> the Cause of the first input of that kind that was skipped."""
        if self._unread is None:
            from ckptlint.unknown import Cause

            found: dict[tuple[str, str | None], Any] = {}
            for note in self.tree.notes:
                if note.kind not in SKIPPED_KINDS:
                    continue  # read, but with a quirk (an include cycle, a stray endif)
                cause = Cause(note.loc, note.message)
                for key in _input_kinds(note.loc.path, self.facts.inputs):
                    found.setdefault(key, cause)
            self._unread = found
        return self._unread

    def is_wiring_input(self, path: str, kind: str = "unreadable") -> bool:
        """Whether a file skipped for a note of ``kind`` is one some fact kind needed."""
        return kind in SKIPPED_KINDS and bool(_input_kinds(path, self.facts.inputs))

    # -- queries ------------------------------------------------------------
    def abis(self) -> list[str]:
        """ABIs that have numbers or a table, in a stable order; an ABI whose table or
        headers could not be read is left out (the checks that ask stand down)."""
        if self._abis is None:
            kept, left_out = [], []
            for label in sorted(set(self.facts.numbers) | set(self.facts.tables)):
                srcarch = self.abi(label).srcarch
                unread = self.unread_inputs()
                cause = unread.get(("tables", srcarch)) or unread.get(("tables", None)) if unread else None
                (left_out if cause is not None else kept).append((label, cause))
            self._abis = ([label for label, _ in kept], [cause for _, cause in left_out])
        if self._abis[1]:
            from ckptlint.unknown import Unknown, met

            for cause in self._abis[1]:
                met(Unknown(cause))
        return list(self._abis[0])

    def abi(self, label: str) -> Abi:
        """Where an ABI's table is built: srcarch and Kconfig arch."""
        return self.facts.abi_info.get(label) or abi_for(label)

    def abi_condition(self, label: str) -> str:
        """Kconfig condition under which an ABI's table is built: its arch's choice of
        ABIs (``Abi.condition``) and, for a table written in an assembly or C file,
        that file's own Kbuild gate (2.6 cris builds arch-v10's entry.S or
        arch-v32's, as ETRAX_ARCH_V32 says)."""
        abi = self.abi(label)
        condition = abi.condition
        if abi.path.endswith((".S", ".c")) and self.facts.kbuild:
            gate = self.gate(abi.path, abi.srcarch)
            if gate is not None and gate != "y":
                condition = gate if condition == "y" else f"({condition}) && ({gate})"
        return condition

    def numbers(self, abi: str) -> list[SyscallNumber]:
        return self.facts.numbers.get(abi, [])

    def number_index(self, abi: str) -> dict[int, list[SyscallNumber]]:
        """__NR_ facts of an ABI by number (one index per ABI: do not modify it)."""
        numbers = self.numbers(abi)
        memo = self.__dict__.setdefault("_number_index", {})
        stamp = (id(numbers), len(numbers))  # facts grown since: index again
        if memo.get(abi, (None,))[0] != stamp:
            index: dict[int, list[SyscallNumber]] = defaultdict(list)
            for num in numbers:
                index[num.number].append(num)
            memo[abi] = (stamp, dict(index))
        return memo[abi][1]

    def name_index(self, abi: str) -> dict[str, SyscallNumber]:
        """__NR_ facts of an ABI by syscall name (first definition wins; do not modify it)."""
        numbers = self.numbers(abi)
        memo = self.__dict__.setdefault("_name_index", {})
        stamp = (id(numbers), len(numbers))
        if memo.get(abi, (None,))[0] != stamp:
            index: dict[str, SyscallNumber] = {}
            for num in numbers:
                index.setdefault(num.name, num)
            memo[abi] = (stamp, index)
        return memo[abi][1]

    def table(self, abi: str) -> list[TableEntry]:
        return self.facts.tables.get(abi, [])

    def alias_slot(self, abi: str, entry: TableEntry) -> bool:
        """Whether ``entry`` is a second slot for a call that also sits at its own number.

        Old tables keep a retired number wired to the new call for old
        binaries: alpha's OSF/1 ``setpgrp`` slot 82 calls ``sys_setpgid``
        (``__NR_setpgid`` is 39, wired too); s390x's slot 76 calls
        ``sys_getrlimit`` (``__NR_getrlimit`` is 191). Not when the slot's own
        number has a definition of its own to call.
        """
        num = self.name_index(abi).get(entry.syscall) if entry.syscall else None
        if num is None or num.number == entry.position:
            return False
        if any(self.definitions(prefix + own.name) for own in self.number_index(abi).get(
                entry.position, ()) for prefix in ("sys_", "compat_sys_")):
            return False  # the slot's own call exists: sh32's pwritev slot calling sys_writev
        return any(other.position == num.number and other.entry == entry.entry
                   for other in self.table(abi))

    def count(self, abi: str) -> SyscallCount | None:
        return self.facts.counts.get(abi)

    def definitions(self, function: str) -> list[Definition]:
        return self._defs.get(function, [])

    def entry_definitions(self, entry: str) -> list[Definition]:
        """Definitions of every symbol that makes a table entry resolvable."""
        return [d for name in implementing_functions(entry) for d in self.definitions(name)]

    def entry_cond_syscalls(self, entry: str) -> list[CondSyscall]:
        """cond_syscall() fallbacks for a table entry or the function it wraps."""
        return [c for name in implementing_functions(entry) for c in self.cond_syscalls(name)]

    def prototypes(self, function: str) -> list[Prototype]:
        return self._protos.get(function, [])

    def cond_syscalls(self, function: str) -> list[CondSyscall]:
        return self._conds.get(function, [])

    def all_cond_syscalls(self) -> list[CondSyscall]:
        return self.facts.cond_syscalls

    def defined_functions(self) -> set[str]:
        return set(self._defs)

    def wired_abis(self, syscall: str) -> list[str]:
        """ABIs whose table has a non-hole slot for ``syscall``."""
        return sorted(abi for abi in self.facts.tables
                      if any(e.syscall == syscall for e in self.table(abi)))

    def wired_entries(self) -> dict[str, list[TableEntry]]:
        """Entry symbol -> the table slots that call it, across ABIs."""
        out: dict[str, list[TableEntry]] = defaultdict(list)
        for abi in sorted(self.facts.tables):
            for entry in self.table(abi):
                if entry.syscall is not None:
                    out[entry.entry].append(entry)
        return out

    def kbuild(self, srcarch: str) -> Any | None:
        return self.facts.kbuild.get(srcarch)

    def kconfig(self, arch_label: str) -> Any | None:
        return self.facts.kconfig.get(arch_label)

    def gate(self, path: str, srcarch: str) -> str | None:
        """Kconfig condition under which ``path`` is built for srcarch (None: never built).

        A .c or .S file that no Makefile names but a built sibling ``#include``s
        (6.x kernel/sched/build_policy.c includes syscalls.c; sparc64's
        head_64.S includes syscalls.S) is built with it.
        """
        kbuild = self.kbuild(srcarch)
        if kbuild is None:
            return None
        condition = kbuild.condition_for_source(path)
        if condition is None and path.endswith((".c", ".S")):
            outer = [kbuild.condition_for_source(p) for p in self._includers(path)]
            outer = [c for c in outer if c is not None]
            condition = " || ".join(f"({c})" for c in outer) if outer else None
        return condition

    def _includers(self, path: str) -> list[str]:
        """Sibling .c/.S files that ``#include "<name>.c"`` (or ``.S``) the given file."""
        directory, name = path.rsplit("/", 1) if "/" in path else ("", path)
        if directory not in self._include_index:
            index: dict[str, list[str]] = defaultdict(list)
            prefix = f"{directory}/" if directory else ""
            for sibling in self.tree.walk((".c", ".S"), under=directory, skip=frozenset({"*"})) \
                    if directory else ():
                if "/" in sibling[len(prefix):] \
                        or not self.tree.scan_bytes(sibling, _may_include_source, _INCLUDES_SOURCE_KEY):
                    continue  # most files include no source file: not decoded nor kept
                for included in _C_INCLUDE.findall(self.tree.read_text(sibling) or ""):
                    index[included].append(sibling)
            self._include_index[directory] = index
        return self._include_index[directory].get(name, [])

    def source_condition(self, path: str, line: int, srcarch: str,
                         function: str | None = None) -> str | None:
        """Kbuild gate of ``path`` and the #if conditions around ``line``; None if never built."""
        from ckptlint.extract.ppcond import condition_at

        gate = self.gate(path, srcarch)
        if gate is None:
            return None
        inner = condition_at(self.tree, path, line)
        inner = self.resolve_arch_wants(inner, srcarch)
        lines = self.tree.lines(path)
        if function and 0 < line <= len(lines) and _COMPAT_SWITCHED.search(lines[line - 1]):
            inner = f"({inner}) && " + ("COMPAT" if function.startswith("compat_") else "!COMPAT")
        return gate if inner == "y" else f"({gate}) && ({inner})"

    def linked_condition(self, definition, srcarch: str) -> str | None:
        """:meth:`source_condition` of a definition, less the configurations where
        a strong definition of the same function replaces a weak one at link time."""
        built = self.source_condition(definition.loc.path, definition.loc.line, srcarch,
                                      definition.function)
        if built is None or not definition.weak:
            return built
        strong = [c for other in self.definitions(definition.function)
                  if not other.weak and other.kind != "asm"
                  and (c := self.source_condition(other.loc.path, other.loc.line, srcarch,
                                                  other.function)) is not None]
        if not strong:
            return built
        if "y" in strong:
            return None
        return f"({built}) && !({' || '.join(f'({c})' for c in strong)})"

    def slot_condition(self, slot: TableEntry, srcarch: str) -> str:
        """Kconfig condition under which a table slot holds its entry at all.

        The ``#if`` around the slot's line (alpha's systbls.S: ``#ifdef
        CONFIG_OSF4_COMPAT`` around ``.quad sys_osf_readv``), and, for a slot
        written through a one-parameter macro of the same file, the branches
        where that macro is the identity (frv: ``.long __MMU(sys_mlock)`` with
        ``#define __MMU(X) X`` under CONFIG_MMU and ``sys_ni_syscall`` otherwise).
        """
        from ckptlint.extract.ppcond import condition_at

        path, line = slot.loc.path, slot.loc.line
        if not path.endswith((".S", ".h")):
            return "y"
        condition = self.resolve_arch_wants(condition_at(self.tree, path, line), srcarch)
        lines = self.tree.lines(path)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        for macro in _SLOT_MACRO.findall(text):
            identity = [self.resolve_arch_wants(condition_at(self.tree, path, number), srcarch)
                        for number, body in self._wrappers(path).get(macro, ())
                        if body == "identity"]
            if identity and len(identity) < len(self._wrappers(path)[macro]):
                either = "y" if "y" in identity else " || ".join(f"({c})" for c in identity)
                condition = either if condition == "y" else f"({condition}) && ({either})"
        return condition

    def _wrappers(self, path: str) -> dict[str, list[tuple[int, str]]]:
        """One-parameter macros a table file defines: name -> [(line, "identity" or body)]."""
        if path not in self._slot_wrappers:
            found: dict[str, list[tuple[int, str]]] = defaultdict(list)
            for number, line in enumerate(self.tree.lines(path), start=1):
                match = _WRAPPER_DEFINE.match(line)
                if match:
                    name, param, body = match.groups()
                    found[name].append((number, "identity" if body == param else body))
            self._slot_wrappers[path] = dict(found)
        return self._slot_wrappers[path]

    def entry_aliases(self, srcarch: str) -> dict[str, list[tuple[str, str, Location]]]:
        """``#define sys_x other`` in an arch's table files: entry -> [(other, condition, loc)].

        The file that expands the generated table renames some entries
        (m68k's syscalltable.S: ``#ifndef CONFIG_MMU`` / ``#define sys_mmap2
        sys_mmap_pgoff``), so under that condition the table calls ``other``.
        """
        from ckptlint.extract.ppcond import condition_at

        if srcarch not in self._aliases:
            found: dict[str, list[tuple[str, str, Location]]] = defaultdict(list)
            for path in self.tree.walk((".c", ".S"), under=f"arch/{srcarch}"):
                # raw bytes first: only table files are decoded (x86 alone has ~700 .c/.S)
                if not self.tree.scan_bytes(path, _may_rename_entries, _ENTRY_ALIASES_KEY):
                    continue
                text = self.tree.read_text(path) or ""
                if "#define" not in text or not _TABLE_FILE.search(text):
                    continue
                for match in _ENTRY_ALIAS.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found[match.group(1)].append(
                        (match.group(2), condition_at(self.tree, path, line), Location(path, line)))
            self._aliases[srcarch] = dict(found)
        return self._aliases[srcarch]

    def resolve_arch_wants(self, expr: str, srcarch: str) -> str:
        """``__ARCH_x`` names in a condition replaced by the arch's own conditions
        (``ckptlint.extract.archmacros``)."""
        if "__ARCH_" not in expr:
            return expr
        from ckptlint.extract import archmacros

        if srcarch not in self._wants:
            self._wants[srcarch] = archmacros.arch_macros(self.tree, srcarch)
        if self._generic_macros is None:
            self._generic_macros = archmacros.generic_macros(self.tree)
        return archmacros.resolve(expr, self._wants[srcarch], self._generic_macros)

    def first_arch_where(self, conditions: list[str], srcarch: str | None = None) -> str | None:
        """The first Kconfig arch (of ``srcarch`` if given) where all conditions can be
        shown to hold at once (an arch whose Kconfig cannot tell is not one)."""
        from ckptlint.kconfig.query import satisfiable
        from ckptlint.unknown import is_yes

        expr = " && ".join(f"({c})" for c in conditions) or "y"
        for label, model in sorted(self.facts.kconfig.items()):
            if srcarch is not None and model.arch.srcarch != srcarch:
                continue
            if is_yes(satisfiable(model, expr)):
                return label
        return None

    def in_scope(self, path: str) -> str | None | bool:
        """The srcarch a path belongs to (None: generic), or False when it is outside
        the arches whose tables this run reads."""
        arches = {self.abi(a).srcarch for a in self.abis()}
        if path.startswith("include/asm-generic/"):
            name = path[len("include/asm-generic/"):]
            return None if any(self.uses_generic(a, name) for a in arches) else False
        if path.startswith("include/asm-"):  # before the header moves: include/asm-<hdr-arch>/
            hdr = path.split("/")[1][len("asm-"):]
            owners = sorted(a for a in arches if self.tree.header_arch(a) == hdr or a == hdr)
            return owners[0] if owners else False
        if not path.startswith("arch/"):
            return None
        srcarch = path.split("/")[1]
        return srcarch if srcarch in arches else False

    def uses_generic(self, srcarch: str, name: str) -> bool:
        """Whether an arch compiles include/asm-generic/<name> (by #include or Kbuild generic-y)."""
        from ckptlint.extract.asmpath import asm_header

        own = asm_header(self.tree, srcarch, name)
        text = self.tree.read_text(own) if self.tree.is_file(own) else None
        if text is not None:
            return f"asm-generic/{name}" in text
        kbuild = self.tree.read_text(f"arch/{srcarch}/include/asm/Kbuild") or ""
        mandatory = self.tree.read_text("include/asm-generic/Kbuild") or ""
        return re.search(rf"^\s*(generic|mandatory)-y\s*\+?=\s*{re.escape(name)}\b",
                         kbuild + "\n" + mandatory, re.M) is not None

    def wiring(self, syscall: str) -> list[tuple[Any, Any, str]]:
        """Every edge reachable from the syscall node, as (from, to, rel)."""
        import networkx as nx

        start = ("syscall", syscall)
        if start not in self.g:
            return []
        nodes = nx.descendants(self.g, start) | {start}
        return [(u, v, d["rel"]) for u, v, d in self.g.subgraph(nodes).edges(data=True)]

    def wiring_subgraph(self, syscalls: Iterable[str]):
        """The syscalls' wiring as a networkx MultiDiGraph for export: text node ids
        (``node_id``), node attributes kind/label (+ path, line, abi... when known),
        edge attributes rel (+ condition); every value a str or an int."""
        import networkx as nx

        nodes: set = set()
        for name in syscalls:
            start = ("syscall", name)
            if start in self.g:
                nodes |= nx.descendants(self.g, start) | {start}
        out = nx.MultiDiGraph()
        for node in sorted(nodes, key=node_id):
            out.add_node(node_id(node), **_export_attrs(node, self.g.nodes[node].get("fact")))
        edges = sorted((node_id(u), node_id(v), d["rel"], str(d.get("condition") or ""))
                       for u, v, d in self.g.subgraph(nodes).edges(data=True))
        for u, v, rel, condition in edges:
            out.add_edge(u, v, rel=rel, **({"condition": condition} if condition else {}))
        return out


def _export_attrs(node: tuple, fact: Any) -> dict[str, str | int]:
    """Attributes of one exported node, from its kind and fact. ``name`` is the bare
    name; ``label`` (what Graphviz draws) adds the ABI and ``path:line``, so that the
    four ``__NR_mseal`` boxes of a tree say which ABI and file each one is."""
    kind = node[0]
    attrs: dict[str, str | int] = {"kind": kind, "name": str(node[-1])}
    loc = getattr(fact, "loc", None)
    if loc is not None:
        attrs.update(path=loc.path, line=loc.line)
    if kind == "nr":
        attrs.update(abi=node[1], name=f"__NR_{node[2]}",
                     **({"number": fact.number} if fact is not None else {}))
    elif kind == "slot":
        attrs.update(abi=node[1], number=node[2], name=fact.entry)
    elif kind in ("def", "proto", "cond"):
        attrs["name"] = fact.function
        if kind == "def":
            attrs["form"] = fact.kind
    elif kind == "file":
        attrs["path"] = node[1]
    elif kind == "object":
        attrs.update(srcarch=node[1], path=node[2], name=node[2])
    attrs["label"] = _export_label(kind, attrs)
    return attrs


#: What a node of each kind is, in its label.
_ROLE = {"def": "definition", "proto": "prototype", "cond": "cond_syscall"}


def _export_label(kind: str, attrs: dict) -> str:
    """``__NR_mseal = 462`` / ``x86_64`` / ``path:line``, one part a line."""
    name = attrs["name"]
    if kind == "nr" and "number" in attrs:
        name = f"{name} = {attrs['number']}"
    parts = [str(name)]
    if kind == "nr":
        parts.append(str(attrs["abi"]))
    elif kind == "slot":
        parts.append(f"{attrs['abi']} slot {attrs['number']}")
    elif kind in _ROLE:
        parts.append(f"{_ROLE[kind]} ({attrs['form']})" if "form" in attrs else _ROLE[kind])
    elif kind == "object":
        parts.append(f"built on {attrs['srcarch']}")
    if "line" in attrs:
        parts.append(f"{attrs['path']}:{attrs['line']}")
    return "\n".join(parts)
