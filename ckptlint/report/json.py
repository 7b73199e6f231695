"""JSON output, version 1: the contract editors and CI scripts rely on."""

from __future__ import annotations

import json


def finding_dict(finding) -> dict:
    """One finding in the documented key order."""
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "symbol": finding.symbol,
        "arch": finding.arch,
        "related": [{"path": r.loc.path, "line": r.loc.line, "note": r.note}
                    for r in finding.related],
        "fingerprint": finding.fingerprint,
    }


def render(result, verbose: bool = False) -> str:
    """The whole document; extra top-level keys extend version 1 without changing it."""
    document = {
        "version": 1,
        "tree": str(result.tree.root),
        "findings": [finding_dict(f) for f in result.findings],
        "summary": result.summary(),
        "abis": list(result.abis),
        "arches": result.arch_scope(),
        "excluded": result.excluded(),
        "unevaluated": [{"path": cause.loc.path, "line": cause.loc.line, "message": cause.message,
                         "refused": cause.refused, "checks": list(checks)}
                        for cause, checks in getattr(result, "unevaluated", [])],
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
