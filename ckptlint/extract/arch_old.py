"""Syscall tables of the 2.6.12-2.6.28 layouts that ``arch26`` does not cover.

Headers come through ``asmpath.asm_header`` (``include/asm-<arch>/``); the
tables are read with ``arch26.build`` and its row parsers, or, for x86, as
``tables``/``unistd`` read the merged arch/x86. Layouts, from the trees:

* i386 and x86_64 are SRCARCHes of their own until 2.6.24 (labels ``i386``,
  ``x86_64``, ``ia32`` as in the merged tree): i386's ``.long`` table is
  ``arch/i386/kernel/syscall_table.S`` (in ``entry.S`` before 2.6.12-rc4), numbered
  by ``<asm/unistd.h>``; x86_64 has ``__SYSCALL(__NR_x, sym)`` pairs in its
  ``unistd.h``; x86_64's ia32 table is ``arch/x86_64/ia32/ia32entry.S``
  (``ia32_sys_call_table``, ``.quad``). Up to 2.6.16 ``asm-x86_64/ia32_unistd.h``
  is a full list (``__NR_ia32_x``) that numbers it and defines the bound,
  ``IA32_NR_syscalls``, to which a ``.rept`` pads the table; 67d53ea5a3d
  (2.6.17) computes the bound from the table instead and 0c90bb87730 (2.6.18)
  cuts the header to six names ("in sync with asm-i386/unistd.h"), so from
  then on the i386 header numbers the ABI, as in the merged tree.
* arm and arm26 2.6.12-2.6.14: ``calls.S`` of ``.long`` rows between
  ``__syscall_start:`` and ``__syscall_end:``, padded to the ``NR_syscalls``
  its first inclusion defines (``arch26.arm_row``, ``twice``).
* ppc: ``arch/ppc/kernel/misc.S`` (2.6.12-2.6.14); from 2.6.16 ARCH=ppc
  builds ``arch/powerpc/kernel/systbl.o`` (arch/ppc/Makefile's core-y), the
  ppc32 column of ``<asm/systbl.h>`` (2.6.18+) or of rows inline in systbl.S
  (2.6.16, also powerpc's own ppc32/ppc64 then). ppc64 2.6.12-2.6.14:
  ``arch/ppc64/kernel/misc.S`` ``.llong .sys_x`` rows, ``sys_call_table32``
  as compat.
* sh: ``kernel/entry.S`` until 2.6.18, ``kernel/syscalls.S`` 2.6.19-2.6.24;
  sh64 (its own SRCARCH until 2.6.24): ``arch/sh64/kernel/syscalls.S``.
* sparc and sparc64 are separate SRCARCHes until 2.6.28: ``systbls.S`` each,
  sparc64's ``sys_call_table64`` with ``sys_call_table32`` as compat;
  ``NR_SYSCALLS`` is in ``entry.S`` until 2.6.18 (59359ff8770 moved it to unistd.h).
* m32r: the table is in ``kernel/entry.S`` until 2.6.23.
* v850: ``C_DATA(sys_call_table):`` rows ``.long CSYM(sys_x)`` in entry.S.

um reuses the host arch's tables and is not read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from ckptlint.extract import unistd
from ckptlint.extract.arch26 import Spec, _start, arm_row, build, ppc64_aliases, ppc_row
from ckptlint.extract.arch26_formats import read_unistd
from ckptlint.extract.asmpath import asm_header
from ckptlint.extract.asmslots import data_row, scan_slots
from ckptlint.extract.cexpr import c_integer
from ckptlint.extract.tables import parse_asm_table
from ckptlint.facts import AbiTable, Location, SyscallCount, TableEntry
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

# asm-x86_64/ia32_unistd.h up to 2.6.16: the ia32 table's bound, the mark of a full list.
_IA32_COUNT = re.compile(r"^\s*#\s*define\s+IA32_NR_syscalls\s+(\d+)")
_ARM_ZERO = frozenset({"__NR_SYSCALL_BASE"})
_SYSTBL_S = "arch/powerpc/kernel/systbl.S"
_SPARC = (("__sparc__", "1"),)


def _table(label: str, path: str, arch: str = "", **kw) -> Spec:
    """A one-column ``sys_call_table`` in ``path`` numbered by the arch's ``<asm/unistd.h>``."""
    arch = arch or label
    return Spec(label, arch, arch, path, _start("sys_call_table"), "unistd.h", **kw)


