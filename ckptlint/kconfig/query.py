"""Expression-level questions asked of a KconfigModel by the checks."""

from __future__ import annotations

import functools
from typing import Any, Callable

from ckptlint.facts import Location
from ckptlint.kconfig.names import ordered_items
from ckptlint.unknown import Unknown, met


def asked(func: Callable[..., Any]) -> Callable[..., Any]:
    """Route the question to ``model.ask`` when the model is a KconfigAnswers.

    The real implementation stays reachable as ``func.__wrapped__``. An
    Unknown answer is written in the run's ledger (``ckptlint.unknown``).
    """
    @functools.wraps(func)
    def question(model: Any, *args: Any) -> Any:
        ask = getattr(model, "ask", None)
        return ask(func.__name__, args) if ask is not None else met(func(model, *args))
    return question


@asked
def direct_dependency(model: Any, name: str) -> str:
    """The symbol's ``depends on`` (incl. enclosing menus/ifs) as text; ``y`` if none."""
    import kconfiglib

    defined = model.is_defined(name)
    if defined.__class__ is Unknown:
        return defined
    if not defined:
        return "n"
    sym = model.kconf.syms[name]
    unknown = model.unknown_for(ordered_items(sym.direct_dep))
    return unknown if unknown is not None else kconfiglib.expr_str(sym.direct_dep)


def _conjuncts(model: Any, expr: Any) -> frozenset[str]:
    import kconfiglib

    if isinstance(expr, tuple) and expr[0] == kconfiglib.AND:
        return _conjuncts(model, expr[1]) | _conjuncts(model, expr[2])
    return frozenset({kconfiglib.expr_str(expr)})


@asked
def same_expr(model: Any, left: str, right: str) -> bool:
    """Whether two expressions are the same conjunction (operand order ignored)."""
    try:
        return _conjuncts(model, model.parse_expr(left)) == _conjuncts(model, model.parse_expr(right))
    except ValueError:
        return left.split() == right.split()


@asked
def explain_expr(model: Any, expr: str) -> list[tuple[str, Location]]:
    """Why ``expr`` can never be y: the explanation of each symbol in it that can't be."""
    import kconfiglib

    try:
        parsed = model.parse_expr(expr)
    except ValueError:
        return []
    out: list[tuple[str, Location]] = []
    for sym in ordered_items(parsed):
        if getattr(sym, "is_constant", True):
            continue
        possible = model.can_be(sym.name)
        if possible.__class__ is Unknown or possible:
            continue
        for step in model.explain(sym.name):
            if step not in out:
                out.append(step)
    return out


#: Most symbols a conjunction may hold before refinement gives up (2^n cases).
MAX_REFINED_SYMBOLS = 10


@asked
def satisfiable(model: Any, expr: str) -> bool:
    """Whether ``expr`` can be y, refining the model's per-symbol over-approximation.

    ``model.can_expr_be`` looks at each symbol alone, so ``SYSCTL_SYSCALL &&
    !SYSCTL`` looks possible although SYSCTL_SYSCALL selects SYSCTL. Here the
    symbols of the expression are enumerated together, and an assignment is
    kept only if each enabled symbol's ``depends on`` can still hold and each
    ``select`` between them is honoured. Still an over-approximation (symbols
    outside the expression are free), so a False is always right.
    """
    import itertools

    import kconfiglib

    possible = model.can_expr_be(expr)
    if possible.__class__ is Unknown or not possible:
        return possible
    try:
        parsed = model.parse_expr(expr)
    except ValueError:
        return True
    syms = _bool_syms(kconfiglib.expr_items(parsed))
    if not syms or len(syms) > MAX_REFINED_SYMBOLS:
        return True
    first = _closure(model, syms)
    answer = _some_assignment(model, parsed, first)
    if answer.__class__ is Unknown or not answer:
        return answer
    # a False is always right, so more symbols can only make the answer sharper
    # (an undecided one among the extra symbols leaves the first answer standing)
    wider = _closure(model, syms, deps=True)
    return True if wider == first else _some_assignment(model, parsed, wider) is not False


def _some_assignment(model: Any, parsed: Any, syms: list) -> Any:
    """Whether some values of ``syms`` make ``parsed`` y with their dependencies and
    selects honoured (an Unknown when one of them is undecided)."""
    import itertools

    unknown = model.unknown_for(syms)  # a symbol the refinement brought in is undecided
    if unknown is not None:
        return unknown
    choices = [[v for v, name in ((0, "n"), (1, "m"), (2, "y")) if model.can_be(s.name, name)]
               for s in syms]
    for values in itertools.product(*choices):
        assignment = dict(zip(syms, values))
        if 2 in _values(model, parsed, assignment) and _consistent(model, assignment):
            return True
    return False


def _bool_syms(items) -> list:
    """The bool and tristate symbols among ``items``, by name."""
    import kconfiglib

    return sorted({s for s in items if isinstance(s, kconfiglib.Symbol) and not s.is_constant
                   and s.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE)}, key=lambda s: s.name)


