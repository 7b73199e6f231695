"""What the HTML report shows, as data: matrix cells with a display status, and
every syscall's wiring (``matrix --syscall X --format json`` without its
``edges``) packed small enough for linux-6.12's 660 syscalls x 32 ABIs.

Display statuses of a cell (syscall on an ABI):

- ``wired``: numbered, with a table slot whose entry is a real function;
- ``gated``: wired, but the defining object can never be built on the ABI's
  Kconfig arch (``gates`` says ``never: ...``);
- ``hole``: numbered, the slot is ``sys_ni_syscall`` (deliberately not provided);
- ``ignored``: not numbered, and the arch says so with ``__IGNORE_``;
- ``missing``: not numbered on this ABI;
- ``inconsistent``: numbered without a table slot, or a reported finding names
  this syscall on this ABI (or on every ABI that numbers it, when the
  finding has no arch), or its slot holds an entry a CKL101 finding displaced;
  notes and CKL404 (shown as ``gated``) do not count.
"""

from __future__ import annotations

import re

from ckptlint.graph.placement import out_of_place
from ckptlint.naming import entry_syscall
from ckptlint.report import matrix

#: The checks whose findings flag matrix cells (by ID: a formatter imports no check).
TABLE_POSITION = "CKL101"  # table-position-mismatch
GATE_NEVER_ENABLED = "CKL404"  # gate-never-enabled

STATUSES = ("wired", "gated", "hole", "ignored", "missing", "inconsistent")


def findings_by_syscall(result, names: set[str]) -> dict[str, list[int]]:
    """Syscall -> indices of the findings whose symbol is it (or its ``sys_`` entry)."""
    out: dict[str, list[int]] = {}
    for index, finding in enumerate(result.findings):
        symbols = {finding.symbol, entry_syscall(finding.symbol or "")}
        for name in sorted(n for n in symbols & names if n):
            out.setdefault(name, []).append(index)
    return out


def flagged_cells(result, table: matrix.Matrix,
                  by_syscall: dict[str, list[int]]) -> dict[tuple[str, str], list[int]]:
    """(syscall, abi) -> indices of the warnings and errors that name the syscall there.

    Notes describe intended asymmetries, and a gate-never-enabled finding is
    what the ``gated`` colour already shows: neither makes a cell inconsistent.
    """
    graph = result.graph
    out: dict[tuple[str, str], list[int]] = {}
    for name, indices in by_syscall.items():
        for index in indices:
            finding = result.findings[index]
            if finding.severity == "note" or finding.rule == GATE_NEVER_ENABLED:
                continue
            for abi in table.abis:
                info = graph.abi(abi)
                here = finding.arch in (abi, info.srcarch, info.kconfig_arch)
                if here or (finding.arch is None and table.rows[name][abi].number is not None):
                    out.setdefault((name, abi), []).append(index)
    # a shift names its first entry; the numbers whose slots it displaces are flagged too
    for index, finding in enumerate(result.findings):
        if finding.rule != TABLE_POSITION or finding.severity == "note" \
                or finding.arch not in table.abis:
            continue
        for position in sorted(out_of_place(graph, finding.arch)):
            for num in graph.number_index(finding.arch).get(position, ()):
                if num.name not in table.rows:
                    continue
                cell = out.setdefault((num.name, finding.arch), [])
                if index not in cell:
                    cell.append(index)
    return out


def display_status(cell: matrix.Cell, gate: str | None, flagged: bool) -> str:
    """One of STATUSES for a matrix cell, its gate verdict and whether a finding names it."""
    if flagged or cell.status == "unwired":
        return "inconsistent"
    if cell.status == "wired" and gate is not None and gate.startswith("never:"):
        return "gated"
    return cell.status


