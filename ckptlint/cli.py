"""Command line: argument parsing and exit codes only; no analysis here.

Exit codes: 0 no finding at or above --fail-on, 1 there are, 2 usage or tool error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile

from ckptlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
LOG = logging.getLogger(__name__)


class UsageError(Exception):
    """Bad command line; reported as one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


def _size(text: str) -> int:
    """A byte count such as ``16777216``, ``64K``, ``16M`` or ``1G``."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    number, unit = (text[:-1], units[text[-1].upper()]) if text[-1:].upper() in units else (text, 1)
    if not number.isdigit() or int(number) == 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size (such as 16M, 512K or 1048576)")
    return int(number) * unit


def _tree_argument(parser: argparse.ArgumentParser) -> None:
    """The tree positional and the options that say how it is read."""
    parser.add_argument("tree", help="kernel source tree")
    parser.add_argument("--max-file-size", type=_size, default=None, metavar="SIZE",
                        help="skip (and note) files larger than SIZE (default: 8M)")


def _open_tree(args):
    from ckptlint.tree import KernelTree

    return KernelTree(args.tree, max_file_bytes=args.max_file_size)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ckptlint", description="Cross-check Linux syscall wiring.")
    parser.add_argument("--version", action="version", version=f"ckptlint {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check = sub.add_parser("check", help="check a kernel tree")
    _tree_argument(check)
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("-o", "--output", help="write the report to FILE instead of stdout")
    check.add_argument("--fail-on", choices=("error", "warning", "note"), default="error",
                       help="lowest severity that makes the exit code 1 (default: error)")
    check.add_argument("--min-severity", choices=("note", "warning", "error"), default=None,
                       help="lowest severity reported (default: warning)")
    check.add_argument("--show-notes", action="store_true", help="same as --min-severity note")
    check.add_argument("--select", action="append", default=[], metavar="IDS",
                       help="run only these checks (IDs or names, comma-separated)")
    check.add_argument("--ignore", action="append", default=[], metavar="IDS",
                       help="skip these checks (IDs or names, comma-separated)")
    check.add_argument("--rules", action="append", default=[], metavar="DIR",
                       help="load extra rule packs (*.toml) from DIR")
    check.add_argument("--arch", action="append", default=[], metavar="ARCH",
                       help="check these arches (srcarch such as x86, or an ABI label such as "
                            "ppc64; comma-separated; 'all' for every ABI; default: x86)")
    check.add_argument("-v", "--verbose", action="store_true", help="timings in the summary")
    why = sub.add_parser("why", help="can a Kconfig symbol be enabled on an arch, and if not, why")
    why.add_argument("symbol", help="Kconfig symbol, with or without CONFIG_")
    _tree_argument(why)
    why.add_argument("--arch", required=True, help="Kconfig arch label (i386, x86_64, arm, ...)")
    matrix = sub.add_parser("matrix", help="syscall x ABI wiring table, or one syscall's wiring")
    _tree_argument(matrix)
    matrix.add_argument("--syscall", help="show every edge of this syscall with path:line")
    matrix.add_argument("--format", choices=("text", "json"), default="text")
    sub.add_parser("rules", help="list the checks and rule packs")
    explain = sub.add_parser("explain", help="show a check's documentation")
    explain.add_argument("check", help="check ID or name")
    return parser


def _split(values: list[str]) -> set[str]:
    return {v.strip() for value in values for v in value.split(",") if v.strip()}


def cmd_check(args) -> int:
    from ckptlint.engine import Options, run
    from ckptlint.report import formatter

    tree = _open_tree(args)
    _check_output(args.output)
    min_severity = args.min_severity or ("note" if args.show_notes else "warning")
    if _rank(args.fail_on) < _rank(min_severity):
        min_severity = args.fail_on
    arches = _split(args.arch)
    options = Options(select=_split(args.select) or None, ignore=_split(args.ignore),
                      min_severity=min_severity, rules_dirs=list(args.rules))
    if arches:
        options.arches = None if "all" in arches else arches
    result = run(tree, options)
    text = formatter(args.format)(result, verbose=args.verbose)
    _emit(text, args.output)
    failing = [f for f in result.findings if _rank(f.severity) >= _rank(args.fail_on)]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _rank(severity: str) -> int:
    from ckptlint.findings import SEVERITY_RANK

    return SEVERITY_RANK[severity]


def _check_output(output: str | None) -> None:
    """Refuse an -o target that cannot be written, before any analysis runs."""
    if not output:
        return
    directory = os.path.dirname(os.path.abspath(output))
    if os.path.isdir(output):
        raise UsageError(f"cannot write report to {output}: is a directory")
    if not os.path.isdir(directory):
        raise UsageError(f"cannot write report to {output}: no such directory {directory}")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write report to {output}: directory {directory} is not writable")


def _emit(text: str, output: str | None) -> None:
    """Write to stdout, or atomically to a file (never a partial report)."""
    if not output:
        sys.stdout.write(text)
        return
    directory = os.path.dirname(os.path.abspath(output))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".ckptlint-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        raise UsageError(f"cannot write report to {output}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def cmd_rules(args) -> int:
    from ckptlint.checks import CHECKS
    from ckptlint.packs import load_packs

    for check in CHECKS:
        print(f"{check.ID}  {check.NAME:<28} {check.SEVERITY:<8} {check.SUMMARY}")
    for pack in load_packs():
        print(f"pack  {pack.name:<28} {pack.source}: {pack.description}")
    return EXIT_CLEAN


def cmd_explain(args) -> int:
    from ckptlint.checks import lookup

    check = lookup(args.check)
    if check is None:
        raise UsageError(f"unknown check '{args.check}' (see 'ckptlint rules')")
    print(f"{check.ID} {check.NAME} (default severity: {check.SEVERITY})\n")
    print(check.__doc__.strip())
    return EXIT_CLEAN


def cmd_why(args) -> int:
    """Exit 0 when the symbol can be y or m on the arch, 1 when it cannot."""
    from ckptlint.kconfig import loader

    tree = _open_tree(args)
    symbol = args.symbol[7:] if args.symbol.startswith("CONFIG_") else args.symbol
    configs = {c.label: c for c in loader.arch_configs(tree)}
    if args.arch not in configs:
        raise UsageError(f"unknown arch '{args.arch}' for this tree (one of: {', '.join(configs)})")
    model = loader.load(tree, configs[args.arch])
    if model.error is not None:
        message, loc = model.error
        raise UsageError(f"Kconfig for {args.arch} does not load: {loc}: {message}")
    if not model.is_defined(symbol):
        print(f"{symbol} is not defined by any Kconfig file read for {args.arch}")
        return EXIT_FINDINGS
    values = [v for v in ("y", "m") if model.can_be(symbol, v)]
    where = ", ".join(str(loc) for loc in model.definitions(symbol))
    if values:
        print(f"{symbol} can be {' or '.join(values)} on {args.arch} (defined at {where})")
    else:
        print(f"{symbol} can never be enabled on {args.arch} (defined at {where}):")
        for message, loc in model.explain(symbol, "y"):
            print(f"  {loc}: {message}")
    for selector, loc in model.selectors(symbol):
        print(f"  selected by {selector} at {loc}")
    for target, loc in model.unmet_selects(symbol):
        print(f"  selects {target} at {loc}, whose dependencies cannot be met")
    return EXIT_CLEAN if values else EXIT_FINDINGS


def cmd_matrix(args) -> int:
    import json

    from ckptlint import matrix
    from ckptlint.engine import Options, wiring_graph

    needs = {"numbers", "tables"} | ({"definitions", "prototypes", "cond_syscalls", "kbuild", "kconfig"}
                                     if args.syscall else set())
    graph = wiring_graph(_open_tree(args), needs, Options(arches=None))
    if args.syscall:
        info = matrix.wiring(graph, args.syscall)
        if not info["abis"] and not info["definitions"]:
            raise UsageError(f"no syscall '{args.syscall}' in this tree")
        text = json.dumps(info, indent=2) + "\n" if args.format == "json" else matrix.render_wiring(info)
    else:
        table = matrix.build(graph)
        text = (json.dumps(matrix.to_json(table), indent=2) + "\n" if args.format == "json"
                else matrix.render_text(table))
    sys.stdout.write(text)
    return EXIT_CLEAN


COMMANDS = {"matrix": cmd_matrix, "check": cmd_check, "rules": cmd_rules, "explain": cmd_explain, "why": cmd_why}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    logging.basicConfig(level=logging.WARNING, format="ckptlint: %(message)s")
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise UsageError(f"a command is required: {', '.join(COMMANDS)} (see --help)")
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("ckptlint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # every tool error is one line and exit 2
        if debug:
            raise
        message = " ".join(part.strip() for part in _describe(exc).splitlines() if part.strip())
        print(f"ckptlint: error: {message}", file=sys.stderr)
        return EXIT_ERROR


def _describe(exc: Exception) -> str:
    from ckptlint.engine import ConfigError
    from ckptlint.packs import PackError
    from ckptlint.tree import TreeError

    if isinstance(exc, (UsageError, TreeError, ConfigError, PackError)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    return f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for a traceback)"
