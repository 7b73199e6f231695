"""Baselines: the fingerprints of known findings, which later runs leave out.

A baseline is JSON::

    {"version": 1, "tool": "ckptlint",
     "findings": [{"fingerprint": "...", "rule": "CKL101", "name": "...",
                   "path": "...", "line": 13, "arch": "i386", "message": "..."}]}

Only ``fingerprint`` is used for matching (it leaves out line numbers, so a
finding stays baselined when lines move); the other keys are for humans
reading the file or its diff.
"""

from __future__ import annotations

import json
from pathlib import Path

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file."""


def render(findings) -> str:
    """The baseline document for these findings, in a stable order."""
    entries = sorted({(f.path, f.line, f.rule, f.fingerprint, f.name, f.arch or "", f.message)
                      for f in findings})
    document = {
        "version": VERSION,
        "tool": "ckptlint",
        "findings": [{"fingerprint": fp, "rule": rule, "name": name, "path": path, "line": line,
                      "arch": arch or None, "message": message}
                     for path, line, rule, fp, name, arch, message in entries],
    }
    return json.dumps(document, indent=2) + "\n"


def load(path: str) -> frozenset[str]:
    """The fingerprints a baseline file holds."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BaselineError(f"{path}: cannot read baseline: {reason}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a ckptlint baseline: invalid JSON at line {exc.lineno}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise BaselineError(f"{path}: not a ckptlint baseline: expected an object with \"version\": 1")
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: not a ckptlint baseline: \"findings\" must be a list")
    fingerprints = set()
    for number, entry in enumerate(entries, start=1):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"{path}: not a ckptlint baseline: findings[{number - 1}] has no "
                                "\"fingerprint\" string")
        fingerprints.add(fingerprint)
    return frozenset(fingerprints)
