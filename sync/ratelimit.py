"""One rate limiter shared by every thread of a worker: the Sheets API quota, not the CPU, is the limit."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


class RateLimiter:
    """At most ``limit`` calls in any ``window`` seconds, however many threads ask.

    A sliding window, not a token bucket: a bucket lets a full burst through
    right after a refill, which the API's per-minute quota would refuse.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("a rate limit allows at least one call per window")
        self.limit, self.window = limit, window
        self.clock, self.sleep = clock, sleep
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one more call fits in the window, then count it."""
        while True:
            with self._lock:
                now = self.clock()
                while self._times and self._times[0] <= now - self.window:
                    self._times.popleft()
                if len(self._times) < self.limit:
                    self._times.append(now)
                    return
                wait = self._times[0] + self.window - now
            self.sleep(max(wait, 0.001))


@dataclass(frozen=True)
class Quota:
    """The Sheets API's two per-minute quotas, one limiter each."""

    reads: RateLimiter
    writes: RateLimiter
