"""A tree's userspace syscall ABI, per ABI, taken from the wiring graph.

For every ABI and every numbered syscall: its number, its table entry (and
compat column), and the parameters of the definition that entry calls. The
snapshot is small and holds no reference to the graph, so the base of a
comparison (series mode, check-patch, --staged, abi-diff) is dropped once
taken.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ckptlint.abi.model import Shape, resolved, shape, word_bits
from ckptlint.facts import Location, Param
from ckptlint.graph.placement import collisions
from ckptlint.naming import HOLE_ENTRIES

#: The fact kinds a snapshot reads.
FACTS = frozenset({"numbers", "tables", "definitions"})


@dataclass(frozen=True)
class Call:
    """One syscall on one ABI."""

    abi: str
    name: str
    number: int
    number_at: Location
    entry: str | None = None  # None: numbered, but no table slot was read
    compat: str | None = None
    entry_at: Location | None = None
    #: the definition's parameters (None: no single C definition could be read)
    params: tuple[Param, ...] | None = None
    defined_at: Location | None = None
    #: why the tree's own wiring of this call was already broken, so that changing it
    #: fixes rather than breaks userspace ("": it worked)
    broken: str = ""

    @property
    def wired(self) -> bool:
        """Numbered and not a sys_ni_syscall hole."""
        return self.entry is None or (self.entry != "" and self.entry not in HOLE_ENTRIES)

    def shapes(self, word: int | None) -> tuple[Shape | None, ...] | None:
        if self.params is None:
            return None
        return tuple(shape(p.type, word) for p in self.params)

    def signature(self) -> str | None:
        if self.params is None:
            return None
        return ", ".join(_spelled(p) for p in self.params) or "void"


def _spelled(param: Param) -> str:
    return f"{param.type} {param.name}" if param.name else param.type


@dataclass
class Snapshot:
    """Every ABI's calls: ``calls[abi][name]``; ``words[abi]`` its word size."""

    calls: dict[str, dict[str, Call]] = field(default_factory=dict)
    words: dict[str, int | None] = field(default_factory=dict)
    label: str = ""
    #: abi -> table entry symbol -> the positions whose slot calls it
    positions: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def __repr__(self) -> str:  # short and stable: it goes into the run's option digest
        digest = hashlib.sha256(repr(sorted((a, sorted(c.items())) for a, c in
                                            self.calls.items())).encode()).hexdigest()[:16]
        return f"Snapshot({self.label!r}, {digest})"

    def abis(self) -> list[str]:
        return sorted(self.calls)


def take(graph, label: str = "") -> Snapshot:
    """The snapshot of a graph built with (at least) :data:`FACTS`; taken once a graph
    (CKL701 and CKL704 both compare the head with the base)."""
    taken = getattr(graph, "_abi_snapshots", None)
    if taken is None:
        taken = graph._abi_snapshots = {}  # noqa: SLF001 - the graph is not changed after it is built
    if label not in taken:
        taken[label] = _take(graph, label)
    return taken[label]


def _take(graph, label: str) -> Snapshot:
    unparsed = {note.loc for note in graph.tree.notes if note.kind == "unparsed-params"}
    snap = Snapshot(label=label)
    abis = graph.abis()
    views = {graph.abi(a).srcarch for a in abis if graph.abi(a).is_compat_view}
    for abi in abis:
        srcarch = graph.abi(abi).srcarch
        aliases = _aliases(graph, srcarch)
        # the compat column is an ABI of its own where a compat view reads it; on a
        # 32-bit kernel's table it is never built
        compat_column = srcarch not in views and word_bits(abi) == 64
        slots: dict[int, object] = {}
        where: dict[str, list[int]] = {}
        for entry in graph.table(abi):
            slots.setdefault(entry.position, entry)
            where.setdefault(entry.entry, []).append(entry.position)
        snap.positions[abi] = where
        calls: dict[str, Call] = {}
        colliding = {num.name for pair in collisions(graph, abi) for num in pair}
        for name, num in sorted(graph.name_index(abi).items()):
            slot = slots.get(num.number)
            if slot is None:
                calls[name] = Call(abi, name, num.number, num.loc)
                continue
            entry, certain = aliases.get(slot.entry, (slot.entry, True))
            params, defined_at = _definition(graph, entry, srcarch, unparsed) if certain \
                else (None, None)
            calls[name] = Call(abi, name, num.number, num.loc, entry,
                               slot.compat if compat_column else None, slot.loc, params, defined_at,
                               _broken(graph, abi, name, entry, params, colliding))
        snap.calls[abi] = calls
        snap.words[abi] = word_bits(abi)
    return snap


#: 64-bit kernels' tables for 32-bit callers: a 64-bit value argument arrives in two registers.
_COMPAT_CALLERS = frozenset({"ia32", "mips-n32", "mips64-o32"})


def _broken(graph, abi: str, name: str, entry: str | None, params, colliding: set[str]) -> str:
    """Why a call as the tree wires it could not have worked (see :attr:`Call.broken`)."""
    if name in colliding:
        return "its number is another's too"  # which one the slot runs is the table's choice
    if entry and entry not in HOLE_ENTRIES and not graph.entry_definitions(entry):
        return f"{entry} is defined nowhere"  # the link fails: no release ran it
    compat = abi in _COMPAT_CALLERS or abi.endswith("-compat")
    if compat and entry and entry.startswith("sys_") and params and any(
            (s := shape(p.type, 32)) is not None and s.kind == "value" and s.bits == 64
            for p in params):
        return f"{entry} takes a 64-bit argument a 32-bit caller splits"  # CKL703's
    return ""


def _aliases(graph, srcarch: str) -> dict[str, tuple[str, bool]]:
    """Entry renames of an arch's table files (``#define sys_fadvise64_64
    sys_csky_fadvise64_64``): entry -> (what the table calls, whether always).

    UML's tables under arch/<arch>/um/ are UML's, not the arch's.
    """
    out: dict[str, tuple[str, bool]] = {}
    for entry, renames in graph.entry_aliases(srcarch).items():
        own = [(other, cond) for other, cond, loc in renames if loc.path.split("/")[2:3] != ["um"]]
        if own:
            targets = {other for other, _ in own}
            always = len(targets) == 1 and all(cond == "y" for _, cond in own)
            out[entry] = (own[0][0] if always else entry, always)
    return out


def _definition(graph, entry: str, srcarch: str, unparsed) -> tuple:
    """The parameters of the one C definition ``entry`` calls on ``srcarch``, and where."""
    if entry in HOLE_ENTRIES:
        return None, None
    found = [d for d in graph.entry_definitions(entry)
             if d.kind != "asm" and d.params is not None and d.loc not in unparsed
             and _relevant(d.loc.path, srcarch)]
    if not found:
        return None, None
    own = [d for d in found if d.loc.path.startswith("arch/")]
    found = own or found  # an arch's own definition replaces the generic one
    spellings = {tuple(resolved(p.type) for p in d.params) for d in found}
    if len(spellings) != 1:
        return None, None  # several definitions that disagree: which one is built is unknown
    first = min(found, key=lambda d: d.loc)
    return first.params, first.loc


def _relevant(path: str, srcarch: str) -> bool:
    if not path.startswith("arch/"):
        return True
    return path.split("/", 2)[1] == srcarch
