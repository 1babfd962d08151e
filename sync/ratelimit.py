"""One rate limiter shared by every thread of a worker: the Sheets API quota, not the CPU, is the limit."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


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

    def clone(self) -> RateLimiter:
        """The same limit, window and clock, with a window of its own."""
        return RateLimiter(self.limit, self.window, clock=self.clock, sleep=self.sleep)

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
    """The Sheets API's two per-minute quotas of one service account, one limiter each.

    Google counts per service account: ``account(i)`` is the same limits for
    the i-th account of the config, paced apart from the others.
    """

    reads: RateLimiter
    writes: RateLimiter
    _others: dict[int, Quota] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def account(self, index: int) -> Quota:
        """The quota of service account ``index`` (0 is this one)."""
        if index == 0:
            return self
        with self._lock:
            if index not in self._others:
                self._others[index] = Quota(self.reads.clone(), self.writes.clone())
            return self._others[index]
