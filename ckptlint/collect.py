"""Fact collection: which extractor fills which part of Facts, run only when needed."""

from __future__ import annotations

import logging
import time

from ckptlint.abis import Abi
from dataclasses import replace

from ckptlint.facts import AbiTable, TableEntry
from ckptlint.graph import Facts, FactGraph
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


def collect(tree: KernelTree, needed: set[str], options, timings: dict[str, float]) -> Facts:
    """Run the extractors whose fact kinds some enabled check requires."""
    facts = Facts(tree=tree)
    _timed(timings, "tables", lambda: _tables(tree, facts, options.arches))
    if needed & {"prototypes"}:
        from ckptlint.extract import prototypes

        facts.prototypes = _timed(timings, "prototypes", lambda: list(prototypes.extract(tree)))
    if needed & {"cond_syscalls"}:
        from ckptlint.extract import sysni

        facts.cond_syscalls = _timed(timings, "cond_syscalls", lambda: list(sysni.extract(tree)))
    if needed & {"definitions"}:
        from ckptlint.extract import defines

        # Table entries and cond_syscall() names without a syscall prefix
        # (i386's old_select, powerpc's ppc_rtas) are looked for by name.
        extra = {e.entry for entries in facts.tables.values() for e in entries
                 if e.syscall is not None and e.syscall == e.entry}
        extra |= {c.function for c in facts.cond_syscalls if entry_syscall(c.function) == c.function}
        facts.definitions = _timed(timings, "definitions",
                                   lambda: list(defines.extract(tree, extra_names=extra)))
    if needed & {"kconfig_symbols"}:
        from ckptlint.extract import kconfigsyms

        facts.kconfig_symbols = _timed(timings, "kconfig_symbols", lambda: kconfigsyms.extract(tree))
    abis = sorted(set(facts.numbers) | set(facts.tables))
    if needed & {"kbuild"}:
        _timed(timings, "kbuild", lambda: _kbuild(tree, facts, abis))
    if needed & {"kconfig"}:
        _timed(timings, "kconfig", lambda: _kconfig(tree, facts, abis))
    if needed & {"packs"}:
        from ckptlint.packs import load_packs

        facts.packs = load_packs(options.rules_dirs)
    return facts


def late_facts(graph: FactGraph, needed: set[str], timings: dict[str, float]) -> None:
    """Facts whose extent depends on the joined graph (CONFIG_ refs of the wiring)."""
    if "config_refs" in needed:
        from ckptlint.checks.undefined_config import wiring_sources
        from ckptlint.extract import configrefs

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

    ``arches`` keeps ABIs whose srcarch or label is listed (None: all).
    """
    tables = abi_tables(tree)
    if arches is not None:
        known = {name for t in tables for name in (t.srcarch, t.label)} | set(tree.srcarches)
        unknown = sorted(arches - known)
        if unknown:
            from ckptlint.engine import ConfigError

            raise ConfigError(f"unknown arch '{unknown[0]}' for this tree "
                              f"(one of: {', '.join(sorted(known)) or 'none found'})")
    for table in tables:
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


def _compat_view(entry: TableEntry) -> TableEntry:
    """A compat ABI runs the compat column where a row has one."""
    if not entry.compat or entry.compat == entry.entry:
        return entry
    return replace(entry, entry=entry.compat, syscall=entry_syscall(entry.compat) or entry.syscall)


#: Extractor modules that return AbiTables, in priority order (first one wins a label).
TABLE_SOURCES = ("ckptlint.extract.tbl", "ckptlint.extract.generic", "ckptlint.extract.arch26")


def abi_tables(tree: KernelTree) -> list[AbiTable]:
    """AbiTables of the 2.6 x86 layout, then of every other source module."""
    import importlib

    from ckptlint.extract import tables, unistd

    out: list[AbiTable] = []
    headers = {h.abi: h for h in unistd.extract(tree)}
    positional = {t.abi: t for t in tables.extract(tree)}
    for label, header in headers.items():
        table = positional.get(label)
        out.append(AbiTable(label=label, srcarch="x86", kconfig_arch=label,
                            kind="positional" if table else "pairs", path=header.path,
                            numbers=header.numbers, entries=table.entries if table else header.pairs,
                            count=header.count, ignored=header.ignored))
    for name in TABLE_SOURCES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        out.extend(module.extract(tree))
    return out


def _kbuild(tree: KernelTree, facts: Facts, abis: list[str]) -> None:
    from ckptlint.extract import kbuild

    for srcarch in sorted({facts.abi_info[a].srcarch for a in abis}):
        if tree.is_dir(f"arch/{srcarch}"):
            facts.kbuild[srcarch] = kbuild.extract(tree, srcarch)


def _kconfig(tree: KernelTree, facts: Facts, abis: list[str]) -> None:
    from ckptlint.kconfig import loader

    wanted = {facts.abi_info[a].kconfig_arch for a in abis}
    for config in loader.arch_configs(tree):
        if config.label in wanted:
            facts.kconfig[config.label] = loader.load(tree, config)
