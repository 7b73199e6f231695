"""A ``no-dot-config-targets`` pattern swallows a top-level directory.

What it checks:
    No pattern of the top Makefile's ``no-dot-config-targets`` matches a
    top-level directory that Kbuild descends into (with make's ``%``
    wildcard, against ``dir`` and ``dir/``).

Why it matters:
    Goals that match those patterns are built without reading
    ``.config``. ``make checkpoint/`` matched ``check%``, so building just
    that directory ran with no configuration at all; the checkpoint/restart
    series had to change ``check%`` to ``checkstack`` (v18).

Example:
    Makefile: ``cscope TAGS tags help %docs check% \\`` with ``checkpoint/``
    in ``core-y``.

Fix:
    Narrow the pattern to the targets it was meant for (``checkstack``).
"""

from __future__ import annotations

import re
from typing import Iterator

from ckptlint.findings import Draft, Related

ID = "CKL503"
NAME = "no-dot-config-collision"
SEVERITY = "error"
SUMMARY = "A no-dot-config-targets pattern swallows a top-level directory"
REQUIRES = frozenset({"kbuild"})


def check(graph) -> Iterator[Draft]:
    seen: set = set()
    for srcarch, kbuild in sorted(graph.facts.kbuild.items()):
        tops = [d for d in kbuild.top_dirs if "/" not in d.path.rstrip("/")]
        for pattern in kbuild.no_dot_config:
            matcher = _compile(pattern.pattern)
            for top in tops:
                name = top.path.rstrip("/")
                if (pattern.loc, name) in seen:
                    continue
                if matcher.fullmatch(name) or matcher.fullmatch(name + "/"):
                    seen.add((pattern.loc, name))
                    yield Draft(f"no-dot-config-targets pattern '{pattern.pattern}' matches the "
                                f"directory {name}/: 'make {name}/' would run without .config",
                                pattern.loc, (Related(top.loc, f"{name}/ is built from here"),),
                                symbol=name, key=pattern.pattern)


def _compile(pattern: str) -> re.Pattern[str]:
    """Make's pattern: the first % matches any string, the rest is literal."""
    head, percent, tail = pattern.partition("%")
    return re.compile(re.escape(head) + (".*" if percent else "") + re.escape(tail))
