"""A fixed, virtual toolchain for Kconfig preprocessor probes (never runs anything).

kconfiglib imports the module named by ``$KCONFIG_FUNCTIONS`` and merges its
``functions`` dict into the preprocessor. The loader points that variable at
this module, so ``$(shell,...)`` (and ``$(info,...)``) are answered here, from
the documented assumptions below, instead of by a subprocess.

Assumed build host: **gcc 12.2.0 and GNU ld/as 2.40 that accept every probed
flag and instruction**; no clang, no rustc/bindgen, no pahole, no gcc plugin
headers. In detail, ``$(shell,CMD)`` answers:

* the kernel's version scripts, recognised by their ``scripts/*.sh`` names
  (:data:`VERSION_PROBES`): ``cc-version.sh`` -> ``GCC 120200``,
  ``as-version.sh`` -> ``GNU 24000``, ``ld-version.sh`` -> ``BFD 24000``,
  ``rustc-version.sh``/``rustc-llvm-version.sh``/``pahole-version.sh``/``lld-version.sh``
  -> ``0``;
* ``set -- WORDS && echo $N`` -> the N-th word (how Kconfig.include splits them);
* ``expr A OP B ...`` -> the integer result, as ``expr`` prints it (7.x
  ``RUSTC_LLVM_MAJOR_VERSION`` is ``$(shell,expr $(rustc-llvm-version) / 10000)``);
* ``{ CMD; } >/dev/null 2>&1 && echo A || echo B`` (``$(if-success,...)``) ->
  A when :func:`probe_succeeds` says CMD succeeds, else B;
* anything else -> *unevaluated*: a placeholder word (:data:`UNEVALUATED`
  and a number) that the parse keeps as an undefined symbol, so that
  every symbol whose value follows from it is unknown, not guessed (e.g.
  ``gcc -print-file-name=plugin``, so gcc plugins; ``echo __XTENSA_EB__ |
  gcc -E -P -``, so xtensa's endianness; ``$(BINDGEN) --version``). A command
  that contains a placeholder (an unevaluated result fed to another probe)
  is unevaluated too. The parser reports each one at its line.

:func:`probe_succeeds` says a probe succeeds when it runs the compiler or
linker or another assumed GNU tool (``gcc``/``$CC``/``ld``/``objcopy``, also
via ``scripts/*.sh`` wrappers or ``env CC=gcc ...``), including clang-only flags: answering "supported" keeps
``depends on $(cc-option,...)`` possible, which is the over-approximating
choice. ``TOOL --version | grep PATTERN`` is matched against the assumed version
text (:data:`VERSION_TEXT`), ``command -v`` succeeds for :data:`ASSUMED_TOOLS` only, ``test`` is
evaluated (file tests are false), and anything naming an absent tool fails.
"""

from __future__ import annotations

import logging
import re
import shlex
from typing import Any

LOG = logging.getLogger(__name__)

#: The C compiler the preprocessor is told about (``$(CC)``).
ASSUMED_CC = "gcc"
#: The linker (``$(LD)``).
ASSUMED_LD = "ld"
#: ``$(CC_VERSION_TEXT)`` as the top Makefile would export it.
ASSUMED_CC_VERSION_TEXT = "gcc (GCC) 12.2.0"
#: Tools that exist on the assumed host (``command -v`` succeeds for these).
ASSUMED_TOOLS = frozenset({ASSUMED_CC, ASSUMED_LD, "as", "ar", "nm", "objcopy", "objdump"})
#: Tools assumed absent; any probe naming one fails.
ABSENT_TOOLS = frozenset({"rustc", "bindgen", "pahole", "clang", "ld.lld"})
#: Output of the version scripts, keyed by script name.
VERSION_PROBES = {
    "scripts/cc-version.sh": "GCC 120200",
    "scripts/as-version.sh": "GNU 24000",
    "scripts/ld-version.sh": "BFD 24000",
    "scripts/rustc-version.sh": "0",
    "scripts/rustc-llvm-version.sh": "0",
    "scripts/pahole-version.sh": "0",
    "scripts/lld-version.sh": "0",  # 5.x: 0 unless $(LD) is lld
}

_IF_SUCCESS = re.compile(r'\{\s*(.*);\s*\}\s*>\s*/dev/null\s+2>&1\s*&&\s*echo\s+"([^"]*)"'
                         r'\s*\|\|\s*echo\s+"([^"]*)"', re.S)
