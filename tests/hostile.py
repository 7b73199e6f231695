"""A hostile kernel-like tree: the clean sample plus every trap of issue 7.

Used by the containment, no-write, no-spawn and determinism tests. Each trap
is listed in TRAPS with the exact note ckptlint gives for it.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

from samples import ROOT

#: path -> the CKL010/CKL403 note text expected there (line 1 unless given in the key).
TRAPS = {
    # a C file that could not be read might define anything: the checks that would
    # report something as undefined or unconditional stand down
    ("CKL010", "kernel/leak.c", 1): "symlink points outside the tree; not followed; checks that "
                                    "stood down for want of it: CKL103, CKL301, CKL302, CKL303, CKL404",
    ("CKL010", "arch/x86/outside", 1): "symlink points outside the tree; not followed",
    ("CKL010", "include/linux/loop1.h", 1): "symlink loop; not followed",
    ("CKL010", "include/linux/loop2.h", 1): "symlink loop; not followed",
    ("CKL010", "kernel/fifo.c", 1): "not a regular file (FIFO); skipped",
    ("CKL010", "kernel/sock.c", 1): "not a regular file (socket); skipped",
    ("CKL010", "kernel/huge.c", 1): "file is larger than 8388608 bytes; skipped",
    ("CKL010", "checkpoint/Makefile", 3):
        "include cycle checkpoint/Makefile -> checkpoint/Makefile; not followed again",
    ("CKL403", "checkpoint/Kconfig", 8): "recursive source of 'checkpoint/Kconfig' ignored",
    # never run: what it would print is unknown, and nothing depends on PWN
    ("CKL403", "checkpoint/Kconfig", 11): "not evaluated on 4 arches: $(shell,touch PWNED) "
                                          "cannot be evaluated without running it",
    ("CKL010", "kernel/evil\\nsys.c:1:1: error: forged [CKL101 x]\\n.c", 1):
        "name has non-printable characters; skipped",
    ("CKL010", "kernel/rlo\\u202ec.s", 1): "name has non-printable characters; skipped",
}
#: A file name that would forge a report line if it were printed as it is.
FORGED_NAME = "evil\nsys.c:1:1: error: forged [CKL101 x]\n.c"
#: Present only when the test runs with the right to create device nodes.
DEVICE_TRAP = {("CKL010", "fs/null.c", 1): "not a regular file (character device); skipped"}

SECRET = "SYSCALL_DEFINE1(stolen, int, x)\n{\n\treturn 0;\n}\n"


def outside_dir(dest: Path) -> Path:
    """A directory beside the tree with content that must never be read."""
    outside = dest.parent / (dest.name + "-outside")
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.c").write_text(SECRET)
    return outside


def hostile_tree(dest: Path) -> tuple[Path, dict]:
    """Build the hostile tree at ``dest``; returns it and the notes its traps give."""
    shutil.copytree(ROOT / "clean-2.6.33", dest)
    outside = outside_dir(dest)
    traps = dict(TRAPS)
    os.symlink(outside / "secret.c", dest / "kernel" / "leak.c")
    os.symlink(outside, dest / "arch" / "x86" / "outside")
    os.symlink("loop2.h", dest / "include" / "linux" / "loop1.h")
    os.symlink("loop1.h", dest / "include" / "linux" / "loop2.h")
    os.mkfifo(dest / "kernel" / "fifo.c")
    _unix_socket(dest / "kernel", "sock.c")
    with open(dest / "kernel" / "huge.c", "wb") as handle:  # sparse: cheap to make
        handle.truncate(8 * 1024 * 1024 + 1)
    try:
        os.mknod(dest / "fs" / "null.c", 0o600 | 0o020000, os.makedev(1, 3))
        traps.update(DEVICE_TRAP)
    except (PermissionError, AttributeError):
        pass
    with open(dest / "checkpoint" / "Kconfig", "a") as handle:
        handle.write('source "checkpoint/Kconfig"\n'
                     'config PWN\n\tstring\n\tdefault "$(shell,touch PWNED)"\n')
    (dest / "checkpoint" / "Makefile").write_text(
        "obj-$(CONFIG_CHECKPOINT) += sys.o\nX := $(shell touch PWNED2)\ninclude checkpoint/Makefile\n")
    (dest / "kernel" / FORGED_NAME).write_text("SYSCALL_DEFINE0(getpid)\n{\n}\n")
    os.symlink("/etc/passwd", dest / "kernel" / "rlo\u202ec.s")  # shows as kernel/rlos.c
    (dest / "kernel" / "noise.c").write_bytes(bytes(range(256)) * 4 + b"\r\n\x00\xff\xfe SYSCALL_DEFINE(")
    return dest, traps


def _unix_socket(directory: Path, name: str) -> None:
    """Leave a unix socket file named ``name`` (bound relative to dodge the path length limit)."""
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(name)
    finally:
        os.chdir(cwd)
