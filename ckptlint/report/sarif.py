"""SARIF 2.1.0 output, shaped for GitHub code scanning (upload-sarif).

Rule descriptors come from the checks' metadata and docstrings; every
location in the tree is relative to the ``SRCROOT`` base (the tree root), so
the file can be uploaded from a checkout of the tree. Output is
deterministic: no timestamps, no invocation data, stable order.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ckptlint import __version__

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "SRCROOT"
RULES_BASE = "CKPTLINT_RULES"
FINGERPRINT_KEY = "ckptlint/v1"

_LITERAL = re.compile(r"``([^`]+)``")


def render(result, verbose: bool = False) -> str:
    """The whole SARIF log as indented JSON."""
    from ckptlint.checks import CHECKS

    packs = _packs(result)
    index = {check.ID: i for i, check in enumerate(CHECKS)}
    tree_root = result.tree.root
    run = {
        "tool": {"driver": {
            "name": "ckptlint",
            "version": __version__,
            "semanticVersion": __version__,
            **({"informationUri": uri} if (uri := information_uri()) else {}),
            "rules": [rule_descriptor(check, packs) for check in CHECKS],
        }},
        "originalUriBaseIds": {
            SRCROOT: {"uri": tree_root.as_uri() + "/",
                      "description": {"text": "The root of the kernel tree that was checked."}},
            RULES_BASE: {"description": {"text": "ckptlint's built-in rule packs (rules/*.toml)."}},
        },
        "results": [_result(f, index[f.rule], tree_root, packs) for f in result.findings],
        "columnKind": "unicodeCodePoints",
        "properties": {"abis": list(result.abis), **result.excluded()},
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"


def information_uri() -> str | None:
    """``tool.driver.informationUri``: the installed distribution's Homepage (or
    Documentation) Project-URL (``[project.urls]`` in pyproject.toml). None when it
    names none: a made-up address would be a dead link in code scanning."""
    from importlib import metadata

    try:
        urls = metadata.metadata("ckptlint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    found = dict(u.split(", ", 1) for u in urls if ", " in u)
    return found.get("Homepage") or found.get("Documentation")


def rule_descriptor(check, packs: dict | None = None) -> dict:
    """A reportingDescriptor built from a check module's metadata."""
    from ckptlint.checks import doc_sections

    sections = doc_sections(check)
    what = " ".join(_plain(sections.get("What it checks", check.SUMMARY)).split())
    help_text = "\n\n".join(f"{name}:\n{_plain(body)}" for name, body in sections.items())
    help_markdown = "\n\n".join(f"**{name}**\n\n{_markdown(body)}" for name, body in sections.items())
    properties: dict = {"tags": ["linux-kernel", "syscall-wiring"], "precision": "high"}
    if check.ID == "CKL901" and packs:
        properties["packs"] = sorted({pack.name for pack in packs.values()})
    return {
        "id": check.ID,
        "name": check.NAME,
        "shortDescription": {"text": check.SUMMARY},
        "fullDescription": {"text": what},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": check.SEVERITY},
        "properties": properties,
    }


def _result(finding, rule_index: int, tree_root: Path, packs: dict) -> dict:
    physical = _physical(finding.path, finding.line, tree_root, packs)
    if finding.column and "region" in physical:
        physical["region"]["startColumn"] = finding.column
    out = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.severity,
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.related:
        out["relatedLocations"] = [
            {"id": number, "physicalLocation": _physical(r.loc.path, r.loc.line, tree_root, packs),
             "message": {"text": r.note}}
            for number, r in enumerate(finding.related, start=1)]
    properties = {key: value for key, value in (("arch", finding.arch), ("symbol", finding.symbol))
                  if value is not None}
    if properties:
        out["properties"] = properties
    return out


def _physical(path: str, line: int, tree_root: Path, packs: dict) -> dict:
    """A physicalLocation; a line below 1 (a whole-file location) gets no region."""
    out: dict = {"artifactLocation": artifact_location(path, tree_root, packs)}
    if line >= 1:
        out["region"] = {"startLine": line}
    return out


def artifact_location(path: str, tree_root: Path, packs: dict) -> dict:
    """Where a path lives: in the tree (SRCROOT), among the shipped packs, or elsewhere."""
    pack = packs.get(path)
    if pack is None or pack.origin == "tree":
        return {"uri": _uri(path), "uriBaseId": SRCROOT}
    if pack.origin == "builtin":
        return {"uri": _uri(PurePosixPath(path).name), "uriBaseId": RULES_BASE}
    absolute = Path(path).resolve()
    if tree_root in absolute.parents:
        return {"uri": _uri(absolute.relative_to(tree_root).as_posix()), "uriBaseId": SRCROOT}
    return {"uri": absolute.as_uri()}


def _packs(result) -> dict:
    """Loaded rule packs by the path their locations are named with."""
    graph = getattr(result, "graph", None)
    return {pack.source: pack for pack in (graph.facts.packs if graph is not None else [])}


def _uri(path: str) -> str:
    return quote(path, safe="/")


def _plain(text: str) -> str:
    return _LITERAL.sub(r"\1", text).replace("::\n", ":\n")


def _markdown(text: str) -> str:
    return _LITERAL.sub(r"`\1`", text).replace("::\n", ":\n")
