"""The tools/ copies of the kernel's syscall lists (CKL702): tools/arch/<a>'s unistd.h
over tools/'s copy of asm-generic/unistd.h, and tools/perf/arch/<a>'s .tbl files.

Read on demand (``FactGraph.tools_generic_copy``, ``FactGraph.tools_tbl_copy``):
only a run that checks the copies reads them.
"""

from __future__ import annotations

import re

from ckptlint.extract import generic
from ckptlint.extract.generic import _Pre
from ckptlint.extract.tbl import arch_views, label_for, parse_rows
from ckptlint.facts import Location

TOOLS_GENERIC = "tools/include/uapi/asm-generic/unistd.h"
_INCLUDES_GENERIC = re.compile(r"^\s*#\s*include\s*<asm-generic/unistd\.h>")


class _ToolsPre(_Pre):
    """The generic preprocessor with its includes resolved inside tools/."""

    tools_header = ""

    def include(self, name: str) -> None:
        if name == "asm-generic/unistd.h":
            self.run(TOOLS_GENERIC, True)
        elif name == "uapi/asm/unistd.h" and self.tools_header:
            self.run(self.tools_header, True)


def generic_copy(tree, srcarch: str, path: str, abis: list[str]
                 ) -> tuple[int | None, dict[str, dict[tuple[int, str], Location]]]:
    """The line of ``path`` that includes the generic copy (None: it includes none), and
    for each of the arch's generic ABIs among ``abis``: (number, name) -> where the copy
    numbers it."""
    lines = tree.lines(path)
    include = next((i for i, line in enumerate(lines, start=1) if _INCLUDES_GENERIC.match(line)), None)
    if include is None:
        return None, {}
    widths = generic.BITS.get(srcarch, (32,))
    keys = [str(bits) for bits in widths]
    copies: dict[str, dict[tuple[int, str], Location]] = {}
    for bits in widths:
        label, _ = label_for(srcarch, str(bits), keys)
        if label not in abis:
            continue
        pre = _ToolsPre(tree, srcarch, bits, label)
        pre.tools_header = path
        pre.run(path, True)
        copies[label] = {(n.number, n.name): n.loc for n in pre.numbers}
    return include, copies


def tbl_copy(tree, srcarch: str, path: str):
    """A .tbl copy and the kernel's original: (original, the copy's rows, the original's
    rows, [(ABI label, view)] of the views the kernel builds the original with); None
    when there is no original or nothing to compare."""
    name = path.rsplit("/", 1)[1]
    originals = [p for p in (f"arch/{srcarch}/entry/syscalls/{name}",
                             f"arch/{srcarch}/kernel/syscalls/{name}") if tree.is_file(p)]
    if not originals:
        return None
    original = originals[0]
    mine, theirs = parse_rows(tree, path), parse_rows(tree, original)
    all_views = arch_views(tree, srcarch, [original])
    views = [v for v in all_views if v.path == original]
    if not mine or not theirs or not views:
        return None
    keys = [v.key for v in all_views]
    return original, mine, theirs, [(label_for(srcarch, v.key, keys)[0], v) for v in views]
