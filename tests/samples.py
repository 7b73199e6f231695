"""Sample-tree cases: a base tree plus textual edits, materialised for a test."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "sample_trees"
CASES = ROOT / "cases"


@dataclass
class Case:
    name: str
    directory: Path
    spec: dict

    @property
    def expected_path(self) -> Path:
        return self.directory / "expected.txt"


def all_cases() -> list[Case]:
    """Every case under sample_trees/cases, sorted by name."""
    out = []
    for directory in sorted(CASES.iterdir()):
        spec_path = directory / "case.toml"
        if spec_path.is_file():
            out.append(Case(directory.name, directory, tomllib.loads(spec_path.read_text())))
    return out


def materialise(case: Case, dest: Path) -> Path:
    """Copy the base tree to ``dest`` and apply the case's edits; returns dest."""
    shutil.copytree(ROOT / case.spec["base"], dest)
    for rel in case.spec.get("delete", []):
        (dest / rel).unlink()
    for edit in case.spec.get("replace", []):
        target = dest / edit["file"]
        text = target.read_text()
        count = text.count(edit["old"])
        if count != 1:
            raise AssertionError(f"{case.name}: '{edit['old']}' occurs {count} times in {edit['file']}")
        target.write_text(text.replace(edit["old"], edit["new"]))
    for rel, content in case.spec.get("files", {}).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return dest


def output_for(tree_path, case=None) -> str:
    """The text report of a run over ``tree_path``, with ``case``'s options (all notes)."""
    from ckptlint.engine.options import Options
    from ckptlint.engine.run import run
    from ckptlint.report.text import render
    from ckptlint.tree import KernelTree

    options = Options(min_severity="note")
    if case is not None and "all" in case.spec.get("arches", []):
        options.arches = None
    if case is not None and case.spec.get("select"):
        options.select = set(case.spec["select"])
    if case is not None and case.spec.get("abi_base"):  # CKL701 compares with the unedited base
        from ckptlint.revisions import abi_base

        options = abi_base.with_base(options, abi_base.of_tree(KernelTree(ROOT / case.spec["base"]),
                                                              options))
    return render(run(KernelTree(tree_path), options))
