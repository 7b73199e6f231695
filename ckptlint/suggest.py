"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Iterable


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The closest candidate to ``name``, or None if nothing is close."""
    return _closest(name, tuple(sorted(set(candidates))), cutoff)


@lru_cache(maxsize=4096)
def _closest(name: str, pool: tuple[str, ...], cutoff: float) -> str | None:
    """difflib's closest match, remembered: checks ask again for each arch (the
    pool, every Kconfig symbol of the tree, is the same each time)."""
    # difflib's ratio is 2*M/(len(a)+len(b)) with M <= the shorter length, so a
    # candidate whose length alone keeps it under the cutoff is dropped before
    # difflib's per-candidate Python work (the result cannot change)
    size = len(name)
    close = [c for c in pool  # the very test of difflib's real_quick_ratio
             if c != name and 2.0 * min(size, len(c)) / ((size + len(c)) or 1) >= cutoff]
    matches = difflib.get_close_matches(name, close, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def hint(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean X?"`` or the empty string."""
    best = did_you_mean(name, candidates)
    return f"; did you mean {best}?" if best else ""
