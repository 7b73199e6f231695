"""How TreeKconfig reads and lexes lines: kconfiglib's lexer plus the kernel lexer's
tolerance and newer keywords, with the lines every arch's parse shares lexed once
per process. A mixin of :class:`ckptlint.kconfig.parser.TreeKconfig`."""

from __future__ import annotations

import os
import re
from typing import Any

import kconfiglib
from kconfiglib import (  # pinned kconfiglib 14.x: the private token constants are stable
    _DEF_TOKEN_TO_TYPE, _SOURCE_TOKENS, _T_DEFAULT, _T_DEPENDS, _T_ENV, _T_IF, _T_IMPLY,
    _T_OPTION, _T_PROMPT, _T_RANGE, _T_SELECT, _T_VISIBLE, _TYPE_TOKENS, EQUAL, NOT, Symbol,
)

#: Characters the kernel's own lexer accepts outside strings (others are ignored with a warning).
_LEXICAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                     "_$/.-&|=!()<> \t\n\\")
#: A bare ``modules`` attribute line (6.x); rewritten to the old ``option modules``.
_MODULES_LINE = re.compile(r"[ \t]*modules[ \t]*(#.*)?\n?")
#: A bare ``transitional`` attribute line (6.18+): remembered, then dropped.
_TRANSITIONAL_LINE = re.compile(r"[ \t]*transitional[ \t]*(#.*)?\n?")

#: Lexed lines by text: (tokens, (index, symbol name, constant) per symbol token).
_TOKEN_TEMPLATES: dict[str, tuple[tuple[Any, ...], tuple[tuple[int, str, bool], ...]]] = {}
_MAX_TEMPLATES = 400_000
#: Lines whose whole handling is known once lexed: their template and line-log
#: kind (``_BLANK``: a blank or comment line, no tokens). Never a source, an
#: ``option``, a line ending in a backslash, or a line any rewrite applies to.
_FAST_LINES: dict[str, Any] = {}
_BLANK = object()
_NO_TOKENS = (None,)
#: Line kinds nothing reads from the line log (``config``, ``help``, ``menu``, a bare type).
_UNLOGGED_KINDS = frozenset({"other", "type"})

_KIND_BY_TOKEN = {_T_DEPENDS: "depends on", _T_SELECT: "select", _T_IMPLY: "imply",
                  _T_DEFAULT: "default", _T_RANGE: "range", _T_VISIBLE: "visible if",
                  _T_PROMPT: "prompt", _T_IF: "if"}


def line_kind(tokens: tuple[Any, ...]) -> str:
    """Property kind of a tokenized line (``depends on``, ``default``, ``prompt``, ...)."""
    t0 = tokens[0]
    if t0 in _TYPE_TOKENS:
        return "prompt" if len(tokens) > 2 and tokens[1] is not None else "type"
    if t0 in _DEF_TOKEN_TO_TYPE:
        return "default"
    if t0 is _T_OPTION and len(tokens) > 4 and tokens[1] is _T_ENV:
        return "default" if tokens[3] in os.environ else "option"
    return _KIND_BY_TOKEN.get(t0, "other")


def strip_stray(line: str) -> tuple[str, str]:
    """Drop characters the kernel lexer ignores (outside strings and ``$(...)``); return (line, dropped)."""
    out: list[str] = []
    dropped: list[str] = []
    quote = ""
    depth = 0
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote and line[index - 1] != "\\" else quote
        elif depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        elif char in "\"'":
            quote = char
        elif char == "(" and index and line[index - 1] == "$":
            depth = 1
        elif char == "#":
            out.append(line[index:])
            break
        elif char not in _LEXICAL or (char == "\\" and line[index + 1:index + 2] not in ("\n", "")):
            dropped.append(char)  # a backslash is only a line continuation at the end
            continue
        out.append(char)
    return "".join(out), "".join(dropped)


