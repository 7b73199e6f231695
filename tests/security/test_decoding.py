"""Decoding: CRLF, BOMs, Latin-1, invalid UTF-8, NUL bytes and lone CRs never crash and
never move a finding's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree, decode
from samples import all_cases, materialise
from samples import output_for

CASES = all_cases()
#: Bytes that are not UTF-8 (Latin-1 é, 0xff 0xfe), a NUL, a lone CR and a C1 NEL.
JUNK = b"caf\xe9 \xff\xfe \x00 lone\rcr \x85"


def _files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*") if p.is_file())


def _comment(path: Path, text: bytes) -> bytes:
    """A comment line in the file's own syntax."""
    if path.suffix in (".c", ".h", ".S"):
        return b"/* " + text + b" */\n"
    return b"# " + text + b"\n"


def _crlf(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def _bom(path: Path) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _junk_comment(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data + (b"" if data.endswith(b"\n") or not data else b"\n") + _comment(path, JUNK))


def _cr_is_seen(tree: Path, path: Path) -> bool:
    """Whether the kernel's own tools see a CR in this file: a .tbl read by a
    scripts/syscalltbl.sh that checks the noreturn column stops at ``noreturn\r``
    (CKL112, tests/checks/test_table_row_rejected.py). Everything else reads CRLF as LF."""
    script = tree / "scripts" / "syscalltbl.sh"
    return path.suffix == ".tbl" and script.is_file() and "'noreturn' column" in script.read_text()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_sample_gives_its_golden_output_in_crlf_with_bom_and_junk(case, tmp_path):
    tree = materialise(case, tmp_path / "tree")
    for path in _files(tree):
        _junk_comment(path)
        _bom(path)
        if not _cr_is_seen(tree, path):
            _crlf(path)
    assert output_for(tree, case) == case.expected_path.read_text()


def _triples(tree: Path) -> set[tuple[str, str, int]]:
    result = run(KernelTree(tree), Options(min_severity="note"))
    return {(f.rule, f.path, f.line) for f in result.findings}


KEYED = [
    ("table-shift", "arch/x86/kernel/syscall_table_32.S", 13, "CKL101"),
    ("modern-undefined-entry", "arch/x86/entry/syscalls/syscall_64.tbl", 14, "CKL103"),
    ("kconfig-undefined", "checkpoint/Kconfig", 5, "CKL401"),
]


@pytest.mark.parametrize("case,path,line,rule", KEYED)
def test_crlf_file_keeps_the_line_of_its_finding(case, path, line, rule, sample):
    tree = sample(case)
    _crlf(tree / path)
    assert (tree / path).read_bytes().count(b"\r\n") >= line
    assert (rule, path, line) in _triples(tree)


@pytest.mark.parametrize("case,path,line,rule", KEYED)
def test_undecodable_line_above_a_finding_moves_it_by_exactly_one(case, path, line, rule, sample):
    tree = sample(case)
    target = tree / path
    target.write_bytes(_comment(target, JUNK).replace(b"\n", b"\r\n") + target.read_bytes())
    found = _triples(tree)
    assert (rule, path, line + 1) in found and (rule, path, line) not in found


def test_decode_rules():
    assert decode(b"\xef\xbb\xbfa\r\nb\rc\x00d\n") == "a\nb c d\n"
    assert decode("é".encode("utf-8")) == "é"
    assert decode(b"caf\xe9") == "café"  # not UTF-8: read as Latin-1
    assert decode(b"a\x85b\x0cc").split("\n") == ["a\x85b\x0cc"]  # only LF ends a line
