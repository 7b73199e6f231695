"""A table row pairs a native entry with the compat entry of another syscall.

What it checks:
    Where a table gives both a native and a compat entry for one number
    (the compat column of ``.tbl`` files, s390's ``SYSCALL(native, native,
    compat_wrapper)``, powerpc's ``COMPAT_SYS``/``SYSX``), both name the
    same syscall once prefixes (``sys_``, ``compat_sys_``, ``sys32_``,
    ``ppc_``...) and the ``_wrapper`` suffix are set aside. A name that
    merely extends the other (``sys_stat`` and ``compat_sys_newstat``) is
    accepted.

Why it matters:
    32-bit programs on a 64-bit kernel call the compat entry. A compat
    entry copied from the neighbouring line gives them a different syscall
    than native programs get for the same number. The s390 checkpoint
    patch of 2009 had ``sys_restore_wrapper`` on the ``restart`` line.

Example:
    arch/s390/kernel/syscalls.S::

        SYSCALL(sys_restart,sys_restart,sys_restore_wrapper)

Fix:
    Name the compat entry after the same syscall (``sys_restart_wrapper``).
"""

from __future__ import annotations

import re
from typing import Iterator

from ckptlint.findings import Draft
from ckptlint.naming import HOLE_ENTRIES

ID = "CKL107"
NAME = "compat-pairing"
SEVERITY = "error"
SUMMARY = "A table row pairs a native entry with another syscall's compat entry"
REQUIRES = frozenset({"tables"})

_PREFIX = re.compile(r"^(?:__)?(?:compat_sys_|sys32_|sys_|compat_|ppc_|ppc64_|sparc_|"
                     r"stub32_|stub_|ptregs_|ia32_|s390x?_|old_)+")
_SUFFIX = re.compile(r"(?:_wrapper|_emu31|_glue|32|64)+$")
_HOLES = HOLE_ENTRIES | {"compat_sys_ni_syscall", ""}


def base_name(symbol: str) -> str:
    """``compat_sys_restart_wrapper`` -> ``restart``."""
    return _SUFFIX.sub("", _PREFIX.sub("", symbol))


def check(graph) -> Iterator[Draft]:
    for abi in graph.abis():
        for entry in graph.table(abi):
            if not entry.compat or entry.compat in _HOLES or entry.entry in _HOLES:
                continue
            native, compat = base_name(entry.entry), base_name(entry.compat)
            if not native or not compat or native in compat or compat in native:
                continue
            if entry.nr_name and (compat in entry.nr_name or entry.nr_name in compat):
                continue
            yield Draft(f"slot {entry.position} pairs native {entry.entry} with compat "
                        f"{entry.compat}, which is named after another syscall",
                        entry.loc, arch=abi, symbol=entry.syscall, key=entry.compat)
