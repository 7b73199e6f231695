"""CKL702 on the generic tools/ copy that several arches' copies include."""

from __future__ import annotations

from treeutil import make_tree

from ckptlint.engine.options import Options
from ckptlint.engine.run import run
from ckptlint.tree import KernelTree

GENERIC_ARCH = {
    "Kconfig": "",
    "kernel/Makefile.syscalls": "syscall_abis_32 +=\n",
    "include/asm/Kbuild": "syscall-y += syscall_table_32.h\n",
    "include/uapi/asm/unistd.h": "",
}


def _tree(tmp_path):
    files = {"Makefile": "VERSION = 6\nPATCHLEVEL = 12\n",
             "scripts/syscall.tbl": "0\tcommon\tio_setup\tsys_io_setup\n1\tcommon\tio_destroy\tsys_io_destroy\n",
             "tools/include/uapi/asm-generic/unistd.h": (
                 "#define __NR_io_setup 0\n#define __NR_io_destroy 1\n#define __NR_mseal 2\n")}
    for arch in ("bar", "foo"):
        files.update({f"arch/{arch}/{rel}": text for rel, text in GENERIC_ARCH.items()})
        files[f"tools/arch/{arch}/include/uapi/asm/unistd.h"] = "#include <asm-generic/unistd.h>\n"
    return make_tree(tmp_path, files)


def test_a_row_the_generic_copy_has_and_the_kernel_lacks_is_one_finding(tmp_path):
    """Dropping mseal from scripts/syscall.tbl made every generic arch's copy report the
    generic copy's line again; it is one finding naming every ABI."""
    findings = run(_tree(tmp_path), Options(select={"CKL702"})).findings
    assert [(f.rule, f.path, f.line, f.message) for f in findings] == [
        ("CKL702", "tools/include/uapi/asm-generic/unistd.h", 3,
         "tools/ copy has mseal (2) on bar, foo, which the kernel's syscall list does not")]


def test_a_new_generic_syscall_the_copy_lacks_is_one_finding_at_the_copy(tmp_path):
    """A syscall added to the kernel's generic list and not yet to tools/'s copy used to be
    one finding per arch header that includes the copy (4 on 6.1); the copy is the one
    file to refresh, so the finding is there, after the row it would follow."""
    tree = _tree(tmp_path)
    with open(tree.root / "scripts/syscall.tbl", "a") as handle:
        handle.write("2\tcommon\tmseal\tsys_mseal\n3\tcommon\tgetfoo\tsys_getfoo\n")
    findings = run(tree, Options(select={"CKL702"})).findings
    assert [(f.rule, f.path, f.line, f.message) for f in findings] == [
        ("CKL702", "tools/include/uapi/asm-generic/unistd.h", 3,
         "tools/ copy lacks what the kernel's syscall list has: getfoo (3) on bar, foo")]


def test_a_row_dropped_from_the_kernel_that_i386_has_is_left_to_ckl602(tmp_path):
    """mseal dropped from scripts/syscall.tbl while i386 numbers it: CKL602 reports the
    kernel's table one short; the tools/ copy that still has it is right."""
    tree = _tree(tmp_path)
    (tree.root / "arch/x86/entry/syscalls").mkdir(parents=True)
    (tree.root / "arch/x86/Kconfig").write_text("")
    (tree.root / "arch/x86/entry/syscalls/syscall_32.tbl").write_text(
        "0\ti386\tio_setup\tsys_io_setup\n1\ti386\tio_destroy\tsys_io_destroy\n2\ti386\tmseal\tsys_mseal\n")
    findings = run(KernelTree(tree.root), Options(select={"CKL702"})).findings
    assert [(f.rule, f.path, f.line) for f in findings] == []
