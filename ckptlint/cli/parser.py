"""The command line's arguments: every subcommand and option, and the one-line usage error."""

from __future__ import annotations

import argparse

from ckptlint import __version__


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


def _tree_positional(parser: argparse.ArgumentParser) -> None:
    """TREE, optional: without it, the tree the working directory is in (as git finds
    its work tree from a subdirectory)."""
    parser.add_argument("tree", nargs="?", default=None,
                        help="kernel source tree (default: the tree the working directory is in)")


def _tree_argument(parser: argparse.ArgumentParser) -> None:
    """The tree positional and the options that say how it is read."""
    _tree_positional(parser)
    parser.add_argument("--max-file-size", type=_size, default=None, metavar="SIZE",
                        help="skip (and note) files larger than SIZE (default: 8M)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ckptlint", description="Cross-check Linux syscall wiring.")
    parser.add_argument("--version", action="version", version=f"ckptlint {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check = sub.add_parser("check", help="check a kernel tree")
    _tree_argument(check)
    check.add_argument("--format", choices=("text", "json", "sarif", "github"), default=None,
                       help="report format (default: github when GITHUB_ACTIONS=true, else text)")
    check.add_argument("-o", "--output", help="write the report to FILE instead of stdout")
    check.add_argument("--base", metavar="REV",
                       help="series mode: check REV and every commit after it up to --head; "
                            "report what each commit introduced and fixed (TREE: a git work tree)")
    check.add_argument("--head", metavar="REV", help="last commit of the series (default: HEAD)")
    check.add_argument("--staged", action="store_true",
                       help="check the staged state of the git work tree TREE against HEAD (the "
                            "pre-commit hook): only the findings the staged change introduces; "
                            "exit 0 at once when nothing is staged")
    check.add_argument("--all", action="store_true",
                       help="with --staged: every finding of the staged state, not only those "
                            "the change introduces")
    _add_selection_options(check)
    check.add_argument("--statistics", action="store_true",
                       help="instead of each finding, how many each check reported (text only)")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour the text report (auto: on a terminal, unless NO_COLOR is set)")
    check.add_argument("--baseline", metavar="FILE",
                       help="leave out findings whose fingerprint FILE lists (see --write-baseline)")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="write the current findings' fingerprints to FILE as a baseline")
    check.add_argument("-v", "--verbose", action="store_true", help="timings in the summary")
    check.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="parallel jobs: N-1 worker processes (forks of ckptlint) plus this "
                            "one, for per-arch and per-file work; default: the available CPUs; "
                            "-j1: no worker")
    check.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the cache ($XDG_CACHE_HOME/ckptlint)")
    check.add_argument("--timings", metavar="FILE",
                       help="write the stage timings of this run to FILE as JSON")
    report = sub.add_parser("report", help="check a tree and write a self-contained HTML report")
    _tree_positional(report)
    _share_options(check, report)
    patch = sub.add_parser("check-patch", help="report the findings a patch or mbox series introduces")
    patch.add_argument("patch", nargs="?", default="-", help="patch or mbox file ('-' or none: stdin)")
    patch.add_argument("--tree", default=None,
                       help="kernel tree the patch applies to (default: the tree the working "
                            "directory is in)")
    patch.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text",
                       help="text: one checkpatch-style line a finding and a 'total:' line")
    patch.add_argument("--no-summary", action="store_true",
                       help="text: leave out the 'total:' line (checkpatch's --no-summary)")
    _add_view_options(patch)
    _add_selection_options(patch)
    why = sub.add_parser("why", help="can a Kconfig symbol be enabled on an arch, and if not, why")
    why.add_argument("symbol", help="Kconfig symbol, with or without CONFIG_")
    _tree_argument(why)
    why.add_argument("--arch", action="append", required=True, metavar="ARCH",
                     help="srcarch (x86: both i386 and x86_64), Kconfig label (x86_64) or ABI "
                          "label (x32); comma-separated; 'all' for every arch")
    _add_view_options(why)
    matrix = sub.add_parser("matrix", help="syscall x ABI wiring table, or one syscall's wiring")
    _tree_argument(matrix)
    matrix.add_argument("--syscall", help="show every edge of this syscall with path:line")
    matrix.add_argument("--format", choices=("text", "json"), default="text")
    matrix.add_argument("--arch", action="append", default=[], metavar="ARCH",
                        help="only these arches' ABIs (srcarch such as x86, or an ABI label such "
                             "as x32; comma-separated; default: every arch)")
    matrix.add_argument("--wide", action="store_true",
                        help="one column per ABI, however wide (default: compact, fits 120 columns)")
    _add_view_options(matrix)
    symbols = sub.add_parser("symbols", help="undefined CONFIG_ references in the whole tree, "
                                             "arch-aware (check --select CKL504 on every arch)")
    _tree_positional(symbols)
    symbols.add_argument("--arch", action="append", default=[], metavar="ARCH",
                         help="only files these arches build (srcarch such as x86, or a Kconfig "
                              "label such as x86_64; comma-separated; default: every arch)")
    symbols.add_argument("--format", choices=("text", "json"), default="text")
    symbols.add_argument("--list", action="store_true",
                         help="print only the undefined names, one per line")
    symbols.add_argument("-o", "--output", help="write the report to FILE instead of stdout")
    symbols.add_argument("-v", "--verbose", action="store_true", help="timings in the summary")
    graph = sub.add_parser("graph", help="export the wiring graph of one syscall or of all")
    _tree_positional(graph)
    which = graph.add_mutually_exclusive_group(required=True)
    which.add_argument("--syscall", metavar="NAME", help="this syscall's wiring subgraph")
    which.add_argument("--all", action="store_true", help="the wiring of every syscall")
    graph.add_argument("--format", choices=("dot", "graphml", "json"), default="dot")
    graph.add_argument("--arch", action="append", default=[], metavar="ARCH",
                       help="only these arches' tables (comma-separated; default: all)")
    graph.add_argument("-o", "--output", help="write to FILE instead of stdout")
    _add_view_options(graph)
    abidiff = sub.add_parser("abi-diff", help="per-ABI syscall differences between two trees or "
                                              "two revisions: added, removed, renumbered, re-signed")
    abidiff.add_argument("old", help="old kernel tree, or a revision of the git work tree --tree")
    abidiff.add_argument("new", help="new kernel tree, or a revision of the git work tree --tree")
    abidiff.add_argument("--tree", default=".", help="git work tree the revisions name (default: .)")
    abidiff.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    abidiff.add_argument("--arch", action="append", default=[], metavar="ARCH",
                         help="only these arches' ABIs (comma-separated; default: every arch)")
    abidiff.add_argument("--fail-on-break", action="store_true",
                         help="exit 1 when some change breaks userspace (default: exit 0)")
    abidiff.add_argument("-o", "--output", help="write to FILE instead of stdout")
    rules = sub.add_parser("rules", help="list the checks and rule packs")
    rules.add_argument("--rules", action="append", default=[], metavar="DIR",
                       help="also load the rule packs (*.toml) in DIR")
    rules.add_argument("--format", choices=("text", "markdown"), default="text",
                       help="markdown: the full reference, as in docs/rules.md")
    rules.add_argument("-o", "--output", help="write to FILE instead of stdout")
    explain = sub.add_parser("explain", help="show a check's documentation")
    explain.add_argument("check", help="check ID or name")
    return parser


