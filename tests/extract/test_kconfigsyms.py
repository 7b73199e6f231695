"""The arch-blind set of Kconfig symbols: every Kconfig* file, and what they source."""

from __future__ import annotations

from treeutil import make_tree

from ckptlint.extract import kconfigsyms
from ckptlint.facts import Location


def test_a_sourced_file_of_any_name_defines_its_symbols(tmp_path):
    """A symbol defined in a file named otherwise (checkpoint/gate.in), which a Kconfig
    file sources, is defined: no CKL502 'not defined by any Kconfig file' for it."""
    tree = make_tree(tmp_path, {
        "Kconfig": 'config TOP\n\tbool\nsource "checkpoint/gate.in"\n',
        "checkpoint/gate.in": 'config CHECKPOINT\n\tbool "c/r"\nrsource "more.in"\n',
        "checkpoint/more.in": "config CHECKPOINT_MORE\n\tbool\n",
        "checkpoint/unread.in": "config NOBODY_SOURCES_ME\n\tbool\n",
    })
    assert kconfigsyms.extract(tree) == {
        "TOP": Location("Kconfig", 1), "CHECKPOINT": Location("checkpoint/gate.in", 1),
        "CHECKPOINT_MORE": Location("checkpoint/more.in", 1)}
