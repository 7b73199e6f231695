"""Rule packs: declarative expectations for a feature, loaded from TOML.

A pack file looks like::

    [pack]
    name = "checkpoint-restart"
    description = "..."
    wire-where = "CHECKPOINT_SUPPORT"   # arches where this can be y wire all syscalls

    [gate]
    symbol = "CHECKPOINT"
    depends = "CHECKPOINT_SUPPORT && EXPERIMENTAL"

    [[syscall]]
    name = "checkpoint"
    signature = "pid_t pid, int fd, unsigned long flags, int logfd"
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ckptlint.facts import Location, Param

LOG = logging.getLogger(__name__)

_SYMBOL = re.compile(r"^[A-Za-z0-9_]+$")
_PACK_KEYS = {"name", "description", "wire-where"}
_GATE_KEYS = {"symbol", "depends"}
_SYSCALL_KEYS = {"name", "signature"}


class PackError(Exception):
    """A rule pack is malformed; the message names the file and key."""


@dataclass(frozen=True)
class PackSyscall:
    name: str
    params: tuple[Param, ...]
    loc: Location


@dataclass(frozen=True)
class PackGate:
    symbol: str
    depends: str | None
    loc: Location


@dataclass(frozen=True)
class Pack:
    name: str
    description: str
    syscalls: tuple[PackSyscall, ...]
    gate: PackGate | None
    wire_where: str | None
    loc: Location
    source: str
    #: ``builtin`` (shipped), ``tree`` (a directory named by the tree's config,
    #: ``source`` tree-relative) or ``user`` (``--rules DIR``).
    origin: str = "user"


def builtin_dir() -> Path:
    """Where the shipped packs live (installed package data, or the repo's rules/)."""
    try:
        import ckptlint.rules as shipped  # installed: rules/ is the ckptlint.rules package

        return Path(shipped.__file__).parent
    except ImportError:
        return Path(__file__).resolve().parents[2] / "rules"  # ckptlint/extract/ -> rules/


def load_packs(extra_dirs: list[str] | None = None, builtin: bool = True,
               tree=None, tree_dirs: list[str] | None = None) -> list[Pack]:
    """Built-in packs, then every ``*.toml`` in each extra directory, then in each
    tree-relative directory of ``tree`` (read through the tree, never outside it)."""
    dirs = ([builtin_dir()] if builtin else []) + [Path(d) for d in extra_dirs or []]
    packs: list[Pack] = []
    for directory in dirs:
        if not directory.is_dir():
            raise PackError(f"{directory}: rules directory does not exist")
        shipped = directory == builtin_dir()
        for path in sorted(directory.glob("*.toml")):
            packs.append(load_pack(path, f"rules/{path.name}" if shipped else str(path),
                                   "builtin" if shipped else "user"))
    for rel in tree_dirs or []:
        packs.extend(_tree_packs(tree, rel))
    names = [p.name for p in packs]
    for name in names:
        if names.count(name) > 1:
            raise PackError(f"rule pack '{name}' is defined more than once")
    return packs


def _tree_packs(tree, rel: str) -> list[Pack]:
    if not tree.is_dir(rel):
        raise PackError(f"{rel}: rules directory does not exist in the tree")
    prefix = rel.rstrip("/") + "/"
    out = []
    for path in tree.walk((".toml",), under=rel):
        if "/" in path[len(prefix):]:
            continue  # like --rules DIR: the directory's own files, not subdirectories
        text = tree.read_text(path)
        if text is None:
            raise PackError(f"{path}: cannot read rule pack from the tree")
        out.append(parse_pack(text, path, "tree"))
    return out


def load_pack(path: Path, display: str | None = None, origin: str = "user") -> Pack:
    """Read, parse and validate one pack file; ``display`` is how locations name it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read: {exc}") from None
    return parse_pack(text, display or str(path), origin)


def parse_pack(text: str, where: str, origin: str = "user") -> Pack:
    """Parse and validate a pack's TOML text; ``where`` names it in locations and errors."""
    import tomllib  # on first use: a cached run never parses packs

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{where}: invalid TOML: {exc}") from None
    lines = text.split("\n")
    unknown = set(data) - {"pack", "gate", "syscall"}
    if unknown:
        raise PackError(f"{where}: unknown table [{sorted(unknown)[0]}]")
    head = _table(data, "pack", where, _PACK_KEYS, required=True)
    name = _string(head, "name", f"{where}: [pack]", required=True)
    gate = _gate(data, where, lines)
    syscalls = _syscalls(data, where, lines)
    wire_where = _string(head, "wire-where", f"{where}: [pack]")
    if wire_where is not None and not _SYMBOL.match(wire_where):
        raise PackError(f"{where}: [pack] wire-where must be a Kconfig symbol name")
    return Pack(name=name, description=_string(head, "description", where) or "",
                syscalls=syscalls, gate=gate, wire_where=wire_where,
                loc=Location(where, _line_of(lines, "[pack]")), source=where, origin=origin)


def _table(data, key, where, allowed, required=False) -> dict:
    table = data.get(key)
    if table is None:
        if required:
            raise PackError(f"{where}: missing [{key}] table")
        return {}
    if not isinstance(table, dict):
        raise PackError(f"{where}: '{key}' must be a table")
    extra = set(table) - allowed
    if extra:
        raise PackError(f"{where}: [{key}] has unknown key '{sorted(extra)[0]}'")
    return table


def _string(table: dict, key: str, where: str, required: bool = False) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise PackError(f"{where} needs '{key}'")
        return None
    if not isinstance(value, str) or not value.strip():
        raise PackError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _gate(data, where, lines) -> PackGate | None:
    table = _table(data, "gate", where, _GATE_KEYS)
    if not table:
        return None
    symbol = _string(table, "symbol", f"{where}: [gate]", required=True)
    if not _SYMBOL.match(symbol):
        raise PackError(f"{where}: [gate] symbol must be a Kconfig symbol name, got '{symbol}'")
    return PackGate(symbol, _string(table, "depends", f"{where}: [gate]"),
                    Location(where, _line_of(lines, "[gate]")))


def _syscalls(data, where, lines) -> tuple[PackSyscall, ...]:
    from ckptlint.extract.cdecl import parse_params

    entries = data.get("syscall", [])
    if not isinstance(entries, list):
        raise PackError(f"{where}: 'syscall' must be an array of tables ([[syscall]])")
    out = []
    for i, entry in enumerate(entries, start=1):
        ctx = f"{where}: [[syscall]] #{i}"
        if not isinstance(entry, dict):
            raise PackError(f"{ctx} must be a table")
        extra = set(entry) - _SYSCALL_KEYS
        if extra:
            raise PackError(f"{ctx} has unknown key '{sorted(extra)[0]}'")
        name = _string(entry, "name", ctx, required=True)
        signature = _string(entry, "signature", ctx, required=True)
        params = parse_params(signature)
        if params is None:
            raise PackError(f"{ctx}: signature '{signature}' is not a C parameter list")
        line = _line_of(lines, f'"{name}"')
        out.append(PackSyscall(name, tuple(params), Location(where, line)))
    return tuple(out)


def _line_of(lines: list[str], needle: str) -> int:
    for number, line in enumerate(lines, start=1):
        if needle in line:
            return number
    return 1
