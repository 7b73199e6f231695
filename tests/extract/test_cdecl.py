"""cdecl: annotation stripping, pycparser parsing and type normalisation."""

from __future__ import annotations

import time

from ckptlint.extract import cdecl, prototypes
from ckptlint.extract.cdecl import normalise_type, parse_define_args, parse_params
from ckptlint.facts import Param


def types(text: str) -> list[str]:
    params = parse_params(text)
    assert params is not None, text
    return [p.type for p in params]


def test_named_params():
    assert parse_params("pid_t pid, int fd, unsigned long flags, int logfd") == (
        Param("pid_t", "pid"), Param("int", "fd"), Param("unsigned long", "flags"),
        Param("int", "logfd"))


def test_unnamed_params_with_user_annotations():
    text = ("int, fd_set __user *, fd_set __user *, struct timespec __user *, "
            "const sigset_t __user *, size_t")
    assert parse_params(text) == (
        Param("int"), Param("fd_set *"), Param("fd_set *"), Param("struct timespec *"),
        Param("const sigset_t *"), Param("size_t"))


def test_void_and_empty():
    assert parse_params("void") == ()
    assert parse_params("  ") == ()
    assert parse_params("void /* nothing */") == ()


def test_arrays_decay_and_double_pointers():
    assert parse_params("char __user * __user *argv") == (Param("char **", "argv"),)
    assert parse_params("const char *const argv[]") == (Param("const char *const *", "argv"),)
    assert parse_params("int fildes[2]") == (Param("int *", "fildes"),)
    assert parse_params("char (*buf)[16]") == (Param("char (*)[16]", "buf"),)


def test_function_pointer_and_varargs():
    assert parse_params("void (*fn)(int, old_sigset_t), const char *fmt, ...") == (
        Param("void (*)(int, old_sigset_t)", "fn"), Param("const char *", "fmt"), Param("..."))
    assert types("int (*)(struct foo *, bar_t)") == ["int (*)(struct foo *, bar_t)"]


def test_unknown_typedefs_are_learned():
    assert types("int, old_sigset_t") == ["int", "old_sigset_t"]
    assert parse_params("compat_foo_t __user *p, struct bar *") == (
        Param("compat_foo_t *", "p"), Param("struct bar *"))
    assert parse_params("my_handle_t h") == (Param("my_handle_t", "h"),)


def test_multiline_attributes_and_comments():
    text = ("unsigned long __attribute__((unused)) x,\n"
            "\t\t/* the size */ long long int y,\n  short unsigned z")
    assert parse_params(text) == (
        Param("unsigned long", "x"), Param("long long", "y"), Param("unsigned short", "z"))


def test_normalisation_equalities():
    assert normalise_type("unsigned") == normalise_type("unsigned int") == "unsigned int"
    assert normalise_type("long unsigned int") == normalise_type("unsigned long") == "unsigned long"
    assert normalise_type("unsigned long int") == "unsigned long"
    assert normalise_type("signed int") == normalise_type("int") == normalise_type("signed")
    assert normalise_type("long int") == "long"
    assert normalise_type("long long int") == "long long"
    assert normalise_type("short int") == "short"
    assert normalise_type("char") != normalise_type("signed char")
    assert normalise_type("const int fd") == "int"  # top-level const dropped
    assert normalise_type("const char __user *") == "const char *"
    assert normalise_type("struct  foo\t*") == "struct foo *"
    assert normalise_type("char *const p") == "char *"
    assert normalise_type("void") == "void"


def test_names_never_part_of_type():
    a, b = parse_params("unsigned fd"), parse_params("unsigned int descriptor")
    assert [p.type for p in a] == [p.type for p in b]


def test_checkpoint_signature_changes_are_visible():
    v18 = parse_params("pid_t pid, int fd, unsigned long flags")
    v19 = parse_params("pid_t pid, int fd, unsigned long flags, int logfd")
    assert len(v18) == 3 and len(v19) == 4 and v18 != v19
    v15 = parse_params("int pid, int fd, unsigned long flags")
    v16 = parse_params("pid_t pid, int fd, unsigned long flags")
    assert [p.type for p in v15] != [p.type for p in v16]


def test_define_args():
    assert parse_define_args(["unsigned int", "fd", "char __user *", "buf", "size_t", "count"]) == (
        Param("unsigned int", "fd"), Param("char *", "buf"), Param("size_t", "count"))
    assert parse_define_args([]) == ()
    assert parse_define_args(["int", "fd", "long"]) == (Param("int", "fd"),)  # odd tail dropped


def test_parse_failure_returns_none():
    assert parse_params("int (((") is None
    assert parse_params("= 3") is None
    assert prototypes.fallback_params("weird thing __user *, int") == (
        Param("weird thing *"), Param("int"))


def test_masking_keeps_offsets_and_lines():
    text = 'a /* x\ny */ b // c\n"s // t" \'/\''
    masked = prototypes.mask_comments(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert "x" not in masked and "c" not in masked and masked.startswith("a ")
    assert prototypes.mask_directives("#define X \\\n  y\nz").split("\n")[2] == "z"


def test_fast_enough():
    texts = [f"int a{i}, unsigned long b{i}, struct s{i} __user *c" for i in range(400)]
    start = time.perf_counter()
    for text in texts:
        assert parse_params(text) is not None
    assert time.perf_counter() - start < 2.0


def test_error_driven_typedef_learning(monkeypatch):
    monkeypatch.setattr(cdecl, "_guess_typedefs", lambda params: set())
    assert cdecl._parse_ast("foo_t x, bar_t *y") is not None
    nodes = cdecl._parse_ast("foo_t x, bar_t *y")
    assert cdecl._params_from_nodes(nodes) == (Param("foo_t", "x"), Param("bar_t *", "y"))
