"""``CONFIG_X`` references in C, header and assembly files.

Symbols are stored without the ``CONFIG_`` prefix. Names are kept as
written, ``FOO_MODULE`` included: ``kconfig.names`` says which symbol it means. References inside ``/* */`` and ``//``
comments are skipped (unlike scripts/checkkconfigsymbols.py, which greps them
too); string literals are kept, since ``"CONFIG_X"`` text is usually a real
reference in messages or ``IS_ENABLED`` tables. Preprocessor lines are kept:
``#ifdef CONFIG_X``, ``defined(CONFIG_X)`` and ``IS_ENABLED(CONFIG_X)`` all count.
In assembly only C-style comments are skipped (``#``/``;``/``@`` comment
syntax differs per architecture).
"""

from __future__ import annotations

import logging
import re
from typing import Iterable

from ckptlint.extract.prototypes import LineCounter, mask_comments
from ckptlint.facts import ConfigRef, Location
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

#: ``CONFIG_`` followed by a symbol name. The lookbehind drops identifiers that
#: merely contain it (``MY_CONFIG_X``, ``__CONFIG_X``); requiring a name character
#: after ``CONFIG_`` drops token pasting such as ``CONFIG_##name``.
_CONFIG_RE = re.compile(r"(?<![A-Za-z0-9_])CONFIG_([A-Za-z0-9_]+)")
#: ``#define CONFIG_X ...`` in the file itself: a file-local switch, not a Kconfig
#: symbol (parisc's cache.c has ``#define CONFIG_FLUSH_PAGE_ACCESSED 0``).
_LOCAL_DEFINE_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+CONFIG_(\w+)", re.M)




def extract_text(path: str, text: str) -> list[ConfigRef]:
    """References in one file's text, in order."""
    if "CONFIG_" not in text:
        return []
    code = mask_comments(text, strings=False)
    line = LineCounter(code)
    local = set(_LOCAL_DEFINE_RE.findall(code))
    return [ConfigRef(symbol=m.group(1), loc=Location(path, line(m.start())))
            for m in _CONFIG_RE.finditer(code) if m.group(1) not in local]


def extract(tree: KernelTree, paths: Iterable[str]) -> list[ConfigRef]:
    """References in every readable file of ``paths``, by path order then line."""
    out: list[ConfigRef] = []
    for path in paths:
        out.extend(file_refs(tree, path))
    LOG.debug("%d CONFIG_ references", len(out))
    return out


#: The projection (``KernelTree.project``) that :func:`file_refs` is.
REFS = "config refs"


def file_refs(tree: KernelTree, path: str) -> list[ConfigRef]:
    """References in one file of the tree (none when it cannot be read)."""
    return tree.project(REFS, path, lambda: extract_text(path, tree.read_text(path) or ""))
