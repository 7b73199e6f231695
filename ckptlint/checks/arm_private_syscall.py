"""An ARM private syscall is numbered but not dispatched, or numbered differently by arm64.

What it checks:
    ARM's private syscalls (``__ARM_NR_cacheflush`` = ``__ARM_NR_BASE + 2``
    and its siblings) have no table: ``arm_syscall()`` in
    arch/arm/kernel/traps.c dispatches them with ``case NR(x):``, and arm64's
    ``compat_arm_syscall()`` serves the ones 32-bit binaries need on a 64-bit
    kernel, numbered by its own ``__ARM_NR_compat_x``. Each number has its
    case, and arm64's compat number of a call is arm's number of it.

Why it matters:
    An ARM binary calls ``0x0f0002`` for ``cacheflush``; a number nothing
    dispatches raises SIGILL, and a compat number one off runs another
    private call on arm64.

Example:
    arch/arm64/include/asm/unistd.h: ``#define __ARM_NR_compat_set_tls
    (__ARM_NR_COMPAT_BASE + 6)`` where arm's ``__ARM_NR_set_tls`` is
    ``__ARM_NR_BASE + 5``.

Fix:
    Add the ``case`` to the dispatcher, or correct the number.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL111"
NAME = "arm-private-syscall"
SEVERITY = "error"
SUMMARY = "An ARM private syscall is not dispatched, or arm64 numbers it differently"
REQUIRES = frozenset({"arm_private"})


def check(graph) -> Iterator[Draft]:
    private = graph.facts.arm_private
    arm = {p.name: p for p in private if p.abi == "arm" and p.number is not None}
    for call in private:
        if call.number is not None and call.case is None:
            yield Draft(f"__ARM_NR_{'compat_' if call.abi != 'arm' else ''}{call.name} is the private "
                        f"syscall {call.number:#x} of the base, but nothing dispatches it",
                        call.loc, arch=call.abi, symbol=call.name, key="no-case")
        if call.abi != "arm" and call.number is not None and call.name in arm \
                and arm[call.name].number != call.number:
            other = arm[call.name]
            yield Draft(f"__ARM_NR_compat_{call.name} is base + {call.number:#x}, but arm numbers "
                        f"{call.name} base + {other.number:#x}", call.loc,
                        (Related(other.loc, f"__ARM_NR_{call.name} is here"),),
                        arch=call.abi, symbol=call.name, key="renumbered")
