"""Bounded work (issue 17): globs, make and Kconfig expansions end, in seconds, with a finding
at the place past a bound; never a hang, a MemoryError or a traceback."""

from __future__ import annotations

import json
import os
import resource

import pytest

from ckptlint.cli import main

CLEAN = [("CKL602", "arch/arm/kernel/calls.S", 10), ("CKL602", "arch/arm/kernel/calls.S", 10),
         ("CKL601", "arch/x86/include/asm/unistd_32.h", 15),
         ("CKL601", "arch/x86/include/asm/unistd_32.h", 16)]


@pytest.fixture
def two_gigabytes():
    """Address space capped at 2 GiB: an unbounded expansion is a MemoryError, not a swap storm."""
    saved = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, saved[1]))
    yield
    resource.setrlimit(resource.RLIMIT_AS, saved)


def _run(tree, capsys) -> tuple[int, list[tuple]]:
    code = main(["check", str(tree), "--format", "json", "--show-notes", "--no-cache"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, [(f["rule"], f["path"], f["line"]) + ((f["message"],) if f["rule"] in ("CKL010", "CKL403")
                                                       else ()) for f in json.loads(out)["findings"]]


def test_source_glob_never_follows_directory_symlinks(sample, capsys, no_hang):
    tree = sample("clean")
    os.symlink(".", tree / "d")  # d/d/d/... is the tree again, forever
    os.symlink("/", tree / "slash")  # the whole file system
    with open(tree / "init" / "Kconfig", "a") as handle:
        handle.write('source "d*/d*/d*/d*/d*/d*/d*/d*/d*/d*/d*/d*/Kconfig"\n'
                     'source "sl*/*/*/*/Kconfig"\n')
    # neither glob matches a file (nothing is followed): a required source, as for kconfig
    assert _run(tree, capsys) == (1, CLEAN + [
        ("CKL402", "init/Kconfig", 22), ("CKL402", "init/Kconfig", 23),
        ("CKL010", "slash", 1, "symlink points outside the tree; not followed")])


def test_source_glob_matches_are_capped(sample, capsys, monkeypatch):
    from ckptlint import treewalk

    monkeypatch.setattr(treewalk, "MAX_GLOB_MATCHES", 2)
    tree = sample("clean")
    for name in "abc":
        (tree / "init" / f"Kconfig.{name}").write_text(f"config GLOB_{name.upper()}\n\tbool\n")
    with open(tree / "init" / "Kconfig", "a") as handle:
        handle.write('source "init/Kconfig.*"\n')
    # said once, at the source line that globs
    assert _run(tree, capsys) == (0, CLEAN + [
        ("CKL010", "init/Kconfig", 22, "glob 'init/Kconfig.*' matches more than 2 files; "
         "the rest are not used")])


def test_doubling_make_variables_are_left_unevaluated(sample, capsys, no_hang, two_gigabytes):
    tree = sample("clean")
    lines = ["a0 = x", *(f"a{i} = $(a{i - 1}) $(a{i - 1})" for i in range(1, 41)), "obj-y += $(a40)",
             "b0 = x", *(f"b{i} = $(b{i - 1})$(b{i - 1})" for i in range(1, 41)), "obj-y += $(b40).o",
             "c := y", *["c += $(c)"] * 40, "obj-$(c) += z.o"]
    with open(tree / "checkpoint" / "Makefile", "a") as handle:
        handle.write("\n".join(lines) + "\n")
    first = 6  # the sample's Makefile has 5 lines
    assert _run(tree, capsys) == (0, CLEAN + [
        # a17 = 2**17 words; b17 = a 2**17-character word; the 17th c += $(c)
        ("CKL010", "checkpoint/Makefile", first + 17, "value expands to more than 65536 words; left unevaluated"),
        ("CKL010", "checkpoint/Makefile", first + 42 + 17,
         "a word longer than 65536 characters; left unevaluated"),
        ("CKL010", "checkpoint/Makefile", first + 84 + 17, "$(c) grows past 65536 words; left unevaluated")])


def test_doubling_kconfig_macros_are_a_parse_error_at_their_line(sample, capsys, no_hang, two_gigabytes):
    tree = sample("clean")
    kconfig = tree / "checkpoint" / "Kconfig"
    start = len(kconfig.read_text().splitlines())
    lines = ["m0 = x", *(f"m{i} = $(m{i - 1})$(m{i - 1})" for i in range(1, 41)),
             "config BIG", '\tstring "$(m40)"']
    with open(kconfig, "a") as handle:
        handle.write("\n".join(lines) + "\n")
    code, findings = _run(tree, capsys)
    assert code == 1 and findings == CLEAN + [
        ("CKL403", "checkpoint/Kconfig", start + 43,
         "Kconfig does not parse on 4 arches (make *config refuses it): couldn't parse "
         "'string \"$(m40)\"': macro expansion takes more than 100000 calls; left unevaluated")]


def test_squaring_subst_is_left_unevaluated(sample, capsys, no_hang, two_gigabytes):
    """``s{i} = $(subst x,$(s{i-1}),$(s{i-1}))`` squares a word's length at each step."""
    tree = sample("clean")
    lines = ["s0 = xx", *(f"s{i} = $(subst x,$(s{i - 1}),$(s{i - 1}))" for i in range(1, 9)),
             "obj-y += $(s8).o"]
    with open(tree / "checkpoint" / "Makefile", "a") as handle:
        handle.write("\n".join(lines) + "\n")
    # s4 is 2**16 characters; s5 would be 2**32: left unevaluated at its own line
    assert _run(tree, capsys) == (0, CLEAN + [
        ("CKL010", "checkpoint/Makefile", 6 + 5, "a word longer than 65536 characters; left unevaluated")])


def test_a_deep_chain_of_includes_stops_at_its_bound(sample, capsys, no_hang):
    from ckptlint.extract.makefile import MAX_INCLUDE_DEPTH

    tree = sample("clean")
    for i in range(300):  # inc0.mk includes inc1.mk ... inc299.mk
        (tree / "checkpoint" / f"inc{i}.mk").write_text(f"include $(srctree)/checkpoint/inc{i + 1}.mk\n"
                                                        if i < 299 else "obj-y += deep.o\n")
    with open(tree / "checkpoint" / "Makefile", "a") as handle:
        handle.write("include $(srctree)/checkpoint/inc0.mk\n")
    deepest = f"checkpoint/inc{MAX_INCLUDE_DEPTH - 2}.mk"
    assert _run(tree, capsys) == (0, CLEAN + [
        ("CKL010", deepest, 1, f"includes nested more than {MAX_INCLUDE_DEPTH} deep; "
         f"'checkpoint/inc{MAX_INCLUDE_DEPTH - 1}.mk' left unevaluated")])
