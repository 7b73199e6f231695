"""Static reading of GNU make text: logical lines, conditions and expansion.

Nothing here runs make, a shell or any ``$(shell ...)``: constructs that
cannot be evaluated from the text raise :class:`Dynamic` instead.
Conditions are small Kconfig expressions: ``"y"``, ``"n"``, a symbol or
comparison string, or tuples ``("&", terms)``, ``("|", terms)``, ``("!", c)``.
"""

from __future__ import annotations

import logging
import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Union

from ckptlint.facts import ConfigRef, Location
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

Cond = Union[str, tuple]
TRUE: Cond = "y"
FALSE: Cond = "n"
#: An expanded word: text, the condition under which it is present, and the
#: line it was written on (None: the line of the construct being expanded).
CWord = tuple[str, Cond, Union[Location, None]]

#: Limit of the cartesian product of alternatives inside one word.
MAX_ALTERNATIVES = 64
_SIMPLE_SYM = re.compile(r"[A-Za-z0-9_]+")
_WORD_RE = re.compile(r"\S+")
_FUNC_RE = re.compile(r"([a-z][a-z-]*)[ \t]+")
_SUBST_REF = re.compile(r"([^:$]+):([^=]*)=(.*)")
#: ``$(CONFIG_X)`` expands to this marker so comparisons can name X.
_MARK_L, _MARK_R = "\x01", "\x02"
_MARKERS_RE = re.compile("(?:\x01[^\x01\x02]+\x02)+")


class Dynamic(Exception):
    """A construct that cannot be evaluated statically (never executed)."""


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
        right = text.index(_MARK_R, left)
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


