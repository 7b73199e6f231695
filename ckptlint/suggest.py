"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Iterable


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The closest candidate to ``name``, or None if nothing is close.

    difflib's choice exactly (the best ratio, ties to the greatest name), so
    the order of ``candidates`` does not matter.
    """
    pool = candidates if isinstance(candidates, frozenset) else frozenset(candidates)
    return _closest(name, pool, cutoff) or _transposed(name, pool)


def _transposed(name: str, pool) -> str | None:
    """A candidate that is ``name`` with two neighbouring characters swapped (``NUAM`` ->
    ``NUMA``): the commonest typo, which difflib rates below its cutoff on short names."""
    for i in range(len(name) - 1):
        if name[i] != name[i + 1]:
            swapped = name[:i] + name[i + 1] + name[i] + name[i + 2:]
            if swapped in pool:
                return swapped
    return None


@lru_cache(maxsize=4096)
def _closest(name: str, pool: frozenset[str], cutoff: float) -> str | None:
    """difflib's closest match, remembered: checks ask again for each arch (the
    pool, every Kconfig symbol of the tree, is the same each time)."""
    # Candidates that difflib's cheap upper bounds would reject are dropped
    # before its per-candidate Python work, with the same arithmetic, so the
    # result cannot change. The ratio is 2*M/(len(a)+len(b)); M is at most the
    # shorter length (real_quick_ratio) and at most the multiset intersection
    # of the characters (quick_ratio), which misses at least one character
    # for each character present in only one of the two names.
    size, mask = len(name), _charmask(name)
    close = []
    for length, group in _by_length(pool).items():
        total = size + length
        if not total or 2.0 * min(size, length) / total < cutoff:
            continue  # the whole length group fails real_quick_ratio
        for candidate, bits in group:
            if (total - (mask ^ bits).bit_count()) / total >= cutoff and candidate != name:
                close.append(candidate)
    matches = difflib.get_close_matches(name, close, n=1, cutoff=cutoff)
    return matches[0] if matches else None


@lru_cache(maxsize=8)
def _by_length(pool: frozenset[str]) -> dict[int, list[tuple[str, int]]]:
    """The candidates with their character sets, grouped by length."""
    groups: dict[int, list[tuple[str, int]]] = {}
    for candidate in pool:
        groups.setdefault(len(candidate), []).append((candidate, _charmask(candidate)))
    return groups


def _charmask(text: str) -> int:
    """The set of characters of ``text`` as bits of an int."""
    mask = 0
    for code in set(map(ord, text)):
        mask |= 1 << code
    return mask


def hint(name: str, candidates: Iterable[str], cutoff: float = 0.8) -> str:
    """``"; did you mean X?"`` or the empty string."""
    best = did_you_mean(name, candidates, cutoff)
    return f"; did you mean {best}?" if best else ""


class Suggester:
    """``did_you_mean`` over a large, fixed pool (tens of thousands of Kconfig symbols).

    difflib compares the name with every candidate (~60 ms against 6.12's
    17 000 symbols). A bigram index first keeps the candidates sharing at
    least half of the name's bigrams, then difflib ranks those with the same
    cutoff. A name within difflib's 0.8 ratio of another differs by a couple of
    characters, so it shares most bigrams; names of one or two characters
    have no useful bigrams and fall back to the full comparison.
    """

    def __init__(self, pool: Iterable[str]) -> None:
        self.pool = sorted(set(pool))
        self._members = frozenset(self.pool)
        self.index: dict[str, list[int]] = {}
        for number, name in enumerate(self.pool):
            for gram in _bigrams(name):
                self.index.setdefault(gram, []).append(number)

    def closest(self, name: str, within: frozenset[str] | None = None,
                cutoff: float = 0.8) -> str | None:
        """The closest candidate to ``name`` (and in ``within`` if given), or None."""
        found = self._closest(name, within, cutoff)
        if found is None:  # a swap of two letters shares few bigrams: asked for by name
            swapped = _transposed(name, self._members)
            found = swapped if within is None or swapped in within else None
        return found

    def _closest(self, name: str, within: frozenset[str] | None, cutoff: float) -> str | None:
        grams = _bigrams(name)
        if len(grams) < 2:
            return did_you_mean(name, [c for c in self.pool if within is None or c in within], cutoff)
        from collections import Counter
        from itertools import chain

        shared = Counter(chain.from_iterable(self.index.get(g, ()) for g in grams))
        need = len(grams) / 2
        close = [self.pool[i] for i, n in shared.items() if n >= need]
        return did_you_mean(name, [c for c in close if within is None or c in within], cutoff)


def _bigrams(name: str) -> set[str]:
    return {name[i:i + 2] for i in range(len(name) - 1)}
