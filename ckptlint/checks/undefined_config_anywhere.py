"""A ``CONFIG_`` reference anywhere in the tree names no symbol of the arches that build it.

What it checks:
    Every ``CONFIG_X`` in C, header, assembly, Makefile and Kbuild files
    (``#ifdef``, ``#if defined()``, ``IS_ENABLED()``, ``IS_BUILTIN()``,
    ``IS_MODULE()``, ``IS_REACHABLE()``, ``obj-$(CONFIG_X)``, ``ifdef``), and
    every symbol in a Kconfig ``depends on``/``select``/``imply``/``default``/
    ``if``/``range``/``visible if``/prompt condition, is defined by the Kconfig
    of at least one arch that can build the file: a file under ``arch/X/`` is
    built by arch X only (arch/x86 also by um), a Kconfig file by the arches
    that source it, any other file by every arch. ``CONFIG_X_MODULE`` counts
    as X. Comments are skipped; ``CONFIG_`` names the tree itself defines as
    macros, variables or enum constants are not Kconfig references.
    ``default N`` in Kconfig is only a note (an undefined symbol, so n, as
    meant; CKL401 says the same).
    Opt-in (``--select CKL504`` or ``ckptlint symbols``): on a whole tree it
    also reports upstream's own dead references.

Why it matters:
    An undefined option is simply never set: ``#ifdef CONFIG_TYPO`` silently
    drops code and ``obj-$(CONFIG_TYPO)`` never builds. A symbol only arm
    defines is just as dead in a file only x86 builds.

Example:
    arch/x86/kernel/foo.c: ``#ifdef CONFIG_ARM_LPAE`` (only arch/arm/mm/Kconfig
    defines ARM_LPAE).

Fix:
    Use the symbol's real name ("did you mean" names the closest one), or
    move the code where an arch that defines the symbol builds it.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.checks.kconfig_undefined_symbol import SPELT_CONSTANTS
from ckptlint.findings import Draft
from ckptlint.kconfig import names

ID = "CKL504"
NAME = "undefined-config-anywhere"
SEVERITY = "warning"
SUMMARY = ("A CONFIG_ reference anywhere in the tree names no symbol of the arches that build it "
           "(opt-in)")
REQUIRES = frozenset({"tree_symbols"})
#: Not run unless selected: whole trees carry upstream's own dead references.
DEFAULT = False


def check(graph) -> Iterator[Draft]:
    report = graph.facts.tree_symbols
    if report is None:
        return
    for ref in report.undefined:
        meant = SPELT_CONSTANTS.get(ref.name) if ref.kind != "source" else None
        if meant is not None:  # ``default N``: undefined, hence n, as CKL401 says
            yield Draft(f"'{ref.kind} {ref.name}' names an undefined symbol {ref.name}, which is n; "
                        f"write {meant}", ref.loc, symbol=ref.name, key=f"{ref.kind} {ref.name}",
                        severity="note" if meant == "n" else None)
            continue
        yield Draft(message(ref), ref.loc, symbol=ref.name, key=f"{ref.kind} {ref.name}")


def message(ref) -> str:
    """One sentence for an UndefinedRef."""
    written = f"CONFIG_{ref.name}" if ref.kind == "source" else f"'{ref.kind} {ref.name}'"
    base = names.module_base(ref.name)
    what = f"neither {ref.name} nor {base} is" if base else f"{ref.name} is not"
    if ref.elsewhere:
        return (f"{written}: {what} defined for the arches that build this file "
                f"({_names(ref.builders)}); only {_names(ref.elsewhere)} "
                f"define{'s' if len(ref.elsewhere) == 1 else ''} it"
                f"{f' at {ref.defined_at}' if ref.defined_at else ''}")
    prefix = "CONFIG_" if ref.kind == "source" else ""
    hint = f"; did you mean {prefix}{ref.suggestion}?" if ref.suggestion else ""
    return f"{written}: {what} defined by any Kconfig file{hint}"


def _names(labels: tuple[str, ...], shown: int = 6) -> str:
    if len(labels) <= shown:
        return ", ".join(labels)
    return ", ".join(labels[:shown]) + f" and {len(labels) - shown} more"
