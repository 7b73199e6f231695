"""Which files can matter to a check: the names every extractor reads.

One definition shared by series mode (only these files are materialised),
check-patch and the pre-commit hook (nothing to do when none of them changed),
and ``.pre-commit-hooks.yaml`` (its ``files:`` regex is this pattern; a test
keeps them equal).
"""

from __future__ import annotations

import re

#: Kconfig*, Makefile*, Kbuild* and C, header, assembly and .tbl sources, in any directory.
#: Syscall tables (.S, .tbl, systbl.h), unistd headers, syscalls.h and sys_ni.c are among them.
WIRING_PATH_PATTERN = r"(^|/)(Kconfig[^/]*|Makefile[^/]*|Kbuild[^/]*|[^/]*\.(c|h|S|tbl))$"
_WIRING_PATH = re.compile(WIRING_PATH_PATTERN)


def is_wiring_path(path: str) -> bool:
    """Whether a tree-relative path can be read by some extractor."""
    return _WIRING_PATH.search(path) is not None
