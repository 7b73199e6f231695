"""The staged state of a git work tree, as the pre-commit hook checks it.

The view is the work tree overlaid with the index content of every file whose
work-tree copy differs from the index, with untracked files hidden: every read
sees the index, whatever the file's name (a Makefile may ``include dirs.mk``).
Nothing is written; git is read through :mod:`ckptlint.revisions.gitview`.
"""

from __future__ import annotations

import logging

from ckptlint.revisions.gitview import REGULAR_MODES, Repo

LOG = logging.getLogger(__name__)


def staged_tree(repo: Repo):
    """An OverlayTree of the index over the work tree (every file)."""
    from ckptlint.revisions.overlay import OverlayTree

    index = {e.path: e for e in repo.index_entries()}
    dirty = repo.unstaged_paths()
    wanted: dict[str, list[str]] = {}
    for path in dirty:
        entry = index.get(path)
        if entry is not None and entry.mode in REGULAR_MODES:
            wanted.setdefault(entry.sha, []).append(path)
    files = {path: data for sha, data in repo.blobs(wanted) for path in wanted[sha]}
    hidden = set(repo.untracked_paths())
    hidden |= {p for p in dirty if p in index and index[p].mode not in REGULAR_MODES}
    LOG.debug("staged view: %d files from the index, %d hidden", len(files), len(hidden))
    return OverlayTree(repo.root, files, hidden, label="staged")


def head_tree(repo: Repo):
    """An OverlayTree of HEAD over the work tree (every changed file as HEAD has it):
    the base that ``--staged`` compares the staged syscall ABI with; None before
    the first commit."""
    from ckptlint.revisions.overlay import OverlayTree

    if not repo.has_head():
        return None
    head = {e.path: e for e in repo.tree_entries(repo.commit("HEAD"))}
    changed = set(repo.staged_paths() + repo.unstaged_paths() + repo.untracked_paths())
    wanted: dict[str, list[str]] = {}
    hidden = set()
    for path in changed:
        entry = head.get(path)
        if entry is not None and entry.mode in REGULAR_MODES:
            wanted.setdefault(entry.sha, []).append(path)
        else:
            hidden.add(path)
    files = {path: data for sha, data in repo.blobs(wanted) for path in wanted[sha]}
    return OverlayTree(repo.root, files, hidden, label="HEAD")


def unaffected_run(repo: Repo, options_of):
    """The work tree's run (from the cache when it is unchanged) when no path that differs
    between HEAD, the index and the work tree is one it read: HEAD, the staged state and
    the work tree then give the same findings, and the staged change introduces none.
    None when some differing path is read (the staged state must be checked).
    ``options_of(tree)``: the run's options, from the tree's configuration."""
    from ckptlint.engine.run import run
    from ckptlint.revisions.wiring_files import Relevance, is_wiring_path
    from ckptlint.tree import KernelTree

    unstaged = repo.unstaged_paths()
    if any(is_wiring_path(path) for path in unstaged):  # touched, perhaps not changed
        unstaged = repo.content_changed(unstaged)
    changed = set(repo.staged_paths()) | set(unstaged) | set(repo.untracked_paths())
    if any(is_wiring_path(path) for path in changed):
        return None  # it will be read: no need to ask the run
    tree = KernelTree(repo.root)
    result = run(tree, options_of(tree))
    relevant = Relevance(result.reads)
    return None if any(relevant(path) for path in changed) else result


def introduced_since(result, base_tree, options, changed: list[str]):
    """``result`` with only the findings that ``base_tree``'s run does not have. When no
    changed path is one the run read (or a wiring file), nothing can differ and the base
    is not run at all: the pre-commit hook stays quick on a commit of anything else."""
    import dataclasses

    from ckptlint.engine.run import run
    from ckptlint.revisions import delta
    from ckptlint.revisions.wiring_files import Relevance

    relevant = Relevance(result.reads)
    if not any(relevant(path) for path in changed):
        return dataclasses.replace(result, findings=[])
    before = run(base_tree, options)
    return dataclasses.replace(result, findings=delta.introduced(before.findings, result.findings))
