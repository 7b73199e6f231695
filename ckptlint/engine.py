"""The engine: runs the extractors the enabled checks need, then the checks;
stamps rule id and severity; filters and sorts. The only place that decides
what gets reported."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from types import ModuleType

from ckptlint import checks as registry
from ckptlint.findings import SEVERITY_RANK, Draft, Finding, fingerprint
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
    #: Worker processes for per-arch and per-file work (None: one per available CPU; 1: none).
    jobs: int | None = None
    #: Read and write the on-disk cache (ckptlint.cache); the CLI turns it on.
    use_cache: bool = False
    cache_dir: str | None = None


@dataclass
class Result:
    """The outcome of one run."""

    tree: KernelTree
    findings: list[Finding]
    abis: list[str]
    arches: dict[str, float]
    timings: dict[str, float]
    graph: FactGraph | None = None
    #: How the run went: jobs, per-arch seconds, cache hits (``--timings``).
    stats: dict = field(default_factory=dict)

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

    graph = FactGraph(collect.collect(tree, needed, options, {}))  # here, uncached
    collect.late_facts(graph, needed, {})
    return graph


def run(tree: KernelTree, options: Options) -> Result:
    """Extract, join, check; return sorted findings."""
    from ckptlint import collect
    from ckptlint.session import Session

    active = enabled_checks(options)
    needed = set().union(*(c.REQUIRES for c in active)) if active else set()
    timings: dict[str, float] = {}
    session = Session(tree, options.use_cache, options.jobs, options.cache_dir)
    key = session.run_key(_shape(options, active))
    started = time.perf_counter()
    stored = session.cached_run(key)
    timings["cache lookup"] = time.perf_counter() - started
    if stored is not None:
        return Result(tree, stored["findings"], stored["abis"], stored["arches"], timings, None,
                      session.stats())
    try:
        with tree.recording() as reads:
            facts = collect.collect(tree, needed, options, timings, session)
            started = time.perf_counter()
            graph = FactGraph(facts)
            collect.late_facts(graph, needed, timings)
            timings["graph"] = time.perf_counter() - started
            started = time.perf_counter()
            findings = sorted(set(_stamp(graph, active, options)))
            timings["checks"] = time.perf_counter() - started
        arches = {label: getattr(model, "load_seconds", 0.0) for label, model in facts.kconfig.items()}
        session.store_run(key, reads, {"findings": findings, "abis": graph.abis(), "arches": arches})
    finally:
        session.close()
    return Result(tree, findings, graph.abis(), arches, timings, graph, session.stats())


def _shape(options: Options, active: list[ModuleType]) -> list:
    """Everything besides the tree that decides a run's findings (the run cache key)."""
    import json
    from pathlib import Path

    from ckptlint.inputs import digest_bytes

    rules = []
    for directory in options.rules_dirs:
        path = Path(directory)
        files = sorted(path.glob("*.toml")) if path.is_dir() else []
        rules.append([str(path.resolve()), [[f.name, digest_bytes(f.read_bytes())] for f in files]])
    return [[c.ID for c in active], sorted(options.severities.items()), options.min_severity,
            sorted(options.arches) if options.arches is not None else None,
            json.dumps(options.check_options, sort_keys=True, default=repr), rules]


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
    return Finding(path=draft.loc.path, line=draft.loc.line, rule=check.ID, name=check.NAME,
                   severity=severity, message=draft.message, related=draft.related,
                   arch=draft.arch, symbol=draft.symbol, fingerprint=fingerprint(check.ID, draft),
                   column=column)
