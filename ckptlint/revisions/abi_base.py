"""The base of an ABI comparison: a tree's snapshot taken by running the engine, and
options that hand it to CKL701 and CKL704 (series mode, check-patch, --staged, abi-diff)."""

from __future__ import annotations

from ckptlint.abi.snapshot import FACTS, Snapshot, take


def of_tree(tree, options=None, label: str = "") -> Snapshot:
    """Build the wiring graph of ``tree`` (numbers, tables, definitions) and snapshot it,
    with the cache and workers of ``options`` (the definition scan is the costly part)."""
    from ckptlint.engine.options import Options
    from ckptlint.engine.views import open_graph

    scope = Options(arches=options.arches if options is not None else None,
                    use_cache=options.use_cache if options is not None else False,
                    jobs=options.jobs if options is not None else None,
                    cache_dir=options.cache_dir if options is not None else None)
    with open_graph(tree, set(FACTS), scope) as graph:
        return take(graph, label)


def wanted(options) -> bool:
    """Whether the run would compare with a base (CKL701 or CKL704 is enabled)."""
    from ckptlint.checks import new_syscall_without_flags, userspace_abi_break
    from ckptlint.engine.run import enabled_checks

    active = enabled_checks(options)
    return userspace_abi_break in active or new_syscall_without_flags in active


def with_base(options, base: Snapshot | None):
    """A copy of ``options`` whose CKL701 and CKL704 compare with ``base``."""
    from dataclasses import replace as copy

    if base is None:
        return options
    return copy(options, abi_base=base)
