"""Series mode: check a base commit and every commit after it, report what each changed.

Commits are read from git objects (:mod:`ckptlint.revisions.gitview`) into a private
temporary directory, never from or into the user's work tree. Only the files
an extractor can read (:mod:`ckptlint.revisions.wiring_files`) are written; between
commits only the files the commit changed are rewritten, what the previous
commit's tree decoded or scanned is kept for every unchanged file, and the
Kconfig models are kept unless the commit changed a file their parse read.
"""

from __future__ import annotations

import logging
import os
import posixpath
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ckptlint.abi import snapshot as abisnap
from ckptlint.engine.config import DOTFILE, PYPROJECT, named_rules_dirs
from ckptlint.engine.options import Options
from ckptlint.engine.run import Result, run, settled_view
from ckptlint.findings import Finding
from ckptlint.revisions import abi_base, delta
from ckptlint.revisions.gitview import REGULAR_MODES, GitError, Repo
from ckptlint.revisions.wiring_files import is_wiring_path
from ckptlint.tree import KernelTree
from ckptlint.treewalk import MAX_FILE_BYTES

LOG = logging.getLogger(__name__)
#: Read from the base commit only.
CONFIG_FILES = frozenset({DOTFILE, PYPROJECT})
#: git's mode of a symbolic link.
SYMLINK_MODE = "120000"


@dataclass
class CommitReport:
    """One commit of the series and what it did to the findings."""

    sha: str
    subject: str
    findings: list[Finding]
    introduced: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)


@dataclass
class SeriesResult:
    """The base and each commit after it, oldest first."""

    tree: str
    base: CommitReport
    commits: list[CommitReport]
    abis: list[str]

    @property
    def head(self) -> CommitReport:
        return self.commits[-1] if self.commits else self.base


def check_series(worktree: str, base_rev: str, head_rev: str,
                 options: Options | Callable[[KernelTree], Options]) -> SeriesResult:
    """Check ``base_rev`` and every first-parent commit up to ``head_rev``.

    ``options`` may be a function of the base commit's tree: the configuration
    and the tree's rule packs are read from the base commit, never from a
    commit of the series (a series cannot relax its own gate).
    """
    repo = Repo(worktree)
    base = repo.commit(base_rev)
    head = repo.commit(head_rev)
    shas = repo.first_parent_range(base, head)
    if head != base and not shas:
        raise GitError(f"{head_rev} does not descend from {base_rev}")
    with tempfile.TemporaryDirectory(prefix="ckptlint-series-") as scratch:
        snapshot = Snapshot(repo, Path(scratch))
        tree = snapshot.checkout(base)
        if callable(options):
            # the packs the base configuration names exist before it is validated
            snapshot.trust(tree, named_rules_dirs(tree))
            tree = snapshot.reopen(tree)
            options = options(tree)
            snapshot.trust(tree, options.tree_rules_dirs)
            tree = snapshot.reopen(tree)
        tree, result = snapshot.run(tree, options)
        ran_with = options  # what the last run's options were (a settled run keeps them)
        base_report = CommitReport(base, repo.subject(base), result.findings)
        # every commit is compared with the series' base: a syscall the series added is
        # not in it, and a break is introduced (once) by the commit that makes it
        if abi_base.wanted(options):
            base_abi = abisnap.take(result.graph) if result.graph is not None \
                else abi_base.of_tree(tree, options)
            options = abi_base.with_base(options, base_abi)
        reports: list[CommitReport] = []
        previous = base_report
        for sha in shas:
            tree = snapshot.advance(sha, tree)
            # a commit whose files give the facts they gave (a comment added to a table):
            # the previous commit's run stands, with this commit's suppressions
            settled = None
            if ran_with is options and not snapshot.removed and not snapshot.missing(result):
                settled = settled_view(result, tree, sorted(snapshot.rewritten), options)
            if settled is not None:
                result = settled
            else:
                tree, result = snapshot.run(tree, options)
            ran_with = options
            report = CommitReport(sha, repo.subject(sha), result.findings,
                                  delta.introduced(previous.findings, result.findings),
                                  delta.fixed(previous.findings, result.findings))
            reports.append(report)
            previous = report
        snapshot.release(tree)
    return SeriesResult(os.path.realpath(worktree), base_report, reports, result.abis)


