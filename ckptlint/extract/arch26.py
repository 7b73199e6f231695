"""2.6-era per-arch syscall tables (everything but i386 and the x86_64 pairs).

Every table is positional: slot ``i`` serves number ``i``, and the
numbers come from the arch's unistd.h read under the ABI's view
(``__s390x__``, ``__powerpc64__``, ``_MIPS_SIM``...) with bases such as
``__NR_SYSCALL_BASE`` (arm) and ``__NR_Linux`` (mips, parisc) taken as 0
(ia64's literal 1024 is subtracted), so numbers and positions are both
relative to the base. ``entry`` is the native
symbol; ``compat`` is filled where a compat column or table exists:

* arm ``calls.S`` (one row feeds the EABI table and the OABI-compat table):
  ``CALL(x)`` -> (x, x); ``CALL(ABI(a, b))`` -> (a, b);
  ``CALL(OBSOLETE(x))`` -> (x, x) -- x is what the line names; under
  CONFIG_AEABI the native table wires sys_ni_syscall there instead.
* powerpc ``systbl.h`` as ``kernel/systbl.S`` expands it: columns (ppc64
  native, ppc64 compat, ppc32), see ``PPC_MACROS`` (``_SPU`` variants expand
  alike; ``SYSX(a, b, c)`` is a/b/c). systbl.S also aliases a few sys_
  symbols to sys_ni_syscall for ppc64 (applied).
* s390 ``syscalls.S`` ``SYSCALL(esa, esame, emu)``: entry.S takes column 1
  (31-bit kernel), entry64.S column 2 (``sys_call_table``) and column 3
  (``sys_call_table_emu``, 31-bit tasks on a 64-bit kernel).
* parisc ``syscall_table.S``: columns (64-bit native, compat, 32-bit), see
  ``PARISC_MACROS``.
* sparc64: ``sys_call_table64`` with ``sys_call_table32`` as compat, by slot.

Not produced here: i386 and x86_64 (``tables``/``unistd``; their separate
SRCARCHes before 2.6.24 and the other old layouts: ``arch_old``), xtensa
(``xtensa``), score (a C table), um (reuses x86 tables).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Callable

from ckptlint.extract.arch26_formats import Row, RowParser, data_row, read_unistd, scan_slots
from ckptlint.extract.asmpath import asm_header
from ckptlint.extract.tables import parse_asm_table
from ckptlint.extract.unistd import parse_header, strip_comments
from ckptlint.facts import AbiTable, SyscallCount, TableEntry
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

_CALL = re.compile(r"^\s*CALL\s*\(\s*(.*?)\s*\)\s*$")
_OBSOLETE = re.compile(r"^OBSOLETE\s*\(\s*(.*?)\s*\)$")
_ABI = re.compile(r"^ABI\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)$")
_IDENT = re.compile(r"^[A-Za-z_]\w*$")
# powerpc row macros; `#define SYSCALL(func) ...` lines start with # and never match.
_PPC = re.compile(r"^\s*(SYSCALL|COMPAT_SYS|PPC_SYS|OLDSYS|SYS32ONLY|SYSX)(?:_SPU)?\s*\(([^)]*)\)")
_PPC_ALIAS = re.compile(r"^\s*#\s*define\s+(sys_\w+)\s+(sys_\w+)\s*$")
_PPC64_IF = re.compile(r"^\s*#\s*ifdef\s+CONFIG_PPC64\b")
_ANY_IF = re.compile(r"^\s*#\s*if")
_ENDIF = re.compile(r"^\s*#\s*endif\b")
# s390: the NI_SYSCALL shorthand and SYSCALL(esa, esame, emu) rows.
_S390_NI = re.compile(r"^\s*NI_SYSCALL\b")
_S390 = re.compile(r"^\s*SYSCALL\s*\(\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*\)")
# mips o32 `sys name nargs` (a comma sometimes follows the name);
# `.macro sys function, nargs` starts with a dot and never matches.
_MIPS_SYS = re.compile(r"^\s*sys\s+(\w+)(?:\s*,\s*|\s+)\d+")
_PARISC = re.compile(r"^\s*ENTRY_(SAME|DIFF|UHOH|OURS|COMP)\s*\(\s*(\w+)\s*\)")

#: (ppc64 native, ppc64 compat, ppc32) templates, ``{}`` is the argument.
PPC_MACROS = {
    "SYSCALL": ("sys_{}", "sys_{}", "sys_{}"),
    "COMPAT_SYS": ("sys_{}", "compat_sys_{}", "sys_{}"),
    "PPC_SYS": ("ppc_{}", "ppc_{}", "ppc_{}"),
    "OLDSYS": ("sys_ni_syscall", "sys_ni_syscall", "sys_{}"),
    "SYS32ONLY": ("sys_ni_syscall", "compat_sys_{}", "sys_{}"),
}
#: (64-bit native, compat, 32-bit) templates of parisc's ENTRY_ macros.
PARISC_MACROS = {
    "SAME": ("sys_{}", "sys_{}", "sys_{}"),
    "DIFF": ("sys_{}", "sys32_{}", "sys_{}"),
    "UHOH": ("sys_{}", "sys32_unimplemented", "sys_{}"),
    "OURS": ("sys_{}", "parisc_{}", "parisc_{}"),
    "COMP": ("sys_{}", "compat_sys_{}", "sys_{}"),
}
#: Prefixes stripped (one of each tuple) before comparing a wrapper with its slot.
_CALL_PREFIXES = ("compat_sys_", "sys32_", "sys_")
_NAMING_PREFIXES = ("s390_", "old32_", "old_")
_MIPS_SIMS = {"_MIPS_SIM_ABI32": "1", "_MIPS_SIM_NABI32": "2", "_MIPS_SIM_ABI64": "3"}


def arm_row(line: str) -> list[Row]:
    """``CALL(...)`` -> (EABI native, OABI compat); 2.6.12-2.6.14's ``.long x`` -> (x, x)."""
    match = _CALL.match(line)
    if not match:
        return [(cols[0], cols[0]) for cols in data_row(line)]
    inner = match.group(1)
    obsolete = _OBSOLETE.match(inner)
    if obsolete:  # entry-common.S: sys_ni_syscall in the EABI table, the call in OABI's
        inner = obsolete.group(1)
    if (abi := _ABI.match(inner)):
        return [("sys_ni_syscall" if obsolete else abi.group(1), abi.group(2))]
    if not _IDENT.match(inner):
        return []
    return [("sys_ni_syscall" if obsolete else inner, inner)]


