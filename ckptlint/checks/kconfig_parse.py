"""The Kconfig files of an arch cannot be parsed.

What it checks:
    ckptlint loads each arch's Kconfig the way ``make *config`` does. A
    syntax error that the kernel's own parser would also refuse is
    reported at its line; characters that the kernel's lexer skipped (a
    stray ``;`` after a prompt) are tolerated and only noted.

Why it matters:
    Nobody can configure that arch, and every Kconfig-based check for it
    is blind until the error is fixed.

Example:
    checkpoint/Kconfig: ``depends on CHECKPOINT_SUPPORT &&`` (dangling operator)

Fix:
    Correct the syntax at the reported line.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL403"
NAME = "kconfig-parse-error"
SEVERITY = "error"
SUMMARY = "The Kconfig files of an arch cannot be parsed"
REQUIRES = frozenset({"kconfig"})
OPTIONS: dict = {}


def check(graph, options) -> Iterator[Draft]:
    errors: dict = {}
    noted: set = set()
    for label, model in sorted(graph.facts.kconfig.items()):
        for message, loc in model.notes:
            if (message, loc) not in noted:
                noted.add((message, loc))
                yield Draft(message, loc, severity="note", key=message)
        if model.error is not None:
            message, loc = model.error
            errors.setdefault((message, loc), []).append(label)
    for (message, loc), labels in sorted(errors.items(), key=lambda item: item[0][1]):
        arch = labels[0] if len(labels) == 1 else None
        yield Draft(f"Kconfig cannot be parsed for {', '.join(labels)}: {message}", loc,
                    arch=arch, key=message)
