"""Wiring-graph export formats: DOT (our own writer), GraphML and node-link JSON.

The graph comes from ``FactGraph.wiring_subgraph``: text node ids and only
str/int attribute values, so every format round-trips without conversion.
"""

from __future__ import annotations

import io
import json
import re

FORMATS = ("dot", "graphml", "json")

#: DOT IDs that need no quotes (plain identifiers); everything else is quoted.
_DOT_BARE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_DOT_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}


def dot_quote(value: str | int) -> str:
    """A DOT ID: integers and plain identifiers as they are, anything else quoted
    with backslash, double quote and line breaks escaped."""
    if isinstance(value, int):
        return str(value)
    if _DOT_BARE.fullmatch(value) and value.lower() not in _DOT_KEYWORDS:
        return value
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\r", "\\r").replace("\n", "\\n"))
    return f'"{escaped}"'


def _dot_attrs(attrs: dict) -> str:
    if not attrs:
        return ""
    return " [" + ", ".join(f"{dot_quote(k)}={dot_quote(v)}" for k, v in attrs.items()) + "]"


def to_dot(graph, name: str = "wiring") -> str:
    """A ``digraph`` with one statement per node and per edge, attributes kept."""
    out = [f"digraph {dot_quote(name)} {{", "  rankdir=LR;", "  node [shape=box];"]
    out += [f"  {dot_quote(n)}{_dot_attrs(a)};" for n, a in graph.nodes(data=True)]
    out += [f"  {dot_quote(u)} -> {dot_quote(v)}{_dot_attrs(a)};"
            for u, v, a in graph.edges(data=True)]
    return "\n".join(out + ["}"]) + "\n"


def to_graphml(graph) -> str:
    """GraphML by networkx (typed keys: kind, label, path, line, rel ...)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def to_json(graph) -> str:
    """networkx node-link data (``nodes``, ``edges`` with ``source``/``target``/``key``)."""
    import networkx as nx

    return json.dumps(nx.node_link_data(graph, edges="edges"), indent=1) + "\n"


def render(graph, fmt: str) -> str:
    """The graph in one of FORMATS."""
    return {"dot": to_dot, "graphml": to_graphml, "json": to_json}[fmt](graph)
