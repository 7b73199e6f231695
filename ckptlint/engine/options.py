"""What a run is asked to do (Options) and the error for options it cannot honour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


#: Arches checked by default: every arch of the tree (None). ``--arch x86`` (or a
#: list, or ``arches`` in the configuration) narrows the scope.
DEFAULT_ARCHES = None


class ConfigError(Exception):
    """Options that cannot be honoured (unknown check, bad severity)."""


@dataclass
class Options:
    """What to run and what to report."""

    select: set[str] | None = None
    ignore: set[str] = field(default_factory=set)
    #: Added to ``select`` (or to the default checks when nothing is selected).
    extend_select: set[str] = field(default_factory=set)
    severities: dict[str, str] = field(default_factory=dict)
    #: Fact kinds to extract even when no enabled check requires them
    #: (the HTML report shows every syscall's whole wiring).
    facts: set[str] = field(default_factory=set)
    min_severity: str = "warning"
    rules_dirs: list[str] = field(default_factory=list)
    arches: set[str] | None = None
    #: Fingerprints of known findings (--baseline); those findings are not reported.
    baseline: frozenset[str] | None = None
    #: Rule-pack directories named by the tree's config, tree-relative.
    tree_rules_dirs: list[str] = field(default_factory=list)
    #: Worker processes for per-arch and per-file work (None: one per available CPU; 1: none).
    jobs: int | None = None
    #: Read and write the on-disk cache (ckptlint.runtime.cache); the CLI turns it on.
    use_cache: bool = False
    cache_dir: str | None = None
    #: The caller reads ``Result.graph`` (SARIF names the loaded packs): no whole-run cache.
    keep_graph: bool = False
    #: The ABI snapshot CKL701 compares with (series mode, check-patch, --staged):
    #: ckptlint.abi.snapshot.Snapshot, None for no comparison.
    abi_base: Any = None
