"""A wired syscall has no prototype in any syscall header.

What it checks:
    Each generic ``SYSCALL_DEFINEn`` function (outside ``arch/``) that a
    syscall table calls is declared in ``include/linux/syscalls.h`` or an
    arch ``asm/syscalls.h``, and every arch whose table calls it sees one of
    those declarations: a generic header is every arch's, an arch header
    only its own arch's, an ``asm-generic`` header the arches that include
    it. Arch-only syscalls are left out: 6.x wrapper arches generate their
    prototypes from the ``.tbl`` at build time.

Why it matters:
    Without a prototype, nothing checks the definition against its other
    users, and sparse warns that the symbol was not declared.

Example:
    checkpoint/sys.c defines ``SYSCALL_DEFINE4(restart, ...)``, the i386
    table calls ``sys_restart``, and no header declares it. Or 2.6.30's
    ``sys_pipe2``: declared only in powerpc's ``asm/syscalls.h`` while the
    asm-generic table, a C array, needed it on every arch.

Fix:
    Add ``asmlinkage long sys_restart(...);`` to include/linux/syscalls.h.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.facts import Location
from ckptlint.findings import Draft, Related

ID = "CKL202"
NAME = "missing-prototype"
SEVERITY = "warning"
SUMMARY = "A wired syscall has no prototype in any syscall header"
REQUIRES = frozenset({"tables", "prototypes", "definitions"})


def check(graph) -> Iterator[Draft]:
    if graph.unread("prototypes") is not None:
        return  # a header that could not be read may declare it
    wired = graph.wired_entries()
    undeclared = []
    for definition in graph.facts.definitions:
        if definition.kind != "SYSCALL_DEFINE" or definition.function not in wired \
                or definition.loc.path.startswith("arch/"):
            continue
        prototypes = graph.prototypes(definition.function)
        if not prototypes:
            undeclared.append(definition)
            continue
        unseen = _arches_without(graph, prototypes, wired[definition.function])
        if unseen:
            where = ", ".join(sorted({p.loc.path for p in prototypes}))
            yield Draft(f"{definition.function} is called from the tables of {', '.join(unseen)}, "
                        f"which see none of the headers that declare it ({where})",
                        definition.loc, symbol=definition.function, key="no-prototype-here")
    yield from _undeclared(graph, undeclared)


#: The generic prototype header; when it declares no syscall at all (emptied, or its
#: prototypes moved elsewhere), that is one mistake, not one per syscall.
SYSCALLS_H = "include/linux/syscalls.h"
_EMPTIED = 3


def _undeclared(graph, definitions) -> Iterator[Draft]:
    if (len(definitions) >= _EMPTIED and graph.has_file(SYSCALLS_H)
            and not any(p.loc.path == SYSCALLS_H for p in graph.facts.prototypes)):
        names = sorted({d.function for d in definitions})
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        yield Draft(f"{SYSCALLS_H} declares no syscall: {len(names)} syscalls the tables call "
                    f"have no prototype ({shown})", Location(SYSCALLS_H, 1),
                    tuple(Related(d.loc, f"{d.function} is defined here") for d in definitions[:3]),
                    symbol=SYSCALLS_H, key="no-prototypes-at-all")
        return
    typos = _misspelt_prototypes(graph, {d.function for d in definitions})
    for definition in definitions:
        typo = typos.get(definition.function)
        if typo is not None:  # declared under another name: one finding, at the line to fix
            yield Draft(f"{typo.function} is declared here but defined nowhere, and "
                        f"{definition.function}, which a syscall table calls, is declared "
                        f"nowhere: did you mean {definition.function}?", typo.loc,
                        (Related(definition.loc, f"{definition.function} is defined here"),),
                        symbol=definition.function, key="no-prototype")
            continue
        yield Draft(f"{definition.function} is called from a syscall table but no header "
                    f"declares it", definition.loc, symbol=definition.function,
                    key="no-prototype")


def _misspelt_prototypes(graph, undeclared: set[str]) -> dict:
    """function -> the prototype in a header that declares a close name nothing defines
    (``sys_forb`` for ``sys_frob``): the declaration meant for it."""
    from ckptlint.suggest import did_you_mean

    if not undeclared:
        return {}
    defined = graph.defined_functions()
    out: dict = {}
    for prototype in graph.facts.prototypes:
        if prototype.function in defined or prototype.function in undeclared:
            continue
        meant = did_you_mean(prototype.function, undeclared)
        if meant is not None:
            out.setdefault(meant, prototype)
    return out


def _arches_without(graph, prototypes, slots) -> list[str]:
    """The srcarches whose tables call the function and that see none of its prototypes: a
    generic header's is every arch's, an arch header's only its own (2.6.30: pipe2, declared
    only in powerpc's asm/syscalls.h while the generic table called it everywhere)."""
    seen_by: set[str] = set()
    for proto in prototypes:
        owner = graph.in_scope(proto.loc.path)
        if owner is None:
            path = proto.loc.path
            if not path.startswith("include/asm-generic/"):
                return []  # include/linux/syscalls.h and the like: every arch sees it
            name = path[len("include/asm-generic/"):]
            seen_by.update(a for a in _srcarches(graph, slots) if graph.uses_generic(a, name))
        elif owner:
            seen_by.add(owner)
    return [a for a in _srcarches(graph, slots) if a not in seen_by]


def _srcarches(graph, slots) -> list[str]:
    return sorted({graph.abi(slot.abi).srcarch for slot in slots})
