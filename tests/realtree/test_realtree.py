"""Opt-in: run the full check on a real kernel tree (``pytest -m realtree``).

The tree is named by ``CKPTLINT_REALTREE``. Every error-level finding must be
one that docs/real-trees.md explains.
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
DOC = Path(__file__).resolve().parents[2] / "docs" / "real-trees.md"
ROW = re.compile(r"^\| (CKL\d+) \| [^|]+ \| ([^|:]+):(\d+) \|", re.M)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not TREE or not Path(TREE).is_dir():
        pytest.skip("set CKPTLINT_REALTREE to a kernel source tree to run real-tree tests")
    out = tmp_path_factory.mktemp("real") / "report.json"
    code = main(["check", TREE, "--format", "json", "-o", str(out), "--show-notes"])
    assert code in (0, 1)
    return json.loads(out.read_text())


def test_report_is_valid_and_detects_abis(report):
    assert report["version"] == 1
    assert report["abis"], "no syscall ABI detected"
    assert set(report["summary"]) == {"error", "warning", "note"}


def test_every_error_is_explained(report):
    explained = {(rule, path.strip(), int(line)) for rule, path, line in ROW.findall(DOC.read_text())}
    errors = {(f["rule"], f["path"], f["line"]) for f in report["findings"] if f["severity"] == "error"}
    assert errors <= explained, f"unexplained errors: {sorted(errors - explained)}"


#: SRCARCHes without a syscall table of their own: um runs its host arch's.
TABLELESS = {"um"}


@pytest.fixture(scope="module")
def report_all(tmp_path_factory):
    if not TREE or not Path(TREE).is_dir():
        pytest.skip("set CKPTLINT_REALTREE to a kernel source tree to run real-tree tests")
    if os.environ.get("CKPTLINT_REALTREE_ALL") != "1":
        pytest.skip("set CKPTLINT_REALTREE_ALL=1 to check every arch of the real tree (minutes)")
    out = tmp_path_factory.mktemp("real-all") / "report.json"
    code = main(["check", TREE, "--arch", "all", "--format", "json", "-o", str(out)])
    assert code in (0, 1)
    return json.loads(out.read_text())


def test_every_arch_is_checked_and_every_error_explained(report_all):
    arches = report_all["arches"]
    assert set(arches["detected"]) - set(arches["checked"]) <= TABLELESS
    explained = {(rule, path.strip(), int(line)) for rule, path, line in ROW.findall(DOC.read_text())}
    errors = {(f["rule"], f["path"], f["line"]) for f in report_all["findings"]
              if f["severity"] == "error"}
    assert errors <= explained, f"unexplained errors: {sorted(errors - explained)}"
