"""Tiny kernel-like trees for extractor tests."""

from __future__ import annotations

from pathlib import Path

from ckptlint.tree import KernelTree


def make_tree(root: Path, files: dict[str, str | bytes], arches: tuple[str, ...] = ()) -> KernelTree:
    """Write ``files`` under ``root`` with the minimum KernelTree needs, and open it.

    ``arches`` get an (empty) ``arch/<a>/Kconfig`` so that they count as srcarches.
    """
    (root / "Makefile").write_text("")
    (root / "arch").mkdir(exist_ok=True)
    for arch in arches:
        (root / "arch" / arch).mkdir(parents=True, exist_ok=True)
        (root / "arch" / arch / "Kconfig").write_text("")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return KernelTree(root)
