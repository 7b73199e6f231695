"""A feature declared in a rule pack is not wired as the pack says.

What it checks:
    Rule packs (``rules/*.toml``, plus ``--rules DIR``) declare a feature:
    its syscalls with their exact signatures, its Kconfig gate and what
    the gate depends on, and a Kconfig symbol that says on which arches
    the syscalls must be wired. A pack applies to a tree when any of its
    syscalls or its gate appears there. Then every definition and
    prototype has the declared signature, the gate has the declared
    dependencies, and every arch on which the wiring symbol can be ``y``
    wires every syscall. A prototype that disagrees with a definition
    matching the pack is left to CKL201.

Why it matters:
    Generic checks compare the tree with itself. A pack compares it with
    what the feature's maintainers decided, so a series that is
    consistent but wrong everywhere (``int pid`` in the definition *and*
    the prototype) is still caught.

Example:
    rules/checkpoint-restart.toml says ``sys_restart(pid_t pid, int fd,
    unsigned long flags, int logfd)``; checkpoint/sys.c and syscalls.h both
    say ``int pid``.

Fix:
    Bring the tree in line with the pack, or update the pack if the
    feature's interface changed on purpose.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import compare
from ckptlint.kconfig.query import direct_dependency, same_expr
from ckptlint.unknown import is_unknown, is_yes

ID = "CKL901"
NAME = "rule-pack-violation"
SEVERITY = "error"
SUMMARY = "A feature declared in a rule pack is not wired as the pack says"
REQUIRES = frozenset({"numbers", "tables", "prototypes", "definitions", "kconfig",
                      "kconfig_symbols", "packs"})


def check(graph) -> Iterator[Draft]:
    for pack in graph.facts.packs:
        if not _applies(graph, pack):
            continue
        yield from _signatures(graph, pack)
        yield from _gate(graph, pack)
        yield from _arches(graph, pack)


def _applies(graph, pack) -> bool:
    names = {s.name for s in pack.syscalls}
    if pack.gate and pack.gate.symbol in graph.facts.kconfig_symbols:
        return True
    return any(graph.definitions("sys_" + n) for n in names) or any(
        n in graph.name_index(abi) for abi in graph.abis() for n in names)


def _signatures(graph, pack) -> Iterator[Draft]:
    for syscall in pack.syscalls:
        function = "sys_" + syscall.name
        definitions = [d for d in graph.definitions(function) if d.kind != "asm"]
        facts = [(d, "definition") for d in definitions]
        # a prototype that disagrees with a definition the pack agrees with is
        # CKL201's finding (v19's prototypes without logfd): one mistake, one finding
        agreed = any(d.params is not None and compare(syscall.params, d.params) is None
                     for d in definitions)
        if not agreed:
            facts += [(p, "prototype") for p in graph.prototypes(function)]
        for fact, what in facts:
            if fact.params is None:
                continue
            problem = compare(syscall.params, fact.params)
            if problem:
                problem = problem.replace("the prototype", "the pack").replace(
                    "the definition", f"this {what}").replace("in the prototype", "in the pack")
                yield Draft(f"{function} does not match pack {pack.name}: {problem}", fact.loc,
                            (Related(syscall.loc, "the pack declares it here"),),
                            symbol=function, key=f"{pack.name}:{what}:{problem}")


def _gate(graph, pack) -> Iterator[Draft]:
    gate = pack.gate
    if gate is None or gate.depends is None:
        return
    for label, model in sorted(graph.facts.kconfig.items()):
        if not is_yes(model.is_defined(gate.symbol)):
            continue
        actual = direct_dependency(model, gate.symbol)
        if is_unknown(actual):
            continue  # the dependency cannot be read: nothing to compare
        if not same_expr(model, actual, gate.depends):
            loc = model.definitions(gate.symbol)[0]
            yield Draft(f"{gate.symbol} depends on '{actual}', pack {pack.name} says "
                        f"'{gate.depends}'", loc, (Related(gate.loc, "the pack declares it here"),),
                        symbol=gate.symbol, key=f"{pack.name}:depends")
        return


def _arches(graph, pack) -> Iterator[Draft]:
    if not pack.wire_where:
        return
    for label, model in sorted(graph.facts.kconfig.items()):
        if graph.unread("tables", model.arch.srcarch) is not None:
            continue  # its tables could not be read: what they wire is unknown
        if not is_yes(model.can_be(pack.wire_where)):
            continue
        abis = [a for a in graph.abis() if graph.abi(a).kconfig_arch == label]
        wired = {e.syscall for a in abis for e in graph.table(a)}
        for syscall in pack.syscalls:
            if syscall.name in wired:
                continue
            locs = model.definitions(pack.wire_where) or [pack.loc]
            yield Draft(f"{pack.wire_where} can be y on {label}, so pack {pack.name} requires "
                        f"{syscall.name} to be wired there, but no {label} table has it",
                        locs[0], (Related(pack.loc, "the pack requires it here"),),
                        arch=label, symbol=syscall.name, key=f"{pack.name}:{label}")
