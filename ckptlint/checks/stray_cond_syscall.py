"""A ``cond_syscall()`` names nothing, or is repeated.

What it checks:
    Each ``cond_syscall(sys_x)`` (``COND_SYSCALL(x)``) names a function
    that is defined somewhere in the tree or called from a syscall table,
    and appears once.

Why it matters:
    A misspelt ``cond_syscall`` creates a weak alias nobody uses, and the
    syscall it was meant for still fails to link when its option is off.
    A duplicate is harmless to the build but means two patches added the
    same fallback, a sign of a bad merge.

Example:
    kernel/sys_ni.c: ``cond_syscall(sys_chekpoint);``

Fix:
    Spell it like the definition, or drop the duplicate.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.checks.missing_cond_syscall import link_failures
from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import misspelt_fallbacks
from ckptlint.suggest import hint

ID = "CKL302"
NAME = "stray-cond-syscall"
SEVERITY = "warning"
SUMMARY = "A cond_syscall() names nothing defined or wired, or is repeated"
REQUIRES = frozenset({"tables", "definitions", "cond_syscalls", "kbuild", "kconfig"})  # link_failures


def check(graph) -> Iterator[Draft]:
    unread = [u for u in (graph.unread("definitions"), graph.unread("tables")) if u is not None]
    known = graph.defined_functions() | set(graph.wired_entries())
    failures = link_failures(graph) if not unread else {}
    first_seen: dict = {}
    for cond in graph.all_cond_syscalls():
        if cond.function in first_seen:
            yield Draft(f"cond_syscall({cond.function}) is repeated", cond.loc,
                        (Related(first_seen[cond.function], "first one"),),
                        symbol=cond.function, key="duplicate")
            continue
        first_seen[cond.function] = cond.loc
        if cond.function not in known and not unread:
            if any(typo is cond for function, typo in misspelt_fallbacks(graph).items()
                   if function in failures):
                continue  # the fallback a failing link needs, misspelt: CKL301's one finding
            yield Draft(f"cond_syscall({cond.function}) names a function that is neither "
                        f"defined nor in any syscall table{hint(cond.function, known)}",
                        cond.loc, symbol=cond.function, key="unknown")
