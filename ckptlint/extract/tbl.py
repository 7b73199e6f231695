"""Modern ``syscall*.tbl`` tables: one AbiTable per ABI an arch builds from them.

Which rows make up an ABI is read statically from the Makefiles that run
``scripts/syscalltbl.sh`` (``--abis common,64``, ``abis := i386``, a ``%``
stem such as ``calls-%.S`` with ``--abis common,$*``), or, for arches with
``arch/<a>/kernel/Makefile.syscalls`` (6.11+), from ``scripts/Makefile.asm-headers``
plus that file's ``syscall_abis_32/64`` and ``syscalltbl`` lines. When an
arch's Makefile cannot be understood, ``DEFAULT_VIEWS`` (below) says what
the kernel of the 6.x era builds; an arch unknown to it gets one ABI per
``.tbl`` file holding every row.

``position`` and the ``SyscallNumber`` are the row's own number: offsets the
build adds (x32's ``__X32_SYSCALL_BIT``, arm's ``__NR_SYSCALL_BASE``, mips'
``__NR_Linux``) are not applied. A ``-`` in the native column (s390) leaves
``entry`` empty and makes the slot a hole. A compat view (``COMPAT_VIEWS``,
and the 64-bit kernel's reading of a 32-bit table, ``COMPAT_OF``) runs the
compat column where a row has one, so that column is its ``entry``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from ckptlint.extract import tbloverride
from ckptlint.extract.cexpr import c_integer
from ckptlint.facts import AbiTable, Location, SyscallNumber, TableEntry
from ckptlint.naming import entry_syscall
from ckptlint.tree import KernelTree
from ckptlint.treewalk import SKIP_DIRS

LOG = logging.getLogger(__name__)

#: (srcarch, key) -> (label, Kconfig arch label). ``key`` is what tells an
#: arch's views apart: a ``%`` stem, or the tail of the generated file name.
LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("x86", "32"): ("i386", "i386"), ("x86", "64"): ("x86_64", "x86_64"),
    ("x86", "x32"): ("x32", "x86_64"),
    ("arm", "eabi"): ("arm", "arm"), ("arm", "oabi"): ("arm-oabi", "arm"),
    ("arm64", "64"): ("arm64", "arm64"), ("arm64", "32"): ("arm64-compat", "arm64"),
    ("mips", "o32"): ("mips-o32", "mips"), ("mips", "n32"): ("mips-n32", "mips"),
    ("mips", "n64"): ("mips-n64", "mips"),
    ("powerpc", "32"): ("ppc32", "powerpc"), ("powerpc", "64"): ("ppc64", "powerpc"),
    ("powerpc", "spu"): ("spu", "powerpc"),
    ("s390", "64"): ("s390x", "s390"), ("s390", "32"): ("s390-compat", "s390"),
    # 7.x s390 has no compat ABI left: one table of "common" rows, the 64-bit one
    ("s390", ""): ("s390x", "s390"),
    ("mips", "32_o32"): ("mips-o32", "mips"), ("mips", "64_n32"): ("mips-n32", "mips"),
    ("mips", "64_n64"): ("mips-n64", "mips"),  # 4.18-5.11 table names
    ("sparc", "32"): ("sparc32", "sparc"), ("sparc", "64"): ("sparc64", "sparc64"),
    ("riscv", "64"): ("riscv64", "riscv"), ("riscv", "32"): ("riscv32", "riscv"),
    # 7.x LoongArch also builds a 32-bit kernel; the 64-bit ABI keeps its 6.x name
    ("loongarch", "64"): ("loongarch", "loongarch"), ("loongarch", "32"): ("loongarch32", "loongarch"),
}

#: Views whose kernel runs the compat column (the native one may be ``-``).
COMPAT_VIEWS = frozenset({"arm64-compat", "s390-compat"})

#: A 32-bit table that a 64-bit kernel of the same arch also builds, running
#: its compat column: native label -> (compat label, Kconfig arch label). The
#: native view is then the 32-bit kernel's alone (abis.PRESENCE says when).
#: Facts from the entry code of 6.x: x86 entry/syscall_32.c for ia32,
#: powerpc's compat_sys_call_table, mips scall64-o32.S, parisc's
#: compat table, sparc systbls_64.S, riscv compat_syscall_table.c.
COMPAT_OF: dict[str, tuple[str, str]] = {
    "i386": ("ia32", "x86_64"),
    "ppc32": ("ppc32-compat", "powerpc"),
    "mips-o32": ("mips-o32-compat", "mips"),
    "parisc-32": ("parisc-32-compat", "parisc"),
    "sparc32": ("sparc32-compat", "sparc64"),
    "riscv32": ("riscv32-compat", "riscv"),
}

#: Fallback when an arch's Makefile yields nothing: srcarch -> (key, .tbl
#: file name, ABIs or None for every row), as 6.1/6.12 build them.
DEFAULT_VIEWS: dict[str, tuple[tuple[str, str, frozenset[str] | None], ...]] = {
    "x86": (("32", "syscall_32.tbl", frozenset({"i386"})),
            ("64", "syscall_64.tbl", frozenset({"common", "64"})),
            ("x32", "syscall_64.tbl", frozenset({"common", "x32"}))),
    "arm": (("eabi", "syscall.tbl", frozenset({"common", "eabi"})),
            ("oabi", "syscall.tbl", frozenset({"common", "oabi"}))),
    "mips": (("o32", "syscall_o32.tbl", None), ("n32", "syscall_n32.tbl", None),
             ("n64", "syscall_n64.tbl", None)),
    "powerpc": (("32", "syscall.tbl", frozenset({"common", "nospu", "32"})),
                ("64", "syscall.tbl", frozenset({"common", "nospu", "64"})),
                ("spu", "syscall.tbl", frozenset({"common", "spu"}))),
    "s390": (("64", "syscall.tbl", frozenset({"common", "64"})),
             ("32", "syscall.tbl", frozenset({"common", "32"}))),
    "sparc": (("32", "syscall.tbl", frozenset({"common", "32"})),
              ("64", "syscall.tbl", frozenset({"common", "64"}))),
    "parisc": (("32", "syscall.tbl", frozenset({"common", "32"})),
               ("64", "syscall.tbl", frozenset({"common", "64"}))),
}

# A row: number, ABI, name, then optional native and compat entries; a
# trailing "noreturn" (6.x x86) is a sixth column and is ignored.
_ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?")
_VAR = re.compile(r"^([A-Za-z_][\w-]*)\s*[:+?]?=\s*(.*)$")
# "target: var := value" (target-specific); a rule line "target: prereqs"
# never has a "word :=" right after its colon.
_TARGET_VAR = re.compile(r"^([^\s:=#]+)\s*:\s*([A-Za-z_]\w*)\s*[:+?]?=\s*(.*)$")
_RULE = re.compile(r"^([^\s:=#]+)\s*:(?!=)\s*(.*)$")
_CMD_SYSTBL = re.compile(r"^\s*cmd_systbl\s*=\s*(.*)$", re.M)
_ABIS_ARG = re.compile(r"--abis\s+(\S+)")
# s390: per-header ABI lists (syshdr_abi_unistd_32 := common,32); sysnr_abi_*
# lists every ABI for a range check and is not a view, hence "syshdr" only.
_SYSHDR_ABI = re.compile(r"^syshdr_abis?_unistd_(\w+)\s*:?=\s*(\S+)", re.M)
# Generated-file names whose tail is the view key; "syscall_table" alone
# (alpha, sh...) leaves the key empty.
_KEY = re.compile(r"^(?:syscall_table|syscalls|calls|unistd)(?:[_-](\w+))?$")
_ASM_ABIS = re.compile(r"^syscall_abis_(\d+)\s*[:+]?=[ \t]*(.*)$", re.M)
_ASM_TBL = re.compile(r"^syscalltbl\s*:?=\s*(\S+)", re.M)
_KBUILD_TABLE = re.compile(r"^\s*syscall-y\s*[:+]?=\s*syscall_table_(\w+)\.h", re.M)


@dataclass(frozen=True)
class View:
    """One ABI's rows of a .tbl file: ``abis`` None means every row."""

    key: str
    path: str
    abis: frozenset[str] | None