#: Tried in order; the first spec of a label whose table has slots wins.
SPECS: tuple[Spec, ...] = (
    Spec("arm26", "arm26", "arm26", "arch/arm26/kernel/calls.S", None, "unistd.h", arm_row,
         zero=_ARM_ZERO, self_count=True, twice=True),
    _table("ppc", "arch/ppc/kernel/misc.S"),
    Spec("ppc", "ppc", "ppc", "<asm/systbl.h>", None, "unistd.h", ppc_row, col=2),
    Spec("ppc", "ppc", "ppc", _SYSTBL_S, _start("sys_call_table"), "unistd.h", ppc_row, col=2),
    Spec("ppc64", "powerpc", "powerpc", _SYSTBL_S, _start("sys_call_table"), "unistd.h", ppc_row,
         (("__powerpc64__", "1"),), compat_col=1, aliases=ppc64_aliases),
    Spec("ppc32", "powerpc", "powerpc", _SYSTBL_S, _start("sys_call_table"), "unistd.h", ppc_row,
         col=2),
    _table("ppc64", "arch/ppc64/kernel/misc.S",
           compat_table=("arch/ppc64/kernel/misc.S", _start("sys_call_table32"))),
    _table("sh", "arch/sh/kernel/syscalls.S"),
    _table("sh", "arch/sh/kernel/entry.S"),
    _table("sh64", "arch/sh64/kernel/syscalls.S"),
    _table("sparc32", "arch/sparc/kernel/systbls.S", "sparc", defines=_SPARC,
           count_from="arch/sparc/kernel/entry.S"),
    Spec("sparc64", "sparc64", "sparc64", "arch/sparc64/kernel/systbls.S",
         _start("sys_call_table64"), "unistd.h", defines=_SPARC + (("__arch64__", "1"),),
         compat_table=("arch/sparc64/kernel/systbls.S", _start("sys_call_table32")),
         count_from="arch/sparc64/kernel/entry.S"),
    _table("m32r", "arch/m32r/kernel/entry.S"),
    _table("v850", "arch/v850/kernel/entry.S"),
)

#: i386's table, newest place first (5e7b83ffc67, 2.6.12-rc4, moved it out of entry.S
#: so that um could include it).
I386_TABLES = ("arch/i386/kernel/syscall_table.S", "arch/i386/kernel/entry.S")


def i386(tree: KernelTree) -> AbiTable | None:
    """The i386 SRCARCH's table and numbers (before 2.6.24)."""
    header = unistd.parse_header(tree, "i386", asm_header(tree, "i386", "unistd.h"))
    for path in I386_TABLES:
        asm = parse_asm_table(tree, "i386", path, "sys_call_table")
        if asm is not None and asm.start is not None and asm.entries:
            return AbiTable("i386", "i386", "i386", "positional", path,
                            numbers=header.numbers if header else [], entries=asm.entries,
                            count=header.count if header else None)
    return None


def x86_64(tree: KernelTree) -> AbiTable | None:
    """The x86_64 SRCARCH's ``__SYSCALL`` pairs (before 2.6.24).

    Numbers are the header as arch/x86_64/kernel/syscall.c, the one file that
    expands the pairs, reads it: ``__NO_STUBS`` defined, which leaves out the
    ``_syscallN`` stubs and, until 2.6.18, their ``#define __NR__exit __NR_exit``.
    """
    path = asm_header(tree, "x86_64", "unistd.h")
    header = unistd.parse_header(tree, "x86_64", path)
    view = read_unistd(tree, "x86_64", path, {"__KERNEL__": "1", "__NO_STUBS": "1"})
    if header is None or view is None or not header.pairs:
        return None
    return AbiTable("x86_64", "x86_64", "x86_64", "pairs", header.path, numbers=view.numbers,
                    entries=header.pairs, count=header.count, ignored=header.ignored)


def ia32(tree: KernelTree) -> AbiTable | None:
    """x86_64's ia32 compat table before 2.6.24, numbered as that era's kernel numbered it."""
    path = "arch/x86_64/ia32/ia32entry.S"
    own = asm_header(tree, "x86_64", "ia32_unistd.h")
    count = _ia32_count(tree, own)
    if count is not None:  # a full __NR_ia32_ list, 2.6.12-2.6.16
        header = unistd.parse_header(tree, "ia32", own)
        numbers = [replace(n, name=n.name.removeprefix("ia32_")) for n in header.numbers] if header else []
    else:
        header = unistd.parse_header(tree, "ia32", asm_header(tree, "i386", "unistd.h"))
        numbers, count = (header.numbers, header.count) if header else ([], None)
    constants = {"IA32_NR_syscalls": count.value} if count is not None else {}
    slots = scan_slots(tree, path, data_row, _start("ia32_sys_call_table"), constants=constants)
    if not slots:
        return None
    entries = [TableEntry("ia32", index, slot.cols[0], entry_syscall(slot.cols[0]), slot.loc)
               for index, slot in enumerate(slots)]
    return AbiTable("ia32", "x86_64", "x86_64", "positional", path, numbers=numbers,
                    entries=entries, count=count)


def _ia32_count(tree: KernelTree, path: str) -> SyscallCount | None:
    """``IA32_NR_syscalls`` of ia32_unistd.h, where that header still has it."""
    for lineno, line in enumerate(tree.lines(path), start=1):
        if (match := _IA32_COUNT.match(line)) and (count := c_integer(match.group(1))) is not None:
            return SyscallCount("ia32", count, Location(path, lineno))
    return None


def extract(tree: KernelTree) -> list[AbiTable]:
    """Every old-layout table the tree has, one per label."""
    out: list[AbiTable] = []
    if "x86_64" in tree.srcarches:
        out += [t for t in (x86_64(tree), ia32(tree)) if t is not None]
    if "i386" in tree.srcarches and (table := i386(tree)) is not None:
        out.append(table)
    for spec in SPECS:
        if spec.srcarch not in tree.srcarches or any(t.label == spec.label for t in out):
            continue
        table = build(tree, spec)
        if table is not None and table.entries:
            out.append(table)
        else:
            LOG.debug("%s: no %s table in %s", spec.label, spec.srcarch, spec.path)
    return out
