"""A wired syscall has a ``cond_syscall()`` fallback but no definition at all.

What it checks:
    For every function a syscall table calls (native or compat column),
    some ``SYSCALL_DEFINEn``, ``COMPAT_SYSCALL_DEFINEn``, ``asmlinkage``
    function or assembly entry defines it, when a ``cond_syscall()`` /
    ``COND_SYSCALL[_COMPAT]()`` fallback exists for it. A definition that is
    only never built is CKL404's; here there is none anywhere in the tree.
    When a function that is defined but wired nowhere has a close name (a
    misspelt ``SYSCALL_DEFINE1(memfd_secrets, ...)``), the finding is an
    error at that definition and says so. With nothing close, the
    implementation was removed (6.1's ``lookup_dcookie``, 7.x's ``uselib``:
    retired, their slots left calling the fallback): a warning at the
    fallback. The native and compat entry of one syscall are one finding.

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
from ckptlint.naming import entry_syscall, implementing_functions
from ckptlint.suggest import did_you_mean

ID = "CKL303"
NAME = "fallback-only-syscall"
SEVERITY = "error"
SUMMARY = "A wired syscall has a cond_syscall() fallback but no definition"
REQUIRES = frozenset({"tables", "definitions", "cond_syscalls"})


def check(graph) -> Iterator[Draft]:
    if graph.unread("definitions") is not None:
        return  # a file that could not be read may define it
    wired = graph.wired_entries()
    orphans = [(function, slots) for function, slots in sorted(
        _compat_slots(graph, wired).items(), key=lambda item: (item[0].startswith("compat_"), item[0]))
        if not graph.entry_definitions(function) and graph.entry_cond_syscalls(function)]
    if not orphans:
        return
    unwired = frozenset(f for f in graph.defined_functions()
                        if f not in wired and not any(f in implementing_functions(w) for w in wired))
    # native and compat entry of one syscall: one finding (6.1's lookup_dcookie)
    by_call: dict[str, list] = {}
    for function, slots in orphans:
        by_call.setdefault(entry_syscall(function) or function, []).append((function, slots))
    for call, group in by_call.items():
        function = group[0][0]
        fallback = graph.entry_cond_syscalls(function)[0]
        related = [Related(fallback.loc, "the fallback is here")]
        for other, _ in group[1:]:
            related.append(Related(graph.entry_cond_syscalls(other)[0].loc,
                                   f"{other}'s fallback is here"))
        related += [Related(s.loc, f"called from the {s.abi} table here")
                    for _, slots in group for s in slots]
        one = len(group) == 1
        said = (f"{' and '.join(f for f, _ in group)} {'is' if one else 'are'} wired and "
                f"fall{'s' if one else ''} back to sys_ni_syscall, but nothing defines "
                f"{'it' if one else 'them'}")
        meant = did_you_mean(function, unwired)
        if meant is not None:
            yield Draft(f"{said}; {'it' if one else call} always returns -ENOSYS: did you mean {meant}, defined "
                        f"here and wired nowhere?", graph.definitions(meant)[0].loc,
                        tuple(related), symbol=function, key=function)
            continue
        # nothing close is defined: the implementation was removed, on purpose or not
        yield Draft(f"{said}: {call} always returns -ENOSYS; if it was retired, wire "
                    f"sys_ni_syscall in its slots and drop the fallback", fallback.loc,
                    tuple(related), symbol=function, key=function, severity="warning")


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
