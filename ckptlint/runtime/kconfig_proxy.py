"""KconfigAnswers: a KconfigModel seen only through the questions the checks ask.

The checks ask a model a handful of questions (``can_expr_be``,
``satisfiable``, ``definitions``...) whose answers are plain data. An
``KconfigAnswers`` stands where the model stood in ``Facts.kconfig`` and
answers each question once: from answers recorded by an earlier run (the
cache), else from a backend -- a model loaded in this process, or a worker
process holding it (``ckptlint.runtime.workers``). Every answer it obtains is kept, so
the run can store them for the next one. A real model and its answers agree by
construction: an answer is only ever computed by the real model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable

from ckptlint.facts import Location
from ckptlint.unknown import met

if TYPE_CHECKING:
    from ckptlint.kconfig.model import ArchConfig

#: Questions a backend may be asked: model methods and ckptlint.kconfig.query functions.
MODEL_QUESTIONS = frozenset({"is_defined", "definitions", "can_be", "can_expr_be",
                             "undefined_references", "explain", "selectors", "unmet_selects"})
QUERY_QUESTIONS = frozenset({"satisfiable", "direct_dependency", "same_expr", "explain_expr"})


def answer_locally(model: Any, name: str, args: tuple) -> Any:
    """Ask a real KconfigModel (a query function or any public method); exceptions propagate."""
    if name in QUERY_QUESTIONS:
        from ckptlint.kconfig import query

        return getattr(query, name).__wrapped__(model, *args)
    method = getattr(model, name, None) if not name.startswith("_") else None
    if name in MODEL_QUESTIONS or callable(method):
        return method(*args)
    raise AttributeError(f"not a Kconfig question: {name}")


def summary_of(model: Any) -> dict:
    """The plain attributes the checks read of a model (its answers without a question)."""
    return {"error": model.error, "notes": list(model.notes),
            "missing_sources": list(model.missing_sources), "load_seconds": model.load_seconds,
            "cause": model.cause, "causes": list(model.causes)}


class KconfigAnswers:
    """One arch's Kconfig answers, from a memo first, else from ``backend``.

    ``backend(name, args)`` returns an answer or raises (ValueError answers are
    remembered too, as ``parse_expr`` raises one for a bad expression).
    """

    def __init__(self, arch: ArchConfig, summary: dict,
                 backend: Callable[[str, tuple], Any] | None, memo: dict | None = None) -> None:
        self.arch = arch
        self.error = summary["error"]
        self.notes = summary["notes"]
        self.missing_sources = summary["missing_sources"]
        self.load_seconds = summary["load_seconds"]
        self.cause = summary["cause"]
        self.causes = summary["causes"]
        self.summary = summary
        self.memo: dict[tuple, Any] = dict(memo or {})
        self.backend = backend
        #: ``prefetcher(questions)``: hand questions to the backend ahead (see prefetch).
        self.prefetcher: Callable[[list[tuple[str, tuple]]], None] | None = None
        self.asked_backend = 0

    def __repr__(self) -> str:
        return f"<KconfigAnswers {self.arch.label} error={self.error!r}>"

    def prefetch(self, questions: Iterable[tuple[str, tuple]]) -> None:
        """Announce questions likely to be asked: a backend in a worker process
        answers them meanwhile (``prefetcher``); elsewhere this does nothing."""
        if self.prefetcher is None or self.error is not None:
            return
        todo = [(name, args) for name, args in dict.fromkeys(questions) if (name, *args) not in self.memo]
        if todo:
            self.prefetcher(todo)

    def ask(self, name: str, args: tuple) -> Any:
        """The answer to one question, computed at most once."""
        key = (name, *args)
        if key not in self.memo:
            if self.backend is None:
                raise RuntimeError(f"no Kconfig model to answer {name}{args}")
            self.asked_backend += 1
            try:
                self.memo[key] = ("ok", self.backend(name, args))
            except ValueError as exc:
                self.memo[key] = ("ValueError", str(exc))
        kind, value = self.memo[key]
        if kind == "ValueError":
            raise ValueError(value)
        return met(value)

    # the KconfigModel methods the checks call
    def is_defined(self, name: str) -> bool:
        return self.ask("is_defined", (name,))

    def definitions(self, name: str) -> list[Location]:
        return self.ask("definitions", (name,))

    def can_be(self, name: str, value: str = "y") -> bool:
        return self.ask("can_be", (name, value))

    def can_expr_be(self, expr: str, value: str = "y") -> bool:
        return self.ask("can_expr_be", (expr, value))

    def undefined_references(self) -> list[tuple[str, str, Location]]:
        return self.ask("undefined_references", ())

    def explain(self, name: str, value: str = "y") -> list[tuple[str, Location]]:
        return self.ask("explain", (name, value))

    def selectors(self, name: str) -> list[tuple[str, Location]]:
        return self.ask("selectors", (name,))

    def unmet_selects(self, name: str) -> list[tuple[str, Location]]:
        return self.ask("unmet_selects", (name,))

    def __getattr__(self, name: str) -> Callable[..., Any]:
        """Any other public KconfigModel method, asked the same way (answers must be
        plain data to be cached: see ckptlint.runtime.codec)."""
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: self.ask(name, args)


# -- cache form -------------------------------------------------------------------
SUMMARY_KEYS = frozenset({"error", "notes", "missing_sources", "load_seconds", "cause", "causes"})


#: The memo key of the one large answer, stored as rows (6.12: ~6,400 references an arch).
UNDEFINED_KEY = ("undefined_references",)


def undefined_rows(references: list[tuple[str, str, Location]]) -> list[list]:
    """Undefined references as rows of plain values: ``[symbol, kind, path, line]``."""
    return [[name, kind, loc.path, loc.line] for name, kind, loc in references]


def undefined_from_rows(rows: list[list], locations: dict[tuple[str, int], Location]) -> list[tuple]:
    """The references back from :func:`undefined_rows`; ``locations`` shares equal
    Locations between arches (most references are in the generic Kconfig files,
    and a frozen dataclass costs microseconds to build)."""
    out = []
    for name, kind, path, line in rows:
        loc = locations.get((path, line))
        if loc is None:
            loc = locations[(path, line)] = Location(path, line)
        out.append((name, kind, loc))
    return out


def dump_answers(answers: KconfigAnswers) -> Any:
    """JSON-ready summary and memo of one arch.

    The undefined references, most of an arch's memo, are rows of plain
    values (``[symbol, kind, path, line]``) rather than generically encoded
    tuples: a fifth of the size, and ten times faster to write and read.
    """
    from ckptlint.runtime import codec

    memo = answers.memo
    rows = None
    outcome = memo.get(UNDEFINED_KEY)
    if outcome is not None and outcome[0] == "ok" and isinstance(outcome[1], list):
        rows = undefined_rows(outcome[1])
        memo = {key: value for key, value in memo.items() if key != UNDEFINED_KEY}
    return {"summary": codec.encode(answers.summary), "memo": codec.encode(memo), "undefined": rows}


def load_answers(data: Any, locations: dict | None = None) -> tuple[dict, dict]:
    """(summary, memo) back from :func:`dump_answers` output; ValueError if malformed
    (``locations``: see :func:`undefined_from_rows`)."""
    from ckptlint.runtime import codec

    try:
        summary, memo = codec.decode(data["summary"]), codec.decode(data["memo"])
        rows = data["undefined"]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed answers: {exc}") from None
    if not isinstance(summary, dict) or set(summary) != SUMMARY_KEYS or not isinstance(memo, dict):
        raise ValueError("malformed answers")
    if rows is not None:
        if not isinstance(rows, list) or not all(
                isinstance(row, list) and len(row) == 4 and isinstance(row[0], str)
                and isinstance(row[1], str) and isinstance(row[2], str)
                and isinstance(row[3], int) and not isinstance(row[3], bool) for row in rows):
            raise ValueError("malformed undefined references")
        memo[UNDEFINED_KEY] = ("ok", undefined_from_rows(rows, {} if locations is None else locations))
    return summary, memo