class Lexing:
    """Line reading and lexing of :class:`ckptlint.kconfig.parser.TreeKconfig`."""

    def _next_line(self) -> bool:
        """kconfiglib's next line, with the lines every arch's parse shares handled inline.

        A line lexed before (see ``_tokenize_shared``) gets its tokens from the
        template and its line-log kind from the first lexing; ~100,000 lines
        per parse, most of them the same in every arch's.
        """
        if self._reuse_tokens:
            self._reuse_tokens = False
            return True
        line = self._readline()
        if not line:
            return False
        self.linenr += 1
        self._tokens_i = 1
        if self._rewrite is not None:  # 2.6.12-2.6.19 forms, before any shared cache sees them
            line = self._rewrite(line)
        fast = _FAST_LINES.get(line)
        if fast is None:
            while line.endswith("\\\n"):
                line = line[:-2] + self._readline()
                self.linenr += 1
            self._tokens = self._tokenize(line)
        else:
            self._take(line, fast)
        return True

    def _line_after_help(self, line: str) -> None:
        """The line that ended a help text, tokenized like any other."""
        if self._rewrite is not None:
            line = self._rewrite(line)
        fast = _FAST_LINES.get(line)
        if fast is None:
            super()._line_after_help(line)
            return
        self._take(line, fast)
        self._reuse_tokens = True

    def _take(self, line: str, fast: Any) -> None:
        """Make a known line the current one: its tokens and its line-log entry."""
        self._line = line  # what kconfiglib's error messages quote
        if fast is _BLANK:
            self._tokens = _NO_TOKENS
            self._logged = False
            return
        tokens, symbols, kind = fast
        if symbols:
            tokens = list(tokens)
            syms, const_syms = self.syms, self.const_syms
            for index, name, constant in symbols:
                sym = (const_syms if constant else syms).get(name)
                tokens[index] = sym if sym is not None else (
                    self._lookup_const_sym(name) if constant else self._lookup_sym(name))
        self._tokens = tokens
        self._logged = kind not in _UNLOGGED_KINDS
        if self._logged:
            self.state.line_log.append((self.filename, self.linenr, kind, tokens))

    def _tokenize(self, s: str) -> Any:
        """Tokenize like kconfiglib, plus the kernel lexer's tolerance and 6.x keywords."""
        if not self._parsing_kconfigs:
            return super()._tokenize(s)
        self._lexing = True
        try:
            return self._tokenize_line(s)
        finally:
            self._lexing = False

    def _expect_expr_and_eol(self) -> Any:
        """An expression to the end of the line; for ``depends on X if Y`` (7.0+, where
        the tree's grammar has it) ``X || (Y = n)``, as scripts/kconfig/menu.c builds it."""
        if self._tokens[0] is not _T_DEPENDS or not self.grammar.depends_if:
            return super()._expect_expr_and_eol()
        dep = self._parse_expr(True)
        if self._tokens[self._tokens_i] is _T_IF:
            self._tokens_i += 1
            cond = self._parse_expr(True)
            if self._tokens[self._tokens_i] is not None:
                self._trailing_tokens_error()
            off = (EQUAL, cond, self.n) if cond.__class__ is Symbol else (NOT, cond)
            return self._make_or(dep, off)
        if self._tokens[self._tokens_i] is not None:
            self._trailing_tokens_error()
        return dep

    def _tokenize_line(self, s: str) -> Any:
        template = _TOKEN_TEMPLATES.get(s)  # a line lexed before: none of the cases below
        if template is not None:
            tokens = self._materialize(s, template)
        elif s.isspace() or s.lstrip().startswith("#"):
            # kconfiglib lexes a blank or comment line to nothing, with no side effect
            if self._parsing_kconfigs and len(_FAST_LINES) < _MAX_TEMPLATES:
                _FAST_LINES[s] = _BLANK
            self._line = s
            self._logged = False
            return _NO_TOKENS
        elif _MODULES_LINE.fullmatch(s):
            tokens = self._tokenize_shared("option modules\n")
        elif _TRANSITIONAL_LINE.fullmatch(s):
            self._note("'transitional' attribute: symbol treated as user-settable")
            self._transitional_pending = True  # bound to the owning symbol in _parse_props
            self._logged = False
            return (None,)
        else:
            try:
                tokens = self._tokenize_shared(s)
            except kconfiglib.KconfigError as exc:
                tokens = self._retokenize_stray(s, exc)
        if tokens[0] in _SOURCE_TOKENS:
            tokens = self._vet_source(tokens)
        # only lines whose kind something reads later are kept (``config X``,
        # ``help``, a bare ``bool`` are most of the others: ~5 MB per arch)
        kind = line_kind(tokens) if tokens[0] is not None else "other"
        if template is None:
            template = _TOKEN_TEMPLATES.get(s)  # just lexed and shareable
        lexed = template[0][0] if template is not None else None  # before _vet_source
        if (lexed is not None and lexed is not _T_OPTION and lexed not in _SOURCE_TOKENS
                and len(_FAST_LINES) < _MAX_TEMPLATES):
            _FAST_LINES[s] = (template[0], template[1], kind)  # the kind is the same in every parse
        self._logged = kind not in _UNLOGGED_KINDS
        if self._logged:
            self.state.line_log.append((self.filename, self.linenr, kind, tokens))
        return tokens

    def _tokenize_shared(self, s: str) -> Any:
        """kconfiglib's tokens for a line, lexed once per process for every arch's parse.

        A line without ``$`` (macros, environment) or ``\\`` (escapes) lexes the
        same way in every parse; only its symbols belong to this parse. The
        first lexing is kept as a template naming the symbols, and each later
        parse looks them up in its own tables, in the order the lexer would,
        so the tables and the tokens are what kconfiglib itself would make.
        Lines that warn, fail, or lex to nothing (a blank line, a comment or a
        macro assignment, which has a side effect) are always lexed afresh.
        """
        template = _TOKEN_TEMPLATES.get(s)
        if template is None:
            return self._lex_new(s)
        return self._materialize(s, template)

    def _lex_new(self, s: str) -> Any:
        """Lex a line not seen before and keep its template when it is shareable."""
        warnings = len(self.warnings)
        tokens = super()._tokenize(s)
        if (tokens[0] is not None and len(self.warnings) == warnings
                and "$" not in s and "\\" not in s):
            if len(_TOKEN_TEMPLATES) >= _MAX_TEMPLATES:
                _TOKEN_TEMPLATES.clear()
            symbols = tuple((index, token.name, token.is_constant)
                            for index, token in enumerate(tokens)
                            if token.__class__ is kconfiglib.Symbol)
            plain = tuple(None if token.__class__ is kconfiglib.Symbol else token
                          for token in tokens)  # no reference to this parse's objects
            _TOKEN_TEMPLATES[s] = (plain, symbols)
        return tokens

    def _materialize(self, s: str, template: Any) -> Any:
        """This parse's tokens from a template: its own symbols, looked up in lexing order."""
        self._line = s  # what kconfiglib's error messages quote
        plain, symbols = template
        tokens = list(plain)
        lookup, lookup_const = self._lookup_sym, self._lookup_const_sym
        for index, name, constant in symbols:
            tokens[index] = lookup_const(name) if constant else lookup(name)
        return tokens

    def _retokenize_stray(self, s: str, exc: Exception) -> Any:
        """Retry a line after dropping stray characters, as the kernel lexer did; else re-raise."""
        cleaned, dropped = strip_stray(s)
        if not dropped or "unknown token" not in str(exc):
            raise exc
        self._note(f"ignoring unsupported character(s) {dropped!r}")
        return super()._tokenize(cleaned)
