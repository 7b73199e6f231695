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
number = st.one_of(st.integers(0, 40), st.integers(-3, 2**33), st.sampled_from((0x900000, 2**31 - 1)),
                   st.sampled_from(("08", "0777", "0x1fUL", "1e3", "9" * 5000)))
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


def base85_lines(data: bytes) -> str:
    """``data`` as git writes the lines of a binary hunk."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
    out = []
    for start in range(0, len(data), 52):
        chunk = data[start:start + 52]
        padded = chunk + b"\0" * (-len(chunk) % 4)
        text = ""
        for i in range(0, len(padded), 4):
            value = int.from_bytes(padded[i:i + 4], "big")
            text += "".join(alphabet[value // 85 ** k % 85] for k in range(4, -1, -1))
        out.append(chr(0x41 + len(chunk) - 1 if len(chunk) <= 26 else 0x61 + len(chunk) - 27) + text)
    return "\n".join(out)


#: Headers of git diffs that carry no text hunk, or a text hunk of a symlink.
GIT_HEADERS = ("new file mode 120000", "deleted file mode 120000", "old mode 100644\nnew mode 100755",
               "old mode 100644\nnew mode 120000", "old mode 100644\nnew mode 160000",
               "Binary files a/x and b/x differ", "new file mode 100644", "similarity index 100%")


@st.composite
def git_patches(draw, files: dict[str, bytes]) -> bytes:
    """git diffs against ``files``: binary literal and delta hunks (sound or broken), mode,
    symlink and rename headers, mixed with the unified diffs of :func:`patches`."""
    import zlib

    out: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.one_of(st.sampled_from(sorted(files)), st.sampled_from(PATHS),
                              st.sampled_from(("dirs.mk", "kernel/x.bin", "../escape.c"))))
        out.append(f"diff --git a/{path} b/{path}")
        kind = draw(st.sampled_from(("literal", "delta", "header", "text")))
        if kind == "header":
            out.append(draw(st.sampled_from(GIT_HEADERS)))
            continue
        if kind == "text":
            out.append(draw(patches(files)).decode("utf-8").rstrip("\n"))
            continue
        out.append(draw(st.sampled_from(("index 0000000..1111111", f"index {'a' * 40}..{'b' * 40} 100644",
                                         "new file mode 100644\nindex 0000000..2222222"))))
        out.append("GIT binary patch")
        for _side in range(draw(st.integers(1, 2))):
            if kind == "literal":
                payload = draw(st.one_of(st.binary(max_size=200), _content_for(path).map(str.encode)))
            else:  # a delta: sizes as varints, then copy/insert opcodes, often nonsense
                payload = draw(st.binary(max_size=60))
                source = len(files.get(path, b""))
                if draw(st.booleans()):
                    payload = bytes([source & 0x7F, len(payload) & 0x7F]) + payload
            deflated = zlib.compress(payload)
            if draw(st.integers(0, 9)) == 0:
                deflated = draw(st.binary(max_size=40))
            size = len(payload) if draw(st.integers(0, 4)) else draw(st.integers(0, 2**40))
            out += [f"{kind} {size}", base85_lines(deflated) if deflated else "", ""]
    return ("\n".join(out) + "\n").encode("utf-8")


#: Kinds of cache entries a run writes.
CACHE_KINDS = ("run", "kconfig", "kbuild", "definitions", "stat")


@st.composite
def cache_damage(draw) -> list[tuple[str, str, bytes]]:
    """What an attacker may leave in a cache directory: (action, kind, bytes), where action
    is ``overwrite`` (every entry of the kind, unsigned), ``resign`` (every entry, with a
    valid digest: a wrongly shaped entry ckptlint itself might have written), ``plant``
    (a new file) or ``link`` (a symlink in place of the kind directory)."""
    json_junk = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                             lambda inner: st.lists(inner, max_size=4)
                             | st.dictionaries(st.sampled_from(("D", "T", "S", "M", "inputs", "data",
                                                                "result", "files", "rows")), inner,
                                               max_size=3), max_leaves=12)
    data = st.one_of(st.binary(max_size=80), json_junk.map(lambda v: json.dumps(v).encode()),
                     st.integers(1, 50_000).map(lambda n: b"[" * n + b"]" * n))
    return draw(st.lists(st.tuples(st.sampled_from(("overwrite", "resign", "plant", "link")),
                                   st.sampled_from(CACHE_KINDS), data), min_size=1, max_size=4))


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


def check_patch_case(files: dict[str, bytes], patch: bytes) -> None:
    """check-patch on a generated patch: exit 0/1/2, one error line on 2, nothing written."""
    from treestate import changes, snapshot

    root = Path(tempfile.mkdtemp(prefix="ckptlint-fuzz-"))
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(TIME_LIMIT)
    try:
        write_tree(root / "tree", files)
        (root / "change.patch").write_bytes(patch)
        before = snapshot(root)
        code, out, err = run_cli(["check-patch", str(root / "change.patch"), "--tree", str(root / "tree"),
                                  "--arch", "all"])
        assert code in (0, 1, 2) and "Traceback" not in err and "internal error" not in err, err
        assert err.count("\n") == (1 if code == 2 else 0), err
        assert changes(before, snapshot(root)) == [], "check-patch wrote something"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        shutil.rmtree(root, ignore_errors=True)


def check_cache_case(files: dict[str, bytes], damage: list[tuple[str, str, bytes]]) -> None:
    """A damaged cache gives the report an uncached run gives, and writes only inside itself."""
    import os

    from treestate import changes, snapshot

    from ckptlint.runtime.cache import Cache

    root = Path(tempfile.mkdtemp(prefix="ckptlint-fuzz-"))
    previous = signal.signal(signal.SIGALRM, _hang)
    saved = os.environ.get("XDG_CACHE_HOME")
    signal.alarm(TIME_LIMIT)
    try:
        tree = root / "tree"
        write_tree(tree, files)
        (root / "outside").mkdir()
        (root / "outside" / "keep.json").write_text("{}")
        os.environ["XDG_CACHE_HOME"] = str(root / "xdg")
        argv = ["check", str(tree), "--format", "json", "--arch", "all"]
        uncached = run_cli([*argv, "--no-cache"])
        assert_sane(*uncached, label="check --no-cache")
        assert run_cli(argv) == uncached, "check: a cold cache changed the report"
        cache_root = root / "xdg" / "ckptlint"
        cache = Cache(cache_root)
        for action, kind, data in damage:
            directory = cache_root / kind
            if action == "link":
                shutil.rmtree(directory, ignore_errors=True)
                with contextlib.suppress(OSError):
                    directory.symlink_to(root / "outside", target_is_directory=True)
                continue
            if not directory.is_dir() or directory.is_symlink():
                continue
            targets = sorted(directory.glob("*.json")) if action != "plant" else [directory / "planted.json"]
            for target in targets:
                body = cache._mac(data) + b"\n" + data if action == "resign" else data
                with contextlib.suppress(OSError):
                    target.write_bytes(body)
        before = {"tree": snapshot(tree), "outside": snapshot(root / "outside")}
        for label in ("damaged cache", "cache after the damaged run"):
            assert run_cli(argv) == uncached, f"check: {label} changed the report"
        assert changes(before["tree"], snapshot(tree)) == [], "the tree was written"
        assert changes(before["outside"], snapshot(root / "outside")) == [], "outside was written"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
        shutil.rmtree(root, ignore_errors=True)


# -- regression files ----------------------------------------------------------------------
def dump_case(files: dict[str, bytes], error: str, patch: bytes | None = None,
              damage: list | None = None) -> str:
    """A saved crashing input: JSON with base64 file contents (any bytes survive), and the
    patch or the cache damage when the case was one of those."""
    case: dict = {"error": error, "files": {p: base64.b64encode(d).decode() for p, d in sorted(files.items())}}
    if patch is not None:
        case["patch"] = base64.b64encode(patch).decode()
    if damage is not None:
        case["damage"] = [[a, k, base64.b64encode(d).decode()] for a, k, d in damage]
    return json.dumps(case, indent=1, sort_keys=True) + "\n"


def load_case(text: str) -> dict[str, bytes]:
    return {p: base64.b64decode(d) for p, d in json.loads(text)["files"].items()}


def replay(text: str) -> None:
    """Run a saved case through the property it failed."""
    case = json.loads(text)
    files = load_case(text)
    if "patch" in case:
        check_patch_case(files, base64.b64decode(case["patch"]))
    elif "damage" in case:
        check_cache_case(files, [(a, k, base64.b64decode(d)) for a, k, d in case["damage"]])
    else:
        check_tree(files)


@st.composite
def campaign_cases(draw) -> tuple[str, dict[str, bytes], object]:
    """One example of a mixed campaign: a tree, a patch against a tree, or a damaged cache."""
    kind = draw(st.sampled_from(("tree", "tree", "patch", "git-patch", "cache")))
    files = draw(kernel_trees())
    if kind == "patch":
        return "patch", files, draw(patches(files))
    if kind == "git-patch":
        return "patch", files, draw(git_patches(files))
    if kind == "cache":
        return "cache", files, draw(cache_damage())
    return "tree", files, None


def run_case(kind: str, files: dict[str, bytes], extra) -> None:
    if kind == "patch":
        check_patch_case(files, extra)
    elif kind == "cache":
        check_cache_case(files, extra)
    else:
        check_tree(files)


def dump_campaign_case(kind: str, files: dict[str, bytes], extra, error: str) -> str:
    return dump_case(files, error, patch=extra if kind == "patch" else None,
                     damage=extra if kind == "cache" else None)


REGRESSIONS = Path(__file__).resolve().parent / "fuzz_regressions"
