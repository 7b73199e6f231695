"""The subcommands: each turns its arguments into a run and its outcome into an exit code.

Exit codes: 0 no finding at or above --fail-on, 1 there are, 2 usage or tool error.
"""

from __future__ import annotations

import os
import sys
import time

from ckptlint.cli.parser import UsageError, split
from ckptlint.report.output import check_output, emit

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _open_tree(args):
    from ckptlint.tree import KernelTree

    return KernelTree(args.tree, max_file_bytes=args.max_file_size)


def cmd_check(args) -> int:
    if args.head and not args.base:
        raise UsageError("--head needs --base")
    if args.staged and args.base:
        raise UsageError("--staged and --base cannot be combined")
    if args.staged:
        from ckptlint.revisions import gitview, staged

        repo = gitview.Repo(args.tree)
        if not repo.staged_paths():
            return EXIT_CLEAN  # the hook's fast path: nothing is staged (any file may be read)
        if args.all:  # the whole picture of the staged state
            return _check_tree(staged.staged_tree(repo), args, base=lambda: staged.head_tree(repo))
        quiet = staged.unaffected_run(repo, lambda tree: check_options(args, tree)[0])
        if quiet is not None:  # the hook on a commit of anything else: the cached run decides
            return _check_tree(quiet.tree, args, result=quiet)
        return _check_tree(staged.staged_tree(repo), args, base=lambda: staged.head_tree(repo),
                           introduced_since=repo.staged_paths())
    if args.base:
        return _check_series(args)
    return _check_tree(_open_tree(args), args)


def _check_tree(tree, args, base=None, introduced_since: list[str] | None = None,
                result=None) -> int:
    """``base``: a callable giving the tree whose syscall ABI CKL701 compares with.
    ``introduced_since``: the paths that differ between ``base()`` and ``tree`` (--staged):
    only the findings the difference introduces are reported, and decide the exit code.
    ``result``: a run already made whose findings are none of this change's (printed empty)."""
    from ckptlint.engine import baseline
    from ckptlint.engine.run import run
    from ckptlint.report import formatter
    from ckptlint.revisions import abi_base

    check_output(args.output)
    chosen = _format(args.format)
    if args.statistics and chosen != "text":
        raise UsageError(f"--statistics writes text, not {chosen}")
    options, fail_on = check_options(args, tree)
    if args.baseline:
        options.baseline = baseline.load(args.baseline)
    options.keep_graph = chosen == "sarif"
    if result is not None:
        import dataclasses

        result = dataclasses.replace(result, findings=[], suppressed=[], baselined=[])
    else:
        base_tree = base() if base is not None else None
        plain = options
        if base_tree is not None and abi_base.wanted(options):
            options = abi_base.with_base(options, abi_base.of_tree(base_tree, options, "HEAD"))
        result = run(tree, options)
        if introduced_since is not None and base_tree is not None:
            from ckptlint.revisions.staged import introduced_since as introduced

            result = introduced(result, base_tree, plain, introduced_since)
    started = time.perf_counter()
    if chosen == "text":
        text = formatter(chosen)(result, verbose=args.verbose, statistics=args.statistics,
                                 color=_colour(args.color, args.output))
    else:
        text = formatter(chosen)(result, verbose=args.verbose)
    if args.write_baseline:
        emit(baseline.render(result.findings + result.baselined), args.write_baseline)
    emit(text, args.output)
    result.timings["output"] = time.perf_counter() - started
    if args.timings:
        import json

        emit(json.dumps(_timings_document(result), indent=2) + "\n", args.timings)
    return _exit_code(result.findings, fail_on, args.exit_zero)


def _check_series(args) -> int:
    """--base: every commit's introduced findings decide the exit code."""
    from ckptlint.engine import baseline
    from ckptlint.report import series as report
    from ckptlint.revisions.gitview import Repo
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
    emit(render(series, verbose=args.verbose), args.output)
    return _exit_code([f for c in series.commits for f in c.introduced], fail_on, args.exit_zero)


