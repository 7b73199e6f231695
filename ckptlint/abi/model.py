"""What a syscall argument is to userspace: pointer or value, width, signedness.

Built on :func:`ckptlint.abi.types.abi_type` (the typedef resolution the
prototype check uses) with a width model per ABI word size: ``int`` is 32-bit
signed everywhere, ``long`` and ``unsigned long`` (and so ``size_t``,
``off_t``) are word-sized, ``long long`` is 64-bit, a pointer is a word. A
type the model cannot place (a ``struct`` by value, an ``enum``, plain
``char``, an arch-dependent typedef such as ``mode_t``) has no shape, and a
comparison that meets one derives nothing from it.

The word size is the one the kernel function that the table entry calls is
built with: 64 for a 64-bit kernel's native, compat and x32 tables, 32 for a
32-bit kernel's tables; None when the ABI's label does not say.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ckptlint.abi.types import abi_type


@dataclass(frozen=True)
class Shape:
    """An argument as the syscall entry reads it from a register."""

    kind: str  # "pointer" or "value"
    bits: int
    signed: bool

    def __str__(self) -> str:
        if self.kind == "pointer":
            return f"{self.bits}-bit pointer"
        return f"{self.bits}-bit {'signed' if self.signed else 'unsigned'}"


#: Typedefs abitypes leaves alone whose underlying type is the same on every arch.
_MORE = {
    "uintptr_t": "unsigned long", "key_t": "int", "__kernel_key_t": "int",
    "__kernel_old_time_t": "long", "old_time32_t": "int", "compat_ssize_t": "int",
    "compat_loff_t": "long long", "compat_aio_context_t": "unsigned int",
    "compat_old_sigset_t": "unsigned int", "compat_clock_t": "int", "compat_time_t": "int",
    "compat_key_t": "int", "compat_timer_t": "int", "compat_s64": "long long",
    "compat_u64": "unsigned long long", "bool": "_Bool", "__kernel_ulong_t": "unsigned long",
    "__kernel_long_t": "long", "time64_t": "long long", "__le32": "unsigned int",
    "__be32": "unsigned int", "compat_caddr_t": "unsigned int",
}
#: Typedefs of pointer types.
_POINTERS = frozenset({"cap_user_header_t", "cap_user_data_t", "__sighandler_t",
                       "sighandler_t", "__user_cap_header_struct", "caddr_t"})

#: Value spellings after resolution: (bits, or "word"; signed).
_VALUES = {
    "signed char": (8, True), "unsigned char": (8, False), "_Bool": (8, False),
    "short": (16, True), "short int": (16, True), "signed short": (16, True),
    "unsigned short": (16, False), "unsigned short int": (16, False),
    "int": (32, True), "signed": (32, True), "signed int": (32, True),
    "unsigned": (32, False), "unsigned int": (32, False),
    "long": ("word", True), "long int": ("word", True), "signed long": ("word", True),
    "unsigned long": ("word", False), "unsigned long int": ("word", False),
    "long long": (64, True), "long long int": (64, True), "signed long long": (64, True),
    "unsigned long long": (64, False), "unsigned long long int": (64, False),
}


@lru_cache(maxsize=16384)
def resolved(spelling: str) -> str:
    """``abi_type`` plus the typedefs this model adds (a pure function of the spelling:
    a diff of two 6.12 snapshots asks it 138,000 times of a few hundred spellings)."""
    words = abi_type(spelling).split(" ")
    return abi_type(" ".join(_MORE.get(w, w) for w in words))


def shape(spelling: str, word: int | None) -> Shape | None:
    """The argument's shape on an ABI of ``word`` bits, or None when it cannot be known."""
    text = resolved(spelling)
    if "*" in text or "[" in text or text in _POINTERS:
        return Shape("pointer", word, False) if word else None
    known = _VALUES.get(text)
    if known is None:
        return None
    bits, signed = known
    if bits == "word":
        if word is None:
            return None
        bits = word
    return Shape("value", bits, signed)


#: ABI labels of 64-bit kernels that are not spelled with a 64 in them.
_WORD64 = frozenset({"alpha", "ia64", "x32", "loongarch", "mips-n32", "sparc64", "ia32",
                     "mips64-o32", "s390x", "spu"})
#: ABI labels of 32-bit kernels.
_WORD32 = frozenset({"arc", "arm", "arm-oabi", "avr32", "blackfin", "c6x", "cris", "crisv32",
                     "csky", "frv", "h8300", "hexagon", "i386", "m32r", "m68k", "m68knommu",
                     "microblaze", "mn10300", "nios2", "openrisc", "score", "sh", "unicore32",
                     "xtensa", "mips-o32", "ppc32", "sparc32", "s390", "parisc", "parisc-32",
                     "riscv32", "loongarch32", "v850", "arm26", "ppc", "um-i386"})


def word_bits(label: str) -> int | None:
    """The word size of the kernel that builds an ABI's table (None: unknown)."""
    if label in _WORD64 or label.endswith("-compat"):
        return 64
    if label in _WORD32:
        return 32
    if label.endswith("64") and label not in ("sh64",):
        return 64
    return None
