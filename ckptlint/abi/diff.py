"""The per-ABI difference between two snapshots: added, removed, renumbered,
entry point changed, re-signed; and the subset that breaks userspace.

A re-signing is a break when the arity changes or when an argument whose
shape is known on both sides (:mod:`ckptlint.abi.model`) changes pointer
versus value, width or signedness on that ABI. An argument whose type the
model cannot place is listed as ``unresolved`` when its spelling changed,
never as a break. An entry point change is a break when the call behind it
changes (another syscall, native versus compat, a hole); a trampoline
respelling (``ptregs_fork`` to ``sys_fork``) is listed, not a break.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ckptlint.abi.model import word_bits
from ckptlint.abi.snapshot import Call, Snapshot
from ckptlint.findings import plural
from ckptlint.naming import entry_syscall

KINDS = ("added", "renamed", "removed", "renumbered", "entry", "signature", "unresolved")
#: The kinds a series, a patch or a staged change must not introduce.
BREAKS = ("removed", "renumbered", "entry", "signature")


@dataclass(frozen=True)
class Change:
    """One syscall's change on one ABI."""

    kind: str
    abi: str
    name: str
    old: Call | None
    new: Call | None
    detail: str
    breaks: bool = True


@dataclass
class Diff:
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    abis_added: list[str] = field(default_factory=list)
    abis_removed: list[str] = field(default_factory=list)
    abis_compared: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def breaks(self) -> list[Change]:
        return [c for c in self.changes if c.kind in BREAKS and c.breaks]


def diff(old: Snapshot, new: Snapshot) -> Diff:
    """Every change from ``old`` to ``new``, ABI by ABI, name by name."""
    out = Diff(old.label, new.label)
    out.abis_added = sorted(set(new.calls) - set(old.calls))
    out.abis_removed = sorted(set(old.calls) - set(new.calls))
    out.abis_compared = sorted(set(old.calls) & set(new.calls))
    for abi in out.abis_compared:
        word = new.words.get(abi, word_bits(abi))
        before, after = old.calls[abi], new.calls[abi]
        renamed = _renames(before, after)
        moved = new.positions.get(abi, {})
        for name in sorted(set(before) | set(after)):
            if name in renamed:
                old_call, new_call = before[name], after[renamed[name]]
                out.changes.append(Change("renamed", abi, name, old_call, new_call,
                                          f"renamed {renamed[name]} ({old_call.number})", False))
                out.changes += _compare(abi, name, old_call, new_call, word)
            elif name not in renamed.values():
                out.changes += _compare(abi, name, before.get(name), after.get(name), word, after,
                                        moved)
    return out


def _renames(before: dict[str, Call], after: dict[str, Call]) -> dict[str, str]:
    """Old name -> new name for a wired number whose name alone changed: userspace calls
    numbers, so arm64-compat's sync_file_range2 that 6.12 names arm_sync_file_range
    (unistd32.h keeps the old name as an alias) is not a removal."""
    gone = {c.number: c for n, c in before.items() if c.wired and not (n in after and after[n].wired)}
    out = {}
    for name, call in after.items():
        old = gone.get(call.number)
        if old is None or not call.wired or (name in before and before[name].wired):
            continue
        if _identity(old.entry or "") == _identity(call.entry or ""):
            out[old.name] = name
    return out


def _compare(abi: str, name: str, old: Call | None, new: Call | None, word,
             numbered: dict[str, Call] | None = None,
             moved: dict[str, list[int]] | None = None) -> list[Change]:
    changes = _compared(abi, name, old, new, word, numbered, moved)
    if old is not None and old.broken:
        # the base's wiring of it never worked: a change mends it, it breaks nobody
        return [replace(c, detail=f"{c.detail} (the base's did not work: {old.broken})",
                        breaks=False) if c.breaks else c for c in changes]
    return changes


def _compared(abi: str, name: str, old: Call | None, new: Call | None, word,
              numbered: dict[str, Call] | None = None,
              moved: dict[str, list[int]] | None = None) -> list[Change]:
    was = old is not None and old.wired
    now = new is not None and new.wired
    if not was and not now:
        return []
    if not was:
        return [Change("added", abi, name, old, new, f"added as {new.number}", False)]
    if not now:
        detail = (f"removed (was {old.number})" if new is None
                  else f"removed: {new.number} is now a hole ({new.entry or 'no entry'})")
        elsewhere = [p for p in (moved or {}).get(old.entry or "", ()) if p != old.number]
        if new is not None and elsewhere:
            # its entry still sits in the table, at another position: a shifted table
            # (CKL101's root cause), not a withdrawn call
            return [Change("removed", abi, name, old, new,
                           f"{detail}; {old.entry} sits at {elsewhere[0]}", False)]
        return [Change("removed", abi, name, old, new, detail)]
    changes = []
    if old.number != new.number:
        changes.append(Change("renumbered", abi, name, old, new,
                              f"renumbered {old.number} -> {new.number}"))
    for column, before, after in (("entry", old.entry, new.entry),
                                  ("compat entry", old.compat, new.compat)):
        if before != after and before is not None and after is not None:
            other = _identity(after)[0]
            if other != name and numbered and other in numbered:
                # the slot calls another numbered syscall's entry: a shifted or swapped
                # table, which the wiring checks (CKL101) report as the root cause
                changes.append(Change("entry", abi, name, old, new,
                                      f"{column} {before} -> {after} (another syscall's entry)",
                                      False))
                return changes  # its signature is the other syscall's
            changes.append(Change("entry", abi, name, old, new,
                                  f"{column} {before} -> {after}",
                                  _identity(before) != _identity(after)))
    changes += _resigned(abi, name, old, new, word)
    return changes


