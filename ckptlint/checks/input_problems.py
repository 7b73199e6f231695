"""A file could not be read or parsed, so checks that need it are blind.

What it checks:
    Nothing about the kernel: it reports what ckptlint skipped, once, at
    its path. A symlink that leads out of the tree or loops (at the link);
    a FIFO, socket or device (never opened); a file over the size cap
    (``--max-file-size``); a file that cannot be opened; a name with
    non-printable characters; a Makefile ``include`` cycle, an include
    outside the tree, a stray ``else``/``endif``; a ``.rept`` cut at 65536
    table slots; a prototype or ``SYSCALL_DEFINE`` that the C parser could
    not read.

Why it matters:
    A silent skip would look like a clean result. Every skip is stated at
    its path so that a reviewer knows which facts are missing.

Example:
    include/linux/syscalls.h -> /etc/passwd (a symlink out of the tree).

Fix:
    Usually none is needed in the tree; report a parse failure on a real
    kernel file as a ckptlint bug.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL010"
NAME = "unreadable-input"
SEVERITY = "note"
SUMMARY = "A file could not be read or parsed; checks that need it are blind"
REQUIRES: frozenset = frozenset()
OPTIONS: dict = {}


def check(graph, options) -> Iterator[Draft]:
    for note in graph.tree.notes:
        yield Draft(note.message, note.loc, key=note.kind)
    for kind, message, loc in graph.facts.problems:
        yield Draft(message, loc, key=kind)
