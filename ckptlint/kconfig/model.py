"""KconfigModel: the queryable result of loading one architecture's Kconfig tree."""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import kconfiglib
from kconfiglib import BOOL, TRISTATE, Symbol

from ckptlint.facts import Location
from ckptlint.kconfig.names import ordered_items, rewrite_modules
from ckptlint.kconfig.parser import ParseState
from ckptlint.kconfig.toolchain import UNEVALUATED
from ckptlint.kconfig.value_sets import Possible, reaches
from ckptlint.unknown import Cause, Unknown, met

LOG = logging.getLogger(__name__)

_TRI = {"n": 0, "m": 1, "y": 2}
#: Property kinds whose symbols count as references (``prompt`` is reported as ``prompt if``).
REFERENCE_KINDS = {"depends on": "depends on", "select": "select", "imply": "imply",
                   "default": "default", "if": "if", "visible if": "visible if",
                   "range": "range", "prompt": "prompt if"}


@dataclass(frozen=True)
class ArchConfig:
    """One configuration target: a label plus the ARCH/SRCARCH/SUBARCH kbuild would use."""

    label: str
    arch: str
    srcarch: str
    subarch: str


def is_number(name: str) -> bool:
    """Whether an undefined 'symbol' is really a number (kconfiglib keeps those as symbols)."""
    try:
        int(name, 10)
        return True
    except ValueError:
        pass
    try:
        return name[:2] in ("0x", "0X") and bool(int(name, 16) + 1)
    except ValueError:
        return False