@dataclass(frozen=True)
class Row:
    """One parsed ``.tbl`` line."""

    nr: int
    abi: str
    name: str
    entry: str
    compat: str | None
    line: int
    #: What the kernel's ``while read nr abi name native compat noreturn`` gives the
    #: columns after the name, verbatim: a comment after a row and a carriage return
    #: are not stripped there (``scripts/syscalltbl.sh``; see CKL112).
    native_field: str = ""
    compat_field: str = ""
    tail: str = ""


#: The projection (``KernelTree.project``) that :func:`parse_rows` is.
ROWS = "tbl rows"


def parse_rows(tree: KernelTree, path: str) -> list[Row]:
    """Rows of a ``.tbl`` file, comments and blank lines dropped."""
    return tree.project(ROWS, path, lambda: _rows(tree, path))


def _rows(tree: KernelTree, path: str) -> list[Row]:
    rows = []
    data = tree.read_bytes(path) if path else None  # the text has CRLF made LF: the shell keeps CR
    crs = {n for n, line in enumerate(data.split(b"\n"), start=1) if line.endswith(b"\r")} \
        if data and b"\r" in data else set()
    for lineno, raw in enumerate(tree.lines(path), start=1):
        match = _ROW.match(raw.split("#", 1)[0])
        if not match:
            continue
        nr, abi, name, entry, compat = match.groups()
        number = c_integer(nr)  # as the C header the scripts write it into reads it
        if number is None:  # 08, non-ASCII digits, a number of 40 digits and more
            continue
        native_field, compat_field, tail = _read_fields(raw + "\r" if lineno in crs else raw)
        rows.append(Row(number, abi, name, "" if entry in (None, "-") else entry,
                        None if compat in (None, "-") else compat, lineno,
                        native_field, compat_field, tail))
    return rows


