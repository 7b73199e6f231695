"""User-mode Linux: the host's syscall tables, with um's own substitutions.

ARCH=um has no table of its own. Its table file includes the host's (i386 or
x86_64) and, before the include, ``#define``s the entry symbols um replaces:
hardware syscalls become ``sys_ni_syscall`` (``sys_iopl``), assembly
trampolines become the C functions behind them (``stub_clone`` to
``sys_clone``, ``ptregs_fork`` to ``sys_fork``), and a few get um's own
implementation (``sys_time`` to ``um_time``). Places, from the trees:

* 2.6.12-2.6.3x: ``arch/um/sys-i386/sys_call_table.S`` (it includes the
  i386 ``.long`` table) and ``arch/um/sys-x86_64/syscall_table.c`` (it
  includes the x86_64 ``__SYSCALL`` pairs);
* from 2.6.38's move to arch/x86/um: ``arch/x86/um/sys_call_table_32.{S,c}``
  and ``sys_call_table_64.c``, which include the tables generated from the
  ``.tbl`` files.

So um's ABIs, ``um-i386`` and ``um-x86_64``, are views of the host's tables:
the same numbers and slots (located where the host has them, since that is
where a slot is edited), with each substituted entry located at its
``#define``. The Kconfig arch is ``um``, whose ``64BIT`` picks one of the two.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ckptlint.extract.unistd import strip_comments
from ckptlint.facts import AbiTable, Location
from ckptlint.naming import HOLE_ENTRIES
from ckptlint.tree import KernelTree

#: um ABI label, the host ABI it views, and its table files (newest layout first).
VIEWS = (
    ("um-i386", "i386", ("arch/x86/um/sys_call_table_32.c", "arch/x86/um/sys_call_table_32.S",
                         "arch/um/sys-i386/sys_call_table.S")),
    ("um-x86_64", "x86_64", ("arch/x86/um/sys_call_table_64.c",
                             "arch/um/sys-x86_64/syscall_table.c")),
)

_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s*$")
_INCLUDE = re.compile(r"^\s*#\s*include\b")


def substitutions(tree: KernelTree, path: str) -> dict[str, tuple[str, Location]]:
    """``#define old new`` between identifiers, up to the file's last ``#include``."""
    lines = strip_comments(tree.lines(path))
    last = max((i for i, line in enumerate(lines) if _INCLUDE.match(line)), default=len(lines))
    out: dict[str, tuple[str, Location]] = {}
    for index, line in enumerate(lines[:last]):
        if (match := _DEFINE.match(line)):
            out[match.group(1)] = (match.group(2), Location(path, index + 1))
    return out


def _resolve(name: str, subs: dict[str, tuple[str, Location]]) -> tuple[str, Location | None]:
    """Follow a chain of substitutions (``ptregs_iopl`` -> ``sys_iopl`` -> ni), cycle-safe."""
    loc = None
    seen = {name}
    while name in subs:
        name, loc = subs[name]
        if name in seen:
            break
        seen.add(name)
    return name, loc


def views(tree: KernelTree, tables: list[AbiTable]) -> list[AbiTable]:
    """um's ABI tables, derived from the host tables already read."""
    if "um" not in tree.srcarches:
        return []
    hosts = {t.label: t for t in tables}
    out: list[AbiTable] = []
    for label, host_label, paths in VIEWS:
        host = hosts.get(host_label)
        path = next((p for p in paths if tree.is_file(p)), None)
        if host is None or path is None:
            continue
        subs = substitutions(tree, path)
        entries = []
        for entry in host.entries:
            target, loc = _resolve(entry.entry, subs)
            if loc is None:
                entries.append(replace(entry, abi=label, compat=None))
                continue
            syscall = None if target in HOLE_ENTRIES else entry.syscall
            entries.append(replace(entry, abi=label, entry=target, syscall=syscall, loc=loc,
                                   compat=None))
        # 2.6 configures um once per host (arch/um/Kconfig.$(SUBARCH)); later, once
        kconfig_arch = label if any(tree.is_file(f"arch/um/Kconfig{sep}i386") for sep in "._") else "um"
        out.append(AbiTable(label, "um", kconfig_arch, host.kind, path,
                            numbers=[replace(n, abi=label) for n in host.numbers],
                            entries=entries,
                            count=replace(host.count, abi=label) if host.count else None,
                            ignored=dict(host.ignored)))
    return out
