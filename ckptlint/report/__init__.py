"""Formatters: findings in, text out, nothing else."""

from __future__ import annotations

from typing import Callable

FORMATS = ("text", "json")


def formatter(name: str) -> Callable:
    """The ``render(result) -> str`` function of a format."""
    if name == "json":
        from ckptlint.report.json import render
    else:
        from ckptlint.report.text import render
    return render
