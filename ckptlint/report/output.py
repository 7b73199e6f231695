"""Writing a report: to stdout, or atomically to a file (never a partial report)."""

from __future__ import annotations

import os
import sys


class OutputError(Exception):
    """An -o target that cannot be written; reported as one line with exit code 2."""


def check_output(output: str | None) -> None:
    """Refuse an -o target that cannot be written, before any analysis runs."""
    if not output:
        return
    directory = os.path.dirname(os.path.realpath(output))
    if os.path.isdir(output):
        raise OutputError(f"cannot write report to {output}: is a directory")
    if special_target(output):  # /dev/null, a FIFO: written through, not replaced
        if not os.access(output, os.W_OK):
            raise OutputError(f"cannot write report to {output}: not writable")
        return
    if not os.path.isdir(directory):
        raise OutputError(f"cannot write report to {output}: no such directory {directory}")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write report to {output}: directory {directory} is not writable")


def emit(text: str, output: str | None) -> None:
    """Write to stdout, or atomically to a file (never a partial report)."""
    if output:
        write_atomic(text, output)
    else:
        sys.stdout.write(text)


def special_target(output: str) -> bool:
    """Whether ``output`` (after symlinks) exists and is not a regular file: a device such
    as /dev/null or /dev/stdout, or a FIFO."""
    import stat

    try:
        return not stat.S_ISREG(os.stat(output).st_mode)
    except OSError:
        return False


def write_atomic(text: str, output: str) -> None:
    """Replace ``output`` with ``text`` in one step: readers see the old file or the new one.

    A symlink is followed (the file it names is replaced, the link stays). A
    device or FIFO (``-o /dev/null``) is written to, never renamed over: a
    rename would put a regular file where the device node was.
    """
    import tempfile

    if special_target(output):
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write report to {output}: {exc.strerror or exc}") from exc
        return
    output = os.path.realpath(output)
    directory = os.path.dirname(output)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".ckptlint-", suffix=".tmp")
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        raise OutputError(f"cannot write report to {output}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
