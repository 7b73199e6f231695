"""The cyclic garbage collector during bulk work.

A run builds a few large, long-lived structures (Kconfig models of ~10^6
objects each, Kbuild models of ~10^5) that hold almost no reference cycles.
CPython's collector re-scans everything alive whenever the heap has grown by a
quarter, so while those structures are built its full collections cost more
than the building (docs/performance.md). Work that only allocates what it
keeps runs with the collector paused, and what it built is frozen: moved to
the permanent generation that later collections never scan.

Freezing also exempts whatever garbage is alive at that moment, and frozen
objects in reference cycles (a Kconfig symbol and its menu nodes) are never
reclaimed once dropped. One run per process never notices; a process that
runs again (series mode, commit after commit; a fuzz campaign; a tool that
embeds ckptlint) kept every model it had ever dropped, so each new run
thaws what earlier runs froze (:func:`thaw`).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

#: Whether this process froze objects since the last :func:`thaw`.
_frozen = False
#: Objects a block must leave alive for freezing to pay: below this (a small
#: tree's model) later collections scan them in no time, and nothing is frozen
#: that the next run would have to thaw. A 6.12 Kconfig model is ~10^6.
FREEZE_AT_LEAST = 100_000


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic GC for the block; with ``freeze``, exempt what is alive at its end
    (results kept until the run ends) from every later collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    before = gc.get_count()[0]  # objects made minus objects freed; no collection runs here
    try:
        yield
    finally:
        if freeze and gc.get_count()[0] - before >= FREEZE_AT_LEAST:
            global _frozen
            gc.freeze()
            _frozen = True
        if was_enabled:
            gc.enable()


def thaw() -> None:
    """Give what earlier runs froze back to the collector, and collect what they dropped.

    Called when a run starts: nothing to do in a fresh process; after a run
    that froze, one full collection. Small trees freeze nothing, and on 6.12
    series mode took 148.7 s for 10 commits with it (150.5 s before).
    """
    global _frozen
    if _frozen:
        _frozen = False
        gc.unfreeze()
        gc.collect()
