"""Kernel code calls a syscall entry point, ``sys_x()``.

What it checks:
    Every call ``sys_x(...)`` in the kernel's C files (not ``tools/``,
    ``samples/``, ``scripts/``, ``usr/``) where ``sys_x`` is a syscall entry
    point the tree defines with ``SYSCALL_DEFINEn`` or ``asmlinkage``. A call
    from generic code is a warning; a call from an arch's own code (its compat
    wrappers, on an arch without syscall wrappers) is a note. Opt-in: select
    it (``--select CKL705``); older trees have many such calls by design.

Why it matters:
    Documentation/process/adding-syscalls.rst: "the kernel should not call
    sys_xyzzy()". On arches with ``ARCH_HAS_SYSCALL_WRAPPER`` (x86, arm64,
    s390, riscv, powerpc) ``sys_x`` is not a C function of its arguments at all
    but a ``pt_regs`` wrapper, so such a call does not even work; elsewhere it
    skips the compat and audit handling the entry path does. 4.17 converted the
    last generic callers to ``ksys_*()`` helpers (``ksys_mount`` for
    init/do_mounts.c's ``sys_mount``).

Example:
    init/do_mounts.c (2.6.33): ``sys_mount(name, "/root", fs, flags, data)``.

Fix:
    Call the implementation the syscall itself calls (``do_mount()``), or add
    a ``ksys_x()`` helper that both use.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL705"
NAME = "syscall-called-in-kernel"
SEVERITY = "warning"
SUMMARY = "Kernel code calls a sys_x() syscall entry point"
REQUIRES = frozenset({"definitions", "syscall_calls"})
#: Not run unless selected: 2.6 trees call sys_* from generic code on purpose.
DEFAULT = False


def check(graph) -> Iterator[Draft]:
    entries: dict[str, object] = {}
    defined_at = set()
    for d in graph.facts.definitions:
        if d.kind in ("SYSCALL_DEFINE", "asmlinkage") and d.function.startswith("sys_"):
            entries.setdefault(d.function, d)
            defined_at.add(d.loc)
    for function, loc in graph.facts.syscall_calls:
        definition = entries.get(function)
        # sys_ni_syscall is the fallback every hole calls, no syscall of its own
        if definition is None or loc in defined_at or function == "sys_ni_syscall":
            continue
        in_arch = loc.path.startswith("arch/")
        yield Draft(f"{function}() is called from kernel code: it is a syscall entry point; "
                    "call what it calls (a ksys_ or do_ helper)", loc,
                    (Related(definition.loc, f"{function} is defined here"),),
                    symbol=function, severity="note" if in_arch else None)