def ppc_row(line: str) -> list[Row]:
    """A systbl.h macro -> (ppc64 native, ppc64 compat, ppc32)."""
    match = _PPC.match(line)
    if not match:
        return []
    args = [arg.strip() for arg in match.group(2).split(",")]
    if match.group(1) == "SYSX":
        return [tuple(args)] if len(args) == 3 else []
    return [tuple(t.format(args[0]) for t in PPC_MACROS[match.group(1)])]


def s390_row(line: str) -> list[Row]:
    """``SYSCALL(esa, esame, emu)`` / ``NI_SYSCALL`` -> (31-bit, 64-bit, compat)."""
    if _S390_NI.match(line):
        return [("sys_ni_syscall",) * 3]
    match = _S390.match(line)
    return [match.groups()] if match else []


def mips_sys_row(line: str) -> list[Row]:
    """``sys name nargs`` of scall32-o32.S."""
    match = _MIPS_SYS.match(line)
    return [(match.group(1),)] if match else []


def parisc_row(line: str) -> list[Row]:
    """``ENTRY_KIND(name)`` -> (64-bit native, compat, 32-bit)."""
    match = _PARISC.match(line)
    if not match:
        return []
    return [tuple(t.format(match.group(2)) for t in PARISC_MACROS[match.group(1)])]


