"""A syscall number is skipped without a hole in the table.

What it checks:
    The ``__NR_`` numbers of an ABI run from the lowest to the highest
    without a gap, unless the table keeps the gap as a hole
    (``sys_ni_syscall`` at that position, as i386 does for numbers that
    were retired). A slot that holds a call no ``__NR_`` names is CKL104's
    finding, not a gap.

Why it matters:
    Tables are indexed by number. A gap that the table does not keep as a
    hole means every entry after it sits one slot too early. x86_64's
    ``unistd_64.h`` says it outright: holes are not allowed.

Example:
    arch/x86/include/asm/unistd_32.h::

        #define __NR_eclone     338
        #define __NR_checkpoint 340   /* 339 was skipped */

Fix:
    Number the new syscall with the next free number, or reserve the
    skipped one with ``sys_ni_syscall`` in the table.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft
from ckptlint.graph.placement import misnumbered, renumbered
from ckptlint.naming import entry_syscall

ID = "CKL002"
NAME = "syscall-number-gap"
SEVERITY = "error"
SUMMARY = "A syscall number is skipped without a hole in the table"
REQUIRES = frozenset({"numbers", "tables"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        index = graph.number_index(abi)
        if not index or graph.facts.table_kind.get(abi) != "positional":
            continue
        names = graph.name_index(abi)
        # a hole, or a live slot that no header names (CKL104 reports it at the
        # table) or that repeats a call wired at its own number: not a shift
        holes = {e.position for e in graph.table(abi)
                 if entry_syscall(e.entry) is None or e.syscall not in names
                 or graph.alias_slot(abi, e)}
        # the slot a colliding number was meant to be (CKL001 names it): not a gap
        holes |= {entry.position for entry in renumbered(graph, abi).values()}
        holes |= {entry.position for entry in misnumbered(graph, abi).values()}
        numbers = sorted(index)
        # pairwise, not number by number: a hostile header may define __NR_x 2147483647
        for previous, number in zip(numbers, numbers[1:]):
            first, last = previous + 1, number - 1
            while first <= last and first in holes:
                first += 1
            while last >= first and last in holes:
                last -= 1
            if first <= last:
                yield _gap(abi, first, last, index[number][0])


def _gap(abi: str, first: int, last: int, after) -> Draft:
    span = str(first) if first == last else f"{first}-{last}"
    return Draft(f"syscall number {span} is unused, and the table has no hole for it "
                 f"(next is __NR_{after.name} = {after.number})", after.loc,
                 arch=abi, symbol=after.name, key=f"gap-before-{after.name}")