class _Strings:
    """A string table: each distinct string is stored once, cells hold its index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int | None:
        if text is None:
            return None
        return self.index.setdefault(text, len(self.index))

    def loc(self, at: str | None) -> list | None:
        """``path:line`` as [path index, line]."""
        if at is None:
            return None
        path, line = at.rsplit(":", 1)
        return [self(path), int(line)]

    def table(self) -> list[str]:
        return list(self.index)


def pack(wirings: dict[str, dict], abis: list[tuple[str, str, str]], srcarches: list[str],
         labels: list[str]) -> dict:
    """Every syscall's wiring in the compact form that ``unpack`` (and report.js) read.

    ``abis`` is (label, srcarch, kconfig arch) per ABI; ``srcarches`` and
    ``labels`` give the order of each definition's ``built_if`` and of ``gates``.
    """
    s = _Strings()
    position = {label: i for i, (label, _, _) in enumerate(abis)}
    syscalls = {}
    for name, info in wirings.items():
        syscalls[name] = {
            "a": [[position[abi], row["number"], s.loc(row["number_at"]), s(row["entry"]),
                   s(row["compat"]), s.loc(row["slot_at"])] for abi, row in info["abis"].items()],
            "d": [[s(d["function"]), s(d["kind"]), s.loc(d["at"]),
                   [s(d["built_if"].get(a)) for a in srcarches]] for d in info["definitions"]],
            "p": [[s(p["function"]), s.loc(p["at"])] for p in info["prototypes"]],
            "c": [[s(c["function"]), s.loc(c["at"])] for c in info["cond_syscalls"]],
            "g": [s(info["gates"].get(label)) for label in labels],
        }
    return {"abis": [list(a) for a in abis], "srcarches": srcarches, "labels": labels,
            "strings": s.table(), "syscalls": syscalls}


def unpack(data: dict, name: str) -> dict:
    """One syscall's wiring back in ``matrix.wiring`` form (without ``edges``)."""
    strings = data["strings"]
    text = lambda i: None if i is None else strings[i]  # noqa: E731
    at = lambda loc: None if loc is None else f"{strings[loc[0]]}:{loc[1]}"  # noqa: E731
    packed = data["syscalls"][name]
    abis = {}
    for index, number, number_at, entry, compat, slot_at in packed["a"]:
        label, srcarch, kconfig_arch = data["abis"][index]
        abis[label] = {"number": number, "number_at": at(number_at), "entry": text(entry),
                       "compat": text(compat), "slot_at": at(slot_at), "srcarch": srcarch,
                       "kconfig_arch": kconfig_arch}
    return {
        "syscall": name, "abis": abis,
        "definitions": [{"function": text(f), "kind": text(k), "at": at(loc),
                         "built_if": {a: text(g) for a, g in zip(data["srcarches"], gates)}}
                        for f, k, loc, gates in packed["d"]],
        "prototypes": [{"function": text(f), "at": at(loc)} for f, loc in packed["p"]],
        "cond_syscalls": [{"function": text(f), "at": at(loc)} for f, loc in packed["c"]],
        "gates": {label: text(v) for label, v in zip(data["labels"], packed["g"])
                  if v is not None},
    }


#: Names tables give slots that hold no syscall: ``available165``, ``reserved221``,
#: ``unused59``, ``ni_syscall``, ``nosys``.
_PLACEHOLDER = re.compile(r"^(?:available|reserved|unused|ni_syscall|nosys|sys_ni)\d*$")


def build(result) -> dict:
    """Everything the page needs: matrix rows with display statuses, packed wiring."""
    graph = result.graph
    table = matrix.build(graph)
    wirings = {name: matrix.wiring(graph, name) for name in table.rows}
    for info in wirings.values():
        info.pop("edges", None)
    by_syscall = findings_by_syscall(result, set(table.rows))
    flagged = flagged_cells(result, table, by_syscall)
    abis = [(a, graph.abi(a).srcarch, graph.abi(a).kconfig_arch) for a in table.abis]
    rows = {}
    # rows that only hold a place (xtensa's available165 ...) come after every real syscall
    for name, cells in sorted(table.rows.items(), key=lambda item: bool(_PLACEHOLDER.match(item[0]))):
        gates = wirings[name]["gates"]
        rows[name] = [(display_status(cells[a], gates.get(k), (name, a) in flagged),
                       cells[a].number) for a, _, k in abis]
    return {"abis": abis, "rows": rows, "findings": by_syscall,
            "wiring": pack(wirings, abis, sorted(graph.facts.kbuild), sorted(graph.facts.kconfig))}