_SET_ECHO = re.compile(r"set\s+--\s*(.*?)\s*&&\s*echo\s+\$(\d)", re.S)
_SHELL_VARS = {"$CC": ASSUMED_CC, "${CC}": ASSUMED_CC, "$LD": ASSUMED_LD, "${LD}": ASSUMED_LD}
_COMMAND_V = re.compile(r"command\s+-v\s+(\S+)")
_EXPR = re.compile(r"expr\s+(.+)", re.S)

#: The word an unevaluated ``$(shell,...)`` expands to, followed by its number
#: (a valid Kconfig symbol name, so every parse goes on past it).
UNEVALUATED = "CKPTLINT_UNEVALUATED_SHELL_"
_PLACEHOLDER = re.compile(UNEVALUATED + r"\d+")


def answer(command: str) -> str | None:
    """What ``$(shell,command)`` prints on the assumed host; None when that cannot be
    told without running it."""
    cmd = command.strip()
    if UNEVALUATED in cmd:
        return None
    match = _EXPR.fullmatch(cmd)
    if match:
        value = expr(_words(match.group(1)))
        return None if value is None else str(value)
    match = _IF_SUCCESS.fullmatch(cmd)
    if match:
        return match.group(2) if probe_succeeds(match.group(1)) else match.group(3)
    match = _SET_ECHO.fullmatch(cmd)
    if match:
        words = match.group(1).split()
        index = int(match.group(2))
        return words[index - 1] if 0 < index <= len(words) else ""
    for script, output in VERSION_PROBES.items():
        if script in cmd:
            return output
    return None


#: ``expr`` operators by precedence, loosest first (POSIX; ``|`` and ``&`` left out).
_EXPR_LEVELS = (
    {"=": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b), "<": lambda a, b: int(a < b),
     "<=": lambda a, b: int(a <= b), ">": lambda a, b: int(a > b), ">=": lambda a, b: int(a >= b)},
    {"+": lambda a, b: a + b, "-": lambda a, b: a - b},
    {"*": lambda a, b: a * b, "/": lambda a, b: _trunc_div(a, b), "%": lambda a, b: _trunc_mod(a, b)},
)
#: Longest expr a Kconfig line is allowed to ask for (a bound, not a real limit).
_MAX_EXPR_WORDS = 64


