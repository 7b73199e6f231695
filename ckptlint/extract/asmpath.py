"""Where an arch's ``<asm/NAME>`` header lives, in every 2.6-era layout.

The kernel compiles an arch with ``-I arch/$(hdr-arch)/include`` and, before
the per-arch header moves (2.6.24 to 2.6.30, one arch at a time), with the
``include/asm`` -> ``include/asm-$(ARCH)`` symlink; the top Makefile's
``hdr-arch`` maps an ARCH to the arch whose headers it uses
(``m68knommu`` -> ``m68k`` from 2.6.29, ``sparc64`` -> ``sparc`` in 2.6.27;
``KernelTree.header_arch``). So ``<asm/unistd.h>`` of m68knommu in 2.6.33 is
``arch/m68k/include/asm/unistd.h`` and of i386 in 2.6.16
``include/asm-i386/unistd.h``. Both places are tried, the newer first: the
top Makefile's own ``hdr-dir`` takes ``arch/$(hdr-arch)/include/asm`` when
it exists, ``include/asm-$(hdr-arch)`` otherwise.

During the powerpc merge (2.6.14-2.6.26) ARCH=ppc and ARCH=ppc64 also
compile with ``-Iarch/$(ARCH)/include``, whose ``asm`` their Makefile links
to ``include/asm-powerpc`` (``ln -fsn $(srctree)/include/asm-powerpc
arch/$(ARCH)/include/asm``): a header that ``include/asm-ppc/`` lacks, such
as 2.6.16's ``unistd.h``, comes from there.
"""

from __future__ import annotations

import re

from ckptlint.tree import KernelTree

# The arch Makefile's link of arch/$(ARCH)/include/asm to another include/asm-X.
_ASM_LINK = re.compile(r"\bln\s+-fsn\s+\$\(srctree\)/include/asm-(\w+)\s+arch/\$\(ARCH\)/include/asm\b")


def asm_header_candidates(tree: KernelTree, arch: str, name: str) -> tuple[str, str]:
    """The two places ``<asm/name>`` of ``arch`` can be: newer layout first."""
    hdr = tree.header_arch(arch)
    return f"arch/{hdr}/include/asm/{name}", f"include/asm-{hdr}/{name}"


def linked_asm_dir(tree: KernelTree, arch: str) -> str | None:
    """The ``include/asm-X`` an arch Makefile links ``arch/$(ARCH)/include/asm`` to, if any."""
    linked = _ASM_LINK.search(tree.read_text(f"arch/{arch}/Makefile") or "")
    return f"include/asm-{linked.group(1)}" if linked and tree.is_dir(f"include/asm-{linked.group(1)}") \
        else None


def asm_header(tree: KernelTree, arch: str, name: str) -> str:
    """Path of ``<asm/name>`` as ``arch`` compiles it.

    When no place holds the file the newer path is returned, so that a
    reader finds nothing there and a message names where it was looked for.
    """
    newer, older = asm_header_candidates(tree, arch, name)
    if tree.is_file(newer):
        return newer
    if tree.is_file(older):
        return older
    if not tree.is_dir(older.rsplit("/", 1)[0]):
        return newer  # no include/asm-<arch>/ (every tree from 2.6.31 on): no link either
    linked = _ASM_LINK.search(tree.read_text(f"arch/{arch}/Makefile") or "")
    if linked and tree.is_file(path := f"include/asm-{linked.group(1)}/{name}"):
        return path
    return newer
