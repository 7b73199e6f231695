"""``ckptlint why``: whether a Kconfig symbol can be enabled on one arch, and why not."""

from __future__ import annotations

from ckptlint.suggest import Suggester


def explain(model, label: str, symbol: str) -> tuple[str, bool]:
    """The text for one Kconfig arch's loaded ``model``, and whether ``symbol`` can be y or m."""
    out: list[str] = []
    if not model.is_defined(symbol):
        close = Suggester(model.all_defined()).closest(symbol)
        out.append(f"{symbol} is not defined by any Kconfig file read for {label}"
                   f"{f'; did you mean {close}?' if close else ''}")
        return _text(out), False
    values = [v for v in ("y", "m") if model.can_be(symbol, v)]
    where = ", ".join(str(loc) for loc in model.definitions(symbol))
    if values:
        out.append(f"{symbol} can be {' or '.join(values)} on {label} (defined at {where})")
    else:
        out.append(f"{symbol} can never be enabled on {label} (defined at {where}):")
        for message, loc in model.explain(symbol, "y"):
            out.append(f"  {loc}: {message}")
    for selector, loc in model.selectors(symbol):
        out.append(f"  selected by {selector} at {loc}")
    for target, loc in model.unmet_selects(symbol):
        out.append(f"  selects {target} at {loc}, whose dependencies cannot be met")
    return _text(out), bool(values)


def _text(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)