def _trunc_div(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def _trunc_mod(a: int, b: int) -> int:
    return a - b * _trunc_div(a, b)


def expr(words: list[str]) -> int | None:
    """The value ``expr WORDS`` prints for integer arithmetic and comparisons, or None
    (a non-integer operand, a syntax error, division by zero: expr exits non-zero)."""
    if not words or len(words) > _MAX_EXPR_WORDS:
        return None
    try:
        value, rest = _expr_level(words, 0)
    except (ValueError, ZeroDivisionError, IndexError):
        return None
    return value if not rest else None


def _expr_level(words: list[str], level: int) -> tuple[int, list[str]]:
    if level == len(_EXPR_LEVELS):
        if words[0] == "(":
            value, rest = _expr_level(words[1:], 0)
            if rest[:1] != [")"]:
                raise ValueError("unbalanced")
            return value, rest[1:]
        return int(words[0], 10), words[1:]
    value, rest = _expr_level(words, level + 1)
    while rest and rest[0] in _EXPR_LEVELS[level]:
        operator_, (right, rest) = rest[0], _expr_level(rest[1:], level + 1)
        value = _EXPR_LEVELS[level][operator_](value, right)
    return value, rest


def _words(command: str) -> list[str]:
    """Shell words of ``command`` (split on whitespace when quoting is broken)."""
    try:
        return shlex.split(command, comments=False, posix=True)
    except ValueError:
        return command.split()


#: What ``TOOL --version`` (or ``-v``) prints on the assumed host, first line.
VERSION_TEXT = {
    ASSUMED_CC: ASSUMED_CC_VERSION_TEXT,
    ASSUMED_LD: "GNU ld (GNU Binutils) 2.40",
    "as": "GNU assembler (GNU Binutils) 2.40",
    "ar": "GNU ar (GNU Binutils) 2.40",
    "nm": "GNU nm (GNU Binutils) 2.40",
    "objcopy": "GNU objcopy (GNU Binutils) 2.40",
    "objdump": "GNU objdump (GNU Binutils) 2.40",
}
_VERSION_FLAGS = frozenset({"-v", "--version", "-V"})


def _version_pipe(cmd: str) -> bool | None:
    """Whether ``TOOL --version [| head -n1] | grep [-q] [-v] [-i] [-E] [-e] PATTERN``
    succeeds, matched against :data:`VERSION_TEXT` (5.x Kconfig.include's
    ``$(LD) -v | grep -q gold``: the assumed ld is BFD, not gold); None when the
    command is not such a pipe."""
    if "||" in cmd or "&&" in cmd or ";" in cmd:
        return None
    stages = [_words(part) for part in cmd.split("|")]
    if len(stages) < 2 or not stages[0] or any(not words for words in stages):
        return None
    tool = _SHELL_VARS.get(stages[0][0], stages[0][0]).rsplit("/", 1)[-1]
    if tool not in VERSION_TEXT or not set(stages[0][1:]) <= _VERSION_FLAGS or not stages[0][1:]:
        return None
    lines = [VERSION_TEXT[tool]]
    for words in stages[1:-1]:
        if words not in (["head", "-n1"], ["head", "-1"], ["head", "-n", "1"]):
            return None
    grep = stages[-1]
    if grep[0] != "grep":
        return None
    flags, pattern = set(), None
    for word in grep[1:]:
        if pattern is None and word.startswith("-") and word not in ("-e",):
            flags.update(word[1:])
        elif word == "-e" or pattern is not None:
            if word != "-e" and pattern is not None:
                return None  # a second pattern or a file: not this form
        else:
            pattern = word
    if pattern is None or not flags <= set("qviEFw"):
        return None
    try:
        regex = re.compile(re.escape(pattern) if "F" in flags else pattern,
                           re.I if "i" in flags else 0)
    except re.error:
        return None
    selected = [line for line in lines if bool(regex.search(line)) != ("v" in flags)]
    return bool(selected)


def probe_succeeds(command: str) -> bool:
    """Whether a probe command exits 0 on the assumed host."""
    cmd = command.strip()
    match = _COMMAND_V.fullmatch(cmd)
    if match:
        return match.group(1) in ASSUMED_TOOLS
    piped = _version_pipe(cmd)
    if piped is not None:
        return piped
    words = _words(cmd)
    if words[:1] == ["test"] or words[:1] == ["["]:
        return _test(words[1:] if words[0] == "test" else words[1:-1])
    names = {_SHELL_VARS.get(w, w).rsplit("/", 1)[-1] for word in words for w in word.split("=")}
    if names & ABSENT_TOOLS or "--crate-type=rlib" in words:
        return False
    if any(script in cmd for script in VERSION_PROBES):
        return False  # version scripts of absent tools exit 1; present ones are parsed elsewhere
    # Any probe of an assumed tool succeeds: the host is GNU binutils, so
    # ``objcopy --version | head -n1 | grep -qv llvm`` (6.x X86_X32_ABI) holds.
    return bool(names & ASSUMED_TOOLS)


def _num(text: str) -> int | None:
    """``text`` as a shell integer, or None."""
    try:
        return int(text)
    except ValueError:
        return None


def _test(args: list[str]) -> bool:
    """A small ``test`` evaluator; file tests are false (nothing is assumed to exist)."""
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        return {"-z": args[1] == "", "-n": args[1] != ""}.get(args[0], False)
    if len(args) == 3:
        left, op, right = args
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        a, b = _num(left), _num(right)
        if a is None or b is None:
            return False
        return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b,
                "-gt": a > b, "-ge": a >= b}.get(op, False)
    return False


def _virtual_shell(kconf: Any, _name: str, command: str) -> str:
    """``$(shell,...)`` replacement: count the call and answer from the assumptions.

    A command that cannot be answered expands to a fresh placeholder; the
    parser (``kconf.unevaluated``) keeps the command and where it was asked.
    """
    kconf.virtual_shell_calls = getattr(kconf, "virtual_shell_calls", 0) + 1
    known = placeholders(command)
    if known:  # an unevaluated result fed to another command: the same unknown
        return known[0]
    result = answer(command)
    if result is None:
        unevaluated = getattr(kconf, "unevaluated", None)
        if unevaluated is None:
            unevaluated = kconf.unevaluated = []
        word = f"{UNEVALUATED}{len(unevaluated)}"
        unevaluated.append((word, command.strip(), kconf.filename, kconf.linenr))
        result = word
    LOG.debug("virtual shell %r -> %r", command, result)
    return result


def placeholders(text: str) -> list[str]:
    """The unevaluated-shell placeholders in ``text``."""
    return _PLACEHOLDER.findall(text) if UNEVALUATED in text else []


def _quiet_info(kconf: Any, _name: str, message: str) -> str:
    """``$(info,...)`` replacement: keep the message as a warning instead of printing it."""
    kconf._warn("info: " + message, kconf.filename, kconf.linenr)  # noqa: SLF001
    return ""


#: Preprocessor functions kconfiglib merges in: name -> (function, min args, max args).
functions = {
    "shell": (_virtual_shell, 1, 1),
    "info": (_quiet_info, 1, 1),
}
