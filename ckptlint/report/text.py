r"""Text output, as gcc writes it: ``path:line:col: severity: message [ID name]``, then
each related location as ``path:line:col: note: ...``, so that an editor's error
regexp (``^(.*):(\d+):(\d+): (error|warning|note): ``) takes every line."""

from __future__ import annotations

from ckptlint.findings import column_at, counted, plural

#: gcc's colours (GCC_COLORS' defaults): bold path, bold red error, bold magenta
#: warning, bold cyan note.
_COLOURS = {"error": "01;31", "warning": "01;35", "note": "01;36", "locus": "01", "rule": "02"}


def _paint(text: str, what: str, color: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if color else text


def finding_lines(finding, tree=None, color: bool = False) -> list[str]:
    """A finding's line and one ``note:`` line for each related location."""
    arch = f" ({finding.arch})" if finding.arch else ""
    locus = _paint(f"{finding.path}:{finding.line}:{finding.column or 1}:", "locus", color)
    out = [f"{locus} {_paint(finding.severity + ':', finding.severity, color)} "
           f"{finding.message}{arch} {_paint(f'[{finding.rule} {finding.name}]', 'rule', color)}"]
    for related in finding.related:
        column = _related_column(tree, related.loc)
        locus = _paint(f"{related.loc.path}:{related.loc.line}:{column}:", "locus", color)
        out.append(f"{locus} {_paint('note:', 'note', color)} {related.note}")
    return out


def _related_column(tree, loc) -> int:
    """The first non-blank column of a related line (1 when the tree cannot say)."""
    if tree is None:
        return 1

    try:
        return column_at(tree, loc) or 1
    except (OSError, ValueError):
        return 1


def statistics_lines(findings) -> list[str]:
    """``COUNT  ID  name (severity)`` per check, most frequent first (ruff's --statistics)."""
    by_rule: dict[str, list] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    rows = sorted(by_rule.values(), key=lambda group: (-len(group), group[0].rule))
    width = max((len(str(len(group))) for group in rows), default=1)
    return [f"{len(group):>{width}}  {group[0].rule}  {group[0].name} "
            f"({'/'.join(sorted({f.severity for f in group}, reverse=True))})" for group in rows]


def render(result, verbose: bool = False, color: bool = False, statistics: bool = False) -> str:
    """One line per finding (or per check, with ``statistics``), each related location
    as a note line underneath, a summary last."""
    out: list[str] = []
    if statistics:
        out += statistics_lines(result.findings)
    else:
        for finding in result.findings:
            out += finding_lines(finding, result.tree, color)
    out += scope_lines(result)
    out.append(summary_line(result))
    if verbose:
        out += [f"  kconfiglib: {plural(len(result.arches), 'arch', 'arches')} loaded"] if result.arches else []
        for label, seconds in sorted(result.arches.items()):
            out.append(f"  kconfig {label}: loaded in {seconds:.2f}s")
        out += scan_lines(result)
        for stage, seconds in result.timings.items():
            out.append(f"  {stage}: {seconds:.3f}s")
    return "\n".join(out) + "\n"


def scope_lines(result) -> list[str]:
    """The arches a run left out: by --arch, or because ckptlint reads no table of theirs."""
    scope = result.arch_scope()
    unchecked = [a for a in scope["detected"] if a not in scope["checked"]]
    if not unchecked or not scope["checked"]:
        return []
    why = ("--arch narrowed the run" if scope.get("narrowed") and not scope.get("all")
           else "um has no syscall table of its own: it runs its host arch's" if unchecked == ["um"]
           else "no syscall table of theirs is read")
    return [f"{plural(len(scope['detected']), 'arch', 'arches')} in the tree; not checked: {', '.join(unchecked)} ({why})"]


def summary_line(result) -> str:
    """``N findings (E errors, W warnings, N notes); ABIs: ...``, then what was left out."""
    line = f"{counted(result.findings)}; ABIs: {', '.join(result.abis) or 'none found'}"
    excluded = result.excluded()
    if excluded["suppressed"]:
        line += f"; {excluded['suppressed']} suppressed inline"
    if excluded["baselined"]:
        line += f"; {excluded['baselined']} in the baseline"
    affected = [(cause, checks) for cause, checks in getattr(result, "unevaluated", []) if checks]
    if affected:
        checks = sorted({c for _, ids in affected for c in ids})
        line += (f"; not evaluated: {len(affected)} place{'s' if len(affected) != 1 else ''} "
                 f"({', '.join(str(cause.loc) for cause, _ in affected[:3])}"
                 f"{', ...' if len(affected) > 3 else ''}), where {', '.join(checks)} stood down")
    return line


def scan_lines(result) -> list[str]:
    """How many arches the fast Kconfig scan (CKL504) read, and each one's time."""
    out = []
    scanned = getattr(result, "scanned_arches", {})
    if scanned:
        out.append(f"  kconfig scan: {plural(len(scanned), 'arch', 'arches')} scanned for defined symbols")
    out += [f"  kconfig scan {label}: {seconds:.3f}s" for label, seconds in sorted(scanned.items())]
    return out
