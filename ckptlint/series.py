"""Series mode: check a base commit and every commit after it, report what each changed.

Commits are read from git objects (:mod:`ckptlint.gitview`) into a private
temporary directory, never from or into the user's work tree. Only the files
an extractor can read (:mod:`ckptlint.wiring_files`) are written; between
commits only the files the commit changed are rewritten, what the previous
commit's tree decoded or scanned is kept for every unchanged file, and the
Kconfig models are kept unless the commit changed a file their parse read.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ckptlint import abisnap, delta
from ckptlint.engine import Options, run
from ckptlint.findings import Finding
from ckptlint.gitview import REGULAR_MODES, GitError, Repo
from ckptlint.tree import KernelTree
from ckptlint.wiring_files import is_wiring_path

LOG = logging.getLogger(__name__)


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


def check_series(worktree: str, base_rev: str, head_rev: str, options: Options) -> SeriesResult:
    """Check ``base_rev`` and every first-parent commit up to ``head_rev``."""
    repo = Repo(worktree)
    base = repo.commit(base_rev)
    head = repo.commit(head_rev)
    shas = repo.first_parent_range(base, head)
    if head != base and not shas:
        raise GitError(f"{head_rev} does not descend from {base_rev}")
    with tempfile.TemporaryDirectory(prefix="ckptlint-series-") as scratch:
        snapshot = Snapshot(repo, Path(scratch))
        tree = snapshot.checkout(base)
        result = run(tree, options)
        base_report = CommitReport(base, repo.subject(base), result.findings)
        # every commit is compared with the series' base: a syscall the series added is
        # not in it, and a break is introduced (once) by the commit that makes it
        if abisnap.wanted(options):
            abi_base = abisnap.take(result.graph) if result.graph is not None \
                else abisnap.of_tree(tree, options)
            options = abisnap.with_base(options, abi_base)
        reports: list[CommitReport] = []
        previous = base_report
        for sha in shas:
            tree = snapshot.advance(sha, tree)
            result = run(tree, options)
            report = CommitReport(sha, repo.subject(sha), result.findings,
                                  delta.introduced(previous.findings, result.findings),
                                  delta.fixed(previous.findings, result.findings))
            reports.append(report)
            previous = report
        snapshot.release(tree)
    return SeriesResult(os.path.realpath(worktree), base_report, reports, result.abis)


class Snapshot:
    """A commit's wiring files written under ``root``, moved from commit to commit."""

    def __init__(self, repo: Repo, root: Path) -> None:
        self.repo = repo
        self.root = root
        self.commit: str | None = None
        self._made: set[Path] = set()

    def checkout(self, commit: str) -> KernelTree:
        """Write every wiring file of ``commit``; the tree view of it."""
        entries = [e for e in self.repo.tree_entries(commit)
                   if e.mode in REGULAR_MODES and is_wiring_path(e.path)]
        self._write({e.path: e.sha for e in entries})
        self.commit = commit
        return self._open(commit)

    def advance(self, commit: str, previous: KernelTree) -> KernelTree:
        """Move to ``commit`` rewriting only changed files; unchanged decoded text is kept."""
        changes = [c for c in self.repo.changes(self.commit, commit) if is_wiring_path(c.path)]
        for change in changes:
            if change.sha is None:
                target = self._target(change.path)
                if target.is_file() or target.is_symlink():
                    target.unlink()
                    self._prune(target.parent)
        self._write({c.path: c.sha for c in changes if c.sha is not None})
        self.commit = commit
        tree = self._open(commit)
        changed = {c.path for c in changes}
        tree.adopt_cache(previous, changed)
        from ckptlint.extract import kbuild
        from ckptlint.kconfig import loader

        loader.carry_over(previous, tree, changed)  # Kconfig parses only when Kconfig changed
        kbuild.carry_over(previous, tree, changed)  # directories whose Makefiles did not change
        return tree

    def release(self, tree: KernelTree) -> None:
        """Drop the Kconfig models cached for a tree view that is no longer used."""
        from ckptlint.kconfig import loader

        loader.clear_cache(tree.identity)

    def _open(self, commit: str) -> KernelTree:
        return KernelTree(self.root, identity=f"{self.root}@{commit}")

    def _write(self, files: dict[str, str]) -> None:
        by_sha: dict[str, list[str]] = {}
        for path, sha in files.items():
            by_sha.setdefault(sha, []).append(path)
        for sha, data in self.repo.blobs(by_sha):
            for path in by_sha[sha]:
                target = self._target(path)
                if target.parent not in self._made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    self._made.add(target.parent)
                target.write_bytes(data)

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
