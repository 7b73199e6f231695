"""An ``__NR_x`` in a paired header lacks its ``__SYSCALL(__NR_x, entry)``.

What it checks:
    In headers that build the table from pairs (2.6-era x86_64
    ``unistd_64.h``, ``asm-generic/unistd.h``), every ``__NR_x`` is
    followed by a ``__SYSCALL`` naming it, and every ``__SYSCALL`` names
    an ``__NR_`` that exists.

Why it matters:
    The table is generated from the ``__SYSCALL`` lines; a number without
    one leaves a zero slot (a jump to address 0), and a ``__SYSCALL`` with
    an unknown number does not compile.

Example:
    arch/x86/include/asm/unistd_64.h::

        #define __NR_checkpoint 301
        #define __NR_restart    302
        __SYSCALL(__NR_restart, sys_restart)

Fix:
    Add ``__SYSCALL(__NR_checkpoint, sys_checkpoint)`` under its define.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL105"
NAME = "missing-syscall-pair"
SEVERITY = "error"
SUMMARY = "An __NR_ in a paired header lacks its __SYSCALL(), or the reverse"
REQUIRES = frozenset({"numbers", "tables"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) != "pairs":
            continue
        paired = {entry.nr_name for entry in graph.table(abi)}
        names = graph.name_index(abi)
        for num in graph.numbers(abi):
            if num.name not in paired:
                yield Draft(f"__NR_{num.name} has no __SYSCALL(__NR_{num.name}, ...) line",
                            num.loc, arch=abi, symbol=num.name, key="no-pair")
        for entry in graph.table(abi):
            if entry.nr_name is None:
                continue  # ``__SYSCALL(7, sys_ni_syscall)``: a literal number, no name to pair
            if entry.nr_name not in names:
                yield Draft(f"__SYSCALL names __NR_{entry.nr_name}, which is not defined",
                            entry.loc, arch=abi, symbol=entry.nr_name, key="no-number")
