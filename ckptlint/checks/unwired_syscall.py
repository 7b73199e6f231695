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

from collections import Counter
from dataclasses import replace
from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import gate_possible, gate_severity

ID = "CKL104"
NAME = "unwired-syscall"
SEVERITY = "error"
SUMMARY = "A syscall number has no table entry, or a table entry has no number"
REQUIRES = frozenset({"numbers", "tables", "definitions", "kbuild", "kconfig"})  # gate_possible


def check(graph) -> Iterator[Draft]:
    """One finding per place: um-i386 reads i386's very table and numbers, so a slot
    missing there is one mistake, said once for both ABIs."""
    merged: dict[tuple, list[Draft]] = {}
    for draft in _drafts(graph):
        merged.setdefault((draft.loc, draft.symbol, draft.key, draft.severity), []).append(draft)
    for drafts in merged.values():
        first = drafts[0]
        if len(drafts) == 1:
            yield first
            continue
        others = ", ".join(d.arch for d in drafts[1:] if d.arch)
        yield replace(first, message=f"{first.message} (also {others}, which read the same lines)")


def _drafts(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        table = graph.table(abi)
        if graph.facts.table_kind.get(abi) != "positional" or not table:
            continue
        positions = {entry.position for entry in table}
        index = graph.number_index(abi)
        real = [entry for entry in table if entry.syscall is not None]
        last = max(real, key=lambda e: e.position) if real else table[-1]
        # padding: the holes after the last real entry that one repeated line emits
        # (arm's calls.S: ``.rept syscalls_padding`` / ``CALL(sys_ni_syscall)``),
        # not holes written one by one for numbers kept unimplemented
        lines = Counter(entry.loc for entry in table)
        padded = {entry.position for entry in table
                  if entry.position > last.position and lines[entry.loc] > 1}
        for num in graph.numbers(abi):
            # a number in the padding has lost its entry
            padding = num.number in padded
            if num.number not in positions or padding:
                severity, why = gate_severity(gate_possible(graph, num.name, abi),
                                              graph.abi(abi).kconfig_arch)
                where = "no entry at that position" if not padding else \
                    "only padding there: its last entry is at " + str(last.position)
                yield Draft(f"__NR_{num.name} is {num.number}, but the {abi} table has {where}"
                            f"{why}", num.loc, (Related(last.loc, "the table's last entry is here"),),
                            abi, num.name, key="no-entry", severity=severity)
        for entry in table:
            if entry.syscall is not None and entry.position not in index:
                alias = graph.alias_slot(abi, entry)
                if not alias and entry.syscall in graph.name_index(abi):
                    continue  # numbered elsewhere: CKL101 reports the entry out of place
                also = (f"; a second slot for {entry.syscall}, which is also at its own number"
                        if alias else "")
                yield Draft(f"{entry.entry} is at position {entry.position}, but no __NR_ "
                            f"is defined as {entry.position}{also}", entry.loc, arch=abi,
                            symbol=entry.syscall, key="no-number",
                            severity="note" if alias else None)
