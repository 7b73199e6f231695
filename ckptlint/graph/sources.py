"""Source text the checks ask about beyond the eager facts, read on demand through
ckptlint.extract: the ``#if`` condition written around a line, which headers include
a header and under what condition, a file's ``#define`` renames, the tools/ copies
of the syscall lists. A mixin of FactGraph."""

from __future__ import annotations

from typing import Iterator

from ckptlint.extract import source_text, tools_copies
from ckptlint.extract.ppcond import condition_at
from ckptlint.kconfig.version import version_of


class SourceQueries:
    """On-demand source queries of :class:`ckptlint.graph.factgraph.FactGraph`."""

    def written_condition(self, path: str, line: int) -> str:
        """The ``#if`` conditions around ``line`` of ``path``, as written ("y": none)."""
        return condition_at(self.tree, path, line)

    def source_text(self, path: str) -> str:
        """A tree file's text ("" when it cannot be read)."""
        return self.tree.read_text(path) or ""

    def source_lines(self, path: str) -> list[str]:
        """A tree file's lines (none when it cannot be read)."""
        return self.tree.lines(path)

    def source_files(self, suffixes: tuple[str, ...], under: str) -> Iterator[str]:
        """The tree's files under ``under`` ending in ``suffixes``, sorted; no directory
        is skipped (tools/ included)."""
        return self.tree.walk(suffixes, under=under, skip=frozenset())

    def version(self) -> tuple[int, int, int]:
        """(VERSION, PATCHLEVEL, SUBLEVEL) from the tree's top Makefile, (0, 0, 0) when not said."""
        return version_of(self.tree)

    def has_file(self, path: str) -> bool:
        """Whether the tree has a regular file at ``path``."""
        return self.tree.is_file(path)

    def includes(self, path: str, header: str) -> bool:
        """Whether ``path`` names ``header`` (by file name) in an ``#include``."""
        return source_text.includes(self.tree, path, header)

    def included_under(self, header: str) -> str:
        """The condition under which a sibling header pulls ``header`` in (``y``: always or
        unknown). 2.6.33's sh asm/syscalls.h includes syscalls_32.h under
        CONFIG_SUPERH32 and syscalls_64.h in the ``#else``."""
        memo = self.__dict__.setdefault("_included_under", {})
        if header in memo:
            return memo[header]
        conds = [self.written_condition(sibling, line)
                 for sibling, line in source_text.including_lines(self.tree, header)]
        memo[header] = "y" if not conds or "y" in conds else " || ".join(f"({c})" for c in conds)
        return memo[header]

    def define_renames(self, path: str) -> dict[str, str]:
        """A file's ``#define ident other_ident`` renames."""
        return source_text.define_renames(self.tree, path)

    def has_tools_generic(self) -> bool:
        """Whether the tree has tools/'s copy of asm-generic/unistd.h."""
        return self.tree.is_file(tools_copies.TOOLS_GENERIC)

    def tools_generic_copy(self, srcarch: str, path: str):
        """``tools_copies.generic_copy`` for the run's ABIs."""
        return tools_copies.generic_copy(self.tree, srcarch, path, self.abis())

    def tools_tbl_copy(self, srcarch: str, path: str):
        """``tools_copies.tbl_copy``: a .tbl copy, its original and the views to compare."""
        return tools_copies.tbl_copy(self.tree, srcarch, path)
