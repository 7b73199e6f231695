"""Tree configuration: ``.ckptlint.toml`` or ``[tool.ckptlint]`` in ``pyproject.toml``.

Both live at the tree root and are read through KernelTree. ``.ckptlint.toml``
wins when both exist (a warning says so); it holds the keys at its top level
or, like pyproject.toml, under ``[tool.ckptlint]``::

    select = ["CKL101", "table-length-mismatch"]   # run only these (IDs, names, prefixes: "CKL1")
    ignore = ["CKL602"]                             # skip these
    extend-select = ["CKL504"]                      # run these as well as select (or the defaults)
    extend-ignore = ["CKL6"]                        # skip these as well as ignore
    arches = ["x86", "arm"]                         # or ["all"]
    rules = ["scripts/ckptlint-rules"]              # rule-pack dirs, tree-relative
    fail-on = "warning"
    min-severity = "note"

    [severity]                                      # [tool.ckptlint.severity]
    CKL404 = "error"

Every error names the file and the key, and the command line overrides each
key it also sets.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ckptlint.engine.options import ConfigError, Options
from ckptlint.findings import SEVERITIES, SEVERITY_RANK
from ckptlint.tree import KernelTree

LOG = logging.getLogger(__name__)

DOTFILE, PYPROJECT = ".ckptlint.toml", "pyproject.toml"
KEYS = ("select", "ignore", "extend-select", "extend-ignore", "severity", "arches", "rules", "fail-on", "min-severity")
_ARCH = re.compile(r"^[a-z0-9_]+$")


@dataclass
class Config:
    """What the tree's config file asks for; None where it says nothing."""

    source: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    extend_ignore: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)
    arches: list[str] | None = None
    rules: list[str] = field(default_factory=list)
    fail_on: str | None = None
    min_severity: str | None = None


def merged(config: Config, *, select: set[str], ignore: set[str] | None,
           extend_select: set[str], extend_ignore: set[str], arches: set[str],
           fail_on: str | None, min_severity: str | None, rules_dirs: list[str]
           ) -> tuple[Options, str]:
    """Engine options and the --fail-on severity: the command line's choices over the
    tree's config (``ignore`` None: the command line named none)."""
    fail_on = fail_on or config.fail_on or "error"
    min_severity = min_severity or config.min_severity or "warning"
    if SEVERITY_RANK[fail_on] < SEVERITY_RANK[min_severity]:
        min_severity = fail_on
    ignored = ignore if ignore is not None else set(config.ignore or ())
    ignored |= extend_ignore | set(config.extend_ignore or ())
    options = Options(select=select or set(config.select or ()) or None, ignore=ignored,
                      severities=dict(config.severity), min_severity=min_severity,
                      rules_dirs=rules_dirs, tree_rules_dirs=list(config.rules),
                      extend_select=extend_select | set(config.extend_select or ()))
    arches = arches or set(config.arches or ())
    if arches:
        options.arches = None if "all" in arches else arches
    return options, fail_on


def load(tree: KernelTree) -> Config:
    """The tree's configuration (empty when it has none)."""
    if tree.is_file(DOTFILE):
        if tree.is_file(PYPROJECT) and "[tool.ckptlint" in (tree.read_text(PYPROJECT) or ""):
            LOG.warning("%s and %s [tool.ckptlint] both present; using %s", DOTFILE, PYPROJECT, DOTFILE)
        data = _parse(tree, DOTFILE)
        if "tool" in data:
            return _validate(tree, DOTFILE, "tool.ckptlint.", _tool_table(data, DOTFILE, strict=True))
        return _validate(tree, DOTFILE, "", data)
    if tree.is_file(PYPROJECT):
        table = _tool_table(_parse(tree, PYPROJECT), PYPROJECT, strict=False)
        if table is not None:
            return _validate(tree, PYPROJECT, "tool.ckptlint.", table)
    return Config()


