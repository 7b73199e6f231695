"""A compat column calls a native function with arguments where its table uses wrappers.

What it checks:
    Some compat columns reach every syscall that takes arguments through a
    wrapper that first extends them from 32 (or 31) bits: 2.6's s390
    ``SYSCALL(sys_x, sys_x, sys32_x_wrapper)``. Where a column does that for
    most syscalls with arguments (four in five or more), a row whose compat
    entry is the plain native ``sys_x`` of a syscall that takes arguments
    (as its definitions for that arch say) has lost its wrapper. A
    syscall without arguments (``sys_getpid``) needs none.

Why it matters:
    The native function then sees the upper halves of the registers as a
    31-bit process left them: pointers with the high bit set, unsigned
    values that are not zero-extended. 2.6.24's s390 table had
    ``sys_tkill`` and ``sys_tgkill`` in the 31-bit column (fixed by
    "[S390] Add missing compat system call wrappers").

Example:
    arch/s390/kernel/syscalls.S: ``SYSCALL(sys_tkill,sys_tkill,sys_tkill)``

Fix:
    Add the wrapper (compat_wrapper.S) and name it in the compat column.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, plural

ID = "CKL109"
NAME = "compat-missing-wrapper"
SEVERITY = "error"
SUMMARY = "A compat column that wraps its syscalls calls one with arguments directly"
REQUIRES = frozenset({"tables", "definitions"})

#: Share of the column's syscalls with arguments that must go through a wrapper.
CONVENTION = 0.8
_NO_CALL = frozenset({"", "sys_ni_syscall", "compat_sys_ni_syscall"})


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) != "positional":
            continue
        srcarch = graph.abi(abi).srcarch
        rows = [(e, _arity(graph, e.entry, srcarch)) for e in graph.table(abi)
                if e.compat and e.compat not in _NO_CALL and e.syscall is not None]
        with_args = [(e, n) for e, n in rows if n]
        wrapped = [e for e, _ in with_args if e.compat.endswith("_wrapper")]
        if len(with_args) < 5 or len(wrapped) < CONVENTION * len(with_args):
            continue  # this column's convention is not to wrap
        for entry, count in with_args:
            if entry.compat == entry.entry and entry.compat.startswith("sys_"):
                yield Draft(f"the compat column calls {entry.compat} directly, but it takes "
                            f"{count} argument{'s' if count > 1 else ''} and this column wraps "
                            f"{len(wrapped)} of its {plural(len(with_args), 'syscall')} with arguments to "
                            f"extend them: {entry.compat.removeprefix('sys_')}'s wrapper is missing",
                            entry.loc, arch=abi, symbol=entry.syscall, key=entry.compat)


def _arity(graph, function: str, srcarch: str) -> int | None:
    """How many arguments ``function`` takes on ``srcarch`` (None when its definitions
    that arch builds disagree or say nothing)."""
    counts = set()
    for definition in graph.entry_definitions(function):
        path = definition.loc.path
        if path.startswith("arch/") and not path.startswith(f"arch/{srcarch}/"):
            continue
        if definition.arity is not None:
            counts.add(definition.arity)
        elif definition.params is not None:
            counts.add(len(definition.params))
    return counts.pop() if len(counts) == 1 else None
