"""A ``CONFIG_`` reference in a syscall's wiring names no Kconfig symbol.

What it checks:
    In the files that wire a syscall (its table, unistd header, defining C
    file, ``kernel/sys_ni.c``, the prototype headers, and the Makefiles
    on its Kbuild path), every ``CONFIG_X`` (``CONFIG_X_MODULE`` counts as
    X, unless the tree defines a symbol of that very name) is defined by
    some Kconfig file in the tree. "Did you mean" names the closest symbol.
    When the Kconfig file a directory's Kconfig is sourced from is missing
    (CKL402), the references in that directory are not judged: what it
    would define is unknown. A symbol the top or an arch Makefile sets itself
    (``CONFIG_X86_X32_ABI := y`` and ``-DCONFIG_X86_X32_ABI`` in 5.x x86) is
    defined.

Why it matters:
    An undefined option is simply never set: ``obj-$(CONFIG_TYPO) += sys.o``
    never builds the object and ``#ifdef CONFIG_TYPO`` silently drops the
    code. The checkpoint/restart series carried
    ``CONFIG_CHEKCPOINT_RESTART`` for several versions.

Example:
    checkpoint/Makefile: ``obj-$(CONFIG_CHEKCPOINT_RESTART) += sys.o``

Fix:
    Use the symbol's real name (``CONFIG_CHECKPOINT``).
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from ckptlint.findings import Draft
from ckptlint.kconfig import names
from ckptlint.suggest import hint

ID = "CKL502"
NAME = "undefined-config-reference"
SEVERITY = "error"
SUMMARY = "A CONFIG_ reference in a syscall's wiring names no Kconfig symbol"
REQUIRES = frozenset({"tables", "definitions", "kbuild", "kconfig", "kconfig_symbols", "config_refs"})


def check(graph) -> Iterator[Draft]:
    if graph.unread("kconfig") is not None:
        return  # an unread Kconfig file may define the symbol
    defined = set(graph.facts.kconfig_symbols) | _set_by_the_build(graph)
    relevant = wiring_makefiles(graph)
    seen: set = set()
    refs = list(graph.facts.config_refs)
    for kbuild in graph.facts.kbuild.values():
        refs += [r for r in kbuild.config_refs if r.loc.path in relevant]
    unknown_dirs = _missing_kconfig_dirs(graph)
    for ref in sorted(refs, key=lambda r: (r.loc, r.symbol)):
        if names.is_defined(ref.symbol, defined):
            continue
        if posixpath.dirname(ref.loc.path) in unknown_dirs:
            continue  # the Kconfig file of that directory is missing (CKL402): unknown
        symbol = names.module_base(ref.symbol) or ref.symbol  # FOO_MODULE means FOO = m
        if symbol in _SPECIAL or (symbol, ref.loc) in seen:
            continue
        seen.add((symbol, ref.loc))
        what = (f"CONFIG_{ref.symbol}: neither {ref.symbol} nor {symbol} is" if symbol != ref.symbol
                else f"CONFIG_{symbol} is not")
        yield Draft(f"{what} defined by any Kconfig file"
                    f"{hint(symbol, defined).replace('mean ', 'mean CONFIG_')}",
                    ref.loc, symbol=symbol, key=symbol)


_MISSING = re.compile(r"^source of missing file '(.+)'$")
#: ``CONFIG_X32_ABI := y`` / ``export CONFIG_X :=`` and ``-DCONFIG_X`` in a top or arch
#: Makefile: a symbol the build sets itself (5.x x86 sets ``CONFIG_X86_X32_ABI`` when
#: the linker can do x32), not a reference to Kconfig.
_BUILD_SET = re.compile(r"^[ \t]*(?:export[ \t]+)?CONFIG_(\w+)[ \t]*[:?+]?=|-DCONFIG_(\w+)", re.M)


def _set_by_the_build(graph) -> set[str]:
    """Symbols the top Makefile or an arch's Makefile defines (assignment or ``-D``)."""
    out: set[str] = set()
    srcarches = {graph.abi(abi).srcarch for abi in graph.abis()} | set(graph.facts.kbuild)
    for path in ["Makefile", *(f"arch/{arch}/Makefile" for arch in sorted(srcarches))]:
        for assigned, flag in _BUILD_SET.findall(graph.source_text(path)):
            out.add(assigned or flag)
    return out


def _missing_kconfig_dirs(graph) -> set[str]:
    """Directories whose sourced Kconfig file is missing (CKL402): what it would define
    there is unknown (the seed's checkpoint/Kconfig, forgotten: one finding, CKL402's)."""
    out = set()
    for model in graph.facts.kconfig.values():
        for message, _loc in model.missing_sources:
            match = _MISSING.match(message)
            if match:
                out.add(posixpath.dirname(match.group(1)))
    return out


#: CONFIG_ names that are not Kconfig symbols by design (set by the build or
#: by headers, e.g. include/linux/autoconf.h's own guard).
_SPECIAL = frozenset({"", "H", "_H"})


def wiring_makefiles(graph) -> set[str]:
    """Makefiles on the Kbuild path of every syscall definition, plus the top ones."""
    out = {"Makefile"}
    for srcarch in graph.facts.kbuild:
        out |= {f"arch/{srcarch}/Makefile", f"arch/{srcarch}/Kbuild"}
    wired = set(graph.wired_entries())
    for definition in graph.facts.definitions:
        if definition.function not in wired:
            continue
        directory = posixpath.dirname(definition.loc.path)
        while directory:
            out |= {directory + "/Makefile", directory + "/Kbuild"}
            directory = posixpath.dirname(directory)
    return out
