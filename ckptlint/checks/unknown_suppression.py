"""A ``ckptlint: ignore[...]`` comment names no known check.

What it checks:
    Suppression comments read next to a finding (on its line, or the
    comment line above it) name checks by ID (``CKL101``) or name
    (``table-position-mismatch``) or ID prefix (``CKL1``). A name that is
    none of these is reported here, with the closest check if one is close.
    The engine reports this after the other checks, as it reads only the
    comments next to findings; a misspelt comment elsewhere goes unseen.

Why it matters:
    A misspelt ID suppresses nothing, so the finding it was meant for stays
    reported while the comment looks as if it handled it; or worse, the
    author switches to a bare ``ckptlint: ignore`` that hides every check.

Example:
    arch/x86/kernel/syscall_table_32.S::

        .long sys_checkpoint    /* ckptlint: ignore[CKL1O1] (letter O) */

Fix:
    Use the ID or name shown by ``ckptlint rules``.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL011"
NAME = "unknown-suppression"
SEVERITY = "warning"  # a typo that silently suppresses nothing must be seen (ruff: RUF100)
SUMMARY = "A ckptlint: ignore[...] comment names no known check"
REQUIRES: frozenset = frozenset()


def check(graph) -> Iterator[Draft]:
    """Nothing here: the engine's suppression pass (ckptlint.engine.suppress) yields these."""
    return iter(())
