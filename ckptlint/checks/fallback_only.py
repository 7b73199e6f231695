"""A wired syscall has a ``cond_syscall()`` fallback but no definition at all.

What it checks:
    For every function a syscall table calls (native or compat column),
    some ``SYSCALL_DEFINEn``, ``COMPAT_SYSCALL_DEFINEn``, ``asmlinkage``
    function or assembly entry defines it, when a ``cond_syscall()`` /
    ``COND_SYSCALL[_COMPAT]()`` fallback exists for it. A definition that is
    only never built is CKL404's; here there is none anywhere in the tree.
    When a function that is defined but wired nowhere has a close name (a
    misspelt ``SYSCALL_DEFINE1(memfd_secrets, ...)``), the finding is at that
    definition and says so.

Why it matters:
    The weak fallback keeps the link quiet, so the syscall is numbered,
    wired, and always returns ``-ENOSYS``: it was removed, or its definition
    was renamed or misspelt, and nothing notices until a user calls it.

Example:
    mm/secretmem.c: ``SYSCALL_DEFINE1(memfd_secrets, unsigned int, flags)``
    while the tables call ``sys_memfd_secret`` and kernel/sys_ni.c has
    ``COND_SYSCALL(memfd_secret)``.

Fix:
    Correct the definition's name, or restore it; if the syscall is gone
    for good, wire ``sys_ni_syscall`` in its slots and drop the fallback.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.naming import implementing_functions
from ckptlint.suggest import did_you_mean

ID = "CKL303"
NAME = "fallback-only-syscall"
SEVERITY = "error"
SUMMARY = "A wired syscall has a cond_syscall() fallback but no definition"
REQUIRES = frozenset({"tables", "definitions", "cond_syscalls"})
OPTIONS: dict = {}


def check(graph, options) -> Iterator[Draft]:
    if graph.unread("definitions") is not None:
        return  # a file that could not be read may define it
    wired = graph.wired_entries()
    for function, slots in sorted(_compat_slots(graph, wired).items()):
        if graph.entry_definitions(function) or not graph.entry_cond_syscalls(function):
            continue
        fallback = graph.entry_cond_syscalls(function)[0]
        related = [Related(fallback.loc, "the fallback is here")]
        related += [Related(s.loc, f"called from the {s.abi} table here") for s in slots]
        unwired = frozenset(f for f in graph.defined_functions()
                            if f not in wired and not any(f in implementing_functions(w) for w in wired))
        meant = did_you_mean(function, unwired)
        where = fallback.loc
        tail = "; it always returns -ENOSYS"
        if meant is not None:
            definition = graph.definitions(meant)[0]
            where, tail = definition.loc, f"; it always returns -ENOSYS: did you mean {meant}, " \
                                          f"defined here and wired nowhere?"
        yield Draft(f"{function} is wired and falls back to sys_ni_syscall, but nothing defines "
                    f"it{tail}", where, tuple(related), symbol=function, key=function)


def _compat_slots(graph, wired: dict) -> dict:
    """Wired functions with their slots, compat columns included (``compat_sys_x`` of a
    32-bit table's compat column is called by the 64-bit kernel's compat ABI)."""
    out = {name: list(slots) for name, slots in wired.items()}
    for abi in graph.abis():
        for entry in graph.table(abi):
            if entry.compat and entry.compat != entry.entry and entry.compat not in out \
                    and entry.compat.startswith("compat_sys_"):
                out.setdefault(entry.compat, []).append(entry)
    return out
