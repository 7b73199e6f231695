"""Text output: ``path:line:col: severity: message [ID name]``, related below."""

from __future__ import annotations


def finding_lines(finding) -> list[str]:
    """``path:line:col: severity: message [ID name]`` and its related locations."""
    arch = f" ({finding.arch})" if finding.arch else ""
    out = [f"{finding.path}:{finding.line}:{finding.column or 1}: {finding.severity}: "
           f"{finding.message}{arch} [{finding.rule} {finding.name}]"]
    out += [f"    {related.loc.path}:{related.loc.line}: {related.note}" for related in finding.related]
    return out


def render(result, verbose: bool = False) -> str:
    """One line per finding, related locations indented underneath, a summary last."""
    out: list[str] = []
    for finding in result.findings:
        out += finding_lines(finding)
    counts = result.summary()
    total = sum(counts.values())
    out.append(f"{total} finding{'s' if total != 1 else ''} ({counts['error']} errors, "
               f"{counts['warning']} warnings, {counts['note']} notes); ABIs: "
               f"{', '.join(result.abis) or 'none found'}")
    if verbose:
        if result.arches:
            out.append(f"  kconfiglib: {len(result.arches)} arches loaded")
        for label, seconds in sorted(result.arches.items()):
            out.append(f"  kconfig {label}: loaded in {seconds:.2f}s")
        out += timing_lines(result)
    return "\n".join(out) + "\n"


def timing_lines(result) -> list[str]:
    """Kconfig-scan arch count, per-arch and per-stage times (the tail of -v)."""
    out = []
    scanned = getattr(result, "scanned_arches", {})
    if scanned:
        out.append(f"  kconfig scan: {len(scanned)} arches scanned for defined symbols")
    for label, seconds in sorted(scanned.items()):
        out.append(f"  kconfig scan {label}: {seconds:.3f}s")
    for stage, seconds in result.timings.items():
        out.append(f"  {stage}: {seconds:.3f}s")
    return out
