"""Wall time of the pre-commit hook when nothing it reads is staged (the common case).

Usage: python benchmarks/hook_noop.py [RUNS]
Builds a temporary git repository from sample_trees/clean-2.6.33, stages a
README change, and runs ``python -m ckptlint check --staged .`` RUNS times
(default 20) as pre-commit would; prints min/median/max, and the same for
``python -c pass`` as the interpreter's floor.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1",
       "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
       "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}


def timed(argv: list[str], cwd: Path, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=ENV, check=True, capture_output=True)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "linux"
        shutil.copytree(ROOT / "sample_trees" / "clean-2.6.33", repo)
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
            subprocess.run(["git", *args], cwd=repo, env=ENV, check=True)
        (repo / "README").write_text("docs only\n")
        subprocess.run(["git", "add", "README"], cwd=repo, env=ENV, check=True)
        for label, argv in (("python -c pass", [sys.executable, "-c", "pass"]),
                            ("ckptlint check --staged . (no-op)",
                             [sys.executable, "-m", "ckptlint", "check", "--staged", "."])):
            times = timed(argv, repo, runs)
            print(f"{label}: min {min(times):.3f}s  median {statistics.median(times):.3f}s  "
                  f"max {max(times):.3f}s  ({runs} runs)")


if __name__ == "__main__":
    main()
