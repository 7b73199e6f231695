"""Which files can matter to a check: the names every extractor reads.

One definition shared by series mode (only these files are materialised),
check-patch and the pre-commit hook (nothing to do when none of them changed),
and ``.pre-commit-hooks.yaml`` (its ``files:`` regex is this pattern; a test
keeps them equal).
"""

from __future__ import annotations

import fnmatch
import re
from typing import Iterable

#: Kconfig*, Makefile*, Kbuild* and C, header, assembly and .tbl sources, in any directory.
#: Syscall tables (.S, .tbl, systbl.h), unistd headers, syscalls.h and sys_ni.c are among them.
WIRING_PATH_PATTERN = r"(^|/)(Kconfig[^/]*|Makefile[^/]*|Kbuild[^/]*|[^/]*\.(c|h|S|tbl))$"
_WIRING_PATH = re.compile(WIRING_PATH_PATTERN)


def is_wiring_path(path: str) -> bool:
    """Whether a tree-relative path can be read by some extractor."""
    return _WIRING_PATH.search(path) is not None


class Relevance:
    """Which paths a run's checks can be changed by: wiring names, and whatever the run read.

    ``reads`` is :attr:`ckptlint.engine.run.Result.reads`: every path read or probed,
    ``glob:PATTERN`` for each glob expanded (a file created under it would be
    matched) and ``dir:PATH`` probes. A Makefile ``include``, a Kconfig
    ``source`` or a C ``#include`` of a file under any name counts, because the
    extractor read it.
    """

    def __init__(self, reads: Iterable[str] = ()) -> None:
        self.files: set[str] = set()
        self.globs: list[list[str]] = []
        self.add(reads)

    def add(self, reads: Iterable[str]) -> None:
        for read in reads:
            if read.startswith("glob:"):
                self.globs.append(read[5:].split("/"))
            elif not read.startswith(("dir:", "link:")):
                self.files.add(read)

    def __call__(self, path: str) -> bool:
        if is_wiring_path(path) or path in self.files:
            return True
        names = path.split("/")
        return any(len(parts) == len(names) and all(map(fnmatch.fnmatchcase, names, parts))
                   for parts in self.globs)
