"""check-patch: the findings a patch (or an mbox series) introduces into a tree.

The patches are applied in memory (:mod:`ckptlint.revisions.patch`) and checked through
an :class:`~ckptlint.revisions.overlay.OverlayTree`; the tree is never copied or
written, and no process is started.

When the series does not apply but its reverse does, the tree already
contains it (``b4 prep --check`` runs the command in a tree where the series
is applied): the tree is then the "after" state and the reversed view the
"before" state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ckptlint.abi import snapshot as abisnap
from ckptlint.engine.options import Options
from ckptlint.engine.run import run, settled_view
from ckptlint.findings import Finding
from ckptlint.revisions import abi_base, delta
from ckptlint.revisions.overlay import OverlayTree
from ckptlint.revisions.patch import FilePatch, Patch, PatchError, parse_series
from ckptlint.revisions.patch_apply import Applier, safe_path
from ckptlint.revisions.wiring_files import Relevance
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)


@dataclass
class PatchCheck:
    """What a check-patch run found."""

    patches: int
    introduced: list[Finding]
    already_applied: bool = False
    #: The run on the patched state.
    after: object = None


def check_patch(tree: KernelTree, data: bytes, options: Options) -> PatchCheck:
    """Apply ``data`` to a view of ``tree``; the findings after minus those before.

    Which files of the patch matter is decided by what the runs read (a file a
    Makefile ``include``s counts whatever its name): the tree is checked first,
    the patch applied for the files that run read, and when the patched view
    reads a file of the patch that was left out (a new ``include``), it is
    applied again with that file too.
    """
    patches = parse_series(data)
    names = set()
    for patch in patches:
        for file_patch in patch.files:
            for path in {file_patch.old_path, file_patch.new_path} - {None}:
                safe_path(tree, path)
                names.add(path)
    here = run(tree, options)  # the tree as it is: from the cache when nothing changed
    relevant = Relevance(here.reads)
    wants_base = abi_base.wanted(options)
    base = None  # the ABI's base, the tree before the patch, taken once
    for _ in range(len(names) + 1):
        already_applied, changed, skipped = _either_way(tree, patches, relevant)
        if not changed:  # nothing any check reads: the findings cannot change
            return PatchCheck(len(patches), [], already_applied, here)
        files = {p: b for p, b in changed.items() if b is not None}
        other = OverlayTree(tree.root, files, {p for p, b in changed.items() if b is None},
                            label="unpatched" if already_applied else "patched")
        # files that give the same facts (a comment added to a table): the tree's own run
        # stands, with the view's suppressions (ckptlint.runtime.cutoff)
        there = None
        if None not in changed.values() and not (wants_base and already_applied):
            there = settled_view(here, other, sorted(changed), options)
        if there is None:
            run_options = options
            if wants_base and not already_applied:
                if base is None:
                    base = (abisnap.take(here.graph) if here.graph is not None
                            else abi_base.of_tree(tree, options))
                run_options = abi_base.with_base(options, base)
            there = run(other, run_options)
        relevant.add(there.reads)
        if not any(relevant(p) for p in skipped):
            break
    before, after = (there, here) if already_applied else (here, there)
    if wants_base and already_applied:  # the tree holds the series: its reverse is the base
        snapshot = abisnap.take(before.graph) if before.graph is not None \
            else abi_base.of_tree(other, options)
        after = run(tree, abi_base.with_base(options, snapshot))
    introduced = delta.introduced(before.findings, after.findings)
    return PatchCheck(len(patches), introduced, already_applied, after)


def _either_way(tree: KernelTree, patches: list[Patch], relevant: Relevance):
    """(already applied, path -> content, skipped paths): the series applied forwards, else
    (the tree already holds it) backwards."""
    try:
        changed, skipped = _apply(tree, patches, relevant)
        return False, changed, skipped
    except PatchError as forward_error:
        try:
            changed, skipped = _apply(tree, [_reverse(p) for p in reversed(patches)], relevant)
        except PatchError:
            raise forward_error from None
        return True, changed, skipped


def _apply(tree: KernelTree, patches: list[Patch], relevant: Relevance):
    applier = Applier(tree, relevant)
    for number, patch in enumerate(patches, 1):
        applier.apply(patch, f"patch {number}/{len(patches)}")
    return applier.state, applier.skipped


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

    from ckptlint.engine.run import Result

    if outcome.after is None:
        return Result(tree, [], [], {}, {}, checked_arches=[])
    return dataclasses.replace(outcome.after, findings=list(outcome.introduced), suppressed=[],
                               baselined=[])
