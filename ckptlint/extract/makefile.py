"""Static reading of GNU make text: logical lines, conditions and expansion.

Nothing here runs make, a shell or any ``$(shell ...)``: constructs that
cannot be evaluated from the text raise :class:`Dynamic` instead.
Conditions are small Kconfig expressions: ``"y"``, ``"n"``, a symbol or
comparison string, or tuples ``("&", terms)``, ``("|", terms)``, ``("!", c)``.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Callable

from ckptlint.extract.mkconditions import (
    _MARK_L, _MARKERS_RE, FALSE, TRUE, Cond, CWord, Frame, c_and, c_not, c_or, compare, marker,
    nonempty, render, resolve_markers,
)
from ckptlint.extract.mkexpand import _LISTISH, MAX_ALTERNATIVES, MAX_WORDS, Expander, TooBig, Var
from ckptlint.extract.mkread import (
    LogicalLine, ReadLog, _cond_args, _is_rule, logical_lines, tree_path,
)
from ckptlint.extract.mkscan import Dynamic, find_close, split_args, split_words
from ckptlint.facts import ConfigRef, Location
from ckptlint.tree import KernelTree

__all__ = [  # the public names of the split modules stay importable from here
    "FALSE", "MAX_ALTERNATIVES", "TRUE", "CWord", "Cond", "Dynamic", "Expander", "Frame",
    "LogicalLine", "MakeEval", "ReadLog", "Var", "c_and", "c_not", "c_or", "compare", "find_close",
    "logical_lines", "marker", "nonempty", "render", "resolve_markers", "split_args",
    "split_words", "tree_path",
]

LOG = logging.getLogger(__name__)


# -- reading ------------------------------------------------------------------
_CONFIG_RE = re.compile(r"\bCONFIG_([A-Za-z0-9_]+)")
#: CONFIG_SHELL is a make variable (the shell to run), not a Kconfig symbol.
_NOT_KCONFIG = frozenset({"SHELL"})
_COND_RE = re.compile(r"(ifeq|ifneq|ifdef|ifndef)(?:[ \t]+|(?=[(\"']))(.*)$")
_ELSE_RE = re.compile(r"else(?:[ \t]+(.*))?$")
_ENDIF_RE = re.compile(r"endif(?:[ \t]|$)")
_DEFINE_RE = re.compile(r"(?:(?:export|override|private)[ \t]+)*define(?:[ \t]|$)")
_ENDEF_RE = re.compile(r"endef(?:[ \t]|$)")
#: Includes nested deeper than this are not followed (the kernel's own Makefiles nest
#: a handful deep; each level costs Python stack, so a chain of thousands would not end well).
MAX_INCLUDE_DEPTH = 64
_INCLUDE_RE = re.compile(r"(-include|sinclude|include)[ \t]+(.*)$")
_PREFIX_RE = re.compile(r"(export|unexport|override|private)[ \t]+")
_NAME = r"(?:[^\s:=+?!$#]|\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\})+"
_ASSIGN_RE = re.compile(rf"({_NAME})[ \t]*(:::=|::=|:=|\+=|\?=|!=|=)(.*)$", re.S)


@lru_cache(maxsize=8192)
def _logical_lines_of(text: str) -> tuple[LogicalLine, ...]:
    """``logical_lines`` of a file's text, remembered: every srcarch's descent reads the
    same ~2,200 kbuild files (the lines are never modified)."""
    return tuple(logical_lines(text.split("\n") if text else []))


@lru_cache(maxsize=8192)
def config_refs_of(path: str, text: str) -> tuple[ConfigRef, ...]:
    """Every CONFIG_X written in a file's text (comments excluded), at its line."""
    refs = []
    for ll in _logical_lines_of(text):
        if "CONFIG_" in ll.text:
            for m in _CONFIG_RE.finditer(ll.text):
                if m.group(1) not in _NOT_KCONFIG:
                    refs.append(ConfigRef(m.group(1), Location(path, ll.line_at(m.start()))))
    return tuple(refs)


#: A config marker (``$(CONFIG_X)``'s expansion) and its symbol.
_INNER_MARKER = re.compile("(\x01)(\\w+)\x02")


