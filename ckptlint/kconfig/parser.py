"""TreeKconfig: a kconfiglib parser that reads only through KernelTree and tolerates old/new syntax."""

from __future__ import annotations

import glob
import io
import logging
import os
import posixpath
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import kconfiglib
from kconfiglib import (  # pinned kconfiglib 14.x: the private token constants are stable
    _DEF_TOKEN_TO_TYPE, _OBL_SOURCE_TOKENS, _REL_SOURCE_TOKENS, _SOURCE_TOKENS,
    _T_DEFAULT, _T_DEPENDS, _T_ENV, _T_IF, _T_IMPLY, _T_OPTION, _T_OSOURCE, _T_PROMPT,
    _T_RANGE, _T_SELECT, _T_SOURCE, _T_VISIBLE, _TYPE_TOKENS, EQUAL, NOT, Symbol,
)

from ckptlint.facts import Location
from ckptlint.kconfig import toolchain
from ckptlint.kconfig.grammar import Grammar, read_grammar, rewriter
from ckptlint.kconfig.recovery import Recovery
from ckptlint.tree import KernelTree
from ckptlint.unknown import Cause

LOG = logging.getLogger(__name__)

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

#: ``node.help`` of a symbol with a help text (the text itself is not kept).
HELP_NOT_KEPT = "(help text not kept by ckptlint)"
#: How each help text of a Kconfig file ends, by file text, then by the reader's
#: position after the ``help`` line: (how it ends, lines consumed, position
#: after them, the line after the text). Every arch's parse reads the same
#: help texts of the same files (6.12: ~14,000 per parse, a fifth of its time).
_HELP_SKIPS: dict[str, dict[int, tuple[str, int, int, str]]] = {}
_MAX_HELP_FILES = 20_000


def _indent(line: str) -> int:
    """Columns of a line's leading whitespace with tabs expanded (what kconfiglib
    computes by expanding the whole line)."""
    body = line.lstrip()
    return len(line[:len(line) - len(body)].expandtabs())


_KIND_BY_TOKEN = {_T_DEPENDS: "depends on", _T_SELECT: "select", _T_IMPLY: "imply",
                  _T_DEFAULT: "default", _T_RANGE: "range", _T_VISIBLE: "visible if",
                  _T_PROMPT: "prompt", _T_IF: "if"}


@dataclass
class NodeInfo:
    """Per-node facts kconfiglib drops: own (unpropagated) properties and their lines.

    The lines are a slice of the parse's line log, read when asked for (a copy
    per node took ~10 MB per arch configuration, a model being ~65 MB).
    """

    dep: Any
    prompt: tuple[str, Any] | None
    defaults: list[tuple[Any, Any]]
    log: list[tuple[str, int, str, Any]] = field(repr=False)
    start: int
    end: int

    @property
    def lines(self) -> list[tuple[int, str, Any]]:
        """(line, kind, tokens) of each property line of the node, in order."""
        return [(line, kind, tokens) for _, line, kind, tokens in self.log[self.start:self.end]]

    def lines_of(self, kind: str) -> list[int]:
        """Line numbers of the properties of one kind, in source order."""
        return [line for line, k, _ in self.lines if k == kind]


@dataclass
class ParseState:
    """What the parser records besides the kconfiglib objects."""

    tree: KernelTree
    notes: list[tuple[str, Location]] = field(default_factory=list)
    missing_sources: list[tuple[str, Location]] = field(default_factory=list)
    line_log: list[tuple[str, int, str, tuple[Any, ...]]] = field(default_factory=list)
    nodes: dict[Any, NodeInfo] = field(default_factory=dict)
    transitional: set[str] = field(default_factory=set)
    #: every tree file the parse opened (what a change must touch to alter the model)
    files_read: set[str] = field(default_factory=set)
    parser: Any = None
    #: lines the parse could not read, each a Cause (recovery.Recovery)
    failures: list[Cause] = field(default_factory=list)
    #: (symbol or choice, Cause): what stands for a failed line; unknown, with all it decides
    poisoned: list[tuple[Any, Cause]] = field(default_factory=list)
    #: ``source`` statements whose path could not be evaluated (their files are not read)
    unread_sources: list[Cause] = field(default_factory=list)

    def where(self) -> Location:
        """The parser's current position (for errors)."""
        p = self.parser
        name = getattr(p, "filename", None) or "Kconfig"
        return Location(name, int(getattr(p, "linenr", 0) or 0) or 1)


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