def cmd_check_patch(args) -> int:
    """b4's per-patch check contract: silent and 0 when clean, one line a finding otherwise,
    and checkpatch's ``total:`` line after them (unless --no-summary)."""
    import json

    from ckptlint.report import formatter
    from ckptlint.revisions.check_patch import as_result, check_patch, terse_line, total_line
    from ckptlint.revisions.patch import PatchError
    from ckptlint.tree import KernelTree

    tree = KernelTree(args.tree)
    options, fail_on = check_options(args, tree)
    options.keep_graph = args.format == "sarif"
    # the tree's own run and the stage caches serve the patched view too (check's cache)
    options.use_cache = not args.no_cache
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

    config = tree_config.load(tree) if not args.no_config else tree_config.Config()
    options, fail_on = tree_config.merged(
        config, select=split(args.select), ignore=split(args.ignore) if args.ignore else None,
        extend_select=split(args.extend_select), extend_ignore=split(args.extend_ignore),
        arches=split(args.arch), fail_on=args.fail_on,
        min_severity=args.min_severity or ("note" if args.show_notes else None),
        rules_dirs=list(args.rules))
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


def cmd_symbols(args) -> int:
    """Exit 0 when every reference is defined for some arch that builds its file, else 1."""
    from ckptlint.checks import undefined_config_anywhere
    from ckptlint.engine.options import Options
    from ckptlint.engine.run import run
    from ckptlint.report import formatter, symbols
    from ckptlint.tree import KernelTree

    tree = KernelTree(args.tree)
    arches = split(args.arch)
    known = {a for a in tree.srcarches} | {c.label for c in _arch_labels(tree)}
    unknown = sorted(arches - known - {"all"})
    if unknown:
        raise UsageError(f"unknown arch '{unknown[0]}' for this tree (one of: {', '.join(sorted(known))})")
    options = Options(select={undefined_config_anywhere.ID}, min_severity="note",
                      arches=None if not arches or "all" in arches else arches)
    result = run(tree, options)
    if args.list:
        text = "".join(f"{name}\n" for name in sorted({f.symbol for f in result.findings}))
    elif args.format == "json":
        text = formatter(args.format)(result, verbose=args.verbose)
    else:
        text = symbols.render(result, args.verbose)
    emit(text, args.output)
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _arch_labels(tree):
    from ckptlint.kconfig import loader

    return loader.arch_configs(tree)


def cmd_rules(args) -> int:
    from ckptlint.extract.packs import load_packs
    from ckptlint.report import rules_docs

    packs = load_packs(list(args.rules))
    render = rules_docs.render_markdown if args.format == "markdown" else rules_docs.render_table
    emit(render(rules_docs.all_docs(), packs), args.output)
    return EXIT_CLEAN


def cmd_explain(args) -> int:
    from ckptlint.checks import lookup, unknown_check
    from ckptlint.report import rules_docs

    check = lookup(args.check)
    if check is None:
        raise UsageError(unknown_check(args.check))
    sys.stdout.write(rules_docs.render_text(rules_docs.check_doc(check)))
    return EXIT_CLEAN


def cmd_abi_diff(args) -> int:
    """Exit 0 (with --fail-on-break: 1 when some change breaks userspace)."""
    import json

    from ckptlint.abi import diff as abidiff
    from ckptlint.engine.options import Options
    from ckptlint.revisions.series import snapshot_of

    check_output(args.output)
    arches = split(args.arch)
    options = Options(arches=None if not arches or "all" in arches else arches)
    old = snapshot_of(args.old, args.tree, options)
    new = snapshot_of(args.new, args.tree, options)
    result = abidiff.diff(old, new)
    if args.format == "json":
        text = json.dumps(abidiff.to_json(result), indent=2) + "\n"
    else:
        text = (abidiff.render_markdown if args.format == "markdown" else abidiff.render_text)(result)
    emit(text, args.output)
    return EXIT_FINDINGS if args.fail_on_break and result.breaks() else EXIT_CLEAN


#: Fact kinds that make up a syscall's wiring (kconfig only decides gates).
WIRING_FACTS = frozenset({"numbers", "tables", "definitions", "prototypes", "cond_syscalls",
                          "kbuild"})


COMMANDS = {"check": cmd_check, "check-patch": cmd_check_patch, "rules": cmd_rules,
            "explain": cmd_explain, "symbols": cmd_symbols, "abi-diff": cmd_abi_diff}
