"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
from typing import Iterable


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The closest candidate to ``name``, or None if nothing is close."""
    # difflib's ratio is 2*M/(len(a)+len(b)) with M <= the shorter length, so a
    # candidate whose length alone keeps it under the cutoff is dropped before
    # difflib's per-candidate Python work (the result cannot change)
    size = len(name)
    pool = [c for c in candidates
            if c != name and 2 * min(size, len(c)) >= cutoff * (size + len(c))]
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def hint(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean X?"`` or the empty string."""
    best = did_you_mean(name, candidates)
    return f"; did you mean {best}?" if best else ""