_DEFINED_AT = re.compile(r"defined at ([^\s:,()]+):(\d+)")
_LOOP_ITEM = re.compile(r"^(?:\.\.\.depends on (?:the choice symbol )?)?(\S+) \((?:defined|declared) at", re.M)


@contextmanager
def sources_from_tree(tree: KernelTree) -> Iterator[None]:
    """Make kconfiglib find ``source``d files through the tree, not the file system.

    kconfiglib globs ``$srctree/<pattern>`` itself (module-level ``iglob``); an
    overlay tree's patched-in Kconfig files exist only in the overlay. Wrapped
    for the duration of one parse, like the loop check below.
    """
    original = kconfiglib.iglob
    prefix = os.path.join(str(tree.root), "")

    def tree_iglob(pattern: str) -> Iterator[str]:
        rel = pattern[len(prefix):] if pattern.startswith(prefix) else pattern
        if not glob.has_magic(rel):  # nearly every source: the file itself (remembered), or nothing
            # an unreadable one too: _open makes what it defines unknown
            return iter([prefix + rel] if tree.is_file(rel) or tree.unreadable(rel) else [])
        return iter([prefix + m for m in tree.glob(rel) if tree.is_file(m)])

    kconfiglib.iglob = tree_iglob
    try:
        yield
    finally:
        kconfiglib.iglob = original


@contextmanager
def tolerate_dep_loops(state: ParseState) -> Iterator[None]:
    """Make kconfiglib's dependency-loop check record a note instead of failing.

    The kernel's own tool only warns about recursive dependencies. kconfiglib's
    check recurses through the module-level ``_check_dep_loop_sym``, so it is
    wrapped for the duration of one parse (not thread-safe, like os.environ).
    """
    original = kconfiglib._check_dep_loop_sym  # noqa: SLF001

    def tolerant(sym: Any, ignore_choice: bool) -> Any:
        """kconfiglib's loop check, with a found loop turned into a note."""
        try:
            return original(sym, ignore_choice)
        except kconfiglib.KconfigError as exc:
            text = str(exc)
            found = _DEFINED_AT.search(text)
            loc = Location(found.group(1), int(found.group(2))) if found else state.where()
            names = [m.group(1) for m in _LOOP_ITEM.finditer(text)]
            chain = " -> ".join(names + names[:1]) if names else "?"
            state.notes.append((f"recursive dependency: {chain}", loc))
            return None

    kconfiglib._check_dep_loop_sym = tolerant  # noqa: SLF001
    try:
        yield
    finally:
        kconfiglib._check_dep_loop_sym = original  # noqa: SLF001


def _outside(rel: str) -> bool:
    """Whether a normalised source path leaves the tree (absolute, or up from its top)."""
    return rel.startswith("/") or rel == ".." or rel.startswith("../")


_GRAMMARS: dict[str, Grammar] = {}


def grammar_of(tree: KernelTree) -> Grammar:
    """The Kconfig language of ``tree``, read once per tree identity."""
    grammar = _GRAMMARS.get(tree.identity)
    if grammar is None:
        if len(_GRAMMARS) > 256:
            _GRAMMARS.clear()
        grammar = _GRAMMARS[tree.identity] = read_grammar(tree.read_text)
    return grammar


#: Macro calls one Kconfig line may make, and the longest value a macro may give.
MAX_MACRO_STEPS = 100_000
MAX_MACRO_CHARS = 65536


