"""Command line: argument parsing and exit codes only; no analysis here.

Exit codes: 0 no finding at or above --fail-on, 1 there are, 2 usage or tool error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

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
    check.add_argument("--format", choices=("text", "json", "sarif", "github"), default=None,
                       help="report format (default: github when GITHUB_ACTIONS=true, else text)")
    check.add_argument("-o", "--output", help="write the report to FILE instead of stdout")
    check.add_argument("--base", metavar="REV",
                       help="series mode: check REV and every commit after it up to --head; "
                            "report what each commit introduced and fixed (TREE: a git work tree)")
    check.add_argument("--head", metavar="REV", help="last commit of the series (default: HEAD)")
    check.add_argument("--staged", action="store_true",
                       help="check the staged state of the git work tree TREE (the pre-commit hook); "
                            "exit 0 at once when no wiring file is staged")
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
    _add_selection_options(patch)
    why = sub.add_parser("why", help="can a Kconfig symbol be enabled on an arch, and if not, why")
    why.add_argument("symbol", help="Kconfig symbol, with or without CONFIG_")
    _tree_argument(why)
    why.add_argument("--arch", action="append", required=True, metavar="ARCH",
                     help="srcarch (x86: both i386 and x86_64), Kconfig label (x86_64) or ABI "
                          "label (x32); comma-separated; 'all' for every arch")
    matrix = sub.add_parser("matrix", help="syscall x ABI wiring table, or one syscall's wiring")
    _tree_argument(matrix)
    matrix.add_argument("--syscall", help="show every edge of this syscall with path:line")
    matrix.add_argument("--format", choices=("text", "json"), default="text")
    matrix.add_argument("--arch", action="append", default=[], metavar="ARCH",
                        help="only these arches' ABIs (srcarch such as x86, or an ABI label such "
                             "as x32; comma-separated; default: every arch)")
    matrix.add_argument("--wide", action="store_true",
                        help="one column per ABI, however wide (default: compact, fits 120 columns)")
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
               "staged", "timings", "statistics", "color"}


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

def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value



def _split(values: list[str]) -> set[str]:
    return {v.strip() for value in values for v in value.split(",") if v.strip()}


def cmd_check(args) -> int:
    if args.head and not args.base:
        raise UsageError("--head needs --base")
    if args.staged and args.base:
        raise UsageError("--staged and --base cannot be combined")
    if args.staged:
        from ckptlint.revisions import gitview
        from ckptlint.revisions import staged

        repo = gitview.Repo(args.tree)
        if not repo.staged_paths():
            return EXIT_CLEAN  # the hook's fast path: nothing is staged (any file may be read)
        return _check_tree(staged.staged_tree(repo), args, base=lambda: staged.head_tree(repo))
    if args.base:
        return _check_series(args)
    return _check_tree(_open_tree(args), args)


def _check_tree(tree, args, base=None) -> int:
    """``base``: a callable giving the tree whose syscall ABI CKL701 compares with."""
    from ckptlint import abisnap
    from ckptlint.engine import baseline
    from ckptlint.engine.run import run
    from ckptlint.report import formatter

    _check_output(args.output)
    chosen = _format(args.format)
    if args.statistics and chosen != "text":
        raise UsageError(f"--statistics writes text, not {chosen}")
    options, fail_on = check_options(args, tree)
    if args.baseline:
        options.baseline = baseline.load(args.baseline)
    options.keep_graph = chosen == "sarif"
    if base is not None and abisnap.wanted(options):
        base_tree = base()
        if base_tree is not None:
            options = abisnap.with_base(options, abisnap.of_tree(base_tree, options, "HEAD"))
    result = run(tree, options)
    started = time.perf_counter()
    if chosen == "text":
        text = formatter(chosen)(result, verbose=args.verbose, statistics=args.statistics,
                                 color=_colour(args.color, args.output))
    else:
        text = formatter(chosen)(result, verbose=args.verbose)
    if args.write_baseline:
        _emit(baseline.render(result.findings + result.baselined), args.write_baseline)
    _emit(text, args.output)
    result.timings["output"] = time.perf_counter() - started
    if args.timings:
        import json

        _emit(json.dumps(_timings_document(result), indent=2) + "\n", args.timings)
    return _exit_code(result.findings, fail_on, args.exit_zero)


def _check_series(args) -> int:
    """--base: every commit's introduced findings decide the exit code."""
    from ckptlint.engine import baseline
    from ckptlint.revisions.gitview import Repo
    from ckptlint.report import series as report
    from ckptlint.revisions.series import check_series
    from ckptlint.tree import KernelTree

    if args.format not in (None, "text", "json"):
        raise UsageError(f"--base writes text or json, not {args.format}")
    if args.write_baseline:
        raise UsageError("--write-baseline cannot be combined with --base")
    Repo(args.tree)  # first say so when TREE is not the top of a git work tree
    KernelTree(args.tree)  # and when it is not a kernel tree
    chosen: dict = {}

    def base_options(base_tree):
        """The base commit's configuration and rule packs: a series cannot relax its own gate."""
        options, chosen["fail_on"] = check_options(args, base_tree)
        # one process, no disk cache: series mode carries Kconfig models and file scans
        # from one commit to the next in memory, and its snapshots are temporary
        options.jobs, options.use_cache = 1, False
        if args.baseline:
            options.baseline = baseline.load(args.baseline)
        return options

    series = check_series(args.tree, args.base, args.head or "HEAD", base_options)
    fail_on = chosen["fail_on"]
    render = report.render_json if args.format == "json" else report.render_text
    _emit(render(series, verbose=args.verbose), args.output)
    return _exit_code([f for c in series.commits for f in c.introduced], fail_on, args.exit_zero)


