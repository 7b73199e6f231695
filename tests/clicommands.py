"""Every CLI command worth running on a tree, for the no-write and determinism tests."""

from __future__ import annotations

import argparse
from pathlib import Path

from ckptlint.cli.parser import build_parser


def check_formats() -> list[str]:
    """The formats ``ckptlint check --format`` offers (so new ones are covered unasked)."""
    return list(_option(subparser("check"), "--format").choices)


def matrix_formats() -> list[str]:
    return list(_option(subparser("matrix"), "--format").choices)


def commands() -> list[str]:
    """The command names, in the order argparse lists them."""
    return list(_commands().choices)


def subparser(name: str) -> argparse.ArgumentParser:
    return _commands().choices[name]


def _commands() -> argparse._SubParsersAction:
    return next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action:
    return next(a for a in parser._actions if flag in a.option_strings)


def tree_commands(tree: Path, out_dir: Path) -> dict[str, list[str]]:
    """{label: argv} for every command that reads ``tree``; reports go to ``out_dir``."""
    commands: dict[str, list[str]] = {}
    for fmt in check_formats():
        commands[f"check-{fmt}"] = ["check", str(tree), "--format", fmt, "--show-notes", "--arch", "all"]
        commands[f"check-{fmt}-o"] = ["check", str(tree), "--format", fmt, "-o", str(out_dir / f"report.{fmt}")]
    for fmt in matrix_formats():
        commands[f"matrix-{fmt}"] = ["matrix", str(tree), "--format", fmt]
        commands[f"matrix-{fmt}-syscall"] = ["matrix", str(tree), "--format", fmt, "--syscall", "read"]
    commands["why"] = ["why", "CHECKPOINT", str(tree), "--arch", "i386"]
    commands["rules"] = ["rules"]
    commands["explain"] = ["explain", "CKL010"]
    return commands
