"""The Kconfig language of one tree, read from the tree's own ``scripts/kconfig``.

What the kernel's tools of an era accepted, ckptlint accepts. The language
moved: 2.6.12-2.6.19 also took ``depends X`` without ``on``, ``requires X``,
``enable X`` (for ``select``) and ``def_boolean``; 7.0 added ``depends on X
if Y``. Rather than guess an era from the version number, the tree's own
lexer and grammar are read as text (never built or run):

* keywords: the quoted words of ``zconf.l``/``lexer.l`` rules (``"requires"
  BEGIN(PARAM); return T_REQUIRES;``) and the rows of ``zconf.gperf``
  (``enable, T_SELECT, TF_COMMAND``);
* rules: ``T_DEPENDS expr T_EOL`` (``depends`` without ``on``) and
  ``T_DEPENDS T_ON expr if_expr`` (``depends on X if Y``) in ``zconf.y`` or
  ``parser.y``.

A tree without those files (a trimmed tree, a sample) gets :data:`LENIENT`,
which takes every form any era took: accepting a form the tree's own tool
would refuse can only miss an error, never invent one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Lexer and grammar files, newest name first.
LEXERS = ("scripts/kconfig/lexer.l", "scripts/kconfig/zconf.l")
GPERF = "scripts/kconfig/zconf.gperf"
PARSERS = ("scripts/kconfig/parser.y", "scripts/kconfig/zconf.y")

_LEX_RULE = re.compile(r'^\s*"([a-z_-]+)"\s+.*\breturn\s+(T_\w+)', re.M)
_GPERF_ROW = re.compile(r"^([a-z_-]+),\s*(T_\w+)", re.M)
_DEPENDS_NO_ON = re.compile(r"T_DEPENDS\s+expr\s+T_EOL")
_DEPENDS_IF = re.compile(r"T_DEPENDS\s+T_ON\s+expr\s+if_expr")


@dataclass(frozen=True)
class Grammar:
    """Which of the era-dependent forms the tree's own Kconfig tools accept."""

    #: keyword -> token name, as the tree's lexer has them (empty: unknown)
    keywords: tuple[tuple[str, str], ...] = ()
    depends_without_on: bool = True
    requires: bool = True
    enable: bool = True
    def_boolean: bool = True
    depends_if: bool = True
    #: the tree's tools were read (False: LENIENT, nothing known)
    known: bool = False

    def knows(self, keyword: str) -> bool:
        """Whether the tree's lexer has ``keyword`` (True when the lexer is unknown)."""
        return not self.known or any(word == keyword for word, _ in self.keywords)

    @property
    def old_forms(self) -> bool:
        """Whether any line rewrite applies (2.6.12-2.6.19 forms)."""
        return self.depends_without_on or self.requires or self.enable or self.def_boolean


LENIENT = Grammar()


def read_grammar(read_text) -> Grammar:
    """The Grammar of a tree, given its ``read_text(rel) -> str | None``."""
    lexer = next((text for text in map(read_text, LEXERS) if text), None)
    parser = next((text for text in map(read_text, PARSERS) if text), None)
    gperf = read_text(GPERF) or ""
    if lexer is None or parser is None:
        return LENIENT
    words = dict(_LEX_RULE.findall(lexer))
    words.update(_GPERF_ROW.findall(gperf))
    keywords = tuple(sorted(words.items()))
    return Grammar(
        keywords=keywords,
        depends_without_on=_DEPENDS_NO_ON.search(parser) is not None,
        requires=words.get("requires") == "T_REQUIRES",
        enable="enable" in words,
        def_boolean="def_boolean" in words,
        depends_if=_DEPENDS_IF.search(parser) is not None,
        known=True,
    )


#: Old forms and what the same line says in the kconfiglib language. Only a
#: line's first word is rewritten; its line number and the rest stay.
_OLD_FORMS = (
    ("depends_without_on", re.compile(r"^(\s*)depends(?=[ \t])(?![ \t]+on\b)"), r"\1depends on"),
    ("requires", re.compile(r"^(\s*)requires(?=[ \t])"), r"\1depends on"),
    ("enable", re.compile(r"^(\s*)enable(?=[ \t])"), r"\1select"),
    ("def_boolean", re.compile(r"^(\s*)def_boolean(?=[ \t])"), r"\1def_bool"),
)
_OLD_FIRST_WORDS = ("depends", "requires", "enable", "def_boolean")


def rewriter(grammar: Grammar):
    """A ``line -> line`` function applying the old forms the grammar accepts, or None."""
    forms = [(pattern, repl) for flag, pattern, repl in _OLD_FORMS if getattr(grammar, flag)]
    if not forms:
        return None

    def rewrite(line: str) -> str:
        if not line.lstrip().startswith(_OLD_FIRST_WORDS):
            return line
        for pattern, repl in forms:
            new = pattern.sub(repl, line, count=1)
            if new is not line and new != line:
                return new
        return line
    return rewrite
