"""Queries the checks share, over the FactGraph: whether a syscall's gate can be
enabled where an ABI's table is built, how a prototype's parameters differ from a
definition's, which files make up the wiring."""

from __future__ import annotations

from ckptlint.findings import plural
from ckptlint.naming import implementing_functions
from ckptlint.unknown import any_answer, is_unknown, is_yes


def gate_possible(graph, name: str, abi_label: str):
    """Whether some definition of sys_<name> can be built for the ABI's arch, in a
    configuration that builds the ABI's table (True, False, or an Unknown when
    Kconfig cannot tell): 2.6 crisv32's table is built only under ETRAX_ARCH_V32,
    which no Kconfig file declares, so nothing on it can be enabled."""
    abi = graph.abi(abi_label)
    model = graph.kconfig(abi.kconfig_arch)
    gates = [graph.gate(d.loc.path, abi.srcarch) for d in graph.definitions("sys_" + name)]
    gates = [g for g in gates if g is not None]
    if not gates:
        return False
    if model is None:
        return True
    table = graph.abi_condition(abi_label)
    if table != "y":
        gates = [f"({g}) && ({table})" for g in gates]
    return any_answer(model.can_expr_be(g) for g in gates)


def gate_severity(answer, arch: str) -> tuple[str | None, str]:
    """(severity override, message tail) for a finding that is only a note when the
    syscall's gate cannot be enabled on ``arch``: also a note, saying so, when that
    cannot be evaluated (no error or warning is derived from an unknown)."""
    if is_yes(answer):
        return None, ""
    if is_unknown(answer):
        return "note", f"; whether its gate can be enabled on {arch} cannot be evaluated"
    return "note", f"; its gate cannot be enabled on {arch}"


def compare(declared, defined) -> str | None:
    """What differs between a prototype's and a definition's parameters."""
    if len(declared) != len(defined):
        return (f"the prototype has {plural(len(declared), 'parameter')}, "
                f"the definition has {len(defined)}")
    for i, (left, right) in enumerate(zip(declared, defined), start=1):
        if left.type != right.type:
            return f"parameter {i} is '{left.type}' in the prototype, '{right.type}' in the definition"
    return None


def syscall_definitions(graph, name: str) -> tuple[dict, set[str], list[dict]]:
    """One syscall as ``matrix --syscall`` and ``report`` show it: (per ABI, its number and
    table entry; the functions that implement it; each definition of those, under an arch
    that wires it or generic, with the Kbuild gate it is built under per srcarch)."""
    abis: dict = {}
    functions: set[str] = set()
    positions = graph.__dict__.setdefault("_slots_by_position", {})
    for abi in graph.abis():
        num = graph.name_index(abi).get(name)
        if num is None:
            continue
        if abi not in positions:  # the last row of a position holds it, as in the table
            positions[abi] = {e.position: e for e in graph.table(abi)}
        slot = positions[abi].get(num.number)
        info = graph.abi(abi)
        abis[abi] = {
            "number": num.number, "number_at": str(num.loc),
            "entry": slot.entry if slot else None, "compat": getattr(slot, "compat", None),
            "slot_at": str(slot.loc) if slot else None,
            "srcarch": info.srcarch, "kconfig_arch": info.kconfig_arch,
        }
        if slot is not None and slot.syscall is not None:
            functions |= set(implementing_functions(slot.entry))
            if slot.compat:
                functions |= set(implementing_functions(slot.compat))
    functions |= {"sys_" + name}
    arches = {row["srcarch"] for row in abis.values()}
    defs = {d.loc: d for f in functions for d in graph.definitions(f)
            if not d.loc.path.startswith("arch/") or d.loc.path.split("/")[1] in arches}
    rows = [{"function": d.function, "kind": d.kind, "at": str(loc),
             "built_if": {srcarch: graph.gate(d.loc.path, srcarch) for srcarch in sorted(graph.facts.kbuild)}}
            for loc, d in sorted(defs.items())]
    return abis, functions, rows


def main_definitions(name: str, rows: list[dict]) -> list[dict]:
    """The rows of ``sys_<name>``'s own definitions, else every row."""
    return [d for d in rows if d["function"] == "sys_" + name] or rows


