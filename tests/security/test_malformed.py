"""Malformed input the fuzz campaigns found: each is a finding or note at its line,
never an internal error (the raw inputs are replayed in tests/fuzz_regressions/)."""

from __future__ import annotations

import json

from ckptlint.cli import main


def _findings(capsys, tree, *rules: str) -> list[tuple]:
    code = main(["check", str(tree), "--format", "json", "--show-notes"])
    doc = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    return [(f["rule"], f["path"], f["line"], f["message"]) for f in doc["findings"] if f["rule"] in rules]


def test_type_inside_a_menu_is_a_parse_error_at_its_line(sample, capsys):
    tree = sample("clean")
    with open(tree / "checkpoint" / "Kconfig", "a") as handle:
        handle.write('menu "m"\n\tbool\nendmenu\n')
    assert _findings(capsys, tree, "CKL403") == [
        ("CKL403", "checkpoint/Kconfig", 9, "Kconfig cannot be parsed for i386, x86_64: "
                                            "checkpoint/Kconfig:9: this property is not allowed in a menu or comment")]


def test_extraneous_endif_in_an_included_makefile_keeps_the_includers_conditional(sample, capsys):
    tree = sample("clean")
    (tree / "checkpoint" / "Makefile").write_text(
        "ifeq ($(CONFIG_CHECKPOINT),y)\ninclude checkpoint/Makefile.more\nobj-y += sys.o\nendif\nendif\n")
    (tree / "checkpoint" / "Makefile.more").write_text("X := 1\nendif\nelse\n")
    assert _findings(capsys, tree, "CKL010", "CKL501") == [
        ("CKL010", "checkpoint/Makefile", 5, "extraneous 'endif' ignored"),
        ("CKL010", "checkpoint/Makefile.more", 2, "extraneous 'endif' ignored"),
        ("CKL010", "checkpoint/Makefile.more", 3, "extraneous 'else' ignored"),
    ]
    # the stray endif of the included file did not close the includer's ifeq:
    # sys.o is still built only when CHECKPOINT is set
    assert main(["matrix", str(tree), "--syscall", "checkpoint", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert [d["built_if"] for d in info["definitions"] if d["at"] == "checkpoint/sys.c:5"] == [
        {"arm": "CHECKPOINT", "s390": "CHECKPOINT", "x86": "CHECKPOINT"}]
