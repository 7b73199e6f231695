"""Check documentation, parsed from each check module's docstring and rendered
for ``ckptlint explain``, ``ckptlint rules`` and docs/rules.md.

The docstring is the only source: a one-line summary, then the sections
``What it checks:``, ``Why it matters:``, ``Example:`` and ``Fix:``, each an
indented block in reStructuredText's small subset (````code````, and a
paragraph ending in ``::`` followed by an indented literal block).

``python -m ckptlint.report.rules_docs [PATH]`` regenerates docs/rules.md (default PATH).
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from dataclasses import dataclass
from types import ModuleType

#: Section key and heading, in the order they are rendered.
SECTIONS = (("what", "What it checks"), ("why", "Why it matters"),
            ("example", "Example"), ("fix", "Fix"))
_HEADING = re.compile(r"^(" + "|".join(h for _, h in SECTIONS) + r"):\s*$")
_LITERAL = re.compile(r"``(.+?)``", re.S)
DEFAULT_PATH = "docs/rules.md"
REGENERATE = "python -m ckptlint.report.rules_docs"


@dataclass(frozen=True)
class CheckDoc:
    """One check's metadata and documentation sections (dedented reST text)."""

    id: str
    name: str
    severity: str
    summary: str
    sections: dict[str, str]

    def section(self, key: str) -> str:
        return self.sections.get(key, "")


def check_doc(check: ModuleType) -> CheckDoc:
    """Split a check module's docstring into its sections ("" when one is absent)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in inspect.cleandoc(check.__doc__ or "").splitlines():
        match = _HEADING.match(line)
        if match:
            key = next(k for k, h in SECTIONS if h == match.group(1))
            current = sections.setdefault(key, [])
        elif current is not None:
            current.append(line)
    text = {k: textwrap.dedent("\n".join(lines)).strip("\n") for k, lines in sections.items()}
    return CheckDoc(check.ID, check.NAME, check.SEVERITY, check.SUMMARY,
                    {k: v for k, v in text.items() if v.strip()})


def _blocks(text: str) -> list[tuple[str, str]]:
    """Paragraphs as ("para", text) and literal blocks as ("code", text)."""
    out: list[tuple[str, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        if not chunk.strip():
            continue
        literal = chunk.startswith(" ") and out and (out[-1][0] == "code"
                                                     or out[-1][1].endswith("::"))
        if not literal:
            out.append(("para", chunk.strip()))
        elif out[-1][0] == "code":
            out[-1] = ("code", out[-1][1] + "\n\n" + textwrap.dedent(chunk))
        else:
            out[-1] = ("para", out[-1][1][:-1])  # "file::" reads "file:"
            out.append(("code", textwrap.dedent(chunk)))
    return out


def _inline(text: str) -> str:
    """````x```` -> ```x```, lines of a paragraph joined."""
    return _LITERAL.sub(lambda m: "`" + " ".join(m.group(1).split()) + "`", " ".join(text.split()))


def render_text(doc: CheckDoc) -> str:
    """``ckptlint explain``: heading, summary, then the four sections, indented."""
    out = [f"{doc.id} {doc.name} (default severity: {doc.severity})", doc.summary]
    for key, heading in SECTIONS:
        out += ["", heading + ":"]
        for kind, text in _blocks(doc.section(key)) or [("para", "(not documented)")]:
            if kind == "code":
                out += ["", textwrap.indent(text, " " * 8)]
            else:
                out += [""] if out[-1] != heading + ":" else []
                out += textwrap.wrap(_inline(text), 76, initial_indent="    ",
                                     subsequent_indent="    ", break_on_hyphens=False)
    return "\n".join(out) + "\n"


def render_table(docs: list[CheckDoc], packs: list) -> str:
    """``ckptlint rules``: one line per check, then one per rule pack."""
    out = [f"{d.id}  {d.name:<28} {d.severity:<8} {d.summary}" for d in docs]
    out += [f"pack  {p.name:<28} {p.source}: {p.description}" for p in packs]
    return "\n".join(out) + "\n"


_MD_SPECIAL = re.compile(r"([\\*_|\[\]<>#])")


def _markdown_text(text: str) -> str:
    """Markdown-escaped prose; `code spans` kept as they are."""
    parts = re.split(r"(`[^`]*`)", _inline(text))
    return "".join(p if p.startswith("`") else _MD_SPECIAL.sub(r"\\\1", p) for p in parts)


def _markdown_section(text: str) -> list[str]:
    out: list[str] = []
    for kind, block in _blocks(text):
        out += ["```", block.rstrip(), "```", ""] if kind == "code" else [_markdown_text(block), ""]
    return out


def render_markdown(docs: list[CheckDoc], packs: list) -> str:
    """docs/rules.md: an index table, then one section per check and the packs."""
    out = ["# ckptlint rules", "",
           f"<!-- Generated from the check modules by `{REGENERATE}`; do not edit. -->", "",
           "| ID | name | default severity | summary |", "| --- | --- | --- | --- |"]
    out += [f"| [{d.id}](#{d.id.lower()}-{d.name}) | `{d.name}` | {d.severity} | "
            f"{_markdown_text(d.summary)} |"
            for d in docs]
    for d in docs:
        out += ["", f"## {d.id} {d.name}", "",
                f"*Default severity: {d.severity}.* {_markdown_text(d.summary)}.", ""]
        for key, heading in SECTIONS:
            out += [f"### {heading}", ""] + _markdown_section(d.section(key))
        out.pop()
    out += ["", "## Rule packs", "",
            "Shipped in `rules/` (add your own with `--rules DIR`); checked by CKL901.", ""]
    out += [f"- `{p.name}` ({p.source}): {_markdown_text(p.description)}" for p in packs]
    return "\n".join(out) + "\n"


def all_docs() -> list[CheckDoc]:
    """Every registered check's documentation, in registry order."""
    from ckptlint.checks import CHECKS

    return [check_doc(c) for c in CHECKS]


def rules_markdown() -> str:
    """docs/rules.md as it should be: the registry and the shipped rule packs."""
    from ckptlint.extract.packs import load_packs

    return render_markdown(all_docs(), load_packs())


def main(argv: list[str] | None = None) -> int:
    """Write docs/rules.md (or the path given)."""
    from ckptlint.report.output import write_atomic

    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else DEFAULT_PATH
    write_atomic(rules_markdown(), path)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
