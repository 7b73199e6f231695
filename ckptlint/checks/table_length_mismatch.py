"""The table has a different number of entries than ``NR_syscalls``.

What it checks:
    A positional table has exactly ``NR_syscalls`` entries (when
    ``NR_syscalls`` is a literal). When the table has exactly the entries
    the ``__NR_`` numbers call for, the count alone is wrong (a syscall
    added without the bump): that is CKL003's one finding, at the count.
    When the count agrees with the numbers and the table is short, the
    table lost entries: CKL104 reports each number left without a slot.
    One hole past the end, where no ``__NR_`` points, is a guard slot the
    entry code reaches only by saturating the index (avr32 2.6.20-2.6.29).

Why it matters:
    With too few entries, the highest numbers index past the end of the
    table into whatever the linker put next; with too many, the last
    entries can never be called because the bounds check refuses them.

Example:
    arch/x86/kernel/syscall_table_32.S ends with ``.long sys_checkpoint``
    (position 339) while ``NR_syscalls`` is 341: there is no entry for 340.

Fix:
    Add the missing ``.long`` lines (or ``sys_ni_syscall`` holes), or
    correct ``NR_syscalls``.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related, plural
from ckptlint.graph.placement import meant_slots
from ckptlint.graph.queries import gate_possible
from ckptlint.unknown import any_answer, is_no, is_yes

ID = "CKL102"
NAME = "table-length-mismatch"
SEVERITY = "error"
SUMMARY = "The table has a different number of entries than NR_syscalls"
REQUIRES = frozenset({"numbers", "tables", "definitions", "kbuild", "kconfig"})  # gate_possible


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        count = graph.count(abi)
        table = graph.table(abi)
        if count is None or not table or graph.facts.table_kind.get(abi) != "positional":
            continue
        numbers = graph.numbers(abi)
        # the numbers as meant: a colliding name counts at the slot its entry is in (CKL001)
        meant = meant_slots(graph, abi)
        top = max([n.number for n in numbers if n.name not in meant]
                  + [e.position for e in meant.values()]) if numbers else None
        if numbers and len(table) == top + 1 != count.value:
            continue  # the table agrees with the numbers: the count is wrong, CKL003's finding
        if numbers and len(table) < count.value == top + 1:
            continue  # the count agrees with the numbers: CKL104 names each one without a slot
        if len(table) == count.value + 1 and table[-1].syscall is None \
                and not any(n.number == count.value for n in numbers):
            continue  # a guard slot past the end (avr32 2.6.20-2.6.29: "r8 is saturated at nr_syscalls")
        if len(table) != count.value:
            last = table[-1]
            missing = [n for n in graph.numbers(abi) if n.number >= len(table)]
            enabled = any_answer(gate_possible(graph, n.name, abi) for n in missing) \
                if missing and len(table) < count.value else True
            arch = graph.abi(abi).kconfig_arch
            gated = not is_yes(enabled)
            why = ("" if not gated else f"; the syscalls past its end cannot be enabled on {arch}"
                   if is_no(enabled) else f"; whether the syscalls past its end can be enabled on "
                   f"{arch} cannot be evaluated")
            yield Draft(f"the {abi} table has {plural(len(table), 'entry', 'entries')}, but NR_syscalls is "
                        f"{count.value}{why}", last.loc,
                        (Related(count.loc, "NR_syscalls is defined here"),),
                        abi, "NR_syscalls", key="length", severity="note" if gated else None)
