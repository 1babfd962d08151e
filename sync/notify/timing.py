"""When a nudge or report may go out: its last firing time, public holidays, quiet hours. Pure.

A nudge or report is *due* from its time until its window ends, not only at
the minute itself: every cycle asks "what is due now and not yet sent", so a
worker that was busy at 10:00, or a cron ``run --once`` at 10:07, sends the
same thing once.

The lead's weekly report keeps office hours: on a public holiday of the team
it waits for the next working day (Monday to Friday, not a holiday) at the
same time, and no cycle sends it inside the quiet hours (one set inside them,
"sun 22:00", goes with the first cycle after them). It is due from then until
the end of the next working day after it: late by a down worker, a holiday or
the night, never by days, so a new team's first cycle on a Friday sends no
stale report. One
report a week, however many days the schedule names, about the week just
lived as of its scheduled time, so a Monday report moved to Tuesday still
reports last week; it is not sent about a week with no plan rows at all.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync.triggers import WallClock, parse_trigger

if TYPE_CHECKING:
    import holidays as holidays_lib

_QUIET = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
OFF = ("off", "끔")


def is_off(spec: str) -> bool:
    return spec.strip().casefold() in OFF


def country_code(code: str) -> str:
    """A country code the holidays package knows ("KR", "KOR"), upper-cased; ValueError if not.

    Asks the package's registry only: a calendar is built on first use, so a
    command that never asks about a day (``status``) does not pay for one.
    """
    from holidays.registry import EntityLoader

    upper = code.strip().upper()
    if upper not in EntityLoader.get_country_codes():
        raise ValueError(
            f'expected a country code the holidays package knows, such as "KR" or "US", got {code!r}'
        )
    return upper


@cache
def country_holidays(code: str) -> holidays_lib.HolidayBase:
    """The public holidays of a country (lunar ones and substitute days included)."""
    import holidays  # here: only a team with holidays set pays for loading the tables

    return holidays.country_holidays(country_code(code))


def is_holiday(day: date, country: str | None) -> bool:
    """A public holiday of ``country`` (lunar ones and substitute days included); never without one."""
    return country is not None and day in country_holidays(country)


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """``"21:00-08:00"`` -> (start, end); ``"off"`` -> None. ValueError says what is accepted."""
    if is_off(text):
        return None
    m = _QUIET.fullmatch(text)
    if m is None or int(m[1]) > 23 or int(m[3]) > 23 or int(m[2]) > 59 or int(m[4]) > 59:
        raise ValueError(f'expected quiet hours such as "21:00-08:00" or "off", got {text!r}')
    return time(int(m[1]), int(m[2])), time(int(m[3]), int(m[4]))


def is_quiet(moment: datetime, quiet: tuple[time, time] | None) -> bool:
    """Inside the quiet hours (local wall time); a span may cross midnight."""
    if quiet is None:
        return False
    start, end = quiet
    now = moment.time()
    return start <= now < end if start <= end else now >= start or now < end


def last_fired(spec: str, now: datetime) -> datetime | None:
    """The latest time at or before ``now`` (aware, local) that the weekday spec names, within a week."""
    latest = fired_since(spec, now, 7)[-1:]
    return latest[0] if latest else None


def fired_since(spec: str, now: datetime, days: int) -> list[datetime]:
    """Every time at or before ``now`` that the weekday spec names, in the last ``days`` days, oldest first."""
    if is_off(spec):
        return []
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo), "now must carry the team's ZoneInfo"
    trigger = parse_trigger(spec, tz)
    assert isinstance(trigger, WallClock), "config accepts weekday specs only"
    out = []
    for offset in range(days, -1, -1):
        day = now.date() - timedelta(days=offset)
        if day.weekday() in trigger.days and (moment := _wall(day, trigger.at, tz)) <= now:
            out.append(moment)
    return out


def _wall(day: date, at: time, tz: ZoneInfo) -> datetime:
    # Round-trip through UTC: a time inside a spring-forward gap moves past it.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)


WORKDAYS = frozenset(range(5))  # Monday to Friday
_LONGEST_BREAK = 31  # days searched for a working day: far beyond any run of holidays


def next_working_time(moment: datetime, country: str | None) -> datetime:
    """``moment`` itself, unless its day is a public holiday: then the same time on the next
    working day (Monday to Friday, not a holiday), so a lead is not mailed on a day off."""
    if not is_holiday(moment.date(), country):
        return moment
    return _wall(_next_working_day(moment.date(), country), moment.time(), _zone(moment))


def _next_working_day(day: date, country: str | None) -> date:
    """The first working day (Monday to Friday, not a holiday) after ``day``."""
    start = day
    for _ in range(_LONGEST_BREAK):
        day += timedelta(days=1)
        if day.weekday() in WORKDAYS and not is_holiday(day, country):
            return day
    return start + timedelta(days=1)  # pragma: no cover - a month of holidays: the next day


def _zone(moment: datetime) -> ZoneInfo:
    tz = moment.tzinfo
    assert isinstance(tz, ZoneInfo), "moment must carry the team's ZoneInfo"
    return tz


def due_reports(
    spec: str,
    now: datetime,
    *,
    holidays: str | None = None,
    quiet: tuple[time, time] | None = None,
) -> list[datetime]:
    """The scheduled time of the weekly report due at ``now``, if any (the latest: one report a
    cycle); its week is reported as at that time, however late a holiday made it.

    Due from its working time (``next_working_time``) until the end of the next working day
    after it, never in the quiet hours: late by a down worker or a holiday, never by days.
    """
    if is_off(spec) or is_quiet(now, quiet):
        return []
    due = []
    for scheduled in fired_since(spec, now, 2 * 7):
        start = next_working_time(scheduled, holidays)
        last_day = _next_working_day(start.date(), holidays)
        until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=start.tzinfo)
        if start <= now < until:
            due.append(scheduled)
    return due[-1:]


def end_of_day(moment: datetime) -> datetime:
    """Midnight after ``moment``, local."""
    return datetime.combine(moment.date() + timedelta(days=1), time(0), tzinfo=moment.tzinfo)
