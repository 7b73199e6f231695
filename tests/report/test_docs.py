"""Rule documentation: explain, rules and docs/rules.md, all rendered from the check modules."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from ckptlint.checks import CHECKS
from ckptlint.cli import main
from ckptlint.report import rules_docs

ROOT = Path(__file__).resolve().parents[2]
HEADINGS = [heading + ":" for _, heading in rules_docs.SECTIONS]


def _sections(text: str) -> dict[str, str]:
    """explain output split at its unindented section headings."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines()[2:]:
        if line in HEADINGS:
            current = out.setdefault(line, [])
        elif current is not None:
            current.append(line)
    return {k: "\n".join(v).strip("\n") for k, v in out.items()}


@pytest.mark.parametrize("check", CHECKS, ids=[c.ID for c in CHECKS])
def test_explain_has_all_four_sections(check, capsys):
    assert main(["explain", check.ID]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [f"{check.ID} {check.NAME} (default severity: {check.SEVERITY})",
                                    check.SUMMARY]
    sections = _sections(out)
    assert list(sections) == HEADINGS
    for heading, body in sections.items():
        assert body.strip() and body.strip() != "(not documented)", f"{check.ID}: empty '{heading}'"
        assert all(line.startswith("    ") for line in body.splitlines() if line), heading


def test_explain_by_name_equals_by_id(capsys):
    main(["explain", "CKL901"])
    by_id = capsys.readouterr().out
    main(["explain", "rule-pack-violation"])
    assert capsys.readouterr().out == by_id


def test_explain_renders_literal_blocks(capsys):
    main(["explain", "CKL106"])
    out = capsys.readouterr().out
    assert textwrap.dedent(_sections(out)["Example:"]).splitlines() == [
        "arch/x86/entry/syscalls/syscall_64.tbl:", "",
        "    462  common  mseal    sys_mseal",
        "    458  common  newcall  sys_newcall"]


def test_explain_unknown_check(capsys):
    assert main(["explain", "CKL999"]) == 2
    assert capsys.readouterr().err == "ckptlint: error: unknown check 'CKL999' (see 'ckptlint rules')\n"


def test_missing_section_renders_as_not_documented():
    class Fake:
        """Summary.

        What it checks:
            Something.
        """
        ID, NAME, SEVERITY, SUMMARY = "CKL000", "fake", "note", "Summary"

    doc = rules_docs.check_doc(Fake)
    assert doc.sections == {"what": "Something."}
    assert _sections(rules_docs.render_text(doc))["Fix:"] == "    (not documented)"


def test_rules_lists_every_check_and_pack(capsys):
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split(None, 3) for line in lines[:len(CHECKS)]]
    assert rows == [[c.ID, c.NAME, c.SEVERITY, c.SUMMARY] for c in CHECKS]
    assert lines[len(CHECKS):] == [
        "pack  checkpoint-restart           rules/checkpoint-restart.toml: "
        "sys_checkpoint/sys_restart, gated by CHECKPOINT"]


def test_rules_loads_extra_pack_dirs(tmp_path, capsys):
    (tmp_path / "mine.toml").write_text('[pack]\nname = "mine"\ndescription = "my feature"\n')
    assert main(["rules", "--rules", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == \
        f"pack  mine                         {tmp_path / 'mine.toml'}: my feature"


def test_rules_bad_pack_dir_is_exit_2(tmp_path, capsys):
    assert main(["rules", "--rules", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == \
        f"ckptlint: error: {tmp_path / 'nope'}: rules directory does not exist\n"


def test_docs_rules_md_is_in_sync():
    committed = (ROOT / rules_docs.DEFAULT_PATH).read_text(encoding="utf-8")
    assert committed == rules_docs.rules_markdown(), (
        f"docs/rules.md is out of date: regenerate it with `{rules_docs.REGENERATE}` "
        "from the repository root and commit the result")


def test_rules_markdown_format_is_the_reference(capsys, tmp_path):
    out = tmp_path / "rules.md"
    assert main(["rules", "--format", "markdown", "-o", str(out)]) == 0
    assert out.read_text() == rules_docs.rules_markdown()
    text = out.read_text()
    for check in CHECKS:
        block = text.split(f"\n## {check.ID} {check.NAME}\n", 1)[1].split("\n## ", 1)[0]
        assert [line for line in block.splitlines() if line.startswith("### ")] == \
            [f"### {h}" for _, h in rules_docs.SECTIONS]


def test_markdown_escapes_prose_not_code():
    assert rules_docs._markdown_text("an __NR_ in ``__SYSCALL()`` | <b>") == \
        r"an \_\_NR\_ in `__SYSCALL()` \| \<b\>"


def test_readme_table_names_every_check():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## What it checks\n", 1)[1].split("\n## ", 1)[0]
    ids = re.findall(r"\bCKL\d{3}\b", table)
    assert len(ids) == len(set(ids)), "a check is listed twice in README's table"
    assert set(ids) == {c.ID for c in CHECKS}, "README's 'What it checks' table and the registry differ"
