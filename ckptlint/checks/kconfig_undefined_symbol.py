"""A Kconfig ``depends on``/``select`` names a symbol no Kconfig defines.

What it checks:
    Symbols referenced from Kconfig properties (``depends on``,
    ``select``, ``imply``, ``default``, ``if``, ``range``) are defined by
    some ``config`` entry in the tree. A symbol that only another arch
    defines is fine (that is how arch-specific dependencies are written);
    a symbol defined nowhere is reported, with a "did you mean". A constant
    spelt as a symbol is only a note when it means n anyway (``default N``,
    common in 2.6 trees); ``default Y`` silently means n and stays a warning.

Why it matters:
    Kconfig treats an undefined symbol as ``n`` without complaint:
    ``depends on CHEKCPOINT_SUPPORT`` makes the option impossible to
    enable, and ``select`` of an undefined symbol does nothing.

Example:
    checkpoint/Kconfig: ``depends on CHECKPOINT_SUPORT && EXPERIMENTAL``

Fix:
    Correct the name, or define the symbol in the arch Kconfig.
"""

from __future__ import annotations

from typing import Iterator

from ckptlint.findings import Draft
from ckptlint.suggest import hint
from ckptlint.unknown import is_unknown

ID = "CKL401"
NAME = "kconfig-undefined-symbol"
SEVERITY = "warning"
SUMMARY = "A Kconfig property names a symbol that no Kconfig file defines"
REQUIRES = frozenset({"kconfig", "kconfig_symbols"})


def check(graph) -> Iterator[Draft]:
    everywhere = graph.facts.kconfig_symbols
    # difflib against every Kconfig symbol of the tree (~35 ms a name in 6.12):
    # the bigram index of ``Suggester`` is faster but misses scattered matches
    # (2.6.33's ARCH_LH7952X, for which difflib finds ARCH_H720X)
    seen: set = set()
    for label, model in sorted(graph.facts.kconfig.items()):
        references = model.undefined_references()
        if is_unknown(references):
            continue  # the model failed, or a source went unread: nothing is known undefined
        for symbol, kind, loc in references:
            if symbol in everywhere or (symbol, loc) in seen:
                continue
            seen.add((symbol, loc))
            if symbol in SPELT_CONSTANTS:
                meant = SPELT_CONSTANTS[symbol]
                yield Draft(f"'{kind} {symbol}' names an undefined symbol {symbol}, which is n; "
                            f"write {meant}", loc, symbol=symbol, key=kind,
                            severity="note" if meant == "n" else None)
                continue
            yield Draft(f"'{kind} {symbol}': {symbol} is not defined by any Kconfig file"
                        f"{hint(symbol, everywhere)}", loc, symbol=symbol, key=kind)


#: Constants spelt as symbols (``default N``): undefined, so they evaluate to n,
#: which is what ``N``/``no`` meant and not what ``Y``/``yes`` meant.
SPELT_CONSTANTS = {"N": "n", "no": "n", "NO": "n", "Y": "y", "yes": "y", "YES": "y", "M": "m"}
