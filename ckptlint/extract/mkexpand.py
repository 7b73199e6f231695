"""Expansion of make text against a variable table, with the make functions understood."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ckptlint.extract.mkconditions import (
    _MARK_L, FALSE, TRUE, Cond, CWord, c_and, c_not, c_or, marker, nonempty,
)
from ckptlint.extract.mkscan import Dynamic, _segments, split_args, split_words

#: Limit of the cartesian product of alternatives inside one word.
MAX_ALTERNATIVES = 64
_FUNC_RE = re.compile(r"([a-z][a-z-]*)[ \t]+")
_SUBST_REF = re.compile(r"([^:$]+):([^=]*)=(.*)")
#: Names whose assignments are kept as events (kbuild lists: obj-y, foo-objs).
_LISTISH = re.compile(r"-(?:y|m|n|objs)$")


class TooBig(Dynamic):
    """An expansion past one of the bounds below: left unevaluated, and said at its line."""


# -- expansion ----------------------------------------------------------------
@dataclass(slots=True)
class Var:
    """A make variable: its conditional words, or the reason it is unknown."""

    words: list[CWord]
    reason: str | None = None
    certain: bool = True
    fixed: bool = False


#: Deepest nesting of references expanded (real Makefiles nest fewer than 10).
MAX_NESTING = 100
#: Most words one value may expand to (6.12's longest list, drivers/Makefile's obj-y, has
#: about 200); doubling variables (``a40 = $(a39) $(a39)``) reach it in 16 lines.
MAX_WORDS = 65536
#: Longest word an expansion may build (``a1 = $(a0)$(a0)`` doubles a word's length).
MAX_WORD_CHARS = 65536
#: References and function calls one expansion may make before it is given up.
MAX_STEPS = 200_000


class Expander:
    """Expands make text against a variable table, word by word."""

    def __init__(self, variables: dict[str, Var]) -> None:
        self.vars = variables
        #: In conditions, a variable set under an unknown condition is unknown.
        self.strict = False
        #: In kbuild lists an undefined variable (empty for make) is worth a note.
        self.lists = False
        self._depth = 0
        self._steps = 0

    def text(self, text: str) -> list[CWord]:
        """All words of a text."""
        if self._depth == 0:
            self._steps = 0
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:  # ``$($($(...`` 50000 deep would exhaust the stack
                raise Dynamic(f"references nested more than {MAX_NESTING} deep")
            out: list[CWord] = []
            for _, word in split_words(text):
                out.extend(self.word(word))
                if len(out) > MAX_WORDS:
                    raise TooBig(f"expands to more than {MAX_WORDS} words")
            return out
        finally:
            self._depth -= 1

    def literal(self, text: str) -> str:
        """A text that must expand to unconditional words (function arguments)."""
        words = self.text(text)
        if any(c != TRUE for _, c, _ in words):
            raise Dynamic(f"conditional value in '{text.strip()}'")
        return " ".join(w for w, _, _ in words)

    def word(self, word: str) -> list[CWord]:
        """Expansion of one word: spliced when it is a single reference."""
        if "$" not in word:
            return [(word, TRUE, None)]
        if self._depth == 0:
            self._steps = 0
        parts = _segments(word)
        if len(parts) == 1 and parts[0][0]:
            return self.ref(parts[0][1])
        alts: list[tuple[str, Cond]] = [("", TRUE)]
        for is_ref, piece in parts:
            values = self._alternatives(self.ref(piece)) if is_ref else [(piece, TRUE)]
            alts = [(a + v, c_and(ca, cv)) for a, ca in alts for v, cv in values]
            alts = [(a, c) for a, c in alts if c != FALSE]
            if any(len(a) > MAX_WORD_CHARS for a, _ in alts):
                raise TooBig(f"a word longer than {MAX_WORD_CHARS} characters")
            if len(alts) > MAX_ALTERNATIVES:
                raise Dynamic(f"too many alternatives in '{word}'")
        return [(w, c, None) for a, c in alts for w in a.split()]

    @staticmethod
    def _alternatives(words: list[CWord]) -> list[tuple[str, Cond]]:
        """Values a reference embedded in a word can take, one at a time."""
        alts = [(w, c) for w, c, _ in words]
        empty = c_not(c_or(*(c for _, c in alts)))
        return alts + [("", empty)] if empty != FALSE else alts

    def ref(self, inner: str) -> list[CWord]:
        """Expansion of ``$(inner)``: a variable, a config symbol or a function."""
        self._steps += 1
        if self._steps > MAX_STEPS:
            raise TooBig(f"more than {MAX_STEPS} references in one expansion")
        m = _FUNC_RE.match(inner)
        if m:
            handler = _FUNCTIONS.get(m.group(1))
            if handler is None:
                raise Dynamic(f"$({inner.strip()[:80]})")
            return handler(self, inner[m.end():])
        name = self.literal(inner) if "$" in inner else inner
        sub = _SUBST_REF.fullmatch(name)
        if sub:  # $(var:.o=.c) substitution reference
            pat = sub.group(2) if "%" in sub.group(2) else "%" + sub.group(2)
            rep = sub.group(3) if "%" in sub.group(3) else "%" + sub.group(3)
            return _patsubst(self.var(sub.group(1)), pat, rep)
        if name.startswith("CONFIG_"):
            return [(marker(name[7:]), TRUE, None)]
        return self.var(name)

    def var(self, name: str) -> list[CWord]:
        """Words of a variable; unknown or undefined ones raise Dynamic."""
        var = self.vars.get(name)
        if var is None:
            # Undefined is empty for make; in a kbuild list it is suspicious
            # unless it names another (maybe never assigned) kbuild list.
            if self.lists and not _LISTISH.search(name):
                raise Dynamic(f"$({name}) is not defined here")
            return []
        if var.reason is not None:
            raise Dynamic(var.reason)
        if self.strict and not var.certain:
            raise Dynamic(f"$({name}) is set under a condition that was not evaluated")
        return var.words


def _wordwise(fn: Callable[[str], str | None]) -> Callable[[list[CWord]], list[CWord]]:
    """Lift a word transformation (None drops the word) to expansions; markers pass."""
    def apply(words: list[CWord]) -> list[CWord]:
        out = []
        for w, c, loc in words:
            new = w if w.startswith(_MARK_L) else fn(w)
            if new:
                out.append((new, c, loc))
        return out
    return apply


def _pattern(pat: str) -> re.Pattern[str]:
    """A make ``%`` pattern as a regex."""
    head, pct, tail = pat.partition("%")
    return re.compile(re.escape(head) + ("(.*)" if pct else "") + re.escape(tail))


def _patsubst(words: list[CWord], pat: str, rep: str) -> list[CWord]:
    """``$(patsubst pat,rep,words)``."""
    rx = _pattern(pat)

    def one(w: str) -> str:
        m = rx.fullmatch(w)
        if not m:
            return w
        return rep.replace("%", m.group(1), 1) if "%" in pat else rep
    return _wordwise(one)(words)


def _f_subst(ex: Expander, args: str) -> list[CWord]:
    """``$(subst from,to,text)``; config markers pass unchanged."""
    frm, to, text = (split_args(args, 3) + ["", ""])[:3]
    frm, to = ex.literal(frm), ex.literal(to)

    def one(w: str) -> str:
        if not frm:
            return w
        # measured before it is built: ``s2 = $(subst x,$(s1),$(s1))`` squares a word
        if len(w) + w.count(frm) * (len(to) - len(frm)) > MAX_WORD_CHARS:
            raise TooBig(f"a word longer than {MAX_WORD_CHARS} characters")
        return w.replace(frm, to)
    return _wordwise(one)(ex.text(text))


def _f_patsubst(ex: Expander, args: str) -> list[CWord]:
    """``$(patsubst pattern,replacement,text)``."""
    pat, rep, text = (split_args(args, 3) + ["", ""])[:3]
    return _patsubst(ex.text(text), ex.literal(pat).strip(), ex.literal(rep).strip())


def _f_filter(ex: Expander, args: str, keep: bool = True) -> list[CWord]:
    """``$(filter ...)`` / ``$(filter-out ...)`` with literal patterns."""
    pats, text = (split_args(args, 2) + [""])[:2]
    regexes = [_pattern(p) for p in ex.literal(pats).split()]
    out = []
    for w, c, loc in ex.text(text):
        if w.startswith(_MARK_L):  # a config value: y/m patterns keep it
            if not keep:
                raise Dynamic(f"$(filter-out {args.strip()[:60]})")
            hit = any(r.pattern in ("y", "m", "(.*)") for r in regexes)
        else:
            hit = any(r.fullmatch(w) for r in regexes)
        if hit == keep:
            out.append((w, c, loc))
    return out


def _f_affix(ex: Expander, args: str, prefix: bool) -> list[CWord]:
    """``addprefix``/``addsuffix``; a conditional affix gives one word per value."""
    affix, text = (split_args(args, 2) + [""])[:2]
    out: list[CWord] = []
    for fix, fix_cond in Expander._alternatives(ex.text(affix)):
        for w, c, loc in ex.text(text):
            both = c_and(c, fix_cond)
            if both != FALSE:
                out.append((fix + w if prefix else w + fix, both, loc))
    return out


def _f_if(ex: Expander, args: str) -> list[CWord]:
    """``$(if test,then,else)`` as two conditional word lists."""
    test, then, other = (split_args(args, 3) + ["", ""])[:3]
    cond = nonempty(ex.text(test))
    out = [(w, c_and(c, cond), loc) for w, c, loc in ex.text(then)]
    out += [(w, c_and(c, c_not(cond)), loc) for w, c, loc in ex.text(other)]
    return [word for word in out if word[1] != FALSE]


def _f_sort(ex: Expander, args: str) -> list[CWord]:
    """``$(sort ...)``: sorted, duplicates removed."""
    seen: dict[tuple[str, Cond], CWord] = {}
    for w, c, loc in ex.text(args):
        seen.setdefault((w, c), (w, c, loc))
    return sorted(seen.values(), key=lambda item: item[0])


def _f_findstring(ex: Expander, args: str) -> list[CWord]:
    """``$(findstring find,text)`` on literal arguments."""
    find, text = (split_args(args, 2) + [""])[:2]
    needle = ex.literal(find).strip()
    return [(needle, TRUE, None)] if needle and needle in ex.literal(text) else []


def _f_origin(ex: Expander, args: str) -> list[CWord]:
    """``$(origin var)``: command line, file or undefined."""
    var = ex.vars.get(ex.literal(args).strip())
    kind = "undefined" if var is None else ("command line" if var.fixed else "file")
    return [(kind, TRUE, None)]


_FUNCTIONS: dict[str, Callable[[Expander, str], list[CWord]]] = {
    "subst": _f_subst,
    "patsubst": _f_patsubst,
    "filter": _f_filter,
    "filter-out": lambda ex, a: _f_filter(ex, a, keep=False),
    "addprefix": lambda ex, a: _f_affix(ex, a, prefix=True),
    "addsuffix": lambda ex, a: _f_affix(ex, a, prefix=False),
    "if": _f_if,
    "sort": _f_sort,
    "strip": lambda ex, a: ex.text(a),
    "origin": _f_origin,
    "findstring": _f_findstring,
    "notdir": lambda ex, a: _wordwise(lambda w: w.rsplit("/", 1)[-1])(ex.text(a)),
    "dir": lambda ex, a: _wordwise(lambda w: w.rsplit("/", 1)[0] + "/" if "/" in w else "./")(ex.text(a)),
    "basename": lambda ex, a: _wordwise(lambda w: re.sub(r"\.[^./]*$", "", w))(ex.text(a)),
}
