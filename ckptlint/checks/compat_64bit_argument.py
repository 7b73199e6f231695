"""A compat table calls a generic ``sys_x`` that takes a 64-bit argument.

What it checks:
    Every slot of a compat ABI (a 64-bit kernel's table for 32-bit callers:
    ia32, arm64-compat, s390-compat, ppc32-compat, mips-o32-compat,
    parisc-32-compat, sparc32-compat, riscv32-compat) that calls a native
    ``sys_x`` defined outside ``arch/`` whose parameters include an explicit
    64-bit value (``loff_t``, ``u64``, ``__s64``, ``long long`` ...).
    Documentation/process/adding-syscalls.rst asks for a compat entry point
    in exactly this case. Arch code is trusted to know its own registers
    (mips's ``sys_32_pwrite`` takes the halves on purpose), and mips n32 and
    x32 pass a 64-bit value in one register, so neither is checked.

Why it matters:
    A 32-bit caller passes the value in two registers. The native function
    reads one 64-bit register: it gets the low half (and garbage above it),
    and every later argument is read one register early. x86_64's ia32
    ``sys_readahead`` and ``sys_fadvise64`` in 2.6.16, fixed by e412ac4971d
    ("x86_64: Fix readahead/sync_file_range/fadvise64 compat calls"), and
    mips's o32 ``sys_fadvise64_64``, fixed by 8676d2e0244 ("[MIPS] Fix some
    system calls with long long arguments"), were this mistake.

Example:
    arch/x86_64/ia32/ia32entry.S: ``.quad sys_readahead /* 225 */`` where
    mm/filemap.c defines ``sys_readahead(int fd, loff_t offset, size_t count)``.

Fix:
    Define ``COMPAT_SYSCALL_DEFINEn(x, ...)`` taking the value as two
    ``compat_arg_u64`` halves (or an arch wrapper such as ``sys32_readahead``)
    and call it from the compat slot; in a .tbl, name it in the compat column.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.abi.model import shape, word_bits
from ckptlint.findings import Draft, Related
from ckptlint.graph.queries import compat_calls

ID = "CKL703"
NAME = "compat-64bit-argument"
SEVERITY = "warning"
SUMMARY = "A compat table calls a generic sys_x that takes a 64-bit argument"
REQUIRES = frozenset({"tables", "definitions"})

#: Compat ABIs whose callers pass a 64-bit value in one register.
_ONE_REGISTER = frozenset({"mips-n32", "x32"})


def check(graph) -> Iterator[Draft]:
    found: dict[tuple, list[tuple[str, object]]] = {}
    for abi, entry, callee in compat_calls(graph):
        if not callee.startswith("sys_") or abi in _ONE_REGISTER or word_bits(abi) != 64:
            continue
        definition = _generic_definition(graph, callee)
        if definition is None:
            continue
        wide = [(number, param) for number, param in enumerate(definition.params, start=1)
                if (s := shape(param.type, 32)) is not None and s.kind == "value" and s.bits == 64]
        if wide:
            found.setdefault((entry.loc, callee, definition.loc, tuple(wide)), []).append(
                (abi, entry))
    for (loc, callee, defined_at, wide), uses in sorted(found.items(), key=lambda i: i[0][:2]):
        abis = ", ".join(sorted({abi for abi, _ in uses}))
        args = ", ".join(f"argument {n} '{p.type}{' ' + p.name if p.name else ''}'" for n, p in wide)
        yield Draft(f"the {abis} compat table calls {callee}, whose {args} a 32-bit caller passes "
                    "in two registers; it needs a compat entry point", loc,
                    (Related(defined_at, f"{callee} is defined here"),),
                    arch=abis, symbol=callee, key=f"{callee}:{args}")


def _generic_definition(graph, function: str):
    """The one readable definition of ``function`` outside arch/, or None."""
    found = [d for d in graph.definitions(function)
             if not d.loc.path.startswith("arch/") and d.params is not None]
    return min(found, key=lambda d: d.loc) if found else None
