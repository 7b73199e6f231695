"""Explanations: why a symbol can never take a value, who selects it, unmet selects."""

from __future__ import annotations

import logging
from typing import Any

from kconfiglib import AND, BOOL, NOT, OR, TRI_TO_STR, TRISTATE, TYPE_TO_STR, Choice, Symbol, expr_str

from ckptlint.facts import Location
from ckptlint.kconfig.value_sets import VALUES, reaches


LOG = logging.getLogger(__name__)

#: Longest explanation produced (deep chains are cut here).
MAX_STEPS = 12
_TRI = {"n": 0, "m": 1, "y": 2}


def _is_y(expr: Any) -> bool:
    """Whether an expression is the constant y."""
    return expr.__class__ is Symbol and expr.is_constant and expr.name == "y"


def split_depends(info: Any, lines: list[int]) -> list[tuple[Any, int]]:
    """The own ``depends on`` expressions of a node, one per line (kconfiglib ANDs them left to right)."""
    if not lines or _is_y(info.dep):
        return []
    parts: list[Any] = []
    expr = info.dep
    for _ in range(len(lines) - 1):
        if expr.__class__ is not tuple or expr[0] is not AND:
            return [(info.dep, lines[0])]
        parts.insert(0, expr[2])
        expr = expr[1]
    parts.insert(0, expr)
    return list(zip(parts, lines))


def _name(item: Any) -> str:
    """A symbol's name, or ``choice "prompt"`` for a choice."""
    if item.__class__ is Symbol:
        return item.name
    prompts = [n.prompt[0] for n in item.nodes if n.prompt]
    return f'choice "{prompts[0]}"' if prompts else expr_str(item)


