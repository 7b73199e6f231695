"""Facts extracted from a kernel tree: small frozen dataclasses with a Location."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """A place in the tree: tree-relative POSIX path and 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Param:
    """One parameter of a prototype or definition, with its type normalised."""

    type: str
    name: str | None = None


@dataclass(frozen=True)
class SyscallNumber:
    """``#define __NR_<name> <number>`` for one ABI."""

    abi: str
    name: str
    number: int
    loc: Location


@dataclass(frozen=True)
class SyscallCount:
    """``NR_syscalls`` (or ``__NR_syscalls``) for one ABI."""

    abi: str
    value: int
    loc: Location


@dataclass(frozen=True)
class TableEntry:
    """One slot of a syscall table.

    ``position`` is the syscall number the slot implements; ``entry`` is the
    symbol named there (``sys_read``, ``ptregs_fork``, ``sys_ni_syscall``) and
    ``syscall`` the syscall it maps to (None for a hole). ``nr_name`` is the
    ``__NR_`` name when the table says it explicitly (``__SYSCALL(__NR_x, e)``).
    """

    abi: str
    position: int
    entry: str
    syscall: str | None
    loc: Location
    nr_name: str | None = None
    compat: str | None = None


@dataclass
class AbiTable:
    """Everything one syscall ABI's sources say: numbers, table slots, count.

    ``label`` names the ABI as users see it (``i386``, ``x86_64``, ``x32``,
    ``arm``, ``arm64-compat``, ``mips-o32``, ``ppc64``, ``s390x``...);
    ``srcarch`` is its arch/ directory and ``kconfig_arch`` the Kconfig arch
    label (``ckptlint.kconfig.loader.arch_configs``) whose configuration builds
    it. ``kind`` says how positions are known: ``positional`` (the Nth
    ``.long``/``CALL()``/``SYSCALL()`` is number N), ``pairs``
    (``__SYSCALL(__NR_x, entry)`` after ``#define __NR_x``) or ``numbered``
    (a ``.tbl`` row carries its number).
    """

    label: str
    srcarch: str
    kconfig_arch: str
    kind: str
    path: str
    numbers: list[SyscallNumber] = field(default_factory=list)
    entries: list[TableEntry] = field(default_factory=list)
    count: SyscallCount | None = None
    ignored: dict[str, Location] = field(default_factory=dict)


@dataclass(frozen=True)
class Prototype:
    """A declaration ``asmlinkage long sys_x(...);`` in a header."""

    function: str
    params: tuple[Param, ...]
    loc: Location


@dataclass(frozen=True)
class Definition:
    """A syscall implementation.

    kind is ``SYSCALL_DEFINE`` (arity = n of SYSCALL_DEFINEn), ``asmlinkage``
    (an old-style C definition) or ``asm`` (an assembly entry label).
    """

    function: str
    kind: str
    params: tuple[Param, ...]
    loc: Location
    arity: int | None = None
    #: ``__weak`` (fs/pipe.c's generic sys_pipe before 2.6.28): an arch's own
    #: strong definition replaces it at link time
    weak: bool = False


@dataclass(frozen=True)
class CondSyscall:
    """``cond_syscall(sys_x)``: a weak fallback to sys_ni_syscall."""

    function: str
    loc: Location


@dataclass(frozen=True)
class ConfigRef:
    """A ``CONFIG_X`` reference in C, assembly or a Makefile."""

    symbol: str
    loc: Location


@dataclass(frozen=True)
class KbuildObject:
    """An object or directory named in a Makefile (``obj-$(CONFIG_X) += f.o d/``).

    ``path`` is tree-relative (``checkpoint/sys.o`` or ``checkpoint/``);
    ``condition`` is a Kconfig expression string under which it is built
    (``y`` when unconditional, ``n`` when never); ``loc`` is the Makefile line.
    """

    path: str
    condition: str
    loc: Location
    is_dir: bool = False


@dataclass(frozen=True)
class NoDotConfigPattern:
    """One pattern of the top Makefile's ``no-dot-config-targets``."""

    pattern: str
    loc: Location


@dataclass(frozen=True)
class TreeNote:
    """Something the reader could not use: an escaping symlink, a huge file, ..."""

    message: str
    loc: Location
    kind: str = "unreadable"
    extra: tuple[str, ...] = field(default=())


def printable(text: str) -> str:
    """``text`` with every non-printable character (newline, escape, bidi control,
    undecodable byte) written as a Python escape, so that no tree-derived string
    can forge a line or restyle a terminal in any output format."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in text)
