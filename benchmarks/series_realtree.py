"""Series mode and check-patch on a real kernel tree: time per phase.

Usage: python benchmarks/series_realtree.py TREE [TABLE]

TREE is a kernel tree that is not a git repository (it is only read: the git
directory lives in a temporary directory, GIT_WORK_TREE points at TREE).
Three commits are made without touching TREE: the tree as it is, a stray
``sys_ni_syscall`` entry before the table line holding ``sys_getpid`` in
TABLE (default: the 2.6 i386 table), and its removal. Then, in-process:
``check TREE --base HEAD~2`` timed by phase (checkout, each engine run, the
temporary directory's removal) and ``check-patch`` of the middle commit.
CPU seconds are this process's; wall seconds depend on the machine's load,
printed last.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckptlint.revisions import series  # noqa: E402
from ckptlint.engine.options import Options  # noqa: E402
from ckptlint.revisions.check_patch import check_patch  # noqa: E402
from ckptlint.tree import KernelTree  # noqa: E402

IDENTITY = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
            "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def git(*args: str, stdin: bytes | None = None) -> str:
    return subprocess.run(["git", *args], input=stdin, capture_output=True, check=True,
                          env=os.environ).stdout.decode().strip()


def make_history(tree: Path, table: str) -> None:
    """Base, a commit that shifts the table, a commit that undoes it (index and objects only)."""
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    text = (tree / table).read_text()
    shifted = re.sub(r"^(.*\bsys_getpid\b.*)$", lambda m: "\t.long sys_ni_syscall\n" + m.group(1),
                     text, count=1, flags=re.M)
    for content, message in ((shifted, "stray hole"), (text, "remove the stray hole")):
        sha = git("hash-object", "-w", "--stdin", stdin=content.encode())
        git("update-index", "--cacheinfo", f"100644,{sha},{table}")
        git("commit", "-q", "-m", message)


def timed(label: str, function):
    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            print(f"  {label}: {time.perf_counter() - wall:6.1f}s wall {time.process_time() - cpu:6.1f}s cpu")
    return wrapper


def main() -> None:
    tree = Path(sys.argv[1]).resolve()
    table = sys.argv[2] if len(sys.argv) > 2 else "arch/x86/kernel/syscall_table_32.S"
    with tempfile.TemporaryDirectory(prefix="ckptlint-bench-") as scratch:
        os.environ.update(IDENTITY, GIT_DIR=f"{scratch}/git", GIT_WORK_TREE=str(tree))
        start = time.perf_counter()
        make_history(tree, table)
        print(f"history made in {time.perf_counter() - start:.1f}s")
        mbox = subprocess.run(["git", "format-patch", "--stdout", "HEAD~2..HEAD~1"],
                              capture_output=True, check=True).stdout
        series.Snapshot.checkout = timed("checkout (wiring files of the base)", series.Snapshot.checkout)
        series.Snapshot.advance = timed("advance (changed files only)", series.Snapshot.advance)
        series.run = timed("engine run", series.run)
        cleanup = tempfile.TemporaryDirectory.cleanup
        tempfile.TemporaryDirectory.cleanup = timed("remove the checkout", cleanup)
        print("check --base HEAD~2:")
        result = timed("total", series.check_series)(str(tree), "HEAD~2", "HEAD", Options())
        tempfile.TemporaryDirectory.cleanup = cleanup
        print(f"  introduced per commit: {[len(c.introduced) for c in result.commits]}")
        del os.environ["GIT_DIR"], os.environ["GIT_WORK_TREE"]
    print("check-patch of the middle commit:")
    outcome = timed("total", check_patch)(KernelTree(tree), mbox, Options())
    print(f"  introduced: {len(outcome.introduced)}")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    main()
