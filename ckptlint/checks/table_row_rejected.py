"""A ``.tbl`` row that the kernel's own table script rejects or passes on mangled.

What it checks:
    ``scripts/syscalltbl.sh`` reads each row with the shell's
    ``read nr abi name native compat noreturn``: whatever follows the compat
    column lands in ``noreturn`` verbatim, and nothing strips a comment or a
    carriage return first. In a tree whose script checks that column (6.12
    on), a row whose sixth field is anything but ``noreturn`` stops the build
    (an error here). Before that (5.x-6.11, ``read ... native compat``), a
    comment after a row becomes the compat entry, which breaks every compat
    table built from the file (a warning); a ``#`` in the native column breaks
    them all (an error). A tree whose tables another script reads is not
    judged here.

Why it matters:
    ckptlint, like a reader, sees ``472 common fchroot sys_fchroot # new``
    as a row and a comment; the kernel's script sees ``noreturn`` = ``new``
    and exits with ``invalid string "new" in 'noreturn' column``. A table
    saved with DOS line endings fails the same way at its first noreturn row
    (``noreturn\\r``): one finding for the file, at that row.

Example:
    arch/x86/entry/syscalls/syscall_64.tbl::

        472  common  fchroot  sys_fchroot  # new in 7.3

Fix:
    Put the comment on a line of its own (``# ...`` at the start of a line),
    or save the file with Unix line endings.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL112"
NAME = "table-row-rejected"
SEVERITY = "error"
SUMMARY = "A .tbl row that the kernel's table script rejects or passes on mangled"
REQUIRES = frozenset({"tables"})

#: The kernel script, and what tells its era: the noreturn check (6.12 on), or
#: plain ``read`` of the columns (5.x on).
SCRIPT = "scripts/syscalltbl.sh"
_NORETURN_CHECK = "in 'noreturn' column"
_READS_COLUMNS = "while read nr abi name native compat"


def check(graph) -> Iterator[Draft]:
    from ckptlint.extract.tbl import parse_rows

    script = graph.tree.read_text(SCRIPT) or ""
    if _READS_COLUMNS not in script:
        return
    strict = _NORETURN_CHECK in script
    used: dict[str, set[int]] = {}  # rows some ABI's view takes (the script runs on those)
    for label in graph.abis():
        abi = graph.abi(label)
        if graph.facts.table_kind.get(label) == "numbered" and abi.path.endswith(".tbl"):
            used.setdefault(abi.path, set()).update(
                e.loc.line for e in graph.table(label) if e.loc.path == abi.path)
    for path, lines in sorted(used.items()):
        crlf = []
        for row in parse_rows(graph.tree, path):
            if row.line not in lines:
                continue
            if strict and row.tail.endswith("\r") and row.tail.rstrip("\r") in ("", "noreturn"):
                crlf.append(row)
                continue
            found = _rejected(row, strict)
            if found is not None:
                message, severity = found
                yield Draft(f"{row.name} ({row.nr}): {message}", _at(path, row.line),
                            symbol=row.name, key="row", severity=severity)
        if crlf:
            first = crlf[0]
            others = (Related(_at(path, r.line), "and here") for r in crlf[1:4])
            yield Draft(f"{SCRIPT} stops the build at this row: invalid string \"noreturn\\r\" in "
                        f"the 'noreturn' column (the file has DOS line endings; "
                        f"{len(crlf)} row{'s' if len(crlf) > 1 else ''} end so)",
                        _at(path, first.line), tuple(others), symbol=first.name, key="crlf")


def _rejected(row, strict: bool) -> tuple[str, str] | None:
    """(what the script does with the row, severity), or None when it takes it as written."""
    comment = " (it does not strip a comment after a row)"
    if row.native_field.startswith("#"):
        return (f"{SCRIPT} passes \"{row.native_field}\" on as the entry point" + comment, "error")
    if strict and row.tail and row.tail != "noreturn":
        why = comment if "#" in f"{row.compat_field} {row.tail}" else ""
        if row.tail.endswith("\r"):
            why = " (the line ends in a carriage return)"
        return (f"{SCRIPT} stops the build at this row: invalid string \"{_shown(row.tail)}\" in "
                f"the 'noreturn' column" + why, "error")
    compat = row.compat_field if strict else " ".join(p for p in (row.compat_field, row.tail) if p)
    if compat.startswith("#"):
        return (f"{SCRIPT} passes \"{_shown(compat)}\" on as the compat entry, which breaks "
                f"every compat table built from this file" + comment, "warning")
    return None


def _shown(text: str) -> str:
    return text.replace("\r", "\\r")


def _at(path: str, line: int):
    from ckptlint.facts import Location

    return Location(path, line)
