"""Overlapping the checks with the workers that hold the Kconfig models.

When Kconfig models live in worker processes, a check spends about half its time
blocked on a worker's answer, with the GIL released. Two things use that time:
the questions the checks announce (their ``prefetch(graph)``) are handed to the
workers before the checks start, and every other check that asks Kconfig
questions runs in a second thread. Checks only read the graph and memoise pure
answers, so the findings are the same either way (tests/engine/test_serial_reference.py).
"""

from __future__ import annotations

import threading
from types import ModuleType
from typing import Any, Callable


def announced(graph: Any, checks: list[ModuleType]) -> dict[str, list[tuple[str, tuple]]]:
    """The Kconfig questions that checks announce (their ``prefetch(graph)``), by arch
    label: worked out from the graph alone, so while the workers still parse."""
    wanted: dict[str, list[tuple[str, tuple]]] = {}
    for check in checks:
        announce = getattr(check, "prefetch", None)
        if announce is not None:
            for label, name, args in announce(graph):
                wanted.setdefault(label, []).append((name, args))
    return wanted


def prefetch(graph: Any, wanted: dict[str, list[tuple[str, tuple]]]) -> None:
    """Hand announced questions to the workers holding the models, which answer
    them while the checks begin."""
    for label, questions in sorted(wanted.items()):
        model = graph.facts.kconfig.get(label)
        if model is not None and hasattr(model, "prefetch"):
            model.prefetch(questions)


def run_checks(checks: list[ModuleType], run: Callable[[ModuleType], list],
               two_threads: bool) -> list:
    """``run(check)`` of every check, concatenated; with ``two_threads`` every other
    Kconfig-heavy check runs in a second thread (its results come last)."""
    side = [c for c in checks if "kconfig" in c.REQUIRES][1::2] if two_threads else []
    if not side:
        return [finding for check in checks for finding in run(check)]
    found: list = []
    failed: list[BaseException] = []

    def run_side() -> None:
        try:
            for check in side:
                found.extend(run(check))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            failed.append(exc)
    thread = threading.Thread(target=run_side, name="ckptlint-checks", daemon=True)
    thread.start()
    mine = [finding for check in checks if check not in side for finding in run(check)]
    thread.join()
    if failed:
        raise failed[0]
    return mine + found
