"""HTML report: one self-contained page (inline CSS and JS, no network) with the
summary, the syscall x ABI wiring matrix, every finding, and each syscall's
wiring on click. Tree content is untrusted: every string is escaped for its
context (HTML text, attribute, URL fragment, or JSON inside <script>)."""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from urllib.parse import quote

from ckptlint.report import htmldata

LEGEND = (("wired", "wired"), ("gated", "gated off (gate never y)"), ("hole", "hole (sys_ni_syscall)"),
          ("ignored", "__IGNORE_"), ("missing", "not numbered"),
          ("inconsistent", "inconsistent (finding, or number without slot)"))
#: Allows inline style and script only: the page can load nothing, from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _asset(name: str) -> str:
    return resources.files("ckptlint.report").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(value) -> str:
    """JSON that cannot end its <script> element or open a comment in it."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _summary(result, data: dict) -> str:
    counts = result.summary()
    version = result.kernel_version
    items = [("tree", escape(str(result.tree.root))),
             ("kernel", escape(version or "unknown") + f" ({escape(result.tree.era)} layout)"),
             ("syscalls", str(len(data["rows"]))),
             ("findings", " ".join(f'<span class="count {s}">{counts[s]} {s}{"s" if counts[s] != 1 else ""}'
                                   "</span>" for s in ("error", "warning", "note")))]
    body = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in items)
    body += (f'<div class="abilist"><dt>{len(data["abis"])} ABIs</dt>'
             f'<dd>{escape(", ".join(a for a, _, _ in data["abis"]) or "none")}</dd></div>')
    return f'<header><h1>ckptlint report</h1><dl class="summary">{body}</dl></header>'


def _toolbar(data: dict) -> str:
    boxes = "".join(f'<label><input type="checkbox" checked value="{escape(a)}"> {escape(a)}</label>'
                    for a, _, _ in data["abis"])
    legend = "".join(f'<span style="--c: var(--{s})">{escape(text)}</span>' for s, text in LEGEND)
    return ('<nav class="toolbar">'
            '<input type="search" id="filter" placeholder="filter syscalls: name or regex" '
            'aria-label="filter syscalls by name"> <span id="row-count"></span>'
            '<label><input type="checkbox" id="only-problems"> only inconsistent rows</label>'
            f'<details><summary>ABIs <span id="arch-count"></span></summary><div class="archlist">'
            '<div class="buttons"><button type="button" data-set="all">all</button>'
            f'<button type="button" data-set="none">none</button></div>{boxes}</div></details>'
            f'<div class="legend">{legend}</div></nav>')


def _matrix(data: dict) -> str:
    head = "".join(f'<th scope="col" title="srcarch {escape(s)}, Kconfig {escape(k)}">'
                   f"<span>{escape(a)}</span></th>" for a, s, k in data["abis"])
    rows = []
    for name, cells in data["rows"].items():
        tds = "".join(f'<td class="{status}">{"" if number is None else number}</td>'
                      for status, number in cells)
        rows.append(f'<tr data-name="{escape(name)}"><th scope="row">'
                    f'<a href="#{escape(quote(name, safe=""))}">{escape(name)}</a></th>{tds}</tr>')
    return (f'<table id="matrix"><thead><tr><th class="corner" scope="col">syscall</th>{head}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table>')


#: Findings in the report: errors first, then warnings, then notes; by place within each.
_ORDER = {"error": 0, "warning": 1, "note": 2}


def _findings(result) -> str:
    rows = []
    # ids stay the findings' indices: the wiring panel links to them
    ordered = sorted(enumerate(result.findings),
                     key=lambda p: (_ORDER.get(p[1].severity, 3), p[1].path, p[1].line, p[1].rule))
    for i, f in ordered:
        related = "".join(f"<li>{escape(str(r.loc))}: {escape(r.note)}</li>" for r in f.related)
        rows.append(f'<tr id="f-{i}" class="sev-{f.severity}"><td><span class="sev {f.severity}">'
                    f'{f.severity}</span></td><td>{escape(f.rule)} {escape(f.name)}</td>'
                    f'<td class="loc">{escape(f.path)}:{f.line}:{f.column or 1}</td>'
                    f"<td>{escape(f.message)}{' (' + escape(f.arch) + ')' if f.arch else ''}"
                    f"{'<ul>' + related + '</ul>' if related else ''}</td></tr>")
    table = ('<table class="findings"><thead><tr><th>severity</th><th>check</th><th>location</th>'
             f'<th>message and related locations</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
             if rows else "<p>No findings.</p>")
    # a filter by severity that needs no script: radio buttons and sibling selectors
    shown = "".join(f'<input type="radio" name="severity" id="show-{level}" class="show"'
                    f'{" checked" if level == "all" else ""}>'
                    f'<label for="show-{level}">{label}</label>'
                    for level, label in (("all", "all"), ("error", "errors"),
                                         ("warning", "errors and warnings")))
    return (f'<section id="findings"><h2>Findings ({len(rows)})</h2>'
            f'<div class="severity-filter">show: {shown}{table}</div></section>')


def render(result, verbose: bool = False) -> str:
    """The whole page; needs ``result.graph`` with the wiring facts."""
    data = htmldata.build(result)
    embedded = {"wiring": data["wiring"], "rowFindings": data["findings"],
                "findings": [[f.rule, f.name, f.severity, f"{f.path}:{f.line}", f.message]
                             for f in result.findings]}
    title = escape(f"ckptlint report: {result.tree.root}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_asset('report.css')}</style>"
        '<style id="hidden-columns"></style></head><body>\n'
        f"{_summary(result, data)}\n{_toolbar(data)}\n"
        f'<main class="layout"><section class="matrix-wrap">{_matrix(data)}</section>'
        '<aside id="wiring" class="panel"><p class="hint">Click a syscall (or one of its cells) '
        "to see its wiring: each number, table slot, definition, prototype and fallback at "
        "path:line, and whether its gate can be enabled per arch.</p></aside></main>\n"
        f"{_findings(result)}\n"
        f'<script type="application/json" id="ckptlint-data">{script_json(embedded)}</script>\n'
        f"<script>{_asset('report.js')}</script>\n</body></html>\n")
