"""A syscall's prototype disagrees with its definition.

What it checks:
    For each ``SYSCALL_DEFINEn`` (and old-style C definition) every
    prototype of the same function in the syscall headers has the same
    number of parameters and the same parameter types, wherever the two can
    be compiled in one configuration: an arch's header is compared with
    generic definitions and that arch's own, and ``#ifdef CONFIG_`` around
    either side is joined with the Kbuild gate and the arch's Kconfig. A
    ``__weak`` definition is compared only where no strong one of the same
    name is built (2.6.27's fs/pipe.c ``sys_pipe`` against ia64's own).

    Severity follows the ABI: a different count or a different underlying
    type is an error; ``int`` against ``pid_t`` (same type once typedefs are
    resolved, which the compiler accepts) is a note, or a warning when the
    parameter's name changed too, since the meaning probably did. Types are compared
    after normalisation: whitespace, ``unsigned`` = ``unsigned int``,
    specifier order, annotations such as ``__user``, and parameter names
    are ignored.

Why it matters:
    The compiler never sees both together: the definition's file includes
    the header, but ``SYSCALL_DEFINEn`` declares its own function, so a
    stale prototype compiles cleanly and lies to every caller that uses
    it (compat wrappers, other arches, tracing). The checkpoint/restart
    series hit both kinds: v19 added ``int logfd`` and v16 changed the
    first argument to ``pid_t``.

Example:
    checkpoint/sys.c: ``SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd,
    unsigned long, flags, int, logfd)``; include/linux/syscalls.h:
    ``asmlinkage long sys_checkpoint(pid_t pid, int fd, unsigned long flags);``

Fix:
    Update the prototype to the definition's parameter list.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator

from ckptlint.abi.types import abi_type
from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import compare

ID = "CKL201"
NAME = "prototype-mismatch"
SEVERITY = "error"
SUMMARY = "A syscall's prototype disagrees with its definition"
REQUIRES = frozenset({"prototypes", "definitions", "kbuild", "kconfig"})


def check(graph) -> Iterator[Draft]:
    seen: set = set()
    unparsed = {note.loc for note in graph.notes("unparsed-params")}
    for definition in graph.facts.definitions:
        if definition.kind == "asm" or definition.params is None or definition.loc in unparsed:
            continue
        for proto in graph.prototypes(definition.function):
            if proto.params is None or (proto.loc, definition.function) in seen \
                    or proto.loc in unparsed:  # CKL010 already says it could not be read
                continue
            # the cheap comparison first: most pairs agree, and whether they
            # can meet in one configuration costs Kconfig questions per arch
            problem = compare(proto.params, definition.params)
            if problem is None or _alternative_matches(graph, proto, definition):
                continue
            if compare(proto.params, _respelt(graph, definition)) is None:
                continue  # e.g. signal_32.c's ``#define ucontext ucontext32``
            meet = compiled_together(graph, proto, definition)
            if meet:
                seen.add((proto.loc, definition.function))
                level = severity(proto.params, definition.params)
                said = problem if level is None else f"{problem}: {RESPELT}"
                yield Draft(f"{definition.function}: {said}", proto.loc,
                            (Related(definition.loc, "definition is here"),),
                            symbol=definition.function, key=problem, severity=level,
                            arch=None if meet is True else meet, arch_in_identity=False)


#: Said of a difference in spelling only (a note, or a warning when the name changed too).
RESPELT = "the same type to the compiler, spelt differently"


def compiled_together(graph, proto, definition) -> bool | str:
    """Whether some configuration of a checked arch sees both the prototype and the definition:
    the arches where they meet (``"arc"``, ``"arc, csky"``) when the pair is an arch's own
    (an arch header, an arch definition, an asm-generic header some arches include), True
    when it is every arch's, False when none.

    An arch header is never compared with another arch's definition; and
    ``#ifdef CONFIG_X86_32`` around a prototype keeps it apart from a
    definition built only under ``X86_64``.
    """
    proto_arch, def_arch = graph.in_scope(proto.loc.path), graph.in_scope(definition.loc.path)
    if proto_arch is False or def_arch is False:
        return False
    if "/include/" not in f"/{proto.loc.path}" and not graph.includes(definition.loc.path,
                                                                  proto.loc.path):
        return False  # a private header (sparc's kernel/systbls.h) binds only its includers
    if proto_arch and def_arch and proto_arch != def_arch:
        return False
    srcarch = def_arch or proto_arch
    arches = [srcarch] if srcarch else sorted({graph.abi(a).srcarch for a in graph.abis()})
    generic = proto.loc.path.startswith("include/asm-generic/")
    if generic:
        # only the arches whose asm/ header pulls it in see it (powerpc's
        # own asm/syscalls.h declares sys_mmap with size_t; arc's includes
        # asm-generic/syscalls.h)
        name = proto.loc.path[len("include/asm-generic/"):]
        arches = [a for a in arches if graph.uses_generic(a, name)]
    if not generic and not srcarch:  # every arch's pair: one that meets is enough
        return any(_meet_on(graph, proto, definition, arch) for arch in arches)
    return ", ".join(a for a in arches if _meet_on(graph, proto, definition, a)) or False


def _meet_on(graph, proto, definition, arch: str) -> bool:
    """Whether one configuration of ``arch`` builds the definition and sees the prototype."""
    built = graph.linked_condition(definition, arch)
    if built is None and definition.weak:
        return False  # a strong definition replaces this one on every configuration
    built = built or "y"
    declared = _for_analysis(graph.resolve_arch_wants(
        graph.written_condition(proto.loc.path, proto.loc.line), arch))
    outer = graph.included_under(proto.loc.path)
    if outer != "y":
        declared = f"({outer}) && ({declared})"
    return graph.first_arch_where([built, declared], arch) is not None or not graph.facts.kconfig


#: include/linux/syscalls.h: "prototypes ... for static analysis ... do not include the
#: prototypes if CONFIG_ARCH_HAS_SYSCALL_WRAPPER is enabled" (calling convention only).
_WRAPPER_GUARD = re.compile(r"\bARCH_HAS_SYSCALL_WRAPPER\b")


def _for_analysis(condition: str) -> str:
    """A prototype's condition with the syscall-wrapper guard taken as off: the
    prototypes describe every arch's syscalls, wrapper arches (x86, arm64, s390...)
    included, so whether they are compared does not depend on the arches in scope."""
    return _WRAPPER_GUARD.sub("n", condition) if "ARCH_HAS_SYSCALL_WRAPPER" in condition else condition


def _alternative_matches(graph, proto, definition) -> bool:
    """Whether another prototype of the same name in the same header fits the definition.

    powerpc's asm/syscalls.h declares ``sys_ni_syscall`` twice, under
    ``#ifdef CONFIG_ARCH_HAS_SYSCALL_WRAPPER`` and its ``#else``: one of the
    branches is meant for this definition.
    """
    return any(other.loc.path == proto.loc.path and other.loc != proto.loc
               and other.params is not None and compare(other.params, definition.params) is None
               for other in graph.prototypes(definition.function))


def _respelt(graph, definition):
    """The definition's parameters with its file's identifier renames applied.

    powerpc's signal_32.c serves both ppc32 and the ppc64 compat ABI by
    ``#define ucontext ucontext32`` above its ``COMPAT_SYSCALL_DEFINE3``.
    """
    renames = graph.define_renames(definition.loc.path)
    if not renames:
        return definition.params
    word = re.compile(r"\b(" + "|".join(map(re.escape, renames)) + r")\b")
    return tuple(replace(p, type=word.sub(lambda m: renames[m.group(1)], p.type))
                 for p in definition.params)


def severity(declared, defined) -> str | None:
    """error when the ABI differs; a warning or note when only the spelling does.

    ``int pid`` against ``pid_t pid`` is the same type to the compiler (a
    note); the same respelling with an unrelated parameter name (``int crid``
    against ``pid_t pid``) suggests the argument changed meaning (a warning).
    """
    if len(declared) != len(defined):
        return None
    renamed = False
    for left, right in zip(declared, defined):
        if abi_type(left.type) != abi_type(right.type):
            return None
        if left.type != right.type and left.name and right.name:
            renamed |= left.name not in right.name and right.name not in left.name
    return "warning" if renamed else "note"
