"""The registry of built-in checks. Adding one: a module here, a line below,
a sample tree under sample_trees/, and its expected output."""

from __future__ import annotations

import re
from types import ModuleType

from ckptlint.checks import (
    arm_private_syscall, compat_64bit_argument, compat_calls_native, compat_missing_wrapper, compat_pairing,
    compat_slot_mismatch, cross_abi_wiring, define_arity_mismatch, duplicate_definition,
    duplicate_syscall_number, fallback_only_syscall, gate_never_enabled,
    kconfig_missing_source, kconfig_parse_error, kconfig_undefined_symbol,
    missing_cond_syscall, missing_on_arch, missing_prototype, missing_syscall_pair,
    new_syscall_without_flags,
    no_dot_config_collision, nr_syscalls_mismatch, prototype_mismatch, rule_pack_violation,
    stray_cond_syscall, syscall_called_in_kernel, syscall_number_gap, table_length_mismatch, table_position_mismatch,
    tools_copy_drift, undefined_config_anywhere, undefined_config_reference,
    undefined_table_entry, unknown_suppression, unreachable_syscall_dir, unreadable_input,
    unsorted_table, unwired_syscall, userspace_abi_break,
)

CHECKS: tuple[ModuleType, ...] = (
    unreadable_input, unknown_suppression,
    duplicate_syscall_number, syscall_number_gap, nr_syscalls_mismatch,
    table_position_mismatch, table_length_mismatch, undefined_table_entry, unwired_syscall,
    missing_syscall_pair, unsorted_table, compat_pairing, compat_slot_mismatch,
    compat_missing_wrapper, compat_calls_native, arm_private_syscall,
    prototype_mismatch, missing_prototype, define_arity_mismatch, duplicate_definition,
    missing_cond_syscall, stray_cond_syscall, fallback_only_syscall,
    kconfig_undefined_symbol, kconfig_missing_source, kconfig_parse_error, gate_never_enabled,
    unreachable_syscall_dir, undefined_config_reference, no_dot_config_collision,
    undefined_config_anywhere,
    cross_abi_wiring, missing_on_arch, rule_pack_violation, userspace_abi_break, tools_copy_drift,
    compat_64bit_argument, new_syscall_without_flags, syscall_called_in_kernel,
)

BY_ID = {check.ID: check for check in CHECKS}
BY_NAME = {check.NAME: check for check in CHECKS}


def runs_by_default(check: ModuleType) -> bool:
    """Whether a check runs without --select (opt-in checks set ``DEFAULT = False``)."""
    return getattr(check, "DEFAULT", True)


def lookup(key: str) -> ModuleType | None:
    """A check by ID (``CKL101``) or name (``table-position-mismatch``)."""
    return BY_ID.get(key.upper()) or BY_NAME.get(key.lower())


def resolve(key: str) -> tuple[ModuleType, ...]:
    """The checks ``key`` selects: one by ID or name, or every check whose ID starts
    with ``key`` (``CKL5``, ``CKL10``; ``CKL`` is all of them), as ruff selects ``E4``.
    Empty when ``key`` names nothing."""
    check = lookup(key)
    if check is not None:
        return (check,)
    prefix = key.strip().upper()
    if not _PREFIX.match(prefix):
        return ()
    return tuple(c for c in CHECKS if c.ID.startswith(prefix))


_PREFIX = re.compile(r"^CKL\d{0,3}$")


def check_hint(key: str) -> str:
    """``"; did you mean CKL101?"`` for a key that selects no check, or the empty string."""
    from ckptlint.suggest import hint

    if key[:3].upper() != "CKL":
        return hint(key.lower(), [*BY_ID, *BY_NAME])
    digits = key[3:].upper().translate(_LOOKALIKES)  # CKL1O1: a letter O for a zero
    if f"CKL{digits}" in BY_ID:
        return f"; did you mean CKL{digits}?"
    # a prefix that starts no check (CKL7) is no misspelling of one
    return hint(key.upper(), BY_ID) if len(digits) == 3 else ""


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
        exact = lookup(key)
        ids |= {c.ID for c in resolve(key)
                if c is exact or by_prefix_all or runs_by_default(c)}
    return ids


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
