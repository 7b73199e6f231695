"""A new syscall is wired for one ABI of an arch but not for its sibling.

What it checks:
    For arches with several ABIs (i386 and x86_64 share ``arch/x86``), a
    syscall numbered in one ABI's *new tail* (above the highest number of
    a syscall both ABIs share) is numbered in the other ABI too. Older
    differences are the ABIs' settled history. Three secondary ABIs take
    every new call of a sibling and are held to it in that direction: x32
    to x86_64, mips n32 to n64, and arm64's compat table (a copy of arm's)
    to arm. Other compat ABIs (ia32, x32,
    *-compat) are left to the table checks, which hold them to the numbering
    they share (i386's ``socketcall``,
    x86_64's ``socket``) and are not reported. A socket or SysV IPC call that
    the other ABI reaches through its ``socketcall`` or ``ipc`` multiplexer
    (``SYS_ACCEPT4`` in linux/net.h) counts as wired there.

    A warning is at the other ABI's numbers, after the nearest call both
    ABIs have (where the missing line goes), with the wired ABI's number as
    its related line. The finding is a note, at the wired number, when the
    syscall's gate (the Kconfig condition of its defining object) cannot be
    enabled on the other ABI, which is the checkpoint/restart case:
    ``CHECKPOINT_SUPPORT`` is ``default y if X86_32``.

Why it matters:
    A syscall added for one ABI only is usually a forgotten hunk, and user
    space on the other ABI gets ``ENOSYS`` with no number to even try.

Example:
    ``__NR_checkpoint`` 339 in unistd_32.h, nothing in unistd_64.h.

Fix:
    Number and wire the syscall for the other ABI as well, or make the
    feature unavailable there on purpose (so that this is only a note).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ckptlint.facts import Location
from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import compared_with_i386, gate_possible, gate_severity

ID = "CKL601"
NAME = "cross-abi-wiring"
SEVERITY = "warning"
SUMMARY = "A new syscall is wired for one ABI of an arch but not for its sibling"
REQUIRES = frozenset({"numbers", "tables", "definitions", "kbuild", "kconfig"})


def check(graph) -> Iterator[Draft]:
    by_srcarch = defaultdict(list)
    for abi in graph.abis():
        if graph.numbers(abi) and not graph.abi(abi).is_secondary:
            by_srcarch[graph.abi(abi).srcarch].append(abi)
    multiplexed = _multiplexed(graph)
    for abis in by_srcarch.values():
        for have in abis:
            for lack in abis:
                if have != lack:
                    yield from _compare(graph, have, lack, multiplexed)
    for have, lack in MIRRORS:
        if graph.numbers(have) and graph.numbers(lack):
            yield from _compare(graph, have, lack, multiplexed)


#: (ABI, the secondary ABI that takes every new call of it), compared in that direction
#: only (x32's own 512+ rows, for instance, are x32's): a row left out of syscall_64.tbl's
#: x32 view (``64`` for ``common``), of mips' n32 table, or of arm64's copy of arm's table.
MIRRORS = (("x86_64", "x32"), ("mips-n64", "mips-n32"), ("arm", "arm64-compat"))


def _compare(graph, have: str, lack: str, multiplexed: dict[str, set[str]]) -> Iterator[Draft]:
    mine, theirs = graph.name_index(have), graph.name_index(lack)
    shared = [num.number for name, num in mine.items() if name in theirs]
    if not shared:
        return
    tail_start = max(shared)
    reached = set().union(*(calls for via, calls in multiplexed.items() if via in theirs))
    for name, num in sorted(mine.items(), key=lambda item: item[1].number):
        if num.number <= tail_start or name in theirs or name in graph.facts.ignored.get(lack, {}):
            continue
        if name in reached:  # i386 reaches a new socket call through socketcall (2.6.27's paccept)
            continue
        if compared_with_i386(graph, name, lack):
            continue  # CKL602 reports it missing there, at that ABI's table: one finding
        severity, why = gate_severity(gate_possible(graph, name, lack), lack)
        if severity is None:  # a forgotten hunk: at the file it is missing from
            yield Draft(f"{name} is wired for {have} but not for {lack}{why}",
                        _where(mine, theirs, num),
                        (Related(num.loc, f"{have} numbers it {num.number} here"),),
                        arch=lack, symbol=name, key=f"{have}->{lack}")
        else:  # nothing to add there: the note stays with the call that is wired
            yield Draft(f"{name} is wired for {have} but not for {lack}{why}", num.loc,
                        arch=lack, symbol=name, severity=severity, key=f"{have}->{lack}")


def _where(mine, theirs, num) -> Location:
    """Where ``lack`` would number the call: at its line for the nearest call below
    it in ``have``'s numbering that both ABIs have (the file a person edits)."""
    below = [other for name, other in mine.items() if name in theirs and other.number < num.number]
    if not below:
        return num.loc
    return theirs[max(below, key=lambda other: (other.number, other.loc.line)).name].loc


#: The multiplexers and the headers that number the calls they reach: ``SYS_ACCEPT4``
#: is ``socketcall``'s 18 (linux/net.h), ``SEMTIMEDOP`` is ``ipc``'s 4 (linux/ipc.h).
_MULTIPLEXERS = (("socketcall", ("include/uapi/linux/net.h", "include/linux/net.h"),
                  re.compile(r"^\s*#\s*define\s+SYS_([A-Z0-9_]+)\s+\d+", re.M)),
                 ("ipc", ("include/uapi/linux/ipc.h", "include/linux/ipc.h"),
                  re.compile(r"^\s*#\s*define\s+((?:SEM|MSG|SHM)[A-Z]+)\s+\d+\b", re.M)))
#: ipc call names that are not syscalls of their own (``SEMCTL``'s ``IPC_64`` and the like).
_NOT_CALLS = frozenset({"semstat", "msgstat", "shmstat", "shm_lock", "shm_unlock"})


def _multiplexed(graph) -> dict[str, set[str]]:
    """Syscalls an ABI reaches through a multiplexer it has, by multiplexer: a call the
    sibling ABI numbers and this one reaches that way is wired (scripts/checksyscalls.sh
    ignores them likewise where ``__NR_socketcall`` or ``__NR_ipc`` exists)."""
    out: dict[str, set[str]] = {}
    for via, headers, pattern in _MULTIPLEXERS:
        names: set[str] = set()
        for header in headers:
            names |= {name.lower() for name in pattern.findall(graph.source_text(header) or "")}
        out[via] = names - _NOT_CALLS
    return out
