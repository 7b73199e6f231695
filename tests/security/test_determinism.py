"""Determinism: the same input gives byte-identical output in every format, across
runs and across PYTHONHASHSEED values (set and dict order must never leak out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clicommands import check_formats, matrix_formats
from hostile import hostile_tree
from samples import all_cases, materialise

REPO = Path(__file__).resolve().parents[2]
SEEDS = ("0", "1", "4242")


#: Runs each argv in one child process and prints {label: [exit code, stdout, stderr]} as JSON.
DRIVER = """
import contextlib, io, json, sys
from ckptlint.cli import main
results = {}
for label, argv in json.loads(sys.argv[1]).items():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    results[label] = [code, out.getvalue(), err.getvalue()]
print(json.dumps(results))
"""


def _run_all(commands: dict[str, list[str]], seed: str) -> dict[str, list]:
    """Every command's result from one child process started with PYTHONHASHSEED=seed."""
    env = dict(os.environ, PYTHONHASHSEED=seed)
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(commands)], cwd=REPO, env=env,
                          capture_output=True, text=True, check=True, timeout=300)
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    base = tmp_path_factory.mktemp("determinism")
    hostile, _ = hostile_tree(base / "hostile")
    cases = {c.name: c for c in all_cases()}
    # many findings of many kinds, across every ABI of the sample trees
    busy = materialise(cases["clean-all-arches"], base / "busy")
    with open(busy / "arch" / "x86" / "kernel" / "syscall_table_32.S", "a") as handle:
        handle.write("\t.long sys_nosuch\n\t.long sys_restart\n")
    return {"hostile": hostile, "busy": busy}


def _commands(tree: Path) -> dict[str, list[str]]:
    out = {f"check-{fmt}": ["check", str(tree), "--format", fmt, "--show-notes", "--arch", "all"]
           for fmt in check_formats()}
    out.update({f"matrix-{fmt}": ["matrix", str(tree), "--format", fmt] for fmt in matrix_formats()})
    return out


def test_output_is_identical_across_hash_seeds(trees):
    commands = {f"{name}-{label}": argv for name, tree in trees.items()
                for label, argv in _commands(tree).items()}
    runs = {seed: _run_all(commands, seed) for seed in SEEDS}
    first = runs[SEEDS[0]]
    for label, (code, out, err) in first.items():
        assert code in (0, 1), f"{label}: {err!r}"
        assert out.count("\n") > 3, label  # a real report, not an empty one
    for seed in SEEDS[1:]:
        for label in commands:
            assert runs[seed][label] == first[label], f"{label}: PYTHONHASHSEED={seed} differs from 0"


def test_output_is_identical_across_runs_in_one_process(trees, capsys):
    from ckptlint.cli import main

    for label, argv in _commands(trees["busy"]).items():
        outputs = []
        for _ in range(2):
            main(argv)
            outputs.append(capsys.readouterr().out)
        assert outputs[0] == outputs[1], label
