"""Opt-in: run the full check on a real kernel tree (``pytest -m realtree``).

The tree is named by ``CKPTLINT_REALTREE``. Every error-level finding must be
one that a row of docs/real-trees.md, docs/old-trees-triage.md or
docs/old-trees-errors.md explains (``tools/triage_rows.py`` reads the same rows).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from ckptlint.cli import main

pytestmark = pytest.mark.realtree
TREE = os.environ.get("CKPTLINT_REALTREE")
DOCS = [Path(__file__).resolve().parents[2] / "docs" / name
        for name in ("real-trees.md", "old-trees-triage.md", "old-trees-errors.md")]
ROW = re.compile(r"^(?:\| |- )(CKL\d+) \| [^|]+ \| ([^|:]+):(\d+)(?: \||$)", re.M)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not TREE or not Path(TREE).is_dir():
        pytest.skip("set CKPTLINT_REALTREE to a kernel source tree to run real-tree tests")
    out = tmp_path_factory.mktemp("real") / "report.json"
    code = main(["check", TREE, "--format", "json", "-o", str(out), "--show-notes"])  # every arch
    assert code in (0, 1)
    return json.loads(out.read_text())


def test_report_is_valid_and_detects_abis(report):
    assert report["version"] == 1
    assert report["abis"], "no syscall ABI detected"
    assert set(report["summary"]) == {"error", "warning", "note"}


#: SRCARCHes without a syscall table of their own: um runs its host arch's.
TABLELESS = {"um"}


def _explained() -> set[tuple[str, str, int]]:
    return {(rule, path.strip(), int(line)) for doc in DOCS
            for rule, path, line in ROW.findall(doc.read_text())}


def test_the_default_checks_every_arch_and_every_error_is_explained(report):
    arches = report["arches"]
    assert not arches["narrowed"]
    assert set(arches["detected"]) - set(arches["checked"]) <= TABLELESS
    errors = {(f["rule"], f["path"], f["line"]) for f in report["findings"] if f["severity"] == "error"}
    assert errors <= _explained(), f"unexplained errors: {sorted(errors - _explained())}"


def test_every_unknown_is_named_once(report):
    """Whatever could not be evaluated is a CKL403/CKL010 finding at its place, and no
    pristine tree refuses to parse."""
    causes = {(u["path"], u["line"]) for u in report["unevaluated"]}
    reported = {(f["path"], f["line"]) for f in report["findings"] if f["rule"] in ("CKL403", "CKL010")}
    assert causes <= reported
    assert not [u for u in report["unevaluated"] if u["refused"]]


def test_narrowed_to_x86(tmp_path):
    out = tmp_path / "x86.json"
    code = main(["check", TREE, "--arch", "x86", "--format", "json", "-o", str(out)])
    doc = json.loads(out.read_text())
    assert code in (0, 1) and doc["arches"]["narrowed"] and doc["arches"]["checked"] == ["x86"]
    errors = {(f["rule"], f["path"], f["line"]) for f in doc["findings"] if f["severity"] == "error"}
    assert errors <= _explained()


def test_one_kconfig_line_that_does_not_parse_is_one_error(tmp_path, capsys):
    """A patch that breaks one ``depends on`` line of init/Kconfig introduces exactly one
    error, at that line: the parse goes on, and what depends on it is not guessed."""
    lines = (Path(TREE) / "init" / "Kconfig").read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("config SYSVIPC")) + 2  # 1-based
    patch = tmp_path / "break.patch"
    patch.write_text("--- a/init/Kconfig\n+++ b/init/Kconfig\n"
                     f"@@ -{at},1 +{at},2 @@\n {lines[at - 1]}\n+\tdepends on MMU &&\n")
    code = main(["check-patch", str(patch), "--tree", TREE])
    out = capsys.readouterr().out.splitlines()
    errors = [line for line in out if ": ERROR: " in line]
    assert code == 1 and len(errors) == 1, out
    assert errors[0].startswith(f"init/Kconfig:{at + 1}: ERROR: CKL403 Kconfig does not parse")
