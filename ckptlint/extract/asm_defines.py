"""Syscall definitions in assembly: entry labels (``ENTRY(sys_x)``, ``sys_x:``), the
labels a macro makes (``.macro`` and ``#define`` bodies that paste a name), and
the label macros of C files (mips's ``save_static_function``)."""

from __future__ import annotations

import re

from ckptlint.extract.prototypes import LineCounter, blank, line_of, mask_comments
from ckptlint.facts import Definition, Location
from ckptlint.tree import KernelTree


#: Names of assembly entry points.
_ASM_NAME_RE = re.compile(r"(?:compat_sys|sys32|sys|ptregs|stub32|stub|ia32)_\w+$")


#: Assembly symbols that are tables, not entry points (``ENTRY(sys_call_table)``).
_ASM_TABLE_RE = re.compile(r"\w*_table\w*$")


#: Entry-point name prefixes in assembly (as a regex fragment).
_ASM_PREFIX = r"(?:compat_sys|sys32|sys|ptregs|stub32|stub|ia32)_\w+"


#: One scan for the three ways a line defines an entry point: a symbol macro
#: (``ENTRY(x)``, ``SYM_FUNC_START(x)``, ``_GLOBAL(x)``), ``.globl x``, or a label
#: ``x:`` (``x::`` is not a label; ``\\x:`` in .macro bodies is handled apart).
_ASM_DEF_RE = re.compile(
    r"^[ \t]*(?:(?:ENTRY|ENTRY_CFI|GLOBAL|_GLOBAL|_GLOBAL_TOC|WEAK|LEAF|NESTED|C_ENTRY|SYMBOL_NAME_LABEL|GLOBAL_ENTRY"
    r"|SYM_FUNC_START\w*"
    rf"|SYM_CODE_START\w*|SYM_INNER_LABEL\w*|SYM_TYPED_FUNC_START)[ \t]*\([ \t]*({_ASM_PREFIX})"
    rf"|\.glob(?:a)?l[ \t]+({_ASM_PREFIX})\b|({_ASM_PREFIX})[ \t]*:(?!:))", re.M)


#: Any label or symbol macro (``ENTRY(x)``, ``LEAF(x)``, ``x:``, ``.globl x``);
#: used only for names the tables ask for.
_ANY_ASM_DEF_RE = re.compile(
    r"^[ \t]*(?:(?:ENTRY|ENTRY_CFI|GLOBAL|_GLOBAL|WEAK|LEAF|NESTED|FEXPORT|C_ENTRY"
    r"|SYMBOL_NAME_LABEL|GLOBAL_ENTRY|SYM_FUNC_START\w*"
    r"|SYM_CODE_START\w*)[ \t]*\([ \t]*(\w+)|\.glob(?:a)?l[ \t]+(\w+)\b|(\w+)[ \t]*:(?!:))", re.M)


#: ``# text`` comment lines of gas (any ``#`` line that is not a cpp directive).
_ASM_HASH_COMMENT_RE = re.compile(
    r"^[ \t]*#(?![ \t]*(?:define|if|ifdef|ifndef|else|elif|endif|include|undef)\b)[^\n]*", re.M)


#: ``#define M(a, b) ... prefix##a:`` -- a cpp macro that defines a label.
_CPP_MACRO_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)((?:[^\n]*\\\n)*[^\n]*)", re.M)


#: ``.macro M a, b`` ... ``.endm`` -- a gas macro.
_GAS_MACRO_RE = re.compile(r"^[ \t]*\.macro[ \t]+(\w+)[ \t,]*([^\n]*)\n(.*?)^[ \t]*\.endm", re.M | re.S)


#: C macros that emit an assembly entry label from their argument, and the
#: header defining them: mips' ``save_static_function(sys_sysmips)`` saves the
#: static registers and jumps to the C body. The label's prefix is read from
#: the macro: ``__sys_sysmips`` in 6.x, plain ``sys_sysmips`` in 2.6.
LABEL_MACROS = {"save_static_function": "arch/mips/include/asm/sim.h"}


_LABEL_MACRO_RE = re.compile(rf"^[ \t]*({'|'.join(LABEL_MACROS)})[ \t]*\([ \t]*(\w+)[ \t]*\)", re.M)


def _label_prefix(tree: KernelTree, macro: str) -> str:
    """What the macro's ``"...prefix" #param ":"`` label puts before its argument."""
    for match in _CPP_MACRO_RE.finditer(tree.read_text(LABEL_MACROS[macro]) or ""):
        if match.group(1) == macro:
            param = match.group(2).strip()
            label = re.search(rf'(?:\\[nt]|[\s"(])(\w*)"[\s\\]*#\s*{re.escape(param)}\s*":',
                              match.group(3))
            if label:
                return label.group(1)
    return ""


