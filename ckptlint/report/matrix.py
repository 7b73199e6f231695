"""The syscall x ABI wiring matrix, and one syscall's full wiring with path:line."""

from __future__ import annotations

from dataclasses import dataclass, field

from ckptlint.findings import plural
from ckptlint.graph.export import node_id
from ckptlint.graph.factgraph import FactGraph
from ckptlint.unknown import any_answer, is_unknown


@dataclass
class Cell:
    """One syscall on one ABI: its number, or why it has none."""

    number: int | None
    status: str  # wired, hole, ignored, missing, unwired
    entry: str | None = None


@dataclass
class Matrix:
    abis: list[str]
    rows: dict[str, dict[str, Cell]] = field(default_factory=dict)


def build(graph: FactGraph) -> Matrix:
    """Every syscall name numbered on some ABI, against every ABI."""
    abis = graph.abis()
    names = sorted({n.name for abi in abis for n in graph.numbers(abi)}
                   | {e.nr_name for abi in abis for e in graph.table(abi) if e.nr_name})
    matrix = Matrix(abis)
    slots = {abi: _slots(graph, abi) for abi in abis}
    for name in names:
        matrix.rows[name] = {abi: _cell(graph, abi, name, slots[abi]) for abi in abis}
    return matrix


def _slots(graph: FactGraph, abi: str) -> dict[int, object]:
    return {e.position: e for e in graph.table(abi)}


def _cell(graph: FactGraph, abi: str, name: str, slots: dict) -> Cell:
    num = graph.name_index(abi).get(name)
    if num is None:
        ignored = name in graph.facts.ignored.get(abi, {})
        return Cell(None, "ignored" if ignored else "missing")
    slot = slots.get(num.number)
    if slot is None:
        return Cell(num.number, "unwired")
    if slot.syscall is None:
        return Cell(num.number, "hole", slot.entry)
    return Cell(num.number, "wired", slot.entry)


_SYMBOL = {"hole": "ni", "ignored": "ign", "missing": "-", "unwired": "!"}


#: The compact text matrix fits a terminal or a patch review this wide.
COMPACT_WIDTH = 120


def render_text(matrix: Matrix, width: int | None = None) -> str:
    """A fixed-width table: the number, or ni (hole), ign (__IGNORE_), - (absent), ! (no slot).

    With ``width`` the ABIs are split into blocks of columns, each a table of its
    own with every syscall, so that no line is wider than ``width``."""
    name_width = max([len(n) for n in matrix.rows] + [7])
    cols = {a: max(len(a), 5) for a in matrix.abis}
    blocks = _blocks(matrix.abis, cols, name_width, width)
    lines: list[str] = []
    for number, abis in enumerate(blocks, 1):
        if len(blocks) > 1:
            lines.append(f"ABIs {number}/{len(blocks)}: {', '.join(abis)}")
        lines.append(" " * name_width + "  " + "  ".join(a.rjust(cols[a]) for a in abis))
        for name, cells in matrix.rows.items():
            text = [_cell_text(cells[a]) for a in abis]
            lines.append((name.ljust(name_width) + "  "
                          + "  ".join(t.rjust(cols[a]) for t, a in zip(text, abis))).rstrip())
    listed = "" if width else f" ({', '.join(matrix.abis)})"  # compact: in the headers
    lines.append(f"{plural(len(matrix.rows), 'syscall')} x {plural(len(matrix.abis), 'ABI')}{listed}; "
                 "ni = sys_ni_syscall hole, ign = __IGNORE_, - = not numbered, "
                 "! = numbered without a table slot")
    return "\n".join(lines) + "\n"


def _cell_text(cell: Cell) -> str:
    return str(cell.number) if cell.status == "wired" else _SYMBOL[cell.status]


def _blocks(abis: list[str], cols: dict[str, int], name_width: int,
            width: int | None) -> list[list[str]]:
    """The ABIs in runs whose table lines fit ``width`` (one run without a width)."""
    if not width:
        return [list(abis)]
    blocks: list[list[str]] = [[]]
    used = name_width
    for abi in abis:
        if blocks[-1] and used + 2 + cols[abi] > width:
            blocks.append([])
            used = name_width
        blocks[-1].append(abi)
        used += 2 + cols[abi]
    return blocks


