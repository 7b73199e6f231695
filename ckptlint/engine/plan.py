"""The extraction plan: which extractor fills which part of Facts, run only when a
check needs it; the session (ckptlint.runtime) decides where the work runs."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Callable

from ckptlint.extract import syscall_tables
from ckptlint.extract.source_text import scan_along_definitions
from ckptlint.facts import TableEntry
from ckptlint.graph.abis import Abi
from ckptlint.graph.factgraph import FactGraph, Facts
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


def collect(tree: KernelTree, needed: set[str], options, timings: dict[str, float],
            session=None, early: Callable[[Facts], None] | None = None) -> Facts:
    """Run the extractors whose fact kinds some enabled check requires.

    ``session`` (``ckptlint.runtime.session.Session``) supplies the cache and the
    workers; without one everything runs here, uncached. Per-arch Kbuild and
    Kconfig work starts first, so workers run while this process extracts.
    ``early(facts)`` is called once every fact but the Kconfig models (and
    the tree-wide symbol scan and rule packs) is in, while workers may still
    parse: the caller builds what needs no Kconfig then.
    """
    from ckptlint.runtime.session import Session

    session = session or Session(tree, use_cache=False, jobs=1)
    facts = Facts(tree=tree, abi_base=options.abi_base)
    _timed(timings, "discovery", lambda: tree.listing)
    if not needed or needed - TABLE_FREE or options.arches is not None:
        with tree.recording() as read:
            _timed(timings, "tables", lambda: _tables(tree, facts, options.arches))
        facts.inputs["tables"] = read
    abis = sorted(set(facts.numbers) | set(facts.tables))
    arch_work = bool(needed & {"kbuild", "kconfig"})
    if arch_work:
        _timed(timings, "arch start", lambda: _start_arch_work(tree, facts, needed, abis, session))
    if needed & {"prototypes"}:
        from ckptlint.extract import prototypes

        with tree.recording() as read:
            facts.prototypes = _timed(timings, "prototypes", lambda: list(prototypes.extract(tree)))
        facts.inputs["prototypes"] = read
    if needed & {"cond_syscalls"}:
        from ckptlint.extract import sysni

        with tree.recording() as read:
            facts.cond_syscalls = _timed(timings, "cond_syscalls", lambda: list(sysni.extract(tree)))
        facts.inputs["cond_syscalls"] = read
    if needed & {"definitions"}:
        # Table entries and cond_syscall() names without a syscall prefix
        # (i386's old_select, powerpc's ppc_rtas) are looked for by name.
        extra = {e.entry for entries in facts.tables.values() for e in entries
                 if e.syscall is not None and entry_syscall(e.entry) == e.entry}
        extra |= {c.function for c in facts.cond_syscalls if entry_syscall(c.function) == c.function}
        scan_along_definitions(tree)  # byte filters the checks ask of these files later
        facts.definitions = _timed(timings, "definitions", lambda: session.definitions(extra))
    if needed & {"arm_private"}:
        from ckptlint.extract import armprivate

        facts.arm_private = armprivate.extract(tree)
    if needed & {"syscall_calls"}:
        from ckptlint.extract import syscall_calls

        facts.syscall_calls = _timed(timings, "syscall_calls", lambda: list(syscall_calls.extract(tree)))
    if needed & {"kconfig_symbols"}:
        from ckptlint.extract import kconfigsyms

        facts.kconfig_symbols = _timed(timings, "kconfig_symbols", lambda: kconfigsyms.extract(tree))
    between = None
    if early is not None:
        def between(kbuild: dict) -> None:
            if "kbuild" in needed:
                facts.kbuild = kbuild
            started = time.perf_counter()
            early(facts)
            timings["arch wait"] = timings.get("arch wait", 0.0) - (time.perf_counter() - started)
    if arch_work:
        wanted = kbuild_wanted(facts) if "definitions" in needed else None
        kbuild, kconfig = _timed(timings, "arch wait", lambda: session.finish(between, wanted))
        if "kbuild" in needed:
            facts.kbuild = kbuild
        if "kconfig" in needed:
            facts.kconfig = kconfig
            facts.kconfig_asked = True
    elif early is not None:
        early(facts)
    if needed & {"tree_symbols"}:
        from ckptlint.kconfig import tree_symbols

        scope = None if options.arches is None else set(options.arches) | {
            facts.abi_info[a].srcarch for a in abis}
        facts.tree_symbols = _timed(timings, "tree_symbols", lambda: tree_symbols.scan(tree, scope))
    if needed & {"packs"}:
        from ckptlint.extract.packs import load_packs

        facts.packs = load_packs(options.rules_dirs, tree=tree, tree_dirs=options.tree_rules_dirs)
    return facts


def kbuild_wanted(facts: Facts) -> frozenset[str]:
    """The directories whose files the graph asks Kbuild about: those holding a
    definition (and the siblings that ``#include`` it) or a syscall table."""
    paths = {d.loc.path for d in facts.definitions}
    paths |= {e.loc.path for entries in facts.tables.values() for e in entries}
    paths |= {abi.path for abi in facts.abi_info.values() if abi.path}
    return frozenset(p.rpartition("/")[0] + "/" for p in paths if "/" in p)


#: Fact kinds that need no syscall table: a run needing only these (and no
#: ABI label to resolve in --arch) skips table extraction and its graph.
TABLE_FREE = frozenset({"tree_symbols"})


def late_facts(graph: FactGraph, needed: set[str], timings: dict[str, float]) -> None:
    """Facts whose extent depends on the joined graph (CONFIG_ refs of the wiring)."""
    if "config_refs" in needed:
        from ckptlint.extract import configrefs
        from ckptlint.graph.queries import wiring_sources

        paths = wiring_sources(graph)
        graph.facts.config_refs = _timed(timings, "config_refs",
                                         lambda: list(configrefs.extract(graph.tree, paths)))


def _timed(timings, stage, func):
    started = time.perf_counter()
    try:
        return func()
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


def _tables(tree: KernelTree, facts: Facts, arches: set[str] | None) -> None:
    """Every ABI's numbers and table, from whichever layouts the tree has.

    ``arches`` keeps ABIs whose srcarch or label is listed (None: all);
    ``x86`` also names i386 and x86_64, the SRCARCHes it was before 2.6.24.
    """
    tables = syscall_tables.abi_tables(tree)
    if arches is not None:
        known = {name for t in tables for name in (t.srcarch, t.label)} | set(tree.srcarches)
        known |= {name for name, olds in ARCH_ALIASES.items() if known & set(olds)}
        unknown = sorted(arches - known)
        if unknown:
            from ckptlint.engine.archnames import unknown_message
            from ckptlint.engine.options import ConfigError

            raise ConfigError(unknown_message(unknown[0], known | {"all"} if known else known))
        arches = arches | {old for name in arches for old in ARCH_ALIASES.get(name, ())}
    for table in tables:
        if table.label in REFERENCE_ABIS and table.label not in facts.reference_numbers:
            facts.reference_numbers[table.label] = table.numbers  # whatever the scope
        if arches is not None and not {table.srcarch, table.label} & arches:
            continue
        if table.label in facts.abi_info:
            LOG.debug("%s: second source %s ignored", table.label, table.path)
            continue
        facts.abi_info[table.label] = Abi(table.label, table.srcarch, table.kconfig_arch, table.path)
        if facts.abi_info[table.label].is_compat_view:
            table.entries = [_compat_view(e) for e in table.entries]
        facts.numbers[table.label] = table.numbers
        facts.tables[table.label] = table.entries
        facts.table_kind[table.label] = table.kind
        facts.ignored[table.label] = table.ignored
        if table.count is not None:
            facts.counts[table.label] = table.count


#: Arch names that also select the SRCARCHes an arch had in older trees: the
#: default ``--arch x86`` checks 2.6.12-2.6.23's arch/i386 and arch/x86_64.
ARCH_ALIASES = {"x86": ("i386", "x86_64")}


#: ABIs whose numbers are a reference for every arch (scripts/checksyscalls.sh: i386).
REFERENCE_ABIS = frozenset({"i386"})


def _compat_view(entry: TableEntry) -> TableEntry:
    """A compat ABI runs the compat column where a row has one."""
    if not entry.compat or entry.compat == entry.entry:
        return entry
    return replace(entry, entry=entry.compat, syscall=entry_syscall(entry.compat))


def _start_arch_work(tree: KernelTree, facts: Facts, needed: set[str], abis: list[str],
                     session) -> None:
    """Hand the srcarches' Kbuild and the arches' Kconfig evaluations to the session."""
    from ckptlint.kconfig import loader

    srcarches = []
    if "kbuild" in needed:
        srcarches = [s for s in sorted({facts.abi_info[a].srcarch for a in abis})
                     if tree.is_dir(f"arch/{s}")]
    configs = []
    if "kconfig" in needed:
        wanted = {facts.abi_info[a].kconfig_arch for a in abis}
        configs = [c for c in loader.arch_configs(tree) if c.label in wanted]
    session.start(srcarches, configs)
