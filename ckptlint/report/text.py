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
    scope = result.arch_scope()
    unchecked = [a for a in scope["detected"] if a not in scope["checked"]]
    if unchecked and scope["checked"]:
        out.append(f"{len(scope['detected'])} arches in the tree; not checked: "
                   f"{', '.join(unchecked)} (--arch all checks every one)")
    out.append(summary_line(result))
    if verbose:
        out += [f"  kconfiglib: {len(result.arches)} arches loaded"] if result.arches else []
        for label, seconds in sorted(result.arches.items()):
            out.append(f"  kconfig {label}: loaded in {seconds:.2f}s")
        out += scan_lines(result)
        for stage, seconds in result.timings.items():
            out.append(f"  {stage}: {seconds:.3f}s")
    return "\n".join(out) + "\n"


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
    return line


def scan_lines(result) -> list[str]:
    """How many arches the fast Kconfig scan (CKL504) read, and each one's time."""
    out = []
    scanned = getattr(result, "scanned_arches", {})
    if scanned:
        out.append(f"  kconfig scan: {len(scanned)} arches scanned for defined symbols")
    out += [f"  kconfig scan {label}: {seconds:.3f}s" for label, seconds in sorted(scanned.items())]
    return out
