"""Possible values of every Kconfig symbol: a sound over-approximating fixpoint.

Tristate values are kept as 3-bit masks (bit 0 = n, bit 1 = m, bit 2 = y);
string/int/hex symbols as a frozenset of strings, or ``None`` for "any string".

The analysis follows kconfiglib's own evaluation rules (``Symbol.tri_value``,
``_visibility``, ``expr_value``) but over *sets*: ``A && B`` can be any
``min(a, b)`` for a possible ``a`` and ``b``, which ignores correlations
(``X && !X`` may be y), so "can be y" is an over-approximation and "can never
be y" is only reported when no combination of possible operand values allows
it. Per symbol:

* a prompt visible at v > 0 lets the user pick any value up to v;
* otherwise (or when the user sets nothing) the first default whose condition
  can be true applies, ``min(value, condition)``; ``imply`` raises it when the
  direct dependencies can hold;
* ``select`` (the reverse dependency) raises it regardless of dependencies;
* m exists only if MODULES can be y; where MODULES can be n, m becomes y;
* choices: a visible choice can be in y mode, and then any visible entry can be
  the selected one;
* string/int/hex: a visible prompt means any value; else the values of the
  defaults that can apply, ``""`` when none need apply, and range bounds;
  undefined symbols (and numbers) have their name as value, so comparisons
  like ``ARCH = "x86"`` follow from ``option env`` defaults.

Values only grow, every transfer is monotone, and kconfiglib rejects dependency
loops, so the worklist iteration from "nothing possible" terminates in the
least fixpoint. It is computed on demand: the first question about an item
computes the cone of items it depends on (``_settle``), which gives the same
values as iterating over the whole tree (tested both ways).
"""

from __future__ import annotations

import logging
import operator
from collections import deque
from typing import Any

from kconfiglib import expr_items as _items
from kconfiglib import (AND, BOOL, EQUAL, GREATER, GREATER_EQUAL, HEX, INT, LESS,
                        LESS_EQUAL, NOT, OR, STRING, TRI_TO_STR, TRISTATE, UNEQUAL, Choice,
                        Symbol)

LOG = logging.getLogger(__name__)

N, M, Y = 1, 2, 4
ALL = N | M | Y
#: Values (0, 1, 2) present in a mask.
VALUES = tuple(tuple(t for t in range(3) if mask >> t & 1) for mask in range(8))
#: Masks of 0..v.
UPTO = (N, N | M, ALL)
#: Above this many distinct strings a symbol is treated as "any string".
MAX_STRINGS = 64
_BASE = {INT: 10, HEX: 16}


def _pairwise(fn: Any) -> tuple[tuple[int, ...], ...]:
    """8x8 table of ``fn`` lifted to masks."""
    return tuple(tuple(_lift(fn, a, b) for b in range(8)) for a in range(8))


def _lift(fn: Any, a: int, b: int) -> int:
    """Mask of ``fn(x, y)`` over the values in masks a and b."""
    out = 0
    for x in VALUES[a]:
        for y in VALUES[b]:
            out |= 1 << fn(x, y)
    return out


AND_T = _pairwise(min)
OR_T = _pairwise(max)
NOT_T = tuple(sum(1 << (2 - t) for t in VALUES[m]) for m in range(8))


def reaches(mask: int, want: int) -> bool:
    """Whether a mask allows ``want`` (n) or, for m/y, a value at least ``want``."""
    if want == 0:
        return bool(mask & N)
    return bool(mask & (M | Y) if want == 1 else mask & Y)


