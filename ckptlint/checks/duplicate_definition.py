"""A syscall is defined twice in objects that can be built together.

What it checks:
    For each function with more than one C definition, no two of them sit
    in objects that some configuration of one arch builds at the same
    time (a ``__weak`` one gives way to the other at link time; two definitions in one file are left to the compiler, which
    sees them together and usually sits them under ``#ifdef``). Kbuild conditions are joined with the arch's Kconfig: two
    definitions under ``X86_32`` and ``X86_64`` never meet.

Why it matters:
    Two strong definitions of one symbol fail the link, but only in the
    configuration that builds both, which may be one nobody in the series
    tried.

Example:
    ``SYSCALL_DEFINE4(checkpoint, ...)`` in checkpoint/sys.c (built under
    CHECKPOINT) and again in kernel/sys.c (always built).

Fix:
    Keep one definition; move arch variants under exclusive conditions.
"""

from __future__ import annotations

from collections import defaultdict
import re
from itertools import combinations
from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL204"
NAME = "duplicate-definition"
SEVERITY = "error"
SUMMARY = "A syscall is defined twice in objects that can be built together"
REQUIRES = frozenset({"definitions", "kbuild", "kconfig"})


def check(graph) -> Iterator[Draft]:
    by_function = defaultdict(list)
    for definition in graph.facts.definitions:
        if definition.kind != "asm":
            by_function[definition.function].append(definition)
    reported: set = set()
    for function, defs in sorted(by_function.items()):
        for first, second in combinations(defs, 2):
            if first.loc.path == second.loc.path:
                continue  # alternatives under #ifdef in one file; the compiler sees both
            if first.weak or second.weak:
                continue  # a weak definition gives way to a strong one at link time
            if _renamed(graph, first) or _renamed(graph, second):
                continue
            arch = _built_together(graph, first, second)
            if arch is None or second.loc in reported:
                continue
            reported.add(second.loc)
            yield Draft(f"{function} is defined again; both definitions are built on {arch}",
                        second.loc, (Related(first.loc, "first definition"),),
                        arch=arch, symbol=function, key=first.loc.path)


def _renamed(graph, definition) -> bool:
    """Whether the defining file renames the function with ``#define``.

    2.6.33's powerpc signal_32.c serves ppc32 and the ppc64 compat ABI:
    under CONFIG_PPC64 it has ``#define sys_swapcontext compat_sys_swapcontext``,
    so there it defines the compat entry, not a second sys_swapcontext.
    """
    text = graph.source_text(definition.loc.path)
    return re.search(rf"^[ \t]*#[ \t]*define[ \t]+{re.escape(definition.function)}[ \t]+\w+[ \t]*$",
                     text, re.M) is not None


def _built_together(graph, first, second) -> str | None:
    """The first Kconfig arch on which both definitions can be compiled, if any."""
    for srcarch in sorted({m.arch.srcarch for m in graph.facts.kconfig.values()}):
        cond_a = graph.source_condition(first.loc.path, first.loc.line, srcarch, first.function)
        cond_b = graph.source_condition(second.loc.path, second.loc.line, srcarch, second.function)
        if cond_a is not None and cond_b is not None:
            extra = [] if (first.kind == "SYSCALL_DEFINE") == (second.kind == "SYSCALL_DEFINE") \
                else ["!ARCH_HAS_SYSCALL_WRAPPER"]  # wrappers rename SYSCALL_DEFINE's symbol
            label = graph.first_arch_where([cond_a, cond_b] + extra, srcarch)
            if label is not None:
                return label
    return None
