"""Syscall ABIs: which arch's Kconfig and Kbuild decide what an ABI's table builds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Abi:
    """A syscall table's ABI: ``label`` as shown, ``srcarch`` and Kconfig arch label."""

    label: str
    srcarch: str
    kconfig_arch: str


#: ABIs known for 2.6-era x86; later eras extend this table.
KNOWN_ABIS = {
    "i386": Abi("i386", "x86", "i386"),
    "x86_64": Abi("x86_64", "x86", "x86_64"),
}


def abi(label: str) -> Abi:
    """The Abi for a label; unknown labels are their own srcarch and Kconfig arch."""
    return KNOWN_ABIS.get(label) or Abi(label, label, label)
