"""The cyclic garbage collector during bulk work.

A run builds a few large, long-lived structures (Kconfig models of ~10^6
objects each, Kbuild models of ~10^5) that hold almost no reference cycles.
CPython's collector re-scans everything alive whenever the heap has grown by a
quarter, so while those structures are built its full collections cost more
than the building (docs/performance.md). Work that only allocates what it
keeps runs with the collector paused, and what it built is frozen: moved to
the permanent generation that later collections never scan.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic GC for the block; with ``freeze``, exempt what is alive at its end
    (results kept until the run ends) from every later collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