class Possible:
    """Possible values of all symbols and choices of one parsed Kconfig tree."""

    def __init__(self, kconf: Any, transitional: frozenset[str] = frozenset(),
                 eager: bool = False) -> None:
        self.kconf = kconf
        self.transitional = transitional
        self.tri: dict[Any, int] = {}
        self.strs: dict[Any, frozenset[str] | None] = {}
        self.updates = 0
        #: Items whose value is the fixpoint's (their inputs are all final too).
        self._final: set[Any] = set()
        #: Items of the cone being computed (their values are still growing).
        self._open: set[Any] = set()
        if eager:
            self._settle(list(kconf.unique_defined_syms) + list(kconf.unique_choices))
        else:  # MODULES first: every m in every mask asks it (``_promote``)
            self._settle([kconf.modules])

    # -- queries ----------------------------------------------------------
    def tri_of(self, item: Any) -> int:
        """Mask of the tristate values a symbol/choice can have."""
        if item.__class__ is Symbol:
            if item.is_constant:
                return {"n": N, "m": M, "y": Y}.get(item.name, N)
            if not item.nodes or item.orig_type not in (BOOL, TRISTATE):
                return N
        if item not in self._final and item not in self._open:
            self._settle([item])
        return self.tri.get(item, 0)

    def expr_mask(self, expr: Any) -> int:
        """Mask of the tristate values an expression can have."""
        if expr.__class__ is not tuple:
            return self.tri_of(expr)
        op = expr[0]
        if op is AND:
            left = self.expr_mask(expr[1])
            return N if left == N else AND_T[left][self.expr_mask(expr[2])]
        if op is OR:
            left = self.expr_mask(expr[1])
            return Y if left == Y else OR_T[left][self.expr_mask(expr[2])]
        if op is NOT:
            return NOT_T[self.expr_mask(expr[1])]
        return self._relation(expr)

    def str_values(self, sym: Any) -> frozenset[str] | None:
        """Possible string values (None = any string)."""
        if sym.__class__ is Choice or sym.orig_type in (BOOL, TRISTATE):
            return frozenset(TRI_TO_STR[t] for t in VALUES[self.tri_of(sym)])
        if sym.is_constant or not sym.nodes or not sym.orig_type:
            return frozenset((sym.name,))
        if sym not in self._final and sym not in self._open:
            self._settle([sym])
        return self.strs.get(sym, frozenset())

    def modules_modes(self) -> tuple[bool, bool]:
        """(MODULES can be y, MODULES can be n)."""
        mask = self.tri_of(self.kconf.modules)
        return bool(mask & Y), bool(mask & (N | M))

    # -- relations --------------------------------------------------------
    def _relation(self, expr: Any) -> int:
        """Mask of a comparison (``=``, ``!=``, ``<``...), pairwise over possible operand values."""
        rel, left, right = expr
        lvals, rvals = self.str_values(left), self.str_values(right)
        if lvals is None or rvals is None:
            return N | Y
        both_strings = left.__class__ is Symbol and right.__class__ is Symbol and \
            left.orig_type is STRING and right.orig_type is STRING
        out = 0
        for a in lvals:
            for b in rvals:
                comp = _compare(a, left, b, right, both_strings)
                out |= Y if _holds(rel, comp) else N
        return out

    # -- fixpoint ---------------------------------------------------------
    def _inputs(self, item: Any) -> set[Any]:
        """The defined symbols and choices ``_update(item)`` reads (kconfiglib's
        ``_build_dep`` from the other side, plus the choice and MODULES)."""
        kconf = self.kconf
        exprs = [node.prompt[1] for node in item.nodes if node.prompt]
        if item.__class__ is Choice:
            exprs += [cond for _, cond in item.defaults]
        else:
            for value, cond in item.defaults:
                exprs += (value, cond)
            exprs += (item.rev_dep, item.weak_rev_dep, item.direct_dep)
            for low, high, cond in item.ranges:
                exprs += (low, high, cond)
        out = {x for expr in exprs for x in _items(expr)
               if x.__class__ is Choice or (not x.is_constant and x.nodes)}
        if item.__class__ is Symbol and item.choice is not None:
            out.add(item.choice)
        if item.orig_type is TRISTATE and kconf.modules.nodes:
            out.add(kconf.modules)
        out.discard(item)
        return out

    def _settle(self, roots: list[Any]) -> None:
        """Compute the values of ``roots`` and of everything they depend on, transitively.

        Values flow only from an item's inputs, so the least fixpoint over
        that closed cone is the whole tree's fixpoint restricted to it: a
        question about 60 symbols computes ~1,300 of 6.12's ~17,000, and
        later questions reuse what is final. A cone is never opened while
        another is being computed: ``_update`` reads only the inputs
        ``_inputs`` lists, which are in the open cone or final.
        """
        assert not self._open, "a cone reads outside its inputs"
        cone: list[Any] = []
        seen: set[Any] = set()
        stack = [r for r in roots if r.__class__ is Choice or (not r.is_constant and r.nodes)]
        while stack:
            item = stack.pop()
            if item in seen or item in self._final:
                continue
            seen.add(item)
            cone.append(item)
            stack.extend(self._inputs(item))
        self._open = seen
        try:
            self._run(cone, seen)
        finally:
            self._open = set()
        self._final |= seen

    def _run(self, items: list[Any], members: set[Any]) -> None:
        """Worklist iteration over a cone until no item in it gains a value."""
        kconf = self.kconf
        extra = [i for i in items if i.orig_type is TRISTATE]
        queued = set(items)
        work = deque(items)
        while work:
            item = work.popleft()
            queued.discard(item)
            if not self._update(item):
                continue
            deps = item._dependents  # noqa: SLF001 - kconfiglib's own dependency index
            if item is kconf.modules:  # in a fixed order: the dependents, then the rest
                listed = set(deps)
                deps = (*deps, *(e for e in extra if e not in listed))
            for dep in deps:
                if dep in members and dep not in queued:
                    queued.add(dep)
                    work.append(dep)

    def _update(self, item: Any) -> bool:
        """Recompute one item, merging into what it could already be; True if it grew."""
        self.updates += 1
        if item.__class__ is Choice:
            return self._merge_tri(item, self._choice_mask(item))
        if item.orig_type in (BOOL, TRISTATE):
            mask = self._choice_sym_mask(item) if item.choice else self._sym_mask(item)
            return self._merge_tri(item, mask)
        if item.orig_type in (STRING, INT, HEX):
            return self._merge_strs(item, self._sym_strs(item))
        return False

    def _merge_tri(self, item: Any, mask: int) -> bool:
        """Union a mask into the item's; True if it grew."""
        old = self.tri.get(item, 0)
        self.tri[item] = old | mask
        return old | mask != old

    def _merge_strs(self, item: Any, new: frozenset[str] | None) -> bool:
        """Union a string set into the item's; True if it grew."""
        old = self.strs.get(item, frozenset())
        if old is None:
            return False
        merged = None if new is None or len(old | new) > MAX_STRINGS else old | new
        self.strs[item] = merged
        return merged != old

    def _visibility(self, item: Any) -> int:
        """Mask of the item's prompt visibility (max over its prompts)."""
        vis = N
        for node in item.nodes:
            if node.prompt:
                vis = OR_T[vis][self.expr_mask(node.prompt[1])]
        if item.__class__ is Symbol and item.name in self.transitional:
            vis |= self.expr_mask(item.direct_dep)
        return vis

    def _promote(self, mask: int, orig_type: Any, extra_y: bool = False) -> int:
        """Apply m->y for bools and where MODULES can be n; drop m where MODULES can't be y."""
        if not mask & M:
            return mask
        mod_on, mod_off = self.modules_modes()
        if orig_type is not TRISTATE:
            return (mask & ~M) | Y
        out = mask if mod_on else mask & ~M
        return out | Y if (mod_off or extra_y) else out

    def _sym_mask(self, sym: Any) -> int:
        """Possible values of a non-choice bool/tristate symbol."""
        vals = 0
        for v in VALUES[self._visibility(sym)]:
            vals |= UPTO[v] if v else 0
        vals |= self._default_mask(sym)
        vals = OR_T[vals][self.expr_mask(sym.rev_dep)]
        weak_y = bool(self.expr_mask(sym.weak_rev_dep) & Y)
        return self._promote(vals, sym.orig_type, weak_y)

    def _default_mask(self, sym: Any) -> int:
        """Values from the first applicable default (any of them may be first) and ``imply``."""
        out = 0
        falls_through = True
        for value, cond in sym.defaults:
            cmask = self.expr_mask(cond)
            if cmask & (M | Y):
                out |= AND_T[self.expr_mask(value)][cmask & (M | Y)]
            if not cmask & N:
                falls_through = False
                break
        if falls_through:
            out |= N
        weak = self.expr_mask(sym.weak_rev_dep) & (M | Y)
        if weak and self.expr_mask(sym.direct_dep) & (M | Y):
            out |= OR_T[out][weak]
        return out

    def _choice_mask(self, choice: Any) -> int:
        """Possible modes of a choice (n only if optional)."""
        base = 0 if choice.is_optional else 1
        out = 0
        for v in VALUES[self._visibility(choice)]:
            for user in range(3):
                out |= 1 << min(max(base, user), v)
        return self._promote(out, choice.orig_type)

    def _choice_sym_mask(self, sym: Any) -> int:
        """A choice entry is y if the choice can be in y mode and it can be visible."""
        vis = self._visibility(sym)
        mode = self.tri_of(sym.choice)
        out = N
        if mode & Y and (vis & Y or (vis & M and sym.orig_type is not TRISTATE)):
            out |= Y
        if mode & M and vis & (M | Y) and sym.orig_type is TRISTATE:
            out |= M
        return out

    def _sym_strs(self, sym: Any) -> frozenset[str] | None:
        """Possible values of a string/int/hex symbol."""
        if self._visibility(sym) & (M | Y):
            return None
        out: set[str] = set()
        falls_through = True
        for value, cond in sym.defaults:
            cmask = self.expr_mask(cond)
            if cmask & (M | Y):
                vals = self.str_values(value) if value.__class__ is not tuple else None
                if vals is None:
                    return None
                out |= vals
            if not cmask & N:
                falls_through = False
                break
        if falls_through:
            out.add("")
        if sym.orig_type in _BASE:
            out |= self._range_bounds(sym)
        return frozenset(out)

    def _range_bounds(self, sym: Any) -> set[str]:
        """Values a clamp to an applicable range can produce (raw and canonical)."""
        out: set[str] = set()
        base = _BASE[sym.orig_type]
        for low, high, cond in sym.ranges:
            if not self.expr_mask(cond) & (M | Y):
                continue
            for bound in (low, high):
                for text in self.str_values(bound) or ():
                    out.add(text)
                    number = _to_int(text, base)
                    out.add(str(number if number is not None else 0) if base == 10
                            else hex(number if number is not None else 0))
        return out


def _to_int(text: str, base: int) -> int | None:
    """``int(text, base)`` or None."""
    try:
        return int(text, base)
    except ValueError:
        return None


def _as_number(text: str, sym: Any) -> int:
    """A comparison operand as a number, as kconfiglib converts it (ValueError if not)."""
    if sym.__class__ is Choice or sym.orig_type in (BOOL, TRISTATE):
        return {"n": 0, "m": 1, "y": 2}[text]
    return int(text, _BASE.get(sym.orig_type, 0))


def _compare(a: str, left: Any, b: str, right: Any, both_strings: bool) -> int:
    """kconfiglib's comparison: numeric when both sides parse, else lexicographic."""
    if not both_strings:
        try:
            return _as_number(a, left) - _as_number(b, right)
        except (ValueError, KeyError):
            pass
    return (a > b) - (a < b)


_HOLDS = {EQUAL: operator.eq, UNEQUAL: operator.ne, LESS: operator.lt,
          LESS_EQUAL: operator.le, GREATER: operator.gt, GREATER_EQUAL: operator.ge}


def _holds(rel: Any, comp: int) -> bool:
    """Whether relation ``rel`` holds for a comparison result."""
    test = _HOLDS.get(rel)
    return bool(test and test(comp, 0))
