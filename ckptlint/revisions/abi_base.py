"""The base of an ABI comparison: a tree's snapshot taken by running the engine, and
options that hand it to CKL701 and CKL704 (series mode, check-patch, --staged, abi-diff)."""

from __future__ import annotations

from dataclasses import fields

from ckptlint.abi.snapshot import FACTS, Call, Snapshot, take


def of_tree(tree, options=None, label: str = "") -> Snapshot:
    """Build the wiring graph of ``tree`` (numbers, tables, definitions) and snapshot it,
    with the cache and workers of ``options`` (the definition scan is the costly part).
    A tree on disk keeps its snapshot in the cache like a view: check-patch's base is
    the tree itself, unchanged from one patch to the next."""
    from ckptlint.engine.options import Options
    from ckptlint.engine.views import open_graph, view

    scope = Options(arches=options.arches if options is not None else None,
                    use_cache=options.use_cache if options is not None else False,
                    jobs=options.jobs if options is not None else None,
                    cache_dir=options.cache_dir if options is not None else None)

    def render(session) -> dict:
        with open_graph(tree, set(FACTS), scope, session) as graph:
            return _plain(take(graph, label))
    what = ["abi-snapshot", label, sorted(scope.arches) if scope.arches is not None else None]
    return _snapshot(view(tree, what, scope, render))


def _plain(snapshot: Snapshot) -> dict:
    """The snapshot as data the cache's codec keeps (Locations and Params as themselves)."""
    names = [f.name for f in fields(Call)]
    return {"label": snapshot.label, "words": dict(snapshot.words),
            "positions": {abi: {entry: at for entry, at in where.items() if entry is not None}
                          for abi, where in snapshot.positions.items()},
            "calls": {abi: {name: [getattr(call, n) for n in names] for name, call in calls.items()}
                      for abi, calls in snapshot.calls.items()}}


def _snapshot(data: dict) -> Snapshot:
    """The snapshot back from :func:`_plain`."""
    calls = {abi: {name: Call(*row[:7], tuple(row[7]) if row[7] is not None else None, *row[8:])
                   for name, row in rows.items()} for abi, rows in data["calls"].items()}
    return Snapshot(calls=calls, words=dict(data["words"]), label=data["label"],
                    positions={abi: {entry: list(at) for entry, at in where.items()}
                               for abi, where in data["positions"].items()})


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
