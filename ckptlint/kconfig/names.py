"""How a name written after ``CONFIG_`` maps to a Kconfig symbol.

Kconfig writes ``CONFIG_FOO_MODULE`` for a tristate FOO set to m, so code tests
``CONFIG_FOO_MODULE`` to mean "FOO = m". A symbol may also be *called*
``FOO_MODULE`` (blackfin's ``DUAL_CORE_TEST_MODULE``): the name as written wins,
the stripped name is the fallback. Every reader of a CONFIG_ name uses this one
rule, so a check and the evaluator never disagree about what a name means.
"""

from __future__ import annotations

import re
from collections.abc import Container

SUFFIX = "_MODULE"

_MODULE_WORD = re.compile(r"\b([A-Za-z0-9_]+)_MODULE\b")


def module_base(name: str) -> str | None:
    """FOO for ``FOO_MODULE`` (None for any other name)."""
    if name.endswith(SUFFIX) and len(name) > len(SUFFIX):
        return name[:-len(SUFFIX)]
    return None


def resolve(name: str, defined: Container[str]) -> str | None:
    """The defined symbol ``name`` refers to: itself, else its module base, else None."""
    if name in defined:
        return name
    base = module_base(name)
    return base if base is not None and base in defined else None


def is_defined(name: str, defined: Container[str]) -> bool:
    return resolve(name, defined) is not None


def rewrite_modules(expr: str, defined: Container[str]) -> str:
    """A Kconfig expression with each undefined ``FOO_MODULE`` of a defined FOO
    written as ``(FOO = m)``: what ``CONFIG_FOO_MODULE`` being set means."""
    if SUFFIX not in expr:
        return expr

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in defined or match.group(1) not in defined:
            return word
        return f"({match.group(1)} = m)"

    return _MODULE_WORD.sub(one, expr)


def ordered_items(expr) -> list:
    """kconfiglib's ``expr_items`` in a stable order: by name, choices by where they are
    defined. ``expr_items`` is a set, ordered by memory address, so a run that walks it
    directly may name another symbol first than the next run does."""
    import kconfiglib

    def key(item) -> tuple:
        where = min(((n.filename or "", n.linenr) for n in item.nodes), default=("", 0))
        return (item.name or "", where)
    return sorted(kconfiglib.expr_items(expr), key=key)
