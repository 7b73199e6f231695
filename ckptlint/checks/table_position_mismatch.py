"""A table entry sits at a position other than its syscall's number.

What it checks:
    In a positional table (``.long`` entries, where the Nth entry serves
    syscall N), the entry that calls ``sys_x`` sits at position
    ``__NR_x``. When an insertion or deletion shifts a run of entries,
    only the first entry of the run is reported, with the offset. A slot
    whose own ``__NR_`` is a variant of the entry's name (``__NR_oldstat``
    calling ``sys_stat``) is the ABI's history, not a shift; only the
    affixes old/new/16/32/64/2 make a variant (``oldumount`` is not one of
    ``mount``). Two entries that exchanged places are one finding, a swap.
    An entry at a slot no ``__NR_`` has, while nothing sits at its own
    number, means the number is off: the finding is at the ``#define``
    ("did you mean 366?"), not a shift and a gap (CKL002).

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
from ckptlint.graph.placement import homes, misnumbered, placement, swap_partner

ID = "CKL101"
NAME = "table-position-mismatch"
SEVERITY = "error"
SUMMARY = "A table entry sits at a position other than its syscall's number"
REQUIRES = frozenset({"numbers", "tables"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) == "positional":
            yield from _check_table(graph, abi)
            yield from _misnumbered(graph, abi)


def _misnumbered(graph, abi: str) -> Iterator[Draft]:
    """An entry at a slot no number has, its own number past every entry: the number
    is what is off, so the finding is at the ``#define``."""
    names = graph.name_index(abi)
    for name, entry in sorted(misnumbered(graph, abi).items(), key=lambda item: item[1].position):
        num = names[name]
        related = [Related(entry.loc, f"{entry.entry} is at table position {entry.position}")]
        count = graph.count(abi)
        if count is not None and count.value == num.number + 1:
            related.append(Related(count.loc, f"NR_syscalls is {count.value}, after __NR_{name}"))
        yield Draft(f"__NR_{name} is {num.number}, but the table has {entry.entry} at "
                    f"{entry.position}, which no __NR_ has: did you mean {entry.position}?",
                    num.loc, tuple(related), abi, name, key=f"shift{entry.position - num.number:+d}")


def _check_table(graph, abi: str) -> Iterator[Draft]:
    names = graph.name_index(abi)
    numbers = graph.number_index(abi)
    table = graph.table(abi)
    by_position = {entry.position: entry for entry in table}
    placed = [(entry, *placement(graph, abi, entry, names, numbers)) for entry in table]
    homes_of = homes(numbers)
    shift = 0
    swapped: set[int] = set()
    for index, (entry, num, delta) in enumerate(placed):
        if entry.position in swapped:
            continue
        partner = swap_partner(entry, num, by_position, numbers, homes_of)
        if partner is not None:
            swapped |= {entry.position, partner.position}
            yield _swap(abi, entry, partner, numbers)
            continue
        if delta is None:
            continue
        if num is not None and delta != shift:
            if _next_delta(placed, index) == shift:
                yield _misplaced(graph, abi, entry, num, numbers)
                continue  # one entry out of place; the ones after it are where they were
            yield Draft(_message(entry, num, delta), entry.loc,
                        (Related(num.loc, f"__NR_{num.name} is {num.number}"),),
                        abi, num.name, key=f"shift{delta:+d}")
        shift = delta


def _next_delta(placed, index: int) -> int | None:
    """The offset of the next entry whose place is known (None at the table's end)."""
    for _entry, _num, delta in placed[index + 1:]:
        if delta is not None:
            return delta
    return None


def _swap(abi: str, entry, other, numbers) -> Draft:
    """One finding for two entries that exchanged places, at the first of them."""
    first, second = sorted((entry, other), key=lambda e: (e.loc.line, e.position))
    here = numbers.get(first.position, ())
    there = numbers.get(second.position, ())
    related = [Related(second.loc, f"{second.entry} is here, at {second.position}")]
    related += [Related(n.loc, f"__NR_{n.name} is {n.number}") for n in (*here[:1], *there[:1])]
    def slot(entry, nums) -> str:
        return f"slot {entry.position}{f' (__NR_{nums[0].name})' if nums else ''} calls {entry.entry}"
    return Draft(f"{first.entry} and {second.entry} are swapped: {slot(first, here)}, "
                 f"{slot(second, there)}",
                 first.loc, tuple(related), abi, first.syscall, key=f"swap:{second.syscall}")


def _misplaced(graph, abi: str, entry, num, numbers) -> Draft:
    """One entry in another call's slot, its neighbours where they belong."""
    here = numbers.get(entry.position, ())
    related = [Related(num.loc, f"__NR_{num.name} is {num.number}")]
    meant = ""
    for own in here[:1]:
        related.insert(0, Related(own.loc, f"__NR_{own.name} is {own.number}"))
        defined = [d for d in graph.definitions("sys_" + own.name) if d.kind != "asm"]
        if defined:
            meant = f"; did you mean sys_{own.name}, defined at {defined[0].loc}?"
            related.append(Related(defined[0].loc, f"sys_{own.name} is defined here"))
    where = f", where __NR_{here[0].name} is," if here else ""
    return Draft(f"{entry.entry} is at table position {entry.position}{where} but __NR_{num.name} "
                 f"is {num.number}{meant}", entry.loc, tuple(related), abi, num.name,
                 key=f"shift{entry.position - num.number:+d}")


def _message(entry, num, delta: int) -> str:
    return (f"{entry.entry} is at table position {entry.position}, but __NR_{num.name} is "
            f"{num.number} (entries from here are shifted by {delta:+d})")
