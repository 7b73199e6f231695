"""One arch's Kconfig answers in the cache: back exactly as asked, or refused whole."""

from __future__ import annotations

import json

import pytest

from ckptlint.facts import Location
from ckptlint.kconfig.model import ArchConfig
from ckptlint.runtime.kconfig_proxy import KconfigAnswers, dump_answers, load_answers
from ckptlint.unknown import Cause, Unknown

SUMMARY = {"error": None, "notes": [], "missing_sources": [], "load_seconds": 0.5, "cause": None,
           "causes": [Cause(Location("init/Kconfig", 9), "$(shell,x) cannot be evaluated")]}
UNDEFINED = [("CHEKCPOINT_RESTART", "depends on", Location("checkpoint/Kconfig", 7)),
             ("UML", "default", Location("init/Kconfig", 186))]


def answers(memo: dict) -> KconfigAnswers:
    return KconfigAnswers(ArchConfig("i386", "x86", "i386", None), SUMMARY, None, memo)


def round_trip(memo: dict) -> tuple[dict, dict]:
    return load_answers(json.loads(json.dumps(dump_answers(answers(memo)))))


def test_answers_come_back_as_they_were_given():
    memo = {("undefined_references",): ("ok", UNDEFINED),
            ("can_be", "CHECKPOINT", "y"): ("ok", True),
            ("satisfiable", "X86_32 && !X86_32"): ("ok", False),
            ("can_be", "RUST", "y"): ("ok", Unknown(SUMMARY["causes"][0])),
            ("parse_expr", "(("): ("ValueError", "malformed expression")}
    summary, back = round_trip(memo)
    assert summary == SUMMARY
    assert back == memo
    assert answers(back).undefined_references() == UNDEFINED


def test_a_memo_without_undefined_references_stays_without():
    summary, back = round_trip({("is_defined", "CHECKPOINT"): ("ok", True)})
    assert back == {("is_defined", "CHECKPOINT"): ("ok", True)}


@pytest.mark.parametrize("rows", [
    "rows", [["A", "default", "init/Kconfig"]], [["A", "default", "init/Kconfig", "7"]],
    [["A", "default", "init/Kconfig", True]], [[1, "default", "init/Kconfig", 7]], [None]])
def test_malformed_rows_are_refused(rows):
    data = json.loads(json.dumps(dump_answers(answers({("undefined_references",): ("ok", UNDEFINED)}))))
    data["undefined"] = rows
    with pytest.raises(ValueError):
        load_answers(data)


@pytest.mark.parametrize("data", [None, [], "x", {"summary": {}}, {"memo": {"M": []}, "undefined": None}])
def test_malformed_entries_are_refused(data):
    with pytest.raises(ValueError):
        load_answers(data)
