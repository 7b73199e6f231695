"""ckptlint graph: the wiring subgraph as DOT, GraphML and node-link JSON.

The DOT reader below is written for the subset our writer emits (one
statement per line, quoted or bare IDs, ``[k=v, ...]`` attribute lists).
It is used instead of pydot (networkx.nx_pydot.read_dot) so that a test-only
dependency, with pyparsing under it, is not needed to check ~20 lines of
output; the hostile-string round trip checks the quoting rules directly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from ckptlint.cli import main
from ckptlint.report.wiring import to_dot

CLEAN = Path(__file__).resolve().parents[2] / "sample_trees" / "clean-2.6.33"

_ID = r'(?:"(?:[^"\\]|\\.)*"|[A-Za-z_0-9.]+)'
_NODE = re.compile(rf"^\s*({_ID})(?:\s*\[(.*)\])?;$")
_EDGE = re.compile(rf"^\s*({_ID})\s*->\s*({_ID})(?:\s*\[(.*)\])?;$")
_ATTR = re.compile(rf"({_ID})=({_ID})(?:, |$)")


def _unquote(token: str) -> str | int:
    if token.startswith('"'):
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)),
                      token[1:-1])
    return int(token) if token.isdigit() else token


def _attrs(text: str | None) -> dict:
    if not text:
        return {}
    pairs = _ATTR.findall(text)
    assert ", ".join(f"{k}={v}" for k, v in pairs) == text, f"unparsed attributes: {text}"
    return {_unquote(k): _unquote(v) for k, v in pairs}


def read_dot(text: str) -> nx.MultiDiGraph:
    """Parse our writer's DOT subset back into networkx."""
    lines = text.splitlines()
    assert re.fullmatch(rf"digraph {_ID} {{", lines[0]) and lines[-1] == "}"
    graph = nx.MultiDiGraph()
    for line in lines[1:-1]:
        if line.strip() in ("rankdir=LR;", "node [shape=box];"):
            continue
        edge = _EDGE.match(line)
        if edge:
            graph.add_edge(_unquote(edge[1]), _unquote(edge[2]), **_attrs(edge[3]))
            continue
        node = _NODE.match(line)
        assert node, f"not a node or edge statement: {line!r}"
        graph.add_node(_unquote(node[1]), **_attrs(node[2]))
    return graph


NODES = {
    "syscall:checkpoint", "nr:i386:checkpoint", "nr:s390:checkpoint", "nr:s390x:checkpoint",
    "slot:i386:9:12", "slot:s390:9:15", "slot:s390x:9:15", "symbol:sys_checkpoint",
    "def:3", "proto:7", "cond:0", "file:checkpoint/sys.c", "object:arm:checkpoint/sys.c",
    "object:s390:checkpoint/sys.c", "object:x86:checkpoint/sys.c"}
EDGES = {
    ("syscall:checkpoint", "nr:i386:checkpoint", "numbered"),
    ("syscall:checkpoint", "nr:s390:checkpoint", "numbered"),
    ("syscall:checkpoint", "nr:s390x:checkpoint", "numbered"),
    ("nr:i386:checkpoint", "slot:i386:9:12", "selects"),
    ("nr:s390:checkpoint", "slot:s390:9:15", "selects"),
    ("nr:s390x:checkpoint", "slot:s390x:9:15", "selects"),
    ("slot:i386:9:12", "symbol:sys_checkpoint", "calls"),
    ("slot:s390:9:15", "symbol:sys_checkpoint", "calls"),
    ("slot:s390x:9:15", "symbol:sys_checkpoint", "calls"),
    ("symbol:sys_checkpoint", "def:3", "defined-by"),
    ("symbol:sys_checkpoint", "proto:7", "declared-by"),
    ("symbol:sys_checkpoint", "cond:0", "falls-back-to"),
    ("def:3", "file:checkpoint/sys.c", "in"),
    ("file:checkpoint/sys.c", "object:arm:checkpoint/sys.c", "built-as"),
    ("file:checkpoint/sys.c", "object:s390:checkpoint/sys.c", "built-as"),
    ("file:checkpoint/sys.c", "object:x86:checkpoint/sys.c", "built-as"),
}


def _edges(graph) -> set:
    return {(u, v, d["rel"]) for u, v, d in graph.edges(data=True)}


def _export(capsys, *args) -> str:
    assert main(["graph", str(CLEAN), *args]) == 0
    return capsys.readouterr().out


def test_dot_parses_back_with_the_wiring(capsys):
    graph = read_dot(_export(capsys, "--syscall", "checkpoint", "--format", "dot"))
    assert set(graph.nodes) == NODES
    assert _edges(graph) == EDGES and graph.number_of_edges() == len(EDGES)
    assert graph.nodes["slot:i386:9:12"] == {
        "kind": "slot", "name": "sys_checkpoint", "path": "arch/x86/kernel/syscall_table_32.S",
        "line": 12, "abi": "i386", "number": 9,
        "label": "sys_checkpoint\ni386 slot 9\narch/x86/kernel/syscall_table_32.S:12"}
    assert graph.edges["file:checkpoint/sys.c", "object:x86:checkpoint/sys.c", 0] == {
        "rel": "built-as", "condition": "CHECKPOINT"}