def _closure(model: Any, syms: list, deps: bool = False) -> list:
    """``syms`` plus the symbols that decide them, while the enumeration stays small.

    ``!PPC64 && !OLD_SIGACTION`` looks possible until PPC32 joins: it is
    ``default y if !PPC64`` (promptless), and ``select OLD_SIGACTION if
    PPC32`` then forces the other. Added, one level at a time: the
    symbols in a member's selector conditions (``rev_dep``) and, for a
    promptless member, in its defaults and their conditions; with ``deps``,
    also those of its own ``depends on`` (2.6 mips: ``MIPS32_N32`` depends on
    ``MIPS32_COMPAT``, which depends on ``64BIT``).
    """
    import kconfiglib

    out = list(syms)
    frontier = list(syms)
    while frontier and len(out) < MAX_REFINED_SYMBOLS:
        items = []
        for sym in frontier:
            items += list(kconfiglib.expr_items(sym.rev_dep))
            if deps:
                items += list(kconfiglib.expr_items(sym.direct_dep))
            if not any(node.prompt for node in sym.nodes):
                for default, cond in sym.defaults:
                    items += [*kconfiglib.expr_items(default), *kconfiglib.expr_items(cond)]
        frontier = [s for s in _bool_syms(items) if s not in out
                    and not (s.choice or s.name in ("MODULES",))]
        room = MAX_REFINED_SYMBOLS - len(out)
        if len(frontier) > room:
            break  # all or nothing per level keeps the result independent of name order
        out += frontier
    return out


def _values(model: Any, expr: Any, assignment: dict) -> set[int]:
    """Possible tristate values of ``expr`` with some symbols fixed."""
    import kconfiglib

    if isinstance(expr, tuple):
        op = expr[0]
        if op == kconfiglib.NOT:
            return {2 - v for v in _values(model, expr[1], assignment)}
        if op in (kconfiglib.AND, kconfiglib.OR):
            left, right = _values(model, expr[1], assignment), _values(model, expr[2], assignment)
            pick = min if op == kconfiglib.AND else max
            return {pick(a, b) for a in left for b in right}
        if op in (kconfiglib.EQUAL, kconfiglib.UNEQUAL) and _tristate(expr[1]) and _tristate(expr[2]):
            # ``ARCH_S390X = 'n'`` (2.6.12 s390's UID16): tristate operands compare by value
            left, right = _values(model, expr[1], assignment), _values(model, expr[2], assignment)
            same = op == kconfiglib.EQUAL
            return {2 if (a == b) == same else 0 for a in left for b in right}
        return {0, 2}  # other comparisons: either outcome
    if expr in assignment:
        return {assignment[expr]}
    if expr.is_constant:
        return {{"n": 0, "m": 1, "y": 2}.get(expr.name, 0)}
    if not expr.nodes:
        return {0}  # an undefined symbol is n
    if expr.orig_type not in (kconfiglib.BOOL, kconfiglib.TRISTATE):
        return {0, 2}
    return {v for v, name in ((0, "n"), (1, "m"), (2, "y")) if model.can_be(expr.name, name)} or {0}


def _tristate(operand: Any) -> bool:
    """Whether a comparison operand is a bool/tristate symbol or the constant n, m or y."""
    import kconfiglib

    if operand.is_constant:
        return operand.name in ("n", "m", "y")
    return operand.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE)


def _consistent(model: Any, assignment: dict) -> bool:
    """Dependencies and selects among the assigned symbols can all hold."""
    for sym, value in assignment.items():
        selected = _selected(model, sym, assignment)
        if min(_values(model, sym.rev_dep, assignment)) > value:
            return False  # selected for sure, so it cannot be lower
        if value and max(_values(model, sym.direct_dep, assignment)) < value and not selected:
            return False
        forced = _forced(model, sym, assignment)
        if forced is not None and (value < forced or (value > forced and not selected)):
            return False
        for target, cond in sym.selects if value else ():
            if target not in assignment:
                continue
            # a select's condition carries the selecting symbol's own menu
            # dependencies (``select COMPAT`` inside ``if 64BIT``), which hold
            # whenever that symbol is on
            holds = _conjuncts(model, cond) <= _conjuncts(model, sym.direct_dep)
            strength = value if holds else min(value, min(_values(model, cond, assignment)))
            if strength > 0 and assignment[target] < strength:
                return False
    return True


def _forced(model: Any, sym: Any, assignment: dict) -> int | None:
    """The value a promptless symbol must take under the assignment, if it is decided.

    ``config COMPAT def_bool y depends on IA32_EMULATION`` is y exactly when
    IA32_EMULATION is; without this, ``IA32_EMULATION && !COMPAT`` looks possible.
    """
    import kconfiglib

    for node in sym.nodes:
        if node.prompt and max(_values(model, node.prompt[1], assignment)) > 0:
            return None  # a visible prompt: the user decides
    dep = _values(model, sym.direct_dep, assignment)
    for default, cond in sym.defaults:
        applies = _values(model, cond, assignment)
        if applies == {0}:
            continue
        values = _values(model, default, assignment)
        if min(applies) == 0 or len(values) != 1 or len(dep) != 1:
            return None
        value = min(next(iter(values)), next(iter(dep)))
        return 2 if value and sym.orig_type == kconfiglib.BOOL else value
    return 0


def _selected(model: Any, sym: Any, assignment: dict) -> bool:
    """Whether something may select ``sym`` (select overrides depends on)."""
    return max(_values(model, sym.rev_dep, assignment)) > 0