class TreeKconfig(Recovery, kconfiglib.Kconfig):
    """kconfiglib.Kconfig reading files only through a KernelTree, recording what it tolerates,
    in the language of the tree's own era (``grammar``), going on past lines it cannot read."""

    def __init__(self, root_rel: str, state: ParseState) -> None:
        self.state = state
        self.grammar = grammar_of(state.tree)
        self._rewrite = rewriter(self.grammar)
        self._lexing = False
        #: (placeholder, command, file, line) of each $(shell,...) that was not evaluated
        self.unevaluated: list[tuple[str, str, str, int]] = []
        self.virtual_shell_calls = 0
        self._transitional_pending = False
        self._logged = False  # whether the last line lexed went into the line log
        self._help_skips: dict[io.StringIO, dict[int, tuple[str, int, int, str]]] = {}
        state.parser = self
        super().__init__(root_rel, warn=True, warn_to_stderr=False, encoding="utf-8")
        self._help_skips = {}  # the parse's (closed) readers: not kept with the model

    # -- bounded macro expansion --------------------------------------------
    def _fn_val(self, args: list[str]) -> str:
        """kconfiglib's macro call, within bounds: doubling macros (``m1 = $(m0)$(m0)`` ...)
        took exponential time. Past :data:`MAX_MACRO_STEPS` calls for one line or a
        value of :data:`MAX_MACRO_CHARS`, the line is a parse error (the value is
        left unevaluated) and the parse goes on."""
        where = (self.filename, self.linenr)
        if getattr(self, "_macro_line", None) != where:
            self._macro_line, self._macro_steps, self._macro_depth = where, 0, 0
        self._macro_steps += 1
        if self._macro_steps > MAX_MACRO_STEPS:
            self._parse_error(f"macro expansion takes more than {MAX_MACRO_STEPS} calls; "
                              "left unevaluated")
        self._macro_depth += 1
        try:
            value = super()._fn_val(args)
        except BaseException:
            if self._macro_depth == 1:  # kconfiglib leaves its recursion counters raised
                for variable in self.variables.values():
                    variable._n_expansions = 0  # noqa: SLF001
            raise
        finally:
            self._macro_depth -= 1
        if len(value) > MAX_MACRO_CHARS:
            self._parse_error(f"macro expands to more than {MAX_MACRO_CHARS} characters; "
                              "left unevaluated")
        return value

    # -- file access ------------------------------------------------------
    def _open(self, filename: str, mode: str) -> io.StringIO:
        """Serve Kconfig files from the tree (never write, never leave the tree)."""
        if mode != "r":
            raise PermissionError(f"ckptlint never writes ({filename})")
        prefix = self._srctree_prefix
        rel = filename[len(prefix):] if filename.startswith(prefix) else filename
        self.state.files_read.add(rel)
        text = self.state.tree.read_text(rel)
        if text is None:  # what it defines is unknown, not undefined
            # the tree's own note, when it made one, is the cause: reported once (CKL010)
            noted = [n for n in self.state.tree.notes if n.loc.path == rel]
            self.state.unread_sources.append(
                Cause(noted[0].loc, noted[0].message) if noted else
                Cause(Location(self.filename or rel, self.linenr or 1), f"cannot read Kconfig file '{rel}'"))
            text = ""
        reader = io.StringIO(text)
        skips = _HELP_SKIPS.get(text)
        if skips is None:
            if len(_HELP_SKIPS) >= _MAX_HELP_FILES:
                _HELP_SKIPS.clear()
            skips = _HELP_SKIPS[text] = {}
        self._help_skips[reader] = skips
        return reader

    # -- lexing -----------------------------------------------------------
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

    def _note(self, message: str) -> None:
        """Record a tolerated oddity at the current line."""
        self.state.notes.append((message, Location(self.filename, self.linenr)))

    # -- source -----------------------------------------------------------
    def _vet_source(self, tokens: Any) -> Any:
        """Resolve a ``source`` inside the tree; missing/escaping/recursive ones become findings."""
        t0, pattern = tokens[0], tokens[1]
        if not isinstance(pattern, str) or tokens[2] is not None:
            return tokens  # let kconfiglib report the syntax error
        if toolchain.placeholders(pattern):  # a path only a shell command could tell
            self.state.unread_sources.append(Cause(
                Location(self.filename, self.linenr),
                f"source of '{pattern}' needs a $(shell,...) result; not followed"))
            return (None,)
        if t0 in _REL_SOURCE_TOKENS:
            pattern = posixpath.join(posixpath.dirname(self.filename), pattern)
        rel = posixpath.normpath(pattern) if pattern else ""
        required = t0 in _OBL_SOURCE_TOKENS
        rel = _build_link(rel, self.state.tree)
        matches = self._source_matches(rel)
        if not matches:
            where = Location(self.filename, self.linenr)
            if _outside(rel):
                self.state.missing_sources.append((f"source of '{pattern}' outside the tree; not followed",
                                                   where))
            elif required:
                self.state.missing_sources.append((f"source of missing file '{rel or pattern}'", where))
            return (None,)
        open_files = {self.filename} | {name for name, _ in self._include_path}
        looping = [m for m in matches if m in open_files]
        if looping:
            self._note(f"recursive source of '{looping[0]}' ignored")
            return (None,)
        return (_T_SOURCE if required else _T_OSOURCE, rel, None)

    def _source_matches(self, rel: str) -> list[str]:
        """Tree files a (normalised) source pattern names; nothing outside the tree."""
        if not rel or _outside(rel):
            return []
        tree = self.state.tree
        if not glob.has_magic(rel):
            # there but unreadable (a link out of the tree, a FIFO, too large): _open says
            # what it defines is unknown; a missing file is a finding
            return [rel] if tree.is_file(rel) or tree.unreadable(rel) else []
        return tree.glob_files(rel)

    # -- help texts ---------------------------------------------------------
    def _parse_help(self, node: Any) -> None:
        """Skip a help text exactly as kconfiglib reads one, without keeping it.

        Nothing in ckptlint reads help texts, and building each (every line
        tab-expanded and joined) was ~15% of a parse. The block ends where
        kconfiglib's does -- at the first non-blank line indented less than
        the first -- so line numbers, warnings and the line after it are the
        same; ``node.help`` is a placeholder.
        """
        if node.help is not None:
            self._warn(node.item.name_and_loc + " defined with more than one help text -- only "
                       "the last one will be used")
        reader = self._readline.__self__
        skips = self._help_skips.get(reader)
        start = reader.tell()
        known = skips.get(start) if skips is not None else None
        if known is None:
            known = self._measure_help(reader)
            if skips is not None:
                skips[start] = known
        ending, lines, end, line = known
        reader.seek(end)
        self.linenr += lines
        if ending == "empty":
            self._empty_help(node, line)
            return
        node.help = HELP_NOT_KEPT
        if line:
            self._line_after_help(line)

    @staticmethod
    def _measure_help(reader: io.StringIO) -> tuple[str, int, int, str]:
        """Read one help text: (``empty`` or ``text``, lines read, position after them,
        the line that ended it, ``""`` at the end of the file)."""
        readline = reader.readline
        lines = 0
        while True:
            line = readline()
            lines += 1
            if not line:
                return "empty", lines, reader.tell(), line
            if not line.isspace():
                break
        indent = _indent(line)
        if not indent:
            return "empty", lines, reader.tell(), line
        count = 1
        while True:
            line = readline()
            if not line:
                break
            if not line.isspace() and _indent(line) < indent:
                break
            count += 1
        return "text", lines + count, reader.tell(), line

    # -- properties -------------------------------------------------------
    def _parse_props(self, node: Any) -> None:
        """Parse properties as kconfiglib does, then keep their lines and unpropagated values."""
        log = self.state.line_log
        start = len(log)
        self._transitional_pending = False
        super()._parse_props(node)  # recovery.Recovery: a bad line is recorded, not raised
        # the line that ended the properties is the next entry's (logged or not)
        end = len(log) - (1 if self._reuse_tokens and self._logged else 0)
        self.state.nodes[node] = NodeInfo(node.dep, node.prompt, list(node.defaults), log, start, end)
        if self._transitional_pending and isinstance(node.item, kconfiglib.Symbol):
            self.state.transitional.add(node.item.name)
        self._transitional_pending = False


#: Files a 2.6 build links into place before Kconfig runs: um's Makefile makes
#: ``arch/um/Kconfig.arch`` a link to ``Kconfig.$(SUBARCH)`` (``_`` in 2.6.12). Followed to the
#: target while the link itself is absent, as the build would have made it.
_BUILD_LINKS = {"arch/um/Kconfig.arch": "arch/um/Kconfig.{SUBARCH}",
                "arch/um/Kconfig_arch": "arch/um/Kconfig_{SUBARCH}"}  # 2.6.12


def _build_link(rel: str, tree) -> str:
    """The file a build-time link names, where the link is not in the tree."""
    target = _BUILD_LINKS.get(rel)
    if target is None or tree.is_file(rel):
        return rel
    return target.format(SUBARCH=os.environ.get("SUBARCH", ""))
