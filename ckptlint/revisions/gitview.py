"""Every git process ckptlint starts is started here, and only here.

Security contract (the audit whitelists exactly this module):

* Only two modes reach this module: series mode (``ckptlint check TREE --base
  REV``) and the staged-state check (``ckptlint check TREE --staged``, the
  pre-commit hook). A plain ``check``, ``check-patch``, ``matrix`` and ``why``
  never spawn a process (tests/test_no_exec.py).
* git runs with a fixed argument list, never through a shell. The only
  caller-supplied strings are revisions, which are passed after
  ``--end-of-options`` to ``git rev-parse --verify`` and from then on only as
  the full hexadecimal object names it returned. Tree paths only ever come
  back from git (``-z`` output) and are never passed to it.
* Only read-only plumbing is used (rev-parse, rev-list, ls-tree, ls-files,
  diff-tree, diff-index, diff-files, cat-file): the user's work tree, index,
  HEAD, refs and .git contents are never written. The environment drops
  every ``GIT_*`` variable except those that locate the repository, ignores
  the system config, disables pagers, optional locks, lazy fetches and the
  fsmonitor hook, so no configured program is run.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

LOG = logging.getLogger(__name__)

#: Repository-locating variables kept from the caller's environment (git sets
#: GIT_INDEX_FILE for hooks during ``git commit -a`` and partial commits).
_KEPT_GIT_VARS = frozenset({"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR",
                            "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"})
_FIXED_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat", "PAGER": "cat",
              "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1",
              "GIT_NO_REPLACE_OBJECTS": "1", "GIT_ATTR_NOSYSTEM": "1", "LC_ALL": "C"}
#: ``-c`` settings on every call: no fsmonitor program, no pager.
_FIXED_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.pager=cat")
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
#: Modes of blobs ckptlint reads: regular files (symlinks and submodules are not materialised).
REGULAR_MODES = frozenset({"100644", "100755"})


class GitError(Exception):
    """git is missing, the directory is not a work tree, or a revision is unknown."""


class Entry(NamedTuple):
    """One file of a commit or of the index."""

    path: str
    mode: str
    sha: str


class Change(NamedTuple):
    """One path changed between two commits (``sha`` None when deleted or not a regular file)."""

    path: str
    sha: str | None


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT_GIT_VARS}
    env.update(_FIXED_ENV)
    return env


class Repo:
    """Read-only access to the git repository whose top-level work tree is ``root``."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        if not os.path.isdir(self.root):
            raise GitError(f"{root}: no such directory")
        try:
            top = self._git("rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip()
        except GitError:
            raise GitError(f"{root}: not a git work tree") from None
        if os.path.realpath(top) != self.root:
            raise GitError(f"{root}: not the top of a git work tree (that is {top})")

    # -- plumbing ---------------------------------------------------------
    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        argv = ["git", "-C", self.root, *_FIXED_CONFIG, *args]
        try:
            done = subprocess.run(argv, input=stdin, capture_output=True, env=_environment(),
                                  check=False, shell=False)
        except FileNotFoundError as exc:
            raise GitError("git is not installed (needed for --base/--staged)") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
        return done.stdout

    def commit(self, rev: str) -> str:
        """The full object name of the commit ``rev`` names."""
        if not rev or "\n" in rev or "\0" in rev:
            raise GitError(f"bad revision {rev!r}")
        try:
            out = self._git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except GitError:
            raise GitError(f"unknown revision or not a commit: {rev}") from None
        sha = out.decode().strip()
        if not _SHA.match(sha):
            raise GitError(f"unexpected object name for {rev}: {sha}")
        return sha

    def has_head(self) -> bool:
        try:
            self.commit("HEAD")
        except GitError:
            return False
        return True

    def first_parent_range(self, base: str, head: str) -> list[str]:
        """Commits after ``base`` up to ``head``, oldest first, following first parents."""
        _check_sha(base, head)
        out = self._git("rev-list", "--reverse", "--first-parent", f"{base}..{head}")
        return out.decode().split()

    def tree_entries(self, commit: str) -> list[Entry]:
        """Every blob of ``commit`` (recursive, full tree)."""
        _check_sha(commit)
        out = self._git("ls-tree", "-r", "-z", "--full-tree", commit)
        entries = []
        for record in _records(out):
            meta, path = record.split("\t", 1)
            mode, kind, sha = meta.split()
            if kind == "blob":
                entries.append(Entry(path, mode, sha))
        return entries

    def changes(self, old: str, new: str) -> list[Change]:
        """Paths that differ between two commits, renames as delete + add."""
        _check_sha(old, new)
        out = self._git("diff-tree", "-r", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
                        "--no-commit-id", old, new)
        fields = out.split(b"\0")
        result = []
        for meta, path in zip(fields[0::2], fields[1::2]):
            if not meta.startswith(b":"):
                continue
            _, new_mode, _, new_sha, status = meta[1:].decode().split()
            regular = status != "D" and new_mode in REGULAR_MODES
            result.append(Change(path.decode("utf-8", "surrogateescape"), new_sha if regular else None))
        return result

    def index_entries(self) -> list[Entry]:
        """Stage-0 entries of the index (conflicted paths keep their 'ours' stage 2)."""
        out = self._git("ls-files", "-s", "-z")
        chosen: dict[str, Entry] = {}
        for record in _records(out):
            meta, path = record.split("\t", 1)
            mode, sha, stage = meta.split()
            if stage in ("0", "2"):
                chosen[path] = Entry(path, mode, sha)
        return list(chosen.values())

    def content_changed(self, paths: list[str]) -> list[str]:
        """Those of ``paths`` whose work-tree content differs from the index: ``diff-files``
        also names files that were only touched (an editor's save, a restore), and ckptlint
        never refreshes the index to find out. A regular file is hashed as git hashes a blob;
        anything else counts as changed."""
        import hashlib

        if not paths:
            return []
        from ckptlint.tree import KernelTree

        wanted = set(paths)
        index = {e.path: e for e in self.index_entries() if e.path in wanted}
        tree = KernelTree(self.root)  # its reads never leave the tree, nor follow a link out
        changed = []
        for path in paths:
            entry = index.get(path)
            if entry is None or entry.mode not in REGULAR_MODES \
                    or os.path.islink(os.path.join(self.root, path)):
                changed.append(path)
                continue
            data = tree.read_bytes(path)
            if data is None:
                changed.append(path)
                continue
            algorithm = hashlib.sha256 if len(entry.sha) == 64 else hashlib.sha1
            if algorithm(b"blob %d\0" % len(data) + data).hexdigest() != entry.sha:
                changed.append(path)
        return changed

    def staged_paths(self) -> list[str]:
        """Paths whose index content differs from HEAD (every index path before the first commit)."""
        try:
            out = self._git("diff-index", "--cached", "-z", "--name-only", "--no-renames", "HEAD")
        except GitError:
            if self.has_head():
                raise
            return [e.path for e in self.index_entries()]
        return list(_records(out))

    def unstaged_paths(self) -> list[str]:
        """Work-tree paths that may differ from the index (stat-dirty ones included)."""
        return list(_records(self._git("diff-files", "-z", "--name-only")))

    def untracked_paths(self) -> list[str]:
        """Untracked, not ignored work-tree files."""
        return list(_records(self._git("ls-files", "-z", "--others", "--exclude-standard")))

    def subject(self, commit: str) -> str:
        """The first line of a commit's message."""
        raw = next(self.blobs([commit]))[1]
        _, _, message = raw.partition(b"\n\n")
        return message.split(b"\n", 1)[0].decode("utf-8", "replace").strip()

    def sizes(self, shas: Iterable[str]) -> dict[str, int]:
        """Each object's size, from ``cat-file --batch-check`` (nothing is read)."""
        wanted = list(shas)
        _check_sha(*wanted)
        if not wanted:
            return {}
        out = self._git("cat-file", "--batch-check", stdin="".join(s + "\n" for s in wanted).encode())
        sizes = {}
        for sha, line in zip(wanted, out.decode().splitlines()):
            fields = line.split()
            if len(fields) != 3 or fields[0] != sha or not fields[2].isdigit():
                raise GitError(f"git cat-file: object {sha} is missing")
            sizes[sha] = int(fields[2])
        return sizes

    def blobs(self, shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """(sha, content) for each object, through one ``git cat-file --batch``."""
        import threading  # only series mode and a dirty staged view read blobs

        wanted = list(shas)
        _check_sha(*wanted)
        if not wanted:
            return
        argv = ["git", "-C", self.root, *_FIXED_CONFIG, "cat-file", "--batch"]
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=_environment(), shell=False)
        feeder = threading.Thread(target=_feed, args=(proc.stdin, wanted), daemon=True)
        feeder.start()
        try:
            for sha in wanted:
                header = proc.stdout.readline().decode().split()
                if len(header) != 3:
                    raise GitError(f"git cat-file: object {sha} is missing")
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)
                yield sha, data
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
            feeder.join()


def _feed(pipe, shas: list[str]) -> None:
    try:
        for sha in shas:
            pipe.write(sha.encode() + b"\n")
        pipe.close()
    except (BrokenPipeError, ValueError, OSError):  # the reader stopped early
        pass


def _records(out: bytes) -> Iterator[str]:
    for record in out.split(b"\0"):
        if record:
            yield record.decode("utf-8", "surrogateescape")


def _check_sha(*shas: str) -> None:
    for sha in shas:
        if not _SHA.match(sha):
            raise GitError(f"not a full object name: {sha!r}")