#: A field as the shell's ``read`` splits a line (IFS: space, tab, newline; a carriage
#: return is part of a field).
_SHELL_FIELD = re.compile(r"[^ \t\n]+")


def _read_fields(raw: str) -> tuple[str, str, str]:
    """(native, compat, rest) as ``read nr abi name native compat rest`` assigns them:
    the rest is everything after the fifth field, inner blanks kept."""
    fields = list(_SHELL_FIELD.finditer(raw))
    native = fields[3].group() if len(fields) > 3 else ""
    compat = fields[4].group() if len(fields) > 4 else ""
    tail = raw[fields[5].start():].rstrip(" \t\n") if len(fields) > 5 else ""
    return native, compat, tail


def _abis(text: str | None) -> frozenset[str] | None:
    """``common,64`` -> {"common", "64"}; None stays None (every row)."""
    return None if text is None else frozenset(w for w in re.split(r"[,\s]+", text) if w)


def _logical(text: str) -> list[str]:
    """Makefile lines with continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    return [line.split("#", 1)[0].rstrip() for line in joined.split("\n")]


def _resolve(word: str, directory: str, variables: dict[str, str]) -> str:
    """A Makefile path word as a tree path: $(srctree)/, $(src) and plain vars expanded."""
    for _ in range(4):
        word = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0))
                      if m.group(1) not in ("src", "srctree", "obj") else m.group(0), word)
    word = word.replace("$(srctree)/", "").replace("$(src)", directory).replace("$(obj)", directory)
    return str(PurePosixPath(word))


def makefile_views(tree: KernelTree, directory: str) -> list[View]:
    """Views built by ``<directory>/Makefile`` from its .tbl files (empty if not understood)."""
    text = tree.read_text(f"{directory}/Makefile")
    if text is None:
        return []
    lines = _logical(text)
    variables: dict[str, str] = {}
    per_target: dict[str, dict[str, str]] = {}
    rules: list[tuple[str, str]] = []
    for line in lines:
        if m := _TARGET_VAR.match(line):
            per_target.setdefault(PurePosixPath(m.group(1)).name, {})[m.group(2)] = m.group(3).strip()
        elif m := _VAR.match(line):
            variables[m.group(1)] = m.group(2).strip()
        elif (m := _RULE.match(line)) and "$(systbl)" in m.group(2):
            rules.append((m.group(1), m.group(2)))
    cmd = _CMD_SYSTBL.search("\n".join(lines))
    abis_arg = None
    if cmd and (a := _ABIS_ARG.search(cmd.group(1))):
        abis_arg = a.group(1)
    elif cmd and "$(systbl_abis_$(basetarget))" in cmd.group(1):
        abis_arg = _PER_TARGET_LIST  # 4.18-5.11: systbl_abis_<target> := common,nospu,32
    elif cmd and "$(systbl_abi_$(basetarget))" in cmd.group(1):
        abis_arg = _PER_TARGET_TAG  # arm 4.x/5.x: systbl_abi_calls-oabi := common,oabi
    views = [v for target, prereqs in rules
             for v in _rule_views(text, directory, variables, per_target, target, prereqs, abis_arg)]
    if abis_arg == _PER_TARGET_LIST:
        views = _without_compat_tags(tree, directory, variables, views)
    elif abis_arg is None and views and _abi_macros(tree, directory, variables):
        views = []  # x86 3.3-5.11: one __SYSCALL_<ABI>() per row, the C file picks: defaults
    if not views and "syscall" in variables:
        tbl = _resolve(variables["syscall"], directory, variables)
        views = [View(key, tbl, _abis(abis)) for key, abis in _SYSHDR_ABI.findall("\n".join(lines))]
    return views


def _rule_views(text: str, directory: str, variables: dict[str, str],
                per_target: dict[str, dict[str, str]], target: str, prereqs: str,
                abis_arg: str | None) -> list[View]:
    """The views one ``target: <tbl> $(systbl)`` rule builds (several for a ``%`` rule)."""
    tbl_word = next((w for w in prereqs.split() if w.endswith(".tbl") or
                     _resolve(w, directory, variables).endswith(".tbl")), None)
    if tbl_word is None:
        return []
    base = PurePosixPath(target).name
    if "%" in base:
        pattern = re.compile(r"(?<![\w-])" + re.escape(base).replace("%", r"(\w+)") + r"(?!\w)")
        stems = list(dict.fromkeys(pattern.findall(text)))
        names = [(stem, base.replace("%", stem)) for stem in stems]
    else:
        names = [(None, base)]
    views = []
    for stem, name in names:
        key_match = _KEY.match(name.rsplit(".", 1)[0])
        key = stem if stem is not None else (key_match.group(1) or "" if key_match else "")
        arg = abis_arg
        basetarget = name.rsplit(".", 1)[0]
        if arg == _PER_TARGET_LIST:
            arg = variables.get(f"systbl_abis_{basetarget}") or None
        elif arg == _PER_TARGET_TAG:
            arg = variables.get(f"systbl_abi_{basetarget}") or None
        elif arg is not None and "$(abis)" in arg:
            arg = per_target.get(name, {}).get("abis", variables.get("abis"))
        if arg is not None and stem is not None:
            arg = arg.replace("$*", stem)
        tbl = _resolve(tbl_word.replace("%", stem or "%"), directory, variables)
        views.append(View(key, tbl, _abis(arg)))
    return views


#: Markers for where a 4.18-5.11 Makefile keeps each target's ABI list.
_PER_TARGET_LIST = "<systbl_abis_$(basetarget)>"
_PER_TARGET_TAG = "<systbl_abi_$(basetarget)>"
#: ``if [ "$my_abi" = "c32" ] && [ ! -z "$compat" ]``: the tag whose table runs the compat column.
_COMPAT_TAG = re.compile(r'"\$my_abi"\s*=\s*"([\w-]+)"\s*\]\s*&&\s*\[\s*!\s*-z\s*"\$compat"')
_ABI_MACRO = re.compile(r"__SYSCALL_\$\{?abi\}?")


def _script(tree: KernelTree, directory: str, variables: dict[str, str]) -> str:
    """The text of the table script a syscall Makefile runs (``$(systbl)``)."""
    word = variables.get("systbl")
    return (tree.read_text(_resolve(word, directory, variables)) or "") if word else ""


def _without_compat_tags(tree: KernelTree, directory: str, variables: dict[str, str],
                         views: list[View]) -> list[View]:
    """4.18-5.11 views minus those whose tag makes the script run the compat column
    (powerpc/sparc/parisc ``c32``, mips ``64_o32``): the 64-bit kernel's reading of the
    32-bit table, which ``COMPAT_OF`` derives from the native view like 6.x's."""
    tags = set(_COMPAT_TAG.findall(_script(tree, directory, variables)))
    if not tags:
        return views
    out = []
    for view in views:
        target = next((t for t in tags if view.key == t or view.key.endswith("_" + t)), None)
        if target is None:
            out.append(view)
    return out