def gate_expressions(graph, rows: list[dict]) -> dict[str, list[str]]:
    """Per Kconfig arch, the gates of the definition ``rows`` built there (none: never built)."""
    return {label: [g for d in rows if (g := d["built_if"].get(model.arch.srcarch))]
            for label, model in sorted(graph.facts.kconfig.items())}


def gate_questions(graph) -> dict[str, list[tuple[str, tuple]]]:
    """Per srcarch, the questions ``report`` (every numbered syscall) and ``matrix
    --syscall`` ask of its Kconfig models: whether each gate of a syscall's definitions
    can be y. Needs no model (the graph is built before they are), so that a ``check``
    run that parses them answers these too (``Session.speculate``), and either
    command, run next, finds them in the cache instead of parsing every arch again."""
    abis = graph.abis()
    names = sorted({n.name for abi in abis for n in graph.numbers(abi)}
                   | {e.nr_name for abi in abis for e in graph.table(abi) if e.nr_name})
    out: dict[str, dict] = {}
    for name in names:
        _, _, rows = syscall_definitions(graph, name)
        for row in main_definitions(name, rows):
            for srcarch, gate in row["built_if"].items():
                if gate:
                    out.setdefault(srcarch, {})[("can_expr_be", (gate, "y"))] = None
    return {srcarch: list(questions) for srcarch, questions in out.items()}


def wiring_sources(graph) -> list[str]:
    """C, header and assembly files of the wiring: whose CONFIG_ references CKL503
    (undefined-config-reference) reads (ckptlint.extract.configrefs)."""
    paths = {e.loc.path for entries in graph.facts.tables.values() for e in entries}
    paths |= {n.loc.path for numbers in graph.facts.numbers.values() for n in numbers}
    paths |= {p.loc.path for p in graph.facts.prototypes}
    paths |= {c.loc.path for c in graph.facts.cond_syscalls}
    wired = set(graph.wired_entries())
    paths |= {d.loc.path for d in graph.facts.definitions if d.function in wired}
    return sorted(paths)


#: Tables a 64-bit kernel builds for 32-bit callers without a compat view of their own
#: (2.6's mips64-o32), and mips n32, whose table is a compat one too.
COMPAT_TABLES = frozenset({"mips64-o32", "mips-n32"})


def misspelt_fallbacks(graph) -> dict:
    """function -> the ``cond_syscall()`` that names no known function but is closest to
    it (``COND_SYSCALL(forb)`` for ``sys_frob``): a fallback meant for it (computed once)."""
    memo = graph.__dict__.get("_misspelt_fallbacks")
    if memo is not None:
        return memo
    from ckptlint.suggest import did_you_mean

    known = graph.defined_functions() | set(graph.wired_entries())
    out: dict = {}
    for cond in graph.all_cond_syscalls():
        if cond.function not in known:
            meant = did_you_mean(cond.function, known)
            if meant is not None:
                out.setdefault(meant, cond)
    graph.__dict__["_misspelt_fallbacks"] = out
    return out


def compared_with_i386(graph, name: str, abi: str) -> bool:
    """Whether CKL602 (missing-on-arch) holds ``abi`` to i386's ``name``: a native ABI of
    an arch other than x86, and a call the i386 reference numbers."""
    from ckptlint.graph.abis import family

    info = graph.abi(abi)
    if abi == "i386" or info.is_secondary or family(info.srcarch) == family("x86"):
        return False
    reference = graph.facts.reference_numbers.get("i386", graph.numbers("i386"))
    return any(num.name == name for num in reference)


def compat_calls(graph):
    """(ABI, entry, what a compat caller runs) for every compat slot of the tree: a compat
    ABI's table entry, or the compat column of a native table that has one."""
    for abi in graph.abis():
        info = graph.abi(abi)
        compat_abi = info.is_compat_view or abi in COMPAT_TABLES
        for entry in graph.table(abi):
            if entry.syscall is None:
                continue
            if compat_abi:
                yield abi, entry, entry.entry
            elif entry.compat and not info.is_secondary:
                yield abi, entry, entry.compat
