"""Text output: ``path:line:col: severity: message [ID name]``, related below."""

from __future__ import annotations


def render(result, verbose: bool = False) -> str:
    """One line per finding, related locations indented underneath, a summary last."""
    out: list[str] = []
    for finding in result.findings:
        arch = f" ({finding.arch})" if finding.arch else ""
        out.append(f"{finding.path}:{finding.line}:{finding.column or 1}: {finding.severity}: "
                   f"{finding.message}{arch} [{finding.rule} {finding.name}]")
        for related in finding.related:
            out.append(f"    {related.loc.path}:{related.loc.line}: {related.note}")
    out += scope_lines(result)
    out.append(summary_line(result))
    if verbose:
        out += [f"  kconfiglib: {len(result.arches)} arches loaded"] if result.arches else []
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
    why = ("--arch narrowed the run" if scope.get("narrowed")
           else "no syscall table of theirs is read: um runs its host's" if unchecked == ["um"]
           else "no syscall table of theirs is read")
    return [f"{len(scope['detected'])} arches in the tree; not checked: {', '.join(unchecked)} ({why})"]


def summary_line(result) -> str:
    """``N findings (E errors, W warnings, N notes); ABIs: ...``, then what was left out."""
    counts = result.summary()
    total = sum(counts.values())
    line = (f"{total} finding{'s' if total != 1 else ''} ({counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['note']} notes); ABIs: "
            f"{', '.join(result.abis) or 'none found'}")
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
        out.append(f"  kconfig scan: {len(scanned)} arches scanned for defined symbols")
    out += [f"  kconfig scan {label}: {seconds:.3f}s" for label, seconds in sorted(scanned.items())]
    return out
