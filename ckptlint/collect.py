"""Fact collection: which extractor fills which part of Facts, run only when needed."""

from __future__ import annotations

import logging
import time

from ckptlint.abis import abi as abi_for
from ckptlint.graph import Facts, FactGraph
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


def collect(tree: KernelTree, needed: set[str], options, timings: dict[str, float]) -> Facts:
    """Run the extractors whose fact kinds some enabled check requires."""
    facts = Facts(tree=tree)
    _timed(timings, "tables", lambda: _tables(tree, facts))
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


def _tables(tree: KernelTree, facts: Facts) -> None:
    from ckptlint.extract import tables, unistd

    for header in unistd.extract(tree):
        facts.numbers[header.abi] = header.numbers
        facts.ignored[header.abi] = header.ignored
        if header.count is not None:
            facts.counts[header.abi] = header.count
        if header.pairs:
            facts.tables[header.abi] = header.pairs
            facts.table_kind[header.abi] = "pairs"
    for table in tables.extract(tree):
        facts.tables[table.abi] = table.entries
        facts.table_kind[table.abi] = "asm"


def _kbuild(tree: KernelTree, facts: Facts, abis: list[str]) -> None:
    from ckptlint.extract import kbuild

    for srcarch in sorted({abi_for(a).srcarch for a in abis}):
        if tree.is_dir(f"arch/{srcarch}"):
            facts.kbuild[srcarch] = kbuild.extract(tree, srcarch)


def _kconfig(tree: KernelTree, facts: Facts, abis: list[str]) -> None:
    from ckptlint.kconfig import loader

    wanted = {abi_for(a).kconfig_arch for a in abis}
    for config in loader.arch_configs(tree):
        if config.label in wanted:
            facts.kconfig[config.label] = loader.load(tree, config)
