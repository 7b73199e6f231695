"""Findings that several ABIs report at one place are one finding."""

from __future__ import annotations


def test_a_finding_every_abi_of_a_row_reports_names_them_all():
    """A common row of syscall_64.tbl is wrong for x86_64 and x32: one finding, both named."""
    from ckptlint.engine.run import merge_arches
    from ckptlint.findings import Finding

    def make(arch, fingerprint):
        return Finding("arch/x86/entry/syscalls/syscall_64.tbl", 12, "CKL103", "undefined-table-entry",
                       "error", "sys_frob is not defined", arch=arch, fingerprint=fingerprint)
    merged = merge_arches([make("x86_64", "a"), make("x32", "b"), make("x86_64", "c")])
    assert [(f.arch, f.fingerprint) for f in merged] == [("x32, x86_64", "a")]
