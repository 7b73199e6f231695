"""Command line: argument parsing and exit codes only; no analysis here.

``parser`` holds the arguments, ``commands`` one function per subcommand; this
module runs one and turns every tool error into one line and exit code 2.
"""

from __future__ import annotations

import logging
import os
import sys

from ckptlint.cli.commands import COMMANDS, EXIT_ERROR
from ckptlint.cli.views import VIEW_COMMANDS
from ckptlint.cli.parser import UsageError, parse

LOG = logging.getLogger(__name__)
ALL_COMMANDS = {name: {**COMMANDS, **VIEW_COMMANDS}[name]
                for name in ("matrix", "check", "check-patch", "rules", "explain", "why", "report",
                             "graph", "symbols", "abi-diff")}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    logging.basicConfig(level=logging.WARNING, format="ckptlint: %(message)s")
    argv = list(argv if argv is not None else sys.argv[1:])
    debug = "--debug" in argv  # a global option, taken wherever it stands
    try:
        args = parse((["--debug"] if debug else []) + [a for a in argv if a != "--debug"])
        if args.command is None:
            raise UsageError(f"a command is required: {', '.join(ALL_COMMANDS)} (see --help)")
        if hasattr(args, "tree"):
            from ckptlint.tree import find_root

            args.tree = find_root(args.tree)
        return ALL_COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("ckptlint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # every tool error is one line and exit 2
        described = _describe(exc)
        if debug and described.startswith("internal error"):  # --debug: the traceback
            raise
        message = " ".join(part.strip() for part in described.splitlines() if part.strip())
        print(f"ckptlint: error: {message}", file=sys.stderr)
        return EXIT_ERROR


def entry() -> None:
    """The ``ckptlint`` command and ``python -m ckptlint``: :func:`main`, then exit at once.

    A cold ``--arch all`` run leaves about a gigabyte of small objects, and the
    interpreter freed them one by one on its way out (~0.35 s on 6.12). Everything
    ``main`` writes is closed by the time it returns; the standard streams and
    logging are flushed here, and no worker is left (``Session.close``).
    """
    try:
        code = main()
    except SystemExit:  # --help, --version: argparse's own exit
        raise
    except BaseException as exc:  # noqa: BLE001 - e.g. a MemoryError inside main's own handler
        # never exit 1 ("findings") on an internal failure, never a traceback
        os.write(2, f"ckptlint: error: internal error: {type(exc).__name__}\n".encode())
        os._exit(EXIT_ERROR)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``): nothing more to say
            pass
    logging.shutdown()
    os._exit(code)


def _describe(exc: Exception) -> str:
    from ckptlint.engine.baseline import BaselineError
    from ckptlint.engine.options import ConfigError
    from ckptlint.extract.packs import PackError
    from ckptlint.report.output import OutputError
    from ckptlint.revisions.gitview import GitError
    from ckptlint.revisions.patch import PatchError
    from ckptlint.tree import TreeError

    if isinstance(exc, (UsageError, OutputError, TreeError, ConfigError, PackError, BaselineError, GitError,
                        PatchError)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    return f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for a traceback)"
