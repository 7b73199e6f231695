"""Kconfig conditions as a person reads them.

The conditions ckptlint builds join a Kbuild gate, ``#if`` blocks and an
ABI's table condition, so they come out as ``(y) && ((!((((y))))))``. For
messages they are parsed, the constants ``y``/``n`` folded, nested ``&&``/``||``
flattened and printed with only the parentheses precedence needs:
``MMU && (X86_64 || COMPAT)``. Text that does not parse is returned as given
(a message never fails because of the condition it quotes).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'\s*(\|\||&&|!=|=|!|\(|\)|"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.$-]+)')
_MAX_TOKENS = 4000


class _Unparsable(Exception):
    pass


def readable(expr: str) -> str:
    """``expr`` simplified for reading (``y`` when it is always true, ``n`` when never)."""
    tokens = _tokens(expr)
    if tokens is None:
        return expr.strip()
    try:
        tree, rest = _or(tokens, 0)
    except (_Unparsable, IndexError, RecursionError):
        return expr.strip()
    if rest != len(tokens):
        return expr.strip()
    return _text(_fold(tree))


def _tokens(expr: str) -> list[str] | None:
    out, pos = [], 0
    while pos < len(expr):
        match = _TOKEN.match(expr, pos)
        if match is None:
            return None if expr[pos:].strip() else out
        out.append(match.group(1))
        pos = match.end()
        if len(out) > _MAX_TOKENS:
            return None
    return out


# -- parse: or > and > not > comparison > atom ------------------------------
def _or(tokens, i):
    left, i = _and(tokens, i)
    parts = [left]
    while i < len(tokens) and tokens[i] == "||":
        right, i = _and(tokens, i + 1)
        parts.append(right)
    return (("or", parts) if len(parts) > 1 else left), i


def _and(tokens, i):
    left, i = _not(tokens, i)
    parts = [left]
    while i < len(tokens) and tokens[i] == "&&":
        right, i = _not(tokens, i + 1)
        parts.append(right)
    return (("and", parts) if len(parts) > 1 else left), i


def _not(tokens, i):
    if tokens[i] == "!":
        inner, i = _not(tokens, i + 1)
        return ("not", inner), i
    return _compare(tokens, i)


def _compare(tokens, i):
    left, i = _atom(tokens, i)
    if i < len(tokens) and tokens[i] in ("=", "!="):
        op = tokens[i]
        right, i = _atom(tokens, i + 1)
        return ("cmp", op, left, right), i
    return left, i


def _atom(tokens, i):
    token = tokens[i]
    if token == "(":
        inner, i = _or(tokens, i + 1)
        if i >= len(tokens) or tokens[i] != ")":
            raise _Unparsable
        return inner, i + 1
    if token in ("||", "&&", "!", ")", "=", "!="):
        raise _Unparsable
    return ("sym", token), i + 1


# -- fold and print ----------------------------------------------------------
_Y, _N = ("sym", "y"), ("sym", "n")


def _fold(node):
    kind = node[0]
    if kind == "not":
        inner = _fold(node[1])
        if inner == _Y:
            return _N
        if inner == _N:
            return _Y
        if inner[0] == "not":
            return inner[1]
        return ("not", inner)
    if kind in ("and", "or"):
        absorbing, neutral = (_N, _Y) if kind == "and" else (_Y, _N)
        parts: list = []
        for part in (_fold(p) for p in node[1]):
            if part == absorbing:
                return absorbing
            if part == neutral:
                continue
            for sub in (part[1] if part[0] == kind else [part]):
                if sub not in parts:
                    parts.append(sub)
        if not parts:
            return neutral
        return parts[0] if len(parts) == 1 else (kind, parts)
    return node


def _text(node, parent: str = "or") -> str:
    kind = node[0]
    if kind == "sym":
        return node[1]
    if kind == "cmp":
        return f"{_text(node[2], 'cmp')} {node[1]} {_text(node[3], 'cmp')}"
    if kind == "not":
        inner = node[1]
        body = _text(inner, "not")
        return f"!{body}" if inner[0] == "sym" else f"!({_text(inner)})"
    joiner = " && " if kind == "and" else " || "
    text = joiner.join(_text(p, kind) for p in node[1])
    # && binds tighter than ||: only an || inside an && (or a !) needs parentheses
    return f"({text})" if kind == "or" and parent in ("and", "not", "cmp") else text
