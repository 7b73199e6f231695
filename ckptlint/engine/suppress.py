"""Inline suppressions: ``ckptlint: ignore[CKL101,table-length-mismatch]`` in a comment.

A finding is suppressed by a comment on its own line, or by a line above it
that holds nothing but such a comment. Without brackets (or with empty
brackets) every check is suppressed there. The comment must use the syntax
of the file it is in: C (``/* */``, ``//``), assembly (``#``, ``;``, ``@``,
``//``, ``/* */``), and ``#`` in ``.tbl`` files, Makefiles, Kbuild files and
Kconfig files. Lines are read through KernelTree, so a finding that points
outside the tree (a rule pack) cannot be suppressed inline.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ckptlint.facts import Location
from ckptlint.findings import Draft, Finding
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

_MARKER = re.compile(r"ckptlint:\s*ignore\b(?:\[([^\]]*)\])?")

_C = ("//", "/*")
_ASM = ("#", ";", "@", "//", "/*")
_HASH = ("#",)


def comment_openers(path: str) -> tuple[str, ...]:
    """The comment openers of a tree file's syntax (empty: not suppressible)."""
    name = PurePosixPath(path).name
    if name.endswith((".c", ".h")):
        return _C
    if name.endswith((".S", ".s")):
        return _ASM
    if name.endswith((".tbl", ".mk")) or name.split(".")[0] in ("Makefile", "Kbuild", "Kconfig"):
        return _HASH
    return ()


@dataclass(frozen=True)
class Suppression:
    """One ``ckptlint: ignore`` comment: the checks it names (None = all), and unknown names."""

    loc: Location
    checks: frozenset[str] | None
    unknown: tuple[str, ...]

    def covers(self, finding: Finding) -> bool:
        return self.checks is None or finding.rule in self.checks


def parse_comment(line: str, openers: tuple[str, ...], whole_line: bool) -> tuple[str, ...] | None:
    """The names in a suppression comment on ``line`` ((), for all), or None if there is none.

    ``whole_line`` requires the comment to be all the line holds (the line
    above a finding); otherwise it may follow code.
    """
    match = _MARKER.search(line)
    if not match or not openers:
        return None
    before = line[:match.start()]
    lead = before.lstrip()
    in_block = "/*" in openers and lead.startswith("*")  # a continuation line of /* ... */
    if whole_line:
        if not (in_block or lead.startswith(openers)):
            return None
    elif not (in_block or any(opener in before for opener in openers)):
        return None
    names = match.group(1) or ""
    return tuple(n.strip() for n in names.split(",") if n.strip())


def suppression_at(tree: KernelTree, path: str, line: int, whole_line: bool) -> Suppression | None:
    """The suppression comment on a line of a tree file, if any."""
    from ckptlint.checks import resolve

    lines = tree.lines(path) if tree.is_file(path) else []
    if not 0 < line <= len(lines):
        return None
    names = parse_comment(lines[line - 1], comment_openers(path), whole_line)
    if names is None:
        return None
    known = {name: resolve(name) for name in names}  # an ID, a name or a prefix (CKL1)
    checks = frozenset(c.ID for found in known.values() for c in found) if names else None
    return Suppression(Location(path, line), checks,
                       tuple(name for name, found in known.items() if not found))


def apply(tree: KernelTree, findings: list[Finding]) -> tuple[list[Finding], list[Finding], list[Draft]]:
    """Split findings into (kept, suppressed); also drafts for unknown names in the comments read."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    seen: dict[tuple[str, int, bool], Suppression | None] = {}
    for finding in findings:
        candidates = []
        for line, whole in ((finding.line, False), (finding.line - 1, True)):
            key = (finding.path, line, whole)
            if key not in seen:
                seen[key] = suppression_at(tree, finding.path, line, whole)
            candidates.append(seen[key])
        if any(s is not None and s.covers(finding) for s in candidates):
            suppressed.append(finding)
        else:
            kept.append(finding)
    from ckptlint.checks import check_hint

    unknown = sorted({(s.loc, name) for s in seen.values() if s is not None for name in s.unknown})
    problems = [Draft(f"ckptlint: ignore[...] names '{name}', which is no check ID, name or "
                      f"ID prefix{check_hint(name)} (see 'ckptlint rules')", loc, key=f"unknown:{name}")
                for loc, name in unknown]
    return kept, suppressed, problems