def ppc64_aliases(tree: KernelTree) -> dict[str, str]:
    """``#define sys_x sys_y`` under ``#ifdef CONFIG_PPC64`` in systbl.S."""
    aliases: dict[str, str] = {}
    stack: list[bool] = []
    for line in strip_comments(tree.lines("arch/powerpc/kernel/systbl.S")):
        if _ANY_IF.match(line):
            stack.append(bool(_PPC64_IF.match(line)))
        elif _ENDIF.match(line) and stack:
            stack.pop()
        elif stack and stack[-1] and (alias := _PPC_ALIAS.match(line)):
            aliases[alias.group(1)] = alias.group(2)
    return aliases


def _start(symbol: str) -> re.Pattern[str]:
    """The line a table named ``symbol`` starts at (label, ENTRY(), EXPORT()...)."""
    sym = re.escape(symbol)
    # _GLOBAL(): ppc, ppc64 and powerpc 2.6.16; C_DATA(x): v850
    return re.compile(rf"^\s*(?:(?:ENTRY|EXPORT|SYMBOL_NAME_LABEL|_GLOBAL|C_DATA)\s*\(\s*{sym}\s*\)\s*:?"
                      rf"|{sym}\s*:)")


@dataclass(frozen=True)
class Spec:
    """Where one ABI's table and numbers live and how to read them."""

    label: str
    srcarch: str
    kconfig_arch: str
    path: str
    start: re.Pattern[str] | None
    #: ``<asm/header>`` of the srcarch (``asmpath.asm_header`` finds it in any era)
    header: str
    row: RowParser = data_row
    defines: tuple[tuple[str, str], ...] = ()
    zero: frozenset[str] = frozenset()
    col: int = 0
    compat_col: int | None = None
    compat_table: tuple[str, re.Pattern[str]] | None = None
    base: int = 0
    strip: str = ""
    self_count: bool = False
    count_is_last: bool = False
    aliases: Callable[[KernelTree], dict[str, str]] | None = None
    #: the table file is included twice (arm calls.S): see asmslots.scan_slots
    twice: bool = False
    #: where NR_syscalls is when the header has none (2.6.12 sparc: entry.S)
    count_from: str = ""


def _mips(label: str, path: str, start: re.Pattern[str], sim: str, row: RowParser = data_row) -> Spec:
    defines = tuple(_MIPS_SIMS.items()) + (("_MIPS_SIM", _MIPS_SIMS[sim]),)
    return Spec(label, "mips", "mips", path, start, "unistd.h", row,
                defines, frozenset({"__NR_Linux"}), count_is_last=True)


def _simple(label: str, path: str, arch: str = "", header: str = "unistd.h", **kw) -> Spec:
    """A one-column ``sys_call_table`` in ``path`` numbered by ``asm/<header>``."""
    arch = arch or label
    return Spec(label, arch, arch, path, _start("sys_call_table"), header, **kw)


_PPC_H = ("powerpc", "powerpc", "<asm/systbl.h>", None, "unistd.h")
_S390_S = ("s390", "s390", "arch/s390/kernel/syscalls.S", None, "unistd.h")
_PARISC_S = ("parisc", "parisc", "arch/parisc/kernel/syscall_table.S", None, "unistd.h")