def test_graphml_parses_back_with_the_wiring(capsys, tmp_path):
    out = tmp_path / "checkpoint.graphml"
    assert main(["graph", str(CLEAN), "--syscall", "checkpoint", "--format", "graphml",
                 "-o", str(out)]) == 0
    graph = nx.read_graphml(out)
    assert set(graph.nodes) == NODES
    assert _edges(graph) == EDGES and graph.number_of_edges() == len(EDGES)
    assert graph.nodes["nr:i386:checkpoint"] == {
        "kind": "nr", "name": "__NR_checkpoint", "path": "arch/x86/include/asm/unistd_32.h",
        "line": 15, "abi": "i386", "number": 9,
        "label": "__NR_checkpoint = 9\ni386\narch/x86/include/asm/unistd_32.h:15"}


def test_json_is_node_link_data(capsys):
    graph = nx.node_link_graph(json.loads(_export(capsys, "--syscall", "checkpoint",
                                                  "--format", "json")), edges="edges")
    assert set(graph.nodes) == NODES and _edges(graph) == EDGES


def test_graph_edges_match_matrix_json(capsys):
    dot = read_dot(_export(capsys, "--syscall", "checkpoint"))
    assert main(["matrix", str(CLEAN), "--syscall", "checkpoint", "--format", "json"]) == 0
    matrix_edges = json.loads(capsys.readouterr().out)["edges"]
    assert {tuple(e) for e in matrix_edges} == _edges(dot)


def test_all_is_the_union_of_every_syscall(capsys):
    everything = read_dot(_export(capsys, "--all"))
    syscalls = sorted(n for n in everything if n.startswith("syscall:"))
    assert syscalls == ["syscall:checkpoint", "syscall:close", "syscall:exit", "syscall:fork",
                        "syscall:getpid", "syscall:open", "syscall:read", "syscall:restart",
                        "syscall:restart_syscall", "syscall:write"]
    union: set = set()
    for name in syscalls:
        union |= _edges(read_dot(_export(capsys, "--syscall", name.split(":", 1)[1])))
    assert _edges(everything) == union


def test_arch_narrows_the_tables(capsys):
    graph = read_dot(_export(capsys, "--syscall", "checkpoint", "--arch", "x86"))
    assert sorted(n for n in graph if n.startswith(("nr:", "slot:"))) == \
        ["nr:i386:checkpoint", "slot:i386:9:12"]


def test_unknown_syscall_and_missing_choice(capsys):
    assert main(["graph", str(CLEAN), "--syscall", "nosuch"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: no syscall 'nosuch' in this tree\n"
    assert main(["graph", str(CLEAN)]) == 2
    assert capsys.readouterr().err == \
        "ckptlint: error: one of the arguments --syscall --all is required\n"


@pytest.mark.parametrize("hostile", ['a"b', "back\\slash", "new\nline", "<x> -> y; }", "node"])
def test_dot_quoting_round_trips(hostile):
    graph = nx.MultiDiGraph()
    graph.add_node(hostile, label=hostile, line=3)
    graph.add_edge(hostile, "plain", rel=hostile)
    back = read_dot(to_dot(graph))
    assert set(back.nodes) == {hostile, "plain"}
    assert back.nodes[hostile] == {"label": hostile, "line": 3}
    assert _edges(back) == {(hostile, "plain", hostile)}


def test_every_box_says_what_it_is_and_where(capsys):
    """Graphviz draws ``label``: the three __NR_checkpoint boxes differ by ABI and path."""
    graph = read_dot(_export(capsys, "--syscall", "checkpoint"))
    labels = {node: data["label"] for node, data in graph.nodes(data=True)}
    assert labels["nr:s390x:checkpoint"] == "__NR_checkpoint = 9\ns390x\narch/s390/include/asm/unistd.h:12"
    assert labels["def:3"] == "sys_checkpoint\ndefinition (SYSCALL_DEFINE)\ncheckpoint/sys.c:5"
    assert labels["cond:0"] == "sys_checkpoint\ncond_syscall\nkernel/sys_ni.c:11"
    assert labels["object:x86:checkpoint/sys.c"] == "checkpoint/sys.c\nbuilt on x86"
    assert len(set(labels.values())) == len(labels)


def test_a_function_name_for_a_syscall_gets_the_syscall_name(capsys):
    assert main(["graph", str(CLEAN), "--syscall", "sys_checkpoint"]) == 2
    assert capsys.readouterr().err == ("ckptlint: error: no syscall 'sys_checkpoint' in this tree; "
                                       "did you mean checkpoint?\n")
