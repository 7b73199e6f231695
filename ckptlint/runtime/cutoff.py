"""Early cutoff: a run whose changed inputs give the same facts has the same findings.

Every read of a file's content is either raw (``KernelTree.read_text`` and
friends) or made through a projection (``KernelTree.project``): a function of
that file's content, such as its syscall table rows, its ``CONFIG_``
references or its prototypes. A stored run keeps, for each input that was
read only through projections, a digest of what each projection gave.

When some inputs changed since, and each of them was read only through
projections that give the same digests from the new content (a comment
added at the end of ``syscall_64.tbl``, or reworded on its own line),
nothing any check saw has changed: the stored findings stand. Anything else
(a file read raw, a new or removed file, a link pointed elsewhere, a
projection that notes a problem, a row or prototype that moved to another
line) is left to a full run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any, Callable

from ckptlint.tree import KernelTree

#: At most this many changed inputs are settled by projections; past it, a full run.
MAX_CHANGED = 64


def _projection(kind: Any) -> Callable[[KernelTree, str], Any] | None:
    """The function that computes projection ``kind`` (imported only when settling)."""
    from ckptlint.extract import configrefs, prototypes, sysni, tbl
    from ckptlint.facts import Location
    from ckptlint.findings import COLUMN, column_at

    if not isinstance(kind, str):
        return None
    number = kind[len(COLUMN):]
    if kind.startswith(COLUMN) and number.isdigit() and number.isascii() and len(number) < 10:
        return lambda tree, rel: column_at(tree, Location(rel, int(number)))
    return {tbl.ROWS: tbl.parse_rows, configrefs.REFS: configrefs.file_refs,
            sysni.FALLBACKS: sysni.file_fallbacks, prototypes.PROTOTYPES: prototypes.extract_file}.get(kind)


def _plain(value: Any) -> Any:
    """A JSON value that equal facts, and only equal facts, give (sets sorted, dataclasses
    by class name and fields)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(json.dumps(_plain(v), sort_keys=True) for v in value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, *(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))]
    if isinstance(value, dict):
        return ["map", sorted((json.dumps(_plain(k)), _plain(v)) for k, v in value.items())]
    raise TypeError(f"not plain data: {type(value).__name__}")


def digest(value: Any) -> str:
    """The digest of a projection's value."""
    text = json.dumps(_plain(value), separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def projected(tree: KernelTree, reads: set[str]) -> dict[str, dict[str, str]]:
    """For each input of ``reads`` that was read only through projections: kind -> digest."""
    out: dict[str, dict[str, str]] = {}
    for rel, kinds in tree.projections.items():
        if rel in reads and rel not in tree.raw:
            try:
                out[rel] = {kind: digest(value) for kind, value in sorted(kinds.items())}
            except TypeError:
                continue  # a value that is not plain data: the file counts as read raw
    return out


def settled(tree: KernelTree, changed: list[str], stored: Any) -> bool:
    """Whether every file of ``changed`` was read only through projections (``stored``:
    path -> kind -> digest, from the stored run) that give the same digests now (true
    when nothing changed). When not, the notes the attempt made are forgotten: the
    full run that follows makes its own."""
    mark = tree.note_mark()
    if _settled(tree, changed, stored):
        return True
    tree.forget_notes(mark)
    return False


def _settled(tree: KernelTree, changed: list[str], stored: Any) -> bool:
    if len(changed) > MAX_CHANGED or not isinstance(stored, dict):
        return False
    for rel in changed:
        kinds = stored.get(rel)
        if not isinstance(kinds, dict) or not kinds or rel in tree.raw:
            return False
        for kind, recorded in kinds.items():
            function = _projection(kind)
            if function is None:
                return False
            tree.projections.get(rel, {}).pop(kind, None)
            function(tree, rel)
            value = tree.projections.get(rel, {}).get(kind, _MISSING)
            if rel in tree.raw or value is _MISSING:
                return False
            try:
                if digest(value) != recorded:
                    return False
            except TypeError:
                return False
    return True


_MISSING = object()
