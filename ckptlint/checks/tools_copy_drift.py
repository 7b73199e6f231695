"""A tools/ copy of the syscall list has drifted from the kernel's own.

What it checks:
    The kernel keeps copies of its syscall lists for perf and other tools:
    ``tools/arch/<arch>/include/uapi/asm/unistd.h`` with
    ``tools/include/uapi/asm-generic/unistd.h``, and
    ``tools/perf/arch/<arch>/entry/syscalls/*.tbl``. Each copy is evaluated
    as the kernel's own is: an arch header's ``#define __ARCH_WANT_*`` decide
    which ``#ifdef`` blocks of the generic copy count, at each of the arch's
    word sizes; a ``.tbl`` copy is read row by row. The set of (number, name)
    each ABI gets is compared with what the kernel numbers for that ABI
    (its ``.tbl`` with ``Makefile.syscalls``'s ABIs, or its unistd headers).
    What the copy lacks is reported at the copy's include of the generic
    list (or at the row it would follow); what only the copy has, at its line.

Why it matters:
    Only ``tools/perf/check-headers.sh`` compares a few of these copies, byte
    by byte, when perf is built; a copy that drifts makes ``perf trace`` and
    the selftests show or call the wrong syscall. A byte comparison also
    cannot tell a copy that is merely written differently from one that
    gives another list.

Example:
    linux 6.12: ``tools/arch/riscv/include/uapi/asm/unistd.h`` has no
    ``#define __ARCH_WANT_MEMFD_SECRET``, while
    ``arch/riscv/kernel/Makefile.syscalls`` enables ``memfd_secret`` on
    riscv32 and riscv64: the copy lacks ``memfd_secret`` (447).

Fix:
    Refresh the copy from the kernel's file (for an arch header, add the
    ``__ARCH_WANT_*`` that the arch's ``Makefile.syscalls`` ABIs imply).
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.facts import Location
from ckptlint.findings import Draft, Related

ID = "CKL702"
NAME = "tools-copy-drift"
SEVERITY = "warning"
SUMMARY = "A tools/ copy of a syscall list gives another list than the kernel's"
REQUIRES = frozenset({"numbers", "tables"})


def check(graph) -> Iterator[Draft]:
    in_scope = {graph.abi(a).srcarch for a in graph.abis()}
    extras: dict[tuple, tuple[str, list[str]]] = {}  # one line several arches' copies read: one finding
    if graph.has_tools_generic():
        for path in graph.source_files(("unistd.h",), "tools/arch"):
            parts = path.split("/")
            if parts[2] in in_scope and path == f"tools/arch/{parts[2]}/include/uapi/asm/unistd.h":
                yield from _generic_copy(graph, parts[2], path, extras)
    for path in graph.source_files((".tbl",), "tools/perf/arch"):
        srcarch = path.split("/")[3]
        if srcarch in in_scope:
            yield from _tbl_copy(graph, srcarch, path, extras)
    for (loc, nr, name, source), (path, abis) in extras.items():
        yield Draft(f"tools/ copy has {name} ({nr}) on {', '.join(abis)}, which {source} "
                    "does not", loc, symbol=path, key=f"extra:{nr}:{name}:{','.join(abis)}")


# -- arch headers over the generic copy ---------------------------------------------------

def _generic_copy(graph, srcarch: str, path: str, extras: dict) -> Iterator[Draft]:
    include, copies = graph.tools_generic_copy(srcarch, path)
    if include is None:
        return
    lacks: dict[tuple[int, str], list[str]] = {}
    extra: dict[tuple[int, str], tuple[Location, list[str]]] = {}
    kernel_at: dict[tuple[int, str], Location] = {}
    for label, copy in copies.items():
        kernel = {(n.number, n.name): n.loc for n in graph.numbers(label)}
        if not copy or not kernel:
            continue  # nothing read on one side: no comparison
        for key in sorted(set(kernel) - set(copy)):
            lacks.setdefault(key, []).append(label)
            kernel_at.setdefault(key, kernel[key])
        for key in sorted(set(copy) - set(kernel)):
            extra.setdefault(key, (copy[key], []))[1].append(label)
    yield from _report(path, include, lacks, kernel_at, extra, _why(graph, srcarch), extras)


def _why(graph, srcarch: str) -> Location | None:
    """Where the arch chooses its generic ABIs (6.11+: kernel/Makefile.syscalls)."""
    path = f"arch/{srcarch}/kernel/Makefile.syscalls"
    return Location(path, 1) if graph.has_file(path) else None


# -- tbl copies ----------------------------------------------------------------------------

def _tbl_copy(graph, srcarch: str, path: str, extras: dict) -> Iterator[Draft]:
    """A .tbl copy read through the views (ABI column filters) the kernel builds its
    original with: ``common`` against ``32``/``64``/``spu`` rows is the same list."""
    found = graph.tools_tbl_copy(srcarch, path)
    if found is None:
        return
    original, mine, theirs, views = found
    lacks: dict[tuple[int, str], list[str]] = {}
    kernel_at: dict[tuple[int, str], Location] = {}
    extra: dict[tuple[int, str], tuple[Location, list[str]]] = {}
    for label, view in views:
        seen = lambda rows: {(r.nr, r.name): r for r in rows  # noqa: E731
                             if view.abis is None or r.abi in view.abis}
        copy, kernel = seen(mine), seen(theirs)
        for key in sorted(set(kernel) - set(copy)):
            lacks.setdefault(key, []).append(label)
            kernel_at.setdefault(key, Location(original, kernel[key].line))
        for key in sorted(set(copy) - set(kernel)):
            extra.setdefault(key, (Location(path, copy[key].line), []))[1].append(label)
    first = min((k[0] for k in lacks), default=None)
    follows = max((r.line for r in mine if first is not None and r.nr < first),
                  default=mine[0].line)
    yield from _report(path, follows, lacks, kernel_at, extra, None, extras, original)


# -- findings ------------------------------------------------------------------------------

def _report(path: str, line: int, lacks, kernel_at, extra, why, extras: dict,
            original: str | None = None):
    """The copy's missing rows, one finding; its extra rows are added to ``extras``, by the
    line that holds them (the generic copy's line serves every arch that includes it)."""
    source = original or "the kernel's syscall list"
    if lacks:
        names = ", ".join(f"{name} ({nr}) on {', '.join(abis)}"
                          for (nr, name), abis in sorted(lacks.items()))
        related = [Related(kernel_at[key], f"the kernel numbers {key[1]} here")
                   for key in sorted(lacks)[:3]]
        if why is not None:
            related.append(Related(why, "the ABIs the kernel builds are chosen here"))
        yield Draft(f"tools/ copy lacks what {source} has: {names}", Location(path, line),
                    tuple(related), symbol=path, key=f"lacks:{names}")
    for (nr, name), (loc, abis) in sorted(extra.items()):
        # the symbol (in the fingerprint) stays the first copy that reads the line
        extras.setdefault((loc, nr, name, source), (path, []))[1].extend(abis)
