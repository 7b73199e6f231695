"""``ckptlint symbols`` as text: the CKL504 findings with a summary of the references and
symbols read instead of the ABI line."""

from __future__ import annotations

from ckptlint.report.text import render as render_text


def render(result, verbose: bool = False) -> str:
    """The text report with a summary of references and symbols instead of the ABI line."""
    report = result.graph.facts.tree_symbols
    names = {f.symbol for f in result.findings}
    out = render_text(result).splitlines()[:-1]  # CKL504 findings have no related lines
    out.append(f"{len(result.findings)} undefined reference{'s' if len(result.findings) != 1 else ''}"
               f" to {len(names)} symbol{'s' if len(names) != 1 else ''}; {report.references} "
               f"references in {report.files} files read; arches: "
               f"{', '.join(a.arch.label for a in report.arches)}")
    if verbose:
        out += render_text(result, verbose=True).splitlines()[len(out):]
    return "\n".join(out) + "\n"
