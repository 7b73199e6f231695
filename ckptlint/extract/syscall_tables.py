"""Every ABI's syscall numbers and table, from whichever layouts the tree has: the
2.6 x86 headers and positional tables, then each other table source in turn."""

from __future__ import annotations

import importlib

from ckptlint.extract import tables, um, unistd
from ckptlint.facts import AbiTable


#: Extractor modules that return AbiTables, in priority order (first one wins a label).
TABLE_SOURCES = ("ckptlint.extract.tbl", "ckptlint.extract.generic", "ckptlint.extract.arch26",
                 "ckptlint.extract.arch_old", "ckptlint.extract.xtensa")


def abi_tables(tree) -> list[AbiTable]:
    """AbiTables of the 2.6 x86 layout, then of every other source module."""
    out: list[AbiTable] = []
    headers = {h.abi: h for h in unistd.extract(tree)}
    positional = {t.abi: t for t in tables.extract(tree)}
    for label, header in headers.items():
        table = positional.get(label)
        out.append(AbiTable(label=label, srcarch="x86", kconfig_arch=label,
                            kind="positional" if table else "pairs", path=header.path,
                            numbers=header.numbers, entries=table.entries if table else header.pairs,
                            count=header.count, ignored=header.ignored))
    for name in TABLE_SOURCES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        out.extend(module.extract(tree))
    return out + um.views(tree, out)
