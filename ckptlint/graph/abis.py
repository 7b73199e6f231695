"""Syscall ABIs: which arch's Kconfig and Kbuild decide what an ABI's table builds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Abi:
    """A syscall table's ABI: ``label`` as shown, ``srcarch`` and Kconfig arch label."""

    label: str
    srcarch: str
    kconfig_arch: str
    path: str = ""

    @property
    def condition(self) -> str:
        """Kconfig expression under which its Kconfig arch builds this ABI's table.

        A label not in PRESENCE that ends in a bitness (``-64``/``64``, ``-32``/``32``,
        as the .tbl views of an arch that builds both kernels are named) is built
        by that kernel only.
        """
        known = PRESENCE.get(self.label)
        if known is not None:
            return known
        if self.label != self.srcarch and self.label.endswith("64"):
            return "64BIT"
        if self.label != self.srcarch and self.label.endswith("32") and not self.is_compat_view:
            return "!64BIT"
        return "y"

    @property
    def is_compat_view(self) -> bool:
        """A compat ABI read from a table's compat column (arm64-compat, s390-compat)."""
        return self.label.endswith("-compat") or self.label == "ia32"

    @property
    def is_view(self) -> bool:
        """An ABI whose table is another's with substitutions (um's: ``ckptlint.extract.um``)."""
        return self.label in VIEWS

    def inherits(self, loc) -> bool:
        """Whether a slot of this ABI is its host's, unchanged (located in the host's file)."""
        return self.is_view and loc.path != self.path

    @property
    def is_secondary(self) -> bool:
        """A compat or alternate ABI (x32, ia32, SPU, *-compat, mips n32) of its arch."""
        return self.label in SECONDARY or self.label.endswith("-compat")


#: ABIs that view a host's table (ARCH=um runs i386's or x86_64's).
VIEWS = frozenset({"um-i386", "um-x86_64"})

#: ABIs that ride along a native one; the reference comparison skips them, as
#: the kernel's scripts/checksyscalls.sh only ever checked an arch's native list.
SECONDARY = frozenset({"x32", "ia32", "spu", "mips-n32", "arm-oabi"}) | VIEWS

#: When an ABI's table is built within its Kconfig arch (the arch Makefiles and
#: entry code choose them; ABIs not listed are always built). Facts from the
#: 6.x trees' entry Makefiles; older symbol names are or'ed in.
PRESENCE = {
    "x32": "X86_X32_ABI || X86_X32",
    "ia32": "IA32_EMULATION",
    "ppc32": "!PPC64",
    "ppc32-compat": "PPC64 && COMPAT",
    "ppc64": "PPC64",
    "spu": "SPU_BASE && PPC64",
    "mips-o32": "32BIT",
    "mips-o32-compat": "64BIT && MIPS32_O32",
    "mips64-o32": "64BIT && MIPS32_O32",
    "mips-n32": "MIPS32_N32",
    "mips-n64": "64BIT",
    "s390": "!64BIT",
    "s390x": "64BIT",
    "s390-compat": "COMPAT",
    "arm64-compat": "COMPAT",
    "arm-oabi": "OABI_COMPAT || !AEABI",
    "sparc32": "!64BIT",
    "sparc32-compat": "64BIT && COMPAT",
    "parisc-32": "!64BIT",
    "parisc-32-compat": "64BIT && COMPAT",
    "parisc-64": "64BIT",
    "parisc": "!64BIT",
    "parisc64": "64BIT",
    "sh64": "SUPERH64",
    "riscv32": "32BIT",
    "loongarch": "64BIT",
    "loongarch32": "32BIT",
    "riscv32-compat": "64BIT && COMPAT",
    "riscv64": "64BIT",
    "um-i386": "!64BIT",
    "um-x86_64": "64BIT",
}

#: ABIs known for 2.6-era x86; later eras extend this table.
KNOWN_ABIS = {
    "i386": Abi("i386", "x86", "i386"),
    "x86_64": Abi("x86_64", "x86", "x86_64"),
}


#: SRCARCHes that are halves of one arch before their merges (i386/x86_64 until 2.6.24,
#: sparc64 until 2.6.28, ppc/ppc64 beside powerpc, sh64 until 2.6.25, m68knommu).
FAMILY = {"i386": "x86", "x86_64": "x86", "sparc64": "sparc", "ppc": "powerpc", "ppc64": "powerpc",
          "sh64": "sh", "m68knommu": "m68k"}


def family(srcarch: str) -> str:
    """The arch a SRCARCH belongs to once merged (itself for most)."""
    return FAMILY.get(srcarch, srcarch)


def abi(label: str) -> Abi:
    """The Abi for a label; unknown labels are their own srcarch and Kconfig arch."""
    return KNOWN_ABIS.get(label) or Abi(label, label, label)
