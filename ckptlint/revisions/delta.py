"""Findings introduced and fixed between two states, matched by fingerprint.

Fingerprints leave out line numbers, so a finding that only moved (lines
added above it) is neither introduced nor fixed. Equal fingerprints are
counted, not merged: a second copy of a problem is an introduction.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from ckptlint.findings import Finding


def introduced(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """Findings of ``after`` that ``before`` does not have (in ``after``'s order)."""
    known = Counter(f.fingerprint for f in before)
    out = []
    for finding in after:
        if known[finding.fingerprint] > 0:
            known[finding.fingerprint] -= 1
        else:
            out.append(finding)
    return out


def fixed(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """Findings of ``before`` that ``after`` no longer has."""
    return introduced(after, before)
