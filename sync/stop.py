"""Waiting that a stop can cut short: every backoff, Retry-After and rate-limit wait goes here.

Kubernetes kills a pod 30 s after SIGTERM and ``docker stop`` after 10 s, while
one Retry-After may ask for 90: a wait that cannot be interrupted would be
killed mid-cycle. Here a wait ends as soon as the stop is set, and raises
``Stopped`` so that the work in hand is abandoned before its next write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sync.errors import Stopped

Sleep = Callable[[float], None]


def interruptible(stop: threading.Event) -> Sleep:
    """A ``sleep`` that returns after ``seconds`` or raises ``Stopped`` once ``stop`` is set."""

    def sleep(seconds: float) -> None:
        if stop.wait(max(seconds, 0.0)):
            raise Stopped("stopped on request while waiting; the work in hand was abandoned")

    return sleep
