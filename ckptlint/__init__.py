"""ckptlint: cross-checks how Linux system calls are wired through a kernel tree."""

__version__ = "0.1.0"
