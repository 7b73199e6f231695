"""The engine: runs the extractors the enabled checks need, then the checks;
stamps rule id and severity; filters and sorts. The only place that decides
what gets reported."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

from ckptlint import checks as registry
from ckptlint import unknown
from ckptlint.engine import suppress
from ckptlint.engine.options import ConfigError, Options
from ckptlint.facts import Location, printable
from ckptlint.findings import (SEVERITY_RANK, Draft, Finding, Related, column_at, fingerprint,
                               severity_counts)
from ckptlint.runtime import cutoff
from ckptlint.runtime.session import Session
from ckptlint.tree import KernelTree

if TYPE_CHECKING:  # the graph and the plan are loaded when a run is not answered whole
    from ckptlint.graph.factgraph import FactGraph

LOG = logging.getLogger(__name__)


@dataclass
class Result:
    """The outcome of one run."""

    tree: KernelTree
    findings: list[Finding]
    abis: list[str]
    arches: dict[str, float]
    timings: dict[str, float]
    graph: FactGraph | None = None
    #: Findings left out because a comment in the tree or the baseline names them.
    suppressed: list[Finding] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)

    #: Arch label -> seconds of the fast Kconfig scan (CKL504), when it ran.
    scanned_arches: dict[str, float] = field(default_factory=dict)

    def excluded(self) -> dict[str, int]:
        return {"suppressed": len(self.suppressed), "baselined": len(self.baselined)}
    #: How the run went: jobs, per-arch seconds, cache hits (``--timings``).
    stats: dict = field(default_factory=dict)
    #: SRCARCHes whose ABIs were checked (kept for runs answered from the cache).
    checked_arches: list[str] | None = None
    #: Whether --arch (or the configuration) narrowed the run to some arches.
    narrowed: bool = False
    #: (cause, IDs of the checks that stood down because of it), for each cause that
    #: some check met (ckptlint.unknown).
    unevaluated: list = field(default_factory=list)
    #: Every path the run read or probed (``glob:`` patterns and ``dir:`` probes too):
    #: what decides which files of a patch or commit can change a finding.
    reads: frozenset[str] = frozenset()
    #: For each input read only through projections, what each gave (ckptlint.runtime.cutoff).
    projected: dict = field(default_factory=dict)
    #: Every finding the checks made, before suppressions and the baseline.
    analysed: list[Finding] = field(default_factory=list)

    @property
    def kernel_version(self) -> str | None:
        """The tree's version (``6.12.0``), read from its top Makefile when asked."""
        return self.tree.kernel_version()

    def summary(self) -> dict[str, int]:
        return severity_counts(self.findings)

    def arch_scope(self) -> dict:
        """Every SRCARCH the tree has, those whose ABIs this run checked, and whether
        the run was narrowed to some arches."""
        checked = self.checked_arches
        if checked is None:
            checked = sorted({self.graph.abi(a).srcarch for a in self.abis}) if self.graph else []
        return {"detected": list(self.tree.srcarches), "checked": checked, "narrowed": self.narrowed}


def enabled_ids(options: Options) -> list[str]:
    """IDs of the checks left after --select/--ignore, validated against the registry
    (no check module is imported)."""
    keys = (options.select or set()) | options.ignore | options.extend_select | set(options.severities)
    for key in sorted(keys):
        if not registry.resolve_ids(key):
            raise ConfigError(registry.unknown_check(key))
    for key, severity in options.severities.items():
        if severity not in SEVERITY_RANK:
            raise ConfigError(f"severity for {key} must be one of note, warning, error")
    selected = registry.expand(options.select) if options.select else registry.default_ids()
    selected |= registry.expand(options.extend_select)
    ignored = registry.expand(options.ignore, by_prefix_all=True)
    return [i for i in registry.IDS if i in selected and i not in ignored]


def enabled_checks(options: Options) -> list[ModuleType]:
    """Checks after --select/--ignore, validated against the registry."""
    return [registry.module(i) for i in enabled_ids(options)]


def wiring_graph(tree: KernelTree, needed: set[str], options: Options) -> FactGraph:
    """The joined graph for the given fact kinds, without running checks."""
    from ckptlint.engine import plan
    from ckptlint.graph.factgraph import FactGraph

    graph = FactGraph(plan.collect(tree, needed, options, {}))  # here, uncached
    plan.late_facts(graph, needed, {})
    return graph