def cmd_check_patch(args) -> int:
    """b4's per-patch check contract: silent and 0 when clean, one line a finding otherwise,
    and checkpatch's ``total:`` line after them (unless --no-summary)."""
    import json

    from ckptlint.revisions.patch import PatchError
    from ckptlint.revisions.check_patch import as_result, check_patch, terse_line, total_line
    from ckptlint.report import formatter
    from ckptlint.tree import KernelTree

    tree = KernelTree(args.tree)
    options, fail_on = check_options(args, tree)
    options.keep_graph = args.format == "sarif"
    data = sys.stdin.buffer.read() if args.patch == "-" else _read_patch(args.patch)
    try:
        outcome = check_patch(tree, data, options)
    except PatchError as exc:
        print(f"check-patch: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "text":
        lines = [terse_line(f) for f in outcome.introduced]
        if lines and not args.no_summary:
            lines.append(total_line(outcome))
        sys.stdout.write("".join(line + "\n" for line in lines))
    elif args.format == "json":
        document = json.loads(formatter("json")(as_result(tree, outcome)))
        document["patches"] = {"count": outcome.patches, "already_applied": outcome.already_applied}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        sys.stdout.write(formatter(args.format)(as_result(tree, outcome)))
    return _exit_code(outcome.introduced, fail_on, args.exit_zero)


def _read_patch(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _exit_code(findings, fail_on: str, exit_zero: bool = False) -> int:
    failing = [f for f in findings if _rank(f.severity) >= _rank(fail_on)]
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN


def check_options(args, tree):
    """Engine options and the --fail-on severity: the command line over the tree's config."""
    from ckptlint.engine import config as tree_config
    from ckptlint.engine.options import Options

    config = tree_config.load(tree) if not args.no_config else tree_config.Config()
    fail_on = args.fail_on or config.fail_on or "error"
    min_severity = (args.min_severity or ("note" if args.show_notes else None)
                    or config.min_severity or "warning")
    if _rank(fail_on) < _rank(min_severity):
        min_severity = fail_on
    select = _split(args.select) or set(config.select or ()) or None
    ignore = _split(args.ignore) if args.ignore else set(config.ignore or ())
    ignore |= _split(args.extend_ignore) | set(config.extend_ignore or ())
    options = Options(select=select, ignore=ignore, severities=dict(config.severity),
                      min_severity=min_severity, rules_dirs=list(args.rules),
                      tree_rules_dirs=list(config.rules),
                      extend_select=_split(args.extend_select) | set(config.extend_select or ()))
    arches = _split(args.arch) or set(config.arches or ())
    if arches:
        options.arches = None if "all" in arches else arches
    # -j and the cache are check's and report's; check-patch runs on an overlay, uncached
    options.jobs = getattr(args, "jobs", None)
    options.use_cache = not getattr(args, "no_cache", True)
    return options, fail_on


def _format(chosen: str | None) -> str:
    """--format, else ``github`` inside GitHub Actions, else ``text``."""
    if chosen:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _colour(choice: str, output: str | None) -> bool:
    """--color: always, never, or (auto) when stdout is a terminal and NO_COLOR is unset."""
    if choice != "auto":
        return choice == "always"
    if output or os.environ.get("NO_COLOR"):
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _timings_document(result) -> dict:
    """``--timings`` JSON: wall seconds per stage of this process, per-arch seconds, cache use."""
    return {"version": 1, "tree": str(result.tree.root), "stages": dict(result.timings),
            **result.stats}


def _rank(severity: str) -> int:
    from ckptlint.findings import SEVERITY_RANK

    return SEVERITY_RANK[severity]


def _check_output(output: str | None) -> None:
    """Refuse an -o target that cannot be written, before any analysis runs."""
    if not output:
        return
    directory = os.path.dirname(os.path.realpath(output))
    if os.path.isdir(output):
        raise UsageError(f"cannot write report to {output}: is a directory")
    if _special_target(output):  # /dev/null, a FIFO: written through, not replaced
        if not os.access(output, os.W_OK):
            raise UsageError(f"cannot write report to {output}: not writable")
        return
    if not os.path.isdir(directory):
        raise UsageError(f"cannot write report to {output}: no such directory {directory}")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write report to {output}: directory {directory} is not writable")


def _emit(text: str, output: str | None) -> None:
    """Write to stdout, or atomically to a file (never a partial report)."""
    if output:
        write_atomic(text, output)
    else:
        sys.stdout.write(text)


def _special_target(output: str) -> bool:
    """Whether ``output`` (after symlinks) exists and is not a regular file: a device such
    as /dev/null or /dev/stdout, or a FIFO."""
    import stat

    try:
        return not stat.S_ISREG(os.stat(output).st_mode)
    except OSError:
        return False


def write_atomic(text: str, output: str) -> None:
    """Replace ``output`` with ``text`` in one step: readers see the old file or the new one.

    A symlink is followed (the file it names is replaced, the link stays). A
    device or FIFO (``-o /dev/null``) is written to, never renamed over: a
    rename would put a regular file where the device node was.
    """
    import tempfile

    if _special_target(output):
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write report to {output}: {exc.strerror or exc}") from exc
        return
    output = os.path.realpath(output)
    directory = os.path.dirname(output)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".ckptlint-", suffix=".tmp")
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        raise UsageError(f"cannot write report to {output}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def cmd_symbols(args) -> int:
    """Exit 0 when every reference is defined for some arch that builds its file, else 1."""
    from ckptlint.checks import undefined_anywhere
    from ckptlint.engine.run import run
    from ckptlint.engine.options import Options
    from ckptlint.report import formatter
    from ckptlint.tree import KernelTree

    tree = KernelTree(args.tree)
    arches = _split(args.arch)
    known = {a for a in tree.srcarches} | {c.label for c in _arch_labels(tree)}
    unknown = sorted(arches - known - {"all"})
    if unknown:
        raise UsageError(f"unknown arch '{unknown[0]}' for this tree (one of: {', '.join(sorted(known))})")
    options = Options(select={undefined_anywhere.ID}, min_severity="note",
                      arches=None if not arches or "all" in arches else arches)
    result = run(tree, options)
    if args.list:
        text = "".join(f"{name}\n" for name in sorted({f.symbol for f in result.findings}))
    elif args.format == "json":
        text = formatter(args.format)(result, verbose=args.verbose)
    else:
        text = _symbols_text(result, args.verbose)
    _emit(text, args.output)
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _symbols_text(result, verbose: bool) -> str:
    """The text report with a summary of references and symbols instead of the ABI line."""
    from ckptlint.report.text import render

    report = result.graph.facts.tree_symbols
    names = {f.symbol for f in result.findings}
    out = render(result).splitlines()[:-1]  # CKL504 findings have no related lines
    out.append(f"{len(result.findings)} undefined reference{'s' if len(result.findings) != 1 else ''}"
               f" to {len(names)} symbol{'s' if len(names) != 1 else ''}; {report.references} "
               f"references in {report.files} files read; arches: "
               f"{', '.join(a.arch.label for a in report.arches)}")
    if verbose:
        out += render(result, verbose=True).splitlines()[len(out):]
    return "\n".join(out) + "\n"


def _arch_labels(tree):
    from ckptlint.kconfig import loader

    return loader.arch_configs(tree)


def cmd_rules(args) -> int:
    from ckptlint import docs
    from ckptlint.packs import load_packs

    packs = load_packs(list(args.rules))
    render = docs.render_markdown if args.format == "markdown" else docs.render_table
    _emit(render(docs.all_docs(), packs), args.output)
    return EXIT_CLEAN


def cmd_explain(args) -> int:
    from ckptlint import docs
    from ckptlint.checks import lookup, unknown_check

    check = lookup(args.check)
    if check is None:
        raise UsageError(unknown_check(args.check))
    sys.stdout.write(docs.render_text(docs.check_doc(check)))
    return EXIT_CLEAN


def cmd_why(args) -> int:
    """Exit 0 when the symbol can be y or m on every arch asked about, 1 when it cannot."""
    from ckptlint.engine import archnames
    from ckptlint.kconfig import loader

    tree = _open_tree(args)
    symbol = args.symbol[7:] if args.symbol.startswith("CONFIG_") else args.symbol
    configs = archnames.kconfig_configs(tree, archnames.split(args.arch))
    answers = [_why_one(tree, loader, config, symbol) for config in configs]
    return EXIT_CLEAN if all(answers) else EXIT_FINDINGS


def _why_one(tree, loader, config, symbol: str) -> bool:
    """Print whether ``symbol`` can be enabled on one Kconfig arch, and why not."""
    from ckptlint.suggest import Suggester

    label = config.label
    model = loader.load(tree, config)
    if model.error is not None:
        message, loc = model.error
        raise UsageError(f"Kconfig for {label} does not load: {loc}: {message}")
    if not model.is_defined(symbol):
        close = Suggester(model.all_defined()).closest(symbol)
        print(f"{symbol} is not defined by any Kconfig file read for {label}"
              f"{f'; did you mean {close}?' if close else ''}")
        return False
    values = [v for v in ("y", "m") if model.can_be(symbol, v)]
    where = ", ".join(str(loc) for loc in model.definitions(symbol))
    if values:
        print(f"{symbol} can be {' or '.join(values)} on {label} (defined at {where})")
    else:
        print(f"{symbol} can never be enabled on {label} (defined at {where}):")
        for message, loc in model.explain(symbol, "y"):
            print(f"  {loc}: {message}")
    for selector, loc in model.selectors(symbol):
        print(f"  selected by {selector} at {loc}")
    for target, loc in model.unmet_selects(symbol):
        print(f"  selects {target} at {loc}, whose dependencies cannot be met")
    return bool(values)


def cmd_matrix(args) -> int:
    import json

    from ckptlint import matrix
    from ckptlint.engine.run import wiring_graph
    from ckptlint.engine.options import Options

    needs = {"numbers", "tables"} | ({"definitions", "prototypes", "cond_syscalls", "kbuild", "kconfig"}
                                     if args.syscall else set())
    graph = wiring_graph(_open_tree(args), needs, Options(arches=_arch_scope(args.arch)))
    if args.syscall:
        info = matrix.wiring(graph, args.syscall)
        if not info["abis"] and not info["definitions"]:
            raise UsageError(_no_syscall(args.syscall, _syscall_names(graph)))
        text = json.dumps(info, indent=2) + "\n" if args.format == "json" else matrix.render_wiring(info)
    else:
        table = matrix.build(graph)
        text = (json.dumps(matrix.to_json(table), indent=2) + "\n" if args.format == "json"
                else matrix.render_text(table, width=None if args.wide else matrix.COMPACT_WIDTH))
    sys.stdout.write(text)
    return EXIT_CLEAN


def cmd_graph(args) -> int:
    from ckptlint.engine.run import wiring_graph
    from ckptlint.engine.options import Options
    from ckptlint.report import wiring
    from ckptlint.tree import KernelTree

    options = Options(arches=_arch_scope(args.arch))
    graph = wiring_graph(KernelTree(args.tree), WIRING_FACTS, options)
    known = {node[1] for node in graph.g if node[0] == "syscall"}
    if args.all:
        names = sorted(known)
    elif args.syscall in known:
        names = [args.syscall]
    else:
        raise UsageError(_no_syscall(args.syscall, known))
    _emit(wiring.render(graph.wiring_subgraph(names), args.format), args.output)
    return EXIT_CLEAN


def _arch_scope(values: list[str]) -> set[str] | None:
    """--arch as Options.arches: None (every arch) when absent or 'all'."""
    arches = _split(values)
    return None if not arches or "all" in arches else arches


def _syscall_names(graph) -> set[str]:
    """Every syscall name numbered or wired on some ABI of the graph."""
    return ({n.name for abi in graph.abis() for n in graph.numbers(abi)}
            | {e.nr_name for abi in graph.abis() for e in graph.table(abi) if e.nr_name})


def _no_syscall(name: str, known: set[str]) -> str:
    """``no syscall 'sys_mseal' in this tree; did you mean mseal?``: syscalls are named
    as their __NR_ names are, without sys_ or __NR_."""
    from ckptlint.suggest import hint

    for prefix in ("__NR_", "sys_", "compat_sys_", "__x64_sys_", "__ia32_sys_"):
        if name.startswith(prefix) and name[len(prefix):] in known:
            return f"no syscall '{name}' in this tree; did you mean {name[len(prefix):]}?"
    return f"no syscall '{name}' in this tree{hint(name, known)}"


def cmd_report(args) -> int:
    """The HTML report: the findings check gives, plus every syscall's wiring."""
    from ckptlint.engine.run import run
    from ckptlint.report import html
    from ckptlint.tree import KernelTree

    tree = _open_tree(args)
    _check_output(args.output)
    options, fail_on = check_options(args, tree)
    options.facts |= WIRING_FACTS | {"kconfig"}
    result = run(tree, options)
    _emit(html.render(result), args.output)
    return _exit_code(result.findings, fail_on, args.exit_zero)


def cmd_abi_diff(args) -> int:
    """Exit 0 (with --fail-on-break: 1 when some change breaks userspace)."""
    import json

    from ckptlint import abidiff
    from ckptlint.engine.options import Options

    _check_output(args.output)
    arches = _split(args.arch)
    options = Options(arches=None if not arches or "all" in arches else arches)
    old = abidiff.snapshot_of(args.old, args.tree, options)
    new = abidiff.snapshot_of(args.new, args.tree, options)
    result = abidiff.diff(old, new)
    if args.format == "json":
        text = json.dumps(abidiff.to_json(result), indent=2) + "\n"
    else:
        text = (abidiff.render_markdown if args.format == "markdown" else abidiff.render_text)(result)
    _emit(text, args.output)
    return EXIT_FINDINGS if args.fail_on_break and result.breaks() else EXIT_CLEAN


#: Fact kinds that make up a syscall's wiring (kconfig only decides gates).
WIRING_FACTS = frozenset({"numbers", "tables", "definitions", "prototypes", "cond_syscalls",
                          "kbuild"})

COMMANDS = {"matrix": cmd_matrix, "check": cmd_check, "check-patch": cmd_check_patch,
            "rules": cmd_rules, "explain": cmd_explain, "why": cmd_why, "report": cmd_report,
            "graph": cmd_graph, "symbols": cmd_symbols, "abi-diff": cmd_abi_diff}


def _parse(argv: list[str] | None):
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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    logging.basicConfig(level=logging.WARNING, format="ckptlint: %(message)s")
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = _parse(argv)
        if args.command is None:
            raise UsageError(f"a command is required: {', '.join(COMMANDS)} (see --help)")
        if hasattr(args, "tree"):
            from ckptlint.tree import find_root

            args.tree = find_root(args.tree)
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
    from ckptlint.revisions.gitview import GitError
    from ckptlint.packs import PackError
    from ckptlint.revisions.patch import PatchError
    from ckptlint.tree import TreeError

    if isinstance(exc, (UsageError, TreeError, ConfigError, PackError, BaselineError, GitError,
                        PatchError)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    return f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for a traceback)"