def _abi_macros(tree: KernelTree, directory: str, variables: dict[str, str]) -> bool:
    """Whether the table script writes one ``__SYSCALL_<ABI>()`` per row, leaving the
    choice of rows to the C file that includes it (x86 3.3-5.11)."""
    return bool(_ABI_MACRO.search(_script(tree, directory, variables)))


def asm_header_views(tree: KernelTree, srcarch: str) -> list[View]:
    """Views of a 6.11+ arch that lists its ABIs in ``kernel/Makefile.syscalls``."""
    base = tree.read_text("scripts/Makefile.asm-headers") or ""
    own = tree.read_text(f"arch/{srcarch}/kernel/Makefile.syscalls") or ""
    abis: dict[str, set[str]] = {"32": {"common", "32"}, "64": {"common", "64"}}
    table = "scripts/syscall.tbl"
    mentioned: list[str] = []
    for text, is_arch in ((base, False), (own, True)):
        body = "\n".join(_logical(text))
        for bits, words in _ASM_ABIS.findall(body):
            abis.setdefault(bits, set()).update(w for w in re.split(r"[,\s]+", words) if w)
            if is_arch and bits not in mentioned:
                mentioned.append(bits)
        if m := _ASM_TBL.search(body):
            table = m.group(1).replace("$(srctree)/", "")
    kbuild = "\n".join(tree.read_text(f"arch/{srcarch}/include/{d}Kbuild") or ""
                       for d in ("asm/", "uapi/asm/"))
    stems = list(dict.fromkeys(_KBUILD_TABLE.findall(kbuild))) or mentioned
    return [View(stem, table.replace("%", stem), frozenset(abis.get(stem, {"common", stem})))
            for stem in stems]


