"""Rows of a numbered syscall table (``.tbl``) are out of order.

What it checks:
    In a ``syscall_*.tbl`` (or ``scripts/syscall.tbl``) each row's number is
    greater than the previous row's, for the rows of one ABI. (Equal numbers
    are reported by CKL001, and so is a row whose number collides.) It is an
    error where the table's script refuses it (6.1+ ``scripts/syscalltbl.sh``:
    "syscall table is not sorted"), a warning where the script sorted the
    rows first (the per-arch scripts of 4.18-5.x).

Why it matters:
    Every reader of the table (and every merge of two series that each add a
    syscall) assumes the file is sorted: an out-of-order row is how two
    patches end up claiming one number without anyone noticing in review,
    and since 6.1 it stops the build.

Example:
    arch/x86/entry/syscalls/syscall_64.tbl::

        462  common  mseal    sys_mseal
        458  common  newcall  sys_newcall

Fix:
    Move the row to its place, or renumber it to the next free number.
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.graph.placement import collisions

ID = "CKL106"
NAME = "unsorted-table"
SEVERITY = "warning"
SUMMARY = "Rows of a numbered syscall table are out of order"
REQUIRES = frozenset({"tables"})


def check(graph) -> Iterator[Draft]:
    refusing: dict[str, bool] = {}
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) != "numbered" or graph.abi(abi).is_view:
            continue
        colliding = {num.name for num, _ in collisions(graph, abi)}  # CKL001's finding
        previous = None
        for entry in sorted(graph.table(abi), key=lambda e: (e.loc.path, e.loc.line)):
            if previous is not None and entry.loc.path == previous.loc.path \
                    and entry.position < previous.position and entry.nr_name not in colliding:
                path = entry.loc.path
                if path not in refusing:
                    refusing[path] = _script_refuses(graph, path)
                why = "; the kernel's scripts/syscalltbl.sh refuses it" if refusing[path] else ""
                yield Draft(f"{entry.nr_name or entry.entry} ({entry.position}) comes after "
                            f"{previous.nr_name or previous.entry} ({previous.position}){why}",
                            entry.loc, (Related(previous.loc, "previous row"),), arch=abi,
                            symbol=entry.nr_name or entry.syscall, key="unsorted",
                            severity="error" if refusing[path] else None)
            previous = entry


_SYSTBL = re.compile(r"^systbl\s*:?=\s*(\S+)", re.M)


def _script_refuses(graph, table: str) -> bool:
    """Whether the script that reads ``table`` stops on a row numbered below the one
    before it (6.1+ ``scripts/syscalltbl.sh``: "syscall table is not sorted"); the
    per-arch scripts of 4.18-5.x sorted the rows first (``sort -n``)."""
    directory = posixpath.dirname(table)
    makefile = graph.source_text(f"{directory}/Makefile")
    match = _SYSTBL.search(makefile)
    if match:
        script = match.group(1).replace("$(srctree)/", "").replace("$(src)", directory)
    elif table == "scripts/syscall.tbl" or graph.source_text("scripts/Makefile.asm-headers"):
        script = "scripts/syscalltbl.sh"  # 6.11+: scripts/Makefile.asm-headers runs it
    else:
        return False
    return "is not sorted" in graph.source_text(script)
