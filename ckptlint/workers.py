"""Per-arch work in parallel: forked copies of ckptlint evaluate Kbuild and Kconfig.

Each worker is a ``fork`` of the running ckptlint process (multiprocessing's
'fork' context; nothing is ever exec'd, no interpreter is started, no code of
the tree runs). A worker evaluates the srcarches it was given -- the Kbuild
descent (a picklable KbuildModel, sent back) and the Kconfig models of their
arch configurations (kept in the worker) -- and then answers the Kconfig
questions the checks ask (``ckptlint.kconfig.answers``) until the run ends.
Work is handed out deterministically (largest first, to the least loaded
worker) and results are merged by srcarch/label, so the outcome does not depend
on which worker finishes first.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ckptlint.facts import TreeNote
from ckptlint.tree import KernelTree

if TYPE_CHECKING:
    from ckptlint.kconfig.model import ArchConfig

LOG = logging.getLogger(__name__)


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class ArchWork:
    """One unit of per-arch work: a srcarch's Kbuild descent and/or Kconfig configurations."""

    srcarch: str
    kbuild: bool
    configs: list[ArchConfig] = field(default_factory=list)

    @property
    def cost(self) -> int:
        """Relative cost (6.12: a Kbuild descent ~1.2 s, a Kconfig parse plus analysis ~1 s)."""
        return 6 * int(self.kbuild) + 5 * len(self.configs)


def share_out(work: list[ArchWork], jobs: int) -> list[list[ArchWork]]:
    """Longest-first assignment to the least loaded worker; ties by order (deterministic)."""
    shares: list[list[ArchWork]] = [[] for _ in range(max(1, min(jobs, len(work))))]
    loads = [0] * len(shares)
    for item in sorted(work, key=lambda w: (-w.cost, w.srcarch, [c.label for c in w.configs])):
        index = loads.index(min(loads))
        shares[index].append(item)
        loads[index] += item.cost
    return shares


def evaluate(tree: KernelTree, item: ArchWork, eager: bool, send: Callable[[tuple], None],
             keep_models: bool = False) -> dict[str, Any]:
    """Evaluate one srcarch; ``send((kind, key, value, notes, seconds, inputs))`` per result.

    ``inputs`` maps the paths the evaluation read or probed to their stat when
    first read (None: probed, not read). A Kconfig result's
    value is ``{"summary": ...}`` (plus ``"model"`` with ``keep_models``);
    the models are returned for the worker to answer questions with.
    """
    from ckptlint.extract import kbuild
    from ckptlint.kconfig import answers, loader

    models: dict[str, Any] = {}
    if item.kbuild:
        mark, started = len(tree.notes), time.perf_counter()
        with tree.recording() as seen:
            model = kbuild.extract(tree, item.srcarch)
        send(("kbuild", item.srcarch, model, tree.notes[mark:], time.perf_counter() - started,
              {rel: tree.read_stats.get(rel) for rel in sorted(seen)}))
    for config in item.configs:
        mark = len(tree.notes)
        model = loader.load(tree, config)
        if eager and model.error is None:
            model.possible  # noqa: B018 - computed here, in parallel, not during the checks
        summary = answers.summary_of(model)
        value = {"summary": summary, "model": model} if keep_models else {"summary": summary}
        models[config.label] = model
        send(("kconfig", config.label, value, tree.notes[mark:],
              model.load_seconds + model.analysis_seconds,
              {rel: tree.read_stats.get(rel) for rel in model.inputs}))
    return models


def _serve(conn: Any, tree: KernelTree, share: list[ArchWork], eager: bool) -> None:
    """Worker main: evaluate, then answer questions until told to stop or the pipe closes."""
    from ckptlint.kconfig.answers import answer_locally

    models: dict[str, Any] = {}
    try:
        for item in share:
            models.update(evaluate(tree, item, eager, conn.send))
        conn.send(("ready",))
        while True:
            message = conn.recv()
            if message[0] == "quit":
                break
            _, label, name, args = message
            try:
                conn.send(("ok", answer_locally(models[label], name, args)))
            except ValueError as exc:
                conn.send(("ValueError", str(exc)))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    except Exception as exc:  # reported by the parent as an internal error
        try:
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        except OSError:
            pass


class WorkerError(RuntimeError):
    """A worker failed or went away."""


class ArchPool:
    """Forked workers holding per-arch results; a context manager that always reaps them."""

    def __init__(self, tree: KernelTree, work: list[ArchWork], jobs: int, eager: bool = True,
                 on_result: Callable[[str, str], None] | None = None) -> None:
        import multiprocessing

        self.tree = tree
        context = multiprocessing.get_context("fork")
        self.conns: list[Any] = []
        self.procs: list[Any] = []
        self.owner: dict[str, int] = {}
        self.results: dict[tuple[str, str], tuple] = {}
        self.on_result = on_result
        for index, share in enumerate(share_out(work, jobs)):
            parent, child = context.Pipe()
            proc = context.Process(target=_serve, args=(child, tree, share, eager),
                                   name=f"ckptlint-arch-{index}", daemon=True)
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)
            for item in share:
                for config in item.configs:
                    self.owner[config.label] = index
        self._ready = [False] * len(self.conns)

    def __enter__(self) -> "ArchPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _receive(self, index: int) -> tuple:
        try:
            message = self.conns[index].recv()
        except (EOFError, OSError):
            raise WorkerError(f"worker {index} exited unexpectedly") from None
        if message[0] == "failed":
            raise WorkerError(f"worker {index}: {message[1]}")
        return message

    def gather(self) -> None:
        """Wait for every worker's evaluations; ``results[(kind, key)]`` = (value, notes, seconds, inputs)."""
        for index in range(len(self.conns)):
            while not self._ready[index]:
                message = self._receive(index)
                if message[0] == "ready":
                    self._ready[index] = True
                    continue
                kind, key, *rest = message
                self.results[(kind, key)] = tuple(rest)
                if self.on_result is not None:
                    self.on_result(kind, key)

    def ask(self, label: str, name: str, args: tuple) -> Any:
        """One Kconfig question, answered by the worker holding the arch's model."""
        self.gather()
        index = self.owner[label]
        self.conns[index].send(("ask", label, name, args))
        kind, value = self._receive(index)
        if kind == "ValueError":
            raise ValueError(value)
        return value

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        for conn in self.conns:
            try:
                conn.send(("quit",))
                conn.close()
            except OSError:
                pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        self.conns, self.procs = [], []


def merge_notes(tree: KernelTree, notes: list[TreeNote]) -> None:
    """Add a worker's tree notes, as if the reads had happened here (one note per path)."""
    for note in notes:
        if note in tree.notes:
            continue
        if note.kind in ("unreadable", "too-large"):
            if note.loc.path in tree._noted:  # noqa: SLF001 - the tree's own dedup rule
                continue
            tree._noted.add(note.loc.path)  # noqa: SLF001
        tree.notes.append(note)
