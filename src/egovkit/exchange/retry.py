"""Retries with exponential backoff and full jitter, for calls to remote exchanges.

Only errors that say they are worth retrying (:class:`~egovkit.errors.RemoteError` with
``retryable=True``: timeouts, dropped connections, 5xx answers) are retried; a refusal (4xx, a
``FAIL`` answer) is not. Jitter spreads the retries of many clients so they do not hit a
recovering server together. ``sleep`` and ``random`` are injectable so tests never wait.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from typing import TypeVar

import attrs

from egovkit.errors import RemoteError

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how patiently to retry: ``attempts`` calls in all, the n-th retry waiting
    a random time in ``[0, min(max_delay, base_delay * 2**n)]`` seconds."""

    attempts: int = 4
    base_delay: float = 0.2
    max_delay: float = 5.0
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, eq=False, repr=False)
    random: Callable[[], float] = attrs.field(default=_random.random, eq=False, repr=False)

    def delay(self, retry: int) -> float:
        """The wait before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * (2**retry))
        return float(ceiling * self.random())

    def call(self, work: Callable[[], T]) -> T:
        """Run ``work``, retrying retryable remote errors; the last error is raised."""
        for retry in range(self.attempts):
            try:
                return work()
            except RemoteError as exc:
                if not exc.retryable or retry == self.attempts - 1:
                    raise
                self.sleep(self.delay(retry))
        raise AssertionError("unreachable")  # pragma: no cover


#: No retries at all (for tests of a single call).
NO_RETRY = RetryPolicy(attempts=1)

__all__ = ["NO_RETRY", "RetryPolicy"]
