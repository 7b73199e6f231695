"""SARIF output: valid against the OASIS 2.1.0 schema, and carrying what code scanning needs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from ckptlint.checks import CHECKS
from ckptlint.cli import main

ROOT = Path(__file__).resolve().parents[2]
#: The official schema lives beside the repository (../shared/schemas, relative to the
#: repo root); CKPTLINT_SARIF_SCHEMA may name it when the checkout sits elsewhere.
SCHEMA = Path(os.environ.get("CKPTLINT_SARIF_SCHEMA")
              or ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json")


def _sarif(tree, capsys, *extra) -> dict:
    assert main(["check", str(tree), "--format", "sarif", *extra]) == 1
    return json.loads(capsys.readouterr().out)


@pytest.mark.skipif(not SCHEMA.is_file(), reason=f"SARIF 2.1.0 schema not found at {SCHEMA}")
@pytest.mark.parametrize("case", ["table-shift", "pack-signature"])
def test_sarif_validates_against_the_oasis_schema(case, sample, capsys):
    schema = json.loads(SCHEMA.read_text())
    log = _sarif(sample(case), capsys, "--show-notes")
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert [e.message for e in errors] == []
    assert log["runs"][0]["results"], "the sample must produce results to validate"


def test_sarif_result_for_a_table_shift(sample, capsys):
    tree = sample("table-shift")
    log = _sarif(tree, capsys)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tree.resolve().as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.ID for c in CHECKS]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "CKL101"
    assert first["level"] == "error"
    assert first["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "arch/x86/kernel/syscall_table_32.S", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 13, "startColumn": 2}}}]
    assert first["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": "arch/x86/include/asm/unistd_32.h",
                                                  "uriBaseId": "SRCROOT"},
                             "region": {"startLine": 15}},
        "message": {"text": "__NR_checkpoint is 9"}}]
    assert first["properties"] == {"arch": "i386", "symbol": "checkpoint"}
    fingerprint = json.loads(_json(tree, capsys))["findings"][0]["fingerprint"]
    assert first["partialFingerprints"] == {"ckptlint/v1": fingerprint}
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in run["results"]] == [("CKL101", 13), ("CKL102", 14)]


def _json(tree, capsys) -> str:
    main(["check", str(tree), "--format", "json"])
    return capsys.readouterr().out


def test_sarif_rule_descriptor_comes_from_check_metadata(sample, capsys):
    rules = {r["id"]: r for r in _sarif(sample("pack-signature"), capsys)["runs"][0]["tool"]["driver"]["rules"]}
    position = rules["CKL101"]
    assert position["name"] == "table-position-mismatch"
    assert position["shortDescription"] == {
        "text": "A table entry sits at a position other than its syscall's number"}
    assert position["fullDescription"]["text"].startswith(
        "In a positional table (.long entries, where the Nth entry serves syscall N), the entry")
    assert position["help"]["markdown"].startswith("**What it checks**\n\nIn a positional table (`.long` entries")
    assert "\n\n**Fix**\n\nPut the entries in number order" in position["help"]["markdown"]
    assert position["defaultConfiguration"] == {"level": "error"}
    assert rules["CKL010"]["defaultConfiguration"] == {"level": "note"}
    assert rules["CKL901"]["properties"]["packs"] == ["checkpoint-restart"]


def test_sarif_pack_location_uses_the_rules_base(sample, capsys):
    run = _sarif(sample("pack-signature"), capsys)["runs"][0]
    related = run["results"][0]["relatedLocations"][0]["physicalLocation"]
    assert related == {"artifactLocation": {"uri": "checkpoint-restart.toml", "uriBaseId": "CKPTLINT_RULES"},
                       "region": {"startLine": 19}}


def test_sarif_output_is_deterministic(sample, tmp_path, capsys):
    tree = sample("table-shift")
    first, second = tmp_path / "a.sarif", tmp_path / "b.sarif"
    assert main(["check", str(tree), "--format", "sarif", "-o", str(first)]) == 1
    assert main(["check", str(tree), "--format", "sarif", "-o", str(second)]) == 1
    assert first.read_bytes() == second.read_bytes()


def test_sarif_user_pack_outside_the_tree_is_a_file_uri(sample, tmp_path, capsys):
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "restart.toml").write_text(
        '[pack]\nname = "restart-int-pid"\n\n[[syscall]]\nname = "restart"\n'
        'signature = "int pid, int fd, unsigned long flags, int logfd"\n')
    log = _sarif(sample("clean"), capsys, "--rules", str(rules), "--select", "CKL901")
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["relatedLocations"][0]["physicalLocation"]) for r in results] == [
        ("CKL901", uri, {"artifactLocation": {"uri": (rules / "restart.toml").resolve().as_uri()},
                         "region": {"startLine": 5}})
        for uri in ("checkpoint/sys.c", "include/linux/syscalls.h")]


def test_driver_names_its_version_and_where_it_is_documented(sample, capsys, monkeypatch):
    from ckptlint import __version__
    from ckptlint.report import sarif

    tree = sample("table-shift")
    driver = _sarif(tree, capsys)["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == (
        "ckptlint", __version__, __version__)
    monkeypatch.setattr(sarif, "information_uri", lambda: "https://example.org/ckptlint")
    driver = _sarif(tree, capsys)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/ckptlint"