def run(tree: KernelTree, options: Options, session: Session | None = None) -> Result:
    """plan -> facts -> graph -> drafts -> stamp -> filter: the run's sorted findings.

    The session (ckptlint.runtime) supplies the cache and the workers: it may answer
    the whole run from the cache, or run parts of it elsewhere, never differently.
    A caller that hands its own ``session`` closes it (the graph's Kconfig models
    answer questions until then: the HTML report asks its own).
    """
    ids = enabled_ids(options)
    timings: dict[str, float] = {}
    own = session is None
    session = session or Session(tree, options.use_cache, 1 if options.facts else options.jobs,
                                 options.cache_dir)
    # an overlay (check-patch, --staged, series) is not what is on disk: never cached;
    # nor a run that must hand its graph on (report)
    cacheable = tree.on_disk and not options.facts and not options.keep_graph
    key = session.run_key(_shape(options, ids)) if cacheable else None
    started = time.perf_counter()
    stored = session.cached_run(key) if cacheable else None
    timings["cache lookup"] = time.perf_counter() - started
    graph = None
    try:
        if stored is not None:
            outcome = {**stored, "reads": set(stored.get("reads", ()))}
        else:  # the check modules are imported only now
            active = [registry.module(i) for i in ids]
            needed = set().union(options.facts, *(c.REQUIRES for c in active))
            graph, outcome = _analyse(tree, options, active, needed, session, timings)
            outcome["projected"] = cutoff.projected(tree, outcome["reads"])
            if cacheable:
                session.store_run(key, outcome["reads"], outcome["projected"],
                                  {k: v for k, v in outcome.items() if k not in ("reads", "projected")})
    finally:
        if own:
            session.close()
    findings, suppressed, baselined = _filter(tree, outcome["findings"], ids, options)
    return Result(tree, findings, outcome["abis"], outcome["arches"], timings, graph, suppressed,
                  baselined, scanned_arches=outcome.get("scanned", {}), stats=session.stats(),
                  checked_arches=outcome.get("checked", []), narrowed=options.arches is not None,
                  unevaluated=outcome.get("unevaluated", []), reads=frozenset(outcome["reads"]),
                  projected=outcome.get("projected", {}), analysed=outcome["findings"])


def settled_view(result: Result, tree: KernelTree, changed: list[str], options: Options) -> Result | None:
    """``result`` for ``tree``, a view of the same files but ``changed`` (a patch applied
    in memory), when every changed file gives the facts it gave (ckptlint.runtime.cutoff);
    suppressions and the baseline are applied anew from the view. None otherwise."""
    import dataclasses

    # a path read through a symlink to a changed file changed too (arm64's syscall_64.tbl)
    changes = set(changed)
    changed = sorted(changes | {read[5:] for read in result.reads if read.startswith("link:")
                                and tree.canonical(read[5:]) in changes})
    if not cutoff.settled(tree, changed, result.projected):
        return None
    findings, suppressed, baselined = _filter(tree, result.analysed, enabled_ids(options), options)
    return dataclasses.replace(result, tree=tree, findings=findings, suppressed=suppressed,
                               baselined=baselined, timings={})


def _analyse(tree: KernelTree, options: Options, active: list[ModuleType], needed: set[str],
             session: Session, timings: dict[str, float]) -> tuple[FactGraph, dict]:
    """facts -> graph -> drafts -> stamped findings, and what the run read."""
    from ckptlint.engine import plan
    from ckptlint.graph.factgraph import FactGraph

    with tree.recording() as reads:
        graphs: list[FactGraph] = []

        def build(facts) -> None:  # needs no Kconfig: built while workers parse
            started = time.perf_counter()
            graphs.append(FactGraph(facts))
            timings["graph"] = time.perf_counter() - started
            plan.late_facts(graphs[0], needed, timings)
            session.announce(graphs[0], active)
        facts = plan.collect(tree, needed, options, timings, session, early=build)
        graph = graphs[0]
        session.prefetch(graph)
        started = time.perf_counter()
        findings = sorted(merge_arches(_stamp(graph, active, options, session)))
        timings["checks"] = time.perf_counter() - started
    abis = graph.abis()
    return graph, {
        "findings": findings, "abis": abis,
        "arches": {label: getattr(model, "load_seconds", 0.0)
                   for label, model in facts.kconfig.items()},
        "scanned": ({a.arch.label: a.seconds for a in facts.tree_symbols.arches}
                    if facts.tree_symbols is not None else {}),
        "checked": sorted({graph.abi(a).srcarch for a in abis}),
        "unevaluated": graph.unevaluated, "reads": reads}


