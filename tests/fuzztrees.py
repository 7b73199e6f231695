"""Hypothesis strategies for kernel-like trees and patches, and the property every
generated tree must satisfy. Shared by tests/test_fuzz.py (CI, fixed seed),
tests/test_fuzz_regressions.py (replays saved crashes) and benchmarks/fuzz.py
(long campaigns)."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import shutil
import signal
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from ckptlint.cli import main

# -- vocabulary ---------------------------------------------------------------------
NAMES = ("read", "write", "open", "close", "fork", "getpid", "checkpoint", "restart", "eclone",
         "ni_syscall", "exit", "x")
name = st.one_of(st.sampled_from(NAMES), st.text("abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=12))
symbol = st.one_of(st.sampled_from(("CHECKPOINT", "CHECKPOINT_SUPPORT", "X86_32", "X86_64", "64BIT",
                                    "EXPERIMENTAL", "MMU", "COMPAT", "ARM", "OABI_COMPAT")),
                   st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789", min_size=1, max_size=10))
number = st.one_of(st.integers(0, 40), st.integers(-3, 2**33), st.sampled_from((0x900000, 2**31 - 1)))
#: Anything a line may hold: ASCII punctuation the parsers care about, and any Unicode.
junk = st.one_of(st.text(" \t#\\/*(){}[]$=:;,.\"'<>|&!+-?%@^`~abcxyzABC019", max_size=30),
                 st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12))
ctype = st.sampled_from(("int", "unsigned int", "pid_t", "unsigned long", "const char __user *",
                         "struct foo *", "long long", "u32", "void", "int *", "char"))
PATHS = ("Makefile", "Kconfig", "Kbuild", "arch/x86/Kconfig", "arch/x86/Makefile", "arch/x86/Kbuild",
         "arch/x86/include/asm/unistd_32.h", "arch/x86/include/asm/unistd_64.h",
         "arch/x86/kernel/syscall_table_32.S", "arch/x86/entry/syscalls/syscall_32.tbl",
         "arch/x86/entry/syscalls/syscall_64.tbl", "arch/x86/entry/syscalls/Makefile",
         "arch/arm/Kconfig", "arch/arm/kernel/calls.S", "arch/arm/include/asm/unistd.h",
         "include/uapi/asm-generic/unistd.h", "include/linux/syscalls.h", "kernel/sys_ni.c",
         "kernel/sys.c", "kernel/Makefile", "checkpoint/sys.c", "checkpoint/Makefile",
         "checkpoint/Kconfig", "init/Kconfig", "scripts/syscall.tbl")


def _lines(*alternatives) -> st.SearchStrategy[str]:
    """A file made of lines drawn from the alternatives (strategies or constant strings)."""
    parts = [a if isinstance(a, st.SearchStrategy) else st.just(a) for a in alternatives]
    return st.lists(st.one_of(*parts, junk), max_size=25).map(lambda ls: "\n".join(ls) + "\n")


unistd = _lines(
    st.builds("#define __NR_{} {}".format, name, number),
    st.builds("#define __NR_{} (__NR_SYSCALL_BASE+{})".format, name, number),
    st.builds("#define __NR_{} (__NR_{} + {})".format, name, name, number),
    st.builds("#define NR_syscalls {}".format, number),
    st.builds("#define __NR_syscalls {}".format, number),
    st.builds("__SYSCALL(__NR_{}, sys_{})".format, name, name),
    st.builds("__SC_COMP(__NR_{}, sys_{}, compat_sys_{})".format, name, name, name),
    st.builds("#ifdef CONFIG_{}".format, symbol), st.builds("#if defined(__ARCH_WANT_{})".format, symbol),
    st.builds("#define __ARCH_WANT_{}".format, symbol), "#else", "#endif", "#ifdef __KERNEL__",
    "/* comment", "*/", "#undef __SYSCALL", "#define __SYSCALL(nr, call)",
)
asm_table = _lines(
    "ENTRY(sys_call_table)", ".section .rodata,\"a\"", "END(sys_call_table)",
    st.builds("\t.long sys_{}".format, name), st.builds("\t.long ptregs_{}".format, name),
    st.builds("\t.quad sys_{}\t/* {} */".format, name, number),
    st.builds("\t\tCALL(sys_{})".format, name), st.builds("\t\tCALL(ABI(sys_{}, sys_oabi_{}))".format, name, name),
    st.builds("\t\tCALL(OBSOLETE(sys_{}))".format, name),
    st.builds("SYSCALL(sys_{},sys_{},compat_sys_{})".format, name, name, name),
    st.builds(".rept {}\n\t.long sys_ni_syscall\n.endr".format, st.integers(-1, 50)),
    st.builds("#ifdef CONFIG_{}".format, symbol), "#else", "#endif", "#include <asm/unistd.h>",
)
tbl = _lines(
    st.builds("{}\t{}\t{}\t{}".format, number, st.sampled_from(("common", "64", "x32", "i386", "nospu")), name,
              name.map("sys_{}".format)),
    st.builds("{}\t{}\t{}\t{}\t{}".format, number, st.sampled_from(("common", "i386", "32")), name,
              name.map("sys_{}".format), name.map("compat_sys_{}".format)),
    st.builds("{}\tcommon\t{}".format, number, name), "# comment", "",
)
c_source = _lines(
    "#include <linux/syscalls.h>",
    st.builds(lambda n, args: f"SYSCALL_DEFINE{len(args)}({n}{''.join(f', {t}, a{i}' for i, t in enumerate(args))})"
              "\n{\n\treturn 0;\n}", name, st.lists(ctype, max_size=7)),
    st.builds("SYSCALL_DEFINE{}({}, {})\n{{".format, st.integers(0, 9), name, junk),
    st.builds("COMPAT_SYSCALL_DEFINE1({}, int, x)\n{{\n}}".format, name),
    st.builds("asmlinkage long sys_{}({} x)\n{{\n\treturn 0;\n}}".format, name, ctype),
    st.builds("cond_syscall(sys_{});".format, name), st.builds("COND_SYSCALL({});".format, name),
    st.builds("asmlinkage long sys_{}({});".format, name, st.lists(ctype, max_size=6).map(", ".join)),
    st.builds("#ifdef CONFIG_{}".format, symbol), "#endif", "/*", "*/", "}", "{",
)
kconfig = _lines(
    st.builds("config {}".format, symbol), st.builds("menuconfig {}".format, symbol),
    "\tbool", st.builds('\tbool "{}"'.format, junk), "\ttristate", "\tint", "\tstring",
    st.builds("\tdepends on {} && {}".format, symbol, symbol), st.builds("\tdepends on !{}".format, symbol),
    st.builds("\tselect {}".format, symbol), st.builds("\tselect {} if {}".format, symbol, symbol),
    st.builds("\tdefault {}".format, st.sampled_from(("y", "n", "m", "64BIT", '"x"', "1"))),
    st.builds('source "{}"'.format, st.sampled_from(PATHS + ("../outside/Kconfig", "/etc/passwd",
                                                              "arch/$(SRCARCH)/Kconfig", "*/Kconfig"))),
    st.builds("if {}".format, symbol), "endif", 'menu "m"', "endmenu", "choice", "endchoice",
    "\thelp", "\t  help text", st.builds("\tdef_bool $(shell,{})".format, junk),
    st.builds("{} := $(shell,{})".format, symbol, junk), "\toption modules", "\tmodules", "\ttransitional",
    st.builds("\timply {}".format, symbol), st.builds("\trange {} {}".format, number, number),
)
makefile = _lines(
    "VERSION = 2", "PATCHLEVEL = 6", "SUBLEVEL = 33", "EXTRAVERSION =",
    st.builds("obj-$(CONFIG_{}) += {}.o".format, symbol, name), st.builds("obj-y += {}/".format, name),
    st.builds("core-y += {}/".format, st.sampled_from(("kernel", "checkpoint", "init", "fs", "mm"))),
    st.builds("include {}".format, st.sampled_from(PATHS + ("../x.mk", "/etc/passwd", "$(srctree)/arch/$(SRCARCH)/Makefile"))),
    st.builds("-include {}".format, st.sampled_from(PATHS)),
    st.builds("ifeq ($(CONFIG_{}),y)".format, symbol), "else", "endif", st.builds("ifdef {}".format, symbol),
    "X := $(shell touch PWNED)", "Y = $(Y) z", "Z = $(Z)", "W != touch PWNED", "$(eval $(X))",
    "define X", "endef", st.builds("{}-y := {}.o".format, name, name), "no-dot-config-targets := clean %config",
    "SRCARCH := $(ARCH)", "export BITS", "$(foreach d,$(X),$(d))", "$(call X,$(Y))",
)
random_bytes = st.binary(max_size=300)
CONTENT = {"Makefile": makefile, "Kconfig": kconfig, "Kbuild": makefile, ".h": unistd, ".S": asm_table,
           ".tbl": tbl, ".c": c_source}


def _content_for(path: str) -> st.SearchStrategy[str]:
    base = path.rsplit("/", 1)[-1]
    for key, strategy in CONTENT.items():
        if base == key or base.endswith(key) or (key == "Kconfig" and base.startswith("Kconfig")):
            return strategy
    return makefile


# -- byte-level mutations --------------------------------------------------------------
def _crlf(data: bytes, _: int, __: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def _bom(data: bytes, _: int, __: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def _truncate(data: bytes, at: int, _: bytes) -> bytes:
    return data[:at % (len(data) + 1)]


def _insert(data: bytes, at: int, extra: bytes) -> bytes:
    at %= len(data) + 1
    return data[:at] + extra + data[at:]


def _latin1(data: bytes, _: int, __: bytes) -> bytes:
    return data.decode("utf-8", "replace").encode("latin-1", "replace") + b"\xe9\xff"


def _duplicate_line(data: bytes, at: int, _: bytes) -> bytes:
    lines = data.split(b"\n")
    index = at % len(lines)
    return b"\n".join(lines[:index + 1] + lines[index:])


MUTATIONS = {"crlf": _crlf, "bom": _bom, "truncate": _truncate, "insert": _insert, "latin1": _latin1,
             "duplicate-line": _duplicate_line}
mutation = st.tuples(st.sampled_from(sorted(MUTATIONS)), st.integers(0, 10_000),
                     st.one_of(st.binary(max_size=8), st.sampled_from((b"\x00", b"\r", b"\n", b"\\\n", b"$(", b'"'))))


@st.composite
def kernel_trees(draw) -> dict[str, bytes]:
    """{tree-relative path: bytes}: a kernel-like tree, possibly broken in every way."""
    paths = draw(st.lists(st.sampled_from(PATHS), unique=True, max_size=len(PATHS)))
    files: dict[str, bytes] = {"Makefile": b"", "arch/x86/Kconfig": b""}
    for path in ["Makefile", "arch/x86/Kconfig", *paths]:
        if draw(st.integers(0, 19)) == 0:
            files[path] = draw(random_bytes)
        else:
            files[path] = draw(_content_for(path)).encode("utf-8")
    for path in sorted(files):
        for kind, at, extra in draw(st.lists(mutation, max_size=2)):
            files[path] = MUTATIONS[kind](files[path], at, extra)
    return files


# -- patches -----------------------------------------------------------------------------
@st.composite
def patches(draw, files: dict[str, bytes]) -> bytes:
    """A unified diff against ``files``: edits, new files, and hostile paths (``..``, absolute)."""
    out: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.one_of(st.sampled_from(sorted(files)), st.sampled_from(PATHS),
                              st.sampled_from(("../escape.c", "/tmp/abs.c", "a/../../x", "kernel/../../y"))))
        old = files.get(path, b"").decode("latin-1").split("\n")
        start = draw(st.integers(0, max(len(old) - 1, 0)))
        removed = old[start:start + draw(st.integers(0, 2))] if path in files else []
        added = draw(st.lists(junk.filter(lambda s: "\n" not in s and "\r" not in s), max_size=3))
        source = f"a/{path}" if path in files else "/dev/null"
        out += [f"--- {source}", f"+++ b/{path}",
                f"@@ -{start + 1 if removed else start},{len(removed)} +{start + 1},{len(added)} @@"]
        out += [f"-{line}" for line in removed] + [f"+{line}" for line in added]
    return ("\n".join(out) + "\n").encode("utf-8")


# -- the property ------------------------------------------------------------------------
def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Create ``files`` under ``root`` (a path that is also a directory is skipped)."""
    for rel, data in sorted(files.items()):
        target = root / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            continue


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """cli.main in this process, with stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_sane(code: int, out: str, err: str, label: str) -> None:
    """Exit 0/1 with valid JSON on stdout and nothing on stderr, or exit 2 with one error line."""
    assert code in (0, 1, 2), f"{label}: exit {code}"
    assert "Traceback" not in err and "internal error" not in err, f"{label}: {err}"
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("ckptlint: error: "), f"{label}: {err!r}"
        return
    assert err == "", f"{label}: unexpected stderr {err!r}"
    document = json.loads(out)
    for finding in document.get("findings", []):
        path = finding["path"]
        assert not path.startswith("/") and ".." not in path.split("/"), f"{label}: {path}"


class Hang(BaseException):
    """A run took longer than TIME_LIMIT (a BaseException: cli.main must not swallow it)."""


#: Seconds one example may take; a tiny tree that takes longer is a hang.
TIME_LIMIT = 60


def _hang(signum, frame):
    raise Hang(f"one example took more than {TIME_LIMIT}s")


def check_tree(files: dict[str, bytes]) -> None:
    """The fuzz property: check (twice, identically) and matrix behave, in JSON."""
    root = Path(tempfile.mkdtemp(prefix="ckptlint-fuzz-"))
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(TIME_LIMIT)
    try:
        tree = root / "tree"
        write_tree(tree, files)
        check = ["check", str(tree), "--format", "json", "--show-notes", "--arch", "all"]
        first = run_cli(check)
        assert_sane(*first, label="check")
        assert run_cli(check) == first, "check: output differs between two runs"
        assert_sane(*run_cli(["matrix", str(tree), "--format", "json"]), label="matrix")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        shutil.rmtree(root, ignore_errors=True)


# -- regression files ----------------------------------------------------------------------
def dump_case(files: dict[str, bytes], error: str) -> str:
    """A saved crashing input: JSON with base64 file contents (any bytes survive)."""
    return json.dumps({"error": error, "files": {p: base64.b64encode(d).decode() for p, d in sorted(files.items())}},
                      indent=1, sort_keys=True) + "\n"


def load_case(text: str) -> dict[str, bytes]:
    return {p: base64.b64decode(d) for p, d in json.loads(text)["files"].items()}


REGRESSIONS = Path(__file__).resolve().parent / "fuzz_regressions"
