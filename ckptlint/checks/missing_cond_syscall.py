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

from ckptlint.checks.native_calls_compat import native_compat_slots
from ckptlint.facts import Location
from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import misspelt_fallbacks
from ckptlint.kconfig.exprtext import readable
from ckptlint.kconfig.query import satisfiable
from ckptlint.naming import entry_syscall
from ckptlint.unknown import Cause, Unknown, is_no, is_yes, met

ID = "CKL301"
NAME = "missing-cond-syscall"
SEVERITY = "error"
SUMMARY = "A conditionally built syscall has no cond_syscall() fallback"
REQUIRES = frozenset({"tables", "definitions", "cond_syscalls", "kbuild", "kconfig"})

SYS_NI = "kernel/sys_ni.c"


def check(graph) -> Iterator[Draft]:
    for function, (slots, failing) in link_failures(graph).items():
        yield _finding(graph, function, slots, failing)


def link_failures(graph) -> dict:
    """function -> (its slots, [(abi, definition, gate)]) for each wired function with no
    fallback that some configuration of those ABIs does not build (computed once)."""
    memo = graph.__dict__.get("_link_failures")
    if memo is not None:
        return memo
    memo = {}  # published whole at the end: checks run in two threads
    if graph.unread("cond_syscalls") is not None or graph.unread("definitions") is not None:
        graph.__dict__["_link_failures"] = memo
        return memo  # a fallback or an unconditional definition may be in what was not read
    misplaced = {(abi, entry.loc) for abi, entry in native_compat_slots(graph)}
    for function, slots in sorted(graph.wired_entries().items()):
        if graph.entry_cond_syscalls(function):
            continue
        failing = []  # (abi, definition, gate) where the link can fail
        for abi in sorted({s.abi for s in slots}):
            own = [s for s in slots if s.abi == abi]
            if all((abi, s.loc) in misplaced for s in own):
                continue  # a compat entry in a 64-bit native table: CKL113's one finding
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
            memo[function] = (slots, failing)
    graph.__dict__["_link_failures"] = memo
    return memo


def _finding(graph, function: str, slots, failing) -> Draft:
    abis = [abi for abi, _, _ in failing]
    _, definition, gate = failing[0]
    related = [Related(s.loc, f"called from the {s.abi} table here") for s in slots if s.abi in abis]
    conds = [c for c in graph.all_cond_syscalls() if c.loc.path == SYS_NI]
    if conds or graph.has_file(SYS_NI):
        anchor = conds[-1].loc if conds else Location(SYS_NI, 1)
        related.append(Related(anchor, "add cond_syscall() here"))
    on = "" if len(abis) == 1 else f" (on {', '.join(abis)})"
    typo = misspelt_fallbacks(graph).get(function)
    if typo is not None:  # the fallback is there, misspelt: one finding, at the line to fix
        related = [Related(definition.loc, f"{function} is defined here, built only if "
                                           f"{readable(gate)}")] + [
            r for r in related if r.note != "add cond_syscall() here"]
        return Draft(f"cond_syscall({typo.function}) names no function; {function}, built only "
                     f"if {readable(gate)}, has no fallback: the link fails when that is off{on}",
                     typo.loc, tuple(related), arch=abis[0] if len(abis) == 1 else None,
                     symbol=function, key="no-cond")
    never = [abi for abi, _, g in failing if _never(graph, abi, g)]
    if len(never) == len(failing):
        # 2.6.16 frv wires sys_newfstatat, built only without __ARCH_WANT_STAT64, which frv wants
        return Draft(f"{function} is never built for {abis[0] if len(abis) == 1 else 'these ABIs'}"
                     f" (it is built only if {_as_written(graph, definition, failing[0][0])}), and no "
                     f"cond_syscall({function}) provides a fallback: the link always fails{on}",
                     definition.loc, tuple(related), arch=abis[0] if len(abis) == 1 else None,
                     symbol=function, key="no-cond")
    always = f"; on {', '.join(never)} it is never on" if never else ""
    return Draft(f"{function} is built only if {readable(gate)}, and no cond_syscall({function}) "
                 f"provides a fallback: the link fails when that is off{on}{always}",
                 definition.loc, tuple(related), arch=abis[0] if len(abis) == 1 else None,
                 symbol=function, key="no-cond")


def _as_written(graph, definition, abi: str) -> str:
    """The definition's condition before the arch's ``__ARCH_WANT_*`` answers are put in."""
    kbuild = graph.gate(definition.loc.path, graph.abi(abi).srcarch) or "y"
    inner = graph.written_condition(definition.loc.path, definition.loc.line)
    return readable(f"({kbuild}) && ({inner})")


def _never(graph, abi: str, gate: str) -> bool:
    """Whether the gate can never be y where the ABI's table is built."""
    model = graph.kconfig(graph.abi(abi).kconfig_arch)
    return model is not None and is_no(model.can_expr_be(f"({graph.abi_condition(abi)}) && ({gate})"))


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
    arch = graph.abi(abi).kconfig_arch
    model = graph.kconfig(arch)
    if model is None:
        if not graph.facts.kconfig_asked and not graph.facts.kconfig:
            return True  # no Kconfig asked for (a run without the kconfig facts)
        # the arch has no Kconfig configuration ckptlint could find: unknown, not "off"
        srcarch = graph.abi(abi).srcarch
        return met(Unknown(Cause(Location(f"arch/{srcarch}", 1),
                                 f"arch/{srcarch} has no Kconfig that ckptlint could find")))
    off = " && ".join(f"!({g})" for g in gates)
    return satisfiable(model, f"({graph.abi_condition(abi)}) && ({present}) && {off}")
