"""Facts as plain JSON values and back, for the cache.

Only the classes listed in :data:`CLASSES` are ever rebuilt, from their
positional fields; anything else in an entry is a ValueError. So a cache
entry, whoever wrote it, can at worst be rejected, never run code.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ckptlint.facts import ConfigRef, Definition, KbuildObject, Location, NoDotConfigPattern, Param, TreeNote
from ckptlint.findings import Finding, Related

#: Dataclasses an entry may hold, by name (KbuildModel is added on first use: it
#: imports the Makefile evaluator, which a whole-run cache hit never needs).
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    Location, Param, Definition, TreeNote, KbuildObject, ConfigRef, NoDotConfigPattern,
    Finding, Related)}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in CLASSES.items()}


def _known(name: str) -> bool:
    """Whether ``name`` is a class entries may hold (registering KbuildModel lazily)."""
    if name == "KbuildModel" and name not in CLASSES:
        from ckptlint.extract.kbuild import KbuildModel

        CLASSES[name] = KbuildModel
        _FIELDS[name] = tuple(f.name for f in dataclasses.fields(KbuildModel))
    return name in CLASSES


def encode(value: Any) -> Any:
    """A JSON value for facts: dataclass -> {"D": [name, fields...]}, tuple -> {"T": [...]},
    set -> {"S": [...]}, dict -> {"M": [[key, value], ...]}."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"T": [encode(v) for v in value]}
    name = type(value).__name__
    if _known(name) and type(value) is CLASSES[name]:
        return {"D": [name, *(encode(getattr(value, f)) for f in _FIELDS[name])]}
    if isinstance(value, dict):
        return {"M": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"S": [encode(v) for v in sorted(value)]}
    raise TypeError(f"not plain data: {type(value).__name__}")


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`; ValueError on anything it did not write."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise ValueError("unknown encoded object")
    tag, body = next(iter(value.items()))
    if not isinstance(body, list):
        raise ValueError("unknown encoded object")
    if tag == "T":
        return tuple(decode(v) for v in body)
    if tag == "S":
        return {decode(v) for v in body}
    if tag == "M":
        return {decode(k): decode(v) for k, v in body}
    if tag == "D" and body and isinstance(body[0], str) and _known(body[0]) \
            and len(body) - 1 == len(_FIELDS[body[0]]):
        return CLASSES[body[0]](*(decode(v) for v in body[1:]))
    raise ValueError(f"unknown encoded object {tag!r}")
