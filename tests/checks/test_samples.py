"""Golden outputs for every sample case, and the key findings each must give."""

from __future__ import annotations

import re

import pytest

from samples import all_cases, materialise, output_for

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree

CASES = all_cases()
FINDING = re.compile(r"^(\S+):(\d+):\d+: (error|warning|note): .* \[(CKL\d+) [a-z0-9-]+\]$")

#: The finding each case exists for, written by hand: (rule, path, line).
#: The golden file may hold more (knock-on findings), never fewer.
KEY_FINDINGS = {
    "clean": set(),
    "clean-6.12": set(),
    # at the entry of the syscall below it in i386's numbering: where it would go
    "clean-all-arches": {("CKL602", "arch/arm/kernel/calls.S", 10)},
    "missing-on-arch": {("CKL602", "arch/arm/kernel/calls.S", 8)},
    "compat-pairing": {("CKL107", "arch/s390/kernel/syscalls.S", 16)},
    "unsorted-table": {("CKL106", "arch/x86/entry/syscalls/syscall_64.tbl", 12)},
    "modern-undefined-entry": {("CKL103", "arch/x86/entry/syscalls/syscall_64.tbl", 14)},
    "seed-as-posted": {("CKL501", "Makefile", 24)},
    "duplicate-number": {("CKL001", "arch/x86/include/asm/unistd_32.h", 16)},
    "number-gap": {("CKL002", "arch/x86/include/asm/unistd_32.h", 15)},
    "count-mismatch": {("CKL003", "arch/x86/include/asm/unistd_32.h", 20)},
    "swap-contained-names": {("CKL101", "arch/x86/kernel/syscall_table_32.S", 3)},
    "swap-legacy-variant": {("CKL101", "arch/x86/kernel/syscall_table_32.S", 9)},
    "misplaced-entry": {("CKL101", "arch/x86/kernel/syscall_table_32.S", 7)},
    # at um's own #define, not at the host's slot it replaces
    "um-host-table": {("CKL103", "arch/um/sys-i386/sys_call_table.S", 5)},
    "fallback-only": {("CKL303", "checkpoint/sys.c", 11)},
    "fallback-only-compat": {("CKL303", "fs/open.c", 14)},
    "fallback-only-removed": {("CKL303", "kernel/sys_ni.c", 9)},
    "prototype-on-wrapper-arch": {("CKL201", "include/linux/syscalls.h", 12)},
    "compat-slot-mismatch": {("CKL108", "arch/x86_64/ia32/ia32entry.S", 32)},
    "compat-missing-wrapper": {("CKL109", "arch/s390/kernel/syscalls.S", 12)},
    "compat-calls-native": {("CKL110", "arch/x86/entry/syscalls/syscall_32.tbl", 12)},
    "kconfig-not-sourced": {("CKL404", "checkpoint/Kconfig", 1)},
    "arm-last-call-removed": {("CKL104", "arch/arm/include/asm/unistd.h", 20)},
    "arm-private-undispatched": {("CKL111", "arch/arm/include/asm/unistd.h", 24)},
    "table-shift": {("CKL101", "arch/x86/kernel/syscall_table_32.S", 13),
                    ("CKL102", "arch/x86/kernel/syscall_table_32.S", 14)},
    # the count agrees with the numbers: CKL104 alone (not also CKL102's length)
    "table-short": {("CKL104", "arch/x86/include/asm/unistd_32.h", 16)},
    "undefined-entry": {("CKL103", "arch/x86/kernel/syscall_table_32.S", 12)},
    "entry-without-number": {("CKL104", "arch/x86/kernel/syscall_table_32.S", 13)},
    "alias-slot": {("CKL104", "arch/x86/kernel/syscall_table_32.S", 10)},
    "missing-pair": {("CKL105", "arch/x86/include/asm/unistd_64.h", 24)},
    "v19-logfd-prototype": {("CKL201", "include/linux/syscalls.h", 15)},
    "v16-pid-type": {("CKL201", "include/linux/syscalls.h", 17)},
    "missing-prototype": {("CKL202", "checkpoint/sys.c", 11)},
    "define-arity": {("CKL203", "checkpoint/sys.c", 11)},
    "duplicate-definition": {("CKL204", "kernel/sys.c", 2)},
    "missing-cond-syscall": {("CKL301", "checkpoint/sys.c", 5), ("CKL301", "checkpoint/sys.c", 11)},
    # the misspelt fallback is the missing one: CKL301 at it, not also CKL302
    "stray-cond-syscall": {("CKL301", "kernel/sys_ni.c", 11), ("CKL302", "kernel/sys_ni.c", 13)},
    "kconfig-undefined": {("CKL401", "checkpoint/Kconfig", 5)},
    "kconfig-missing-source": {("CKL402", "init/Kconfig", 16)},
    "kconfig-syntax-error": {("CKL403", "checkpoint/Kconfig", 5)},
    "kconfig-stray-semicolon": {("CKL403", "checkpoint/Kconfig", 4)},
    "gate-never-enabled": {("CKL404", "arch/x86/kernel/syscall_table_32.S", 12)},
    # the link failure is CKL301's, at the definition; CKL404 keeps sys_restart only
    "never-built-no-fallback": {("CKL301", "checkpoint/sys.c", 5),
                                ("CKL404", "arch/x86/kernel/syscall_table_32.S", 13)},
    "chekcpoint-restart": {("CKL502", "checkpoint/Makefile", 5)},
    # line 6's CHECKPOINT_SELFTEST_MODULE is a symbol of its own: no finding
    "kconfig-module-named-symbol": {("CKL502", "checkpoint/Makefile", 7)},
    # the weak sys_fork gives way to x86's and arm's: only the weak sys_pipe is compared
    "weak-generic-definition": {("CKL201", "include/linux/syscalls.h", 9)},
    "arch-prototype-mismatch": {("CKL201", "arch/x86/include/asm/syscalls.h", 5)},
    "gate-inside-the-file": {("CKL404", "arch/x86/kernel/syscall_table_32.S", 13)},
    "table-row-rejected": {("CKL112", "arch/x86/entry/syscalls/syscall_64.tbl", 8)},
    "compat-64bit-argument": {("CKL703", "arch/x86_64/ia32/ia32entry.S", 33)},
    "new-syscall-without-flags": {("CKL704", "kernel/sys.c", 2)},
    "syscall-called-in-kernel": {("CKL705", "kernel/sys.c", 5), ("CKL705", "arch/x86/kernel/process.c", 2)},
    "undefined-anywhere": {("CKL504", "arch/x86/kernel/tls.c", 2),
                           ("CKL504", "arch/x86/kernel/tls.c", 4)},
    "nodotconfig-collision": {("CKL503", "Makefile", 12)},
    "native-calls-compat": {("CKL113", "arch/x86/entry/syscalls/syscall_64.tbl", 9)},
    # checkpoint and restart: both missing from unistd_64.h, after its last shared call
    "cross-abi-warning": {("CKL601", "arch/x86/include/asm/unistd_64.h", 18)},
    "unknown-suppression": {("CKL011", "arch/x86/kernel/syscall_table_32.S", 13),
                            ("CKL101", "arch/x86/kernel/syscall_table_32.S", 13)},
    "pack-signature": {("CKL901", "checkpoint/sys.c", 11), ("CKL901", "include/linux/syscalls.h", 17)},
    # 2.6.16 layout: arch/i386 and arch/x86_64, include/asm-<arch>/, sparc's NR_SYSCALLS in entry.S
    "clean-2.6.16": set(),
    "old-i386-table-shift": {("CKL101", "arch/i386/kernel/syscall_table.S", 12),
                             ("CKL102", "arch/i386/kernel/syscall_table.S", 12)},
    "old-ia32-unnumbered": {("CKL104", "arch/x86_64/ia32/ia32entry.S", 37)},
    # CKL701 against the unedited base tree (case.toml: abi_base)
    "abi-break-resigned": {("CKL701", "fs/read_write.c", 2)},
    "abi-break-removed": {("CKL701", "arch/x86/kernel/syscall_table_32.S", 9)},
    "abi-respelt": set(),
    "tools-copy-drift": {("CKL702", "tools/perf/arch/x86/entry/syscalls/syscall_64.tbl", 9),
                         ("CKL702", "tools/perf/arch/x86/entry/syscalls/syscall_64.tbl", 13)},
    # one NR_syscalls value: CKL003 at it; the table agrees with the numbers (no CKL102)
    "old-sparc-nr-syscalls": {("CKL003", "arch/sparc/kernel/entry.S", 5)},
}


