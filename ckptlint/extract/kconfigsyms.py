"""Every symbol any Kconfig file of the tree defines, whatever the arch.

This is the arch-blind set used to tell "undefined everywhere" (a typo)
from "defined only by another arch" (normal in generic Kconfig files).
"""

from __future__ import annotations

import posixpath
import re

from ckptlint.facts import Location
from ckptlint.tree import KernelTree

#: Kconfig files live everywhere the build reads them, samples/ included.
_SKIP = frozenset({".git", ".hg", ".svn"})
_CONFIG = re.compile(r"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*(?:#.*)?$")


#: ``source "path"`` with a literal path (one with a ``$(...)`` names Kconfig files anyway).
_SOURCE = re.compile(r'^\s*(o?r?)source\s+"([^"$*?\[]+)"')
#: Sourced files of other names are few (none in the kernel); more than this are not read.
MAX_OTHER_FILES = 1000


def extract(tree: KernelTree) -> dict[str, Location]:
    """Symbol -> its first definition's location: in every ``Kconfig*`` file, and in any
    file one of them ``source``s whatever its name (a ``gate.in`` counts where it is read)."""
    out: dict[str, Location] = {}
    todo = list(tree.walk(prefixes=("Kconfig",), skip=_SKIP))
    seen, others = set(todo), 0
    while todo:
        path = todo.pop(0)
        for lineno, line in enumerate(tree.lines(path), start=1):
            match = _CONFIG.match(line) if "config" in line else None
            if match:
                out.setdefault(match.group(1), Location(path, lineno))
                continue
            source = _SOURCE.match(line) if "source" in line else None
            if source is None or others >= MAX_OTHER_FILES:
                continue
            rel = source.group(2)
            if "r" in source.group(1):  # rsource, orsource: relative to this file
                rel = posixpath.join(posixpath.dirname(path), rel)
            rel = posixpath.normpath(rel)
            if rel not in seen and not rel.startswith(("../", "/")) and tree.is_file(rel):
                seen.add(rel)
                others += 1
                todo.append(rel)
    return out
