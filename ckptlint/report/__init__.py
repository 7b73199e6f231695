"""Formatters: findings in, text out, nothing else."""

from __future__ import annotations

from typing import Callable

FORMATS = ("text", "json", "sarif", "github")


def formatter(name: str) -> Callable:
    """The ``render(result) -> str`` function of a format."""
    if name == "json":
        from ckptlint.report.json import render
    elif name == "sarif":
        from ckptlint.report.sarif import render
    elif name == "github":
        from ckptlint.report.github import render
    else:
        from ckptlint.report.text import render
    return render
