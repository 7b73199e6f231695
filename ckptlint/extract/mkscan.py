"""Lexical scanning of make text: brackets, words, arguments and references."""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"\S+")


class Dynamic(Exception):
    """A construct that cannot be evaluated statically (never executed)."""


# -- text scanning ------------------------------------------------------------
def find_close(text: str, start: int) -> int:
    """Index of the bracket closing the one at ``start`` (end of text if none)."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
            if depth == 0:
                return i
    return len(text) - 1


def split_words(text: str) -> list[tuple[int, str]]:
    """Whitespace-separated words with offsets, keeping ``$(...)`` whole."""
    if "$" not in text:
        return [(m.start(), m.group()) for m in _WORD_RE.finditer(text)]
    out: list[tuple[int, str]] = []
    start, i = -1, 0
    while i < len(text):
        ch = text[i]
        if ch == "$" and text[i + 1:i + 2] in ("(", "{"):
            start = i if start < 0 else start
            i = find_close(text, i + 1) + 1
            continue
        if ch.isspace():
            if start >= 0:
                out.append((start, text[start:i]))
            start = -1
        elif start < 0:
            start = i
        i += 1
    if start >= 0:
        out.append((start, text[start:]))
    return out


def split_args(text: str, count: int) -> list[str]:
    """Split function arguments on top-level commas into at most ``count`` parts."""
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == "," and depth == 0 and len(parts) < count - 1:
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return parts


def _segments(word: str) -> list[tuple[bool, str]]:
    """A word cut into (is_reference, text) pieces."""
    out: list[tuple[bool, str]] = []
    i = 0
    while i < len(word):
        j = word.find("$", i)
        if j < 0:
            out.append((False, word[i:]))
            break
        if j > i:
            out.append((False, word[i:j]))
        nxt = word[j + 1:j + 2]
        if nxt in ("(", "{"):
            end = find_close(word, j + 1)
            if end == len(word) - 1 and not _balanced(word[j + 1:]):
                raise Dynamic(f"unterminated variable reference '{word[j:j + 40]}'")
            out.append((True, word[j + 2:end]))
            i = end + 1
        elif nxt == "$":
            out.append((False, "$"))
            i = j + 2
        else:
            out.append((True, nxt))
            i = j + 2
    return out


def _balanced(text: str) -> bool:
    """Whether every ``(``/``{`` in ``text`` is closed (make: "unterminated variable reference")."""
    depth = 0
    for ch in text:
        depth += 1 if ch in "({" else -1 if ch in ")}" else 0
    return depth <= 0