def triples(text: str) -> set[tuple[str, str, int]]:
    out = set()
    for line in text.splitlines():
        match = FINDING.match(line)
        if match:
            out.add((match.group(4), match.group(1), int(match.group(2))))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_matches_golden(case, tmp_path, update_goldens):
    text = output_for(materialise(case, tmp_path / "tree"), case)
    if update_goldens:
        case.expected_path.write_text(text)
    assert case.expected_path.is_file(), f"{case.name}: no expected.txt (run with --update-goldens)"
    assert text == case.expected_path.read_text()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_its_key_findings(case, tmp_path):
    found = triples(output_for(materialise(case, tmp_path / "tree"), case))
    key = KEY_FINDINGS[case.name]
    assert key <= found, f"missing {sorted(key - found)}"
    if case.name == "clean":  # notes only: checkpoint's gate is x86_32-only on purpose
        assert {t for t in found} == {("CKL601", "arch/x86/include/asm/unistd_32.h", 15),
                                      ("CKL601", "arch/x86/include/asm/unistd_32.h", 16),
                                      ("CKL602", "arch/arm/kernel/calls.S", 10)}
    if case.name == "alias-slot":  # a note only: neither a shift (CKL101) nor a gap (CKL002)
        assert {t for t in found if t[0] not in ("CKL601", "CKL602")} == KEY_FINDINGS["alias-slot"]


