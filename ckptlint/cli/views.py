"""The commands that print a view of the tree: why, matrix, graph and the HTML report
(each kept in the cache like check's findings: ckptlint.engine.views)."""

from __future__ import annotations

import sys

from ckptlint.cli.commands import (EXIT_CLEAN, EXIT_FINDINGS, WIRING_FACTS, _exit_code, _open_tree,
                                   check_options)
from ckptlint.cli.parser import UsageError, split
from ckptlint.report.output import check_output, emit


def cmd_why(args) -> int:
    """Exit 0 when the symbol can be y or m on every arch asked about, 1 when it cannot."""
    from ckptlint.engine import archnames
    from ckptlint.engine.views import view
    from ckptlint.kconfig import loader
    from ckptlint.report import why

    tree = _open_tree(args)
    symbol = args.symbol[7:] if args.symbol.startswith("CONFIG_") else args.symbol
    configs = archnames.kconfig_configs(tree, archnames.split(args.arch))

    def render(session) -> dict:
        texts, answers = [], []
        for config in configs:
            model = loader.load(tree, config)
            if model.error is not None:
                message, loc = model.error
                raise UsageError(f"Kconfig for {config.label} does not load: {loc}: {message}")
            text, enabled = why.explain(model, config.label, symbol)
            texts.append(text)
            answers.append(bool(enabled))
        return {"text": "".join(texts), "enabled": all(answers)}
    shown = view(tree, ["why", symbol, [c.label for c in configs]], _view_options(args), render)
    sys.stdout.write(shown["text"])
    return EXIT_CLEAN if shown["enabled"] else EXIT_FINDINGS


def _view_options(args, arches: set[str] | None = None):
    """Options of a view command: the cache unless --no-cache, -j as check takes it."""
    from ckptlint.engine.options import Options

    return Options(arches=arches, use_cache=not getattr(args, "no_cache", False),
                   jobs=getattr(args, "jobs", None))


def cmd_matrix(args) -> int:
    import json

    from ckptlint.engine.views import open_graph, view
    from ckptlint.report import matrix

    needs = {"numbers", "tables"} | ({"definitions", "prototypes", "cond_syscalls", "kbuild", "kconfig"}
                                     if args.syscall else set())
    tree = _open_tree(args)
    options = _view_options(args, _arch_scope(args.arch))

    def render(session) -> str:
        with open_graph(tree, needs, options, session) as graph:
            if args.syscall:
                info = matrix.wiring(graph, args.syscall)
                if not info["abis"] and not info["definitions"]:
                    raise UsageError(_no_syscall(args.syscall, _syscall_names(graph)))
                return (json.dumps(info, indent=2) + "\n" if args.format == "json"
                        else matrix.render_wiring(info))
            table = matrix.build(graph)
            return (json.dumps(matrix.to_json(table), indent=2) + "\n" if args.format == "json"
                    else matrix.render_text(table, width=None if args.wide else matrix.COMPACT_WIDTH))
    what = ["matrix", args.syscall, args.format, args.wide, sorted(options.arches or ())]
    sys.stdout.write(view(tree, what, options, render))
    return EXIT_CLEAN


def cmd_graph(args) -> int:
    from ckptlint.engine.views import open_graph, view
    from ckptlint.report import wiring
    from ckptlint.tree import KernelTree

    tree = KernelTree(args.tree)
    options = _view_options(args, _arch_scope(args.arch))

    def render(session) -> str:
        with open_graph(tree, WIRING_FACTS, options, session) as graph:
            known = {node[1] for node in graph.g if node[0] == "syscall"}
            if args.all:
                names = sorted(known)
            elif args.syscall in known:
                names = [args.syscall]
            else:
                raise UsageError(_no_syscall(args.syscall, known))
            return wiring.render(graph.wiring_subgraph(names), args.format)
    what = ["graph", args.syscall, args.all, args.format, sorted(options.arches or ())]
    emit(view(tree, what, options, render), args.output)
    return EXIT_CLEAN


def _arch_scope(values: list[str]) -> set[str] | None:
    """--arch as Options.arches: None (every arch) when absent or 'all'."""
    arches = split(values)
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
    """The HTML report: the findings check gives, plus every syscall's wiring. The page is
    kept like a view (an unchanged tree is not analysed again); where it went and what it
    found are said on stderr."""
    from types import SimpleNamespace

    from ckptlint.engine.run import run
    from ckptlint.engine.views import view
    from ckptlint.findings import counted
    from ckptlint.report import html

    tree = _open_tree(args)
    check_output(args.output)
    options, fail_on = check_options(args, tree)
    options.facts |= WIRING_FACTS | {"kconfig"}
    if getattr(args, "baseline", None):
        from ckptlint.engine import baseline

        options.baseline = baseline.load(args.baseline)

    def render(session) -> dict:
        result = run(tree, options, session)  # the session stays open: the page asks Kconfig
        return {"html": html.render(result), "severities": [f.severity for f in result.findings],
                "summary": f"{counted(result.findings)}; ABIs: {', '.join(result.abis) or 'none'}"}
    what = ["report", sorted(options.select or ()), sorted(options.ignore),
            sorted(options.extend_select), sorted(options.severities.items()), options.min_severity,
            sorted(options.arches) if options.arches is not None else None, options.rules_dirs,
            options.tree_rules_dirs, sorted(options.baseline or ())]
    page = view(tree, what, options, render)
    emit(page["html"], args.output)
    where = f"wrote {args.output}: " if args.output else ""
    print(f"ckptlint: {where}{page['summary']}", file=sys.stderr)
    return _exit_code([SimpleNamespace(severity=s) for s in page["severities"]], fail_on,
                      args.exit_zero)


VIEW_COMMANDS = {"why": cmd_why, "matrix": cmd_matrix, "graph": cmd_graph, "report": cmd_report}
