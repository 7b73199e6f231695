"""C parameter lists: kernel-annotation stripping, pycparser parsing, type normalisation.

Types are rendered from pycparser's AST into one canonical spelling so that two
spellings of the same parameter type compare equal as strings:

* integer specifiers are reordered and completed (``long unsigned int`` and
  ``unsigned long`` both become ``unsigned long``; ``unsigned`` becomes
  ``unsigned int``; ``signed`` and ``signed int`` become ``int``);
* qualifiers on the parameter itself are dropped (C ignores them when it
  compares function types) while inner ones stay (``const char *``);
* arrays and functions decay to pointers (``char *argv[]`` is ``char **``);
* pointers are written ``T *`` / ``T *const *`` / ``void (*)(int)``.

Kernel annotations (``__user``, ``__attribute__((...))``, ...) are removed
before parsing; unknown typedef names are guessed from their position, and any
the guess misses are learned from pycparser's errors (a bounded retry loop).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from pycparser import c_ast
from pycparser.c_generator import CGenerator
from pycparser.c_parser import CParser, ParseError

from ckptlint.facts import Param

LOG = logging.getLogger(__name__)

#: Typedef names the kernel uses in syscall signatures, declared up front.
KERNEL_TYPEDEFS = (
    "pid_t size_t ssize_t loff_t off_t umode_t mode_t uid_t gid_t old_uid_t old_gid_t "
    "key_serial_t aio_context_t qid_t timer_t clockid_t time_t cap_user_header_t "
    "cap_user_data_t fd_set sigset_t old_sigset_t __sighandler_t siginfo_t stack_t "
    "rwf_t u8 u16 u32 u64 s8 s16 s32 s64 __u8 __u16 __u32 __u64 __s8 __s16 __s32 __s64 "
    "uint int8_t uint8_t int16_t uint16_t int32_t uint32_t int64_t uint64_t uintptr_t "
    "dev_t ino_t nlink_t caddr_t daddr_t key_t mqd_t fmode_t bool __kernel_size_t "
    "compat_uptr_t compat_ulong_t compat_long_t compat_size_t compat_ssize_t compat_pid_t "
    "compat_off_t compat_loff_t compat_sigset_t compat_timer_t compat_clockid_t "
    "compat_uint_t compat_int_t compat_aio_context_t"
).split()

#: Annotations that carry no C type information; removed before parsing.
_ANNOTATION_RE = re.compile(
    r"\b(?:__user|__force|__iomem|__kernel|__rcu|__percpu|__nocast|__bitwise__|__bitwise"
    r"|asmlinkage|__must_check|notrace|__weak|__visible|__init|__sched|__cold|__noreturn"
    r"|noinline|__always_inline|inline|__inline__|__inline|static|extern|__maybe_unused"
    r"|__always_unused|__unused|__packed|__ref|__nonstring|__safe|__cond_lock|__noinstr"
    r"|noinstr|__latent_entropy|__no_kcsan|__nocfi|__user_ptr|__capability"
    r"|nabi_no_regargs|save_static_function|__init_or_module|__exception|__sysv_abi)\b")
#: Annotations that take a parenthesised argument (``__attribute__((x))``, ``__aligned(8)``).
_CALL_ANNOTATION_RE = re.compile(
    r"\b(?:__attribute__|__attribute|__aligned|__counted_by|__printf|__scanf|__section"
    r"|__acquires|__releases|__must_hold|__diag_ignore|__alloc_size)\s*\(")
#: GNU spellings of standard keywords (``__const``, ``__signed__``, ...).
_GNU_SPELLING_RE = re.compile(r"\b__(const|volatile|restrict|signed)(?:__)?\b")
#: C comments, removed from declaration text before parsing.
_COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_IDENT_RE = re.compile(r"[A-Za-z_]\w*")
_PAREN_GROUP_RE = re.compile(r"\([^()]*\)")
_ERROR_COL_RE = re.compile(r":(\d+):(\d+): before: (\S+)")

_KNOWN_TYPEDEFS = frozenset(KERNEL_TYPEDEFS)
_C_KEYWORDS = frozenset(
    "auto break case char const continue default do double else enum extern float for "
    "goto if int long register restrict return short signed sizeof static struct switch "
    "typedef union unsigned void volatile while _Bool _Complex inline".split())
#: Keywords that make a parameter's type complete on their own (so an identifier
#: after them is the parameter name, not a typedef).
_BASE_KEYWORDS = frozenset("char int long short signed unsigned void float double _Bool".split())
_TAG_KEYWORDS = frozenset(("struct", "union", "enum"))
_MAX_LEARN = 8

_PARSER = CParser()
_GENERATOR = CGenerator()


@lru_cache(maxsize=16384)
def strip_annotations(text: str) -> str:
    """Remove comments and kernel annotations from declaration text."""
    text = _COMMENT_RE.sub(" ", text) if "/" in text else text
    while True:
        match = _CALL_ANNOTATION_RE.search(text)
        if match is None:
            break
        end = matching_paren(text, match.end() - 1)
        text = text[:match.start()] + " " + text[(end + 1 if end >= 0 else len(text)):]
    text = _ANNOTATION_RE.sub(" ", text)
    if "__" in text:
        text = _GNU_SPELLING_RE.sub(r"\1", text)
    return " ".join(text.split())


#: Characters scanned for a closing parenthesis before the whole text is indexed.
_NEAR = 4096


def matching_paren(text: str, start: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``start``, or -1."""
    if text is _INDEXED[0]:
        return _INDEXED[1].get(start, -1)
    depth = 0
    for index in range(start, min(len(text), start + _NEAR)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    if start + _NEAR >= len(text):
        return -1
    # Far away or unclosed: scanning to the end for each of many unclosed
    # ``SYSCALL_DEFINE1(`` would be quadratic; index every pair once instead.
    _INDEXED[:] = [text, _closing_parens(text)]
    return _INDEXED[1].get(start, -1)


def _closing_parens(text: str) -> dict[int, int]:
    """{index of ``(``: index of its ``)``} for the whole text, in one pass."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for match in _PARENS.finditer(text):
        if match.group() == "(":
            stack.append(match.start())
        elif stack:
            pairs[stack.pop()] = match.start()
    return pairs


_PARENS = re.compile(r"[()]")
#: [text, its parenthesis pairs] for the last text that needed the full index.
_INDEXED: list = [None, {}]


def split_top(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside parentheses and brackets."""
    parts, depth, current = [], 0, []
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _type_words(chunk: str) -> list[str]:
    """Identifiers of a parameter that are neither keywords nor struct/union/enum tags."""
    words = _IDENT_RE.findall(chunk)
    return [w for i, w in enumerate(words)
            if w not in _C_KEYWORDS and not (i and words[i - 1] in _TAG_KEYWORDS)]


def _guess_typedefs(params: str) -> set[str]:
    """Identifiers that sit in type position of some parameter (unknown typedefs)."""
    found: set[str] = set()
    for chunk in split_top(params):
        outer = _PAREN_GROUP_RE.sub(" ", chunk)
        idents = _type_words(outer)
        has_base = any(w in _BASE_KEYWORDS or w in _TAG_KEYWORDS for w in _IDENT_RE.findall(outer))
        if "(" in chunk:  # function pointer: the name is inside the parentheses
            found.update(idents)
            for inner in re.findall(r"\(([^()*][^()]*)\)", chunk):
                found |= _guess_typedefs(inner)
        elif has_base or len(idents) > 1:
            found.update(idents[:-1])
        else:
            found.update(idents)
    return found


def _prelude(names: set[str]) -> str:
    """``typedef int name;`` lines declaring ``names`` for pycparser."""
    return "".join(f"typedef int {name};\n" for name in sorted(names))


def _parse_ast(params: str) -> list[c_ast.Node] | None:
    """pycparser parameter nodes for a cleaned list, learning unknown typedefs."""
    words = set(_IDENT_RE.findall(params))
    typedefs = set(_KNOWN_TYPEDEFS & words) | _guess_typedefs(params)
    for _attempt in range(_MAX_LEARN):
        prelude = _prelude(typedefs)
        source = f"{prelude}void __ckptlint_f({params});"
        try:
            ast = _PARSER.parse(source)
        except ParseError as exc:
            learned = _learn_from_error(str(exc), source) or _learn_unplaced(params, typedefs)
            if learned is None or learned in typedefs:
                LOG.debug("cannot parse parameters %r: %s", params, exc)
                return None
            typedefs.add(learned)
            continue
        except Exception as exc:  # pycparser raises plain errors on odd input
            LOG.debug("cannot parse parameters %r: %r", params, exc)
            return None
        decl = ast.ext[-1].type
        return list(decl.args.params) if decl.args is not None else []
    return None


def _learn_unplaced(params: str, typedefs: set[str]) -> str | None:
    """For errors without a position: the first unknown word that leads a parameter."""
    for chunk in split_top(params):
        words = _type_words(chunk)
        if len(words) > 1 and words[0] not in typedefs:
            return words[0]
    return None


def _learn_from_error(message: str, source: str) -> str | None:
    """The identifier just before pycparser's error position (an unknown typedef)."""
    match = _ERROR_COL_RE.search(message)
    if match is None:
        return None
    line, col = int(match.group(1)), int(match.group(2))
    text = source.split("\n")[line - 1][:col - 1]
    words = _IDENT_RE.findall(text)
    if not words or words[-1] in _C_KEYWORDS:
        return None
    return words[-1]


# -- rendering -------------------------------------------------------------
_TAGS = {c_ast.Struct: "struct", c_ast.Union: "union", c_ast.Enum: "enum"}
_QUAL_ORDER = ("const", "volatile", "restrict")


def _quals(quals: list[str]) -> str:
    """Qualifiers in canonical order."""
    return " ".join(q for q in _QUAL_ORDER if q in quals)


def canonical_specifiers(names: list[str]) -> str:
    """Canonical spelling of a type-specifier list (``long unsigned int`` -> ``unsigned long``)."""
    unsigned, signed = "unsigned" in names, "signed" in names
    longs, short = names.count("long"), "short" in names
    rest = [n for n in names if n not in ("unsigned", "signed", "long", "short", "int")]
    if rest == ["char"]:
        return "unsigned char" if unsigned else "signed char" if signed else "char"
    if rest == ["double"] and longs:
        return "long double"
    if rest:
        return " ".join(rest)
    size = "short" if short else " ".join(["long"] * longs) if longs else "int"
    return f"unsigned {size}" if unsigned else size


def _base(node: c_ast.Node) -> str:
    """Spelling of a base type node (specifiers or struct/union/enum tag)."""
    if isinstance(node, c_ast.IdentifierType):
        return canonical_specifiers(list(node.names))
    tag = _TAGS.get(type(node))
    if tag is not None:
        return f"{tag} {node.name}" if node.name else f"{tag} {{...}}"
    return type(node).__name__


def _render(node: c_ast.Node, inner: str) -> str:
    """C spelling of declarator ``node`` around the abstract declarator ``inner``."""
    if isinstance(node, c_ast.TypeDecl):
        quals = _quals(node.quals)
        base = f"{quals} {_base(node.type)}" if quals else _base(node.type)
        return f"{base} {inner}" if inner else base
    if isinstance(node, c_ast.PtrDecl):
        quals = _quals(node.quals)
        star = f"*{quals}" + (f" {inner}" if inner else "") if quals else f"*{inner}"
        return _render(node.type, star)
    wrapped = f"({inner})" if inner.startswith("*") else inner
    if isinstance(node, c_ast.ArrayDecl):
        dim = _GENERATOR.visit(node.dim) if node.dim is not None else ""
        return _render(node.type, f"{wrapped}[{dim}]")
    if isinstance(node, c_ast.FuncDecl):
        args = ", ".join(p.type for p in _params_from_nodes(node.args.params)) if node.args else ""
        return _render(node.type, f"{wrapped}({args or 'void'})")
    return _GENERATOR.visit(node)


def _render_param_type(node: c_ast.Node) -> str:
    """Type of a parameter: top-level qualifiers dropped, arrays/functions decayed."""
    if isinstance(node, (c_ast.ArrayDecl, c_ast.PtrDecl)):
        return _render(node.type, "*")
    if isinstance(node, c_ast.FuncDecl):
        return _render(node, "*")
    if isinstance(node, c_ast.TypeDecl):
        return _base(node.type)
    return _render(node, "")


def _params_from_nodes(nodes: list[c_ast.Node]) -> tuple[Param, ...]:
    """Params from pycparser parameter nodes (a lone ``void`` means none)."""
    out = []
    for node in nodes:
        if isinstance(node, c_ast.EllipsisParam):
            out.append(Param("...", None))
            continue
        if isinstance(node, c_ast.ID):  # K&R identifier list: no types at all
            out.append(Param("int", node.name))
            continue
        out.append(Param(_render_param_type(node.type), getattr(node, "name", None)))
    if len(out) == 1 and out[0] == Param("void", None):
        return ()
    return tuple(out)


# -- public API --------------------------------------------------------------
@lru_cache(maxsize=8192)
def parse_params(text: str) -> tuple[Param, ...] | None:
    """Normalised parameters of a C parameter list, or None when it cannot be parsed."""
    cleaned = strip_annotations(text)
    if cleaned in ("", "void"):
        return ()
    nodes = _parse_ast(cleaned)
    if nodes is None:
        return None
    try:
        return _params_from_nodes(nodes)
    except Exception as exc:  # an AST shape the renderer does not know
        LOG.debug("cannot render parameters %r: %r", text, exc)
        return None


def normalise_type(text: str) -> str | None:
    """Canonical spelling of one parameter type (names allowed and ignored), or None."""
    params = parse_params(text)
    if params is None or len(params) > 1:
        return None
    return params[0].type if params else "void"


@lru_cache(maxsize=8192)
def _parse_define_tuple(args: tuple[str, ...]) -> tuple[Param, ...] | None:
    """Cached parse of complete (type, name) pairs."""
    pairs = [f"{args[i]} {args[i + 1]}" for i in range(0, len(args) - 1, 2)]
    return parse_params(", ".join(pairs)) if pairs else ()


def parse_define_args(args: list[str]) -> tuple[Param, ...] | None:
    """Parameters from SYSCALL_DEFINEn's flat (type, name, ...) list; odd tails dropped."""
    if len(args) % 2:
        LOG.debug("odd SYSCALL_DEFINE argument list %r", args)
    return _parse_define_tuple(tuple(a.strip() for a in args))
