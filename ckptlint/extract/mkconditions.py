"""Make-text conditions as small Kconfig expressions: building, rendering, comparing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from ckptlint.facts import Location

Cond = Union[str, tuple]
TRUE: Cond = "y"
FALSE: Cond = "n"
#: An expanded word: text, the condition under which it is present, and the
#: line it was written on (None: the line of the construct being expanded).
CWord = tuple[str, Cond, Union[Location, None]]

_SIMPLE_SYM = re.compile(r"[A-Za-z0-9_]+")
#: ``$(CONFIG_X)`` expands to this marker so comparisons can name X.
_MARK_L, _MARK_R = "\x01", "\x02"
_MARKERS_RE = re.compile("(?:\x01[^\x01\x02]+\x02)+")


# -- conditions ---------------------------------------------------------------
def c_not(c: Cond) -> Cond:
    """Negation of a condition."""
    if c == TRUE:
        return FALSE
    if c == FALSE:
        return TRUE
    if isinstance(c, tuple) and c[0] == "!":
        return c[1]
    return ("!", c)


def _combine(op: str, conds: tuple[Cond, ...]) -> Cond:
    """Flatten, deduplicate and short-circuit an ``&``/``|`` of conditions."""
    unit, zero = (TRUE, FALSE) if op == "&" else (FALSE, TRUE)
    terms: list[Cond] = []
    for c in conds:
        if c == zero:
            return zero
        subs = c[1] if isinstance(c, tuple) and c[0] == op else (c,)
        for t in subs:
            if t != unit and t not in terms:
                terms.append(t)
    if any(c_not(t) in terms for t in terms):
        return zero
    if op == "|" and len(terms) > 1:
        return _factor(terms)
    if not terms:
        return unit
    return terms[0] if len(terms) == 1 else (op, tuple(terms))


def _conjuncts(c: Cond) -> tuple[Cond, ...]:
    """The terms of a conjunction (a single term otherwise)."""
    return c[1] if isinstance(c, tuple) and c[0] == "&" else (c,)


def _factor(terms: list[Cond]) -> Cond:
    """An OR with absorption (A || A && B is A) and common conjuncts factored out."""
    sets = [_conjuncts(t) for t in terms]
    terms = [t for t, ts in zip(terms, sets)
             if not any(o is not ts and set(o) < set(ts) for o in sets)]
    if len(terms) == 1:
        return terms[0]
    common = [c for c in _conjuncts(terms[0]) if all(c in _conjuncts(t) for t in terms[1:])]
    if not common:
        return ("|", tuple(terms))
    rest = [c_and(*(c for c in _conjuncts(t) if c not in common)) for t in terms]
    return c_and(*common, c_or(*rest))


def c_and(*conds: Cond) -> Cond:
    """Conjunction of conditions."""
    if len(conds) == 2:  # fast paths for the common binary case
        a, b = conds
        if b == TRUE or a == b:
            return a
        if a == TRUE:
            return b
    return _combine("&", conds)


def c_or(*conds: Cond) -> Cond:
    """Disjunction of conditions."""
    if len(conds) == 2:
        a, b = conds
        if b == FALSE or a == b:
            return a
        if a == FALSE:
            return b
    return _combine("|", conds)


def render(c: Cond, parent: str = "") -> str:
    """Kconfig (kconfiglib) syntax for a condition."""
    if isinstance(c, str):
        return f"({c})" if parent == "!" and not _SIMPLE_SYM.fullmatch(c) else c
    if c[0] == "!":
        return "!" + render(c[1], "!")
    text = (" && " if c[0] == "&" else " || ").join(render(t, c[0]) for t in c[1])
    needs_parens = parent == "!" or (parent == "&" and c[0] == "|")
    return f"({text})" if needs_parens else text


def marker(symbol: str) -> str:
    """The word ``$(CONFIG_<symbol>)`` expands to."""
    return f"{_MARK_L}{symbol}{_MARK_R}"


def resolve_markers(text: str, cond: Cond) -> tuple[str, Cond]:
    """Replace config markers by ``y`` and add their symbols to the condition."""
    if _MARK_L not in text:
        return text, cond
    while _MARK_L in text:
        left = text.index(_MARK_L)
        right = text.find(_MARK_R, left)
        if right < 0:  # a stray marker byte from the file itself: not a config reference
            return text.replace(_MARK_L, ""), cond
        cond = c_and(cond, text[left + 1:right])
        text = text[:left] + "y" + text[right + 1:]
    return text, cond


def nonempty(words: list[CWord]) -> Cond:
    """Condition under which an expansion has at least one word."""
    return c_or(*(c_and(c, w[1:-1]) if _is_marker(w) else c for w, c, _ in words))


def _is_marker(word: str) -> bool:
    """True when a word is exactly one config marker."""
    return word.startswith(_MARK_L) and word.endswith(_MARK_R) and word.count(_MARK_L) == 1


def compare(left: list[CWord], right: list[CWord]) -> Cond | None:
    """Condition under which two expansions are equal (None: cannot tell)."""
    for a, b in ((left, right), (right, left)):
        if all(c == TRUE and _MARK_L not in w for w, c, _ in b):
            literal = " ".join(w for w, _, _ in b)
            if not literal:
                return c_not(nonempty(a))
            if all(c == TRUE and _MARK_L not in w for w, c, _ in a):
                return TRUE if " ".join(w for w, _, _ in a) == literal else FALSE
            if len(a) == 1 and _MARKERS_RE.fullmatch(a[0][0]):
                symbols = a[0][0][1:-1].split(_MARK_R + _MARK_L)
                if len(symbols) == 1:
                    return c_and(a[0][1], _config_equals(symbols[0], literal))
                if literal == "y" * len(symbols):  # ifeq ($(CONFIG_A)$(CONFIG_B),yy)
                    return c_and(a[0][1], *symbols)
                return None
            if all(c != TRUE and _MARK_L not in w for w, c, _ in a):
                return c_or(*(c for w, c, _ in a if w == literal))  # exclusive alternatives
    return None


def _config_equals(symbol: str, value: str) -> Cond:
    """Condition for ``$(CONFIG_<symbol>)`` being equal to a literal."""
    if value == "y":
        return symbol  # y and m are not told apart (built either way)
    if value == "n":
        return FALSE  # an unset symbol expands to nothing, never to n
    quoted = value if _SIMPLE_SYM.fullmatch(value) else '"' + value.replace('"', '\\"') + '"'
    return f"{symbol} = {quoted}"


@dataclass(slots=True)
class Frame:
    """One open conditional (or a conditional include)."""

    parent: Cond
    cond: Cond
    done: Cond
    unknown: tuple[str, Location] | None = None
    skipped: bool = False
    total: Cond = FALSE

    def __post_init__(self) -> None:
        self.update()

    def update(self) -> None:
        """Recompute ``total``: this branch's condition with the enclosing ones."""
        self.total = FALSE if self.skipped else c_and(self.parent, self.cond)
