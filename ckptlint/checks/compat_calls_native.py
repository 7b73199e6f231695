"""A compat table calls the native ``sys_x`` while a compat ``compat_sys_x`` is defined.

What it checks:
    Each compat entry (a compat ABI's table, a compat column, mips n32 and
    the 64-bit kernel's o32 table) that calls a plain ``sys_x`` for which
    generic code also defines ``compat_sys_x``. Many of these are deliberate
    (the structures match on that arch: x86's ia32 ``sys_epoll_pwait``,
    mips n32's 64-bit ``off_t`` for ``sys_open``), and nothing in the tree
    tells the two apart, so the finding is a note: read it when a compat
    table changes (``check --base``/``check-patch`` show the one introduced).

Why it matters:
    A native entry reads a compat caller's structures with 64-bit layout:
    ``struct ustat`` holds an ``ino_t``, and mips n32 and sparc64 once
    called ``sys_ustat`` from their compat tables.

Example:
    arch/mips/kernel/scall64-n32.S: ``PTR sys_ustat`` while scall64-o32.S
    has ``PTR compat_sys_ustat`` and fs/compat.c defines it.

Fix:
    Call ``compat_sys_x`` from the compat table, or say in a comment why the
    native layout matches on that arch.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import compat_calls

ID = "CKL110"
NAME = "compat-calls-native"
SEVERITY = "note"
SUMMARY = "A compat table calls sys_x although generic code defines compat_sys_x"
REQUIRES = frozenset({"tables", "definitions"})

def check(graph) -> Iterator[Draft]:
    generic = {d.function for d in graph.facts.definitions
               if d.function.startswith("compat_sys_") and not d.loc.path.startswith("arch/")}
    calls: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for abi, entry, callee in compat_calls(graph):
        calls[(graph.abi(abi).srcarch, entry.syscall)][callee].append((abi, entry))
    for (srcarch, syscall), by_callee in sorted(calls.items()):
        for callee, uses in sorted(by_callee.items()):
            wanted = f"compat_{callee}"
            if not callee.startswith("sys_") or wanted not in generic:
                continue
            peers = [e for abi, e in by_callee.get(wanted, [])]
            for abi, entry in uses:
                related = [Related(graph.definitions(wanted)[0].loc, f"{wanted} is defined here")]
                related += [Related(p.loc, f"the {p.abi} table calls {wanted} here") for p in peers]
                yield Draft(f"the {abi} compat table calls {callee}, while {wanted} is defined",
                            entry.loc, tuple(related), arch=abi, symbol=syscall, key=callee)