#: check's options that report does not take: it has one format, no baseline of its own,
#: and no series or staged mode.
_CHECK_ONLY = {"help", "tree", "format", "verbose", "baseline", "write_baseline", "base", "head",
               "staged", "all", "timings", "statistics", "color"}


def _share_options(check: argparse.ArgumentParser, report: argparse.ArgumentParser) -> None:
    """Give report every option of check (what argparse's ``parents=`` does), so that
    the two always take the same run options."""
    for action in check._actions:
        if action.dest not in _CHECK_ONLY:
            report._add_action(action)


def _add_selection_options(parser: argparse.ArgumentParser) -> None:
    """What to run, what to report and what fails: shared by check and check-patch."""
    parser.add_argument("--fail-on", choices=("error", "warning", "note"), default=None,
                        help="lowest severity that makes the exit code 1 (default: error)")
    parser.add_argument("--min-severity", choices=("note", "warning", "error"), default=None,
                        help="lowest severity reported (default: warning)")
    parser.add_argument("--show-notes", action="store_true", help="same as --min-severity note")
    parser.add_argument("--select", action="append", default=[], metavar="IDS",
                        help="run only these checks (IDs, names or ID prefixes such as CKL5; "
                             "comma-separated)")
    parser.add_argument("--extend-select", action="append", default=[], metavar="IDS",
                        help="run these checks too, besides --select or the default checks")
    parser.add_argument("--ignore", action="append", default=[], metavar="IDS",
                        help="skip these checks (IDs, names or ID prefixes, comma-separated)")
    parser.add_argument("--extend-ignore", action="append", default=[], metavar="IDS",
                        help="skip these checks too, besides --ignore or the configured ones")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when there are findings (2 still means an error)")
    parser.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help="load extra rule packs (*.toml) from DIR")
    parser.add_argument("--arch", action="append", default=[], metavar="ARCH",
                        help="check these arches (srcarch such as x86, or an ABI label such as "
                             "ppc64; comma-separated; default and 'all': every arch in the tree)")
    parser.add_argument("--no-config", action="store_true",
                        help="ignore the tree's .ckptlint.toml / pyproject.toml [tool.ckptlint]")


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    """The cache and -j of a command that renders a view of the tree (matrix, graph, why)."""
    parser.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="parallel jobs, as check takes them")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the cache (shared with check)")


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value


def split(values: list[str]) -> set[str]:
    return {v.strip() for value in values for v in value.split(",") if v.strip()}


def parse(argv: list[str] | None):
    """parse_args, but TREE may follow the options when another positional precedes it
    (``why SYMBOL --arch x86 TREE``): argparse takes ``SYMBOL`` and an empty TREE in
    one go and would call the TREE that follows unrecognized."""
    args, extra = build_parser().parse_known_args(argv)
    if (len(extra) == 1 and not extra[0].startswith("-") and hasattr(args, "tree")
            and args.tree is None):
        args.tree = extra[0]
    elif extra:
        raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
    return args
