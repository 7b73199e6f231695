"""The Kconfig layer: load an architecture's Kconfig tree and ask what values symbols can take.

``arch_configs(tree)`` lists the configurations to check, ``load(tree, arch)``
parses one (safely: no process is ever spawned, files are read only through
KernelTree) into a ``KconfigModel``. The names below are imported on first
use, so that importing a submodule (``ckptlint.kconfig.query``) does not load
kconfiglib.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {"arch_configs": "loader", "clear_cache": "loader", "environment": "environ",
            "fixed_environ": "environ", "load": "loader", "ArchConfig": "model",
            "KconfigModel": "model"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
