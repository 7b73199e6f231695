"""Findings: what checks report, stamped by the engine, formatted by report/."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ckptlint.facts import Location

SEVERITIES = ("note", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Related:
    """A secondary location with a short note ("prototype is here")."""

    loc: Location
    note: str


@dataclass(frozen=True)
class Draft:
    """What a check yields; the engine turns it into a Finding.

    ``severity`` is set only when the check decides it per case (a note
    instead of a warning); ``key`` overrides the fingerprint's
    identity when the message carries volatile text. ``arch_in_identity``
    False: the arch only says where the finding applies, and is left out of
    the fingerprint (a check that began to name it keeps its baselines).
    """

    message: str
    loc: Location
    related: tuple[Related, ...] = ()
    arch: str | None = None
    symbol: str | None = None
    severity: str | None = None
    key: str | None = None
    arch_in_identity: bool = True


@dataclass(frozen=True, order=True)
class Finding:
    """A reported problem. Ordered by path, line, then rule."""

    path: str
    line: int
    rule: str
    name: str = field(compare=False)
    severity: str = field(compare=False)
    message: str
    related: tuple[Related, ...] = field(default=(), compare=False)
    arch: str | None = field(default=None, compare=False)
    symbol: str | None = field(default=None, compare=False)
    fingerprint: str = field(default="", compare=False)
    column: int | None = field(default=None, compare=False)

    @property
    def loc(self) -> Location:
        return Location(self.path, self.line)


def severity_counts(findings) -> dict[str, int]:
    """``{"error": n, "warning": n, "note": n}`` for an iterable of findings."""
    counts = {"error": 0, "warning": 0, "note": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 parameter``, ``2 parameters`` (``many``: an irregular plural)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def counted(findings) -> str:
    """``5 findings (1 error, 0 warnings, 4 notes)``."""
    counts = severity_counts(findings)
    return (f"{plural(sum(counts.values()), 'finding')} ({plural(counts['error'], 'error')}, "
            f"{plural(counts['warning'], 'warning')}, {plural(counts['note'], 'note')})")


def fingerprint(rule: str, draft: Draft) -> str:
    """A line-independent identity, stable across edits elsewhere in the file."""
    arch = (draft.arch or "") if draft.arch_in_identity else ""
    parts = (rule, draft.loc.path, arch, draft.symbol or "", draft.key or draft.message)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


#: The projection (``KernelTree.project``) of a file that the column at line N is.
COLUMN = "column "


def column_at(tree, loc: Location) -> int | None:
    """1-based column of the first non-blank character of a tree line (None: no such line)."""
    if not tree.is_file(loc.path):
        return None
    return tree.project(f"{COLUMN}{loc.line}", loc.path, lambda: _column(tree, loc))


def _column(tree, loc: Location) -> int | None:
    lines = tree.lines(loc.path)
    if not 0 < loc.line <= len(lines):
        return None
    text = lines[loc.line - 1].expandtabs(1)
    return len(text) - len(text.lstrip()) + 1 if text.strip() else 1
