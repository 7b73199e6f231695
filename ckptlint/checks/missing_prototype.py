"""A wired syscall has no prototype in any syscall header.

What it checks:
    Each generic ``SYSCALL_DEFINEn`` function (outside ``arch/``) that a
    syscall table calls is declared in ``include/linux/syscalls.h`` or an
    arch ``asm/syscalls.h``. Arch-only syscalls are left out: 6.x wrapper
    arches generate their prototypes from the ``.tbl`` at build time.

Why it matters:
    Without a prototype, nothing checks the definition against its other
    users, and sparse warns that the symbol was not declared.

Example:
    checkpoint/sys.c defines ``SYSCALL_DEFINE4(restart, ...)``, the i386
    table calls ``sys_restart``, and no header declares it.

Fix:
    Add ``asmlinkage long sys_restart(...);`` to include/linux/syscalls.h.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL202"
NAME = "missing-prototype"
SEVERITY = "warning"
SUMMARY = "A wired syscall has no prototype in any syscall header"
REQUIRES = frozenset({"tables", "prototypes", "definitions"})


def check(graph) -> Iterator[Draft]:
    if graph.unread("prototypes") is not None:
        return  # a header that could not be read may declare it
    wired = set(graph.wired_entries())
    for definition in graph.facts.definitions:
        if definition.kind != "SYSCALL_DEFINE" or definition.function not in wired \
                or definition.loc.path.startswith("arch/"):
            continue
        if not graph.prototypes(definition.function):
            yield Draft(f"{definition.function} is called from a syscall table but no header "
                        f"declares it", definition.loc, symbol=definition.function,
                        key="no-prototype")