def named_rules_dirs(tree: KernelTree) -> list[str]:
    """The ``rules`` directories the tree's configuration names, unvalidated (``[]`` when
    it names none or does not parse): what series mode writes out of the base commit
    before it loads, and so validates, the configuration."""
    try:
        if tree.is_file(DOTFILE):
            data = _parse(tree, DOTFILE)
            table = _tool_table(data, DOTFILE, strict=False) if "tool" in data else data
        elif tree.is_file(PYPROJECT):
            table = _tool_table(_parse(tree, PYPROJECT), PYPROJECT, strict=False)
        else:
            return []
    except ConfigError:
        return []
    rules = (table or {}).get("rules")
    return [r for r in rules if isinstance(r, str)] if isinstance(rules, list) else []


def _parse(tree: KernelTree, name: str) -> dict:
    text = tree.read_text(name)
    if text is None:
        raise ConfigError(f"{name}: cannot read")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: invalid TOML: {exc}") from None


def _tool_table(data: dict, name: str, strict: bool) -> dict | None:
    """``tool.ckptlint`` of a parsed file; in .ckptlint.toml nothing else may sit beside it."""
    tool = data.get("tool")
    if strict:
        extra = sorted(set(data) - {"tool"}) or sorted(set(tool or {}) - {"ckptlint"})
        if extra:
            where = extra[0] if extra[0] in data else f"tool.{extra[0]}"
            raise ConfigError(f"{name}: {where}: unknown key (use [tool.ckptlint] or top-level keys, "
                              "not both)")
    if not isinstance(tool, dict) or "ckptlint" not in tool:
        return None
    if not isinstance(tool["ckptlint"], dict):
        raise ConfigError(f"{name}: tool.ckptlint: must be a table")
    return tool["ckptlint"]


def _validate(tree: KernelTree, name: str, prefix: str, table: dict) -> Config:
    def fail(key: str, message: str):
        raise ConfigError(f"{name}: {prefix}{key}: {message}")

    for key in table:
        if key not in KEYS:
            from ckptlint.suggest import hint

            fail(key, f"unknown key{hint(key, KEYS)} (known keys: {', '.join(KEYS)})")
    config = Config(source=name)
    config.select = _checks(table, "select", fail)
    config.ignore = _checks(table, "ignore", fail)
    config.extend_select = _checks(table, "extend-select", fail)
    config.extend_ignore = _checks(table, "extend-ignore", fail)
    config.severity = _severities(table, fail)
    config.arches = _strings(table, "arches", fail)
    for number, arch in enumerate(config.arches or []):
        if not _ARCH.match(arch):
            fail(f"arches[{number}]", f"'{arch}' is not an arch name (x86, arm, i386, ... or all)")
    config.rules = [_rules_dir(tree, rel, f"rules[{number}]", fail)
                    for number, rel in enumerate(_strings(table, "rules", fail) or [])]
    config.fail_on = _severity(table, "fail-on", fail)
    config.min_severity = _severity(table, "min-severity", fail)
    return config


def _strings(table: dict, key: str, fail) -> list[str] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(key, "must be a list of non-empty strings")
    return [v.strip() for v in value]


def _checks(table: dict, key: str, fail) -> list[str] | None:
    from ckptlint.checks import resolve, unknown_check

    names = _strings(table, key, fail)
    for number, name in enumerate(names or []):
        if not resolve(name):
            fail(f"{key}[{number}]", unknown_check(name))
    return names


def _severity(table: dict, key: str, fail, where: str | None = None) -> str | None:
    value = table.get(key)
    if value is not None and value not in SEVERITIES:
        fail(where or key, f"must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


def _severities(table: dict, fail) -> dict[str, str]:
    from ckptlint.checks import lookup, resolve

    value = table.get("severity", {})
    if not isinstance(value, dict):
        fail("severity", "must be a table of check = severity")
    for check, severity in value.items():
        if not resolve(check):
            fail(f"severity.{check}", "unknown check")
        _severity(value, check, fail, f"severity.{check}")
    # an ID or name is kept as its ID; a prefix (CKL4) as written, for the longest-prefix rule
    return {(lookup(check).ID if lookup(check) else check.upper()): severity
            for check, severity in value.items()}


def _rules_dir(tree: KernelTree, rel: str, key: str, fail) -> str:
    """A rule-pack directory named by the config: relative, and inside the tree."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel:
        fail(key, f"'{rel}' must be a directory relative to the tree root, inside the tree")
    if not tree.is_dir(path.as_posix()):
        fail(key, f"'{rel}' is not a directory inside the tree")
    return path.as_posix()