def _identity(entry: str) -> tuple:
    """The call behind an entry symbol: its syscall name and whether it is a compat one."""
    compat = entry.startswith(("compat_", "sys32_", "ia32_", "stub32_")) or "_compat_" in entry
    return entry_syscall(entry.lstrip("_") or entry), compat


def _resigned(abi: str, name: str, old: Call, new: Call, word) -> list[Change]:
    if old.params is None or new.params is None:
        return []
    if len(old.params) != len(new.params):
        return [Change("signature", abi, name, old, new,
                       f"{len(old.params)} -> {len(new.params)} arguments "
                       f"({old.signature()} -> {new.signature()})")]
    before, after = old.shapes(word), new.shapes(word)
    broken, unresolved = [], []
    for i, (a, b, pa, pb) in enumerate(zip(before, after, old.params, new.params), start=1):
        if a is not None and b is not None:
            if a != b:
                broken.append(f"argument {i} '{_spell(pa)}' -> '{_spell(pb)}' ({a} -> {b})")
        elif pa.type != pb.type:
            from ckptlint.abi.model import resolved

            if resolved(pa.type) != resolved(pb.type):
                unresolved.append(f"argument {i} '{_spell(pa)}' -> '{_spell(pb)}'")
    out = []
    if broken:
        out.append(Change("signature", abi, name, old, new, "; ".join(broken)))
    if unresolved:
        out.append(Change("unresolved", abi, name, old, new, "; ".join(unresolved), False))
    return out


def _spell(param) -> str:
    return f"{param.type} {param.name}" if param.name else param.type


# -- grouping --------------------------------------------------------------------------

def grouped(changes: list[Change]) -> list[tuple[str, str, str, list[str]]]:
    """(kind, name, detail, ABIs) for changes that read the same on several ABIs."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for change in changes:
        groups.setdefault((change.kind, change.name, change.detail), []).append(change.abi)
    return [(kind, name, detail, sorted(abis)) for (kind, name, detail), abis in groups.items()]


def _by_kind(result: Diff) -> list[tuple[str, list[tuple[str, str, str, list[str]]]]]:
    return [(kind, sorted(grouped(result.of_kind(kind)), key=lambda g: (g[1], g[2])))
            for kind in KINDS]


_TITLES = {"added": "Added", "renamed": "Renamed (same number and call)", "removed": "Removed", "renumbered": "Renumbered",
           "entry": "Entry point changed", "signature": "Re-signed",
           "unresolved": "Parameter types changed, width not resolved"}


def _abi_list(abis: list[str]) -> str:
    return ", ".join(abis)


def render_text(result: Diff) -> str:
    lines = [f"abi-diff {result.old_label} -> {result.new_label}: "
             f"{plural(len(result.abis_compared), 'ABI')} compared"]
    if result.abis_added:
        lines.append(f"ABIs added: {_abi_list(result.abis_added)}")
    if result.abis_removed:
        lines.append(f"ABIs removed: {_abi_list(result.abis_removed)}")
    for kind, groups in _by_kind(result):
        if not groups:
            continue
        lines.append(f"{_TITLES[kind]} ({len(result.of_kind(kind))} syscall x ABI):")
        for _, name, detail, abis in groups:
            mark = "" if kind in ("added", "renamed", "unresolved") or _breaks(result, kind, name, detail) \
                else " [not a break]"
            lines.append(f"  {name}: {detail}{mark} [{_abi_list(abis)}]")
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def _breaks(result: Diff, kind: str, name: str, detail: str) -> bool:
    return any(c.breaks for c in result.changes
               if c.kind == kind and c.name == name and c.detail == detail)


def _summary(result: Diff) -> str:
    counts = ", ".join(f"{len(result.of_kind(k))} {k}" for k in KINDS)
    return f"{counts}; {plural(len(result.breaks()), 'userspace ABI break')}"


def render_markdown(result: Diff) -> str:
    lines = [f"# Syscall ABI changes: {result.old_label} → {result.new_label}", "",
             f"{plural(len(result.abis_compared), 'ABI')} compared: {_abi_list(result.abis_compared)}.", ""]
    if result.abis_added:
        lines += [f"ABIs added: {_abi_list(result.abis_added)}.", ""]
    if result.abis_removed:
        lines += [f"ABIs removed: {_abi_list(result.abis_removed)}.", ""]
    for kind, groups in _by_kind(result):
        if not groups:
            continue
        lines += [f"## {_TITLES[kind]}", "", "| syscall | change | ABIs |", "|---|---|---|"]
        for _, name, detail, abis in groups:
            note = "" if kind in ("added", "renamed", "unresolved") or _breaks(result, kind, name, detail) \
                else " (not a break)"
            lines.append(f"| `{name}` | {_md(detail)}{note} | {_abi_list(abis)} |")
        lines.append("")
    lines.append(_summary(result) + ".")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def to_json(result: Diff) -> dict:
    def call(c: Call | None):
        if c is None:
            return None
        return {"number": c.number, "number_at": str(c.number_at), "entry": c.entry,
                "compat": c.compat, "entry_at": str(c.entry_at) if c.entry_at else None,
                "signature": c.signature(),
                "defined_at": str(c.defined_at) if c.defined_at else None}
    return {"version": 1, "old": result.old_label, "new": result.new_label,
            "abis": {"compared": result.abis_compared, "added": result.abis_added,
                     "removed": result.abis_removed},
            "changes": [{"kind": c.kind, "abi": c.abi, "syscall": c.name, "detail": c.detail,
                         "breaks": c.kind in BREAKS and c.breaks,
                         "old": call(c.old), "new": call(c.new)} for c in result.changes],
            "summary": {**{k: len(result.of_kind(k)) for k in KINDS},
                        "breaks": len(result.breaks())}}
