"""Two ``__NR_`` names share a number, or one name is numbered twice.

What it checks:
    Within one ABI's unistd header, every ``__NR_x`` has a number of its own
    and every name is defined once.

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

import re
from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL001"
NAME = "duplicate-syscall-number"
SEVERITY = "error"
SUMMARY = "Two __NR_ names share a number, or one name is numbered twice"
REQUIRES = frozenset({"numbers"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        by_number: dict = {}
        by_name: dict = {}
        for num in graph.numbers(abi):
            first = by_name.get(num.name)
            if first is not None:
                if first.number != num.number:
                    yield Draft(f"__NR_{num.name} is defined again as {num.number} "
                                f"(first as {first.number})", num.loc,
                                (Related(first.loc, "first definition"),), abi, num.name)
                continue
            by_name[num.name] = num
            other = by_number.get(num.number)
            if other is not None and not _alias(graph, abi, num, other):
                yield Draft(f"__NR_{num.name} reuses number {num.number} of __NR_{other.name}",
                            num.loc, (Related(other.loc, f"__NR_{other.name} is here"),),
                            abi, num.name)
            elif other is None:
                by_number[num.number] = num


def _alias(graph, abi: str, num, other) -> bool:
    """Whether ``num`` is only another name for ``other``'s slot.

    Either the header says so (arm: ``#define __NR_sync_file_range2
    __NR_arm_sync_file_range``), or the new name is called nowhere and the
    slot runs ``other``'s call or is a hole (i386's and h8300's
    ``__NR_madvise1``, 219 like ``__NR_madvise``; h8300 has no madvise).
    """
    lines = graph.source_lines(num.loc.path)
    if 0 < num.loc.line <= len(lines) and re.match(
            rf"\s*#\s*define\s+__NR_{re.escape(num.name)}\s+\(?\s*__NR_{re.escape(other.name)}\s*\)?\s*(?:/\*.*)?$",
            lines[num.loc.line - 1]):
        return True
    called = {e.syscall for e in graph.table(abi)}
    slot = [e for e in graph.table(abi) if e.position == other.number]
    return num.name not in called and bool(slot) and all(
        e.syscall == other.name or e.syscall is None for e in slot)
