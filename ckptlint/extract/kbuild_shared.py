"""Kbuild evaluations shared between srcarches and carried from one commit to the next.

A directory's kbuild file reads few of the variables the top and arch Makefiles
export, so one evaluation serves every srcarch whose inherited values it read
agree (``shared_eval``), and series mode keeps those whose files did not
change (``carry_over``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ckptlint.extract.makefile import TRUE, MakeEval, ReadLog, Var
from ckptlint.tree import KernelTree


class Inherited:
    """What a directory's evaluation inherits: the top Makefile's exported
    variables and ``fixed_vars``, looked up without building the table (which
    only an evaluation that is not shared needs)."""

    __slots__ = ("env", "fixed", "place")

    def __init__(self, env: dict[str, Var], fixed: dict[str, Var], directory: str) -> None:
        self.env, self.fixed = env, fixed
        self.place = Var([(directory or ".", TRUE, None)], fixed=True)  # ``src`` and ``obj``

    def get(self, name: str, default: Any = None) -> Any:
        if name == "src" or name == "obj":
            return self.place
        var = self.fixed.get(name)
        return var if var is not None else self.env.get(name, default)

    def table(self) -> dict[str, Var]:
        """The whole table, as ``{**env, **fixed_vars(srcarch, directory)}``."""
        return {**self.env, **self.fixed, "src": self.place, "obj": self.place}


class ReadTracking(dict):
    """A variable table that remembers which inherited variables an evaluation read.

    Every read goes through ``get`` (MakeEval and Expander never index or
    iterate the table); a name read before the file assigned it depends on the
    value inherited from the top Makefile or ``fixed_vars``.
    """

    def __init__(self, base: dict[str, Var]) -> None:
        super().__init__(base)
        self.read: dict[str, Var | None] = {}
        self.written: set[str] = set()

    def get(self, name: str, default: Any = None) -> Any:
        if name not in self.written and name not in self.read:
            self.read[name] = dict.get(self, name)
        return dict.get(self, name, default)

    def __setitem__(self, name: str, value: Var) -> None:
        self.written.add(name)
        dict.__setitem__(self, name, value)


@dataclass
class _SharedEval:
    """One evaluation of a directory's kbuild file and everything its result depends on."""

    variables: tuple[tuple[str, Var | None], ...]
    values: tuple[tuple[str, Any], ...]
    touched: frozenset[str]
    ev: MakeEval


def shared_eval(tree: KernelTree, path: str, directory: str, variables: Inherited,
                values: Callable[[str], Any]) -> MakeEval:
    """``MakeEval`` of ``path`` run in ``directory``, shared between srcarches.

    A directory's kbuild file reads few of the ~100 variables the top and arch
    Makefiles export; outside ``arch/`` most read none that differ between
    srcarches (``drivers/net/Makefile`` is the same text with the same inputs
    for alpha and x86). An evaluation is a function of the file texts, the
    inherited variables it read and the Kconfig values it asked for, so one
    whose recorded reads all have the same values here is reused as is. The
    memo lives on the tree (one per tree and process), so the ~2,200
    directories are evaluated about once instead of once per srcarch.
    """
    memo: dict[tuple[str, str], list[_SharedEval]] = tree.__dict__.setdefault("_kbuild_evals", {})
    candidates = memo.setdefault((path, directory), [])
    for old in candidates:
        if (all(variables.get(name) == var for name, var in old.variables)
                and all(values(symbol) == seen for symbol, seen in old.values)):
            tree.record(old.touched)
            return old.ev
    tracking = ReadTracking(variables.table())
    asked: dict[str, Any] = {}

    def recorded_values(symbol: str) -> Any:
        if symbol not in asked:
            asked[symbol] = values(symbol)
        return asked[symbol]
    ev = MakeEval(tree, tracking, ReadLog())
    ev.values = recorded_values
    with tree.recording() as touched:
        ev.run(path)
    candidates.append(_SharedEval(tuple(tracking.read.items()), tuple(asked.items()),
                                  frozenset(touched), ev))
    return ev


def carry_over(old: KernelTree, new: KernelTree, changed: set[str]) -> int:
    """Hand ``old``'s shared evaluations to ``new`` (the same root at the next commit),
    except those that read or probed a ``changed`` path; returns how many were carried.

    An evaluation is a function of the files it touched, the variables it read
    and the values it asked for, so one that touched nothing that changed is
    valid for the new commit under the same reads (which ``shared_eval`` still
    compares). A series of commits then re-evaluates only the directories
    whose kbuild files (or includes) a commit edits.
    """
    memo = old.__dict__.get("_kbuild_evals", {})
    kept: dict[tuple[str, str], list[_SharedEval]] = {}
    for key, candidates in memo.items():
        valid = [c for c in candidates if not (c.touched & changed)]
        if valid:
            kept[key] = valid
    new.__dict__["_kbuild_evals"] = kept
    return sum(len(v) for v in kept.values())
