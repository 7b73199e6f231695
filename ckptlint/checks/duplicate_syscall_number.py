"""Two ``__NR_`` names share a number, or one name is numbered twice.

What it checks:
    Within one ABI's unistd header, every ``__NR_x`` has a number of its own
    and every name is defined once. When the positional table already gives
    the later name a slot no ``__NR_`` has (a rebase kept a taken number while
    the table and ``NR_syscalls`` moved on), the finding names that slot, and
    the entry's place (CKL101) and the count (CKL003) are not reported again.

Why it matters:
    The number is the user-space ABI. Two names on one number means one of
    them calls the other's implementation; a name defined twice with two
    values is silently redefined by the preprocessor (with a warning that
    is easy to miss in a kernel build log).

Example:
    arch/x86/include/asm/unistd_32.h::

        #define __NR_checkpoint 339
        #define __NR_restart    339

Fix:
    Give the later syscall the next free number, and bump ``NR_syscalls``.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.graph.placement import collisions, renumbered

ID = "CKL001"
NAME = "duplicate-syscall-number"
SEVERITY = "error"
SUMMARY = "Two __NR_ names share a number, or one name is numbered twice"
REQUIRES = frozenset({"numbers"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        by_name: dict = {}
        for num in graph.numbers(abi):
            first = by_name.setdefault(num.name, num)
            if first is not num and first.number != num.number:
                yield Draft(f"__NR_{num.name} is defined again as {num.number} "
                            f"(first as {first.number})", num.loc,
                            (Related(first.loc, "first definition"),), abi, num.name)
        meant = renumbered(graph, abi)
        for num, other in collisions(graph, abi):
            if other.name in meant and num.name not in meant:
                num, other = other, num  # the first name is the one off (its entry says so)
            related = [Related(other.loc, f"__NR_{other.name} is here")]
            message = f"__NR_{num.name} reuses number {num.number} of __NR_{other.name}"
            entry = meant.get(num.name)
            if entry is not None:
                # the table (and perhaps NR_syscalls) already moved on: one finding, here
                message += (f"; the table has {entry.entry} at {entry.position}, "
                            f"which no __NR_ has: did you mean {entry.position}?")
                related.append(Related(entry.loc, f"{entry.entry} is at table position "
                                                  f"{entry.position}"))
                count = graph.count(abi)
                if count is not None:
                    related.append(Related(count.loc, f"NR_syscalls is {count.value}"))
            yield Draft(message, num.loc, tuple(related), abi, num.name)
