"""Series-mode output: per commit, the findings it introduced (+) and fixed (-)."""

from __future__ import annotations

import json

from ckptlint.findings import counted, plural, severity_counts
from ckptlint.report.json import finding_dict

SHORT = 12


def delta_line(sign: str, finding) -> str:
    """``+ path:line: severity: RULE message (arch)``."""
    arch = f" ({finding.arch})" if finding.arch else ""
    return f"{sign} {finding.path}:{finding.line}: {finding.severity}: {finding.rule} {finding.message}{arch}"


def render_text(series, verbose: bool = False) -> str:
    """The base's state, then each commit's subject and its changes, then a summary."""
    base = series.base
    out = [f"base {base.sha[:SHORT]} {base.subject}: {_counted(base.findings)}"]
    for commit in series.commits:
        out.append(f"{commit.sha[:SHORT]} {commit.subject}")
        out.extend(delta_line("+", f) for f in commit.introduced)
        out.extend(delta_line("-", f) for f in commit.fixed)
    introduced = [f for c in series.commits for f in c.introduced]
    fixed = sum(len(c.fixed) for c in series.commits)
    out.append(f"{plural(len(series.commits), 'commit')} after base: "
               f"{_counted(introduced)} introduced, {fixed} fixed; head: {_counted(series.head.findings)}")
    return "\n".join(out) + "\n"


def render_json(series, verbose: bool = False) -> str:
    """JSON version 1 for the head commit, plus a ``series`` key with every commit's delta."""
    head = series.head
    document = {
        "version": 1,
        "tree": series.tree,
        "findings": [finding_dict(f) for f in head.findings],
        "summary": severity_counts(head.findings),
        "abis": list(series.abis),
        "series": {
            "base": {"commit": series.base.sha, "subject": series.base.subject,
                     "summary": severity_counts(series.base.findings)},
            "commits": [{"commit": c.sha, "subject": c.subject,
                         "introduced": [finding_dict(f) for f in c.introduced],
                         "fixed": [finding_dict(f) for f in c.fixed],
                         "summary": severity_counts(c.findings)} for c in series.commits],
        },
    }
    return json.dumps(document, indent=2) + "\n"


def _counted(findings) -> str:
    return counted(findings)
