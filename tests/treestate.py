"""A fingerprint of everything about a directory tree that a write could change."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path


def snapshot(root: Path) -> dict[str, tuple]:
    """{relative path: (kind, mode, mtime_ns, size, content)} for the root and everything under it.

    content is a sha256 for regular files, the target for symlinks and the
    sorted listing for directories. Nothing is followed and no FIFO, socket
    or device is opened (their kind and metadata are recorded).
    """
    state: dict[str, tuple] = {}
    stack = [""]
    while stack:
        rel = stack.pop()
        path = os.path.join(root, rel) if rel else str(root)
        st = os.lstat(path)
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            names = sorted(os.listdir(path))
            content: object = tuple(names)
            stack.extend(f"{rel}/{n}" if rel else n for n in names)
        elif stat.S_ISLNK(mode):
            content = os.readlink(path)
        elif stat.S_ISREG(mode):
            with open(path, "rb") as handle:
                content = hashlib.sha256(handle.read()).hexdigest()
        else:
            content = None
        state[rel or "."] = (stat.S_IFMT(mode), stat.S_IMODE(mode), st.st_mtime_ns, st.st_size, content)
    return state


def changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """Human-readable differences between two snapshots (empty when identical)."""
    out = [f"removed {p}" for p in sorted(set(before) - set(after))]
    out += [f"added {p}" for p in sorted(set(after) - set(before))]
    out += [f"changed {p}: {before[p]} -> {after[p]}" for p in sorted(set(before) & set(after))
            if before[p] != after[p]]
    return out
