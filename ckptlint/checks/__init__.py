"""The registry of built-in checks. Adding one: a module here, a line below,
a sample tree under sample_trees/, and its expected output."""

from __future__ import annotations

import importlib
import re
from types import ModuleType

#: Every built-in check as (module, ID, NAME, runs by default), in the order they run
#: and are documented. Selecting checks and keying a run need no more than this, so a
#: run answered from the cache imports no check module; ``tests/checks/test_registry.py``
#: holds each row equal to its module's constants.
CATALOGUE: tuple[tuple[str, str, str, bool], ...] = (
    ("unreadable_input", "CKL010", "unreadable-input", True),
    ("unknown_suppression", "CKL011", "unknown-suppression", True),
    ("duplicate_syscall_number", "CKL001", "duplicate-syscall-number", True),
    ("syscall_number_gap", "CKL002", "syscall-number-gap", True),
    ("nr_syscalls_mismatch", "CKL003", "nr-syscalls-mismatch", True),
    ("table_position_mismatch", "CKL101", "table-position-mismatch", True),
    ("table_length_mismatch", "CKL102", "table-length-mismatch", True),
    ("undefined_table_entry", "CKL103", "undefined-table-entry", True),
    ("unwired_syscall", "CKL104", "unwired-syscall", True),
    ("missing_syscall_pair", "CKL105", "missing-syscall-pair", True),
    ("unsorted_table", "CKL106", "unsorted-table", True),
    ("compat_pairing", "CKL107", "compat-pairing", True),
    ("compat_slot_mismatch", "CKL108", "compat-slot-mismatch", True),
    ("compat_missing_wrapper", "CKL109", "compat-missing-wrapper", True),
    ("compat_calls_native", "CKL110", "compat-calls-native", True),
    ("arm_private_syscall", "CKL111", "arm-private-syscall", True),
    ("table_row_rejected", "CKL112", "table-row-rejected", True),
    ("native_calls_compat", "CKL113", "native-calls-compat", True),
    ("prototype_mismatch", "CKL201", "prototype-mismatch", True),
    ("missing_prototype", "CKL202", "missing-prototype", True),
    ("define_arity_mismatch", "CKL203", "define-arity-mismatch", True),
    ("duplicate_definition", "CKL204", "duplicate-definition", True),
    ("missing_cond_syscall", "CKL301", "missing-cond-syscall", True),
    ("stray_cond_syscall", "CKL302", "stray-cond-syscall", True),
    ("fallback_only_syscall", "CKL303", "fallback-only-syscall", True),
    ("kconfig_undefined_symbol", "CKL401", "kconfig-undefined-symbol", True),
    ("kconfig_missing_source", "CKL402", "kconfig-missing-source", True),
    ("kconfig_parse_error", "CKL403", "kconfig-parse-error", True),
    ("gate_never_enabled", "CKL404", "gate-never-enabled", True),
    ("unreachable_syscall_dir", "CKL501", "unreachable-syscall-dir", True),
    ("undefined_config_reference", "CKL502", "undefined-config-reference", True),
    ("no_dot_config_collision", "CKL503", "no-dot-config-collision", True),
    ("undefined_config_anywhere", "CKL504", "undefined-config-anywhere", False),
    ("cross_abi_wiring", "CKL601", "cross-abi-wiring", True),
    ("missing_on_arch", "CKL602", "missing-on-arch", True),
    ("rule_pack_violation", "CKL901", "rule-pack-violation", True),
    ("userspace_abi_break", "CKL701", "userspace-abi-break", True),
    ("tools_copy_drift", "CKL702", "tools-copy-drift", True),
    ("compat_64bit_argument", "CKL703", "compat-64bit-argument", True),
    ("new_syscall_without_flags", "CKL704", "new-syscall-without-flags", True),
    ("syscall_called_in_kernel", "CKL705", "syscall-called-in-kernel", False),
)
#: Every check ID, in catalogue order.
IDS: tuple[str, ...] = tuple(row[1] for row in CATALOGUE)
_MODULES = {row[1]: row[0] for row in CATALOGUE}
_BY_NAME = {row[2]: row[1] for row in CATALOGUE}
_DEFAULT = {row[1] for row in CATALOGUE if row[3]}


