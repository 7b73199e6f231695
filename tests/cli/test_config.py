"""Tree config (.ckptlint.toml, pyproject.toml [tool.ckptlint]): validation, effect, CLI precedence."""

from __future__ import annotations

import json

import pytest

from ckptlint.cli import main

TABLE = "arch/x86/kernel/syscall_table_32.S"
PACK = ('[pack]\nname = "restart-int-pid"\n\n[[syscall]]\nname = "restart"\n'
        'signature = "int pid, int fd, unsigned long flags, int logfd"\n')


def _findings(tree, capsys, *extra) -> tuple[int, list[tuple[str, str, int, str]]]:
    code = main(["check", str(tree), "--format", "json", *extra])
    doc = json.loads(capsys.readouterr().out)
    return code, [(f["rule"], f["path"], f["line"], f["severity"]) for f in doc["findings"]]


@pytest.mark.parametrize("name, text, message", [
    (".ckptlint.toml", '[tool.ckptlint.severity]\nCKL999 = "error"\n',
     ".ckptlint.toml: tool.ckptlint.severity.CKL999: unknown check"),
    (".ckptlint.toml", 'severity = {CKL101 = "fatal"}\n',
     ".ckptlint.toml: severity.CKL101: must be one of note, warning, error, not 'fatal'"),
    ("pyproject.toml", '[tool.ckptlint]\nselct = ["CKL101"]\n',
     "pyproject.toml: tool.ckptlint.selct: unknown key; did you mean select? (known keys: select, "
     "ignore, extend-select, extend-ignore, severity, arches, rules, fail-on, min-severity)"),
    ("pyproject.toml", '[tool.ckptlint]\nignore = ["CKL101", "no-such-check"]\n',
     "pyproject.toml: tool.ckptlint.ignore[1]: unknown check 'no-such-check' (see 'ckptlint rules')"),
    (".ckptlint.toml", 'select = "CKL101"\n', ".ckptlint.toml: select: must be a list of non-empty strings"),
    (".ckptlint.toml", 'fail-on = "fatal"\n',
     ".ckptlint.toml: fail-on: must be one of note, warning, error, not 'fatal'"),
    (".ckptlint.toml", 'arches = ["x86", "ARM!"]\n',
     ".ckptlint.toml: arches[1]: 'ARM!' is not an arch name (x86, arm, i386, ... or all)"),
    (".ckptlint.toml", 'rules = ["../outside"]\n',
     ".ckptlint.toml: rules[0]: '../outside' must be a directory relative to the tree root, inside the tree"),
    (".ckptlint.toml", 'rules = ["/etc"]\n',
     ".ckptlint.toml: rules[0]: '/etc' must be a directory relative to the tree root, inside the tree"),
    (".ckptlint.toml", 'rules = ["no/such/dir"]\n',
     ".ckptlint.toml: rules[0]: 'no/such/dir' is not a directory inside the tree"),
    (".ckptlint.toml", 'select = ["CKL101"]\n[tool.ckptlint]\nignore = []\n',
     ".ckptlint.toml: select: unknown key (use [tool.ckptlint] or top-level keys, not both)"),
    ("pyproject.toml", '[tool.ckptlint\n', "pyproject.toml: invalid TOML: "),
])
def test_config_errors_name_the_key(sample, capsys, tmp_path, name, text, message):
    tree = sample("table-shift")
    (tree / name).write_text(text)
    report = tmp_path / "report.json"
    assert main(["check", str(tree), "-o", str(report)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ckptlint: error: {message}") and err.count("\n") == 1
    assert not report.exists()


def test_rules_dir_symlinked_out_of_the_tree_is_refused(sample, capsys, tmp_path):
    tree = sample("table-shift")
    (tmp_path / "outside").mkdir()
    (tree / "packs").symlink_to(tmp_path / "outside")
    (tree / ".ckptlint.toml").write_text('rules = ["packs"]\n')
    assert main(["check", str(tree)]) == 2
    assert capsys.readouterr().err == ("ckptlint: error: .ckptlint.toml: rules[0]: 'packs' is not a "
                                       "directory inside the tree\n")


def test_config_ignore_and_severity_apply(sample, capsys):
    tree = sample("table-shift")
    (tree / ".ckptlint.toml").write_text(
        '[tool.ckptlint]\nignore = ["table-position-mismatch"]\n\n'
        '[tool.ckptlint.severity]\nCKL102 = "warning"\nunwired-syscall = "warning"\n')
    assert _findings(tree, capsys) == (0, [("CKL102", TABLE, 14, "warning")])


def test_pyproject_config_and_fail_on(sample, capsys):
    tree = sample("table-shift")
    (tree / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ckptlint]\nselect = ["CKL102"]\nfail-on = "warning"\n'
        'severity = {CKL102 = "warning"}\n')
    assert _findings(tree, capsys) == (1, [("CKL102", TABLE, 14, "warning")])


def test_command_line_overrides_config(sample, capsys):
    tree = sample("table-shift")
    (tree / ".ckptlint.toml").write_text(
        'select = ["CKL101"]\nfail-on = "warning"\nmin-severity = "note"\narches = ["arm"]\n'
        '[severity]\nCKL102 = "warning"\n')
    # The config alone: only CKL101, only arm (which this tree lacks).
    assert _findings(tree, capsys) == (0, [])
    # --arch replaces arches, --select replaces select, severity still applies.
    assert _findings(tree, capsys, "--arch", "x86", "--select", "CKL102") == (
        1, [("CKL102", TABLE, 14, "warning")])
    # --fail-on replaces fail-on: a warning no longer fails.
    assert _findings(tree, capsys, "--arch", "x86", "--select", "CKL102", "--fail-on", "error") == (
        0, [("CKL102", TABLE, 14, "warning")])
    # --min-severity replaces min-severity (note), so the i386-only notes stay hidden.
    assert _findings(tree, capsys, "--arch", "x86", "--select", "CKL601,CKL101",
                     "--min-severity", "warning") == (1, [("CKL101", TABLE, 13, "error")])
    assert _findings(tree, capsys, "--arch", "x86", "--select", "CKL601,CKL101") == (1, [
        ("CKL601", "arch/x86/include/asm/unistd_32.h", 15, "note"),
        ("CKL601", "arch/x86/include/asm/unistd_32.h", 16, "note"),
        ("CKL101", TABLE, 13, "error")])
    # --no-config: defaults (x86, every check, warning and up, fail on error).
    assert _findings(tree, capsys, "--no-config") == (1, [
        ("CKL101", TABLE, 13, "error"), ("CKL102", TABLE, 14, "error")])


def test_dotfile_wins_over_pyproject_and_says_so(sample, capsys, caplog):
    tree = sample("table-shift")
    (tree / "pyproject.toml").write_text('[tool.ckptlint]\nselect = ["CKL102"]\n')
    (tree / ".ckptlint.toml").write_text('select = ["CKL101"]\n')
    assert _findings(tree, capsys)[1] == [("CKL101", TABLE, 13, "error")]
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", ".ckptlint.toml and pyproject.toml [tool.ckptlint] both present; using .ckptlint.toml")]


def test_rule_pack_dir_in_the_tree(sample, capsys):
    tree = sample("clean")
    (tree / "scripts" / "ckptlint").mkdir(parents=True)
    (tree / "scripts" / "ckptlint" / "restart.toml").write_text(PACK)
    (tree / ".ckptlint.toml").write_text('rules = ["scripts/ckptlint"]\nselect = ["CKL901"]\n')
    main(["check", str(tree), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["line"], f["related"]) for f in doc["findings"]] == [
        (path, line, [{"path": "scripts/ckptlint/restart.toml", "line": 5,
                       "note": "the pack declares it here"}])
        for path, line in (("checkpoint/sys.c", 11), ("include/linux/syscalls.h", 17))]
    main(["check", str(tree), "--format", "sarif"])
    related = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"] == {
        "uri": "scripts/ckptlint/restart.toml", "uriBaseId": "SRCROOT"}