def _filter(tree: KernelTree, findings: list[Finding], ids: list[str],
             options: Options) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(reported, suppressed, baselined). After the cache: comments and baselines are
    cheap to re-read and change often."""
    findings, suppressed, problems = suppress.apply(tree, findings)
    if problems and registry.lookup_id("unknown-suppression") in ids:  # names in the comments just read
        from ckptlint.checks import unknown_suppression

        findings = sorted(set(findings) | set(_stamped(tree, unknown_suppression, problems,
                                                        options)))
    findings, baselined = _split_baseline(findings, options.baseline)
    return findings, suppressed, baselined


def merge_arches(findings) -> list[Finding]:
    """One finding for each (path, line, rule, message), naming every ABI that reported it:
    a ``common`` row of syscall_64.tbl is wrong for x86_64 and x32 alike, and was reported
    for whichever came first. The first finding's fingerprint is kept (baselines match)."""
    import dataclasses

    merged: dict[Finding, tuple[Finding, list[str]]] = {}
    for finding in findings:
        first, arches = merged.setdefault(finding, (finding, []))
        if finding.arch and finding.arch not in arches:
            arches.append(finding.arch)
    return [first if len(arches) < 2 else dataclasses.replace(first, arch=", ".join(sorted(arches)))
            for first, arches in merged.values()]


def _split_baseline(findings: list[Finding], baseline: frozenset[str] | None):
    """(reported, baselined): findings whose fingerprint the baseline holds are left out."""
    if not baseline:
        return findings, []
    return ([f for f in findings if f.fingerprint not in baseline],
            [f for f in findings if f.fingerprint in baseline])


def _shape(options: Options, ids: list[str]) -> list:
    """Everything besides the tree that decides a run's findings (the run cache key)."""
    import json
    from pathlib import Path

    from ckptlint.runtime.fingerprints import digest_bytes

    rules = []
    for directory in options.rules_dirs:
        path = Path(directory)
        files = sorted(path.glob("*.toml")) if path.is_dir() else []
        rules.append([str(path.resolve()), [[f.name, digest_bytes(f.read_bytes())] for f in files]])
    return [list(ids), sorted(options.severities.items()), options.min_severity,
            sorted(options.arches) if options.arches is not None else None,
            json.dumps({} if options.abi_base is None else {"CKL701": {"base": options.abi_base}},
                       sort_keys=True, default=repr), rules]


def _stamp(graph: FactGraph, active: list[ModuleType], options: Options, session: Session):
    """Every active check's findings (in no particular order: the caller sorts them);
    the session may run some checks side by side (ckptlint.runtime.overlap)."""
    with unknown.ledger() as book:
        graph.ledger = book
        try:
            first = [c for c in active if not getattr(c, "LAST", False)]
            found = session.run_checks(first, lambda check: _run_check(graph, check, options))
            # the checks that report causes run last: they say which checks met each one
            found += [f for c in active if getattr(c, "LAST", False)
                      for f in _run_check(graph, c, options)]
            graph.unevaluated = [[cause, book.checks(cause)] for cause in book.causes()]
            return found
        finally:
            graph.ledger = None


def _run_check(graph: FactGraph, check: ModuleType, options: Options) -> list[Finding]:
    """One check's stamped findings; the Unknown answers it meets are booked to it."""
    with unknown.running(check.ID):
        return list(_stamped(graph.tree, check, check.check(graph), options))


def _stamped(tree: KernelTree, check: ModuleType, drafts, options: Options):
    """Findings from one check's drafts, with the configured severity, above the floor."""
    floor = SEVERITY_RANK[options.min_severity]
    configured = configured_severity(options.severities, check)
    for draft in drafts:
        severity = configured or draft.severity or check.SEVERITY
        if SEVERITY_RANK[severity] < floor:
            continue
        yield _finding(check, draft, severity, _column(tree, draft))


def configured_severity(severities: dict[str, str], check: ModuleType) -> str | None:
    """The severity configured for ``check``: by ID or name first, else by the longest
    ID prefix (``CKL4 = "error"``)."""
    exact = severities.get(check.ID) or severities.get(check.NAME)
    if exact:
        return exact
    prefixes = [k for k in severities if check.ID.startswith(k.upper()) and registry.resolve_ids(k)]
    return severities[max(prefixes, key=len)] if prefixes else None


def _column(tree: KernelTree, draft: Draft) -> int | None:
    return column_at(tree, draft.loc)


def _finding(check: ModuleType, draft: Draft, severity: str, column: int | None) -> Finding:
    """The stamped finding; tree-derived text made printable here, once, for every format."""
    related = tuple(Related(Location(printable(r.loc.path), r.loc.line), printable(r.note))
                    for r in draft.related)
    return Finding(path=printable(draft.loc.path), line=draft.loc.line, rule=check.ID, name=check.NAME,
                   severity=severity, message=printable(draft.message), related=related,
                   arch=draft.arch, symbol=None if draft.symbol is None else printable(draft.symbol),
                   fingerprint=fingerprint(check.ID, draft), column=column)
