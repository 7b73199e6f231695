"""A syscall number has no table entry, or a table entry has no number.

What it checks:
    Each ``__NR_x`` of an ABI with a positional table has a slot at its
    position (a ``sys_ni_syscall`` hole counts: it marks a number that is
    deliberately not implemented), and each non-hole slot has an
    ``__NR_`` that names its position.

Why it matters:
    A number past the table's end is an exported syscall that can never
    work; an entry without a number is kernel code that user space has
    no documented way to reach, and a sign the header hunk was lost.

Example:
    ``#define __NR_restart 340`` in unistd_32.h, but the table stops at
    position 339.

    A number without a slot is only a note when the syscall's gate cannot
    be enabled where the table is built (the i386 numbering shared by the
    x86_64 kernel's ia32 table, for a feature that is 32-bit only).

Fix:
    Add the missing ``.long`` entry, or the missing ``#define __NR_``.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.checks.cross_arch import gate_possible, gate_severity
from ckptlint.findings import Draft, Related

ID = "CKL104"
NAME = "unwired-syscall"
SEVERITY = "error"
SUMMARY = "A syscall number has no table entry, or a table entry has no number"
REQUIRES = frozenset({"numbers", "tables"})
OPTIONS: dict = {}


def check(graph, options) -> Iterator[Draft]:
    for abi in graph.abis():
        table = graph.table(abi)
        if graph.facts.table_kind.get(abi) != "positional" or not table:
            continue
        positions = {entry.position for entry in table}
        index = graph.number_index(abi)
        for num in graph.numbers(abi):
            if num.number not in positions:
                severity, why = gate_severity(gate_possible(graph, num.name, abi),
                                              graph.abi(abi).kconfig_arch)
                yield Draft(f"__NR_{num.name} is {num.number}, but the {abi} table has no entry "
                            f"at that position{why}", num.loc,
                            (Related(table[-1].loc, "the table ends here"),), abi, num.name,
                            key="no-entry", severity=severity)
        for entry in table:
            if entry.syscall is not None and entry.position not in index:
                alias = graph.alias_slot(abi, entry)
                also = (f"; a second slot for {entry.syscall}, which is also at its own number"
                        if alias else "")
                yield Draft(f"{entry.entry} is at position {entry.position}, but no __NR_ "
                            f"is defined as {entry.position}{also}", entry.loc, arch=abi,
                            symbol=entry.syscall, key="no-number",
                            severity="note" if alias else None)
