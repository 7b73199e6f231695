"""Rows of a numbered syscall table (``.tbl``) are out of order.

What it checks:
    In a ``syscall_*.tbl`` (or ``scripts/syscall.tbl``) each row's number is
    greater than the previous row's, for the rows of one ABI. (Equal numbers
    are reported by CKL001.)

Why it matters:
    The generators accept any order, but every reader of the table (and
    every merge of two series that each add a syscall) assumes the file is
    sorted: an out-of-order row is how two patches end up claiming one
    number without anyone noticing in review.

Example:
    arch/x86/entry/syscalls/syscall_64.tbl::

        462  common  mseal    sys_mseal
        458  common  newcall  sys_newcall

Fix:
    Move the row to its place, or renumber it to the next free number.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL106"
NAME = "unsorted-table"
SEVERITY = "warning"
SUMMARY = "Rows of a numbered syscall table are out of order"
REQUIRES = frozenset({"tables"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) != "numbered" or graph.abi(abi).is_view:
            continue
        previous = None
        for entry in sorted(graph.table(abi), key=lambda e: (e.loc.path, e.loc.line)):
            if previous is not None and entry.loc.path == previous.loc.path \
                    and entry.position < previous.position:
                yield Draft(f"{entry.nr_name or entry.entry} ({entry.position}) comes after "
                            f"{previous.nr_name or previous.entry} ({previous.position})", entry.loc,
                            (Related(previous.loc, "previous row"),), arch=abi,
                            symbol=entry.nr_name or entry.syscall, key="unsorted")
            previous = entry
