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
    A syscall the generic copy does not name at all, however many arch headers
    read it, is one finding at the generic copy, where it would follow.

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

import re
from typing import Iterator

from ckptlint.facts import Location
from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import compared_with_i386

ID = "CKL702"
NAME = "tools-copy-drift"
SEVERITY = "warning"
SUMMARY = "A tools/ copy of a syscall list gives another list than the kernel's"
REQUIRES = frozenset({"numbers", "tables"})


def check(graph) -> Iterator[Draft]:
    in_scope = {graph.abi(a).srcarch for a in graph.abis()}
    extras: dict[tuple, tuple[str, list[str]]] = {}  # one line several arches' copies read: one finding
    if graph.has_tools_generic():
        # what the generic copy itself lacks, whichever arch header reads it: one finding there
        shared = _SharedLacks(graph)
        for path in graph.source_files(("unistd.h",), "tools/arch"):
            parts = path.split("/")
            if parts[2] in in_scope and path == f"tools/arch/{parts[2]}/include/uapi/asm/unistd.h":
                yield from _generic_copy(graph, parts[2], path, extras, shared)
        yield from shared.report()
    for path in graph.source_files((".tbl",), "tools/perf/arch"):
        srcarch = path.split("/")[3]
        if srcarch in in_scope:
            yield from _tbl_copy(graph, srcarch, path, extras)
    for (loc, nr, name, source), (path, abis) in extras.items():
        yield Draft(f"tools/ copy has {name} ({nr}) on {', '.join(abis)}, which {source} "
                    "does not", loc, symbol=path, key=f"extra:{nr}:{name}:{','.join(abis)}")


# -- arch headers over the generic copy ---------------------------------------------------

class _SharedLacks:
    """(number, name) pairs that the generic copy does not name at all, by ABI: no arch
    header can make the copy give them, so the generic copy is the file to refresh (a new
    generic syscall not yet copied would otherwise be one finding per arch header)."""

    def __init__(self, graph) -> None:
        from ckptlint.extract.tools_copies import TOOLS_GENERIC

        self.path = TOOLS_GENERIC
        self.named: dict[str, int] = {}  # __NR_ name -> its line in the copy
        self.numbered: list[tuple[int, int]] = []  # (number, line) of plain numeric defines
        for number, line in enumerate(graph.source_lines(TOOLS_GENERIC), start=1):
            match = _NR_DEFINE.match(line)
            if match:
                self.named.setdefault(match.group(1), number)
                if match.group(2).isdigit():
                    self.numbered.append((int(match.group(2)), number))
        self.lacks: dict[tuple[int, str], list[str]] = {}
        self.kernel_at: dict[tuple[int, str], Location] = {}
        self.graph = graph
        self._rows: dict[str, dict[int, str]] = {}

    def take(self, key: tuple[int, str], label: str, kernel_at: Location) -> bool:
        """Keep a pair the copy lacks for ``label`` when the kernel numbers it in its generic
        list and the generic copy never names it (an arch's own syscall, riscv_hwprobe,
        belongs in the arch header's copy)."""
        if key[1] in self.named or kernel_at.path.startswith("arch/") or self._arch_row(kernel_at):
            return False
        self.lacks.setdefault(key, []).append(label)
        self.kernel_at.setdefault(key, kernel_at)
        return True

    def _arch_row(self, loc: Location) -> bool:
        """Whether the kernel numbers it in a row of the generic table for one arch only
        (6.12's ``258 riscv riscv_hwprobe`` in scripts/syscall.tbl)."""
        if not loc.path.endswith(".tbl"):
            return False
        from ckptlint.extract.tbl import parse_rows

        if loc.path not in self._rows:
            self._rows[loc.path] = {row.line: row.abi for row in parse_rows(self.graph.tree, loc.path)}
        return self._rows[loc.path].get(loc.line) in self.graph.tree.srcarches

    def report(self) -> Iterator[Draft]:
        if not self.lacks:
            return
        first = min(nr for nr, _ in self.lacks)
        line = max((ln for nr, ln in self.numbered if nr < first), default=1)
        yield from _report(self.path, line, self.lacks, self.kernel_at, {}, None, {})


#: ``#define __NR_name value`` (also ``__NR3264_name``) in the generic copy.
_NR_DEFINE = re.compile(r"^\s*#\s*define\s+__NR(?:3264)?_(\w+)\s+(\S+)")


def _generic_copy(graph, srcarch: str, path: str, extras: dict,
                  shared: _SharedLacks) -> Iterator[Draft]:
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
            if shared.take(key, label, kernel[key]):
                continue
            lacks.setdefault(key, []).append(label)
            kernel_at.setdefault(key, kernel[key])
        for key in sorted(set(copy) - set(kernel)):
            if not _missing_in_kernel(graph, key[1], label):
                extra.setdefault(key, (copy[key], []))[1].append(label)
    yield from _report(path, include, lacks, kernel_at, extra, _why(graph, srcarch), extras)


def _missing_in_kernel(graph, name: str, label: str) -> bool:
    """Whether the kernel's own table lacks a call the copy has and i386 numbers, which
    CKL602 reports at the kernel's table: the copy is right, the kernel is one short."""
    if not compared_with_i386(graph, name, label) or name in graph.facts.ignored.get(label, {}):
        return False
    ignored = graph.__dict__.get("_checksyscalls_ignored")
    if ignored is None:  # what scripts/checksyscalls.sh lets pass everywhere: CKL602 is silent
        ignored = graph.__dict__["_checksyscalls_ignored"] = set(re.findall(
            r"#\s*define\s+__IGNORE_(\w+)", graph.source_text("scripts/checksyscalls.sh")))
    return name not in ignored


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
            if not _missing_in_kernel(graph, key[1], label):
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
