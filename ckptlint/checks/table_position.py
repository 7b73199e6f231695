"""A table entry sits at a position other than its syscall's number.

What it checks:
    In a positional table (``.long`` entries, where the Nth entry serves
    syscall N), the entry that calls ``sys_x`` sits at position
    ``__NR_x``. When an insertion or deletion shifts a run of entries,
    only the first entry of the run is reported, with the offset. A slot
    whose own ``__NR_`` is a variant of the entry's name (``__NR_oldstat``
    calling ``sys_stat``) is the ABI's history, not a shift.

Why it matters:
    User space calls by number. An entry one slot off makes
    ``syscall(__NR_restart)`` run some other syscall with the same
    registers, which corrupts state rather than failing cleanly.

Example:
    arch/x86/kernel/syscall_table_32.S, with ``__NR_checkpoint`` = 339 and
    ``__NR_restart`` = 340::

        .long ptregs_eclone
        .long sys_ni_syscall     /* stray line: everything below moves */
        .long sys_checkpoint     /* position 340 */
        .long sys_restart        /* position 341 */

Fix:
    Put the entries in number order, one line per number, and keep holes
    as ``sys_ni_syscall``.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL101"
NAME = "table-position-mismatch"
SEVERITY = "error"
SUMMARY = "A table entry sits at a position other than its syscall's number"
REQUIRES = frozenset({"numbers", "tables"})
OPTIONS: dict = {}


def check(graph, options) -> Iterator[Draft]:
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) != "positional":
            continue
        names = graph.name_index(abi)
        numbers = graph.number_index(abi)
        shift = 0
        for entry in graph.table(abi):
            num = names.get(entry.syscall) if entry.syscall else None
            if num is None or _variant_slot(entry, numbers.get(entry.position, ())) \
                    or graph.alias_slot(abi, entry):
                continue
            delta = entry.position - num.number
            if delta != 0 and delta != shift:
                yield Draft(_message(entry, num, delta), entry.loc,
                            (Related(num.loc, f"__NR_{num.name} is {num.number}"),),
                            abi, num.name, key=f"shift{delta:+d}")
            shift = delta


def _variant_slot(entry, here) -> bool:
    """Whether the __NR_ at the entry's own position names a variant of it.

    Old ABIs serve a legacy number with the plain name: i386's slot 18 is
    ``__NR_oldstat`` and calls ``sys_stat``; ``__NR_umount2`` calls
    ``sys_umount``, ``__NR_lchown32`` ``sys_lchown``. One name containing the
    other marks such a slot as intended, not shifted.
    """
    return any(entry.syscall in num.name or num.name in entry.syscall for num in here)


def _message(entry, num, delta: int) -> str:
    return (f"{entry.entry} is at table position {entry.position}, but __NR_{num.name} is "
            f"{num.number} (entries from here are shifted by {delta:+d})")