class Snapshot:
    """A commit's files written under ``root``, moved from commit to commit.

    Written: every wiring file, the configuration files, and every other file
    an extractor read (a Makefile's ``include dirs.mk``): after each run the
    files it read that the commit has but the snapshot lacks are written and
    the commit is checked again. A blob over the size cap is never read: its
    size comes from ``cat-file --batch-check`` and it is written as a sparse
    file of that size, which the tree then skips by size with a note.
    """

    def __init__(self, repo: Repo, root: Path) -> None:
        self.repo = repo
        self.root = root
        self.commit: str | None = None
        self._made: set[Path] = set()
        #: the current commit's regular files, path -> blob
        self.entries: dict[str, str] = {}
        #: files written that are not wiring files (kept up to date on advance)
        self.extra: set[str] = set()
        #: configuration and rule packs of the base commit: never changed by a later commit
        self.trusted: set[str] = set()
        #: symlinks of the current commit written as links: path -> (its text, the file
        #: it leads to)
        self.links: dict[str, tuple[str, str]] = {}
        #: the files the last ``advance`` rewrote, and those it removed
        self.rewritten: set[str] = set()
        self.removed: set[str] = set()
        self.max_file_bytes = MAX_FILE_BYTES

    def checkout(self, commit: str) -> KernelTree:
        """Write every wiring file (and the configuration) of ``commit``; the tree view of it."""
        listing = self.repo.tree_entries(commit)
        self.entries = {e.path: e.sha for e in listing if e.mode in REGULAR_MODES}
        wanted = {p: sha for p, sha in self.entries.items() if is_wiring_path(p) or p in CONFIG_FILES}
        self._write(wanted)
        self._link(listing)
        self.trusted = {p for p in wanted if p in CONFIG_FILES}
        self.commit = commit
        return self._open(commit)

    def trust(self, tree: KernelTree, rules_dirs: list[str]) -> None:
        """Write the base commit's rule packs (``*.toml`` directly in ``rules_dirs``) and freeze them."""
        packs = {p: sha for p, sha in self.entries.items() for d in rules_dirs
                 if p.endswith(".toml") and posixpath.dirname(p) == d.strip("/")}
        if packs:
            self._write(packs)
        self.trusted |= set(packs)

    def reopen(self, tree: KernelTree) -> KernelTree:
        """A fresh view of the same commit (files were added under it)."""
        self.release(tree)
        return self._open(self.commit)

    def run(self, tree: KernelTree, options: Options) -> tuple[KernelTree, Result]:
        """Check the commit; again, with the files it read added, until it reads nothing new."""
        while True:
            result = run(tree, options)
            missing = self.missing(result)
            if not missing:
                return tree, result
            LOG.debug("series: %d more files read at %s", len(missing), self.commit)
            self._write(missing)
            self.extra |= set(missing)
            tree = self.reopen(tree)

    def missing(self, result: Result) -> dict[str, str]:
        """Files a run read (or probed) that the commit has and the snapshot lacks: a
        Makefile's ``include dirs.mk`` that is no wiring file (path -> blob)."""
        return {p: self.entries[p] for p in result.reads
                if p in self.entries and p not in self.extra and p not in self.trusted
                and not is_wiring_path(p)}

    def advance(self, commit: str, previous: KernelTree) -> KernelTree:
        """Move to ``commit`` rewriting only changed files; unchanged decoded text is kept."""
        listing = self.repo.tree_entries(commit)
        self.entries = {e.path: e.sha for e in listing if e.mode in REGULAR_MODES}
        changes = [c for c in self.repo.changes(self.commit, commit)
                   if (is_wiring_path(c.path) or c.path in self.extra or c.path in self.links)
                   and c.path not in self.trusted]
        for change in changes:
            if change.sha is None:
                self.extra.discard(change.path)
                target = self._target(change.path)
                if target.is_file() or target.is_symlink():
                    target.unlink()
                    self._prune(target.parent)
        rewritten = {c.path: c.sha for c in changes if c.sha is not None}
        if rewritten:
            self._write(rewritten)
        self.rewritten = set(rewritten)
        self.removed = {c.path for c in changes if c.sha is None}
        changed = {c.path for c in changes}
        before = dict(self.links)
        self._link(listing)
        # a link whose target changed reads other content: its decoded text is not kept
        changed |= {path for path, link in self.links.items()
                    if before.get(path) != link or link[1] in changed}
        changed |= set(before) - set(self.links)
        self.commit = commit
        tree = self._open(commit)
        tree.adopt_cache(previous, changed)
        from ckptlint.extract import kbuild_shared
        from ckptlint.kconfig import loader

        loader.carry_over(previous, tree, changed)  # Kconfig parses only when Kconfig changed
        kbuild_shared.carry_over(previous, tree, changed)  # directories whose Makefiles did not change
        return tree

    def release(self, tree: KernelTree) -> None:
        """Drop the Kconfig models cached for a tree view that is no longer used."""
        from ckptlint.kconfig import loader

        loader.clear_cache(tree.identity)

    def _open(self, commit: str) -> KernelTree:
        return KernelTree(self.root, identity=f"{self.root}@{commit}", max_file_bytes=self.max_file_bytes)

    def _link(self, listing) -> None:
        """Write the commit's symlinks that lead, inside the tree, to a regular file the
        snapshot holds (6.12's arch/arm64/tools/syscall_64.tbl -> scripts/syscall.tbl) as
        links; drop the links of the previous commit that this one does not have."""
        wanted = {e.path: e.sha for e in listing if e.mode == SYMLINK_MODE
                  and is_wiring_path(e.path) and e.path not in self.trusted}
        targets = dict(self.repo.blobs(set(wanted.values()))) if wanted else {}
        links: dict[str, tuple[str, str]] = {}
        for path, sha in wanted.items():
            text = targets.get(sha, b"").decode("utf-8", "surrogateescape")
            leads = posixpath.normpath(posixpath.join(posixpath.dirname(path), text))
            if (text and len(text) < 4096 and not text.startswith("/") and "\0" not in text
                    and "\n" not in text
                    and leads.split("/")[0] != ".." and leads in self.entries
                    and (is_wiring_path(leads) or leads in self.extra or leads in CONFIG_FILES)):
                links[path] = (text, leads)
        for path, link in self.links.items():
            if links.get(path) != link:
                self._clear(self._target(path))
        for path, link in links.items():
            if self.links.get(path) != link:
                target = self._made_target(path)
                self._clear(target)
                if not target.exists():
                    os.symlink(link[0], target)
        self.links = links

    @staticmethod
    def _clear(target: Path) -> None:
        """Remove a file or link at ``target`` (never what a link leads to)."""
        if target.is_symlink() or target.is_file():
            target.unlink()

    def _write(self, files: dict[str, str]) -> None:
        by_sha: dict[str, list[str]] = {}
        for path, sha in files.items():
            by_sha.setdefault(sha, []).append(path)
        sizes = self.repo.sizes(by_sha)
        oversized = {sha for sha, size in sizes.items() if size > self.max_file_bytes}
        for sha in oversized:  # never read: a sparse file of its size, skipped by size
            for path in by_sha[sha]:
                target = self._made_target(path)
                self._clear(target)  # a link of the commit before: never written through
                with open(target, "wb") as handle:
                    handle.truncate(sizes[sha])
        for sha, data in self.repo.blobs([s for s in by_sha if s not in oversized]):
            for path in by_sha[sha]:
                target = self._made_target(path)
                self._clear(target)
                target.write_bytes(data)

    def _made_target(self, path: str) -> Path:
        target = self._target(path)
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def _prune(self, directory: Path) -> None:
        """Remove directories a deletion left empty (a file may replace one later)."""
        while directory != self.root and not any(directory.iterdir()):
            directory.rmdir()
            self._made.discard(directory)
            directory = directory.parent

    def _target(self, path: str) -> Path:
        parts = path.split("/")
        if path.startswith("/") or any(p in ("", ".", "..", ".git") for p in parts):
            raise GitError(f"refusing unsafe path in a git tree: {path!r}")
        return self.root.joinpath(*parts)


def snapshot_of(spec: str, repo_dir: str | None, options=None) -> abisnap.Snapshot:
    """A side of ``abi-diff``: a kernel tree directory, or a revision of the git work
    tree ``repo_dir`` (read from git objects into a temporary directory)."""
    if os.path.isdir(spec):
        return abi_base.of_tree(KernelTree(spec), options, label=spec.rstrip("/") or spec)
    repo = Repo(repo_dir or ".")
    commit = repo.commit(spec)
    with tempfile.TemporaryDirectory(prefix="ckptlint-abi-") as scratch:
        checkout = Snapshot(repo, Path(scratch))
        tree = checkout.checkout(commit)
        try:
            return abi_base.of_tree(tree, options, label=spec)
        finally:
            checkout.release(tree)