def test_every_case_has_a_key_finding_entry():
    assert set(KEY_FINDINGS) == {c.name for c in CASES}


def test_clean_tree_reports_nothing_at_default_severity(tmp_path):
    from samples import ROOT

    result = run(KernelTree(ROOT / "clean-2.6.33"), Options())
    assert result.findings == []


def test_clean_2_6_16_tree_reports_nothing_on_any_arch(tmp_path):
    from samples import ROOT

    result = run(KernelTree(ROOT / "clean-2.6.16"), Options(min_severity="note", arches=None))
    assert result.findings == []
    # every SRCARCH checked, x86's two as themselves, with the labels of the merged tree
    assert result.abis == ["i386", "ia32", "sparc32", "x86_64"]
    assert result.arch_scope() == {"detected": ["i386", "sparc", "x86_64"],
                                   "checked": ["i386", "sparc", "x86_64"], "narrowed": False}


def test_seed_as_posted_reports_only_reachability(sample):
    result = run(KernelTree(sample("seed-as-posted")), Options())
    assert [(f.rule, f.path, f.line, f.severity) for f in result.findings] == [
        ("CKL501", "Makefile", 24, "error")]
    assert result.findings[0].symbol == "sys_checkpoint, sys_restart"


def test_one_kconfig_line_that_does_not_parse_is_one_error_and_no_cascade(sample):
    """``depends on CHECKPOINT_SUPPORT &&``: the parse goes on past it, the error is at
    that line, and nothing that depends on CHECKPOINT becomes a finding of its own."""
    result = run(KernelTree(sample("kconfig-syntax-error")), Options(min_severity="note"))
    assert [(f.rule, f.path, f.line) for f in result.findings if f.severity != "note"] == [
        ("CKL403", "checkpoint/Kconfig", 5)]
    [error] = [f for f in result.findings if f.rule == "CKL403"]
    assert error.message.endswith("malformed expression; checks that could not decide what "
                                  "depends on it: CKL404, CKL601, CKL602, CKL901")
    [(cause, checks)] = result.unevaluated
    assert (str(cause.loc), cause.refused, checks) == ("checkpoint/Kconfig:5", True,
                                                       ["CKL404", "CKL601", "CKL602", "CKL901"])


def test_naming_the_arch_keeps_a_prototype_finding_s_fingerprint(sample):
    """CKL201 began to name the arch where prototype and definition meet; baselines written
    before that still match (the arch is where it applies, not what it is)."""
    import hashlib

    [finding] = run(KernelTree(sample("arch-prototype-mismatch")), Options()).findings
    assert (finding.rule, finding.path, finding.line, finding.arch) == (
        "CKL201", "arch/x86/include/asm/syscalls.h", 5, "x86")
    before = "\x1f".join(("CKL201", finding.path, "", "sys_fork",
                          "the prototype has 2 parameters, the definition has 1"))
    assert finding.fingerprint == hashlib.sha256(before.encode()).hexdigest()[:32]
