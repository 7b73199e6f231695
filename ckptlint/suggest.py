"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
from typing import Iterable


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The closest candidate to ``name``, or None if nothing is close."""
    pool = [c for c in candidates if c != name]
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def hint(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean X?"`` or the empty string."""
    best = did_you_mean(name, candidates)
    return f"; did you mean {best}?" if best else ""