def _is_whole_marker(word: str) -> bool:
    return word.startswith("\x01") and word.endswith("\x02") and word.count("\x01") == 1


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
        #: Every file run, includes too, in order (repeats kept).
        self.ran: list[str] = []
        #: Conditional depth at which each file on the stack began (its else/endif cannot go below).
        self._floors: list[int] = []
        self._in_rule = False
        #: symbol -> [(value, condition)] for an int/string symbol used inside a
        #: word (powerpc's ``pci_$(CONFIG_WORD_SIZE).o``); None: not known.
        self.values: Callable[[str], list[tuple[str, Cond]] | None] = lambda symbol: None

    @property
    def cond(self) -> Cond:
        """Condition of the current line."""
        return self.frames[-1].total if self.frames else TRUE

    def run(self, path: str) -> None:
        """Evaluate a file (an include cycle is cut at the repeated file)."""
        if path in self._stack:
            LOG.debug("include cycle at %s (stack %s)", path, self._stack)
            return
        text = self.tree.read_text(path) or ""
        lines = _logical_lines_of(text)
        self.ran.append(path)
        if self.log.first_read(path):
            self.log.config_refs.extend(config_refs_of(path, text))
        depth = len(self.frames)
        self._stack.append(path)
        self._floors.append(depth)
        try:
            self._run_lines(lines)
        finally:
            self._stack.pop()
            self._floors.pop()
            if len(self.frames) != depth:
                LOG.debug("%s: unbalanced conditionals", path)
                del self.frames[depth:]

    def _too_big(self, what: str, loc: Location) -> None:
        """Say once, at its line, that an expansion passed a bound and was left unevaluated."""
        self.tree.note(loc.path, f"{what}; left unevaluated", "expansion-bound", loc.line)

    def _loc(self, line: int) -> Location:
        """Location of a line in the file being read."""
        return Location(self._stack[-1], line)

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
        endif = _ENDIF_RE.match(text)
        if not (m or endif):
            return False
        if len(self.frames) <= self._floors[-1]:  # not this file's: make stops with "extraneous"
            word = "else" if m else "endif"
            self.tree.note(self._stack[-1], f"extraneous '{word}' ignored", "make-syntax", ll.line)
        elif m:
            self._else(m.group(1) or "", ll)
        else:
            self.frames.pop()
        return True

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
            if path is None and word and _MARK_L not in word:
                self.tree.note(self._stack[-1], f"include of '{word}' outside the tree; not followed",
                               "include-outside", ll.line)
                continue
            if path is None or self.tree.read_text(path) is None:
                LOG.debug("%s:%d: include %s not in the tree", self._stack[-1], ll.line, word)
                continue
            if len(self._stack) >= MAX_INCLUDE_DEPTH:  # a chain of includes, each a new file
                self.tree.note(self._stack[-1], f"includes nested more than {MAX_INCLUDE_DEPTH} deep; "
                               f"'{path}' left unevaluated", "expansion-bound", ll.line)
                continue
            if path in self._stack:
                chain = " -> ".join(self._stack[self._stack.index(path):] + [path])
                self.tree.note(self._stack[-1], f"include cycle {chain}; not followed again",
                               "include-cycle", ll.line)
                continue
            self.frames.append(Frame(self.cond, cond, cond))
            try:
                self.run(path)
            finally:
                self.frames.pop()
            self._in_rule = False

    def _assign(self, name_text: str, op: str, value: str, ll: LogicalLine, offset: int) -> list[str]:
        """Apply one assignment; list-like names also keep an event log."""
        self._assigning = self._loc(ll.line)
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
                mine = [item for w, c, loc in mine for item in self._valued(w, c, loc)]
                self._record(name, mine, reasons)
            self._set(name, op, [w for w in mine if w[1] != FALSE], reasons, cond)
        return done

    def _valued(self, word: str, cond: Cond, loc) -> list[CWord]:
        """``word`` with its config markers resolved: a marker inside a longer word
        becomes each value its int/string symbol can take, when those are known."""
        inner = _INNER_MARKER.search(word)
        values = self.values(inner.group(2)) if inner and not _is_whole_marker(word) else None
        if not values:
            return [(*resolve_markers(word, cond), loc)]
        return [(word[:inner.start()] + value + word[inner.end():], c_and(cond, vcond), loc)
                for value, vcond in values]

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
                if isinstance(exc, TooBig):
                    self._too_big(str(exc), loc)
            if len(words) > MAX_WORDS:
                reasons.append((f"value expands to more than {MAX_WORDS} words", loc))
                self._too_big(reasons[-1][0], loc)
                return [], reasons
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
            if len(var.words) + len(words) > MAX_WORDS:  # ``a += $(a)`` doubles
                self.vars[name] = Var([], f"$({name}) grows past {MAX_WORDS} words",
                                      var.certain and certain)
                self._too_big(self.vars[name].reason, self._assigning)
                return
            self.vars[name] = Var(var.words + words, var.reason or reason, var.certain and certain)
        else:
            kept = [] if var is None or cond == TRUE else [
                (w, c_and(c, c_not(cond)), loc) for w, c, loc in var.words]
            self.vars[name] = Var([w for w in kept if w[1] != FALSE] + words, reason, certain)
