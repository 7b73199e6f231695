"""ABI-level type identity: what a parameter type is once kernel typedefs are resolved.

The compiler accepts ``int pid`` in a prototype and ``pid_t pid`` in the
definition, because ``pid_t`` is ``int`` on every Linux arch; the ABI is the
same. Comparisons use this to tell a respelling from a real change.
"""

from __future__ import annotations

import re

#: Kernel and C library typedefs whose underlying type is the same on the
#: arches ckptlint reads (generic ``posix_types.h`` choices; ``long`` stays
#: ``long`` so that ILP32 and LP64 agree with themselves).
UNDERLYING = {
    "pid_t": "int", "__kernel_pid_t": "int", "compat_pid_t": "int", "key_serial_t": "int",
    "mqd_t": "int", "clockid_t": "int", "timer_t": "int", "__kernel_timer_t": "int",
    "rwf_t": "int", "s32": "int", "__s32": "int", "compat_int_t": "int",
    "u32": "unsigned int", "__u32": "unsigned int", "uint": "unsigned int",
    "compat_uptr_t": "unsigned int", "compat_size_t": "unsigned int", "qid_t": "unsigned int",
    "compat_uint_t": "unsigned int", "uid_t": "unsigned int", "gid_t": "unsigned int",
    "u16": "unsigned short", "__u16": "unsigned short", "old_uid_t": "unsigned short",
    "old_gid_t": "unsigned short", "s16": "short", "__s16": "short",
    "u64": "unsigned long long", "__u64": "unsigned long long", "s64": "long long",
    "__s64": "long long", "loff_t": "long long", "__kernel_loff_t": "long long",
    "off_t": "long", "__kernel_off_t": "long", "ssize_t": "long", "__kernel_ssize_t": "long",
    "size_t": "unsigned long", "__kernel_size_t": "unsigned long", "ulong": "unsigned long",
    "compat_long_t": "int", "compat_ulong_t": "unsigned int", "compat_off_t": "int",
    "aio_context_t": "unsigned long", "umode_t": "unsigned short", "u8": "unsigned char",
    "__u8": "unsigned char",
    "uint32_t": "unsigned int", "int32_t": "int", "uint64_t": "unsigned long long",
    "int64_t": "long long", "uint16_t": "unsigned short", "uint8_t": "unsigned char",
    "stack_t": "struct sigaltstack",
}
_WORD = re.compile(r"[A-Za-z_]\w*")
_QUALIFIERS = {"const", "volatile", "restrict"}


def abi_type(spelling: str) -> str:
    """The type with typedefs resolved and qualifiers dropped (``const pid_t *`` -> ``int *``)."""
    words = []
    for token in re.findall(r"[A-Za-z_]\w*|\S", spelling):
        if token in _QUALIFIERS:
            continue
        words.append(UNDERLYING.get(token, token) if _WORD.fullmatch(token) else token)
    return " ".join(" ".join(words).split())
