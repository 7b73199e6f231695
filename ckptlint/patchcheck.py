"""check-patch: the findings a patch (or an mbox series) introduces into a tree.

The patches are applied in memory (:mod:`ckptlint.patch`) and checked through
an :class:`~ckptlint.overlay.OverlayTree`; the tree is never copied or
written, and no process is started.

When the series does not apply but its reverse does, the tree already
contains it (``b4 prep --check`` runs the command in a tree where the series
is applied): the tree is then the "after" state and the reversed view the
"before" state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ckptlint import delta
from ckptlint.engine import Options, run
from ckptlint.findings import Finding
from ckptlint.overlay import OverlayTree
from ckptlint.patch import FilePatch, Patch, PatchError, parse_series
from ckptlint.patchapply import Applier, safe_path
from ckptlint.tree import KernelTree
from ckptlint.wiring_files import is_wiring_path

LOG = logging.getLogger(__name__)


@dataclass
class PatchCheck:
    """What a check-patch run found."""

    patches: int
    introduced: list[Finding]
    already_applied: bool = False
    #: The run on the patched state (None when no patch touches a wiring file).
    after: object = None


def check_patch(tree: KernelTree, data: bytes, options: Options) -> PatchCheck:
    """Apply ``data`` to a view of ``tree``; the findings after minus those before."""
    patches = [_wiring_only(tree, p) for p in parse_series(data)]
    if not any(p.files for p in patches):
        return PatchCheck(len(patches), [])
    try:
        changed = _apply(tree, patches)
        already_applied = False
    except PatchError as forward_error:
        try:
            changed = _apply(tree, [_reverse(p) for p in reversed(patches)])
        except PatchError:
            raise forward_error from None
        already_applied = True
    files = {p: b for p, b in changed.items() if b is not None}
    other = OverlayTree(tree.root, files, {p for p, b in changed.items() if b is None},
                        label="unpatched" if already_applied else "patched")
    before, after = (other, tree) if already_applied else (tree, other)
    after_result = run(after, options)
    introduced = delta.introduced(run(before, options).findings, after_result.findings)
    return PatchCheck(len(patches), introduced, already_applied, after_result)


def _wiring_only(tree: KernelTree, patch: Patch) -> Patch:
    """``patch`` without the files no check reads (every path is still vetted).

    Such files cannot change a finding, so they are not applied either: a
    Documentation hunk written against another version is no reason to fail.
    """
    kept: list[FilePatch] = []
    for file_patch in patch.files:
        paths = [p for p in (file_patch.old_path, file_patch.new_path) if p]
        for path in paths:
            safe_path(tree, path)
        if any(is_wiring_path(p) for p in paths):
            kept.append(file_patch)
    return Patch(patch.subject, kept)


def _apply(tree: KernelTree, patches: list[Patch]) -> dict[str, bytes | None]:
    applier = Applier(tree)
    for number, patch in enumerate(patches, 1):
        applier.apply(patch, f"patch {number}/{len(patches)}")
    return applier.state


def _reverse(patch: Patch) -> Patch:
    files: list[FilePatch] = [f.reversed() for f in reversed(patch.files)]
    return Patch(patch.subject, files)


def terse_line(finding: Finding) -> str:
    """``path:line: ERROR: RULE message (arch)``, checkpatch's --terse shape.

    b4 counts a check line as a failure only when it contains ``ERROR:``, so
    the severity is upper-case here.
    """
    arch = f" ({finding.arch})" if finding.arch else ""
    return f"{finding.path}:{finding.line}: {finding.severity.upper()}: {finding.rule} {finding.message}{arch}"


def total_line(outcome: PatchCheck) -> str:
    """checkpatch's summary, ``total: 1 errors, 0 warnings, 0 notes, 2 patches checked``:
    "errors" and "warnings" spelt as checkpatch spells them, for the scripts that
    match ``total: (\\d+) errors, (\\d+) warnings``."""
    from ckptlint.findings import plural, severity_counts

    counts = severity_counts(outcome.introduced)
    return (f"total: {counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes, "
            f"{plural(outcome.patches, 'patch', 'patches')} checked")


def as_result(tree: KernelTree, outcome: PatchCheck):
    """The introduced findings as an engine Result, for the json, sarif and github formats:
    the patched run's ABIs and scope, only the introduced findings."""
    import dataclasses

    from ckptlint.engine import Result

    if outcome.after is None:
        return Result(tree, [], [], {}, {}, checked_arches=[])
    return dataclasses.replace(outcome.after, findings=list(outcome.introduced), suppressed=[],
                               baselined=[])
