"""ARM's private syscalls: ``__ARM_NR_x`` numbers and the cases that dispatch them.

Besides its table, 32-bit ARM has syscalls above ``__ARM_NR_BASE``
(``__NR_SYSCALL_BASE + 0x0f0000``): ``breakpoint``, ``cacheflush``,
``usr26``, ``usr32``, ``set_tls``, ``get_tls``. No table holds them:
arch/arm/kernel/traps.c's ``arm_syscall()`` switches on ``case NR(x):``
(``#define NR(x) ((__ARM_NR_##x) - __ARM_NR_BASE)``), and arm64 serves the
compat ones from arch/arm64/kernel/sys_compat.c (``case
__ARM_NR_compat_x:``, numbered in its own asm/unistd.h from
``__ARM_NR_COMPAT_BASE``). Each number is its offset from the base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ckptlint.extract.asmpath import asm_header_candidates
from ckptlint.extract.cexpr import c_integer
from ckptlint.extract.unistd import strip_comments
from ckptlint.facts import Location
from ckptlint.tree import KernelTree

_NUMBER = re.compile(r"^\s*#\s*define\s+__ARM_NR_(compat_)?(\w+)\s+\(?\s*__ARM_NR_(?:COMPAT_)?BASE\s*\+\s*"
                     r"(0x[0-9a-fA-F]+|\d+)\s*\)?")
_CASE = re.compile(r"^\s*case\s+(?:NR\(\s*(\w+)\s*\)|__ARM_NR_compat_(\w+))\s*:")

#: (ABI, the headers that number it, the file that dispatches it)
SOURCES = (
    ("arm", "arm", "arch/arm/kernel/traps.c"),
    ("arm64-compat", "arm64", "arch/arm64/kernel/sys_compat.c"),
)


def _headers(tree: KernelTree, arch: str) -> list[str]:
    """Where an arch's unistd numbers are, in every era (uapi, asm, include/asm-<arch>)."""
    return [f"arch/{arch}/include/uapi/asm/unistd.h", *asm_header_candidates(tree, arch, "unistd.h")]


@dataclass(frozen=True)
class PrivateSyscall:
    """One private number (``case`` None: nothing dispatches it) or a dispatch case
    (``number`` None: no ``__ARM_NR_`` names it)."""

    abi: str
    name: str
    number: int | None
    loc: Location
    case: Location | None


def extract(tree: KernelTree) -> list[PrivateSyscall]:
    out: list[PrivateSyscall] = []
    for abi, arch, dispatcher in SOURCES:
        if not tree.is_dir(f"arch/{arch}"):
            continue
        numbers: dict[str, tuple[int, Location]] = {}
        for path in _headers(tree, arch):
            for lineno, line in enumerate(strip_comments(tree.lines(path)), start=1):
                match = _NUMBER.match(line)
                if match and match.group(2) not in ("BASE", "COMPAT_BASE", "COMPAT_END") \
                        and (offset := c_integer(match.group(3))) is not None:
                    numbers.setdefault(match.group(2), (offset, Location(path, lineno)))
        cases: dict[str, Location] = {}
        for lineno, line in enumerate(strip_comments(tree.lines(dispatcher)), start=1):
            match = _CASE.match(line)
            if match:
                cases.setdefault(match.group(1) or match.group(2), Location(dispatcher, lineno))
        for name, (number, loc) in sorted(numbers.items(), key=lambda item: item[1][0]):
            out.append(PrivateSyscall(abi, name, number, loc, cases.get(name)))
        for name, loc in sorted(cases.items(), key=lambda item: item[1]):
            if name not in numbers:
                out.append(PrivateSyscall(abi, name, None, loc, loc))
    return out
