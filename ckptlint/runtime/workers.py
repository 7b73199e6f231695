"""Per-arch work in parallel: forked copies of ckptlint evaluate Kbuild and Kconfig.

Each worker is a ``fork`` of the running ckptlint process (multiprocessing's
'fork' context; nothing is ever exec'd, no interpreter is started, no code of
the tree runs). The units -- one Kbuild descent over every srcarch (they share
most directory evaluations), and one unit per Kconfig configuration -- sit in
a fixed list, largest first; each worker takes the next one from a shared
counter when it is free, and so does the main process once its own extraction
is done (``-j N`` starts N-1 workers: the main process is the N-th). A Kbuild
result is a plain dataclass and is sent back; a Kconfig model stays with
whoever parsed it, which then answers the Kconfig questions the checks ask
(``ckptlint.runtime.kconfig_proxy``) until the run ends. Results are merged by
srcarch and label, so the outcome does not depend on who evaluated what.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
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
    """One unit of per-arch work: Kbuild descents and/or Kconfig configurations."""

    srcarch: str
    kbuild: bool
    configs: list[ArchConfig] = field(default_factory=list)
    #: The srcarches whose Kbuild this unit evaluates (default: ``srcarch`` if ``kbuild``).
    kbuild_arches: list[str] = field(default_factory=list)
    #: Directories whose files the run asks Kbuild about (None: every directory).
    wanted: frozenset[str] | None = None

    @property
    def descents(self) -> list[str]:
        """Srcarches whose Kbuild descent this unit runs, in order."""
        return self.kbuild_arches or ([self.srcarch] if self.kbuild else [])

    @property
    def cost(self) -> float:
        """Relative cost (6.12: the first Kbuild descent ~4 s, each further one ~0.3 s as
        they share directory evaluations; a Kconfig parse ~0.5 s)."""
        descents = len(self.descents)
        return (8 + (descents - 1) * 0.6 if descents else 0) + len(self.configs)


def order_units(work: list[ArchWork]) -> list[ArchWork]:
    """Largest first, ties by name: the order units are taken in (deterministic)."""
    return sorted(work, key=lambda w: (-w.cost, w.srcarch, [c.label for c in w.configs]))


def evaluate(tree: KernelTree, item: ArchWork, eager: bool, send: Callable[[tuple], None],
             keep_models: bool = False) -> dict[str, Any]:
    """Evaluate one srcarch; ``send((kind, key, value, notes, seconds, inputs))`` per result.

    ``inputs`` maps the paths the evaluation read or probed to their stat when
    first read (None: probed, not read). A Kconfig result's
    value is ``{"summary": ...}`` (plus ``"model"`` with ``keep_models``);
    the models are returned for the worker to answer questions with.
    """
    from ckptlint.extract import kbuild
    from ckptlint.kconfig import loader
    from ckptlint.runtime import kconfig_proxy

    models: dict[str, Any] = {}
    for srcarch in item.descents:
        mark, started = len(tree.notes), time.perf_counter()
        with tree.recording() as seen:
            scope = None if item.wanted is None else kbuild.scope_of(tree, item.wanted)
            model = kbuild.extract(tree, srcarch, scope)
        send(("kbuild", srcarch, model, tree.notes[mark:], time.perf_counter() - started,
              {rel: tree.read_stats.get(rel) for rel in sorted(seen)}))
    for config in item.configs:
        mark = len(tree.notes)
        model = loader.load(tree, config)
        if eager and model.error is None:
            # computed here, in parallel, not during the checks (CKL401 asks every arch)
            model.possible  # noqa: B018
            model.undefined_references()
        summary = kconfig_proxy.summary_of(model)
        value = {"summary": summary, "model": model} if keep_models else {"summary": summary}
        references = model.undefined_references() if eager and not keep_models \
            and model.error is None else None
        if isinstance(references, list):
            # sent with the result, as plain rows: CKL401 asks every arch, and
            # pickled Locations cost more to rebuild than rows (kconfig_proxy.undefined_rows)
            value["undefined"] = kconfig_proxy.undefined_rows(references)
        models[config.label] = model
        send(("kconfig", config.label, value, tree.notes[mark:],
              model.load_seconds + model.analysis_seconds,
              {rel: tree.read_stats.get(rel) for rel in model.inputs}))
    return models


def _take(counter: Any, total: int) -> int | None:
    """The index of the next unit nobody has taken, or None."""
    with counter.get_lock():
        index = counter.value
        if index >= total:
            return None
        counter.value = index + 1
        return index


def _outcome(model: Any, name: str, args: tuple) -> tuple[str, Any]:
    """("ok", answer) or ("ValueError", message): what a worker sends back for a question."""
    from ckptlint.runtime.kconfig_proxy import answer_locally

    try:
        return "ok", answer_locally(model, name, args)
    except ValueError as exc:
        return "ValueError", str(exc)


def _serve(conn: Any, tree: KernelTree, units: list[ArchWork], counter: Any, eager: bool,
           standby: dict[str, ArchConfig] | None = None) -> None:
    """Worker main: take units until none is left, then answer questions until told to stop
    (``standby``: configurations whose model is loaded here when first asked about)."""
    models: dict[str, Any] = {}

    def model(label: str) -> Any:
        if label not in models and standby and label in standby:
            config = standby[label]  # its results are in the cache already: only the model
            models.update(evaluate(tree, ArchWork(config.srcarch, kbuild=False, configs=[config]),
                                   False, lambda message: None))
        return models[label]
    try:
        # results are sent once no unit is left: the parent reads them only
        # when its own extraction and units are done, and a Kbuild model is
        # larger than a pipe's buffer, so sending each at once would stall here
        done: list[tuple] = []
        while (index := _take(counter, len(units))) is not None:
            models.update(evaluate(tree, units[index], eager, done.append))
        for message in done:
            conn.send(message)
        conn.send(("ready",))
        # Prefetches ("ask_many") are worked on only while no question waits:
        # one answer at a time, then a look at the pipe. A batch's answers go
        # back in one reply when it is complete, batches in the order sent.
        batches: deque[tuple[str, list, list]] = deque()
        while True:
            if batches and not conn.poll(0):
                label, questions, answered = batches[0]
                name, args = questions[len(answered)]
                answered.append(_outcome(model(label), name, args))
                if len(answered) == len(questions):
                    conn.send(("many", answered))
                    batches.popleft()
                continue
            message = conn.recv()
            if message[0] == "quit":
                break
            if message[0] == "ask_many":
                batches.append((message[1], message[2], []))
                continue
            _, label, name, args = message
            conn.send(_outcome(model(label), name, args))
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
    """Forked workers taking units from a shared list; a context manager that always reaps them.

    ``workers`` processes are started; the caller may take units too
    (``take``) and evaluates those itself.
    """

    def __init__(self, tree: KernelTree, work: list[ArchWork], workers: int, eager: bool = True,
                 on_result: Callable[[str, str], None] | None = None,
                 standby: list[ArchConfig] | None = None) -> None:
        """``standby``: configurations the first worker loads only when asked about them
        (their answers came from the cache; a question the cache lacks needs the model)."""
        import multiprocessing

        self.tree = tree
        context = multiprocessing.get_context("fork")
        self.units = order_units(work)
        self._counter = context.Value("i", 0)
        self.conns: list[Any] = []
        self.procs: list[Any] = []
        #: Kconfig label -> index of the worker holding its model (from its results).
        self.owner: dict[str, int] = {}
        self.results: dict[tuple[str, str], tuple] = {}
        self.on_result = on_result
        waiting = {config.label: config for config in standby or ()}
        self.owner.update(dict.fromkeys(waiting, 0))
        for index in range(max(1, min(workers, len(self.units)))):
            parent, child = context.Pipe()
            proc = context.Process(target=_serve, args=(child, tree, self.units, self._counter, eager,
                                                        waiting if index == 0 else None),
                                   name=f"ckptlint-arch-{index}", daemon=True)
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)
        self._ready = [False] * len(self.conns)
        self._stopped = [False] * len(self.conns)
        self._locks = [threading.Lock() for _ in self.conns]
        #: Per worker, the (label, questions) of prefetches sent and not yet read back.
        self._pending: list[list[tuple[str, list]]] = [[] for _ in self.conns]
        #: Answers read back from prefetches: (label, name, args) -> (kind, value).
        self._prefetched: dict[tuple, tuple[str, Any]] = {}

    def take(self) -> ArchWork | None:
        """The next unit no worker has taken (for the caller to evaluate), or None."""
        index = _take(self._counter, len(self.units))
        return None if index is None else self.units[index]

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
                if kind == "kconfig":
                    self.owner[key] = index
                if self.on_result is not None:
                    self.on_result(kind, key)

    def ask(self, label: str, name: str, args: tuple) -> Any:
        """One Kconfig question, answered by the worker holding the arch's model
        (thread-safe: a question and its answer are one exchange on the pipe)."""
        self.gather()
        index = self.owner[label]
        with self._locks[index]:
            found = self._prefetched.pop((label, name, args), None)
            if found is None:
                self.conns[index].send(("ask", label, name, args))
                while (found := self._receive(index))[0] == "many":
                    self._keep(index, found[1])  # a prefetch completed meanwhile
        kind, value = found
        if kind == "ValueError":
            raise ValueError(value)
        return value

    def prefetch(self, label: str, questions: list[tuple[str, tuple]]) -> None:
        """Have the worker holding ``label`` answer ``questions`` when it has nothing
        else to do, without waiting: ``ask`` reads the answers back as they come, and
        answers a question itself until then."""
        self.gather()
        index = self.owner[label]
        with self._locks[index]:
            self.conns[index].send(("ask_many", label, questions))
            self._pending[index].append((label, questions))

    def _keep(self, index: int, answers: list) -> None:
        """File the answers of a worker's oldest outstanding prefetch (under its lock)."""
        label, questions = self._pending[index].pop(0)
        for (name, args), outcome in zip(questions, answers):
            self._prefetched.setdefault((label, name, args), tuple(outcome))

    def stop(self) -> None:
        """Tell the workers to exit, without waiting (``close`` reaps them): they
        free their models while this process stores its cache entries."""
        for index, conn in enumerate(self.conns):
            if not self._stopped[index]:
                self._stopped[index] = True
                try:
                    conn.send(("quit",))
                except OSError:
                    pass

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        self.stop()
        for conn, proc in zip(self.conns, self.procs):
            # a worker may be blocked sending a prefetch's answers nobody asked
            # for: read and drop them until it has seen "quit" and exited
            deadline = time.monotonic() + 5
            while proc.is_alive() and time.monotonic() < deadline:
                try:
                    if conn.poll(0.05):
                        conn.recv()
                except (EOFError, OSError):
                    proc.join(timeout=max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        for conn in self.conns:
            conn.close()
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
