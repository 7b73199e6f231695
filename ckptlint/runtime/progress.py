"""Per-arch progress on a terminal while a run evaluates Kbuild and Kconfig."""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    """``ckptlint: arch 3/22 (kconfig arm64)`` on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.count = total, 0
        self.enabled = total > 0 and bool(getattr(self.stream, "isatty", lambda: False)())

    def step(self, what: str) -> None:
        self.count += 1
        if self.enabled:
            self.stream.write(f"\rckptlint: arch {self.count}/{self.total} ({what})\033[K")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.count:
            self.stream.write("\r\033[K")
            self.stream.flush()
