"""A tiny, safe evaluator for the integer expressions of syscall-number macros.

Handles what unistd headers use: decimal/hex/octal literals with U/L suffixes,
parentheses, unary -, ~, binary + - * / % << >> & | ^, and names resolved
through a caller-supplied mapping (``__NR_SYSCALL_BASE+5``). Never calls eval().
"""

from __future__ import annotations

import re
from typing import Callable

_TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(<<|>>|[-+*/%&|^~()]))")
_BINARY = {
    "*": (6, lambda a, b: a * b), "/": (6, lambda a, b: a // b if b else None),
    "%": (6, lambda a, b: a % b if b else None),
    "+": (5, lambda a, b: a + b), "-": (5, lambda a, b: a - b),
    "<<": (4, lambda a, b: a << b if 0 <= b < 64 else None),
    ">>": (4, lambda a, b: a >> b if 0 <= b < 64 else None),
    "&": (3, lambda a, b: a & b), "^": (2, lambda a, b: a ^ b), "|": (1, lambda a, b: a | b),
}


class _Unevaluable(Exception):
    pass


#: A C integer literal: 0x hex, 0 octal or decimal, ASCII digits only, U/L suffixes.
_C_INTEGER = re.compile(r"(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*")
#: More digits than any syscall number, count or offset has (and Python refuses
#: to convert past 4,300 of them).
MAX_DIGITS = 40


def c_integer(text: str) -> int | None:
    """The value of a C integer literal, or None when ``text`` is not one: ``08``
    (not octal), non-ASCII digits, or more than :data:`MAX_DIGITS` digits."""
    match = _C_INTEGER.fullmatch(text.strip())
    if match is None or len(match.group(1)) > MAX_DIGITS:
        return None
    digits = match.group(1)
    if digits[:2] in ("0x", "0X"):
        return int(digits, 16)
    return int(digits, 8) if digits[0] == "0" else int(digits)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _Unevaluable(text)
        number, name, op = match.groups()
        out.append(("num", number) if number else ("name", name) if name else ("op", op))
        pos = match.end()
    return out


def shown(word: str) -> str:
    """A word as a message quotes it: at most 24 characters."""
    return word if len(word) <= 24 else word[:20] + "..."


def bad_literal(text: str) -> str | None:
    """The first number-like word of ``text`` that is no C integer constant (``08``,
    ``1e3``, 40 digits and more), or None."""
    for word in re.findall(r"(?<![\w.])[0-9][\w.]*", text):
        if c_integer(word) is None:
            return shown(word)
    return None


def evaluate(text: str, lookup: Callable[[str], int | None]) -> int | None:
    """Value of ``text``, or None when it is not a constant integer expression."""
    try:
        tokens = _tokens(text)
        if not tokens:
            return None
        value, rest = _parse(tokens, 0, lookup)
        return value if not rest else None
    except (_Unevaluable, RecursionError, TypeError):
        return None


def _parse(tokens, min_prec, lookup):
    value, tokens = _unary(tokens, lookup)
    while tokens and tokens[0][0] == "op" and tokens[0][1] in _BINARY:
        prec, func = _BINARY[tokens[0][1]]
        if prec < min_prec:
            break
        rhs, tokens = _parse(tokens[1:], prec + 1, lookup)
        value = func(value, rhs)
        if value is None:
            raise _Unevaluable("division")
    return value, tokens


def _unary(tokens, lookup):
    if not tokens:
        raise _Unevaluable("end")
    kind, text = tokens[0]
    if kind == "num":
        value = c_integer(text)
        if value is None:
            raise _Unevaluable(text)
        return value, tokens[1:]
    if kind == "name":
        value = lookup(text)
        if value is None:
            raise _Unevaluable(text)
        return value, tokens[1:]
    if text == "(":
        value, rest = _parse(tokens[1:], 0, lookup)
        if not rest or rest[0] != ("op", ")"):
            raise _Unevaluable(")")
        return value, rest[1:]
    if text in "-~+":
        value, rest = _unary(tokens[1:], lookup)
        return {"-": -value, "~": ~value, "+": value}[text], rest
    raise _Unevaluable(text)


def macro_lookup(macros: dict[str, str], fixed: dict[str, int] | None = None
                 ) -> Callable[[str], int | None]:
    """A name -> value lookup over ``#define`` bodies: ``fixed`` values first,
    then the macro's expression, evaluated recursively (a cycle gives None)."""
    known = fixed if fixed is not None else {}
    busy: set[str] = set()

    def value(name: str) -> int | None:
        if name in known:
            return known[name]
        if name not in macros or name in busy:
            return None
        busy.add(name)
        try:
            return evaluate(macros[name], value)
        finally:
            busy.discard(name)
    return value
