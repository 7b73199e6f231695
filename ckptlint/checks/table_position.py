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


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        if graph.facts.table_kind.get(abi) == "positional":
            yield from _check_table(graph, abi)


def _check_table(graph, abi: str) -> Iterator[Draft]:
    names = graph.name_index(abi)
    numbers = graph.number_index(abi)
    table = graph.table(abi)
    by_position = {entry.position: entry for entry in table}
    placed = [(entry, *_placement(graph, abi, entry, names, numbers)) for entry in table]
    homes_of = _homes(numbers)
    shift = 0
    swapped: set[int] = set()
    for index, (entry, num, delta) in enumerate(placed):
        if entry.position in swapped:
            continue
        partner = _swap_partner(entry, num, by_position, numbers, homes_of)
        if partner is not None:
            swapped |= {entry.position, partner.position}
            yield _swap(abi, entry, partner, numbers)
            continue
        if delta is None:
            continue
        if num is not None and delta != shift:
            if _next_delta(placed, index) == shift:
                yield _misplaced(graph, abi, entry, num, numbers)
                continue  # one entry out of place; the ones after it are where they were
            yield Draft(_message(entry, num, delta), entry.loc,
                        (Related(num.loc, f"__NR_{num.name} is {num.number}"),),
                        abi, num.name, key=f"shift{delta:+d}")
        shift = delta


def out_of_place(graph, abi: str) -> set[int]:
    """Positions of an ABI's positional table whose entry belongs elsewhere (shifted,
    misplaced or swapped): the numbers whose calls a CKL101 finding displaces."""
    if graph.facts.table_kind.get(abi) != "positional":
        return set()
    names, numbers = graph.name_index(abi), graph.number_index(abi)
    by_position = {entry.position: entry for entry in graph.table(abi)}
    homes_of = _homes(numbers)
    out = set()
    for entry in graph.table(abi):
        num, delta = _placement(graph, abi, entry, names, numbers)
        if delta not in (0, None) or _swap_partner(entry, num, by_position, numbers,
                                                   homes_of) is not None:
            out.add(entry.position)
    return out


def _placement(graph, abi: str, entry, names, numbers):
    """(the __NR_ of the entry's syscall, its offset from the entry's position):
    (None, 0) for an entry where it belongs (its own number, a legacy variant of
    the slot's name), (None, None) when that cannot be told (no number, or an
    alias kept for old binaries)."""
    if entry.syscall is None:
        return None, None
    if _variant_slot(entry, numbers.get(entry.position, ())):
        return None, 0
    num = names.get(entry.syscall)
    if num is None or graph.alias_slot(abi, entry):
        return None, None
    return num, entry.position - num.number


def _next_delta(placed, index: int) -> int | None:
    """The offset of the next entry whose place is known (None at the table's end)."""
    for _entry, _num, delta in placed[index + 1:]:
        if delta is not None:
            return delta
    return None


def _swap_partner(entry, num, by_position, numbers, homes_of):
    """The slot that exchanged places with ``entry``: the one where its call belongs,
    holding the call that belongs here (variants count on both sides: i386's
    ``sys_mount`` at 22 and ``sys_oldumount`` at 21, where __NR_umount is 22;
    h8300's ``sys_chown`` at 198, ``__NR_lchown32``, and ``sys_lchown`` at 212,
    ``__NR_chown32``)."""
    if entry.syscall is None or _variant_slot(entry, numbers.get(entry.position, ())):
        return None
    homes = [num.number] if num is not None else []
    homes += [p for p in homes_of(entry.syscall) if p not in homes]
    for home in homes:
        other = by_position.get(home)
        if other is not None and other.position != entry.position and other.syscall is not None \
                and not _variant_slot(other, numbers.get(home, ())) \
                and _variant_slot(other, numbers.get(entry.position, ())):
            return other
    return None


def _homes(numbers):
    """syscall -> the positions whose __NR_ names it or a legacy variant of it, in order."""
    index: dict[str, set[int]] = {}
    for position, here in numbers.items():
        for num in here:
            for name in _stripped(num.name):
                index.setdefault(name, set()).add(position)

    def homes_of(syscall: str) -> list[int]:
        found = set().union(*(index.get(name, ()) for name in _stripped(syscall)))
        return sorted(p for p in found if any(variant_of(syscall, n.name) for n in numbers[p]))
    return homes_of


def _swap(abi: str, entry, other, numbers) -> Draft:
    """One finding for two entries that exchanged places, at the first of them."""
    first, second = sorted((entry, other), key=lambda e: (e.loc.line, e.position))
    here = numbers.get(first.position, ())
    there = numbers.get(second.position, ())
    related = [Related(second.loc, f"{second.entry} is here, at {second.position}")]
    related += [Related(n.loc, f"__NR_{n.name} is {n.number}") for n in (*here[:1], *there[:1])]
    def slot(entry, nums) -> str:
        return f"slot {entry.position}{f' (__NR_{nums[0].name})' if nums else ''} calls {entry.entry}"
    return Draft(f"{first.entry} and {second.entry} are swapped: {slot(first, here)}, "
                 f"{slot(second, there)}",
                 first.loc, tuple(related), abi, first.syscall, key=f"swap:{second.syscall}")


def _misplaced(graph, abi: str, entry, num, numbers) -> Draft:
    """One entry in another call's slot, its neighbours where they belong."""
    here = numbers.get(entry.position, ())
    related = [Related(num.loc, f"__NR_{num.name} is {num.number}")]
    meant = ""
    for own in here[:1]:
        related.insert(0, Related(own.loc, f"__NR_{own.name} is {own.number}"))
        defined = [d for d in graph.definitions("sys_" + own.name) if d.kind != "asm"]
        if defined:
            meant = f"; did you mean sys_{own.name}, defined at {defined[0].loc}?"
            related.append(Related(defined[0].loc, f"sys_{own.name} is defined here"))
    where = f", where __NR_{here[0].name} is," if here else ""
    return Draft(f"{entry.entry} is at table position {entry.position}{where} but __NR_{num.name} "
                 f"is {num.number}{meant}", entry.loc, tuple(related), abi, num.name,
                 key=f"shift{entry.position - num.number:+d}")


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
