"""The shared rate limiter: never more calls in a window than the quota, under many threads."""

from __future__ import annotations

import threading
from collections import deque

from sync.ratelimit import RateLimiter


class FakeClock:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_sliding_window_admits_the_limit_then_waits_for_the_oldest_to_expire() -> None:
    """3 per 60 s: three calls at once, the fourth only when the first leaves the window."""
    clock = FakeClock()
    limiter = RateLimiter(3, 60, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(7):
        limiter.acquire()
        times.append(clock.now)
    assert times == [0, 0, 0, 60, 60, 60, 120]


def test_no_window_ever_holds_more_than_the_limit_under_eight_threads() -> None:
    """Eight threads, 200 calls: every 10-second window holds at most 5 of them."""
    clock = FakeClock()
    limiter = RateLimiter(5, 10, clock=clock, sleep=clock.sleep)
    stamps: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(25):
            limiter.acquire()
            with lock:
                stamps.append(clock.now)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(stamps) == 200
    window: deque[float] = deque()
    for stamp in sorted(stamps):
        window.append(stamp)
        while window[0] <= stamp - 10:
            window.popleft()
        assert len(window) <= 5
