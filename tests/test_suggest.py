"""'Did you mean' hints: difflib's answer exactly, whatever the pre-filters drop, and a
swap of two neighbouring characters where difflib has none."""

from __future__ import annotations

import difflib

from hypothesis import given, settings, strategies as st

from ckptlint.suggest import did_you_mean

NAMES = st.text(alphabet="ABCDE_12", min_size=0, max_size=12)


def _difflib(name: str, candidates: list[str], cutoff: float) -> str | None:
    """What get_close_matches picks among the other names (the spec of did_you_mean)."""
    found = difflib.get_close_matches(name, [c for c in candidates if c != name], n=1, cutoff=cutoff)
    return found[0] if found else None


@settings(max_examples=400, deadline=None)
@given(NAMES, st.lists(NAMES, max_size=60), st.sampled_from([0.6, 0.8, 0.9]))
def test_same_choice_as_difflib(name, candidates, cutoff):
    expected = _difflib(name, candidates, cutoff)
    got = did_you_mean(name, candidates, cutoff)
    if expected is not None:
        assert got == expected
    else:  # difflib has nothing: only a transposition may be offered ('21' for '12')
        assert got is None or (got in candidates and got != name and _is_transposition(name, got))


def _is_transposition(name: str, other: str) -> bool:
    """Whether ``other`` is ``name`` with two neighbouring characters exchanged."""
    differ = [i for i, (a, b) in enumerate(zip(name, other)) if a != b]
    return (len(name) == len(other) and len(differ) == 2 and differ[1] == differ[0] + 1
            and name[differ[0]] == other[differ[1]] and name[differ[1]] == other[differ[0]])


def test_a_transposition_is_offered_where_difflib_has_nothing():
    assert _difflib("21", ["12"], 0.6) is None
    assert did_you_mean("21", ["12"], 0.6) == "12"
    assert did_you_mean("NUAM", ["NUMA", "NUMB"]) == "NUMA"


def test_scattered_match_is_found():
    # 2.6.33 arch/arm/mach-lh7a40x: the hint a bigram index once lost
    pool = ["ARCH_H720X", "ARCH_LH7A40X", "ARCH_LH7A400", "ARCH_LH7A404", "MACH_LPD7A400"]
    assert did_you_mean("ARCH_LH7952X", pool) == "ARCH_H720X"


def test_order_does_not_matter_and_ties_go_to_the_greatest_name():
    # the seed's misspelling
    assert did_you_mean("CHEKCPOINT_RESTART", ["CHECKPOINT", "CHECKPOINT_RESTART"]) == "CHECKPOINT_RESTART"
    # ABCDF and ABCDG both have ratio 0.8 to ABCDE
    assert did_you_mean("ABCDE", ["ABCDF", "ABCDG"]) == did_you_mean("ABCDE", ["ABCDG", "ABCDF"]) == "ABCDG"
    assert did_you_mean("FOO", ["FOO"]) is None  # never the name itself
    assert did_you_mean("", ["", "A"]) is None


def test_a_swap_of_neighbouring_letters_is_suggested():
    from ckptlint.suggest import Suggester, did_you_mean

    assert did_you_mean("NUAM", ["NUMA", "NUMBER"]) == "NUMA"
    assert Suggester(["NUMA", "NUMA_BALANCING", "MMU"]).closest("NUAM") == "NUMA"
    assert Suggester(["NUMA", "MMU"]).closest("NUAM", within=frozenset({"MMU"})) is None
    assert did_you_mean("XYZW", ["NUMA"]) is None
