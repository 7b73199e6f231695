"""Going on past a Kconfig line that cannot be parsed, as the kernel's parser does.

kconfiglib stops at the first syntax error; the kernel's bison parser reports
the line and goes on (it refuses the tree at the end). ckptlint does what
the kernel does, so that one bad line costs what that line means and no
more: the rest of the tree is still read, and only what depends on the line
becomes unknown.

* A property line of a ``config``/``menu``/``choice``/``comment`` that does
  not parse (``depends on A &&``) is dropped and its entry gets a *poison*
  dependency: an undefined symbol, seeded as unknown in the model (see
  :class:`ckptlint.kconfig.model.KconfigModel`), so that the entry and
  everything whose value follows from it is unknown rather than guessed.
* A block line that does not parse is handled so that its block still pairs
  with its end: ``if <bad>`` opens an ``if`` on the poison symbol, ``menu``
  and ``choice`` open their block; an entry whose ``config`` line is broken
  has its properties (and help text) read into a node that is never linked
  in; an end keyword with trailing tokens still ends its block.
* A missing ``endif``/``endmenu``/``endchoice`` at the end of a file ends the
  block there.

Each failure becomes one :class:`ckptlint.unknown.Cause` at its line,
``refused`` unless the tree's own lexer knows the line's first word while
kconfiglib does not (a construct of the tree's era that ckptlint cannot read).
"""

from __future__ import annotations

import re
from typing import Any

import kconfiglib
from kconfiglib import (  # pinned kconfiglib 14.x: the private token constants are stable
    _T_CHOICE, _T_ENDCHOICE, _T_ENDIF, _T_ENDMENU, _T_IF, _T_MENU, Choice, MenuNode,
)

from ckptlint.facts import Location
from ckptlint.unknown import Cause

#: kconfiglib's message for a block left open at the end of its file.
_OPEN_AT_EOF = re.compile(r"^error: expected '(\w+)' at end of '([^']*)'")
_END_TOKENS = (_T_ENDIF, _T_ENDMENU, _T_ENDCHOICE)
#: Most failures one parse records before it gives up (a file of garbage).
MAX_FAILURES = 1000


class LineError(kconfiglib.KconfigError):
    """A Kconfig line that does not parse: where, what, and its tokens if it lexed."""

    def __init__(self, filename: str, linenr: int, line: str, message: str, tokens: Any) -> None:
        super().__init__(f"{filename}:{linenr}: error: couldn't parse '{line.strip()}': {message}")
        self.filename, self.linenr, self.line, self.reason, self.tokens = (
            filename, linenr, line, message, tokens)


