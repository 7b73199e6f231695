"""A syscall the change adds takes arguments but no ``flags``.

What it checks:
    In series mode, ``check-patch`` and ``--staged``, every syscall that the
    head numbers on some ABI and the base numbers on none: when its
    definition takes arguments and none of them is named ``flags`` (or
    ``*_flags``), the change is reported at the definition. A syscall without
    arguments is left alone, and so is one whose definition cannot be read.
    Pristine trees have no base, so this check never reports on them.

Why it matters:
    Documentation/process/adding-syscalls.rst: "Planning for Extension" asks
    a new syscall to take a ``flags`` argument (and to reject unknown bits
    with ``-EINVAL``), because a released syscall cannot change its
    arguments; without one, the first extension needs a second syscall, as
    ``dup2``/``dup3``, ``pipe``/``pipe2``, ``renameat``/``renameat2``,
    ``accept``/``accept4`` did. The checkpoint/restart series added ``int
    logfd`` to ``sys_checkpoint`` in v19-rc1 for the same reason.

Example:
    A series adds ``SYSCALL_DEFINE2(frobnicate, int, fd, const char __user *,
    name)`` and wires ``__NR_frobnicate`` in the tables.

Fix:
    Add an ``unsigned int flags`` argument, and fail with ``-EINVAL`` on any
    bit that is not defined yet.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.abi.snapshot import FACTS, Call, take
from ckptlint.findings import Draft

ID = "CKL704"
NAME = "new-syscall-without-flags"
SEVERITY = "warning"
SUMMARY = "A syscall the change adds takes arguments but no flags"
REQUIRES = FACTS


def check(graph) -> Iterator[Draft]:
    base = graph.facts.abi_base  # set by series, check-patch, --staged
    if base is None:
        return
    known = {name for calls in base.calls.values() for name in calls}
    head = take(graph)
    added: dict[str, list[Call]] = {}
    for abi in head.abis():
        for name, call in head.calls[abi].items():
            if name not in known and call.wired and call.params and call.defined_at is not None:
                added.setdefault(name, []).append(call)
    for name, calls in sorted(added.items()):
        first = representative(calls)
        if any(_is_flags(p.name) for p in first.params):
            continue
        yield Draft(f"new syscall {name} takes {first.signature()} but no flags argument: it "
                    "cannot be extended without another syscall", first.defined_at,
                    symbol=name, key=name)


def representative(calls: list[Call]) -> Call:
    """The call whose definition the finding is about: a native one (2.6.30's preadv in
    fs/read_write.c) before a compat one (fs/compat.c), then the first by place."""
    return min(calls, key=lambda c: (bool(c.entry and c.entry.startswith("compat_")), c.defined_at))


def _is_flags(name: str | None) -> bool:
    return bool(name) and (name == "flags" or name.endswith("_flags") or name == "flag")
