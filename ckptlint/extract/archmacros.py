"""``__ARCH_*`` macros an arch's own asm headers define, each with its condition.

Generic code asks the arch through them: ``#ifdef __ARCH_WANT_SYS_TIME``
around ``SYSCALL_DEFINE1(time, ...)`` in kernel/time/time.c, ``#ifndef
__ARCH_SYS_PTRACE`` around 2.6's generic ``sys_ptrace`` (ia64 has its own).
Per srcarch this reads every header under ``arch/<hdr>/include/`` and, before
the per-arch header moves (2.6.24-2.6.30), ``include/asm-<hdr>/``, for
``#define __ARCH_x`` lines, with the Kconfig condition around each (x86 wants
STAT64 only under X86_32; 2.6's unistd.h picks unistd_32.h only under
CONFIG_X86_32, so a header ``#include``d under a condition carries it).
Arches that use ``asm-generic/unistd.h`` also get the wants it derives from
theirs (2.6.33's score).

A name that a generic header (outside any arch's asm directory) defines too,
such as ``__ARCH_HAS_SA_RESTORER`` in asm-generic/signal.h, cannot be told
per arch from these files: a condition naming one is left unknown ("either
branch"), never guessed. ``__ARCH_WANT_`` names are the arch's alone.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ckptlint.extract.ppcond import condition_at
from ckptlint.tree import KernelTree

ARCH_MACRO = re.compile(r"\b__ARCH_\w+")
_DEFINE = re.compile(r"^\s*#\s*define\s+(__ARCH_\w+)")
_DEFINE_BYTES = re.compile(rb"#\s*define\s+__ARCH_")
_UNISTD_INCLUDE = re.compile(r'^\s*#\s*include\s+[<"](?:asm/)?(unistd[\w-]*\.h)[>"]')
_GENERIC_UNISTD = re.compile(r"^\s*#\s*include\s*<asm-generic/unistd\.h>", re.M)
GENERIC_UNISTD = "include/asm-generic/unistd.h"
_FILTER_KEY = "defines-arch-macro"


def _defines_arch_macro(rel: str, data: bytes) -> bool:
    return data.find(b"__ARCH_") >= 0 and _DEFINE_BYTES.search(data) is not None


def asm_header_dirs(tree: KernelTree, srcarch: str) -> list[str]:
    """The directories an arch's ``asm/`` headers come from, in every era (2.6.16 ppc
    also compiles with include/asm-powerpc, which its Makefile links in)."""
    from ckptlint.extract.asmpath import linked_asm_dir

    hdr = tree.header_arch(srcarch)
    dirs = [d for d in (f"arch/{hdr}/include", f"include/asm-{hdr}") if tree.is_dir(d)]
    linked = linked_asm_dir(tree, srcarch)
    return dirs + [linked] if linked and linked not in dirs else dirs


#: The hosts um builds on, with the um Kconfig condition under which it does: in
#: the merged tree x86 (whose headers test CONFIG_X86_32, which um defines too),
#: in 2.6.12-2.6.23 i386 or x86_64, chosen by um's 64BIT.
UM_HOSTS = (("x86", "y"), ("i386", "!64BIT"), ("x86_64", "64BIT"))


def _um_macros(tree: KernelTree) -> dict[str, str]:
    """um's ``__ARCH_x``: its <asm/unistd.h> includes its host's (asm/arch, arch/x86)."""
    found: dict[str, list[str]] = defaultdict(list)
    for host, when in UM_HOSTS:
        if not tree.is_dir(f"arch/{host}"):
            continue
        for name, cond in arch_macros(tree, host).items():
            found[name].append(cond if when == "y" else
                               when if cond == "y" else f"({when}) && ({cond})")
    return {name: "y" if "y" in conds else " || ".join(conds) for name, conds in found.items()}


def arch_macros(tree: KernelTree, srcarch: str) -> dict[str, str]:
    """``__ARCH_x`` name -> the Kconfig condition under which the arch defines it."""
    headers = [p for d in asm_header_dirs(tree, srcarch) for p in tree.walk((".h",), under=d)]
    unistd = [p for p in headers if p.rsplit("/", 1)[-1].startswith("unistd")]
    included = _include_conditions(tree, unistd)
    found: dict[str, list[str]] = defaultdict(list)
    for path in headers:
        if not tree.scan_bytes(path, _defines_arch_macro, _FILTER_KEY):
            continue
        outer = included.get(path.rsplit("/", 1)[-1], "y") if path in unistd else "y"
        for lineno, line in enumerate(tree.lines(path), start=1):
            match = _DEFINE.match(line)
            if match:
                inner = condition_at(tree, path, lineno)
                found[match.group(1)].append(inner if outer == "y" else f"({outer}) && ({inner})")
    macros = {name: "y" if "y" in conds else " || ".join(conds) for name, conds in found.items()}
    if any(_GENERIC_UNISTD.search(tree.read_text(p) or "") for p in unistd):
        macros = _generic_wants(tree, macros)
    if srcarch == "um":
        for name, cond in _um_macros(tree).items():
            macros[name] = cond if name not in macros or macros[name] == "n" else (
                "y" if "y" in (cond, macros[name]) else f"{macros[name]} || {cond}")
    return macros


def generic_macros(tree: KernelTree) -> frozenset[str]:
    """``__ARCH_x`` names (other than ``__ARCH_WANT_``) a header outside the arches'
    own asm directories defines: no arch's headers alone decide them."""
    names: set[str] = set()
    for path in tree.walk((".h",), under="include"):
        if path.startswith("include/asm-") and not path.startswith("include/asm-generic/"):
            continue
        if not tree.scan_bytes(path, _defines_arch_macro, _FILTER_KEY):
            continue
        for line in tree.lines(path):
            match = _DEFINE.match(line)
            if match and not match.group(1).startswith("__ARCH_WANT_"):
                names.add(match.group(1))
    return frozenset(names)


def resolve(expr: str, macros: dict[str, str], generic: frozenset[str]) -> str:
    """``expr`` with each ``__ARCH_x`` replaced by its condition for the arch (n when the
    arch does not define it); ``y`` (either branch) when a name is one of ``generic``."""
    if "__ARCH_" not in expr:
        return expr
    names = ARCH_MACRO.findall(expr)
    if any(name in generic and name not in macros for name in names):
        return "y"
    return ARCH_MACRO.sub(lambda m: f"({macros[m.group(0)]})" if m.group(0) in macros else "n", expr)


def _generic_wants(tree: KernelTree, own: dict[str, str]) -> dict[str, str]:
    """``own`` plus the wants asm-generic/unistd.h defines from them."""
    wants = dict(own)
    for lineno, line in enumerate(tree.lines(GENERIC_UNISTD), start=1):
        match = _DEFINE.match(line)
        if match and match.group(1) not in own:
            cond = condition_at(tree, GENERIC_UNISTD, lineno)
            cond = ARCH_MACRO.sub(lambda m: f"({own[m.group(0)]})" if m.group(0) in own else "n", cond)
            wants[match.group(1)] = cond if match.group(1) not in wants \
                else f"({wants[match.group(1)]}) || ({cond})"
    return wants


def _include_conditions(tree: KernelTree, headers: list[str]) -> dict[str, str]:
    """Condition under which each unistd header is ``#include``d by another."""
    out: dict[str, str] = {}
    for path in headers:
        for lineno, line in enumerate(tree.lines(path), start=1):
            match = _UNISTD_INCLUDE.match(line)
            if match:
                cond = condition_at(tree, path, lineno)
                old = out.get(match.group(1))
                out[match.group(1)] = cond if old is None else f"({old}) || ({cond})"
    return out
