"""A 64-bit ABI's native table calls a compat entry point.

What it checks:
    Each slot of the native table of a 64-bit ABI (x86_64, arm64, ppc64,
    s390x, sparc64, mips n64, riscv64, parisc-64, alpha, ia64, loongarch)
    whose entry is a ``compat_`` function. Compat tables, compat columns
    and the ABIs whose callers are 32-bit although the kernel is 64-bit
    (x32, mips n32, ia32, 2.6's mips64-o32) are theirs to call, and so are
    alpha's ``osf_*`` slots, which emulate OSF/1's 32-bit ``timeval``
    (``osf_getitimer`` calls ``compat_sys_getitimer``).

Why it matters:
    A compat entry point reads its caller's structures and pointers with
    32-bit layouts. Called from a 64-bit process, ``compat_sys_newfstatat``
    fills in a ``struct compat_stat``, which the caller reads as a 64-bit
    ``struct stat``. The build does not notice: the compat code is built
    whenever ``COMPAT`` is on.

Example:
    arch/sparc64/kernel/systbls.S (2.6.24), in the 64-bit table::

        .word sys_futimesat, compat_sys_newfstatat

Fix:
    Call the native ``sys_x`` from the native table; the compat entry
    belongs in the compat table (or the compat column).
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.abi.model import word_bits
from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import COMPAT_TABLES

ID = "CKL113"
NAME = "native-calls-compat"
SEVERITY = "error"
SUMMARY = "A 64-bit ABI's native table calls a compat entry point"
REQUIRES = frozenset({"tables", "definitions"})

#: 64-bit kernels' ABIs whose callers are 32-bit (or have 32-bit pointers): compat
#: entry points are theirs (x32 rows, mips n32, the SPU's own table).
_NOT_LP64 = COMPAT_TABLES | {"x32", "ia32", "spu"}


def native_compat_slots(graph) -> list:
    """(ABI, entry) for each slot of a 64-bit ABI's native table (its native column)
    that calls a compat entry point (``compat_sys_x``): a 64-bit caller would have its
    arguments read with 32-bit layouts (sparc64 2.6.24's newfstatat, 642fe301c3f)."""
    memo = graph.__dict__.get("_native_compat")
    if memo is not None:
        return memo
    out = []
    for abi in graph.abis():
        info = graph.abi(abi)
        if info.is_compat_view or info.is_view or abi in _NOT_LP64 or word_bits(abi) != 64:
            continue
        for entry in graph.table(abi):
            if entry.syscall is not None and entry.entry.startswith("compat_") \
                    and not (entry.nr_name or "").startswith("osf_"):
                out.append((abi, entry))  # alpha's osf_* slots emulate OSF/1's 32-bit layouts
    graph.__dict__["_native_compat"] = out
    return out


def check(graph) -> Iterator[Draft]:
    for abi, entry in native_compat_slots(graph):
        native = "sys_" + entry.entry[len("compat_"):].removeprefix("sys_")
        defined = [d for d in graph.definitions(native) if d.kind != "asm"]
        related = [Related(d.loc, f"{d.function} is defined here") for d in
                   [d for d in graph.definitions(entry.entry) if d.kind != "asm"][:1]]
        meant = ""
        if defined:
            meant = f"; did you mean {native}?"
            related.append(Related(defined[0].loc, f"{native} is defined here"))
        yield Draft(f"the {abi} table calls {entry.entry}, a compat entry point: a 64-bit "
                    f"caller's arguments would be read with 32-bit layouts{meant}",
                    entry.loc, tuple(related), arch=abi, symbol=entry.syscall, key=entry.entry)
