"""Fixtures of the security tests."""

from __future__ import annotations

import signal

import pytest


@pytest.fixture
def no_hang():
    """Turn a blocked read (a FIFO opened by mistake) or a runaway run into a failure, not a hung suite."""
    def timeout(signum, frame):
        raise AssertionError("ckptlint blocked or ran for over 60 s (a FIFO opened? quadratic input?)")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