def module(check_id: str) -> ModuleType:
    """The module of a check, by ID (imported on first use)."""
    return importlib.import_module(f"{__name__}.{_MODULES[check_id]}")


def __getattr__(name: str):
    """``CHECKS``, ``BY_ID`` and ``BY_NAME``: the check modules, imported when first asked."""
    if name == "CHECKS":
        value: object = tuple(module(check_id) for check_id in IDS)
    elif name == "BY_ID":
        value = {check.ID: check for check in __getattr__("CHECKS")}
    elif name == "BY_NAME":
        value = {check.NAME: check for check in __getattr__("CHECKS")}
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def lookup_id(key: str) -> str | None:
    """A check's ID by ID (``CKL101``) or name (``table-position-mismatch``)."""
    upper = key.upper()
    return upper if upper in _MODULES else _BY_NAME.get(key.lower())


def lookup(key: str) -> ModuleType | None:
    """A check by ID (``CKL101``) or name (``table-position-mismatch``)."""
    check_id = lookup_id(key)
    return None if check_id is None else module(check_id)


def resolve_ids(key: str) -> tuple[str, ...]:
    """The IDs of the checks ``key`` selects: one by ID or name, or every check whose ID
    starts with ``key`` (``CKL5``, ``CKL10``; ``CKL`` is all of them), as ruff selects
    ``E4``. Empty when ``key`` names nothing."""
    check_id = lookup_id(key)
    if check_id is not None:
        return (check_id,)
    prefix = key.strip().upper()
    if not _PREFIX.match(prefix):
        return ()
    return tuple(i for i in IDS if i.startswith(prefix))


def resolve(key: str) -> tuple[ModuleType, ...]:
    """The checks :func:`resolve_ids` names."""
    return tuple(module(check_id) for check_id in resolve_ids(key))


_PREFIX = re.compile(r"^CKL\d{0,3}$")


def check_hint(key: str) -> str:
    """``"; did you mean CKL101?"`` for a key that selects no check, or the empty string."""
    from ckptlint.suggest import hint

    if key[:3].upper() != "CKL":
        return hint(key.lower(), [*IDS, *_BY_NAME])
    digits = key[3:].upper().translate(_LOOKALIKES)  # CKL1O1: a letter O for a zero
    if f"CKL{digits}" in _MODULES:
        return f"; did you mean CKL{digits}?"
    # a prefix that starts no check (CKL7) is no misspelling of one
    return hint(key.upper(), IDS) if len(digits) == 3 else ""


_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def unknown_check(key: str) -> str:
    """The complaint about a key that selects no check, with a suggestion."""
    return f"unknown check '{key}'{check_hint(key)} (see 'ckptlint rules')"


def expand(keys, by_prefix_all: bool = False) -> set[str]:
    """The IDs that ``keys`` (IDs, names or ID prefixes) select. A prefix takes the
    checks that run by default; an opt-in check (CKL504) is taken by its own ID or
    name, or by any key with ``by_prefix_all`` (an ignore list)."""
    ids: set[str] = set()
    for key in keys:
        exact = lookup_id(key)
        ids |= {i for i in resolve_ids(key) if i == exact or by_prefix_all or i in _DEFAULT}
    return ids


def default_ids() -> set[str]:
    """The IDs of the checks that run without --select."""
    return set(_DEFAULT)


#: The headings every check's docstring carries, in order.
DOC_SECTIONS = ("What it checks", "Why it matters", "Example", "Fix")


def doc_sections(check: ModuleType) -> dict[str, str]:
    """A check's docstring split into its sections (dedented text, keyed by heading)."""
    import inspect

    text = inspect.cleandoc(check.__doc__ or "")
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        heading = line.rstrip(":")
        if line.endswith(":") and heading in DOC_SECTIONS:
            current = out.setdefault(heading, [])
        elif current is not None:
            current.append(line[4:] if line.startswith("    ") else line.lstrip())
    return {name: "\n".join(lines).strip() for name, lines in out.items()}
