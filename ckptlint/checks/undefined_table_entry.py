"""A table entry names a function that nothing defines.

What it checks:
    Every non-hole table entry resolves to a definition somewhere in the
    tree: a ``SYSCALL_DEFINEn``, an old-style C definition, an assembly
    entry point, or a ``cond_syscall()`` fallback. Trampolines
    (``ptregs_x``, ``stub_x``) also resolve through the ``sys_x`` they wrap.
    A near miss gets a "did you mean".

Why it matters:
    An undefined table symbol is a link failure for every configuration,
    reported by the linker far from the typo.

Example:
    arch/x86/kernel/syscall_table_32.S::

        .long sys_chekpoint

Fix:
    Spell the entry as the definition does (``SYSCALL_DEFINE4(checkpoint,
    ...)`` defines ``sys_checkpoint``).
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.naming import implementing_functions
from ckptlint.suggest import hint

ID = "CKL103"
NAME = "undefined-table-entry"
SEVERITY = "error"
SUMMARY = "A table entry names a function that nothing defines"
REQUIRES = frozenset({"tables", "definitions", "cond_syscalls"})


def check(graph) -> Iterator[Draft]:
    if graph.unread("definitions") is not None:
        return  # a file that could not be read may define what looks undefined
    defined = graph.defined_functions() | {c.function for c in graph.all_cond_syscalls()}
    for entry_symbol, slots in sorted(graph.wired_entries().items()):
        if any(name in defined for name in implementing_functions(entry_symbol)):
            continue
        # one undefined entry, one finding at its first slot; the other tables' slots related
        first, *others = sorted(slots, key=lambda s: (s.loc, s.abi))
        yield Draft(f"{entry_symbol} is not defined anywhere in the tree"
                    f"{hint(entry_symbol, defined)}", first.loc,
                    tuple(Related(s.loc, f"also called from the {s.abi} table here") for s in others),
                    arch=first.abi if not others else None, symbol=first.syscall, key=entry_symbol)
