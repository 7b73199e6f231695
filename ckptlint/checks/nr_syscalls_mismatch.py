"""``NR_syscalls`` is not one more than the highest syscall number.

What it checks:
    A literal ``NR_syscalls`` (or ``__NR_syscalls``) equals the highest
    ``__NR_`` number of its ABI plus one. Computed counts (x86_64's
    ``__NR_syscall_max + 1`` from asm-offsets) are left alone.

Why it matters:
    The entry code bounds-checks the syscall number against
    ``NR_syscalls``. Too small, and the new syscall returns ``-ENOSYS``;
    too large, and a number past the table's end indexes whatever follows
    it in memory.

Example:
    arch/x86/include/asm/unistd_32.h::

        #define __NR_restart 340
        #define NR_syscalls  340

Fix:
    Set ``NR_syscalls`` to the highest number plus one (341 here).
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.graph.placement import renumbered

ID = "CKL003"
NAME = "nr-syscalls-mismatch"
SEVERITY = "error"
SUMMARY = "NR_syscalls is not one more than the highest syscall number"
REQUIRES = frozenset({"numbers"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        count = graph.count(abi)
        numbers = graph.numbers(abi)
        if count is None or not numbers:
            continue
        highest = max(numbers, key=lambda n: n.number)
        meant = [entry.position for other in graph.abis()
                 if (shared := graph.count(other)) is not None and shared.loc == count.loc
                 for entry in renumbered(graph, other).values()]  # ia32 reads i386's header
        if meant and count.value == max(highest.number, *meant) + 1:
            continue  # right for the number the table gives a colliding name (CKL001)
        if count.value != highest.number + 1:
            yield Draft(f"NR_syscalls is {count.value}, but the highest syscall, "
                        f"__NR_{highest.name}, is {highest.number}: expected {highest.number + 1}",
                        count.loc, (Related(highest.loc, f"__NR_{highest.name} is here"),),
                        abi, "NR_syscalls", key="count")