class KconfigModel:
    """Facts and "can it be" answers for one ArchConfig of one tree.

    Answers are three-valued: a question the model cannot decide gets an
    :class:`ckptlint.unknown.Unknown` naming its cause, never a guess.

    * ``error`` set: nothing could be loaded (no top Kconfig file, a file of
      garbage); every question is Unknown.
    * Lines the parser went on past (``state.failures``), and ``$(shell,...)``
      commands that would have to be run (``kconf.unevaluated``), are
      *seeds*: the symbols standing for them, and every symbol or choice
      whose value can follow from one of them (kconfiglib's ``_dependents``,
      transitively), are *tainted*. A question about a tainted symbol, or an
      expression naming one, is Unknown; every other answer is exact, since
      no untainted value depends on a seed.
    * ``source`` statements whose path could not be evaluated leave files
      unread: a symbol this arch does not define might be defined there, so
      questions about undefined symbols are Unknown.
    """

    def __init__(self, arch: ArchConfig, kconf: Any, state: ParseState,
                 error: tuple[str, Location] | None, load_seconds: float, root: str) -> None:
        self.arch = arch
        self.kconf = kconf if error is None else None
        self.error = error
        self.notes: list[tuple[str, Location]] = list(state.notes)
        self.missing_sources: list[tuple[str, Location]] = list(state.missing_sources)
        self.load_seconds = load_seconds
        self.root = root
        self.state = state
        self.virtual_shell_calls = getattr(kconf, "virtual_shell_calls", 0) if kconf else 0
        self.warnings: list[str] = list(getattr(kconf, "warnings", []) or []) if kconf else []
        self.analysis_seconds = 0.0
        self.inputs: list[str] = []  # tree paths the parse read or probed (set by the loader)
        self._undefined: list[tuple[str, str, Location]] | None = None
        #: why the whole model is unknown (None: it loaded, perhaps in part)
        self.cause: Cause | None = None
        if error is not None and any((n.loc, n.message) == (error[1], error[0])
                                     for n in state.tree.notes):
            self.cause = Cause(error[1], error[0])  # a file the tree could not serve
        elif error is not None:
            self.cause = Cause(error[1], f"Kconfig cannot be loaded: {error[0]}",
                               refused=error_refused(error[0]))
        #: every Cause of this model, in the order met: the failure, then failed
        #: lines, unevaluated shell commands and unread sources
        self.causes: list[Cause] = ([self.cause] if self.cause else []) + list(state.failures)
        self._seeds: list[tuple[Any, Cause]] = list(state.poisoned)
        for word, command, filename, line in (getattr(kconf, "unevaluated", None) or [] if kconf else []):
            cause = Cause(Location(filename or "Kconfig", line or 1),
                          f"$({'shell'},{command}) cannot be evaluated without running it")
            self.causes.append(cause)
            self._seeds += [(sym, cause) for sym in self._placeholder_items(word)]
        self.causes += list(state.unread_sources)
        self._tainted: dict[Any, Cause] | None = None

    def __repr__(self) -> str:
        return f"<KconfigModel {self.arch.label} error={self.error!r}>"

    # -- what cannot be known -------------------------------------------------
    def _placeholder_items(self, word: str) -> list[Any]:
        """The symbol an unevaluated shell result became, and every defined symbol
        whose defaults or prompts hold it inside a string constant."""
        out = [sym for sym in (self.kconf.syms.get(word),) if sym is not None]
        for sym in self.kconf.unique_defined_syms:
            for value, cond in sym.defaults:
                if any(word in item.name for item in kconfiglib.expr_items(value)
                       if item.__class__ is Symbol and item.is_constant):
                    out.append(sym)
                    break
        return out

    @property
    def tainted(self) -> dict[Any, Cause]:
        """Symbol or choice -> the Cause it cannot be evaluated for (computed once)."""
        if self._tainted is None:
            tainted: dict[Any, Cause] = {}
            frontier = []
            seeds = list(self._seeds)
            if self.state.unread_sources and self.kconf is not None:
                # a symbol no file read defines may be defined by the one that went unread:
                # whatever depends on it is unknown too, not computed from an empty value
                cause = self.state.unread_sources[0]
                seeds += [(sym, cause) for sym in self.kconf.syms.values()
                          if not sym.nodes and not sym.is_constant and not is_number(sym.name)]
            for item, cause in seeds:
                if item not in tainted:
                    tainted[item] = cause
                    frontier.append(item)
            while frontier:
                item = frontier.pop()
                cause = tainted[item]
                for dependent in item._dependents:  # noqa: SLF001 - kconfiglib's dependency sets
                    if dependent not in tainted:
                        tainted[dependent] = cause
                        frontier.append(dependent)
            self._tainted = tainted
        return self._tainted

    def unknown_for(self, items: Any) -> Unknown | None:
        """An Unknown when the model failed, or when one of the kconfiglib items
        (symbols, choices) is tainted or undefined while sources went unread."""
        if self.cause is not None:
            return Unknown(self.cause)
        tainted = self.tainted
        for item in items:
            cause = tainted.get(item) if tainted else None
            if cause is not None:
                return Unknown(cause)
            if self.state.unread_sources and item.__class__ is Symbol and not item.is_constant \
                    and not item.nodes:
                return Unknown(self.state.unread_sources[0])
        return None

    def _unknown_expr(self, parsed: Any) -> Unknown | None:
        return self.unknown_for(ordered_items(parsed))

    # -- definitions --------------------------------------------------------
    def _sym(self, name: str) -> Any:
        """The defined kconfiglib Symbol called ``name``, or None."""
        if self.kconf is None:
            return None
        sym = self.kconf.syms.get(name)
        return sym if sym is not None and sym.nodes else None

    def is_defined(self, name: str) -> bool | Unknown:
        """Whether a ``config``/``menuconfig`` entry defines ``name`` for this arch."""
        if self.cause is not None:
            return met(Unknown(self.cause))
        if self._sym(name) is not None:
            return True
        if self.state.unread_sources:
            return met(Unknown(self.state.unread_sources[0]))
        return False

    def reads_file(self, path: str) -> bool | Unknown:
        """Whether this arch's Kconfig parse read the Kconfig file ``path``."""
        if self.cause is not None:
            return met(Unknown(self.cause))
        return path in self.state.files_read

    def definitions(self, name: str) -> list[Location]:
        """Where ``name`` is defined (the ``config`` lines)."""
        sym = self._sym(name)
        return [Location(n.filename, n.linenr) for n in sym.nodes] if sym else []

    def all_defined(self) -> set[str]:
        """Names of every defined symbol."""
        if self.kconf is None:
            return set()
        return {s.name for s in self.kconf.unique_defined_syms}

    def undefined_references(self) -> list[tuple[str, str, Location]] | Unknown:
        """(symbol, kind, location) for each reference to a symbol never defined on this arch
        (Unknown when the model failed or some ``source`` went unread)."""
        if self.cause is not None:
            return met(Unknown(self.cause))
        if self.state.unread_sources:
            return met(Unknown(self.state.unread_sources[0]))
        if self._undefined is not None:
            return list(self._undefined)
        # the undefined symbols, once: numbers are symbols too for kconfiglib
        undefined = {sym for sym in self.kconf.syms.values()
                     if not sym.nodes and not is_number(sym.name)
                     and not sym.name.startswith(UNEVALUATED)}  # a shell result, not a reference
        seen: set[tuple[str, str, Location]] = set()
        out: list[tuple[str, str, Location]] = []
        for filename, line, kind, tokens in self.state.line_log:
            label = REFERENCE_KINDS.get(kind)
            if label is None:
                continue
            for token in tokens:
                if token not in undefined:
                    continue
                item = (token.name, label, Location(filename, line))
                if item not in seen:
                    seen.add(item)
                    out.append(item)
        self._undefined = out
        return list(out)

    # -- possible values ----------------------------------------------------
    @cached_property
    def possible(self) -> Possible | None:
        """The fixpoint of possible values (computed on first use)."""
        if self.kconf is None:
            return None
        from ckptlint.memory import gc_paused
        start = time.perf_counter()
        with gc_paused(freeze=True):  # kept for the whole run
            result = Possible(self.kconf, frozenset(self.state.transitional))
        self.analysis_seconds = time.perf_counter() - start
        LOG.debug("%s: possible values in %.2fs", self.arch.label, self.analysis_seconds)
        return result

    def can_be(self, name: str, value: str = "y") -> bool | Unknown:
        """Whether ``name`` can take ``value`` in some configuration (over-approximated)."""
        if self.cause is not None:
            return met(Unknown(self.cause))
        poss = self.possible
        sym = self.kconf.syms.get(name)
        if sym is not None and (unknown := self.unknown_for((sym,))) is not None:
            return met(unknown)
        if sym is None or not sym.nodes:
            if self.state.unread_sources:
                return met(Unknown(self.state.unread_sources[0]))
            return value == "n"
        if sym.orig_type in (BOOL, TRISTATE):
            return value in _TRI and reaches_exact(poss.tri_of(sym), _TRI[value])
        vals = poss.str_values(sym)
        return vals is None or value in vals

    def can_expr_be(self, expr: str, value: str = "y") -> bool | Unknown:
        """Whether a Kconfig expression string can evaluate to ``value`` (n/m/y).

        Raises ValueError for an expression that does not parse.
        """
        if self.cause is not None:
            return met(Unknown(self.cause))
        if value not in _TRI:
            return False
        parsed = self.parse_expr(expr)
        unknown = self._unknown_expr(parsed)
        if unknown is not None:
            return met(unknown)
        return reaches_exact(self.possible.expr_mask(parsed), _TRI[value])

    def parse_expr(self, text: str) -> Any:
        """Parse an expression string against this model's symbols (unknown names stay undefined)."""
        from ckptlint.kconfig.environ import environment, fixed_environ
        kconf = self.kconf
        text = rewrite_modules(text, _Defined(self))
        saved = (kconf.filename, kconf.linenr, kconf.warn)
        kconf.filename, kconf.linenr, kconf.warn = None, 0, False
        try:
            # only a ``$(...)`` reference reads the environment; swapping
            # os.environ per expression cost ~1 ms each (thousands per run)
            with (fixed_environ(environment(self.state.tree, self.arch)) if "$" in text
                  else nullcontext()):
                kconf._tokens = kconf._tokenize("if " + text)  # noqa: SLF001
                kconf._tokens_i = 1  # noqa: SLF001
                return kconf._expect_expr_and_eol()  # noqa: SLF001
        except kconfiglib.KconfigError as exc:
            raise ValueError(f"bad Kconfig expression {text!r}: {exc}") from None
        finally:
            kconf.filename, kconf.linenr, kconf.warn = saved

    # -- explanations -------------------------------------------------------
    def explain(self, name: str, value: str = "y") -> list[tuple[str, Location]]:
        """Why ``name`` can never be ``value``: the chain of unmet conditions (empty if it can)."""
        from ckptlint.kconfig.explain import Explainer
        answer = self.can_be(name, value)
        if answer.__class__ is Unknown:
            return [(f"cannot be evaluated: {answer.cause.message}", answer.cause.loc)]
        if answer:
            return []
        return Explainer(self).explain(name, value)

    def selectors(self, name: str) -> list[tuple[str, Location]]:
        """(selecting symbol, location of the ``select`` line) for every select of ``name``."""
        from ckptlint.kconfig.explain import selects_index
        return list(selects_index(self).get(name, ()))

    def unmet_selects(self, name: str) -> list[tuple[str, Location]]:
        """Symbols ``name`` selects whose own dependencies can never be met."""
        from ckptlint.kconfig.explain import unmet_selects
        return unmet_selects(self, name)


class _Defined:
    """The names a model defines, as a container (for ``names.rewrite_modules``)."""

    def __init__(self, model: "KconfigModel") -> None:
        self.model = model

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.model._sym(name) is not None  # noqa: SLF001


def error_refused(message: str) -> bool:
    """Whether a whole-model failure is one ``make *config`` refuses too (a missing top
    file, a parse of nothing but errors) rather than a limit of ckptlint's."""
    return "is missing" in message or "do not parse" in message


def reaches_exact(mask: int, value: int) -> bool:
    """Whether a mask contains exactly ``value``."""
    return bool(mask >> value & 1)


__all__ = ["ArchConfig", "KconfigModel", "is_number", "reaches", "reaches_exact"]
