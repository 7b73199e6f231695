"""An arch's table wires a syscall whose object that arch can never build.

What it checks:
    For each ABI table entry, the Kbuild condition of the object that
    defines the syscall (its *gate*, e.g. ``CHECKPOINT``) can be ``y`` on
    the arch that owns the table, as its Kconfig evaluates it.

Why it matters:
    The table then always reaches the ``cond_syscall`` fallback (or fails
    to link without one): the syscall is exported with a number but can
    never work on that arch, which usually means the arch forgot to select
    the feature's ``*_SUPPORT`` symbol.

Example:
    The x86_64 table calls ``sys_checkpoint``, built under ``CHECKPOINT``,
    which depends on ``CHECKPOINT_SUPPORT``, which is ``default y if X86_32``.

    The message says when a ``cond_syscall()`` fallback makes the syscall
    return ``-ENOSYS`` there; that is sometimes meant (6.10's ``mseal`` is
    64-bit only and stubbed on 32-bit arches) and stays a warning to read.

Fix:
    Enable the support symbol for that arch, or drop the table entry.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related
from ckptlint.kconfig.query import explain_expr
from ckptlint.unknown import is_no, is_yes

ID = "CKL404"
NAME = "gate-never-enabled"
SEVERITY = "warning"
SUMMARY = "A table wires a syscall whose object its arch can never build"
REQUIRES = frozenset({"tables", "definitions", "kbuild", "kconfig"})
OPTIONS: dict = {}


def check(graph, options) -> Iterator[Draft]:
    if graph.unread("definitions") is not None:
        return  # an unread file may hold a definition its arch can build
    for function, slots in sorted(graph.wired_entries().items()):
        for slot in slots:
            abi = graph.abi(slot.abi)
            if graph.unread("kbuild", abi.srcarch) is not None:
                continue
            model = graph.kconfig(abi.kconfig_arch)
            if model is None or not is_yes(model.can_expr_be(graph.abi_condition(slot.abi))):
                continue  # an ABI its arch can never build says nothing about one syscall
            gates = _gates(graph, function, abi)
            if not gates or not all(is_no(model.can_expr_be(_together(graph, slot.abi, g)))
                                    for _, g in gates):
                continue  # some gate can be y, or cannot be evaluated: no finding
            definition, gate = gates[0]
            related = [Related(definition.loc, f"defined here, built only if {gate}")]
            related += [Related(loc, why) for why, loc in explain_expr(model, gate)]
            stubbed = bool(graph.entry_cond_syscalls(function))
            yield Draft(f"{function} is wired for {slot.abi}, but {gate} can never be y on "
                        f"{abi.kconfig_arch}" + ("; it always falls back to sys_ni_syscall"
                                                 if stubbed else ""),
                        slot.loc, tuple(related), arch=slot.abi, symbol=slot.syscall, key=gate)


def _gates(graph, function: str, abi) -> list[tuple]:
    """(definition, Kbuild gate) of each built definition of ``function`` on the ABI's arch."""
    gates = [(d, graph.gate(d.loc.path, abi.srcarch)) for d in graph.entry_definitions(function)]
    return [(d, g) for d, g in gates if g is not None]


def _together(graph, label: str, gate: str) -> str:
    return f"({graph.abi_condition(label)}) && ({gate})"


def prefetch(graph) -> Iterator[tuple[str, str, tuple]]:
    """(arch label, question, args) for every Kconfig question ``check`` may ask, so that
    workers answer them while other checks run (the short-circuits are not replayed)."""
    for function, slots in graph.wired_entries().items():
        for slot in slots:
            abi = graph.abi(slot.abi)
            yield abi.kconfig_arch, "can_expr_be", (graph.abi_condition(slot.abi), "y")
            for _, gate in _gates(graph, function, abi):
                yield abi.kconfig_arch, "can_expr_be", (_together(graph, slot.abi, gate), "y")
