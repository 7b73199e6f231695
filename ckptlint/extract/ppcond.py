"""The preprocessor condition of a line, as a Kconfig expression.

Conditions on ``CONFIG_`` symbols and on ``__ARCH_x`` macros such as
``__ARCH_WANT_SYS_TIME`` (left in the expression as a name that the caller
resolves per arch, ``ckptlint.extract.archmacros``) are understood: ``#ifdef CONFIG_X``,
``#ifndef``, ``#if defined(CONFIG_X) && !IS_ENABLED(CONFIG_Y)``, ``#elif``,
``#else``. Anything else (include guards, version checks, ``#if 0``-style
numbers other than 0) counts as "either branch", i.e. ``y``, so the result
over-approximates where code can be compiled; it never hides code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ckptlint.extract.unistd import strip_comments
from ckptlint.tree import KernelTree

_DIRECTIVE = re.compile(r"^\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)$")
_CONFIG_TEST = re.compile(
    r"(?:defined\s*\(?\s*|IS_ENABLED\s*\(\s*|IS_BUILTIN\s*\(\s*|IS_REACHABLE\s*\(\s*)?"
    r"(?:CONFIG_(\w+)|(__ARCH_\w+))\s*\)?")
# ``BITS_PER_LONG == 64`` (or ``__BITS_PER_LONG != 32``) is the 64BIT symbol.
_BITS = re.compile(r"\b_*BITS_PER_LONG\s*(==|!=)\s*(32|64)\b")
# A condition is translated only when, once CONFIG tests are replaced, nothing
# but operators and parentheses is left.
_LEFTOVER = re.compile(r"^[\s()!&|]*$")


def translate(condition: str) -> str | None:
    """A cpp ``#if`` expression over CONFIG_ symbols as Kconfig, or None."""
    text = _BITS.sub(lambda m: " CONFIG_64BIT " if (m.group(1) == "==") == (m.group(2) == "64")
                     else " !CONFIG_64BIT ", condition.strip())
    if text == "0":
        return "n"
    symbols: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)  # __ARCH_x: resolved per arch later
        symbols.append(name)  # FOO_MODULE as written: names.rewrite_modules
        return f" @{len(symbols) - 1} "

    masked = _CONFIG_TEST.sub(replace, text)
    if not symbols or not _LEFTOVER.match(re.sub(r"@\d+", "", masked)):
        return None
    return " ".join(re.sub(r"@(\d+)", lambda m: symbols[int(m.group(1))], masked).split())


def _and(parts: list[str]) -> str:
    known = [p for p in parts if p != "y"]
    return " && ".join(f"({p})" for p in known) if known else "y"


@lru_cache(maxsize=256)
def _line_conditions(text: str) -> tuple[str, ...]:
    """Per-line condition for one file's text (index 0 is line 1)."""
    stack: list[list[str]] = []  # per open #if: conditions of earlier branches, current branch
    out: list[str] = []
    for line in strip_comments(text.split("\n")):
        match = _DIRECTIVE.match(line)
        if match:
            _directive(stack, match.group(1), match.group(2))
        out.append(_and([frame[-1] for frame in stack]))
    return tuple(out)


def _directive(stack: list[list[str]], kind: str, rest: str) -> None:
    word = rest.strip().split()[0] if rest.strip() else ""
    if kind in ("ifdef", "ifndef") and word == "__KERNEL__":
        # the kernel is always built with __KERNEL__: a known truth, unlike the
        # plain "y" that stands for "either branch"
        stack.append(["(y)" if kind == "ifdef" else "(n)"])
    elif kind in ("ifdef", "ifndef") and word == "__uClinux__":
        # defined by the no-MMU toolchains (m68knommu, blackfin, h8300)
        stack.append(["(!MMU)" if kind == "ifdef" else "(MMU)"])
    elif kind in ("ifdef", "ifndef"):
        cond = translate(f"defined({word})") if word.startswith(("CONFIG_", "__ARCH_")) else None
        cond = cond if cond is None or kind == "ifdef" else f"!({cond})"
        stack.append([cond or "y"])
    elif kind == "if":
        stack.append([translate(rest) or "y"])
    elif kind in ("elif", "else") and stack:
        frame = stack[-1]
        previous = [f"!({c})" for c in frame if c != "y"] if all(c != "y" for c in frame) else []
        new = (translate(rest) or "y") if kind == "elif" else "y"
        frame.append(_and(previous + [new]) if previous or new != "y" else "y")
    elif kind == "endif" and stack:
        stack.pop()


def condition_at(tree: KernelTree, path: str, line: int) -> str:
    """The Kconfig condition under which ``path:line`` is compiled (``y`` if unknown)."""
    text = tree.read_text(path)
    if not text:
        return "y"
    conditions = _line_conditions(text)
    return conditions[line - 1] if 0 < line <= len(conditions) else "y"
