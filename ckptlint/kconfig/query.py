"""Expression-level questions asked of a KconfigModel by the checks."""

from __future__ import annotations

from typing import Any

from ckptlint.facts import Location


def direct_dependency(model: Any, name: str) -> str:
    """The symbol's ``depends on`` (incl. enclosing menus/ifs) as text; ``y`` if none."""
    import kconfiglib

    sym = model.kconf.syms.get(name) if model.kconf is not None else None
    if sym is None or not sym.nodes:
        return "n"
    return kconfiglib.expr_str(sym.direct_dep)


def _conjuncts(model: Any, expr: Any) -> frozenset[str]:
    import kconfiglib

    if isinstance(expr, tuple) and expr[0] == kconfiglib.AND:
        return _conjuncts(model, expr[1]) | _conjuncts(model, expr[2])
    return frozenset({kconfiglib.expr_str(expr)})


def same_expr(model: Any, left: str, right: str) -> bool:
    """Whether two expressions are the same conjunction (operand order ignored)."""
    try:
        return _conjuncts(model, model.parse_expr(left)) == _conjuncts(model, model.parse_expr(right))
    except ValueError:
        return left.split() == right.split()


def explain_expr(model: Any, expr: str) -> list[tuple[str, Location]]:
    """Why ``expr`` can never be y: the explanation of each symbol in it that can't be."""
    import kconfiglib

    try:
        parsed = model.parse_expr(expr)
    except ValueError:
        return []
    out: list[tuple[str, Location]] = []
    for sym in kconfiglib.expr_items(parsed):
        if getattr(sym, "is_constant", True) or model.can_be(sym.name):
            continue
        for step in model.explain(sym.name):
            if step not in out:
                out.append(step)
    return out
