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
from ckptlint.kconfig.parser import ParseState
from ckptlint.kconfig.possible import Possible, reaches

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

    When ``error`` is set the tree could not be parsed: the model is empty,
    ``is_defined`` is False and every ``can_*`` answer is False.
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

    def __repr__(self) -> str:
        return f"<KconfigModel {self.arch.label} error={self.error!r}>"

    # -- definitions --------------------------------------------------------
    def _sym(self, name: str) -> Any:
        """The defined kconfiglib Symbol called ``name``, or None."""
        if self.kconf is None:
            return None
        sym = self.kconf.syms.get(name)
        return sym if sym is not None and sym.nodes else None

    def is_defined(self, name: str) -> bool:
        """Whether a ``config``/``menuconfig`` entry defines ``name`` for this arch."""
        return self._sym(name) is not None

    def definitions(self, name: str) -> list[Location]:
        """Where ``name`` is defined (the ``config`` lines)."""
        sym = self._sym(name)
        return [Location(n.filename, n.linenr) for n in sym.nodes] if sym else []

    def all_defined(self) -> set[str]:
        """Names of every defined symbol."""
        if self.kconf is None:
            return set()
        return {s.name for s in self.kconf.unique_defined_syms}

    def undefined_references(self) -> list[tuple[str, str, Location]]:
        """(symbol, kind, location) for each reference to a symbol never defined on this arch."""
        if self.kconf is None:
            return []
        if self._undefined is not None:
            return list(self._undefined)
        # the undefined symbols, once: numbers are symbols too for kconfiglib
        undefined = {sym for sym in self.kconf.syms.values()
                     if not sym.nodes and not is_number(sym.name)}
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

    def can_be(self, name: str, value: str = "y") -> bool:
        """Whether ``name`` can take ``value`` in some configuration (over-approximated)."""
        poss = self.possible
        if poss is None:
            return False
        sym = self.kconf.syms.get(name)
        if sym is None or not sym.nodes:
            return value == "n"
        if sym.orig_type in (BOOL, TRISTATE):
            return value in _TRI and reaches_exact(poss.tri_of(sym), _TRI[value])
        vals = poss.str_values(sym)
        return vals is None or value in vals

    def can_expr_be(self, expr: str, value: str = "y") -> bool:
        """Whether a Kconfig expression string can evaluate to ``value`` (n/m/y).

        Raises ValueError for an expression that does not parse.
        """
        poss = self.possible
        if poss is None or value not in _TRI:
            return False
        parsed = self.parse_expr(expr)
        return reaches_exact(poss.expr_mask(parsed), _TRI[value])

    def parse_expr(self, text: str) -> Any:
        """Parse an expression string against this model's symbols (unknown names stay undefined)."""
        from ckptlint.kconfig.loader import fixed_environ, environment
        kconf = self.kconf
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
        if self.error is not None:
            return [(f"Kconfig did not load: {self.error[0]}", self.error[1])]
        if self.can_be(name, value):
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


def reaches_exact(mask: int, value: int) -> bool:
    """Whether a mask contains exactly ``value``."""
    return bool(mask >> value & 1)


__all__ = ["ArchConfig", "KconfigModel", "is_number", "reaches", "reaches_exact"]
