"""xtensa's syscall table in both of its 2.6 forms (label ``xtensa``).

* 2.6.20 to 2.6.3x: ``<asm/unistd.h>`` pairs each ``#define __NR_x N`` with
  ``__SYSCALL(N, symbol, nargs)``, and arch/xtensa/kernel/syscall.c builds a
  C array from them::

      syscall_t sys_call_table[__NR_syscall_count] = {
              [0 ... __NR_syscall_count - 1] = (syscall_t)&sys_ni_syscall,
      #define __SYSCALL(nr,symbol,nargs) [ nr ] = (syscall_t)symbol,
      #include <asm/unistd.h>
      };

  Slot ``N`` is the symbol of the last ``__SYSCALL(N, ...)`` (a later
  designated initializer wins), else the range default, located at the
  range line. Slots past the array (a ``__SYSCALL`` at or beyond the count,
  which does not compile) are kept, so the length check sees them.
* 2.6.14 to 2.6.19: entry.S's ``sys_call_table:`` expands
  ``#define SYSCALL(call, narg) .word call`` over arch/xtensa/kernel/syscalls.h,
  one ``SYSCALL(sys_x, nargs)`` row per slot (``SYSCALL(0, 0)``: a hole), and
  ``__NR_Linux_syscalls`` in unistd.h is the last slot's number.

Both are positional tables numbered by ``<asm/unistd.h>`` (``__KERNEL__`` view).
"""

from __future__ import annotations

import re

from ckptlint.extract.arch26 import Spec, build
from ckptlint.extract.arch26_formats import read_unistd
from ckptlint.extract.asmpath import asm_header
from ckptlint.extract.asmslots import Row
from ckptlint.extract.cexpr import evaluate
from ckptlint.extract.unistd import strip_comments
from ckptlint.facts import AbiTable, Location, TableEntry
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree

C_TABLE = "arch/xtensa/kernel/syscall.c"
# __SYSCALL(nr, symbol, nargs): three arguments (the generic list's has two).
_PAIR3 = re.compile(r"^\s*__SYSCALL\s*\(\s*([^,()]+?)\s*,\s*(\w+)\s*,\s*[^,()]+?\s*\)")
# `[0 ... COUNT - 1] = (syscall_t)&sys_ni_syscall,`: the C array's default slot.
_RANGE = re.compile(r"\[\s*0\s*\.\.\.\s*(\w+)\s*-\s*1\s*\]\s*=\s*(?:\(\s*\w+\s*\)\s*)?&?\s*(\w+)")
# syscalls.h rows: SYSCALL(call, narg).
_ROW = re.compile(r"^\s*SYSCALL\s*\(\s*(\w+)\s*,\s*\w+\s*\)")


def syscalls_h_row(line: str) -> list[Row]:
    """``SYSCALL(sys_x, nargs)`` of 2.6.14-2.6.19 syscalls.h -> (sys_x,)."""
    match = _ROW.match(line)
    return [(match.group(1),)] if match else []


#: The 2.6.14-2.6.19 form, read as every other assembly table.
OLD_SPEC = Spec("xtensa", "xtensa", "xtensa", "arch/xtensa/kernel/syscalls.h", None, "unistd.h",
                syscalls_h_row, count_is_last=True)


def c_table(tree: KernelTree) -> AbiTable | None:
    """The 2.6.20+ C array, or None when unistd.h has no three-argument ``__SYSCALL``."""
    path = asm_header(tree, "xtensa", "unistd.h")
    header = read_unistd(tree, "xtensa", path, {"__KERNEL__": "1"})
    default = _range_default(tree)
    if header is None or default is None:
        return None
    values = {n.name: n.number for n in header.numbers}
    slots: dict[int, TableEntry] = {}
    for lineno, line in enumerate(strip_comments(tree.lines(path)), start=1):
        if (match := _PAIR3.match(line)) is None:
            continue
        number = evaluate(match.group(1), lambda name: values.get(name.removeprefix("__NR_")))
        if number is not None and number >= 0:
            slots[number] = TableEntry("xtensa", number, match.group(2), entry_syscall(match.group(2)),
                                       Location(path, lineno))
    if not slots:
        return None
    symbol, loc = default
    size = header.count.value if header.count is not None else max(slots) + 1
    entries = [slots.get(n) or TableEntry("xtensa", n, symbol, entry_syscall(symbol), loc)
               for n in range(size)] + [slots[n] for n in sorted(slots) if n >= size]
    return AbiTable("xtensa", "xtensa", "xtensa", "positional", path, numbers=header.numbers,
                    entries=entries, count=header.count)


def _range_default(tree: KernelTree) -> tuple[str, Location] | None:
    """The symbol and line of syscall.c's ``[0 ... N - 1] = sym`` default."""
    for lineno, line in enumerate(strip_comments(tree.lines(C_TABLE)), start=1):
        if (match := _RANGE.search(line)):
            return match.group(2), Location(C_TABLE, lineno)
    return None


def extract(tree: KernelTree) -> list[AbiTable]:
    """xtensa's table in whichever form the tree has."""
    if "xtensa" not in tree.srcarches:
        return []
    table = c_table(tree) or build(tree, OLD_SPEC)
    return [table] if table is not None and table.entries else []
