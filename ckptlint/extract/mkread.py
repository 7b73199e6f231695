"""Reading make files: logical lines, directive operands, the read log and tree paths."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from ckptlint.extract.mkconditions import _MARK_L
from ckptlint.extract.mkscan import Dynamic, find_close, split_args
from ckptlint.facts import ConfigRef

_QUOTED_ARGS = re.compile(r"""(["'])(.*?)\1\s+(["'])(.*?)\3\s*$""")


@dataclass(slots=True)
class LogicalLine:
    """One logical make line: continuations joined, comment removed."""

    line: int
    text: str
    tab: bool
    starts: list[tuple[int, int]]

    def line_at(self, offset: int) -> int:
        """Physical line holding a character offset of ``text``."""
        result = self.line
        for start, number in self.starts:
            if start > offset:
                break
            result = number
        return result


def _comment_start(text: str) -> int:
    """Offset of the ``#`` starting a comment (outside quotes, not ``\\#``), or -1."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] != "\\"):
            return i
    return -1


def logical_lines(lines: list[str]) -> list[LogicalLine]:
    """Join backslash continuations and drop comments."""
    out: list[LogicalLine] = []
    i = 0
    while i < len(lines):
        first, text, starts = i, lines[i], [(0, i + 1)]
        while text.endswith("\\") and (len(text) - len(text.rstrip("\\"))) % 2 and i + 1 < len(lines):
            i += 1
            text = text[:-1] + " "
            starts.append((len(text), i + 1))
            text += lines[i]
        if "#" in text:
            cut = _comment_start(text)
            text = text if cut < 0 else text[:cut]
        out.append(LogicalLine(first + 1, text.rstrip("\\"), lines[first].startswith("\t"), starts))
        i += 1
    return out


def _is_rule(text: str) -> bool:
    """True for a rule line: a ``:`` outside references (not ``$(warning a: b)``)."""
    depth = 0
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == ":" and depth == 0:
            return True
    return False


def _cond_args(arg: str) -> tuple[str, str]:
    """The two operands of ``ifeq (a,b)`` / ``ifeq "a" "b"``."""
    arg = arg.strip()
    if arg.startswith("("):
        inner = arg[1:find_close(arg, 0)]
        left, right = (split_args(inner, 2) + [""])[:2]
        return left, right
    m = _QUOTED_ARGS.match(arg)
    if not m:
        raise Dynamic(f"unparsable condition '{arg}'")
    return m.group(2), m.group(4)


class ReadLog:
    """What was read, shared by all evaluations of one extraction."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.config_refs: list[ConfigRef] = []
        self._seen: set[str] = set()

    def first_read(self, path: str) -> bool:
        """Record a file; True the first time it is seen."""
        if path in self._seen:
            return False
        self._seen.add(path)
        self.files.append(path)
        return True


def tree_path(word: str) -> str | None:
    """A tree-relative normalised path, or None if it leaves the tree."""
    if not word or word.startswith("/") or _MARK_L in word:
        return None
    path = posixpath.normpath(word)
    if path == ".." or path.startswith("../"):
        return None
    return "" if path == "." else path
