"""Schedule specs -> due times, in the configured time zone, across daylight-saving changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sync.triggers import Every, WallClock, parse_trigger

SEOUL, BERLIN = ZoneInfo("Asia/Seoul"), ZoneInfo("Europe/Berlin")


def test_weekdays_at_six_in_seoul() -> None:
    """ "mon-fri 18:00": Friday 18:00 is followed by Monday 18:00, Seoul time."""
    trigger = parse_trigger("mon-fri 18:00", SEOUL)
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=SEOUL)
    assert trigger.next_after(friday_evening - timedelta(seconds=1)) == friday_evening
    assert trigger.next_after(friday_evening) == datetime(2026, 11, 30, 18, 0, tzinfo=SEOUL)


def test_due_time_is_in_the_configured_zone_whatever_the_clock_zone() -> None:
    """A UTC clock still gets Monday 08:00 Seoul, which is Sunday 23:00 UTC."""
    trigger = parse_trigger("월 08:00", SEOUL)
    due = trigger.next_after(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert due.astimezone(UTC) == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)


def test_spring_forward_moves_a_missing_time_past_the_gap() -> None:
    """Berlin skips 02:00-03:00 on 2026-03-29: a daily 02:30 runs at 03:30 (01:30 UTC) that day."""
    trigger = parse_trigger("daily 02:30", BERLIN)
    due = trigger.next_after(datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN))
    assert due == datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)
    assert due.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert trigger.next_after(due) == datetime(2026, 3, 30, 2, 30, tzinfo=BERLIN)


def test_fall_back_runs_a_repeated_time_once() -> None:
    """Berlin repeats 02:00-03:00 on 2026-10-25: a daily 02:30 runs at the first 02:30 only."""
    trigger = parse_trigger("daily 02:30", BERLIN)
    first = trigger.next_after(datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN))
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert trigger.next_after(first).astimezone(UTC) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_daily_times_keep_their_wall_clock_across_the_change() -> None:
    """A weekday 18:00 in Berlin is 17:00 UTC before the change and 16:00 UTC after."""
    trigger = parse_trigger("mon-fri 18:00", BERLIN)
    before = trigger.next_after(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    after = trigger.next_after(before)
    assert (before.astimezone(UTC).hour, after.astimezone(UTC).hour) == (17, 16)
    assert after.astimezone(BERLIN).hour == 18


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("weekdays 09:00", {0, 1, 2, 3, 4}),
        ("daily 09:00", set(range(7))),
        ("mon,wed,fri 09:00", {0, 2, 4}),
        ("fri-mon 09:00", {4, 5, 6, 0}),
        ("월-금 09:00", {0, 1, 2, 3, 4}),
        ("Monday 09:00", {0}),
    ],
)
def test_day_specs(spec: str, days: set[int]) -> None:
    """Day names in English or Korean, lists, ranges (wrapping), daily and weekdays."""
    trigger = parse_trigger(spec, SEOUL)
    assert isinstance(trigger, WallClock)
    assert trigger.days == days


def test_intervals() -> None:
    """ "every 2 seconds" runs two seconds after the last run ended."""
    trigger = parse_trigger("every 2 seconds", SEOUL)
    assert trigger == Every(timedelta(seconds=2))
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    assert trigger.next_after(moment) == moment + timedelta(seconds=2)


@pytest.mark.parametrize(
    "spec", ["someday 09:00", "mon 25:00", "every 0 minutes", "at noon", "mon"]
)
def test_bad_specs_say_what_is_accepted(spec: str) -> None:
    """A spec that cannot be read raises ValueError naming the forms that can."""
    with pytest.raises(ValueError, match=r"mon|interval|day"):
        parse_trigger(spec, SEOUL)