SPECS: tuple[Spec, ...] = (
    Spec("arm", "arm", "arm", "arch/arm/kernel/calls.S", None, "unistd.h",
         arm_row, (("__ARM_EABI__", "1"),), frozenset({"__NR_SYSCALL_BASE"}), compat_col=1,
         self_count=True, twice=True),
    Spec("ppc64", *_PPC_H, ppc_row, (("__powerpc64__", "1"),), compat_col=1, aliases=ppc64_aliases),
    Spec("ppc32", *_PPC_H, ppc_row, col=2),
    Spec("s390x", *_S390_S, s390_row, (("__s390x__", "1"),), col=1, compat_col=2),
    Spec("s390", *_S390_S, s390_row),
    _simple("sparc32", "arch/sparc/kernel/systbls_32.S", "sparc"),
    Spec("sparc64", "sparc", "sparc64", "arch/sparc/kernel/systbls_64.S", _start("sys_call_table64"),
         "unistd.h", defines=(("__arch64__", "1"),),
         compat_table=("arch/sparc/kernel/systbls_64.S", _start("sys_call_table32"))),
    _mips("mips-o32", "arch/mips/kernel/scall32-o32.S", re.compile(r"^\s*\.macro\s+syscalltable\b"),
          "_MIPS_SIM_ABI32", mips_sys_row),
    _mips("mips-n64", "arch/mips/kernel/scall64-64.S", _start("sys_call_table"), "_MIPS_SIM_ABI64"),
    _mips("mips-n32", "arch/mips/kernel/scall64-n32.S", _start("sysn32_call_table"), "_MIPS_SIM_NABI32"),
    _mips("mips64-o32", "arch/mips/kernel/scall64-o32.S", _start("sys_call_table"), "_MIPS_SIM_ABI32"),
    Spec("parisc64", *_PARISC_S, parisc_row, compat_col=1),
    Spec("parisc", *_PARISC_S, parisc_row, col=2),
    _simple("alpha", "arch/alpha/kernel/systbls.S"),
    _simple("ia64", "arch/ia64/kernel/entry.S", base=1024),
    _simple("sh", "arch/sh/kernel/syscalls_32.S", header="unistd_32.h"),
    _simple("sh64", "arch/sh/kernel/syscalls_64.S", "sh", "unistd_64.h"),
    Spec("m68k", "m68k", "m68k", "arch/m68k/kernel/entry.S", _start("sys_call_table"), "unistd.h"),
    # m68knommu compiles with m68k's headers from 2.6.29 (the top Makefile's hdr-arch)
    Spec("m68knommu", "m68knommu", "m68knommu", "arch/m68knommu/kernel/syscalltable.S",
         _start("sys_call_table"), "unistd.h"),
    _simple("microblaze", "arch/microblaze/kernel/syscall_table.S"),
    Spec("blackfin", "blackfin", "blackfin", "arch/blackfin/mach-common/entry.S",
         _start("_sys_call_table"), "unistd.h", strip="_"),
    _simple("cris", "arch/cris/arch-v10/kernel/entry.S"),
    _simple("crisv32", "arch/cris/arch-v32/kernel/entry.S", "cris"),
    _simple("frv", "arch/frv/kernel/entry.S"),
    _simple("h8300", "arch/h8300/kernel/syscalls.S"),
    _simple("m32r", "arch/m32r/kernel/syscall_table.S"),
    _simple("mn10300", "arch/mn10300/kernel/entry.S"),
    _simple("avr32", "arch/avr32/kernel/syscall_table.S"),
)


def _symbol(raw: str, spec: Spec, aliases: dict[str, str]) -> str:
    """A slot's symbol without ppc64 descriptor dots or a C symbol prefix."""
    symbol = raw.lstrip(".")
    if spec.strip and symbol.startswith(spec.strip):
        symbol = symbol[len(spec.strip):]
    return aliases.get(symbol, symbol)


def table_path(tree: KernelTree, spec: Spec, path: str) -> str:
    """``path``, or where ``<asm/NAME>`` of the spec's srcarch is (powerpc's systbl.h)."""
    if path.startswith("<asm/") and path.endswith(">"):
        return asm_header(tree, spec.srcarch, path[len("<asm/"):-1])
    return path


