"""The Kconfig files of an arch cannot be parsed, or evaluated without running something.

What it checks:
    ckptlint loads each arch's Kconfig the way ``make *config`` does, in the
    language of the tree's own era (read from its ``scripts/kconfig``). Each
    place it cannot evaluate is reported once, with the arches and the checks
    that stood down because of it:

    * a syntax error that the kernel's own parser also refuses is an error at
      its line; like the kernel's parser, ckptlint goes on past it, and only
      what depends on that line is left unevaluated;
    * a construct of the tree's era that ckptlint cannot read, a
      ``$(shell,...)`` whose output cannot be known without running it, and a
      ``source`` whose path depends on one, are a warning when some check had
      to stand down because of it, and a note otherwise;
    * a ``source`` cycle, which the kernel's parser refuses, is an error at
      the ``source`` line that closes it (the cycle is not followed);
    * characters that the kernel's lexer skipped (a stray ``;`` after a prompt)
      and recursive dependencies, which it only warned about, are notes.

Why it matters:
    A syntax error stops ``make *config`` for everyone building that arch.
    Whatever ckptlint cannot evaluate, it does not guess: no finding is derived
    from it, and this finding says which checks were blind, and where.

Example:
    checkpoint/Kconfig: ``depends on CHECKPOINT_SUPPORT &&`` (dangling operator)

Fix:
    Correct the syntax at the reported line. For a warning, nothing in the tree
    needs fixing; the checks named in it could not judge what depends on it.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft

ID = "CKL403"
NAME = "kconfig-parse-error"
SEVERITY = "error"
SUMMARY = "The Kconfig files of an arch cannot be parsed, or evaluated without running them"
REQUIRES = frozenset({"kconfig"})
#: Runs after every other check: it says which of them met each cause.
LAST = True


def check(graph) -> Iterator[Draft]:
    noted: set = set()
    causes: dict = {}
    for label, model in sorted(graph.facts.kconfig.items()):
        for message, loc in model.notes:
            if (message, loc) not in noted:
                noted.add((message, loc))
                # the kernel's kconfig stops at a source cycle ("recursive inclusion"): an error
                cycle = message.startswith("recursive source of ")
                yield Draft(message, loc, severity=None if cycle else "note", key=message)
        for cause in model.causes:
            causes.setdefault(cause, []).append(label)
    ledger = graph.ledger
    # a Kconfig file the tree could not serve is CKL010's, with every check that stood down
    unread = {(note.loc, note.message) for note in graph.tree.notes}
    for cause, labels in sorted(causes.items(), key=lambda item: (item[0].loc, item[0].message)):
        if (cause.loc, cause.message) in unread:
            continue
        stood_down = ledger.checks(cause) if ledger is not None else []
        where = (f" on {labels[0]}" if len(labels) == 1
                 else f" on {len(labels)} arches" if len(labels) > 3 else f" on {', '.join(labels)}")
        if cause.refused:
            lead, severity = f"Kconfig does not parse{where} (make *config refuses it)", None
        else:
            lead, severity = f"not evaluated{where}", ("warning" if stood_down else "note")
        tail = (f"; checks that could not decide what depends on it: {', '.join(stood_down)}"
                if stood_down else "")
        yield Draft(f"{lead}: {cause.message}{tail}", cause.loc,
                    arch=labels[0] if len(labels) == 1 else None, severity=severity,
                    key=cause.message)
