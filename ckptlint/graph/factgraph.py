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
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from ckptlint.graph.abis import Abi, abi as abi_for
from ckptlint.facts import (CondSyscall, Definition, Location, Prototype, SyscallCount,
                            SyscallNumber, TableEntry)
from ckptlint.graph.conditions import Conditions
from ckptlint.graph.export import export_attrs, node_id
from ckptlint.graph.sources import SourceQueries
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
    #: whether the run asked for Kconfig (an arch without a model is then unknown)
    kconfig_asked: bool = False
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
    #: (function, where) of every sys_*() call in the kernel's C code (CKL705)
    syscall_calls: list[Any] = field(default_factory=list)
    #: The ABI snapshot a change is compared with (CKL701), None outside series mode,
    #: check-patch and --staged
    abi_base: Any = None


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


class FactGraph(Conditions, SourceQueries):
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
        #: source_condition answers: (path, line, srcarch, function) -> condition
        self._source_conditions: dict[tuple[str, int, str, str | None], str | None] = {}
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

    def notes(self, kind: str | None = None) -> list:
        """What reading the tree noted (TreeNote: skipped files, tolerated oddities), all
        of them as they are noted, or those of one ``kind``."""
        if kind is None:
            return self.tree.notes
        return [note for note in self.tree.notes if note.kind == kind]

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

    def kbuild(self, srcarch: str, path: str | None = None) -> Any | None:
        """The srcarch's Kbuild model; with ``path`` (a file, or a directory ending in
        ``/``), one that knows how it is built: a descent scoped to other directories
        is replaced, for this graph, by a full one (the plan scopes it to every
        definition's and table's directory, so this is a safety net, not a path)."""
        model = self.facts.kbuild.get(srcarch)
        if model is None or path is None or model.covers(path):
            return model
        full = self.__dict__.setdefault("_full_kbuild", {})
        if srcarch not in full:
            from ckptlint.extract import kbuild

            LOG.debug("kbuild %s: %s is outside the scoped descent; descending fully", srcarch, path)
            full[srcarch] = kbuild.extract(self.tree, srcarch)
        return full[srcarch]

    def kconfig(self, arch_label: str) -> Any | None:
        return self.facts.kconfig.get(arch_label)

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
            out.add_node(node_id(node), **export_attrs(node, self.g.nodes[node].get("fact")))
        edges = sorted((node_id(u), node_id(v), d["rel"], str(d.get("condition") or ""))
                       for u, v, d in self.g.subgraph(nodes).edges(data=True))
        for u, v, rel, condition in edges:
            out.add_edge(u, v, rel=rel, **({"condition": condition} if condition else {}))
        return out


