"""The engine: runs the extractors the enabled checks need, then the checks;
stamps rule id and severity; filters and sorts. The only place that decides
what gets reported."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from types import ModuleType

from ckptlint import checks as registry
from ckptlint.facts import Location
from ckptlint.findings import SEVERITY_RANK, Draft, Finding, Related, fingerprint, printable
from ckptlint.graph import Facts, FactGraph
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


#: Arches checked by default: those whose checks are triaged on real trees
#: (docs/real-trees.md). ``--arch all`` checks every ABI the tree has.
DEFAULT_ARCHES = ("x86",)


class ConfigError(Exception):
    """Options that cannot be honoured (unknown check, bad severity)."""


@dataclass
class Options:
    """What to run and what to report."""

    select: set[str] | None = None
    ignore: set[str] = field(default_factory=set)
    severities: dict[str, str] = field(default_factory=dict)
    min_severity: str = "warning"
    rules_dirs: list[str] = field(default_factory=list)
    arches: set[str] | None = field(default_factory=lambda: set(DEFAULT_ARCHES))
    check_options: dict[str, dict] = field(default_factory=dict)


@dataclass
class Result:
    """The outcome of one run."""

    tree: KernelTree
    findings: list[Finding]
    abis: list[str]
    arches: dict[str, float]
    timings: dict[str, float]
    graph: FactGraph | None = None

    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "note": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def enabled_checks(options: Options) -> list[ModuleType]:
    """Checks after --select/--ignore, validated against the registry."""
    for key in (options.select or set()) | options.ignore | set(options.severities):
        if registry.lookup(key) is None:
            raise ConfigError(f"unknown check '{key}' (see 'ckptlint rules')")
    for key, severity in options.severities.items():
        if severity not in SEVERITY_RANK:
            raise ConfigError(f"severity for {key} must be one of note, warning, error")
    selected = {registry.lookup(k).ID for k in options.select} if options.select else None
    ignored = {registry.lookup(k).ID for k in options.ignore}
    return [c for c in registry.CHECKS
            if (selected is None or c.ID in selected) and c.ID not in ignored]


def wiring_graph(tree: KernelTree, needed: set[str], options: Options) -> FactGraph:
    """The joined graph for the given fact kinds, without running checks."""
    from ckptlint import collect

    graph = FactGraph(collect.collect(tree, needed, options, {}))
    collect.late_facts(graph, needed, {})
    return graph


def run(tree: KernelTree, options: Options) -> Result:
    """Extract, join, check; return sorted findings."""
    from ckptlint import collect

    active = enabled_checks(options)
    needed = set().union(*(c.REQUIRES for c in active)) if active else set()
    timings: dict[str, float] = {}
    facts = collect.collect(tree, needed, options, timings)
    started = time.perf_counter()
    graph = FactGraph(facts)
    collect.late_facts(graph, needed, timings)
    timings["graph"] = time.perf_counter() - started
    started = time.perf_counter()
    findings = sorted(set(_stamp(graph, active, options)))
    timings["checks"] = time.perf_counter() - started
    arches = {label: getattr(model, "load_seconds", 0.0) for label, model in facts.kconfig.items()}
    return Result(tree, findings, graph.abis(), arches, timings, graph)


def _stamp(graph: FactGraph, active: list[ModuleType], options: Options):
    floor = SEVERITY_RANK[options.min_severity]
    for check in active:
        configured = options.severities.get(check.ID) or options.severities.get(check.NAME)
        for draft in check.check(graph, options.check_options.get(check.ID, {})):
            severity = configured or draft.severity or check.SEVERITY
            if SEVERITY_RANK[severity] < floor:
                continue
            yield _finding(check, draft, severity, _column(graph.tree, draft))


def _column(tree: KernelTree, draft: Draft) -> int | None:
    """1-based column of the first non-blank character of the finding's line."""
    lines = tree.lines(draft.loc.path) if tree.is_file(draft.loc.path) else []
    if not 0 < draft.loc.line <= len(lines):
        return None
    text = lines[draft.loc.line - 1].expandtabs(1)
    return len(text) - len(text.lstrip()) + 1 if text.strip() else 1


def _finding(check: ModuleType, draft: Draft, severity: str, column: int | None) -> Finding:
    """The stamped finding; tree-derived text made printable here, once, for every format."""
    related = tuple(Related(Location(printable(r.loc.path), r.loc.line), printable(r.note))
                    for r in draft.related)
    return Finding(path=printable(draft.loc.path), line=draft.loc.line, rule=check.ID, name=check.NAME,
                   severity=severity, message=printable(draft.message), related=related,
                   arch=draft.arch, symbol=None if draft.symbol is None else printable(draft.symbol),
                   fingerprint=fingerprint(check.ID, draft), column=column)
