"""The fixed environment kconfiglib parses an arch's Kconfig in: ARCH, SRCARCH, the
kernel version, an assumed toolchain; and swapping os.environ for exactly that."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from typing import Iterator

from ckptlint.kconfig import toolchain

#: Module kconfiglib imports for extra preprocessor functions (our virtual shell).
FUNCTIONS_MODULE = "ckptlint.kconfig.toolchain"

_VERSION_LINE = re.compile(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)[ \t]*=[ \t]*(\S*)", re.M)


def kernel_version(tree) -> str:
    """``VERSION.PATCHLEVEL.SUBLEVEL[EXTRAVERSION]`` from the top Makefile, else ``0.0.0``."""
    text = tree.read_text("Makefile") or ""
    found: dict[str, str] = {}
    for key, value in _VERSION_LINE.findall(text[:4096]):
        found.setdefault(key, value)
    parts = [found.get(k, "") for k in ("VERSION", "PATCHLEVEL", "SUBLEVEL")]
    if not all(p.isdigit() for p in parts):
        return "0.0.0"
    return ".".join(parts) + found.get("EXTRAVERSION", "")


def environment(tree, arch) -> dict[str, str]:
    """The complete, fixed environment kconfiglib sees while parsing ``tree`` for ``arch``
    (a ckptlint.kconfig.model.ArchConfig)."""
    return {
        "srctree": str(tree.root),
        "ARCH": arch.arch,
        "SRCARCH": arch.srcarch,
        "SUBARCH": arch.subarch,
        "HEADER_ARCH": arch.subarch if arch.srcarch == "um" else arch.srcarch,
        "KERNELVERSION": kernel_version(tree),
        "CC": toolchain.ASSUMED_CC,
        "LD": toolchain.ASSUMED_LD,
        "HOSTCC": "gcc",
        "HOSTCXX": "g++",
        "CROSS_COMPILE": "",
        "CLANG_FLAGS": "",
        "CC_VERSION_TEXT": toolchain.ASSUMED_CC_VERSION_TEXT,
        "RUSTC": "rustc",
        "BINDGEN": "bindgen",
        "PAHOLE": "pahole",
        "KCONFIG_FUNCTIONS": FUNCTIONS_MODULE,
    }


@contextmanager
def fixed_environ(values: dict[str, str]) -> Iterator[None]:
    """Replace os.environ with exactly ``values`` for the duration; restore it exactly."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(values)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
