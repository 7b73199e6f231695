"""The Kconfig layer: load an architecture's Kconfig tree and ask what values symbols can take.

``arch_configs(tree)`` lists the configurations to check, ``load(tree, arch)``
parses one (safely: no process is ever spawned, files are read only through
KernelTree) into a ``KconfigModel``.
"""

from ckptlint.kconfig.loader import arch_configs, clear_cache, environment, fixed_environ, load
from ckptlint.kconfig.model import ArchConfig, KconfigModel

__all__ = ["ArchConfig", "KconfigModel", "arch_configs", "clear_cache", "environment",
           "fixed_environ", "load"]
