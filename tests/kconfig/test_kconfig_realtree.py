"""Every arch of a real kernel tree (CKPTLINT_REALTREE) loads without a Kconfig error."""

from __future__ import annotations

import os

import pytest

from ckptlint.kconfig import arch_configs, load
from ckptlint.tree import KernelTree

REALTREE = os.environ.get("CKPTLINT_REALTREE")


@pytest.mark.realtree
@pytest.mark.skipif(not REALTREE, reason="set CKPTLINT_REALTREE to a kernel source tree to run")
def test_every_arch_loads() -> None:
    tree = KernelTree(REALTREE)
    configs = arch_configs(tree)
    assert configs
    failures = {}
    for arch in configs:
        model = load(tree, arch)
        if model.error is not None:
            failures[arch.label] = model.error
        else:
            assert model.all_defined() and model.can_expr_be("y")
    assert failures == {}
