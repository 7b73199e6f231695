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

    All the syscalls and ABIs one gate leaves dead are one finding, at the
    first table line, the others as related lines. A gate symbol that no arch
    of the tree can set (neither prompt, nor default, nor select: a dead
    feature) is reported at its ``config`` line instead. When the gate's symbol is
    defined by a Kconfig file that no arch's Kconfig sources (a dropped
    ``source "security/landlock/Kconfig"``), that is the cause: the finding
    is at the ``source`` lines of the directory above, where it belongs.

    Without a fallback the link fails in that configuration: that is
    CKL301's error, and this check says nothing more about it. A gate
    naming a symbol no Kconfig file defines is CKL502's finding.

Fix:
    Enable the support symbol for that arch, or drop the table entry; source
    the Kconfig file that defines the gate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ckptlint.checks.missing_cond_syscall import link_failures
from ckptlint.findings import Draft, Related
from ckptlint.kconfig import names
from ckptlint.kconfig.exprtext import readable
from ckptlint.kconfig.query import explain_expr
from ckptlint.kconfig.toolchain import UNEVALUATED
from ckptlint.unknown import is_no, is_yes

ID = "CKL404"
NAME = "gate-never-enabled"
SEVERITY = "warning"
SUMMARY = "A table wires a syscall whose object its arch can never build"
REQUIRES = frozenset({"tables", "definitions", "cond_syscalls", "kbuild", "kconfig", "kconfig_symbols"})


def check(graph) -> Iterator[Draft]:
    if graph.unread("definitions") is not None:
        return  # an unread file may hold a definition its arch can build
    never: dict[str, list] = defaultdict(list)  # gate -> [(function, slot, model, definition)]
    for function, slots in sorted(graph.wired_entries().items()):
        for slot in slots:
            abi = graph.abi(slot.abi)
            if graph.unread("kbuild", abi.srcarch) is not None or abi.inherits(slot.loc):
                continue  # um runs its host's table as it is: a gate um lacks is by design
            model = graph.kconfig(abi.kconfig_arch)
            if model is None or not is_yes(model.can_expr_be(graph.abi_condition(slot.abi))):
                continue  # an ABI its arch can never build says nothing about one syscall
            gates = _gates(graph, function, abi)
            if not gates or not all(is_no(model.can_expr_be(_together(graph, slot.abi, g)))
                                    for _, g in gates):
                continue  # some gate can be y, or cannot be evaluated: no finding
            definition, gate = gates[0]
            if _names_undefined(graph, gate):
                continue  # CKL502's finding, at the Makefile or #if that names it
            never[gate].append((function, slot, model, definition))
    # with no fallback the link fails: that is CKL301's finding, at the definition
    failing = {(function, abi) for function, (_, abis) in link_failures(graph).items()
               for abi, _, _ in abis}
    # one finding a gate: every syscall and ABI it leaves dead is one cause
    for gate, members in sorted(never.items()):
        members = [m for m in members if (m[0], m[1].abi) not in failing]
        if members:
            yield _finding(graph, gate, members)


def _finding(graph, gate: str, members: list) -> Draft:
    functions = sorted({function for function, *_ in members})
    labels = sorted({slot.abi for _, slot, _, _ in members})
    arches = sorted({model.arch.label for _, _, model, _ in members})
    function, first, model, definition = min(members, key=lambda m: (m[1].loc, m[1].abi))
    stubbed = all(graph.entry_cond_syscalls(f) for f in functions)
    root = unsourced_definition(graph, gate, [m for _, _, m, _ in members])
    related = []
    if root is not None:
        related += [Related(root[1], f"{root[0]} is defined here, in a file no Kconfig sources")]
    related.append(Related(definition.loc, f"{function} is defined here, built only if {readable(gate)}"))
    related += [Related(loc, why) for why, loc in explain_expr(model, gate)]
    related += [Related(slot.loc, f"wired for {slot.abi} here") for _, slot, _, _ in
                sorted(members, key=lambda m: (m[1].loc, m[1].abi)) if slot is not first]
    what = (f"{functions[0]} is wired" if len(functions) == 1
            else f"{len(functions)} syscalls are wired ({', '.join(functions)})")
    where = labels[0] if len(labels) == 1 else f"{len(labels)} ABIs"
    on = arches[0] if len(arches) == 1 else ', '.join(arches)
    dead = _dead_everywhere(graph, gate) if root is None else None
    message = (f"{what} for {where}, but {readable(gate)} can never be y on {on}"
               if readable(gate) != "n" else f"{what} for {where}, but never built on {on}")
    if dead is not None:  # no arch can build it: the symbol is what a person edits
        message = f"{what} for {where}, but {dead[0]} can be y on no arch"
    if root is not None:
        message += f": {root[1].path} defines {root[0]}, but no Kconfig file sources it"
    elif stubbed:
        message += "; " + ("it always falls back" if len(functions) == 1 else "they always fall back") \
            + " to sys_ni_syscall"
    loc = root[2] if root is not None else first.loc
    if dead is not None:
        related.insert(0, Related(first.loc, f"wired for {first.abi} here"))
        loc = dead[1]
    return Draft(message, loc, tuple(related), arch=labels[0] if len(labels) == 1 else None,
                 symbol=functions[0] if len(functions) == 1 else gate, key=gate)


