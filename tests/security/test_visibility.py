"""Skipped inputs are shown (issue 17): a wiring input that cannot be read is a warning at its
path, the findings that depend on it stand down, and the summary counts it."""

from __future__ import annotations

import json
import os

import pytest

from ckptlint.cli import main


def test_unreadable_sys_ni_is_a_warning_and_its_dependants_stand_down(sample, tmp_path, capsys):
    tree = sample("clean")
    outside = tmp_path / "outside-sys_ni.c"
    (tree / "kernel" / "sys_ni.c").rename(outside)
    os.symlink(outside, tree / "kernel" / "sys_ni.c")
    code = main(["check", str(tree), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0  # no CKL301 error derived from a file that could not be read
    assert [(f["rule"], f["path"], f["line"], f["severity"], f["message"]) for f in doc["findings"]
            if f["rule"] in ("CKL010", "CKL301")] == [
        ("CKL010", "kernel/sys_ni.c", 1, "warning",
         "symlink points outside the tree; not followed; checks that stood down for want of it: "
         "CKL103, CKL301, CKL302, CKL303, CKL404")]
    main(["check", str(tree)])
    assert capsys.readouterr().out.splitlines()[-1].endswith(
        "not evaluated: 1 place (kernel/sys_ni.c:1), where CKL103, CKL301, CKL302, CKL303, CKL404 "
        "stood down")


#: Every input a syscall's wiring is read from, each made unreadable in turn (a symlink out
#: of the tree): one warning at that path, and nothing derived from its absence.
WIRING_INPUTS = {
    "Makefile": "CKL001, CKL002, CKL003, CKL101, CKL102, CKL104, CKL105, CKL106, CKL107, CKL108, "
                "CKL109, CKL110, CKL113, CKL201, CKL202, CKL302, CKL303, CKL404, CKL501, CKL502, CKL601, CKL602, CKL702, "
                "CKL703, CKL901",
    "arch/x86/Kconfig": "CKL401, CKL404, CKL502, CKL601, CKL901",
    "init/Kconfig": "CKL401, CKL404, CKL502, CKL601, CKL602, CKL901",
    "checkpoint/Kconfig": "CKL401, CKL404, CKL502, CKL601, CKL602, CKL901",
}


@pytest.mark.parametrize("rel", sorted(WIRING_INPUTS))
def test_every_unreadable_wiring_input_is_one_warning_at_its_path(sample, tmp_path, capsys, rel):
    tree = sample("clean")
    outside = tmp_path / "outside"
    (tree / rel).rename(outside)
    os.symlink(outside, tree / rel)
    code = main(["check", str(tree), "--format", "json", "--no-cache"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and [(f["rule"], f["path"], f["line"], f["severity"], f["message"])
                          for f in doc["findings"]] == [
        ("CKL010", rel, 1, "warning", "symlink points outside the tree; not followed; checks that "
         f"stood down for want of it: {WIRING_INPUTS[rel]}")]
