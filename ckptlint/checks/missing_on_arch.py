"""A syscall of the reference set has no number on an arch.

What it checks:
    Like the kernel's ``scripts/checksyscalls.sh``: every syscall that i386
    numbers (the kernel's reference list) is numbered on each arch's native
    ABI, unless the tree marks it ignored (``__IGNORE_x`` in the arch's
    headers or in checksyscalls.sh, e.g. ``open`` for arches that only have
    ``openat``). Compat and alternate ABIs (x32, ia32, *-compat) are not
    compared, nor are the two halves of one arch family (2.6's arch/i386 and
    arch/x86_64). The finding is a note, not a warning, when the syscall's gate
    cannot be enabled on that arch, and in trees older than the script
    (2.6.22), whose own tools never compared the arches. A syscall missing on
    several ABIs is one finding, at the first ABI's table, naming them all.
    The i386 list is the reference whatever arches the run is narrowed to.

Why it matters:
    A syscall added for x86 and forgotten elsewhere leaves user space on
    those arches with ``ENOSYS`` and no number to try; the kernel's own
    build only prints this as a ``#warning`` that scrolls by.

Example:
    ``__NR_checkpoint`` in unistd_32.h, nothing in arch/s390/include/asm/unistd.h
    while s390 can enable CHECKPOINT.

Fix:
    Wire the syscall on that arch, or add ``#define __IGNORE_x`` with a
    comment saying why it is not wanted there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ckptlint.facts import Location
from ckptlint.findings import Draft, Related
from ckptlint.graph.abis import family
from ckptlint.graph.queries import gate_possible, gate_severity

ID = "CKL602"
NAME = "missing-on-arch"
SEVERITY = "warning"
SUMMARY = "A syscall of the reference (i386) set has no number on an arch"
REQUIRES = frozenset({"numbers", "tables", "definitions", "kbuild", "kconfig"})

REFERENCE = "i386"
_REFERENCE_ARCH = "x86"
CHECKSYSCALLS = "scripts/checksyscalls.sh"
_IGNORE = re.compile(r"#\s*define\s+__IGNORE_(\w+)")


def check(graph) -> Iterator[Draft]:
    reference = {}
    for number in graph.facts.reference_numbers.get(REFERENCE, graph.numbers(REFERENCE)):
        reference.setdefault(number.name, number)
    if not reference:
        return
    ignored_everywhere = set(_IGNORE.findall(graph.source_text(CHECKSYSCALLS)))
    # before 2.6.22 (checksyscalls.sh) no tool of the kernel compared the arches:
    # what it let pass is a note
    era = "note" if (0, 0, 0) < graph.version() < (2, 6, 22) else None
    missing: dict[tuple[str, str | None], list] = defaultdict(list)
    for abi in graph.abis():
        info = graph.abi(abi)
        if abi == REFERENCE or info.is_secondary or family(info.srcarch) == family(_REFERENCE_ARCH):
            continue
        have = set(graph.name_index(abi)) | {e.nr_name for e in graph.table(abi) if e.nr_name}
        ignored = ignored_everywhere | set(graph.facts.ignored.get(abi, {}))
        for name, num in reference.items():
            if name in have or name in ignored:
                continue
            severity, why = gate_severity(gate_possible(graph, name, abi), info.kconfig_arch)
            missing[(name, severity or era)].append((abi, info, why))
    # one finding a syscall (and severity): the ABIs that lack it are its related lines
    for (name, severity), lacking in sorted(missing.items(), key=lambda i: (reference[i[0][0]].number,
                                                                            i[0][0], i[0][1] or "")):
        num = reference[name]
        first, info, why = lacking[0]
        where = first if len(lacking) == 1 else f"{len(lacking)} ABIs ({', '.join(a for a, _, _ in lacking)})"
        why = why if len({w for _, _, w in lacking}) == 1 else "; its gate cannot be enabled there"
        related = [Related(num.loc, f"i386 numbers it {num.number} here")]
        related += [Related(_after(graph, a, i.path or num.loc.path, num, reference), f"{a} lacks it")
                    for a, i, _ in lacking[1:]]
        yield Draft(f"{name} is numbered on i386 but not on {where}{why if severity else ''}",
                    _after(graph, first, info.path or num.loc.path, num, reference), tuple(related),
                    arch=first if len(lacking) == 1 else None, symbol=name, severity=severity,
                    key=name)


def _after(graph, abi: str, path: str, missing, reference) -> Location:
    """Where the missing syscall would go in ``path``: its own row when the file has one
    that the ABI's view leaves out (``463 32 frob`` where ``common`` was meant), else the
    line of the nearest syscall below it in i386's numbering that the ABI has (line 1 if
    none)."""
    rows = graph.__dict__.setdefault("_rows_by_path", {})
    if path not in rows:
        found: dict[str, Location] = {}
        for other in graph.abis():
            for entry in graph.table(other):
                if entry.loc.path == path and entry.nr_name:
                    found.setdefault(entry.nr_name, entry.loc)
        rows[path] = found
    if missing.name in rows[path]:
        return rows[path][missing.name]
    lines = {}
    for entry in graph.table(abi):
        if entry.loc.path == path and entry.syscall:
            lines.setdefault(entry.syscall, entry.loc.line)
    for num in graph.numbers(abi):
        if num.loc.path == path:
            lines.setdefault(num.name, num.loc.line)
    below = [n for n in reference.values() if n.number < missing.number and n.name in lines]
    if not below:
        return Location(path, 1)
    return Location(path, lines[max(below, key=lambda n: n.number).name])
