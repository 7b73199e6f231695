"""A table entry sits at a position other than its syscall's number.

What it checks:
    In a positional table (``.long`` entries, where the Nth entry serves
    syscall N), the entry that calls ``sys_x`` sits at position
    ``__NR_x``. When an insertion or deletion shifts a run of entries,
    only the first entry of the run is reported, with the offset. A slot
    whose own ``__NR_`` is a variant of the entry's name (``__NR_oldstat``
    calling ``sys_stat``) is the ABI's history, not a shift; only the
    affixes old/new/16/32/64/2 make a variant (``oldumount`` is not one of
    ``mount``). Two entries that exchanged places are one finding, a swap.

Why it matters:
    User space calls by number. An entry one slot off makes
    ``syscall(__NR_restart)`` run some other syscall with the same
    registers, which corrupts state rather than failing cleanly.

Example:
    arch/x86/kernel/syscall_table_32.S, with ``__NR_checkpoint`` = 339 and
    ``__NR_restart`` = 340::

        .long ptregs_eclone
        .long sys_ni_syscall     /* stray line: everything below moves */
        .long sys_checkpoint     /* position 340 */
        .long sys_restart        /* position 341 */

Fix:
    Put the entries in number order, one line per number, and keep holes
    as ``sys_ni_syscall``.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL101"
NAME = "table-position-mismatch"
SEVERITY = "error"
SUMMARY = "A table entry sits at a position other than its syscall's number"
REQUIRES = frozenset({"numbers", "tables"})
OPTIONS: dict = {}


def check(graph, options) -> Iterator[Draft]:
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) != "positional":
            continue
        names = graph.name_index(abi)
        numbers = graph.number_index(abi)
        by_position = {entry.position: entry for entry in graph.table(abi)}
        shift = 0
        swapped: set[int] = set()
        for entry in graph.table(abi):
            num = names.get(entry.syscall) if entry.syscall else None
            if num is None or _variant_slot(entry, numbers.get(entry.position, ())) \
                    or graph.alias_slot(abi, entry):
                continue
            delta = entry.position - num.number
            other = by_position.get(num.number)
            back = names.get(other.syscall) if other is not None and other.syscall else None
            if delta and back is not None and back.number == entry.position:
                # two entries exchanged: one mistake, one finding at the first of them
                if entry.position not in swapped:
                    swapped.add(num.number)
                    yield Draft(f"{entry.entry} and {other.entry} are swapped: {entry.entry} is at "
                                f"table position {entry.position}, __NR_{num.name} is {num.number}",
                                entry.loc, (Related(other.loc, f"{other.entry} is here, at "
                                                    f"{other.position}"),
                                            Related(num.loc, f"__NR_{num.name} is {num.number}")),
                                abi, num.name, key=f"swap:{back.name}")
                continue
            if delta != 0 and delta != shift:
                yield Draft(_message(entry, num, delta), entry.loc,
                            (Related(num.loc, f"__NR_{num.name} is {num.number}"),),
                            abi, num.name, key=f"shift{delta:+d}")
            shift = delta


def _variant_slot(entry, here) -> bool:
    """Whether the __NR_ at the entry's own position names a variant of it.

    Old ABIs serve a legacy number with the plain name: i386's slot 18 is
    ``__NR_oldstat`` and calls ``sys_stat``; ``__NR_umount2`` calls
    ``sys_umount``, ``__NR_lchown32`` ``sys_lchown``, ``__NR_oldolduname``
    ``sys_olduname``. A variant differs by one of those affixes only:
    ``oldumount`` is not a variant of ``mount`` (a swap of the two is a swap),
    nor ``pwritev`` of ``writev``.
    """
    return entry.syscall is not None and any(variant_of(entry.syscall, num.name) for num in here)


#: Affixes an ABI's legacy numbers carry (one of each at most).
_LEGACY_PREFIXES = ("old_", "old", "new_", "new")
_LEGACY_SUFFIXES = ("_time32", "_time64", "32", "16", "64", "2")


#: Legacy numbers whose names are no affix of the call (i386's unistd.h, copied by
#: most 32-bit ABIs): ``__NR_ugetrlimit`` (191) is the SUSv2 getrlimit.
_LEGACY_NAMES = {"ugetrlimit": "getrlimit"}


def _stripped(name: str) -> set[str]:
    """``name`` and what it is with one legacy prefix and/or one legacy suffix removed
    (after a leading ``_``: ``_llseek``, ``_newselect``)."""
    out = {name, _LEGACY_NAMES.get(name, name)}
    name = name[1:] if name.startswith("_") and len(name) > 1 else name
    out.add(name)
    for prefix in ("",) + _LEGACY_PREFIXES:
        if not name.startswith(prefix) or len(name) <= len(prefix):
            continue
        rest = name[len(prefix):]
        out.add(rest)
        for suffix in _LEGACY_SUFFIXES:
            if rest.endswith(suffix) and len(rest) > len(suffix):
                out.add(rest[:-len(suffix)])
    return out


def same_call(one: str, other: str) -> bool:
    """Whether two numbers' names are generations of one call (``fstatat64`` and
    ``newfstatat`` are both ``fstatat``)."""
    return bool(_stripped(one) & _stripped(other))


def variant_of(syscall: str, number_name: str) -> bool:
    """Whether two names are one call under the ABI's legacy affixes (``stat``/``oldstat``)."""
    return syscall == number_name or syscall in _stripped(number_name) \
        or number_name in _stripped(syscall)


def _message(entry, num, delta: int) -> str:
    return (f"{entry.entry} is at table position {entry.position}, but __NR_{num.name} is "
            f"{num.number} (entries from here are shifted by {delta:+d})")