# -- text scanning ------------------------------------------------------------
def find_close(text: str, start: int) -> int:
    """Index of the bracket closing the one at ``start`` (end of text if none)."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
            if depth == 0:
                return i
    return len(text) - 1


def split_words(text: str) -> list[tuple[int, str]]:
    """Whitespace-separated words with offsets, keeping ``$(...)`` whole."""
    if "$" not in text:
        return [(m.start(), m.group()) for m in _WORD_RE.finditer(text)]
    out: list[tuple[int, str]] = []
    start, i = -1, 0
    while i < len(text):
        ch = text[i]
        if ch == "$" and text[i + 1:i + 2] in ("(", "{"):
            start = i if start < 0 else start
            i = find_close(text, i + 1) + 1
            continue
        if ch.isspace():
            if start >= 0:
                out.append((start, text[start:i]))
            start = -1
        elif start < 0:
            start = i
        i += 1
    if start >= 0:
        out.append((start, text[start:]))
    return out


def split_args(text: str, count: int) -> list[str]:
    """Split function arguments on top-level commas into at most ``count`` parts."""
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == "," and depth == 0 and len(parts) < count - 1:
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return parts


def _segments(word: str) -> list[tuple[bool, str]]:
    """A word cut into (is_reference, text) pieces."""
    out: list[tuple[bool, str]] = []
    i = 0
    while i < len(word):
        j = word.find("$", i)
        if j < 0:
            out.append((False, word[i:]))
            break
        if j > i:
            out.append((False, word[i:j]))
        nxt = word[j + 1:j + 2]
        if nxt in ("(", "{"):
            end = find_close(word, j + 1)
            out.append((True, word[j + 2:end]))
            i = end + 1
        elif nxt == "$":
            out.append((False, "$"))
            i = j + 2
        else:
            out.append((True, nxt))
            i = j + 2
    return out


# -- expansion ----------------------------------------------------------------
@dataclass(slots=True)
class Var:
    """A make variable: its conditional words, or the reason it is unknown."""

    words: list[CWord]
    reason: str | None = None
    certain: bool = True
    fixed: bool = False


class Expander:
    """Expands make text against a variable table, word by word."""

    def __init__(self, variables: dict[str, Var]) -> None:
        self.vars = variables
        #: In conditions, a variable set under an unknown condition is unknown.
        self.strict = False
        #: In kbuild lists an undefined variable (empty for make) is worth a note.
        self.lists = False

    def text(self, text: str) -> list[CWord]:
        """All words of a text."""
        out: list[CWord] = []
        for _, word in split_words(text):
            out.extend(self.word(word))
        return out

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
        parts = _segments(word)
        if len(parts) == 1 and parts[0][0]:
            return self.ref(parts[0][1])
        alts: list[tuple[str, Cond]] = [("", TRUE)]
        for is_ref, piece in parts:
            values = self._alternatives(self.ref(piece)) if is_ref else [(piece, TRUE)]
            alts = [(a + v, c_and(ca, cv)) for a, ca in alts for v, cv in values]
            alts = [(a, c) for a, c in alts if c != FALSE]
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
    return _wordwise(lambda w: w.replace(frm, to) if frm else w)(ex.text(text))


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


# -- reading ------------------------------------------------------------------
_CONFIG_RE = re.compile(r"\bCONFIG_([A-Za-z0-9_]+)")
#: CONFIG_SHELL is a make variable (the shell to run), not a Kconfig symbol.
_NOT_KCONFIG = frozenset({"SHELL"})
_COND_RE = re.compile(r"(ifeq|ifneq|ifdef|ifndef)(?:[ \t]+|(?=[(\"']))(.*)$")
_ELSE_RE = re.compile(r"else(?:[ \t]+(.*))?$")
_ENDIF_RE = re.compile(r"endif(?:[ \t]|$)")
_DEFINE_RE = re.compile(r"(?:(?:export|override|private)[ \t]+)*define(?:[ \t]|$)")
_ENDEF_RE = re.compile(r"endef(?:[ \t]|$)")
_INCLUDE_RE = re.compile(r"(-include|sinclude|include)[ \t]+(.*)$")
_PREFIX_RE = re.compile(r"(export|unexport|override|private)[ \t]+")
_NAME = r"(?:[^\s:=+?!$#]|\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\})+"
_ASSIGN_RE = re.compile(rf"({_NAME})[ \t]*(:::=|::=|:=|\+=|\?=|!=|=)(.*)$", re.S)
_QUOTED_ARGS = re.compile(r"""(["'])(.*?)\1\s+(["'])(.*?)\3\s*$""")
#: Names whose assignments are kept as events (kbuild lists: obj-y, foo-objs).
_LISTISH = re.compile(r"-(?:y|m|n|objs)$")


@dataclass(slots=True)
class LogicalLine:
    """One logical make line: continuations joined, comment removed."""

    line: int
    text: str
    tab: bool
    starts: list[tuple[int, int]]

    def line_at(self, offset: int) -> int:
        """Physical line holding a character offset of ``text``."""
        result = self.line
        for start, number in self.starts:
            if start > offset:
                break
            result = number
        return result


def _comment_start(text: str) -> int:
    """Offset of the ``#`` starting a comment (outside quotes, not ``\\#``), or -1."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] != "\\"):
            return i
    return -1


def logical_lines(lines: list[str]) -> list[LogicalLine]:
    """Join backslash continuations and drop comments."""
    out: list[LogicalLine] = []
    i = 0
    while i < len(lines):
        first, text, starts = i, lines[i], [(0, i + 1)]
        while text.endswith("\\") and (len(text) - len(text.rstrip("\\"))) % 2 and i + 1 < len(lines):
            i += 1
            text = text[:-1] + " "
            starts.append((len(text), i + 1))
            text += lines[i]
        if "#" in text:
            cut = _comment_start(text)
            text = text if cut < 0 else text[:cut]
        out.append(LogicalLine(first + 1, text.rstrip("\\"), lines[first].startswith("\t"), starts))
        i += 1
    return out


def _is_rule(text: str) -> bool:
    """True for a rule line: a ``:`` outside references (not ``$(warning a: b)``)."""
    depth = 0
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == ":" and depth == 0:
            return True
    return False


def _cond_args(arg: str) -> tuple[str, str]:
    """The two operands of ``ifeq (a,b)`` / ``ifeq "a" "b"``."""
    arg = arg.strip()
    if arg.startswith("("):
        inner = arg[1:find_close(arg, 0)]
        left, right = (split_args(inner, 2) + [""])[:2]
        return left, right
    m = _QUOTED_ARGS.match(arg)
    if not m:
        raise Dynamic(f"unparsable condition '{arg}'")
    return m.group(2), m.group(4)


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


class ReadLog:
    """What was read, shared by all evaluations of one extraction."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.config_refs: list[ConfigRef] = []
        self._seen: set[str] = set()

    def first_read(self, path: str) -> bool:
        """Record a file; True the first time it is seen."""
        if path in self._seen:
            return False
        self._seen.add(path)
        self.files.append(path)
        return True


class MakeEval:
    """Evaluates one Makefile and its includes statically; runs nothing."""

    def __init__(self, tree: KernelTree, variables: dict[str, Var], log: ReadLog) -> None:
        self.tree, self.vars, self.log = tree, variables, log
        self.ex = Expander(variables)
        self.frames: list[Frame] = []
        self.lists: dict[str, list[CWord]] = {}
        self.notes: dict[str, list[tuple[str, Location]]] = {}
        self.exported: set[str] = set()
        self._stack: list[str] = []
        self._in_rule = False

    @property
    def cond(self) -> Cond:
        """Condition of the current line."""
        return self.frames[-1].total if self.frames else TRUE

    def run(self, path: str) -> None:
        """Evaluate a file (an include cycle is cut at the repeated file)."""
        if path in self._stack:
            LOG.debug("include cycle at %s (stack %s)", path, self._stack)
            return
        lines = logical_lines(self.tree.lines(path))
        if self.log.first_read(path):
            self._scan_config(path, lines)
        depth = len(self.frames)
        self._stack.append(path)
        try:
            self._run_lines(lines)
        finally:
            self._stack.pop()
            if len(self.frames) != depth:
                LOG.debug("%s: unbalanced conditionals", path)
                del self.frames[depth:]

    def _loc(self, line: int) -> Location:
        """Location of a line in the file being read."""
        return Location(self._stack[-1], line)

    def _scan_config(self, path: str, lines: list[LogicalLine]) -> None:
        """Record every CONFIG_X written in a file (comments excluded)."""
        for ll in lines:
            if "CONFIG_" in ll.text:
                for m in _CONFIG_RE.finditer(ll.text):
                    if m.group(1) not in _NOT_KCONFIG:
                        loc = Location(path, ll.line_at(m.start()))
                        self.log.config_refs.append(ConfigRef(m.group(1), loc))

    def _run_lines(self, lines: list[LogicalLine]) -> None:
        """Evaluate the logical lines of one file."""
        defines = 0
        for ll in lines:
            text = ll.text.strip()
            if not text or (ll.tab and self._in_rule):
                continue  # blank, or a recipe line (make treats tab lines after a rule so)
            if defines:
                defines += 1 if _DEFINE_RE.match(text) else -1 if _ENDEF_RE.match(text) else 0
                continue
            if self._conditional(text, ll):
                continue
            if _DEFINE_RE.match(text):
                defines, self._in_rule = 1, False
            elif self.cond != FALSE:
                self._statement(text, ll, len(ll.text) - len(ll.text.lstrip()))

    # -- conditionals -----------------------------------------------------
    def _conditional(self, text: str, ll: LogicalLine) -> bool:
        """Handle ifeq/ifneq/ifdef/ifndef/else/endif; True if the line was one."""
        m = _COND_RE.match(text)
        if m:
            parent = self.cond
            if parent == FALSE:
                self.frames.append(Frame(FALSE, FALSE, TRUE, skipped=True))
                return True
            test = self._test(m.group(1), m.group(2))
            if test is None:
                self.frames.append(Frame(parent, TRUE, FALSE, (text, self._loc(ll.line))))
            else:
                self.frames.append(Frame(parent, test, test))
            return True
        m = _ELSE_RE.match(text)
        if m and self.frames:
            self._else(m.group(1) or "", ll)
            return True
        if _ENDIF_RE.match(text) and self.frames:
            self.frames.pop()
            return True
        return bool(m) or bool(_ENDIF_RE.match(text))

    def _else(self, rest: str, ll: LogicalLine) -> None:
        """Switch the innermost conditional to its ``else`` (or ``else ifeq``) branch."""
        frame = self.frames[-1]
        if frame.skipped:
            return
        remaining = c_not(frame.done)
        m = _COND_RE.match(rest.strip())
        test = self._test(m.group(1), m.group(2)) if m else TRUE
        if test is None:
            frame.cond = remaining
            frame.unknown = frame.unknown or (rest.strip(), self._loc(ll.line))
        else:
            frame.cond = c_and(remaining, test)
            frame.done = c_or(frame.done, test)
        frame.update()

    def _test(self, kind: str, arg: str) -> Cond | None:
        """Condition of ``ifeq``/``ifneq``/``ifdef``/``ifndef``; None when unknown."""
        self.ex.strict = True
        try:
            if kind in ("ifdef", "ifndef"):
                result: Cond | None = self._defined(self.ex.literal(arg).strip())
            else:
                left, right = _cond_args(arg)
                result = compare(self.ex.text(left), self.ex.text(right))
        except Dynamic as exc:
            LOG.debug("%s: condition not evaluated: %s", self._stack[-1], exc)
            result = None
        finally:
            self.ex.strict = False
        if result is None:
            return None
        return c_not(result) if kind in ("ifndef", "ifneq") else result

    def _defined(self, name: str) -> Cond | None:
        """Condition for ``ifdef name``; None when unknown."""
        if name.startswith("CONFIG_"):
            return name[7:]
        var = self.vars.get(name)
        if var is None:
            return FALSE
        if var.reason is not None or not var.certain:
            return None
        return nonempty(var.words)

    # -- statements -------------------------------------------------------
    def _statement(self, text: str, ll: LogicalLine, offset: int) -> None:
        """Evaluate include, export and assignment lines; note rule lines."""
        m = _INCLUDE_RE.match(text)
        if m:
            self._in_rule = False
            self._include(m.group(2), ll)
            return
        prefixes = []
        while (m := _PREFIX_RE.match(text)) is not None:
            prefixes.append(m.group(1))
            text, offset = text[m.end():], offset + m.end()
        m = _ASSIGN_RE.match(text)
        if m:
            self._in_rule = False
            names = self._assign(m.group(1).strip(), m.group(2), m.group(3), ll, offset + m.start(3))
        elif prefixes:
            names = text.split()
        else:
            self._in_rule = self._in_rule or _is_rule(text)
            return
        if "export" in prefixes:
            self.exported.update(names)
        elif "unexport" in prefixes:
            self.exported.difference_update(names)

    def _include(self, arg: str, ll: LogicalLine) -> None:
        """Follow includes of files inside the tree (each under its condition)."""
        try:
            words = self.ex.text(arg)
        except Dynamic as exc:
            LOG.debug("%s:%d: include not followed: %s", self._stack[-1], ll.line, exc)
            return
        for word, cond, _ in words:
            path = tree_path(word)
            if path is None or self.tree.read_text(path) is None:
                LOG.debug("%s:%d: include %s not in the tree", self._stack[-1], ll.line, word)
                continue
            self.frames.append(Frame(self.cond, cond, cond))
            try:
                self.run(path)
            finally:
                self.frames.pop()
            self._in_rule = False

    def _assign(self, name_text: str, op: str, value: str, ll: LogicalLine, offset: int) -> list[str]:
        """Apply one assignment; list-like names also keep an event log."""
        try:
            names = self.ex.word(name_text)
        except Dynamic as exc:
            LOG.debug("%s:%d: assignment to unknown name: %s", self._stack[-1], ll.line, exc)
            return []
        listish = bool(names) and all(_LISTISH.search(_MARKERS_RE.sub("y", n)) for n, _, _ in names)
        if op == "!=":  # the value is a shell command: never run
            words, reasons = [], [(f"shell assignment '{value.strip()[:60]}'", self._loc(ll.line))]
        else:
            self.ex.lists = listish
            try:
                words, reasons = self._expand_value(value, ll, offset)
            finally:
                self.ex.lists = False
        done = []
        for raw, ncond, _ in names:
            name, ncond = resolve_markers(raw, ncond)
            cond = c_and(self.cond, ncond)
            # Makefiles setting CONFIG_ variables only supply defaults for
            # builds outside Kconfig; the configuration decides.
            if cond == FALSE or name.startswith("CONFIG_"):
                continue
            done.append(name)
            mine = [(w, c_and(cond, c), loc) for w, c, loc in words]
            if listish:
                mine = [(*resolve_markers(w, c), loc) for w, c, loc in mine]
                self._record(name, mine, reasons)
            self._set(name, op, [w for w in mine if w[1] != FALSE], reasons, cond)
        return done

    def _expand_value(self, value: str, ll: LogicalLine,
                      offset: int) -> tuple[list[CWord], list[tuple[str, Location]]]:
        """Expand an assignment value word by word, each word at its own line."""
        words: list[CWord] = []
        reasons: list[tuple[str, Location]] = []
        for off, word in split_words(value):
            loc = self._loc(ll.line_at(offset + off))
            try:
                words.extend((w, c, wloc or loc) for w, c, wloc in self.ex.word(word))
            except Dynamic as exc:
                reasons.append((str(exc), loc))
        return words, reasons

    def _record(self, name: str, words: list[CWord], reasons: list[tuple[str, Location]]) -> None:
        """Keep list events additively (a later ``:=`` does not hide earlier lines)."""
        self.lists.setdefault(name, []).extend(w for w in words if w[1] != FALSE)
        notes = self.notes.setdefault(name, [])
        notes.extend((f"{name}: {why} (not evaluated)", loc) for why, loc in reasons)
        if words or reasons:
            notes.extend((f"{name}: condition not evaluated: {text}", loc)
                         for frame in self.frames if frame.unknown
                         for text, loc in [frame.unknown])

    def _set(self, name: str, op: str, words: list[CWord],
             reasons: list[tuple[str, Location]], cond: Cond) -> None:
        """Update the variable table with make's assignment semantics."""
        var = self.vars.get(name)
        if var is not None and var.fixed:
            return  # command-line style override (ARCH, src, ...)
        reason = reasons[0][0] if reasons else None
        certain = not any(frame.unknown for frame in self.frames)
        if op == "!=":
            self.vars[name] = Var([], f"$({name}) is set by a shell command", certain)
        elif op == "?=" and var is not None:
            return
        elif op == "+=" and var is not None:  # a new Var: tables share Var objects
            self.vars[name] = Var(var.words + words, var.reason or reason, var.certain and certain)
        else:
            kept = [] if var is None or cond == TRUE else [
                (w, c_and(c, c_not(cond)), loc) for w, c, loc in var.words]
            self.vars[name] = Var([w for w in kept if w[1] != FALSE] + words, reason, certain)


def tree_path(word: str) -> str | None:
    """A tree-relative normalised path, or None if it leaves the tree."""
    if not word or word.startswith("/") or _MARK_L in word:
        return None
    path = posixpath.normpath(word)
    if path == ".." or path.startswith("../"):
        return None
    return "" if path == "." else path