def build(tree: KernelTree, spec: Spec) -> AbiTable | None:
    """The AbiTable ``spec`` describes, or None when its table is absent."""
    view = dict(spec.defines) | {"__KERNEL__": "1"}
    header = read_unistd(tree, spec.label, asm_header(tree, spec.srcarch, spec.header), view, spec.zero,
                         lambda name: asm_header(tree, spec.srcarch, name))
    count = header.count if header else None
    if count is None and spec.count_from and (source := read_unistd(tree, spec.label, spec.count_from, view)):
        count = source.count
    if count is not None and spec.count_is_last:
        count = SyscallCount(count.abi, count.value + 1, count.loc)
    nr_syscalls = None if spec.self_count or count is None else count.value
    path = table_path(tree, spec, spec.path)
    slots = scan_slots(tree, path, spec.row, spec.start, nr_syscalls, twice=spec.twice)
    if slots is None:
        return None
    compat_slots = (scan_slots(tree, spec.compat_table[0], spec.row, spec.compat_table[1],
                               nr_syscalls) or []) if spec.compat_table else []
    aliases = spec.aliases(tree) if spec.aliases else {}
    numbers = [replace(n, number=n.number - spec.base) for n in header.numbers] if header else []
    table = AbiTable(spec.label, spec.srcarch, spec.kconfig_arch, "positional", path,
                     numbers=numbers, count=count)
    for index, slot in enumerate(slots):
        entry = _symbol(slot.cols[spec.col], spec, aliases)
        compat = None
        if spec.compat_col is not None:
            compat = _symbol(slot.cols[spec.compat_col], spec, aliases)
        elif index < len(compat_slots):
            compat = _symbol(compat_slots[index].cols[0], spec, aliases)
        table.entries.append(TableEntry(spec.label, index, entry, entry_syscall(entry),
                                        slot.loc, compat=compat))
    return table


def ia32(tree: KernelTree) -> AbiTable | None:
    """x86_64's ia32 compat table, numbered by the i386 unistd_32.h."""
    path = "arch/x86/ia32/ia32entry.S"
    asm = parse_asm_table(tree, "ia32", path, "ia32_sys_call_table")
    if asm is None or asm.start is None:
        return None
    header = parse_header(tree, "ia32", asm_header(tree, "x86", "unistd_32.h"))
    return AbiTable("ia32", "x86", "x86_64", "positional", path,
                    numbers=header.numbers if header else [], entries=asm.entries,
                    count=header.count if header else None)


def extract(tree: KernelTree) -> list[AbiTable]:
    """Every 2.6-era per-arch table this module knows that the tree has."""
    out = [table] if (table := ia32(tree)) else []
    for spec in SPECS:
        if spec.srcarch not in tree.srcarches:
            continue
        table = build(tree, spec)
        if table is not None and table.entries:
            out.append(table)
        else:
            LOG.debug("%s: no %s table in %s", spec.label, spec.srcarch, spec.path)
    return out


def wrapper_base(symbol: str) -> str:
    """``sys32_open_wrapper`` -> ``open``: the syscall a symbol's name claims.

    One call prefix (compat_sys_, sys32_, sys_) and the ``_wrapper`` suffix
    go, then one s390 naming prefix (s390_, old32_, old_): ``old32_mmap``
    and ``compat_sys_old_getrlimit`` legitimately serve mmap and getrlimit.
    """
    for prefixes in (_CALL_PREFIXES, _NAMING_PREFIXES):
        for prefix in prefixes:
            if symbol.startswith(prefix) and len(symbol) > len(prefix):
                symbol = symbol[len(prefix):]
                break
        symbol = symbol[:-len("_wrapper")] if symbol.endswith("_wrapper") else symbol
    return symbol


def wrapper_mismatches(table: AbiTable) -> list[tuple[TableEntry, str]]:
    """Compat wrappers (``*_wrapper``) whose name claims another syscall than their slot's.

    The claimed name (``wrapper_base``) must equal the ``__NR_`` name of the
    slot's number or the native entry's base name; slots with neither (a
    native hole with no number in this view) are not judged.
    """
    names: dict[int, set[str]] = {}
    for number in table.numbers:
        names.setdefault(number.number, set()).add(wrapper_base(number.name))
    out = []
    for entry in table.entries:
        if entry.compat is None or not entry.compat.endswith("_wrapper"):
            continue
        known = set(names.get(entry.position, ()))
        if entry.syscall is not None:
            known.add(wrapper_base(entry.entry))
        claimed = wrapper_base(entry.compat)
        if known and claimed not in known:
            out.append((entry, f"{entry.compat} (claims {claimed}) in the slot of "
                               f"{'/'.join(sorted(known))} ({entry.entry})"))
    return out
