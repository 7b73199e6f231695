"""The kernel version a tree says it is (the top Makefile's VERSION lines)."""

from __future__ import annotations

import re

_VERSION_LINE = re.compile(r"^(VERSION|PATCHLEVEL|SUBLEVEL)[ \t]*=[ \t]*(\d+)", re.M)


def version_of(tree) -> tuple[int, int, int]:
    """(VERSION, PATCHLEVEL, SUBLEVEL) from the top Makefile, (0, 0, 0) when not said."""
    found: dict[str, int] = {}
    for key, value in _VERSION_LINE.findall((tree.read_text("Makefile") or "")[:4096]):
        found.setdefault(key, int(value))
    if set(found) != {"VERSION", "PATCHLEVEL", "SUBLEVEL"}:
        return (0, 0, 0)
    return (found["VERSION"], found["PATCHLEVEL"], found["SUBLEVEL"])
