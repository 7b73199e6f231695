"""A Kconfig ``source`` names a file that does not exist.

What it checks:
    Every ``source "path"`` in the Kconfig files read for an arch names a
    file in the tree.

Why it matters:
    ``make *config`` stops at the first missing source, for everyone
    building that arch. A patch that adds ``source "checkpoint/Kconfig"``
    to init/Kconfig but forgets to add the file breaks every build.

Example:
    init/Kconfig: ``source "checkpoint/Kconfig"`` with no checkpoint/Kconfig.

Fix:
    Add the file, or correct the path (paths are relative to the tree root).
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL402"
NAME = "kconfig-missing-source"
SEVERITY = "error"
SUMMARY = "A Kconfig source statement names a missing file"
REQUIRES = frozenset({"kconfig"})


def check(graph) -> Iterator[Draft]:
    seen: set = set()
    for label, model in sorted(graph.facts.kconfig.items()):
        for message, loc in model.missing_sources:
            if loc not in seen:
                seen.add(loc)
                yield Draft(message, loc, key=message)