def to_json(matrix: Matrix) -> dict:
    return {"abis": matrix.abis,
            "syscalls": {name: {abi: {"number": c.number, "status": c.status, "entry": c.entry}
                                for abi, c in cells.items()}
                         for name, cells in matrix.rows.items()}}


def wiring(graph: FactGraph, name: str) -> dict:
    """Every edge of one syscall, each with path:line."""
    out: dict = {"syscall": name, "abis": {}, "definitions": [], "prototypes": [],
                 "cond_syscalls": []}
    functions: set[str] = set()
    for abi in graph.abis():
        num = graph.name_index(abi).get(name)
        slot = _slots(graph, abi).get(num.number) if num else None
        if num is None and slot is None:
            continue
        info = graph.abi(abi)
        out["abis"][abi] = {
            "number": num.number if num else None,
            "number_at": str(num.loc) if num else None,
            "entry": slot.entry if slot else None, "compat": getattr(slot, "compat", None),
            "slot_at": str(slot.loc) if slot else None,
            "srcarch": info.srcarch, "kconfig_arch": info.kconfig_arch,
        }
        if slot is not None and slot.syscall is not None:
            functions |= _functions(slot)
    functions |= {"sys_" + name}
    arches = {row["srcarch"] for row in out["abis"].values()}
    relevant = lambda path: not path.startswith("arch/") or path.split("/")[1] in arches  # noqa: E731
    defs = {d.loc: d for f in functions for d in graph.definitions(f) if relevant(d.loc.path)}
    for loc, d in sorted(defs.items()):
        gates = {srcarch: graph.gate(d.loc.path, srcarch) for srcarch in sorted(graph.facts.kbuild)}
        out["definitions"].append({"function": d.function, "kind": d.kind, "at": str(loc),
                                   "built_if": gates})
    for function in sorted(functions):
        out["prototypes"] += [{"function": p.function, "at": str(p.loc)}
                              for p in graph.prototypes(function) if relevant(p.loc.path)]
        out["cond_syscalls"] += [{"function": c.function, "at": str(c.loc)}
                                 for c in graph.cond_syscalls(function)]
    out["edges"] = sorted([node_id(u), node_id(v), rel] for u, v, rel in graph.wiring(name))
    main = [d for d in out["definitions"] if d["function"] == "sys_" + name]
    out["gates"] = _gates(graph, main or out["definitions"])
    return out


def _functions(slot) -> set[str]:
    from ckptlint.naming import implementing_functions

    names = set(implementing_functions(slot.entry))
    if slot.compat:
        names |= set(implementing_functions(slot.compat))
    return names


def _gates(graph: FactGraph, definitions: list[dict]) -> dict[str, str]:
    """Per Kconfig arch: can some definition's gate be y there (the sys_ function's, when it has one)."""
    out = {}
    for label, model in sorted(graph.facts.kconfig.items()):
        gates = [d["built_if"].get(model.arch.srcarch) for d in definitions]
        gates = [g for g in gates if g]
        if not gates:
            out[label] = "never built"
            continue
        answer = any_answer(model.can_expr_be(g) for g in gates)
        if is_unknown(answer):
            out[label] = f"unknown ({answer.cause.loc}: {answer.cause.message})"
        else:
            out[label] = "can be enabled" if answer else \
                f"never: {' / '.join(sorted(set(gates)))} cannot be y"
    return out


def render_wiring(info: dict) -> str:
    """One syscall's wiring as indented text."""
    lines = [f"syscall {info['syscall']}"]
    for abi, row in info["abis"].items():
        compat = f" (compat {row['compat']})" if row.get("compat") else ""
        lines.append(f"  {abi}: number {row['number']} at {row['number_at']}; "
                     f"table entry {row['entry']}{compat} at {row['slot_at']}")
    for d in info["definitions"]:
        built = ", ".join(f"{a}: {g or 'not built'}" for a, g in d["built_if"].items())
        lines.append(f"  defined: {d['function']} ({d['kind']}) at {d['at']}; built if {built}")
    for p in info["prototypes"]:
        lines.append(f"  declared: {p['function']} at {p['at']}")
    for c in info["cond_syscalls"]:
        lines.append(f"  fallback: cond_syscall({c['function']}) at {c['at']}")
    for label, verdict in info["gates"].items():
        lines.append(f"  gate on {label}: {verdict}")
    return "\n".join(lines) + "\n"