def _dead_everywhere(graph, gate: str):
    """(symbol, its ``config`` line) when ``gate`` is one symbol that no arch of the tree
    can set to y, each arch's Kconfig evaluated (a dead feature: a symbol with neither
    prompt nor default nor select); None otherwise, or when some arch was not evaluated."""
    symbol = gate.strip()
    if not re.fullmatch(r"[A-Za-z0-9_]+", symbol):
        return None
    loc = graph.facts.kconfig_symbols.get(symbol)
    models = graph.facts.kconfig
    srcarches = {model.arch.srcarch for model in models.values()}
    if loc is None or not models or set(graph.tree.srcarches) - srcarches:
        return None
    if not all(is_no(model.can_be(symbol)) for model in models.values()):
        return None
    return symbol, loc


def unsourced_definition(graph, gate: str, models: list):
    """(symbol, its definition, where to source it) when a symbol of ``gate`` that
    every one of ``models`` lacks is defined by a Kconfig file no arch reads."""
    import re

    everywhere = graph.facts.kconfig_symbols
    evaluated = {m.arch.srcarch for m in graph.facts.kconfig.values()}
    for symbol in sorted(set(re.findall(r"[A-Za-z0-9_]+", gate))):
        loc = everywhere.get(symbol)
        if loc is None or not all(is_no(m.is_defined(symbol)) for m in models):
            continue
        parts = loc.path.split("/")
        if parts[0] == "arch" and len(parts) > 2 and parts[1] not in evaluated:
            continue  # another arch's own Kconfig (KEXEC in arch/arm/Kconfig): not unsourced
        if any(m.reads_file(loc.path) is not False for m in graph.facts.kconfig.values()):
            continue  # some arch reads it (or that is not knowable): not this cause
        return symbol, loc, _source_site(graph, loc.path)
    return None


def _source_site(graph, path: str):
    """The ``source`` line of a Kconfig file above ``path`` that sources its siblings
    (security/Kconfig's ``source "security/selinux/Kconfig"``), else ``path`` itself."""
    import re

    from ckptlint.facts import Location

    parts = path.split("/")
    for depth in range(len(parts) - 2, 0, -1):
        parent, child_dir = "/".join(parts[:depth]), "/".join(parts[:depth + 1])
        for candidate in (f"{parent}/Kconfig", f"{parent}/Kconfig.{parts[depth - 1]}"):
            lines = graph.source_lines(candidate) if graph.has_file(candidate) else []
            sources = [(n, line) for n, line in enumerate(lines, start=1)
                       if line.lstrip().startswith(("source", "rsource", "osource"))
                       and f"{parent}/" in line and child_dir not in line]
            # a sibling directory's Kconfig first (security/selinux/Kconfig), then any
            siblings = [n for n, line in sources if re.search(rf"{re.escape(parent)}/[^/\"]+/Kconfig", line)]
            if siblings or sources:
                return Location(candidate, (siblings or [n for n, _ in sources])[-1])
    return Location(path, 1)


def _gates(graph, function: str, abi) -> list[tuple]:
    """(definition, gate) of each built definition of ``function`` on the ABI's arch: its
    Kbuild gate and the ``#if`` around it in its file (7.3's rseq_slice_yield is under
    ``#ifdef CONFIG_RSEQ_SLICE_EXTENSION`` in kernel/rseq.c, built with RSEQ)."""
    gates = [(d, graph.source_condition(d.loc.path, d.loc.line, abi.srcarch, d.function))
             for d in graph.entry_definitions(function)]
    return [(d, g) for d, g in gates if g is not None]


_SYMBOL = re.compile(r"\b[A-Za-z][A-Za-z0-9_]*\b")


def _names_undefined(graph, gate: str) -> bool:
    """Whether the gate names a symbol no Kconfig file of the tree defines (a misspelt
    ``obj-$(CONFIG_CHEKCPOINT_RESTART)``): CKL502 reports that at the line naming it."""
    defined = graph.facts.kconfig_symbols
    if not defined:
        return False
    return any(not names.is_defined(word, defined) for word in _SYMBOL.findall(gate)
               if word not in ("y", "m", "n") and not word.startswith(UNEVALUATED))


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
