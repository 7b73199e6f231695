"""A conditionally built syscall has no ``cond_syscall()`` fallback.

What it checks:
    When every definition of a function that a syscall table calls sits in
    an object built only under a Kconfig condition that can be off while
    the table itself is built (``X86_32`` cannot be off on i386; the ppc64
    table exists only with ``PPC64``), ``kernel/sys_ni.c``
    (``COND_SYSCALL`` in later kernels) provides a weak fallback for it.

Why it matters:
    The table references the symbol in every configuration. With the
    option off and no weak alias to ``sys_ni_syscall``, the final link of
    ``vmlinux`` fails with an undefined reference.

Example:
    checkpoint/Makefile has ``obj-$(CONFIG_CHECKPOINT) += sys.o``, the i386
    table calls ``sys_checkpoint``, and kernel/sys_ni.c has no
    ``cond_syscall(sys_checkpoint);``.

Fix:
    Add ``cond_syscall(sys_checkpoint);`` to kernel/sys_ni.c.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.facts import Location
from ckptlint.findings import Draft, Related
from ckptlint.kconfig.query import satisfiable
from ckptlint.naming import entry_syscall
from ckptlint.unknown import is_yes

ID = "CKL301"
NAME = "missing-cond-syscall"
SEVERITY = "error"
SUMMARY = "A conditionally built syscall has no cond_syscall() fallback"
REQUIRES = frozenset({"tables", "definitions", "cond_syscalls", "kbuild", "kconfig"})
OPTIONS: dict = {}

SYS_NI = "kernel/sys_ni.c"


def check(graph, options) -> Iterator[Draft]:
    if graph.unread("cond_syscalls") is not None or graph.unread("definitions") is not None:
        return  # a fallback or an unconditional definition may be in what was not read
    for function, slots in sorted(graph.wired_entries().items()):
        if graph.entry_cond_syscalls(function):
            continue
        failing = []  # (abi, definition, gate) where the link can fail
        for abi in sorted({s.abi for s in slots}):
            srcarch = graph.abi(abi).srcarch
            built = [(d, graph.source_condition(d.loc.path, d.loc.line, srcarch, d.function))
                     for d in graph.entry_definitions(function)]
            built = [(d, g) for d, g in built if g is not None]
            if not built or not is_yes(_can_all_be_off(
                    graph, abi, [g for _, g in built + _aliased(graph, function, srcarch)],
                    _slot_condition(graph, [s for s in slots if s.abi == abi], srcarch))):
                continue  # always built, or Kconfig cannot tell: no finding
            failing.append((abi, *built[0]))
        if failing:  # one missing fallback, one finding, whatever the number of ABIs
            yield _finding(graph, function, slots, failing)


def _finding(graph, function: str, slots, failing) -> Draft:
    abis = [abi for abi, _, _ in failing]
    _, definition, gate = failing[0]
    related = [Related(s.loc, f"called from the {s.abi} table here") for s in slots if s.abi in abis]
    conds = [c for c in graph.all_cond_syscalls() if c.loc.path == SYS_NI]
    if conds or graph.tree.is_file(SYS_NI):
        anchor = conds[-1].loc if conds else Location(SYS_NI, 1)
        related.append(Related(anchor, "add cond_syscall() here"))
    on = "" if len(abis) == 1 else f" (on {', '.join(abis)})"
    return Draft(f"{function} is built only if {gate}, and no cond_syscall({function}) "
                 f"provides a fallback: the link fails when that is off{on}",
                 definition.loc, tuple(related), arch=abis[0] if len(abis) == 1 else None,
                 symbol=function, key="no-cond")


def _aliased(graph, function: str, srcarch: str) -> list:
    """(definition, condition) of what the arch's table file renames the entry to."""
    out = []
    for target, condition, _loc in graph.entry_aliases(srcarch).get(function, []):
        for definition in graph.entry_definitions(target):
            built = graph.source_condition(definition.loc.path, definition.loc.line, srcarch,
                                           definition.function)
            if built is not None:
                out.append((definition, f"({condition}) && ({built})"))
        if graph.entry_cond_syscalls(target) or entry_syscall(target) is None:
            out.append((None, condition))  # a fallback, or a hole (sys_ni_syscall): links
    return out


def _slot_condition(graph, slots, srcarch: str) -> str:
    """When the table holds the entry at all (``FactGraph.slot_condition``)."""
    conds = [graph.slot_condition(s, srcarch) for s in slots]
    if not conds or "y" in conds:
        return "y"
    return " || ".join(f"({c})" for c in sorted(set(conds)))


def _can_all_be_off(graph, abi: str, gates: list[str], present: str = "y"):
    """Whether, on the ABI's Kconfig arch, every definition can be configured out
    while the table (and the slot, under ``present``) is built (or an Unknown)."""
    if any(g == "y" for g in gates):
        return False
    model = graph.kconfig(graph.abi(abi).kconfig_arch)
    if model is None:
        return True  # no Kconfig asked for (a run without the kconfig facts)
    off = " && ".join(f"!({g})" for g in gates)
    return satisfiable(model, f"({graph.abi_condition(abi)}) && ({present}) && {off}")
