#!/usr/bin/env python3
"""Which errors of a real tree have no triage row in docs/, and which rows are stale.

    python tools/triage_rows.py TREE_NAME=RESULT.json [...] [-v]

RESULT.json is the output of ``ckptlint check TREE --format json``; TREE_NAME
is the name the docs use in their rows (``v2.6.33``, ``linux-source-6.12``).
Rows are ``rule | tree | path:line`` in the tables of docs/real-trees.md
(``| CKL101 | v2.6.33 | arch/...:215 | verdict |``) and in the lists of
docs/old-trees-triage.md and docs/old-trees-errors.md
(``- CKL101 | v2.6.22 | arch/...:215``). Exit 1 when an error has no row.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
DOC_NAMES = ("real-trees.md", "old-trees-triage.md", "old-trees-errors.md")
ROW = re.compile(r"^(?:\| |- )(CKL\d+) \| ([^|]+?) \| ([^|:]+):(\d+)", re.M)


def rows() -> set[tuple[str, str, str, int]]:
    out = set()
    for name in DOC_NAMES:
        for m in ROW.finditer((DOCS / name).read_text()):
            out.add((m.group(1), m.group(2).strip(), m.group(3).strip(), int(m.group(4))))
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    known = rows()
    missing_any = False
    for arg in (a for a in argv if a != "-v"):
        tree, _, path = arg.partition("=")
        doc = json.loads(Path(path).read_text())
        errors = {(f["rule"], f["path"], f["line"]): f["message"]
                  for f in doc["findings"] if f["severity"] == "error"}
        untriaged = sorted(k for k in errors if (k[0], tree, k[1], k[2]) not in known)
        stale = sorted((r, p, n) for r, t, p, n in known if t == tree and (r, p, n) not in errors)
        print(f"{tree}: {len(errors)} errors, {len(untriaged)} without a row, {len(stale)} stale rows")
        if verbose:
            for rule, p, n in untriaged:
                print(f"  + {rule} {p}:{n} {errors[(rule, p, n)][:140]}")
            for rule, p, n in stale:
                print(f"  - {rule} {p}:{n}")
        missing_any |= bool(untriaged)
    return 1 if missing_any else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
