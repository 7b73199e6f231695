"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

``::error file=PATH,line=N,col=C,title=ID name::message``. Property values
escape ``%``, CR, LF, ``:`` and ``,``; the message escapes ``%``, CR and LF
(the escaping of GitHub's actions/toolkit ``command.ts``). Related locations
follow the message on their own lines.
"""

from __future__ import annotations

from ckptlint.report.text import summary_line

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property's value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding) -> str:
    """The workflow command for one finding."""
    properties = [("file", finding.path), ("line", str(finding.line))]
    if finding.column:
        properties.append(("col", str(finding.column)))
    properties.append(("title", f"{finding.rule} {finding.name}"))
    arch = f" ({finding.arch})" if finding.arch else ""
    message = f"{finding.message}{arch}" + "".join(
        f"\n{r.loc.path}:{r.loc.line}: {r.note}" for r in finding.related)
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def render(result, verbose: bool = False) -> str:
    """One annotation a finding, then the plain summary line for the log."""
    lines = [annotation(f) for f in result.findings]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
