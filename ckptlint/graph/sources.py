"""Source text the checks ask about beyond the eager facts, read on demand through
ckptlint.extract: the ``#if`` condition written around a line, the tools/ copies of
the syscall lists. A mixin of FactGraph."""

from __future__ import annotations

from ckptlint.extract import tools_copies
from ckptlint.extract.ppcond import condition_at


class SourceQueries:
    """On-demand source queries of :class:`ckptlint.graph.factgraph.FactGraph`."""

    def written_condition(self, path: str, line: int) -> str:
        """The ``#if`` conditions around ``line`` of ``path``, as written ("y": none)."""
        return condition_at(self.tree, path, line)

    def has_tools_generic(self) -> bool:
        """Whether the tree has tools/'s copy of asm-generic/unistd.h."""
        return self.tree.is_file(tools_copies.TOOLS_GENERIC)

    def tools_generic_copy(self, srcarch: str, path: str):
        """``tools_copies.generic_copy`` for the run's ABIs."""
        return tools_copies.generic_copy(self.tree, srcarch, path, self.abis())

    def tools_tbl_copy(self, srcarch: str, path: str):
        """``tools_copies.tbl_copy``: a .tbl copy, its original and the views to compare."""
        return tools_copies.tbl_copy(self.tree, srcarch, path)
