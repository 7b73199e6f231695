"""--write-baseline and --baseline: a round trip, line moves, and bad baseline files."""

from __future__ import annotations

import json

import pytest

from ckptlint.cli import main

TABLE = "arch/x86/kernel/syscall_table_32.S"


def _fingerprints(tree, capsys) -> list[tuple[str, str, int, str | None, str, str]]:
    main(["check", str(tree), "--format", "json"])
    return [(f["rule"], f["path"], f["line"], f["arch"], f["message"], f["fingerprint"])
            for f in json.loads(capsys.readouterr().out)["findings"]]


def test_baseline_round_trip(sample, tmp_path, capsys):
    tree = sample("table-shift")
    known = _fingerprints(tree, capsys)
    path = tmp_path / "baseline.json"
    assert main(["check", str(tree), "--write-baseline", str(path)]) == 1
    capsys.readouterr()
    assert json.loads(path.read_text()) == {"version": 1, "tool": "ckptlint", "findings": [
        {"fingerprint": fp, "rule": rule, "name": name, "path": rel, "line": line, "arch": arch,
         "message": message}
        for (rule, rel, line, arch, message, fp), name in zip(
            known, ["table-position-mismatch", "table-length-mismatch", "unwired-syscall"])]}
    assert main(["check", str(tree), "--baseline", str(path)]) == 0
    assert capsys.readouterr().out == (
        "0 findings (0 errors, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64; 2 in the baseline\n")
    # A line inserted above moves every finding; the fingerprints still match.
    table = tree / TABLE
    table.write_text("/* moved */\n" + table.read_text())
    assert main(["check", str(tree), "--baseline", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] == [] and doc["excluded"] == {"suppressed": 0, "baselined": 2}
    assert main(["check", str(tree), "--baseline", str(path), "--format", "sarif"]) == 0
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert (run["results"], run["properties"]) == (
        [], {"abis": ["arm", "i386", "s390", "s390x", "x86_64"], "suppressed": 0, "baselined": 2})


def test_baseline_leaves_out_only_what_it_lists(sample, tmp_path, capsys):
    tree = sample("table-shift")
    path = tmp_path / "baseline.json"
    main(["check", str(tree), "--write-baseline", str(path)])
    capsys.readouterr()
    document = json.loads(path.read_text())
    document["findings"] = [e for e in document["findings"] if e["rule"] != "CKL102"]
    path.write_text(json.dumps(document))
    assert main(["check", str(tree), "--baseline", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{TABLE}:14:2: error: the i386 table has 12 entries")
    assert out[-1] == "1 finding (1 error, 0 warnings, 0 notes); ABIs: arm, i386, s390, s390x, x86_64; 1 in the baseline"


def test_write_baseline_is_deterministic(sample, tmp_path, capsys):
    tree = sample("table-shift")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    main(["check", str(tree), "--write-baseline", str(first)])
    main(["check", str(tree), "--baseline", str(first), "--write-baseline", str(second)])
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not a ckptlint baseline: invalid JSON at line 1"),
    ('{"version": 2, "findings": []}', 'not a ckptlint baseline: expected an object with "version": 1'),
    ('[]', 'not a ckptlint baseline: expected an object with "version": 1'),
    ('{"version": 1, "findings": {}}', 'not a ckptlint baseline: "findings" must be a list'),
    ('{"version": 1, "findings": [{"rule": "CKL101"}]}',
     'not a ckptlint baseline: findings[0] has no "fingerprint" string'),
])
def test_bad_baseline_is_one_line_exit_2(sample, tmp_path, capsys, content, reason):
    path = tmp_path / "baseline.json"
    path.write_text(content)
    report = tmp_path / "report.txt"
    assert main(["check", str(sample("table-shift")), "--baseline", str(path), "-o", str(report)]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: {path}: {reason}\n"
    assert not report.exists()


def test_missing_baseline_is_one_line_exit_2(sample, tmp_path, capsys):
    path = tmp_path / "none.json"
    assert main(["check", str(sample("table-shift")), "--baseline", str(path)]) == 2
    assert capsys.readouterr().err == f"ckptlint: error: {path}: cannot read baseline: No such file or directory\n"
