"""Forked arch workers: prefetched Kconfig questions, answered ahead without changing an answer."""

from __future__ import annotations

import time

from ckptlint.kconfig import loader
from ckptlint.runtime.kconfig_proxy import answer_locally
from ckptlint.runtime.workers import ArchPool, ArchWork
from ckptlint.tree import KernelTree

QUESTIONS = [("can_expr_be", ("CHECKPOINT", "y")), ("can_expr_be", ("X86_32 && CHECKPOINT", "y")),
             ("can_expr_be", ("X86_64 && CHECKPOINT", "y")), ("is_defined", ("CHECKPOINT",)),
             ("satisfiable", ("X86_32 && !X86_32",)), ("can_expr_be", ("((", "y"))]


def pool_for(tree: KernelTree, label: str) -> tuple[ArchPool, object]:
    config = next(c for c in loader.arch_configs(tree) if c.label == label)
    pool = ArchPool(tree, [ArchWork(config.srcarch, kbuild=False, configs=[config])], 1)
    pool.gather()
    return pool, loader.load(tree, config)


def outcome(model, name, args):
    try:
        return "ok", answer_locally(model, name, args)
    except ValueError as exc:
        return "ValueError", str(exc)


def asked(pool, label, name, args):
    try:
        return "ok", pool.ask(label, name, args)
    except ValueError as exc:
        return "ValueError", str(exc)


def test_prefetched_answers_are_the_answers(sample):
    tree = KernelTree(sample("seed-as-posted"))
    pool, model = pool_for(tree, "i386")
    with pool:
        pool.prefetch("i386", QUESTIONS)
        # asked at once, before the batch is answered, and again after
        first = [asked(pool, "i386", name, args) for name, args in QUESTIONS]
        pool.prefetch("i386", QUESTIONS)
        deadline = time.monotonic() + 10
        while pool._pending[0] and time.monotonic() < deadline:  # noqa: SLF001
            pool.ask("i386", "is_defined", ("X86",))  # reads the batch back when it comes
        assert not pool._pending[0]  # noqa: SLF001
        second = [asked(pool, "i386", name, args) for name, args in QUESTIONS]
    expected = [outcome(model, name, args) for name, args in QUESTIONS]
    assert first == second == expected
    assert expected[0] == ("ok", True) and expected[4] == ("ok", False) and expected[5][0] == "ValueError"


def test_closing_does_not_wait_for_a_prefetch_nobody_read(sample):
    """A worker blocked sending answers larger than the pipe's buffer still stops at once."""
    tree = KernelTree(sample("seed-as-posted"))
    pool, _ = pool_for(tree, "i386")
    many = [("is_defined", (f"SYM{i}",)) for i in range(200000)]  # ~1 MB of answers
    pool.prefetch("i386", many)
    time.sleep(2)
    started = time.monotonic()
    pool.close()
    assert time.monotonic() - started < 3
    assert pool.procs == []


def test_a_question_the_cache_lacks_loads_its_model_in_the_standby_worker(sample, tmp_path, monkeypatch,
                                                                          capsys):
    """After ``check`` filled the cache, ``matrix`` asks a question of x86_64 it lacks: with
    a worker the model is loaded there (``-j1``: here), and the answer is the same."""
    import os

    from ckptlint.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tree = sample("clean-6.12")
    past = os.stat(tree).st_mtime - 3600
    for path in [tree, *tree.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)
    main(["check", str(tree), "-j2"])
    capsys.readouterr()
    import shutil

    shutil.copytree(tmp_path / "xdg", tmp_path / "xdg-j1")  # each matrix meets check's cache
    outputs, loaded = [], []
    for jobs, cache in (("-j2", "xdg"), ("-j1", "xdg-j1")):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / cache))
        loader.clear_cache()
        main(["matrix", str(tree), "--syscall", "read", jobs, "--format", "json"])
        outputs.append(capsys.readouterr().out)
        loaded.append(sorted(label for _, label in loader._CACHE))  # noqa: SLF001
    assert loaded == [[], ["x86_64"]]
    assert outputs[0] == outputs[1]
