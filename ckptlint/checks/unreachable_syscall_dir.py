"""A syscall's defining file is never built: Kbuild does not reach it.

What it checks:
    For each function a syscall table calls, at least one of its
    definitions (generic, or under the table's own ``arch/``) is in an
    object that the Kbuild descent reaches: the top Makefile's
    ``core-y``/``init-y``/``drivers-y``/``net-y``/``libs-y``, the arch
    Makefile, then ``obj-y``/``obj-$(CONFIG_X)`` of each directory. The
    finding names the highest directory the descent never enters, at the
    file that should list it (the top-level list, or its parent's kbuild
    file: the file to edit), or the Makefile that does not list the object.

Why it matters:
    With ``cond_syscall()`` in place the kernel links fine and the syscall
    silently returns ``-ENOSYS`` in every configuration; without it, the
    link fails. The checkpoint/restart v19 patch as posted added
    ``checkpoint/Makefile`` but never added ``checkpoint/`` to ``core-y``.

Example:
    Top Makefile: ``core-y += kernel/ mm/ fs/ ipc/ security/ crypto/ block/``
    (no ``checkpoint/``); checkpoint/Makefile: ``obj-$(CONFIG_CHECKPOINT) += sys.o``.

Fix:
    Add the directory to ``core-y`` in the top Makefile (or ``obj-y`` of
    its parent's Makefile), or the object to its directory's Makefile.
"""

from __future__ import annotations

import posixpath
from typing import Iterator

from ckptlint.facts import Location
from ckptlint.findings import Draft, Related

ID = "CKL501"
NAME = "unreachable-syscall-dir"
SEVERITY = "error"
SUMMARY = "A syscall's defining file is never built: Kbuild does not reach it"
REQUIRES = frozenset({"tables", "definitions", "kbuild"})


def check(graph) -> Iterator[Draft]:
    problems: dict = {}
    for function, slots in sorted(graph.wired_entries().items()):
        for srcarch in sorted({graph.abi(s.abi).srcarch for s in slots}):
            kbuild = graph.kbuild(srcarch)
            if kbuild is None or graph.unread("kbuild", srcarch) is not None:
                continue
            candidates = [d for d in graph.entry_definitions(function) if _applies(d.loc.path, srcarch)]
            if not candidates or any(graph.gate(d.loc.path, srcarch) is not None for d in candidates):
                continue
            for definition in candidates:
                where = _missing_link(graph, graph.kbuild(srcarch, definition.loc.path),
                                      definition.loc.path)
                found = problems.setdefault(where, {})
                found.setdefault(srcarch, [])
                if definition not in found[srcarch]:
                    found[srcarch].append(definition)
    # one finding a directory, naming every srcarch that misses it (one mistake, one finding)
    for where, per_arch in sorted(problems.items()):
        yield _finding(graph, where, sorted(per_arch), per_arch)


def _applies(path: str, srcarch: str) -> bool:
    """Generic files apply to every arch, arch/<a>/ files only to a."""
    return not path.startswith("arch/") or path.startswith(f"arch/{srcarch}/")


def _missing_link(graph, kbuild, path: str) -> str:
    """The highest directory above ``path`` that no descent reaches, or its own (reached) dir."""
    directory = posixpath.dirname(path)
    highest = directory + "/"
    while directory:
        if kbuild.is_reached(directory + "/"):
            break
        highest = directory + "/"
        directory = posixpath.dirname(directory)
    return highest


def _finding(graph, where: str, srcarches: list[str], per_arch: dict) -> Draft:
    srcarch = srcarches[0]
    defs = [d for arch in srcarches for d in per_arch[arch]]
    defs = [d for i, d in enumerate(defs) if d not in defs[:i]]
    functions = sorted({d.function for d in defs})
    names, verb = ", ".join(functions), "are" if len(functions) > 1 else "is"
    related = tuple(Related(d.loc, f"{d.function} is defined here") for d in defs)
    kbuild = graph.kbuild(srcarch, where)
    makefile = _makefile(graph, where)
    if kbuild.is_reached(where):  # the directory's own Makefile must list the object
        message = f"{where} is reached, but its Makefile does not build the file defining {names}"
        return Draft(message, makefile, related, arch=", ".join(srcarches), symbol=names, key=where)
    message = f"{where} is never descended into by Kbuild, so {names} {verb} never built"
    # the file to edit is the one that should list the directory: the top-level list
    # (core-y, or 6.x's top Kbuild), else the parent's kbuild file, at its last
    # subdirectory line; the directory's own Makefile is related
    parent = posixpath.dirname(where.rstrip("/"))
    if parent:
        listed = [d.loc for d in kbuild.reached_dirs.values()
                  if posixpath.dirname(d.path.rstrip("/")) == parent
                  and posixpath.dirname(d.loc.path) == parent]
        why = f"list it with {parent}/'s subdirectories here"
    else:
        listed = [d.loc for d in kbuild.top_dirs if d.path.count("/") == 1]
        why = "list it with the top-level directories here"
    listed = [loc for loc in listed if not loc.path.startswith("arch/")] or listed
    if listed:  # the last line of the file that lists the most recent of them
        anchor = max((loc for loc in listed if loc.path == listed[-1].path), key=lambda loc: loc.line)
        message += f"; {why}"
    else:
        anchor = _makefile(graph, parent + "/" if parent else "")
    if graph.has_file(makefile.path):
        own = f"{where}'s {posixpath.basename(makefile.path)}, which Kbuild never reads"
        related = (Related(makefile, own),) + related
    return Draft(message, anchor, related, arch=", ".join(srcarches), symbol=names, key=where)


def _makefile(graph, directory: str) -> Location:
    for name in ("Kbuild", "Makefile"):
        if graph.has_file(directory + name):
            return Location(directory + name, 1)
    return Location(directory.rstrip("/"), 1)
