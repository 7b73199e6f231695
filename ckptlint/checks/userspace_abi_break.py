"""A change breaks the userspace ABI of a syscall that the base tree already has.

What it checks:
    Only where there is a base to compare with: in series mode
    (``check --base``, against the series' base commit), in ``check-patch``
    (against the tree before the patch) and with ``--staged`` (against
    ``HEAD``). Every syscall the base numbers is compared per ABI with the
    head: its number, its presence (a removed number, or one that became a
    ``sys_ni_syscall`` hole), the call behind its table entry (another
    syscall, or native against compat; a trampoline respelling such as
    ``ptregs_fork`` to ``sys_fork`` is not a change), and its definition's
    signature once typedefs are resolved: arity, and each argument's pointer
    versus value, width and signedness on that ABI's word size (``int`` is
    32-bit signed, ``unsigned long`` and ``size_t`` word-sized unsigned,
    ``pid_t`` is ``int``). The finding lists the ABIs. A syscall that the
    series itself added is not in the base and is exempt; an argument whose
    type cannot be placed (a ``struct`` by value, an ``enum``, an
    arch-dependent typedef) derives nothing. ``ckptlint abi-diff`` prints the
    whole difference.

Why it matters:
    A change made to the prototype and the definition together passes every
    wiring check, yet a released syscall's number, presence and argument
    registers are what every userspace binary already calls. The checkpoint
    series changed its own syscalls twice (v16: ``pid_t`` first argument;
    v19: ``int logfd`` added). 6.12 changed riscv64's and loongarch's
    ``mmap`` offset from ``off_t`` to ``unsigned long``: a signedness change
    on a released ABI (docs/abi-diff-6.1-6.12.md).

Example:
    fs/fcntl.c: ``SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int,
    newfd, unsigned long, flags)`` where the base had ``int, flags``:
    argument 3 is 64-bit unsigned instead of 32-bit signed on x86_64.

Fix:
    Keep the released interface: add a new syscall (or a flag) instead of
    changing the old one, and keep retired numbers as ``sys_ni_syscall``
    holes only when the call really is withdrawn.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.abi.diff import diff
from ckptlint.abi.snapshot import FACTS, take
from ckptlint.findings import Draft, Related

ID = "CKL701"
NAME = "userspace-abi-break"
SEVERITY = "error"
SUMMARY = "A change breaks a released syscall's userspace ABI"
REQUIRES = FACTS


def check(graph) -> Iterator[Draft]:
    base = graph.facts.abi_base  # set by series, check-patch, --staged
    if base is None:
        return
    result = diff(base, take(graph))
    groups: dict[tuple, list] = {}
    for change in result.breaks():
        if _moved(base, change):
            continue  # a swapped or shifted slot: CKL101's finding, at the table line
        groups.setdefault((change.name, change.kind, _where(change)), []).append(change)
    for (name, kind, loc), changes in sorted(groups.items(), key=lambda g: (g[0][2], g[0][0])):
        details: dict[str, list[str]] = {}
        for change in changes:
            details.setdefault(change.detail, []).append(change.abi)
        every = len(changes) == sum(1 for calls in base.calls.values() if name in calls)
        text = "; ".join(f"{detail} on {_abis(abis, every and len(details) == 1)}"
                         for detail, abis in sorted(details.items()))
        first = changes[0].old
        related = ((Related(first.defined_at, "the base defines it here"),)
                   if kind == "signature" and first.defined_at is not None
                   else (Related(first.number_at, f"the base numbers it {first.number} here"),))
        yield Draft(f"userspace ABI break: {name}: {text}", loc, related, symbol=name,
                    key=f"{kind}:{name}:{text}")


def _moved(base, change) -> bool:
    """Whether the slot now calls what the base called from another number of the same ABI:
    the table is no longer self-consistent (a swap, a shift), which CKL101 reports where a
    person must edit; the new entry's signature and name are echoes of that one mistake."""
    new = change.new
    if change.kind not in ("entry", "signature") or new is None or not new.entry:
        return False
    where = base.positions.get(change.abi, {}).get(new.entry)
    return bool(where) and new.number not in where


def _abis(abis: list[str], every: bool) -> str:
    return f"every ABI that has it ({', '.join(sorted(abis))})" if every and len(abis) > 2 \
        else ", ".join(sorted(abis))


def _where(change):
    """The head's line that made the change (the base's for a removal)."""
    new = change.new
    if change.kind == "signature" and new is not None and new.defined_at is not None:
        return new.defined_at
    if change.kind == "entry" and new is not None and new.entry_at is not None:
        return new.entry_at
    if change.kind == "removed" and new is not None:
        return new.entry_at or new.number_at
    if change.kind == "renumbered":
        return new.number_at
    return change.old.number_at