def default_views(srcarch: str, tbls: list[str]) -> list[View]:
    """Views from ``DEFAULT_VIEWS``, or one all-rows view per .tbl of an unknown arch."""
    by_name = {PurePosixPath(p).name: p for p in tbls}
    known = DEFAULT_VIEWS.get(srcarch, ())
    views = [View(key, by_name[name], abis) for key, name, abis in known if name in by_name]
    if views:
        return views
    out = []
    for path in tbls:
        stem = PurePosixPath(path).stem
        out.append(View(stem[len("syscall_"):] if stem.startswith("syscall_") else "", path, None))
    return out


def arch_views(tree: KernelTree, srcarch: str, tbls: list[str]) -> list[View]:
    """Every view an arch builds, from its Makefiles or, failing that, the defaults."""
    if tree.is_file(f"arch/{srcarch}/kernel/Makefile.syscalls"):
        views = asm_header_views(tree, srcarch)
        if views:
            return views
    views = []
    for directory in sorted({str(PurePosixPath(p).parent) for p in tbls}):
        views.extend(makefile_views(tree, directory))
    views = [v for v in views if tree.is_file(v.path)]
    if not views:
        LOG.debug("%s: syscall Makefile not understood; using default views", srcarch)
        views = default_views(srcarch, tbls)
    return views


def label_for(srcarch: str, key: str, keys: list[str]) -> tuple[str, str]:
    """(label, Kconfig arch) of one view among an arch's view keys."""
    if (srcarch, key) in LABELS:
        return LABELS[srcarch, key]
    if not key or len(set(keys)) < 2:
        return srcarch, srcarch
    return f"{srcarch}-{key}", srcarch


_COMPAT_LABELS = frozenset(label for label, _ in COMPAT_OF.values())


@lru_cache(maxsize=4096)
def _syscall(entry: str) -> str | None:
    """entry_syscall, memoised: the same entries recur in every view of a file."""
    return entry_syscall(entry) if entry else None


def build_table(srcarch: str, view: View, rows: list[Row], label: str, kconfig: str,
                overrides=None, edited: str | None = None) -> AbiTable:
    """The AbiTable of one view over a file's parsed rows, with the arch's own renames
    of a shared table applied (``ckptlint.extract.tbloverride``). ``edited``: the file the
    rows are in, when ``view.path`` is a link to it (their locations name the file)."""
    edited = edited or view.path
    table = AbiTable(label=label, srcarch=srcarch, kconfig_arch=kconfig, kind="numbered", path=edited)
    compat_view = label in COMPAT_VIEWS or label in _COMPAT_LABELS
    for row in rows:
        if view.abis is not None and row.abi not in view.abis:
            continue
        loc = Location(edited, row.line)
        entry = (row.compat or row.entry) if compat_view else row.entry
        name, number_loc = row.name, loc
        if overrides is not None:
            entry = overrides.entries.get(entry, entry)
            if name in overrides.dropped:
                name, number_loc = overrides.numbers.get(row.nr, (None, loc))
        if name is not None:
            table.numbers.append(SyscallNumber(label, name, row.nr, number_loc))
        table.entries.append(TableEntry(label, row.nr, entry, _syscall(entry),
                                        loc, nr_name=name, compat=row.compat))
    return table