class Recovery:
    """Mixin for kconfiglib.Kconfig: record a bad line and go on (see the module doc).

    The host class provides ``state`` (a ParseState with ``failures`` and
    ``poisoned``), ``grammar`` and ``_lexing``.
    """

    # -- errors -----------------------------------------------------------
    def _parse_error(self, msg: str) -> None:
        raise LineError(self.filename, self.linenr, self._line or "", msg,
                        None if self._lexing else self._tokens)

    def _fail(self, exc: LineError) -> Cause:
        """Record one failed line; the Cause for what depends on it."""
        if len(self.state.failures) >= MAX_FAILURES:
            raise kconfiglib.KconfigError(f"{exc.filename}:{exc.linenr}: more than {MAX_FAILURES} "
                                          "lines that do not parse; giving up")
        first = (exc.line or "").split(None, 1)
        word = first[0] if first else ""
        ours = (self.grammar.known and word and self.grammar.knows(word)
                and kconfiglib._get_keyword(word) is None)  # noqa: SLF001
        message = (f"'{word}' is a Kconfig keyword of this tree that ckptlint cannot read"
                   if ours else f"couldn't parse '{exc.line.strip()}': {exc.reason}")
        cause = Cause(Location(exc.filename or "Kconfig", exc.linenr or 1), message, refused=not ours)
        self.state.failures.append(cause)
        return cause

    def _poison(self, cause: Cause) -> Any:
        """A fresh undefined symbol standing for what a failed line would have said."""
        sym = self._lookup_sym(f"<unparsed {cause.loc}>")
        self.state.poisoned.append((sym, cause))
        return sym

    # -- properties -------------------------------------------------------
    def _parse_props(self, node: Any) -> None:
        """Properties as kconfiglib parses them; a bad line adds a poison dependency."""
        kept = None
        while True:
            try:
                try:
                    super()._parse_props(node)
                except AttributeError:
                    # kconfiglib 14 sets a type on node.item without checking that it
                    # is a symbol: a ``bool`` line inside a ``menu`` or ``comment``
                    # block. The kernel's parser refuses that line too.
                    self._parse_error("this property is not allowed in a menu or comment")
            except LineError as exc:
                cause = self._fail(exc)
                so_far = node.dep  # kconfiglib starts each call from y
                if exc.tokens is not None or _is_property(exc.line):
                    so_far = self._make_and(so_far, self._poison(cause))
                kept = so_far if kept is None else self._make_and(kept, so_far)
                continue
            break
        if kept is not None:
            node.dep = self._make_and(kept, node.dep)

    # -- blocks -------------------------------------------------------------
    def _parse_block(self, end_token: Any, parent: Any, prev: Any) -> Any:
        while True:
            try:
                return super()._parse_block(end_token, parent, prev)
            except LineError as exc:
                prev = _last_of_block(parent, prev)
                tokens = exc.tokens
                cause = self._fail(exc)
                if tokens is None:
                    continue
                t0 = tokens[0]
                if t0 is end_token:  # trailing tokens after the right end keyword
                    prev.next = None
                    return prev
                prev = self._reopen(t0, cause, parent, prev)
            except kconfiglib.KconfigError as exc:
                match = _OPEN_AT_EOF.match(str(exc))
                if end_token is None or not match:
                    raise
                self.state.failures.append(Cause(
                    Location(self.filename or match.group(2), max(self.linenr, 1)),
                    f"'{match.group(1)}' missing: the block is still open at the end of the file",
                    refused=True))
                prev = _last_of_block(parent, prev)
                prev.next = None
                return prev

    def _reopen(self, t0: Any, cause: Cause, parent: Any, prev: Any) -> Any:
        """Handle the block a failed line opens, so that its end still pairs; the new last node."""
        if t0 is _T_IF:
            node = MenuNode()
            node.item = node.prompt = None
            node.parent = parent
            node.dep = self._poison(cause)
            self._parse_block(_T_ENDIF, node, node)
            node.list = node.next
            prev.next = prev = node
        elif t0 is _T_MENU or t0 is _T_CHOICE:
            node = self._opener(t0, cause, parent)
            self._parse_props(node)
            node.dep = self._make_and(node.dep, self._poison(cause))
            self._parse_block(_T_ENDMENU if t0 is _T_MENU else _T_ENDCHOICE, node, node)
            node.list = node.next
            prev.next = prev = node
        elif t0 not in _END_TOKENS:
            # a broken ``config``/``comment`` line or a property outside any entry:
            # read the properties that follow into a node nothing links to
            self._parse_props(self._detached(cause, parent))
        return prev

    def _opener(self, t0: Any, cause: Cause, parent: Any) -> Any:
        """A menu or choice node for a line whose prompt or name did not parse."""
        node = self._node(parent)
        node.is_menuconfig = True
        node.prompt = (f"(unparsed line {cause.loc})", self.y)
        if t0 is _T_MENU:
            node.item = t0  # kconfiglib: _T_MENU == MENU
            node.visibility = self.y
            self.menus.append(node)
        else:
            choice = Choice()
            choice.kconfig = self
            choice.direct_dep = self.n
            self.choices.append(choice)
            choice.nodes.append(node)
            node.item = choice
            node.prompt = None
            self.state.poisoned.append((choice, cause))
        return node

    def _detached(self, cause: Cause, parent: Any) -> Any:
        node = self._node(parent)
        node.item = self._lookup_sym(f"<unparsed entry {cause.loc}>")
        node.is_menuconfig = False
        node.prompt = node.help = node.list = None
        return node

    def _node(self, parent: Any) -> Any:
        node = MenuNode()
        node.kconfig = self
        node.parent = parent
        node.filename = self.filename
        node.linenr = self.linenr
        node.include_path = self._include_path
        node.help = node.list = None
        return node


#: First words of property lines (a line that failed while it was lexed, such as a
#: ``default $(...)`` whose macro went wrong, is still one of its entry's properties).
_PROPERTY_WORDS = frozenset({
    "bool", "boolean", "tristate", "string", "hex", "int", "def_bool", "def_tristate", "def_int",
    "def_hex", "def_string", "default", "depends", "select", "imply", "prompt", "range", "visible",
    "option", "optional", "modules", "transitional"})


def _is_property(line: str) -> bool:
    words = (line or "").split(None, 1)
    return bool(words) and words[0] in _PROPERTY_WORDS


def _last_of_block(parent: Any, prev: Any) -> Any:
    """The last node added to a block that began after ``prev`` (kconfiglib links
    them as it goes; a node's own children have another parent)."""
    node = prev
    while True:
        nxt = getattr(node, "next", None)
        if nxt is None or nxt is node or getattr(nxt, "parent", None) is not parent:
            return node
        node = nxt

