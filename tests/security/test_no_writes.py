"""No writes: every command leaves the checked tree (and what lies beside it)
byte-identical: content, modes, mtimes, symlink targets, directory listings."""

from __future__ import annotations

import shutil

import pytest

from ckptlint.cli import main
from clicommands import check_formats, tree_commands
from hostile import hostile_tree
from samples import ROOT, all_cases, materialise
from treestate import changes, snapshot

TREES = ["hostile", "clean-2.6.33", "clean-6.12", "seed-as-posted"]


@pytest.fixture(params=TREES)
def any_tree(request, tmp_path):
    """The named tree under tmp_path/trees (reports go elsewhere)."""
    tree = tmp_path / "trees" / request.param
    if request.param == "hostile":
        hostile_tree(tree)
    elif request.param.startswith("clean-"):
        shutil.copytree(ROOT / request.param, tree)
    else:
        case = next(c for c in all_cases() if c.name == request.param)
        materialise(case, tree)
    return tree


def test_no_command_changes_the_tree(any_tree, tmp_path, capsys):
    watched = any_tree.parent  # the tree and its neighbours (the hostile tree's outside dir)
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    for label, argv in tree_commands(any_tree, out_dir).items():
        before = snapshot(watched)
        code = main(argv)
        err = capsys.readouterr().err
        assert changes(before, snapshot(watched)) == [], label
        assert code in (0, 1), f"{label}: {err}"
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"report.{fmt}" for fmt in check_formats())


def test_the_snapshot_sees_every_kind_of_write(tmp_path):
    import os

    tree = tmp_path / "t"
    (tree / "d").mkdir(parents=True)
    (tree / "d" / "f").write_text("x")
    os.symlink("f", tree / "d" / "link")
    base = snapshot(tree)
    os.utime(tree / "d" / "f", ns=(0, 12345))
    assert changes(base, snapshot(tree)) == [f"changed d/f: {base['d/f']} -> {snapshot(tree)['d/f']}"]
    for write in (lambda: os.chmod(tree / "d" / "f", 0o600),
                  lambda: (tree / "d" / "f").write_text("y"),
                  lambda: (os.unlink(tree / "d" / "link"), os.symlink("g", tree / "d" / "link")),
                  lambda: (tree / "new").write_text("")):
        before = snapshot(tree)
        write()
        assert changes(before, snapshot(tree)) != []
