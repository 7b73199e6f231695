"""The wiring graph as exported (``ckptlint graph``): text node ids and attributes."""

from __future__ import annotations

from typing import Any


def node_id(node: tuple) -> str:
    """A graph node as text: ``nr:i386:checkpoint``, ``slot:i386:9:12``."""
    return ":".join(str(part) for part in node)


def export_attrs(node: tuple, fact: Any) -> dict[str, str | int]:
    """Attributes of one exported node, from its kind and fact. ``name`` is the bare
    name; ``label`` (what Graphviz draws) adds the ABI and ``path:line``, so that the
    four ``__NR_mseal`` boxes of a tree say which ABI and file each one is."""
    kind = node[0]
    attrs: dict[str, str | int] = {"kind": kind, "name": str(node[-1])}
    loc = getattr(fact, "loc", None)
    if loc is not None:
        attrs.update(path=loc.path, line=loc.line)
    if kind == "nr":
        attrs.update(abi=node[1], name=f"__NR_{node[2]}",
                     **({"number": fact.number} if fact is not None else {}))
    elif kind == "slot":
        attrs.update(abi=node[1], number=node[2], name=fact.entry)
    elif kind in ("def", "proto", "cond"):
        attrs["name"] = fact.function
        if kind == "def":
            attrs["form"] = fact.kind
    elif kind == "file":
        attrs["path"] = node[1]
    elif kind == "object":
        attrs.update(srcarch=node[1], path=node[2], name=node[2])
    attrs["label"] = export_label(kind, attrs)
    return attrs


#: What a node of each kind is, in its label.
_ROLE = {"def": "definition", "proto": "prototype", "cond": "cond_syscall"}


def export_label(kind: str, attrs: dict) -> str:
    """``__NR_mseal = 462`` / ``x86_64`` / ``path:line``, one part a line."""
    name = attrs["name"]
    if kind == "nr" and "number" in attrs:
        name = f"{name} = {attrs['number']}"
    parts = [str(name)]
    if kind == "nr":
        parts.append(str(attrs["abi"]))
    elif kind == "slot":
        parts.append(f"{attrs['abi']} slot {attrs['number']}")
    elif kind in _ROLE:
        parts.append(f"{_ROLE[kind]} ({attrs['form']})" if "form" in attrs else _ROLE[kind])
    elif kind == "object":
        parts.append(f"built on {attrs['srcarch']}")
    if "line" in attrs:
        parts.append(f"{attrs['path']}:{attrs['line']}")
    return "\n".join(parts)
