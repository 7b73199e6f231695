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
from ckptlint.graph.placement import meant_slots

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
        meant = {name: entry for other in graph.abis()
                 if (shared := graph.count(other)) is not None and shared.loc == count.loc
                 for name, entry in meant_slots(graph, other).items()}  # ia32 reads i386's header
        # the numbers as the table means them: a name it places elsewhere counts there
        top = max([n.number for n in numbers if n.name not in meant]
                  + [entry.position for entry in meant.values()])
        if count.value == top + 1:
            continue  # right, once such a name has the slot its entry is in (CKL001, CKL101)
        if highest.name in meant and count.value == highest.number + 1:
            continue  # it follows that name's number: one mistake, the number's finding
        related = [Related(highest.loc, f"__NR_{highest.name} is here")]
        if meant and top in {entry.position for entry in meant.values()}:
            last = max(meant, key=lambda name: meant[name].position)
            related = [Related(meant[last].loc, f"the table has {meant[last].entry} at {top}, "
                                                f"where __NR_{last} was meant to be")]
            yield Draft(f"NR_syscalls is {count.value}, but the table goes up to {top} "
                        f"({meant[last].entry}): expected {top + 1}", count.loc, tuple(related),
                        abi, "NR_syscalls", key="count")
            continue
        yield Draft(f"NR_syscalls is {count.value}, but the highest syscall, "
                    f"__NR_{highest.name}, is {highest.number}: expected {highest.number + 1}",
                    count.loc, tuple(related), abi, "NR_syscalls", key="count")
