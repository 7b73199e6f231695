"""Every crashing input a fuzz campaign saved (tests/fuzz_regressions/*.json) stays fixed."""

from __future__ import annotations

import pytest

import fuzztrees

SAVED = sorted(fuzztrees.REGRESSIONS.glob("*.json"))


@pytest.mark.parametrize("case", SAVED, ids=[p.stem for p in SAVED])
def test_saved_crash_stays_fixed(case):
    fuzztrees.replay(case.read_text())


def test_saved_cases_round_trip():
    files = {"Makefile": b"\x00\xff\r\n", "arch/x86/Kconfig": "é\n".encode()}
    assert fuzztrees.load_case(fuzztrees.dump_case(files, "example")) == files
