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


def test_the_catalogue_is_what_the_modules_say():
    """Runs answered from the cache select and key checks by the catalogue alone."""
    from pathlib import Path

    from ckptlint.checks import CATALOGUE

    assert [(c.__name__.rsplit(".", 1)[1], c.ID, c.NAME, getattr(c, "DEFAULT", True)) for c in CHECKS] \
        == list(CATALOGUE)
    package = Path(CHECKS[0].__file__).parent
    assert sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__") \
        == sorted(row[0] for row in CATALOGUE)


def test_a_run_answered_from_the_cache_imports_no_check_module(sample, tmp_path):
    """A warm ``check`` needs no check module (they cost ~75 ms to import)."""
    import subprocess
    import sys

    tree = sample("clean-6.12")
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "PATH": "/usr/bin:/bin"}
    code = ("import sys; from ckptlint.cli import main; main(['check', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.startswith('ckptlint.checks.')))")
    runs = [subprocess.run([sys.executable, "-c", code, str(tree)], capture_output=True, text=True,
                           env=env, check=False) for _ in range(2)]
    assert "ckptlint.checks.gate_never_enabled" in runs[0].stdout
    assert runs[1].stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("check", [c for c in CHECKS if c.ID != "CKL010"], ids=lambda c: c.ID)
def test_every_check_has_a_failing_sample(check):
    from test_samples import KEY_FINDINGS

    assert any(rule == check.ID for triples in KEY_FINDINGS.values() for rule, _, _ in triples)
