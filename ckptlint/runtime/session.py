"""One run's machinery: cache, file digests, per-arch workers, progress.

Per-arch results -- a srcarch's Kbuild model, an arch's Kconfig answers -- come
from the cache when every file they were computed from is unchanged, else from
forked workers (``-j N``, N > 1) or from this process (``-j1``). Either way
the facts handed to the graph are the same; only where they come from differs.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ckptlint.runtime import cutoff, overlap
from ckptlint.runtime.cache import Cache, key_text, open_cache
from ckptlint.runtime.fingerprints import FileDigests, code_fingerprint
from ckptlint.runtime.progress import Progress
from ckptlint.runtime.workers import ArchPool, ArchWork, default_jobs, merge_notes
from ckptlint.tree import KernelTree

if TYPE_CHECKING:
    from ckptlint.kconfig.model import ArchConfig

LOG = logging.getLogger(__name__)


#: Models in this process answer one question at a time: the checks may ask from
#: two threads (``engine``), and loading a model swaps os.environ and patches
#: kconfiglib for the duration, while settling possible values mutates the model.
_LOCAL_MODELS = threading.Lock()


def _answer_here(model: Any, name: str, args: tuple) -> Any:
    from ckptlint.runtime.kconfig_proxy import answer_locally

    with _LOCAL_MODELS:
        return answer_locally(model, name, args)


class Session:
    """Cache and workers of one run; ``close()`` stores what was learnt and reaps workers."""

    def __init__(self, tree: KernelTree, use_cache: bool = True, jobs: int | None = None,
                 cache_dir: str | None = None) -> None:
        from ckptlint.memory import thaw

        thaw()  # what an earlier run in this process froze and dropped
        self.tree = tree
        # an overlay of staged or patched files is cached by part too: the files it serves
        # from memory are digested from their content (FileDigests), every other from disk
        self.cache: Cache | None = open_cache(tree.root, use_cache,
                                              Path(cache_dir) if cache_dir else None)
        self.digests = FileDigests(tree, self.cache) if self.cache is not None else None
        self.jobs = jobs if jobs and jobs > 0 else default_jobs()
        self.pool: ArchPool | None = None
        self.fresh: dict[tuple[str, str], list[str]] = {}
        self.work: list[ArchWork] = []
        self.local: list[ArchWork] = []  # units this process evaluates itself
        self._kbuild_stored = False
        #: A stored Kbuild entry (models, notes, the directories it was made for), decoded
        #: by start, used by finish when it covers what the run asks about.
        self._kbuild_candidate: tuple | None = None
        self._kbuild_wanted: frozenset[str] | None = None
        self.progress = Progress(0)
        self.workers = 0
        self.store_seconds = 0.0
        #: Changed inputs by which a stored run was settled (ckptlint.runtime.cutoff).
        self.settled: list[str] = []
        self.kconfig: dict[str, Any] = {}
        self.kbuild: dict[str, Any] = {}
        self.timings: dict[str, float] = {}
        self._notes: dict[str, list[Any]] = {}
        self._configs: list[ArchConfig] = []
        self._srcarches: list[str] = []
        self._wanted: dict[str, list[tuple[str, tuple]]] = {}  # announced Kconfig questions
        self.scans = None
        if self.cache is not None:
            from ckptlint.runtime.scans import ScanMemory

            self.scans = ScanMemory(tree, self.cache, self.digests, self._key("scans", "answers"))
            tree.scan_memory = self.scans

    # -- keys -------------------------------------------------------------
    def _key(self, kind: str, name: str, extra: Any = None) -> str:
        return key_text(kind, code_fingerprint(), str(self.tree.root), self.tree.max_file_bytes, name, extra)

    def _kconfig_key(self, config: ArchConfig) -> str:
        from ckptlint.kconfig.environ import environment

        env = {k: v for k, v in environment(self.tree, config).items() if k != "srctree"}
        from ckptlint.kconfig.loader import kconfig_root

        return self._key("kconfig", config.label, [config.arch, config.srcarch, config.subarch, env,
                                                   kconfig_root(self.tree, config)])

    def _lookup(self, kind: str, key: str) -> Any | None:
        """A cached entry whose recorded inputs are all unchanged."""
        if self.cache is None:
            return None
        entry = self.cache.get(kind, key)
        if not isinstance(entry, dict) or not self.digests.unchanged(entry.get("inputs")):
            return None
        self.tree.record(entry["inputs"])  # the run read them, through this entry
        return entry

    # -- per-arch work ----------------------------------------------------
    def start(self, srcarches: list[str], configs: list[ArchConfig]) -> None:
        """Answer what the cache can; hand the rest to workers (started now) or to ``finish``."""
        from ckptlint.runtime import codec
        from ckptlint.runtime.kconfig_proxy import KconfigAnswers, load_answers

        self._srcarches, self._configs = list(srcarches), list(configs)
        todo: dict[str, ArchWork] = {}
        self._kbuild_candidate = None
        if srcarches:  # one entry for the srcarches of the run (their models share rows)
            entry = self._lookup("kbuild", self._key("kbuild", "+".join(srcarches)))
            try:
                models = codec.decode_kbuild_set(entry["models"])
                notes = {srcarch: codec.decode(entry["notes"][srcarch]) for srcarch in srcarches}
                wanted = entry.get("wanted")
                if sorted(models) != sorted(srcarches):
                    raise ValueError("other srcarches")
                wanted = None if wanted is None else frozenset(str(d) for d in wanted)
            except (TypeError, ValueError, KeyError):
                pass
            else:  # used by finish if it covers the directories the run asks about
                self._kbuild_candidate = (models, notes, wanted)
        locations: dict = {}  # equal Locations shared between arches' answers
        cached: list[ArchConfig] = []
        for config in configs:
            entry = self._lookup("kconfig", self._kconfig_key(config))
            try:
                summary, memo = load_answers(entry["answers"], locations)
                notes = codec.decode(entry["notes"])
            except (TypeError, ValueError, KeyError):
                todo[f"kconfig {config.label}"] = ArchWork(config.srcarch, kbuild=False, configs=[config])
                continue
            self.kconfig[config.label] = KconfigAnswers(config, summary, self._local(config), memo)
            self._notes[f"kconfig {config.label}"] = notes
            cached.append(config)
        self.work = list(todo.values())
        descents = 0 if self._kbuild_candidate else len(srcarches)
        self.progress = Progress(descents + sum(len(w.configs) for w in self.work))
        if self.jobs > 1 and (self.work or cached):
            # jobs - 1 workers: this process is the last one, taking units once its own
            # extraction is done (finish). The first also stands by for the arches whose
            # answers came from the cache: a question the cache lacks loads the model
            # there, not here (matrix and report ask new ones; 23 models are ~750 MiB)
            self.pool = ArchPool(self.tree, self.work, self.jobs - 1, on_result=self._step,
                                 standby=cached)
            self.workers = len(self.pool.procs)
            for config in cached:  # asked when needed: no prefetch loads a model for nothing
                self.kconfig[config.label].backend = functools.partial(self.pool.ask, config.label)

    def _step(self, kind: str, key: str) -> None:
        self.progress.step(f"{kind} {key}")

    def _local(self, config: ArchConfig):
        """A backend that loads the arch's model in this process on first use."""
        from ckptlint.kconfig import loader
        from ckptlint.runtime.kconfig_proxy import answer_locally

        def backend(name: str, args: tuple) -> Any:
            with _LOCAL_MODELS:
                return answer_locally(loader.load(self.tree, config), name, args)
        return backend

    def finish(self, between: Callable[[dict[str, Any]], None] | None = None,
               wanted: frozenset[str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(kbuild by srcarch, Kconfig answers by label), in the order a sequential run makes them.

        ``wanted``: the directories whose files the run asks Kbuild about (None: all);
        the descents evaluate only what those need (``kbuild.scope_of``), and a stored
        descent serves when it was made for at least these directories.

        ``between(kbuild)`` is called once the Kbuild models are known, before
        this process helps with the Kconfig units: work that needs no Kconfig
        (the graph) then runs while the workers parse, rather than after them.
        """
        from ckptlint.runtime.kconfig_proxy import UNDEFINED_KEY, KconfigAnswers, undefined_from_rows
        from ckptlint.runtime.workers import evaluate

        results: dict[tuple[str, str], tuple] = {}

        def keep(message: tuple) -> None:
            results[message[:2]] = message[2:]
            self._step(*message[:2])
        self._kbuild_wanted = wanted
        candidate, self._kbuild_candidate = self._kbuild_candidate, None
        if candidate is not None and (candidate[2] is None or (wanted is not None and wanted <= candidate[2])):
            for srcarch in self._srcarches:
                self.kbuild[srcarch], self._notes[f"kbuild {srcarch}"] = candidate[0][srcarch], candidate[1][srcarch]
        elif self._srcarches:
            # One unit, always evaluated here: the descents share most directory
            # evaluations, and a worker's Kbuild models cost more to send back
            # (~0.5 s each, pickled and unpickled) than to compute again.
            self.local = [ArchWork(self._srcarches[0], kbuild=True, kbuild_arches=list(self._srcarches),
                                   wanted=wanted)]
            if candidate is not None:
                self.progress.total += len(self._srcarches)
        for item in self.local:
            evaluate(self.tree, item, False, keep, keep_models=True)
        if self.cache is not None and self.pool is not None:
            # stored now, while the workers finish, rather than after the checks
            started = time.perf_counter()
            self._store_kbuild({key: value for (kind, key), value in results.items() if kind == "kbuild"})
            self.store_seconds += time.perf_counter() - started
        if between is not None:  # the models from the cache (start) and those just made
            known = {**self.kbuild, **{key: value[0] for (kind, key), value in results.items()
                                       if kind == "kbuild"}}
            between({s: known[s] for s in self._srcarches if s in known})
        if self.pool is not None:
            while (item := self.pool.take()) is not None:  # help the workers
                evaluate(self.tree, item, True, keep, keep_models=True)
            self.pool.gather()
            results.update(self.pool.results)
        else:
            for item in self.work:
                evaluate(self.tree, item, False, keep, keep_models=True)
        self.progress.done()
        configs = {c.label: c for c in self._configs}
        locations: dict = {}  # equal Locations shared between arches' answers
        for (kind, key), (value, notes, seconds, inputs) in sorted(results.items()):
            self.timings[f"{kind} {key}"] = seconds
            self._notes[f"{kind} {key}"] = notes
            self.fresh[(kind, key)] = list(inputs)
            self.tree.record(inputs)  # read in a worker, on this run's behalf
            for rel, seen in inputs.items():
                if seen is not None:
                    self.tree.read_stats.setdefault(rel, seen)
            if kind == "kbuild":
                self.kbuild[key] = value
                continue
            model = value.get("model")
            backend = (functools.partial(_answer_here, model) if model is not None
                       else functools.partial(self.pool.ask, key))
            memo = {}
            if value.get("undefined") is not None:
                memo[UNDEFINED_KEY] = ("ok", undefined_from_rows(value["undefined"], locations))
            self.kconfig[key] = KconfigAnswers(configs[key], value["summary"], backend, memo)
            if model is None:
                self.kconfig[key].prefetcher = functools.partial(self.pool.prefetch, key)
        for srcarch in self._srcarches:
            merge_notes(self.tree, self._notes.get(f"kbuild {srcarch}", []))
        for config in self._configs:
            merge_notes(self.tree, self._notes.get(f"kconfig {config.label}", []))
        kbuild = {s: self.kbuild[s] for s in self._srcarches if s in self.kbuild}
        kconfig = {c.label: self.kconfig[c.label] for c in self._configs if c.label in self.kconfig}
        return kbuild, kconfig

    def stats(self) -> dict[str, Any]:
        """Jobs, per-arch seconds (in whichever process did the work) and cache counters."""
        cache = None
        if self.cache is not None:
            cache = {"dir": str(self.cache.root), "hits": self.cache.hits,
                     "misses": self.cache.misses, "writes": self.cache.writes,
                     "settled": list(self.settled),
                     "scans_reused": self.scans.reused if self.scans is not None else 0}
        return {"jobs": self.jobs, "workers": self.workers, "per_arch": dict(sorted(self.timings.items())),
                "cache": cache, "cache_store_seconds": self.store_seconds}

    # -- the definition scan and the checks ------------------------------------
    def definitions(self, extra: set[str]) -> list:
        """The tree-wide definition scan (``extra``: names looked for besides sys_*):
        here, uncached and in order when there is neither a cache nor a CPU to spare,
        else file by file through the cache and forked workers; the same either way."""
        # while arch workers evaluate units they have the other CPUs: no second pool
        jobs = self.jobs if not self.work else 1
        if self.cache is None and jobs <= 1:
            # uncached and single-process: nothing to digest; the tree's own scan
            # cache serves series mode, which carries it from one commit to the next
            from ckptlint.extract import defines

            return defines.extract(self.tree, extra_names=sorted(extra))
        from ckptlint.runtime.definition_scan import scan_definitions

        return scan_definitions(self.tree, extra, self.cache, self.digests, jobs)

    def announce(self, graph: Any, checks: list) -> None:
        """Note the Kconfig questions ``checks`` announce, when workers hold the models."""
        if self.pool is not None:
            self._wanted.update(overlap.announced(graph, checks))

    def prefetch(self, graph: Any) -> None:
        """Hand the announced questions to the workers, to answer while the checks begin."""
        if self.pool is not None:
            overlap.prefetch(graph, self._wanted)

    def run_checks(self, checks: list, run: Callable[[Any], list]) -> list:
        """``run(check)`` of every check: in two threads when workers hold the models."""
        return overlap.run_checks(checks, run, two_threads=self.pool is not None)

    # -- whole runs ---------------------------------------------------------
    def run_key(self, what: Any) -> str | None:
        """Key of a whole run's result (``what``: the options that shape it); None without a cache."""
        return self._key("run", "findings", what) if self.cache is not None else None

    def cached_run(self, key: str | None) -> dict | None:
        """A stored run result whose tree has not changed: no directory changed (so no file
        was added or removed) and every file the run read is the same."""
        from ckptlint.runtime import codec

        if key is None:
            return None
        entry = self.cache.get("run", key)
        if not isinstance(entry, dict) or not self.digests.dirs_unchanged(entry.get("dirs")):
            return None
        changed = self.digests.changed_files(entry.get("inputs"), cutoff.MAX_CHANGED)
        if changed is None or (changed and not cutoff.settled(self.tree, changed,
                                                               entry.get("projected"))):
            return None
        try:
            result = codec.decode(entry["result"])
        except (KeyError, TypeError, ValueError):
            return None
        if not isinstance(result, dict) or not isinstance(entry.get("inputs"), dict):
            return None
        result["reads"] = sorted(str(rel) for rel in entry["inputs"])
        result["projected"] = entry.get("projected") if isinstance(entry.get("projected"), dict) else {}
        if changed:  # settled: the same findings; the entry now stands for these contents
            self.settled = changed
            # as read by the projections: a file saved again since is "changed during the run"
            self.cache.put("run", key, {**entry, "inputs": {
                **entry["inputs"], **self.digests.snapshot(changed)}})
            self.digests.changed = True
        return result

    def store_run(self, key: str | None, reads: set[str], projected: dict, result: dict) -> None:
        """Store a run's result with the state of everything it read (``projected``: what
        the inputs read only through projections gave, ckptlint.runtime.cutoff)."""
        from ckptlint.runtime import codec

        if key is None or not self.tree.dir_stamps:
            return
        started = time.perf_counter()
        self.cache.put("run", key, {"dirs": self.tree.dir_stamps, "inputs": self.digests.snapshot(reads),
                                    "projected": projected, "result": codec.encode(result)})
        self.digests.changed = True  # refresh the index's date (saved by close): it dates the stamps
        self.store_seconds += time.perf_counter() - started

    # -- end of run -------------------------------------------------------
    def close(self) -> None:
        """Store new results and answers in the cache, then stop the workers."""
        try:
            if self.cache is not None:
                if self.pool is not None:
                    self.pool.stop()  # every answer is in this process by now
                self._store()
        finally:
            if self.pool is not None:
                self.pool.close()
                self.pool = None

    def _store_kbuild(self, fresh: dict[str, tuple]) -> None:
        """Store the run's Kbuild models as one entry, when all of them were evaluated now
        (``fresh``: srcarch -> (model, notes, seconds, inputs))."""
        from ckptlint.runtime import codec

        if not fresh or set(fresh) != set(self._srcarches):
            return
        inputs = set().union(*(set(item[3]) for item in fresh.values()))
        wanted = getattr(self, "_kbuild_wanted", None)
        self.cache.put("kbuild", self._key("kbuild", "+".join(self._srcarches)), {
            "inputs": self.digests.snapshot(inputs),
            "wanted": None if wanted is None else sorted(wanted),
            "models": codec.encode_kbuild_set({s: fresh[s][0] for s in self._srcarches}),
            "notes": {s: codec.encode(fresh[s][1]) for s in self._srcarches}})
        self._kbuild_stored = True

    def _store(self) -> None:
        from ckptlint.runtime import codec
        from ckptlint.runtime.kconfig_proxy import dump_answers

        started = time.perf_counter()
        if not self._kbuild_stored:
            self._store_kbuild({key: (self.kbuild[key], self._notes.get(f"kbuild {key}", []), 0.0,
                                      self.fresh[("kbuild", key)])
                                for kind, key in self.fresh if kind == "kbuild"})
        for config in self._configs:
            answers = self.kconfig.get(config.label)
            inputs = self.fresh.get(("kconfig", config.label))
            if answers is None or (inputs is None and not answers.asked_backend):
                continue
            key = self._kconfig_key(config)
            if inputs is None:  # a cache hit that learnt new answers: same inputs
                inputs_snapshot = (self.cache.get("kconfig", key) or {}).get("inputs")
            else:
                inputs_snapshot = self.digests.snapshot(inputs)
            try:
                data = {"inputs": inputs_snapshot, "answers": dump_answers(answers),
                        "notes": codec.encode(self._notes.get(f"kconfig {config.label}", []))}
            except TypeError as exc:  # an answer that is not plain data: not cached
                LOG.debug("kconfig %s not cached: %s", config.label, exc)
                continue
            self.cache.put("kconfig", key, data)
        if self.scans is not None:  # after the run's snapshot: the index holds what it read
            self.scans.store()
        self.digests.save()
        if self.cache.writes:  # a run that stored nothing leaves the cache as it found it
            self.cache.evict()
        self.store_seconds += time.perf_counter() - started
