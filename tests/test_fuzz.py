"""Fuzzing in CI: generated and mutated kernel-like trees (and patches, once patch
mode exists) never crash ckptlint. A fixed seed (derandomize) makes every CI run try
the same 500 trees; benchmarks/fuzz.py runs longer, randomised campaigns."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzztrees
from treestate import changes, snapshot

#: 500 examples, the same ones on every run; no example database, no deadline (CI machines vary).
CI = settings(max_examples=int(os.environ.get("CKPTLINT_FUZZ_EXAMPLES", "500")), derandomize=True,
              database=None, deadline=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])


@CI
@given(fuzztrees.kernel_trees())
def test_generated_trees_never_crash(files):
    fuzztrees.check_tree(files)


def check_patch_argv(tree: Path, patch: Path) -> list[str]:
    """How patch mode is invoked: ``check-patch PATCH --tree TREE``."""
    return ["check-patch", str(patch), "--tree", str(tree), "--arch", "all"]


@settings(CI, max_examples=100)
@given(st.data())
def test_generated_patches_never_crash_nor_write_outside(data):
    files = data.draw(fuzztrees.kernel_trees())
    patch = data.draw(fuzztrees.patches(files))
    root = Path(tempfile.mkdtemp(prefix="ckptlint-fuzz-"))
    try:
        fuzztrees.write_tree(root / "tree", files)
        (root / "change.patch").write_bytes(patch)
        before = snapshot(root)
        code, out, err = fuzztrees.run_cli(check_patch_argv(root / "tree", root / "change.patch"))
        # check-patch prints terse lines, not JSON; a refused patch is one stderr line and exit 2
        assert code in (0, 1, 2) and "Traceback" not in err and "internal error" not in err, err
        assert err.count("\n") == (1 if code == 2 else 0), err
        assert changes(before, snapshot(root)) == []  # nothing written, in the tree or beside it
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(CI, max_examples=60)
@given(st.data())
def test_generated_git_patches_never_crash_nor_write_outside(data):
    """Binary literal and delta hunks, mode, symlink and rename headers (issue 17)."""
    files = data.draw(fuzztrees.kernel_trees())
    fuzztrees.check_patch_case(files, data.draw(fuzztrees.git_patches(files)))


@settings(CI, max_examples=30)
@given(fuzztrees.kernel_trees(), fuzztrees.cache_damage())
def test_a_damaged_cache_never_changes_the_report_nor_writes_outside(files, damage):
    fuzztrees.check_cache_case(files, damage)
