"""Where a positional table's entries sit against their syscalls' numbers: which
positions hold an entry that belongs elsewhere (shifted, misplaced, swapped), and
which names are legacy variants of one call (``old_readdir``, ``getrlimit``)."""

from __future__ import annotations

import re


def out_of_place(graph, abi: str) -> set[int]:
    """Positions of an ABI's positional table whose entry belongs elsewhere (shifted,
    misplaced or swapped): the numbers whose calls a CKL101 finding displaces."""
    if graph.facts.table_kind.get(abi) != "positional":
        return set()
    names, numbers = graph.name_index(abi), graph.number_index(abi)
    by_position = {entry.position: entry for entry in graph.table(abi)}
    homes_of = homes(numbers)
    out = set()
    for entry in graph.table(abi):
        num, delta = placement(graph, abi, entry, names, numbers)
        if delta not in (0, None) or swap_partner(entry, num, by_position, numbers,
                                                   homes_of) is not None:
            out.add(entry.position)
    return out


def placement(graph, abi: str, entry, names, numbers):
    """(the __NR_ of the entry's syscall, its offset from the entry's position):
    (None, 0) for an entry where it belongs (its own number, a legacy variant of
    the slot's name), (None, None) when that cannot be told (no number, or an
    alias kept for old binaries) or when the number is what is wrong (a number
    that collides, whose entry sits at a free slot: see :func:`renumbered`)."""
    if entry.syscall is None:
        return None, None
    if variant_slot(entry, numbers.get(entry.position, ())):
        return None, 0
    num = names.get(entry.syscall)
    if num is None or graph.alias_slot(abi, entry) or entry.syscall in renumbered(graph, abi) \
            or entry.syscall in misnumbered(graph, abi):
        return None, None
    return num, entry.position - num.number


def collisions(graph, abi: str):
    """(later, first) for each ``__NR_`` whose number another name already has
    (first definition of each name only; an alias of the first's slot is not one)."""
    memo = graph.__dict__.setdefault("_collisions", {})
    if abi not in memo:
        by_number: dict = {}
        seen: set[str] = set()
        found = []
        for num in graph.numbers(abi):
            if num.name in seen:
                continue
            seen.add(num.name)
            other = by_number.get(num.number)
            if other is None:
                by_number[num.number] = num
            elif not _alias(graph, abi, num, other):
                found.append((num, other))
        memo[abi] = found
    return memo[abi]


def renumbered(graph, abi: str) -> dict:
    """Colliding names whose positional-table entry sits at a slot no ``__NR_`` has:
    name -> that entry. The table says which number was meant (a rebase that
    kept a taken number, the table and ``NR_syscalls`` bumped past it), so the
    number is the one mistake (CKL001), not the entry's place (CKL101) or the
    count (CKL003)."""
    memo = graph.__dict__.setdefault("_renumbered", {})
    if abi not in memo:
        found = {}
        if graph.facts.table_kind.get(abi) == "positional":
            numbers = graph.number_index(abi)
            pairs = collisions(graph, abi)
            involved = {num.name for pair in pairs for num in pair}
            entries: dict[str, list] = {}
            for entry in graph.table(abi):
                if entry.syscall in involved:
                    entries.setdefault(entry.syscall, []).append(entry)
            for pair in pairs:
                # either name may be the typo: sh64's __NR_fgetxattr 269 (meant 259, where
                # its entry is) collides with the later, right __NR_sched_setaffinity 269
                for num in pair:
                    placed = entries.get(num.name, [])
                    if len(placed) == 1 and placed[0].position not in numbers:
                        found[num.name] = placed[0]
                        break
        memo[abi] = found
    return memo[abi]


def misnumbered(graph, abi: str) -> dict:
    """Names (colliding with none) whose positional-table entry sits at a slot no
    ``__NR_`` has while no entry sits at their own number: name -> that entry. The
    table says which number was meant (eclone's ``__NR_SYSCALL_BASE+367`` on arm,
    whose calls.S has it at 366): one finding at the number (CKL101), not a gap
    (CKL002) and a shifted entry."""
    memo = graph.__dict__.setdefault("_misnumbered", {})
    if abi not in memo:
        found = {}
        if graph.facts.table_kind.get(abi) == "positional":
            numbers = graph.number_index(abi)
            names = graph.name_index(abi)
            colliding = {num.name for pair in collisions(graph, abi) for num in pair}
            positions = {entry.position for entry in graph.table(abi)}
            entries: dict[str, list] = {}
            for entry in graph.table(abi):
                if entry.syscall in names and entry.syscall not in colliding:
                    entries.setdefault(entry.syscall, []).append(entry)
            for name, placed in entries.items():
                own = names[name].number
                if len(placed) == 1 and placed[0].position not in numbers \
                        and own not in positions and not graph.alias_slot(abi, placed[0]):
                    found[name] = placed[0]
        memo[abi] = found
    return memo[abi]


def meant_slots(graph, abi: str) -> dict:
    """name -> entry for every number the table shows was meant to be another
    (:func:`renumbered` and :func:`misnumbered`)."""
    return {**misnumbered(graph, abi), **renumbered(graph, abi)}


def _alias(graph, abi: str, num, other) -> bool:
    """Whether ``num`` is only another name for ``other``'s slot.

    Either the header says so (arm: ``#define __NR_sync_file_range2
    __NR_arm_sync_file_range``), or the new name is called nowhere and the
    slot runs ``other``'s call or is a hole (i386's and h8300's
    ``__NR_madvise1``, 219 like ``__NR_madvise``; h8300 has no madvise).
    """
    lines = graph.source_lines(num.loc.path)
    if 0 < num.loc.line <= len(lines) and re.match(
            rf"\s*#\s*define\s+__NR_{re.escape(num.name)}\s+\(?\s*__NR_{re.escape(other.name)}\s*\)?\s*(?:/\*.*)?$",
            lines[num.loc.line - 1]):
        return True
    called = {e.syscall for e in graph.table(abi)}
    slot = [e for e in graph.table(abi) if e.position == other.number]
    return num.name not in called and bool(slot) and all(
        e.syscall == other.name or e.syscall is None for e in slot)


def swap_partner(entry, num, by_position, numbers, homes_of):
    """The slot that exchanged places with ``entry``: the one where its call belongs,
    holding the call that belongs here (variants count on both sides: i386's
    ``sys_mount`` at 22 and ``sys_oldumount`` at 21, where __NR_umount is 22;
    h8300's ``sys_chown`` at 198, ``__NR_lchown32``, and ``sys_lchown`` at 212,
    ``__NR_chown32``)."""
    if entry.syscall is None or variant_slot(entry, numbers.get(entry.position, ())):
        return None
    homes = [num.number] if num is not None else []
    homes += [p for p in homes_of(entry.syscall) if p not in homes]
    for home in homes:
        other = by_position.get(home)
        if other is not None and other.position != entry.position and other.syscall is not None \
                and not variant_slot(other, numbers.get(home, ())) \
                and variant_slot(other, numbers.get(entry.position, ())):
            return other
    return None


def homes(numbers):
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


def variant_slot(entry, here) -> bool:
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
