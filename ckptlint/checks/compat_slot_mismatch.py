"""A 64-bit kernel's compat table calls something else than the 32-bit kernel for a number.

What it checks:
    A compat table that is a table of its own (2.6's ia32entry.S beside
    i386's syscall_table_32.S, mips' scall64-o32.S beside scall32-o32.S),
    numbered by the same header as the 32-bit kernel's native table, runs
    for each number the same syscall. A slot that calls a plain native
    function (``sys_x``, not a ``compat_``/``sys32_``/``sys_32_`` wrapper)
    must call what the 32-bit table calls for that number, or what the
    64-bit kernel's own native table calls for that syscall (mips' o32
    ``stat64`` is the 64-bit kernel's ``stat``, ``sys_newstat``: the two
    structures match).

Why it matters:
    32-bit programs get the same number on a 32-bit and on a 64-bit kernel.
    A compat slot that calls a neighbouring generation of the call gives
    them another structure: 2.6.33's ia32 table called ``sys_uname`` (the
    old ``struct old_utsname``) where i386 and x86_64 call ``sys_newuname``.

Example:
    arch/x86/ia32/ia32entry.S: ``.quad sys_uname`` at 122, where
    arch/x86/kernel/syscall_table_32.S has ``.long sys_newuname``.

Fix:
    Call the same syscall as the 32-bit table, through its compat wrapper
    when the structures differ.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.checks.compat_pairing import base_name
from ckptlint.findings import Draft, Related
from ckptlint.graph.abis import family
from ckptlint.graph.placement import same_call, variant_of

ID = "CKL108"
NAME = "compat-slot-mismatch"
SEVERITY = "error"
SUMMARY = "A compat table calls another native syscall than the 32-bit table for a number"
REQUIRES = frozenset({"numbers", "tables"})

#: 2.6 compat tables of their own besides ia32 (abis.Abi.is_compat_view): the o32
#: table of a 64-bit MIPS kernel, numbered like the 32-bit kernel's.
COMPAT_TABLES = frozenset({"mips64-o32"})
#: Prefixes of compat wrappers (their own implementation, checked by name elsewhere).
_COMPAT_PREFIXES = ("compat_", "sys32_", "sys_32_", "sys_ia32_", "stub32_", "ia32_", "sys_oabi_")


def check(graph) -> Iterator[Draft]:
    for compat, native in sorted(same_numbering_pairs(graph)):
        natives = {e.position: e for e in graph.table(native)}
        names = graph.number_index(native)
        wide = _native_64(graph, compat)
        for entry in graph.table(compat):
            other = natives.get(entry.position)
            if other is None or entry.syscall is None or other.syscall is None:
                continue
            if not entry.entry.startswith("sys_") or entry.entry.startswith(_COMPAT_PREFIXES):
                continue
            if entry.entry == other.entry or base_name(entry.entry) == base_name(other.entry):
                continue
            own = graph.name_index(compat).get(entry.syscall)
            if own is not None and own.number != entry.position:
                continue  # a call of another number here: CKL101's finding
            called = [n.name for n in names.get(entry.position, ())]
            if any(variant_of(entry.syscall, c) for c in called) \
                    and not any(variant_of(other.syscall, c) for c in called):
                continue  # the native slot is the one out of place: CKL101 reports it there
            if entry.entry in _wide_entries(graph, wide, called):
                continue  # what the 64-bit kernel itself calls for this syscall
            yield Draft(f"the {compat} slot {entry.position} calls {entry.entry}, the {native} "
                        f"slot of that number calls {other.entry}", entry.loc,
                        (Related(other.loc, f"{native} calls {other.entry} here"),),
                        arch=compat, symbol=entry.syscall, key=f"{entry.entry}:{other.entry}")


def same_numbering_pairs(graph) -> list[tuple[str, str]]:
    """(compat ABI, 32-bit native ABI) pairs of separate positional tables of one arch
    family whose numbers come from the same header and agree (ia32/i386)."""
    positional = [a for a in graph.abis() if graph.facts.table_kind.get(a) == "positional"]
    out = []
    for compat in positional:
        info = graph.abi(compat)
        if not (info.is_compat_view or compat in COMPAT_TABLES):
            continue
        mine = {(n.name, n.number) for n in graph.numbers(compat)}
        for native in positional:
            other = graph.abi(native)
            if native == compat or other.is_secondary or family(other.srcarch) != family(info.srcarch):
                continue
            theirs = {(n.name, n.number) for n in graph.numbers(native)}
            if mine and len(mine & theirs) >= 0.9 * max(len(mine), len(theirs)):
                if graph.table(compat) and graph.table(native) \
                        and graph.table(compat)[0].loc.path != graph.table(native)[0].loc.path:
                    out.append((compat, native))
    return out


def _wide_entries(graph, wide: list[str], names: list[str]) -> set[str]:
    """What the 64-bit kernel's native tables call for syscalls named like ``names``
    or a legacy variant of them (o32's ``stat64`` is n64's ``stat``)."""
    out: set[str] = set()
    for label in wide:
        slots = {e.position: e.entry for e in graph.table(label)}
        for number in graph.numbers(label):
            if any(same_call(number.name, name) for name in names) and number.number in slots:
                out.add(slots[number.number])
    return out


def _native_64(graph, compat: str) -> list[str]:
    """The native ABIs of the 64-bit kernel that builds ``compat`` (x86_64, mips-n64)."""
    info = graph.abi(compat)
    return [a for a in graph.abis() if a != compat and not graph.abi(a).is_secondary
            and graph.abi(a).kconfig_arch == info.kconfig_arch]