#: The table 6.11+ arches share (their Makefile.syscalls picks the ABIs).
SHARED_TABLE = "scripts/syscall.tbl"


def find_tables(tree: KernelTree) -> dict[str, list[str]]:
    """srcarch -> its ``syscall*.tbl`` files (arch/ only; tools/ under an arch is kept)."""
    out: dict[str, list[str]] = {}
    for path in tree.walk(suffixes=(".tbl",), under="arch", skip=SKIP_DIRS - {"tools"}):
        parts = path.split("/")
        if len(parts) >= 3 and parts[-1].startswith("syscall"):
            out.setdefault(parts[1], []).append(path)
    return out


#: ``#define __IGNORE_x`` and ``#define __NR_x __NR_y`` in an arch's unistd.h.
_HEADER_IGNORE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+__IGNORE_(\w+)", re.M)
_HEADER_ALIAS = re.compile(r"^[ \t]*#[ \t]*define[ \t]+__NR_(\w+)[ \t]+\(?[ \t]*__NR_\w+[ \t]*\)?[ \t]*$",
                           re.M)


def header_ignores(tree: KernelTree, srcarch: str) -> dict[str, Location]:
    """Calls an arch's own unistd.h tells ``scripts/checksyscalls.sh`` about beside its
    table: ``__IGNORE_x`` (sparc's 32-bit setresuid and friends) and ``__NR_x`` aliases
    of another number (alpha's ``__NR_getpid __NR_getxpid``). Conditions around them
    are not evaluated: accepting one too many only silences CKL602 where it would warn."""
    out: dict[str, Location] = {}
    for rel in (f"arch/{srcarch}/include/asm/unistd.h", f"arch/{srcarch}/include/uapi/asm/unistd.h"):
        text = tree.read_text(rel)
        if not text:
            continue
        for pattern in (_HEADER_IGNORE, _HEADER_ALIAS):
            for match in pattern.finditer(text):
                out.setdefault(match.group(1), Location(rel, text.count("\n", 0, match.start()) + 1))
    return out


def extract(tree: KernelTree) -> list[AbiTable]:
    """One AbiTable per ABI built from a ``.tbl`` file, arches in name order."""
    tables = find_tables(tree)
    arches = set(tables)
    if tree.is_file("scripts/syscall.tbl"):
        arches |= {a for a in tree.srcarches if tree.is_file(f"arch/{a}/kernel/Makefile.syscalls")}
    out: list[AbiTable] = []
    rows: dict[str, list[Row]] = {}
    for srcarch in sorted(arches):
        views = arch_views(tree, srcarch, tables.get(srcarch, []))
        renames = tbloverride.overrides(tree, srcarch) if any(
            v.path == SHARED_TABLE for v in views) else None
        keys = [v.key for v in views]
        seen: set[str] = set()
        mark = len(out)
        for view in views:
            label, kconfig = label_for(srcarch, view.key, keys)
            if label in seen or not tree.is_file(view.path):
                continue
            seen.add(label)
            if view.path not in rows:
                rows[view.path] = parse_rows(tree, view.path)
            edited = tree.canonical(view.path)
            out.append(build_table(srcarch, view, rows[view.path], label, kconfig,
                                   renames if view.path == SHARED_TABLE else None, edited))
            if label in COMPAT_OF and COMPAT_OF[label][0] not in seen:
                compat_label, compat_kconfig = COMPAT_OF[label]
                seen.add(compat_label)
                out.append(build_table(srcarch, view, rows[view.path], compat_label, compat_kconfig,
                                       renames if view.path == SHARED_TABLE else None, edited))
        if len(out) > mark:
            ignores = header_ignores(tree, srcarch)
            for table in out[mark:]:
                table.ignored.update(ignores)
    return out
