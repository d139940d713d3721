"""A hard time limit for a block of test code: a hang becomes a failure, not a stuck run."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TimeLimitExceeded(BaseException):
    """Not an Exception, so the command's own catch-all cannot turn it into an exit status."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the main thread if the block runs longer than ``seconds``.

    SIGALRM interrupts a blocking open() or read() (Python retries it, after running the
    handler, which raises), so a command stuck on a FIFO fails the test instead of hanging it.
    """
    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
