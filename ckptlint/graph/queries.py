"""Queries the checks share, over the FactGraph: whether a syscall's gate can be
enabled where an ABI's table is built, how a prototype's parameters differ from a
definition's, which files make up the wiring."""

from __future__ import annotations

from ckptlint.findings import plural
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
