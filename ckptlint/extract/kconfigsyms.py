"""Every symbol any Kconfig file of the tree defines, whatever the arch.

This is the arch-blind set used to tell "undefined everywhere" (a typo)
from "defined only by another arch" (normal in generic Kconfig files).
"""

from __future__ import annotations

import re

from ckptlint.facts import Location
from ckptlint.tree import KernelTree

#: Kconfig files live everywhere the build reads them, samples/ included.
_SKIP = frozenset({".git", ".hg", ".svn"})
_CONFIG = re.compile(r"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*(?:#.*)?$")


def extract(tree: KernelTree) -> dict[str, Location]:
    """Symbol -> its first definition's location."""
    out: dict[str, Location] = {}
    for path in tree.walk(prefixes=("Kconfig",), skip=_SKIP):
        for lineno, line in enumerate(tree.lines(path), start=1):
            match = _CONFIG.match(line)
            if match:
                out.setdefault(match.group(1), Location(path, lineno))
    return out
