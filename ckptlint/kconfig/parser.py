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
    _OBL_SOURCE_TOKENS, _REL_SOURCE_TOKENS, _T_OSOURCE, _T_SOURCE,
)

from ckptlint.facts import Location
from ckptlint.kconfig import toolchain
from ckptlint.kconfig.grammar import Grammar, read_grammar, rewriter
from ckptlint.kconfig.lexing import Lexing
from ckptlint.kconfig.recovery import Recovery
from ckptlint.tree import KernelTree
from ckptlint.unknown import Cause

LOG = logging.getLogger(__name__)

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


@dataclass(slots=True)
class NodeInfo:
    """Per-node facts kconfiglib drops: own (unpropagated) properties and their lines.

    The lines are a slice of the parse's line log, read when asked for (a copy
    per node took ~10 MB per arch configuration, a model being ~65 MB).
    """

    dep: Any
    prompt: tuple[str, Any] | None
    defaults: tuple[tuple[Any, Any], ...]
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
        # the source line's own vetting (_source_matches) said so if the glob was capped
        return iter([prefix + m for m in tree.glob(rel, quiet=True) if tree.is_file(m)])

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


class TreeKconfig(Recovery, Lexing, kconfiglib.Kconfig):
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
        compact(self)


    # -- dependents in a fixed order -----------------------------------------
    def _build_dep(self) -> None:
        """kconfiglib's dependents, as lists in definition order rather than sets.

        A set of symbols iterates in the order of their addresses, so which of
        several dependency loops kconfiglib's check met first (the CKL403 note
        it became) changed from run to run, and so did the order every later
        walk over dependents took.
        """
        super()._build_dep()
        # only defined symbols and choices depend on something: all are ranked
        rank = {item: index for index, item in enumerate((*self.unique_defined_syms, *self.unique_choices))}
        by_rank = rank.__getitem__  # a C-level key: the sort costs a third of what a lambda did
        last = len(rank)

        def key(item: Any) -> tuple[int, str]:  # should kconfiglib ever add another kind
            return rank.get(item, last), item.name or ""
        for item in (*self.syms.values(), *self.const_syms.values(), *self.choices):
            dependents = item._dependents  # noqa: SLF001 - kconfiglib's dependency sets
            if len(dependents) < 2:
                item._dependents = list(dependents)  # noqa: SLF001
                continue
            try:
                item._dependents = sorted(dependents, key=by_rank)  # noqa: SLF001
            except KeyError:
                item._dependents = sorted(dependents, key=key)  # noqa: SLF001

    def _add_choice_deps(self) -> None:
        """kconfiglib's, on the lists :meth:`_build_dep` made."""
        for choice in self.unique_choices:
            for sym in choice.syms:
                if choice not in sym._dependents:  # noqa: SLF001
                    sym._dependents.append(choice)  # noqa: SLF001

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
        return tree.glob_files(rel, (self.filename, self.linenr))

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
        self.state.nodes[node] = NodeInfo(node.dep, node.prompt, tuple(node.defaults) or _EMPTY,
                                          log, start, end)
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


#: Shared by every property list a parse left empty.
_EMPTY: tuple = ()


def compact(kconf: kconfiglib.Kconfig) -> None:
    """Shrink a parsed model: it is only read from now on (nothing sets a value).

    A model of 6.12 held ~60,000 empty property lists (56 bytes each) on its
    symbols and menu nodes, and a hash set of dependents per symbol (216 bytes
    even when empty, 2 KB past four members). Empty lists become one shared
    empty tuple and the dependents (lists by now, see ``_build_dep``) tuples
    in the same order; a model is ~30% smaller.
    """
    empty = _EMPTY
    for item in (*kconf.syms.values(), *kconf.const_syms.values()):
        _share_empty_lists(item)
        item._dependents = tuple(item._dependents) if item._dependents else empty  # noqa: SLF001
    for choice in kconf.choices:  # a Choice has defaults only
        if not choice.defaults:
            choice.defaults = empty
        choice._dependents = tuple(choice._dependents) if choice._dependents else empty  # noqa: SLF001
    node = kconf.top_node
    while node is not None:  # every menu node, depth first, without recursion
        _share_empty_lists(node)
        if node.list is not None:
            node = node.list
            continue
        while node is not None and node.next is None:
            node = node.parent
        node = node.next if node is not None else None


def _share_empty_lists(item: Any) -> None:
    """The property lists a symbol or menu node was left without, as the shared empty tuple."""
    if not item.defaults:
        item.defaults = _EMPTY
    if not item.selects:
        item.selects = _EMPTY
    if not item.implies:
        item.implies = _EMPTY
    if not item.ranges:
        item.ranges = _EMPTY
