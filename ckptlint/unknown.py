"""What ckptlint could not evaluate, and which checks stood down because of it.

An unknown never becomes an error. Where a fact or a Kconfig answer cannot be
had -- an arch's Kconfig that does not load, a line its parser does not
understand, a ``$(shell,...)`` that would have to be run, a wiring input that
cannot be read -- the question gets an :class:`Unknown` answer carrying its
:class:`Cause`, instead of a guess. ``Unknown`` refuses to be used as a
truth value (``if answer:`` raises :class:`UndecidedError`), so no check can
silently treat it as yes or no: each says what it does without the answer,
which is to derive no finding from it.

Every Unknown handed to a check is written in the run's :class:`Ledger`
(cause -> the checks that met it). The cause is then reported once, at its
own place, by the check that owns it (CKL403 for Kconfig, CKL010 for inputs),
saying which checks were affected; the summary line counts the causes.
"""

from __future__ import annotations

import contextvars
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from ckptlint.facts import Location


@dataclass(frozen=True, order=True)
class Cause:
    """Why something could not be evaluated, where.

    ``refused``: the kernel's own tools refuse this input too (a syntax error
    ``make *config`` stops at): reported as an error at its line. Otherwise
    the tree is fine and ckptlint is the one that cannot evaluate it: a
    warning when some check stood down because of it, else a note.
    """

    loc: Location
    message: str
    refused: bool = False


class UndecidedError(TypeError):
    """An :class:`Unknown` answer was used as a truth value."""


@dataclass(frozen=True)
class Unknown:
    """The answer to a question that could not be evaluated."""

    cause: Cause

    def __bool__(self) -> bool:
        raise UndecidedError(f"undecided ({self.cause.loc}: {self.cause.message}); "
                             "handle the Unknown answer explicitly")


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is an Unknown answer."""
    return value.__class__ is Unknown


def is_yes(value: Any) -> bool:
    """Whether an answer is a definite yes (an Unknown is neither yes nor no)."""
    return value.__class__ is not Unknown and bool(value)


def is_no(value: Any) -> bool:
    """Whether an answer is a definite no."""
    return value.__class__ is not Unknown and not value


def any_answer(answers: Any) -> Any:
    """Three-valued *or*: True if some answer is yes, else an Unknown if some is one, else False."""
    unknown = None
    for answer in answers:
        if answer.__class__ is Unknown:
            unknown = unknown or answer
        elif answer:
            return True
    return unknown if unknown is not None else False


def first_unknown(*values: Any) -> Unknown | None:
    """The first Unknown among ``values`` (None if all are known)."""
    for value in values:
        if value.__class__ is Unknown:
            return value
    return None


@dataclass
class Ledger:
    """Cause -> {check ID: number of Unknown answers it met}, for one run."""

    met: dict[Cause, dict[str, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, cause: Cause, check: str) -> None:
        with self._lock:
            per_check = self.met.setdefault(cause, {})
            per_check[check] = per_check.get(check, 0) + 1

    def checks(self, cause: Cause) -> list[str]:
        """IDs of the checks that met ``cause``, sorted."""
        return sorted(self.met.get(cause, {}))

    def causes(self) -> list[Cause]:
        return sorted(self.met)


#: The check whose code is running (set by the engine around each check).
_CHECK: contextvars.ContextVar[str | None] = contextvars.ContextVar("ckptlint_check", default=None)
#: The ledger of the run in progress (one run at a time per process).
_LEDGER: list[Ledger] = []


@contextmanager
def ledger() -> Iterator[Ledger]:
    """A fresh ledger for the duration of one run's checks."""
    book = Ledger()
    _LEDGER.append(book)
    try:
        yield book
    finally:
        _LEDGER.remove(book)


@contextmanager
def running(check_id: str) -> Iterator[None]:
    """Attribute Unknown answers met in this block (this thread) to ``check_id``."""
    token = _CHECK.set(check_id)
    try:
        yield
    finally:
        _CHECK.reset(token)


def met(value: Any) -> Any:
    """Write ``value`` in the ledger when it is an Unknown met by a running check; return it."""
    if value.__class__ is Unknown and _LEDGER:
        check = _CHECK.get()
        if check is not None:
            _LEDGER[-1].record(value.cause, check)
    return value
