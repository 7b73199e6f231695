"""Views: what ``matrix``, ``graph``, ``why`` and ``report`` print, kept like a run's findings.

A view is text rendered from the tree (through the wiring graph, or the Kconfig
models alone). Rendering it runs inside one :class:`Session`, so the Kbuild
models, Kconfig answers and definition scans come from the cache that
``check`` fills, workers parse what is missing, and answers learnt while
rendering are stored when the session closes. The text itself is stored with
the state of every file the rendering read: a second run of the same view on
an unchanged tree reads that text back, as ``check`` reads its findings back.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from ckptlint.engine import plan
from ckptlint.engine.options import Options
from ckptlint.graph.factgraph import FactGraph
from ckptlint.runtime import cutoff
from ckptlint.runtime.session import Session
from ckptlint.tree import KernelTree


@contextmanager
def open_graph(tree: KernelTree, needed: set[str], options: Options,
               session: Session | None = None) -> Iterator[FactGraph]:
    """The joined graph for ``needed``, its session open until the caller is done with it
    (questions asked of the Kconfig models are answered, and their answers stored)."""
    own = session is None
    session = session or Session(tree, options.use_cache, options.jobs, options.cache_dir)
    try:
        graph = FactGraph(plan.collect(tree, needed, options, {}, session))
        plan.late_facts(graph, needed, {})
        yield graph
    finally:
        if own:
            session.close()


def view(tree: KernelTree, what: list, options: Options,
         render: Callable[[Session], Any]) -> Any:
    """``render(session)``'s plain-data result (text, or a dict of texts and counts), from
    the cache when ``what`` (the command and the arguments that shape its output) was
    rendered before and nothing it read has changed since."""
    session = Session(tree, options.use_cache, options.jobs, options.cache_dir)
    try:
        key = session.run_key(["view", *what]) if tree.on_disk else None
        stored = session.cached_run(key)
        if stored is not None and "view" in stored:
            return stored["view"]
        if key is not None:
            tree.listing  # noqa: B018 - the directory stamps that date a stored view
        with tree.recording() as reads:
            result = render(session)
        session.store_run(key, reads, cutoff.projected(tree, reads), {"view": result})
        return result
    finally:
        session.close()
