"""``SYSCALL_DEFINEn`` has a different number of (type, name) pairs than n.

What it checks:
    The n in ``SYSCALL_DEFINEn(name, type1, arg1, ...)`` equals the number
    of type/name pairs that follow the name.

Why it matters:
    The macro builds the function from n pairs. Too many arguments fail
    in a confusing macro expansion; too few with an odd leftover can
    compile into a function that reads a register the caller never set,
    and the syscall wrappers that sign-extend arguments (on 64-bit arches)
    then cover the wrong registers.

Example:
    ``SYSCALL_DEFINE3(checkpoint, pid_t, pid, int, fd, unsigned long, flags,
    int, logfd)``: four pairs under a 3.

Fix:
    Make n match the pairs (``SYSCALL_DEFINE4`` here).
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL203"
NAME = "define-arity-mismatch"
SEVERITY = "error"
SUMMARY = "SYSCALL_DEFINEn has a different number of (type, name) pairs than n"
REQUIRES = frozenset({"definitions"})


def check(graph) -> Iterator[Draft]:
    for definition in graph.facts.definitions:
        if definition.kind != "SYSCALL_DEFINE" or definition.arity is None or definition.params is None:
            continue
        if definition.arity != len(definition.params):
            yield Draft(f"{definition.function} is declared with SYSCALL_DEFINE{definition.arity} "
                        f"but lists {len(definition.params)} (type, name) pairs",
                        definition.loc, symbol=definition.function, key="arity")
