"""Facts as plain JSON values and back, for the cache.

Only the classes listed in :data:`CLASSES` are ever rebuilt, from their
positional fields; anything else in an entry is a ValueError. So a cache
entry, whoever wrote it, can at worst be rejected, never run code.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable

from ckptlint.facts import ConfigRef, Definition, KbuildObject, Location, NoDotConfigPattern, Param, TreeNote
from ckptlint.findings import Finding, Related
from ckptlint.unknown import Cause, Unknown

#: Dataclasses an entry may hold, by name (Kbuild models are stored as rows: encode_kbuild_set).
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    Location, Param, Definition, TreeNote, KbuildObject, ConfigRef, NoDotConfigPattern,
    Finding, Related, Cause, Unknown)}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in CLASSES.items()}


#: Exact types that encode as themselves.
_ATOMS = frozenset({str, int, type(None)})


def encode(value: Any) -> Any:
    """A JSON value for facts: dataclass -> {"D": [name, fields...]}, tuple -> {"T": [...]},
    set -> {"S": [...]}, dict -> {"M": [[key, value], ...]}."""
    cls = value.__class__  # the common exact types first: a run stores ~800,000 values
    if cls is str or cls is int or value is None:
        return value
    if cls is tuple:  # strings and ints inline: no call for most members
        return {"T": [v if v.__class__ in _ATOMS else encode(v) for v in value]}
    if cls is Location:
        return {"D": ["Location", value.path, value.line]}
    if cls is list:
        return [v if v.__class__ in _ATOMS else encode(v) for v in value]
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"T": [encode(v) for v in value]}
    name = type(value).__name__
    if name in CLASSES and type(value) is CLASSES[name]:
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
    if not isinstance(body, (list, dict)):
        raise ValueError("unknown encoded object")
    if tag == "T":
        return tuple(decode(v) for v in body)
    if tag == "S":
        return {decode(v) for v in body}
    if tag == "M":
        return {decode(k): decode(v) for k, v in body}
    if tag == "D" and body and isinstance(body[0], str) and body[0] in CLASSES \
            and len(body) - 1 == len(_FIELDS[body[0]]):
        return CLASSES[body[0]](*(decode(v) for v in body[1:]))
    raise ValueError(f"unknown encoded object {tag!r}")


# -- every srcarch's KbuildModel in one entry: the descents of 6.12's 20 srcarches
# name ~33,000 distinct objects 640,000 times, so each distinct row is stored once
def encode_kbuild_set(models: dict[str, Any]) -> dict:
    """``{srcarch: KbuildModel}`` as a table of distinct rows and, per srcarch, row numbers."""
    rows: dict[tuple, int] = {}
    # srcarches that descend alike share their very objects (kbuild._object):
    # each object becomes a row once, looked up by identity after that
    by_object: dict[int, int] = {}

    def object_ids(objects: Iterable[KbuildObject]) -> list[int]:
        out = []
        for o in objects:
            number = by_object.get(id(o))
            if number is None:
                number = by_object[id(o)] = rows.setdefault(
                    ("o", o.path, o.condition, o.loc.path, o.loc.line, o.is_dir), len(rows))
            out.append(number)
        return out

    def ids(items: Iterable[tuple]) -> list[int]:
        return [rows.setdefault(item, len(rows)) for item in items]
    arches = {}
    for srcarch, model in models.items():
        arches[srcarch] = {
            "objects": object_ids(model.objects.values()),
            "reached": object_ids(model.reached_dirs.values()),
            "top": object_ids(model.top_dirs),
            "ndc": [[p.pattern, p.loc.path, p.loc.line] for p in model.no_dot_config],
            "dynamic": [[m, loc.path, loc.line] for m, loc in model.dynamic],
            "refs": ids(("r", r.symbol, r.loc.path, r.loc.line) for r in model.config_refs),
            "makefiles": ids(("m", m) for m in model.makefiles)}
    return {"rows": [list(row) for row in rows], "arches": arches}


def decode_kbuild_set(data: Any) -> dict[str, Any]:
    """The inverse of :func:`encode_kbuild_set` (rows shared between the models)."""
    from ckptlint.extract.kbuild import KbuildModel

    try:
        made: list[Any] = []
        for row in data["rows"]:
            if row[0] == "o":
                _, p, c, f, n, d = row
                made.append(KbuildObject(str(p), str(c), Location(str(f), int(n)), bool(d)))
            elif row[0] == "r":
                _, sym, f, n = row
                made.append(ConfigRef(str(sym), Location(str(f), int(n))))
            elif row[0] == "m":
                made.append(str(row[1]))
            else:
                raise ValueError(f"unknown row kind {row[0]!r}")

        def pick(numbers: list, kind: type) -> list:
            out = [made[i] for i in numbers]
            if not all(isinstance(item, kind) for item in out):
                raise ValueError("row of the wrong kind")
            return out
        models = {}
        for srcarch, rows in data["arches"].items():
            models[str(srcarch)] = KbuildModel(
                objects={o.path: o for o in pick(rows["objects"], KbuildObject)},
                reached_dirs={o.path: o for o in pick(rows["reached"], KbuildObject)},
                top_dirs=pick(rows["top"], KbuildObject),
                no_dot_config=[NoDotConfigPattern(str(p), Location(str(f), int(n)))
                               for p, f, n in rows["ndc"]],
                dynamic=[(str(m), Location(str(f), int(n))) for m, f, n in rows["dynamic"]],
                config_refs=pick(rows["refs"], ConfigRef),
                makefiles=pick(rows["makefiles"], str))
        return models
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ValueError(f"bad Kbuild rows: {exc}") from None
