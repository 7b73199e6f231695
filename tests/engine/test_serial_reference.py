"""The serial path is the reference: the runtime (forked workers, the on-disk cache)
may make a run faster, never different.

Every sample tree (the clean trees of sample_trees/ and every case) is checked three
ways: serially without the cache (``-j1 --no-cache``, the reference), with workers and
a cold cache (``-j2``), and again answered from the warm cache; the reports must be
byte for byte the same.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from samples import CASES, ROOT, all_cases, materialise

from ckptlint.cli import main

#: Every check over every ABI, notes included, as JSON.
FULL = ["--arch", "all", "--show-notes", "--format", "json"]
TREES = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and p != CASES)
SAMPLES = [("tree", name) for name in TREES] + [("case", case.name) for case in all_cases()]


def age(tree: Path, seconds: int = 3600) -> None:
    """Date the tree back, as a checked-out tree is (the cache does not trust files
    changed within the last seconds)."""
    past = os.stat(tree).st_mtime - seconds
    for path in [tree, *tree.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


def report(tree: Path, out: Path, *extra: str) -> tuple[int, str]:
    code = main(["check", str(tree), *FULL, "-o", str(out), *extra])
    return code, out.read_text()


@pytest.mark.parametrize("kind, name", SAMPLES, ids=[name for _, name in SAMPLES])
def test_the_runtime_reports_what_the_serial_path_reports(kind, name, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if kind == "tree":
        tree = Path(shutil.copytree(ROOT / name, tmp_path / name, symlinks=True))
    else:
        case = next(c for c in all_cases() if c.name == name)
        tree = materialise(case, tmp_path / name)
    age(tree)
    serial = report(tree, tmp_path / "serial.json", "-j1", "--no-cache")
    workers = report(tree, tmp_path / "workers.json", "-j2")
    warm = report(tree, tmp_path / "warm.json", "-j2")
    assert workers == serial
    assert warm == serial
