"""A file could not be read or parsed, so checks that need it are blind.

What it checks:
    Nothing about the kernel: it reports what ckptlint skipped, once, at
    its path: a warning when the file is an input of the syscall wiring (a
    table, unistd header, syscall header, kernel/sys_ni.c, a C or assembly
    file, a Makefile or Kconfig file), naming the checks that stood down for
    want of it (they derive no finding from what they could not read), and a
    note otherwise. A symlink that leads out of the tree or loops (at the link);
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


#: Runs after every other check: it says which of them stood down on each skipped input.
LAST = True


def check(graph) -> Iterator[Draft]:
    from ckptlint.unknown import Cause

    ledger = graph.ledger
    for note in graph.notes():
        stood_down = ledger.checks(Cause(note.loc, note.message)) if ledger is not None else []
        if stood_down:
            yield Draft(f"{note.message}; checks that stood down for want of it: "
                        f"{', '.join(stood_down)}", note.loc, key=note.kind, severity="warning")
        elif graph.is_wiring_input(note.loc.path, note.kind):
            yield Draft(note.message, note.loc, key=note.kind, severity="warning")
        else:
            yield Draft(note.message, note.loc, key=note.kind)
    for kind, message, loc in graph.facts.problems:
        yield Draft(message, loc, key=kind)
