"""``__ARCH_*`` macros of an arch's own asm headers, in every era's header layout."""

from __future__ import annotations

from ckptlint.extract.archmacros import arch_macros, generic_macros, resolve
from ckptlint.tree import KernelTree


def tree_of(tmp_path, files: dict[str, str]) -> KernelTree:
    for rel, text in {"Makefile": "", "arch/ia64/Kconfig": "", "arch/x86/Kconfig": "", **files}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return KernelTree(tmp_path)


def test_2_6_24_headers_under_include_asm_arch_are_read(tmp_path):
    tree = tree_of(tmp_path, {
        "include/asm-ia64/ptrace.h": "#ifdef __KERNEL__\n#define __ARCH_SYS_PTRACE\t1\n#endif\n",
        "include/asm-ia64/unistd.h": "#define __ARCH_WANT_SYS_RT_SIGACTION\n",
        "include/asm-x86/unistd.h": '#ifdef CONFIG_X86_32\n# include "unistd_32.h"\n#endif\n',
        "include/asm-x86/unistd_32.h": "#define __ARCH_WANT_SYS_TIME\n",
    })
    assert arch_macros(tree, "ia64") == {"__ARCH_SYS_PTRACE": "((y))",  # under __KERNEL__
                                         "__ARCH_WANT_SYS_RT_SIGACTION": "y"}
    assert arch_macros(tree, "x86") == {"__ARCH_WANT_SYS_TIME": "((X86_32)) && (y)"}


def test_a_name_a_generic_header_defines_is_left_to_either_branch(tmp_path):
    tree = tree_of(tmp_path, {
        "arch/x86/include/uapi/asm/signal.h": "#define __ARCH_HAS_SA_RESTORER\n",
        "include/uapi/asm-generic/signal.h": "#define __ARCH_HAS_SA_RESTORER\n",
        "include/asm-ia64/ptrace.h": "#define __ARCH_SYS_PTRACE 1\n",
    })
    generic = generic_macros(tree)
    assert generic == frozenset({"__ARCH_HAS_SA_RESTORER"})
    x86, ia64 = arch_macros(tree, "x86"), arch_macros(tree, "ia64")
    assert resolve("!(__ARCH_SYS_PTRACE)", ia64, generic) == "!((y))"
    assert resolve("!(__ARCH_SYS_PTRACE)", x86, generic) == "!(n)"
    assert resolve("(__ARCH_HAS_SA_RESTORER)", x86, generic) == "((y))"
    assert resolve("(__ARCH_HAS_SA_RESTORER) && (A)", ia64, generic) == "y"
