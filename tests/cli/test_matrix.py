"""ckptlint matrix: the syscall x ABI table and one syscall's wiring."""

from __future__ import annotations

import json
from pathlib import Path

from ckptlint.cli import main

CLEAN = Path(__file__).resolve().parents[2] / "sample_trees" / "clean-2.6.33"


def test_matrix_json_cells(capsys):
    assert main(["matrix", str(CLEAN), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["abis"] == ["arm", "i386", "s390", "s390x", "x86_64"]
    assert doc["syscalls"]["checkpoint"] == {
        "arm": {"number": None, "status": "missing", "entry": None},
        "i386": {"number": 9, "status": "wired", "entry": "sys_checkpoint"},
        "s390": {"number": 9, "status": "wired", "entry": "sys_checkpoint"},
        "s390x": {"number": 9, "status": "wired", "entry": "sys_checkpoint"},
        "x86_64": {"number": None, "status": "missing", "entry": None}}
    assert doc["syscalls"]["fork"]["x86_64"] == {"number": 5, "status": "wired", "entry": "stub_fork"}
    assert doc["syscalls"]["read"]["arm"] == {"number": 3, "status": "wired", "entry": "sys_read"}
    assert doc["syscalls"]["restart_syscall"]["s390x"]["number"] == 7
    assert len(doc["syscalls"]) == 10


def test_matrix_text_row(capsys):
    assert main(["matrix", str(CLEAN)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["arm", "i386", "s390", "s390x", "x86_64"]
    assert lines[1].split() == ["checkpoint", "-", "9", "9", "9", "-"]


def test_single_syscall_wiring_has_every_edge(capsys):
    assert main(["matrix", str(CLEAN), "--syscall", "checkpoint"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "syscall checkpoint",
        "  i386: number 9 at arch/x86/include/asm/unistd_32.h:15; table entry sys_checkpoint "
        "at arch/x86/kernel/syscall_table_32.S:12",
        "  s390: number 9 at arch/s390/include/asm/unistd.h:12; table entry sys_checkpoint "
        "at arch/s390/kernel/syscalls.S:15",
        "  s390x: number 9 at arch/s390/include/asm/unistd.h:12; table entry sys_checkpoint "
        "(compat sys_checkpoint_wrapper) at arch/s390/kernel/syscalls.S:15",
        "  defined: sys_checkpoint_wrapper (asm) at arch/s390/kernel/entry.S:14; "
        "built if arm: not built, s390: y, x86: not built",
        "  defined: sys_checkpoint (SYSCALL_DEFINE) at checkpoint/sys.c:5; "
        "built if arm: CHECKPOINT, s390: CHECKPOINT, x86: CHECKPOINT",
        "  declared: sys_checkpoint at include/linux/syscalls.h:15",
        "  fallback: cond_syscall(sys_checkpoint) at kernel/sys_ni.c:11",
        "  gate on arm: never: CHECKPOINT cannot be y",
        "  gate on i386: can be enabled",
        "  gate on s390: can be enabled",
        "  gate on x86_64: never: CHECKPOINT cannot be y",
    ]


def test_unknown_syscall(capsys):
    assert main(["matrix", str(CLEAN), "--syscall", "nosuch"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: no syscall 'nosuch' in this tree\n"


def test_single_syscall_json_has_the_graph_edges(capsys):
    assert main(["matrix", str(CLEAN), "--syscall", "checkpoint", "--format", "json"]) == 0
    edges = json.loads(capsys.readouterr().out)["edges"]
    assert ["syscall:checkpoint", "nr:i386:checkpoint", "numbered"] in edges
    assert ["nr:i386:checkpoint", "slot:i386:9:12", "selects"] in edges
    assert ["slot:i386:9:12", "symbol:sys_checkpoint", "calls"] in edges
    assert ["file:checkpoint/sys.c", "object:x86:checkpoint/sys.c", "built-as"] in edges
    assert len(edges) == len({tuple(e) for e in edges})


def test_arch_narrows_the_table_with_the_arch_vocabulary(capsys):
    assert main(["matrix", str(CLEAN), "--arch", "x86"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["i386", "x86_64"]
    assert lines[1].split() == ["checkpoint", "9", "-"]
    assert lines[-1].startswith("10 syscalls x 2 ABIs; ni = sys_ni_syscall hole")
    assert main(["matrix", str(CLEAN), "--arch", "s390x", "--syscall", "checkpoint"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(
        "  s390x: number 9 at arch/s390/include/asm/unistd.h:12")
    assert main(["matrix", str(CLEAN), "--arch", "x68"]) == 2
    assert capsys.readouterr().err == (
        "ckptlint: error: unknown arch 'x68' for this tree; did you mean x86? (one of: all, arm, "
        "i386, s390, s390x, x86, x86_64)\n")


def test_a_function_name_gets_the_syscall_name(capsys):
    assert main(["matrix", str(CLEAN), "--syscall", "sys_checkpoint"]) == 2
    assert capsys.readouterr().err == ("ckptlint: error: no syscall 'sys_checkpoint' in this tree; "
                                       "did you mean checkpoint?\n")
    assert main(["matrix", str(CLEAN), "--syscall", "chekpoint"]) == 2
    assert capsys.readouterr().err == ("ckptlint: error: no syscall 'chekpoint' in this tree; "
                                       "did you mean checkpoint?\n")


def test_compact_text_splits_the_abis_into_blocks_that_fit():
    from ckptlint.report.matrix import Cell, Matrix, render_text

    abis = [f"abi-number-{n:02}" for n in range(12)]
    matrix = Matrix(abis, {"mseal": {a: Cell(462, "wired", "sys_mseal") for a in abis}})
    compact = render_text(matrix, width=60).splitlines()
    row = "mseal              462            462            462"
    expected = []
    for block in range(4):
        names = abis[3 * block:3 * block + 3]
        expected += [f"ABIs {block + 1}/4: {', '.join(names)}", "         " + "  ".join(names), row]
    assert compact == expected + ["1 syscall x 12 ABIs; ni = sys_ni_syscall hole, ign = __IGNORE_, "
                                  "- = not numbered, ! = numbered without a table slot"]
    assert max(len(line) for line in compact[:-1]) <= 60
    assert render_text(matrix).splitlines()[1].split() == ["mseal"] + ["462"] * 12
