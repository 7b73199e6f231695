"""``GIT binary patch`` hunks: decoded and applied as ``git apply`` does, within bounds.

A binary hunk is ``literal N`` (the whole new content) or ``delta N`` (git's
copy/insert delta against the old content), zlib-deflated and written in
base85 lines whose first character gives the line's byte count. Every size is
checked against a cap before memory is given to it: a hunk that claims more
than the cap, inflates past its stated size, or is malformed is a
:class:`~ckptlint.revisions.patch.PatchError`, never a MemoryError.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

_ALPHABET = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}


class BinaryError(ValueError):
    """A binary hunk that cannot be decoded or applied."""


@dataclass(frozen=True)
class BinaryHunk:
    """One direction of a binary change: ``literal`` content or a ``delta``, still deflated."""

    kind: str
    size: int
    deflated: bytes


def line_bytes(line: bytes) -> bytes:
    """The bytes one base85 line of a binary hunk holds."""
    if not line:
        raise BinaryError("empty line in a binary hunk")
    head = line[0]
    if 0x41 <= head <= 0x5A:
        count = head - 0x41 + 1
    elif 0x61 <= head <= 0x7A:
        count = head - 0x61 + 27
    else:
        raise BinaryError(f"bad length byte {chr(head)!r} in a binary hunk")
    body = line[1:]
    if len(body) % 5 or len(body) // 5 * 4 < count:
        raise BinaryError("binary hunk line of the wrong length")
    out = bytearray()
    for start in range(0, len(body), 5):
        value = 0
        for char in body[start:start + 5]:
            digit = _VALUE.get(char)
            if digit is None:
                raise BinaryError(f"bad base85 character {chr(char)!r}")
            value = value * 85 + digit
        if value > 0xFFFFFFFF:
            raise BinaryError("base85 group out of range")
        out += value.to_bytes(4, "big")
    return bytes(out[:count])


def inflate(deflated: bytes, size: int, cap: int) -> bytes:
    """zlib data that must inflate to exactly ``size`` bytes (never more than ``cap``)."""
    if size > cap:
        raise BinaryError(f"binary hunk of {size} bytes is over the {cap}-byte cap")
    engine = zlib.decompressobj()
    try:
        data = engine.decompress(deflated, size + 1)
    except zlib.error as exc:
        raise BinaryError(f"binary hunk does not inflate: {exc}") from None
    if len(data) != size or not engine.eof:
        raise BinaryError(f"binary hunk inflates to other than its stated {size} bytes")
    return data


def _varint(data: bytes, index: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if index >= len(data) or shift > 63:
            raise BinaryError("truncated delta header")
        byte = data[index]
        index += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, index


def apply_delta(source: bytes, delta: bytes, cap: int) -> bytes:
    """git's delta format (patch-delta.c) applied to ``source``; the result is at most ``cap``."""
    want_source, index = _varint(delta, 0)
    if want_source != len(source):
        raise BinaryError("delta is for a file of another size")
    size, index = _varint(delta, index)
    if size > cap:
        raise BinaryError(f"delta result of {size} bytes is over the {cap}-byte cap")
    out = bytearray()
    while index < len(delta):
        command = delta[index]
        index += 1
        if command & 0x80:
            offset = length = 0
            for bit, shift in ((0x01, 0), (0x02, 8), (0x04, 16), (0x08, 24)):
                if command & bit:
                    if index >= len(delta):
                        raise BinaryError("truncated delta copy")
                    offset |= delta[index] << shift
                    index += 1
            for bit, shift in ((0x10, 0), (0x20, 8), (0x40, 16)):
                if command & bit:
                    if index >= len(delta):
                        raise BinaryError("truncated delta copy")
                    length |= delta[index] << shift
                    index += 1
            length = length or 0x10000
            if offset + length > len(source) or len(out) + length > size:
                raise BinaryError("delta copy out of range")
            out += source[offset:offset + length]
        elif command:
            if index + command > len(delta) or len(out) + command > size:
                raise BinaryError("delta insert out of range")
            out += delta[index:index + command]
            index += command
        else:
            raise BinaryError("delta opcode 0 is reserved")
    if len(out) != size:
        raise BinaryError("delta result has the wrong size")
    return bytes(out)


def apply(hunk: BinaryHunk, source: bytes, cap: int) -> bytes:
    """The content ``hunk`` makes of ``source`` (at most ``cap`` bytes, else BinaryError)."""
    payload = inflate(hunk.deflated, hunk.size, cap if hunk.kind == "literal" else 2 * cap + 64)
    if hunk.kind == "literal":
        return payload
    return apply_delta(source, payload, cap)


def blob_id(data: bytes) -> str:
    """git's SHA-1 object name of a blob holding ``data``."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 - git's name
