"""When the worker runs: triggers parsed from ``[schedule]``, computed in the team's time zone.

Pure: ``next_after(moment)`` takes the clock as an argument. Wall-clock times
follow daylight-saving changes: a daily 02:30 runs at 03:30 on the night the
clocks spring forward past it, and once (the first time) on the night they
fall back through it.

Grammar, English or Korean day names::

    "mon-fri 18:00"   "weekdays 18:00"   "mon,wed 09:30"   "daily 07:00"   "월 08:00"
    "every 10 minutes"   "every 2 seconds"   "every 1 hour"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sync.workbook.values import parse_weekday

_WALL = re.compile(r"\s*(?P<days>[\w,\-]+)\s+(?P<h>\d{1,2}):(?P<m>\d{2})\s*")
_EVERY = re.compile(r"\s*every\s+(?P<n>\d+)\s+(?P<unit>second|minute|hour)s?\s*", re.I)


@dataclass(frozen=True)
class WallClock:
    """On some weekdays, at a local time."""

    days: frozenset[int]
    at: time
    tz: ZoneInfo

    def next_after(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.tz)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            # Round-trip through UTC: a time inside a spring-forward gap moves past it.
            candidate = (
                datetime.combine(day, self.at, tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)
            )
            if candidate > moment:
                return candidate
        raise AssertionError("a weekday trigger always fires within eight days")  # pragma: no cover


@dataclass(frozen=True)
class Every:
    """A fixed interval, from the end of the previous run."""

    period: timedelta

    def next_after(self, moment: datetime) -> datetime:
        return moment + self.period


Trigger = WallClock | Every


def parse_trigger(text: str, tz: ZoneInfo) -> Trigger:
    """One spec from ``[schedule]``; ValueError says what is accepted."""
    if m := _EVERY.fullmatch(text):
        n = int(m["n"])
        if n < 1:
            raise ValueError(
                f'expected an interval of at least 1, such as "every 10 minutes", got {text!r}'
            )
        return Every(timedelta(**{m["unit"].lower() + "s": n}))
    m = _WALL.fullmatch(text)
    if m is None or int(m["h"]) > 23 or int(m["m"]) > 59:
        raise ValueError(
            f'expected "mon-fri 18:00", "daily 07:00", "월 08:00" or "every 10 minutes", got {text!r}'
        )
    return WallClock(_days(m["days"], text), time(int(m["h"]), int(m["m"])), tz)


def _days(spec: str, text: str) -> frozenset[int]:
    word = spec.casefold()
    if word in ("daily", "everyday", "매일"):
        return frozenset(range(7))
    if word in ("weekdays", "평일"):
        return frozenset(range(5))
    days: set[int] = set()
    for part in word.split(","):
        first, _, last = part.partition("-")
        start, end = _day(first, text), _day(last or first, text)
        days.update(range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)])
    return frozenset(days)


def _day(word: str, text: str) -> int:
    day = parse_weekday(word)
    if day is None:
        raise ValueError(
            f"expected days such as mon..sun, 월..일, mon-fri, daily or weekdays, got {word!r} in {text!r}"
        )
    return day
