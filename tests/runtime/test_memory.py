"""What one run freezes for speed is given back to the collector when the next run starts."""

from __future__ import annotations

import gc
import weakref

from ckptlint.memory import FREEZE_AT_LEAST, gc_paused
from ckptlint.runtime.session import Session
from ckptlint.tree import KernelTree


class Node:
    """A reference cycle, as a Kconfig symbol and its menu node make."""

    def __init__(self) -> None:
        self.me = self


def test_a_new_run_collects_the_cycles_an_earlier_run_froze_and_dropped(tmp_path):
    (tmp_path / "Makefile").write_text("")
    (tmp_path / "arch").mkdir()
    with gc_paused(freeze=True):  # a run's model, frozen while alive
        node = Node()
        node.parts = [Node() for _ in range(FREEZE_AT_LEAST)]
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is not None  # frozen: no collection sees it
    Session(KernelTree(tmp_path), use_cache=False, jobs=1).close()
    assert gone() is None
    assert gc.get_freeze_count() == 0


def test_a_small_model_is_not_frozen():
    gc.collect()
    with gc_paused(freeze=True):  # a small tree's model: later collections scan it in no time
        nodes = [Node() for _ in range(1000)]
    assert gc.get_freeze_count() == 0
    del nodes