class Explainer:
    """Builds the chain of unmet conditions behind a "can never be" answer."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.poss = model.possible
        self.out: list[tuple[str, Location]] = []
        self.seen: set[tuple[int, int]] = set()

    def explain(self, name: str, value: str) -> list[tuple[str, Location]]:
        """Explanation for ``name`` never being ``value``."""
        sym = self.model.kconf.syms.get(name)
        if sym is None or not sym.nodes:
            self._add(f"{name} is not defined for {self.model.arch.label}", Location(self.model.root, 1))
        elif value not in _TRI:
            self._add(f"{name} never has the value {value!r}", self._loc(sym.nodes[0]))
        else:
            self._sym(sym, _TRI[value])
        return self.out

    # -- helpers ------------------------------------------------------------
    def _add(self, message: str, loc: Location) -> None:
        """Append one step unless the chain is already at MAX_STEPS."""
        if len(self.out) < MAX_STEPS:
            self.out.append((message, loc))

    @staticmethod
    def _loc(node: Any, line: int | None = None) -> Location:
        """Location of a node, or of one of its property lines."""
        return Location(node.filename, line or node.linenr)

    def _info(self, node: Any) -> Any:
        """The parser's NodeInfo for a node (None for implicit nodes)."""
        return self.model.state.nodes.get(node)

    def _text(self, node: Any, line: int) -> str:
        """The source text of a property line."""
        lines = self.model.state.tree.lines(node.filename)
        return lines[line - 1].strip() if 0 < line <= len(lines) else "?"

    def _ok(self, expr: Any, want: int) -> bool:
        """Whether ``expr`` can reach ``want``."""
        return reaches(self.poss.expr_mask(expr), want)

    # -- symbols --------------------------------------------------------------
    def _sym(self, sym: Any, want: int) -> None:
        """Explain why a symbol or choice cannot reach ``want`` (each one at most once)."""
        key = (id(sym), want)
        if key in self.seen or len(self.out) >= MAX_STEPS or self._ok(sym, want):
            return
        self.seen.add(key)
        if sym.__class__ is Choice:
            if not any(self._node_deps(sym, node, want) for node in sym.nodes):
                self._add(f"{_name(sym)} cannot be {TRI_TO_STR[want]}", self._loc(sym.nodes[0]))
        elif not sym.nodes:
            self._add(f"{sym.name} is not defined for {self.model.arch.label}", Location(self.model.root, 1))
        elif sym.orig_type not in (BOOL, TRISTATE):
            self._add(f"{sym.name} is a {TYPE_TO_STR[sym.orig_type]} symbol", self._loc(sym.nodes[0]))
        elif want == 0:
            self._forced(sym)
        elif want == 1 and not self.poss.modules_modes()[0]:
            self._add(f"{sym.name}=m needs MODULES, which cannot be y", self._loc(sym.nodes[0]))
            self._sym(self.model.kconf.modules, 2)
        elif sym.choice is not None:
            if not any(self._node_deps(sym, node, want, outer=False) for node in sym.nodes):
                self._add(f"{sym.name} is an entry of {_name(sym.choice)}", self._loc(sym.nodes[0]))
                self._sym(sym.choice, want)
        elif not self._ok(sym.direct_dep, want) and not self._ok(sym.rev_dep, want):
            for node in sym.nodes:
                self._node_deps(sym, node, want)
        else:
            for node in sym.nodes:
                self._no_value(sym, node, want)

    def _node_deps(self, sym: Any, node: Any, want: int, outer: bool = True) -> bool:
        """Report the first own ``depends on`` line that fails, else the enclosing block's."""
        info = self._info(node)
        if info is not None:
            for expr, line in split_depends(info, info.lines_of("depends on")):
                if not self._ok(expr, want):
                    self._add(f"{_name(sym)} depends on {expr_str(expr)}", self._loc(node, line))
                    self._expr(expr, want)
                    return True
        block = node.dep
        if info is not None and not _is_y(info.dep) and block.__class__ is tuple and block[0] is AND:
            block = block[2]
        if not outer or self._ok(block, want):
            return False
        self._add(f"{_name(sym)} is inside a block that depends on {expr_str(block)}", self._loc(node))
        self._expr(block, want)
        return True

    def _no_value(self, sym: Any, node: Any, want: int) -> None:
        """Dependencies can hold, yet no prompt, default or select gives the value."""
        info = self._info(node)
        if info is None:
            return
        if info.prompt is not None:
            prompt_line = (info.lines_of("prompt") or [node.linenr])[-1]
            if not _is_y(info.prompt[1]) and not self._ok(info.prompt[1], want):
                self._add(f"{sym.name}'s prompt is only shown if {expr_str(info.prompt[1])}",
                          self._loc(node, prompt_line))
                self._expr(info.prompt[1], want)
        if info.prompt is None and not info.defaults:
            self._add(f"{sym.name} has no prompt and no default", self._loc(node))
            return
        lines = info.lines_of("default")
        if len(lines) != len(info.defaults) or not lines:
            return
        texts = [self._text(node, line) for line in lines]
        only = "" if len(texts) == 1 and not texts[0].startswith("default") else "only "
        self._add(f"{sym.name} is {only}" + ", ".join(f"'{t}'" for t in texts), self._loc(node, lines[0]))
        for value, cond in info.defaults:
            self._expr(value if not self._ok(value, want) else cond, want)

    def _forced(self, sym: Any) -> None:
        """Why a symbol can never be n: invisible prompt plus defaults, or a select."""
        parts: list[str] = []
        for node in sym.nodes:
            info = self._info(node)
            if info is None:
                continue
            if info.prompt is not None:
                cond = info.prompt[1]
                parts.append("prompt hidden by its dependencies" if _is_y(cond)
                             else f"prompt only if {expr_str(cond)}")
            for value, cond in info.defaults:
                parts.append(f"default {expr_str(value)}" + ("" if _is_y(cond) else f" if {expr_str(cond)}"))
        if not reaches(self.poss.expr_mask(sym.rev_dep), 0):
            parts.append(f"selected by {expr_str(sym.rev_dep)}")
        values = "/".join(TRI_TO_STR[t] for t in VALUES[self.poss.tri_of(sym)]) or "undetermined"
        self._add(f"{sym.name} is {values}: " + ", ".join(parts), self._loc(sym.nodes[0]))

    # -- expressions ----------------------------------------------------------
    def _expr(self, expr: Any, want: int) -> None:
        """Descend into the operands that keep ``expr`` from reaching ``want``."""
        if len(self.out) >= MAX_STEPS or self._ok(expr, want):
            return
        if expr.__class__ is not tuple:
            if not (expr.__class__ is Symbol and expr.is_constant):
                self._sym(expr, want)
            return
        op = expr[0]
        if op is NOT:
            self._expr(expr[1], 2 if want == 0 else 0)
        elif (op is AND) == (want > 0):  # one failing operand is enough
            for operand in (expr[1], expr[2]):
                if not self._ok(operand, want):
                    self._expr(operand, want)
                    return
        elif op in (AND, OR):  # every operand fails
            self._expr(expr[1], want)
            self._expr(expr[2], want)
        else:
            self._relation(expr, want)

    def _relation(self, expr: Any, want: int) -> None:
        """Report the possible values of the symbols of a comparison that never holds."""
        for operand in (expr[1], expr[2]):
            if operand.__class__ is Symbol and not operand.is_constant and operand.nodes:
                values = self.poss.str_values(operand)
                shown = "any value" if values is None else ", ".join(f'"{v}"' for v in sorted(values))
                truth = "true" if want else "false"
                self._add(f"{expr_str(expr)} is never {truth}: {operand.name} can only be {shown}",
                          self._loc(operand.nodes[0]))


def selects_index(model: Any) -> dict[str, list[tuple[str, Location]]]:
    """Selected symbol name -> [(selector, location of the select line)], cached on the model."""
    cached = model.__dict__.get("_selects_index")
    if cached is not None:
        return cached
    index: dict[str, list[tuple[str, Location]]] = {}
    for node, info in model.state.nodes.items():
        if model.kconf is None or node.item.__class__ is not Symbol:
            continue
        for line, kind, tokens in info.lines:
            if kind == "select" and tokens[1].__class__ is Symbol:
                index.setdefault(tokens[1].name, []).append((node.item.name, Location(node.filename, line)))
    model.__dict__["_selects_index"] = index
    return index


def unmet_selects(model: Any, name: str) -> list[tuple[str, Location]]:
    """Targets ``name`` selects that are defined but whose dependencies can never hold."""
    poss = model.possible
    sym = model.kconf.syms.get(name) if poss is not None else None
    if sym is None:
        return []
    out: list[tuple[str, Location]] = []
    for node in sym.nodes:
        info = model.state.nodes.get(node)
        for line, kind, tokens in info.lines if info else ():
            target = tokens[1]
            if kind != "select" or target.__class__ is not Symbol or not target.nodes:
                continue
            if target.orig_type in (BOOL, TRISTATE) and not poss.expr_mask(target.direct_dep) & 6:
                out.append((target.name, Location(node.filename, line)))
    return out