def label_macro_definitions(tree: KernelTree, path: str, code: str) -> list[Definition]:
    """Entry labels made by ``LABEL_MACROS`` invocations in cleaned C code."""
    if not any(name in code for name in LABEL_MACROS):
        return []
    return [Definition(function=_label_prefix(tree, m.group(1)) + m.group(2), kind="asm",
                       params=(), loc=Location(path, line_of(code, m.start())))
            for m in _LABEL_MACRO_RE.finditer(code)]

# -- assembly -------------------------------------------------------------------------
def _asm_code(text: str) -> str:
    """Assembly with C comments and ``# comment`` lines blanked (directives kept)."""
    code = mask_comments(text, strings=False)
    return _ASM_HASH_COMMENT_RE.sub(blank, code)


def _asm_record(found: dict[str, int], name: str, line: int) -> None:
    """Keep the first line of each entry-point name (``.globl x`` then ``x:`` is one)."""
    if _ASM_NAME_RE.match(name) and not _ASM_TABLE_RE.match(name) and name not in found:
        found[name] = line


def _macro_labels(code: str) -> list[tuple[str, int]]:
    """``prefix<arg>`` labels made by cpp or gas macros, with their invocation lines."""
    out: list[tuple[str, int]] = []
    for match in (_CPP_MACRO_RE.finditer(code) if "##" in code else ()):
        if "##" not in match.group(3):
            continue  # no token pasting: cannot make a label from an argument
        params = [p.strip() for p in match.group(2).split(",")]
        for index, param in enumerate(params):
            label = re.fullmatch(r"\w+", param) and re.search(rf"(\w*)##{param}[ \t]*:", match.group(3))
            if label:
                out += _invocations(code, match.group(1), index, label.group(1), r"\(([^)\n]*)\)")
    for match in (_GAS_MACRO_RE.finditer(code) if ".macro" in code else ()):
        params = [p.split("=")[0].split(":")[0].strip() for p in re.split(r"[ \t,]+", match.group(2))]
        for index, param in enumerate(p for p in params if p):
            if not re.fullmatch(r"\w+", param):
                continue
            # ``\name:``, ``alpha_\name:`` (alpha's fork_like), ``ENTRY(\name)``, ``.globl \name``
            label = re.search(rf"^[ \t]*(\w*)\\{param}[ \t]*:|\((\w*)\\{param}\)"
                              rf"|\.globl[ \t]+(\w*)\\{param}\b", match.group(3), re.M)
            if label:
                prefix = next((g for g in label.groups() if g is not None), "")
                out += _invocations(code, match.group(1), index, prefix, r"[ \t]+([^\n]*)")
    return out


def _invocations(code: str, macro: str, index: int, prefix: str, args_re: str) -> list[tuple[str, int]]:
    """``prefix + argument[index]`` for each line-leading invocation of ``macro``."""
    out = []
    for call in re.finditer(rf"^[ \t]*{re.escape(macro)}{args_re}", code, re.M):
        args = [a.strip() for a in call.group(1).split(",")]
        if index < len(args) and re.fullmatch(r"\w+", args[index]):
            out.append((prefix + args[index], line_of(code, call.start())))
    return out


def asm_definitions(tree: KernelTree, path: str,
                    extra: frozenset[str] = frozenset()) -> list[Definition]:
    """Entry labels (``ENTRY(sys_x)``, ``sys_x:``, macro-made ``ptregs_x``) in one .S file.

    ``extra`` names (table entries without a syscall prefix: alpha's
    ``alpha_fork``, m68k's ``__sys_fork``) are recorded wherever such a
    label or symbol macro defines them.
    """
    text = tree.read_text(path)
    if not text:
        return []
    code = _asm_code(text)
    found: dict[str, int] = {}
    line = LineCounter(code)
    for match in _ASM_DEF_RE.finditer(code):
        _asm_record(found, next(g for g in match.groups() if g), line(match.start()))
    for match in _ANY_ASM_DEF_RE.finditer(code) if extra else ():
        name = next(g for g in match.groups() if g)
        if name in extra and name not in found:
            found[name] = line(match.start())
    for name, line in _macro_labels(code):
        if name in extra and name not in found:
            found[name] = line
        else:
            _asm_record(found, name, line)
    return [Definition(function=name, kind="asm", params=(), loc=Location(path, line))
            for name, line in sorted(found.items(), key=lambda item: item[1])]
