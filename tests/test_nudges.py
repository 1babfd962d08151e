"""Who is due which nudge at a moment: before the deadline, to who has not done it, never at night or on a holiday."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from helpers import SEOUL, context, frames, workbook

from sync.notify.nudges import NudgeRules, due_nudges, planless_owners, retroless_owners
from sync.notify.timing import due_reports, is_quiet, last_fired, parse_quiet_hours
from sync.workbook.parse import Frames
from sync.workbook.values import shift_week

RULES = NudgeRules(holidays="KR")
PLAN_HEADER = ["week", "owner", "flow", "lever", "goal_id"]


def _book(
    week: str, *, planned: tuple[str, ...], seen: tuple[str, ...], retro: tuple[str, ...] = ()
) -> Frames:
    """Owners ``seen`` planned last week; ``planned`` planned ``week``; ``retro`` wrote its retro."""
    last = shift_week(week, -1)
    plan: list[list[Any]] = [PLAN_HEADER]
    plan += [[last, o, "Business", f"{o} last week", "Q1"] for o in seen]
    plan += [[week, o, "Business", f"{o} this week", "Q1"] for o in planned]
    rows: list[list[Any]] = [
        ["week", "owner", "moved_numbers", "applied_learning", "speed_partner", "next_action"]
    ]
    rows += [[week, o, "x", "y", "z", "Keep going"] for o in retro]
    return frames(workbook(plan=plan, retro=rows))


def _due(book: Any, *when: int, rules: NudgeRules = RULES) -> list[tuple[str, str, str]]:
    y, m, d, hh, mm = when
    ctx = context(datetime(y, m, d, hh, mm, tzinfo=SEOUL))
    return [(n.kind, n.week, n.owner) for n in due_nudges(book, ctx, rules)]


W48 = _book("2026-W48", planned=("Kim",), seen=("Kim", "Lee", "Park"), retro=("Kim",))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ((2026, 11, 23, 9, 59), []),  # Monday, a minute early
        ((2026, 11, 23, 10, 0), [("plan", "2026-W48", "Lee"), ("plan", "2026-W48", "Park")]),
        ((2026, 11, 23, 11, 59), [("plan", "2026-W48", "Lee"), ("plan", "2026-W48", "Park")]),
        ((2026, 11, 23, 12, 30), []),  # the deadline passed: PLAN001's turn, not a nudge's
        ((2026, 11, 24, 10, 0), []),  # Tuesday: the window was Monday's
    ],
)
def test_plan_nudge_from_its_time_until_the_deadline_to_owners_without_a_plan(
    moment: tuple[int, ...], expected: list[tuple[str, str, str]]
) -> None:
    """Lee and Park planned last week and not this one; Kim, who planned, gets nothing."""
    assert _due(W48, *moment) == expected


def test_retro_nudge_on_friday_afternoon_to_who_planned_and_wrote_no_retro() -> None:
    """Kim and Lee planned this week; Kim wrote a retro: only Lee is nudged, from 16:00 to the evening."""
    book = _book("2026-W48", planned=("Kim", "Lee"), seen=("Kim", "Lee", "Park"), retro=("Kim",))
    assert _due(book, 2026, 11, 27, 15, 59) == []
    assert _due(book, 2026, 11, 27, 16, 0) == [("retro", "2026-W48", "Lee")]
    assert _due(book, 2026, 11, 27, 20, 59) == [("retro", "2026-W48", "Lee")]
    assert _due(book, 2026, 11, 27, 21, 0) == []  # quiet hours
    assert _due(book, 2026, 11, 28, 16, 0) == []  # Saturday: Friday's window is over


def test_chuseok_sends_nothing() -> None:
    """2026-09-24/25 are Chuseok in Korea: no retro nudge on that Friday; without holidays, one."""
    book = _book("2026-W39", planned=("Kim",), seen=("Kim",))
    assert _due(book, 2026, 9, 25, 16, 0) == []
    assert _due(book, 2026, 9, 25, 16, 0, rules=NudgeRules()) == [("retro", "2026-W39", "Kim")]


def test_substitute_holiday_monday_sends_no_plan_nudge() -> None:
    """2026-10-05 is the substitute holiday for National Foundation Day (a Monday)."""
    book = _book("2026-W41", planned=(), seen=("Kim",))
    assert _due(book, 2026, 10, 5, 10, 30) == []
    assert _due(book, 2026, 10, 5, 10, 30, rules=NudgeRules()) == [("plan", "2026-W41", "Kim")]


def test_a_nudge_set_at_night_never_goes_out() -> None:
    """A plan nudge configured for 07:00 falls in the default quiet hours (21:00-08:00)."""
    rules = NudgeRules(plan_at="mon 07:00")
    assert _due(W48, 2026, 11, 23, 7, 30, rules=rules) == []
    assert _due(W48, 2026, 11, 23, 8, 0, rules=rules) == [
        ("plan", "2026-W48", "Lee"),
        ("plan", "2026-W48", "Park"),
    ]


def test_off_switches_a_nudge_off() -> None:
    rules = NudgeRules(plan_at="off", retro_at="off")
    assert _due(W48, 2026, 11, 23, 10, 0, rules=rules) == []


def test_owners_who_plan_and_retro() -> None:
    """The lookback decides who is expected to plan; an owner seen five weeks ago is not."""
    plan: list[list[Any]] = [PLAN_HEADER, ["2026-W43", "Old", "Business", "x", "Q1"]]
    plan += [["2026-W47", "Kim", "Business", "x", "Q1"]]
    book = frames(workbook(plan=plan))
    assert planless_owners(book, "2026-W48", 4) == ["Kim"]
    assert planless_owners(book, "2026-W48", 5) == ["Kim", "Old"]
    assert retroless_owners(book, "2026-W47") == []  # the clean workbook has Kim's W47 retro
    assert retroless_owners(book, "2026-W43") == ["Old"]


def test_quiet_hours_cross_midnight_and_can_be_off() -> None:
    quiet = parse_quiet_hours("21:00-08:00")
    assert quiet == (time(21), time(8))
    at = [datetime(2026, 11, 23, h, 0, tzinfo=SEOUL) for h in (20, 21, 0, 7, 8)]
    assert [is_quiet(m, quiet) for m in at] == [False, True, True, True, False]
    assert parse_quiet_hours("off") is None
    with pytest.raises(ValueError, match='quiet hours such as "21:00-08:00"'):
        parse_quiet_hours("9pm-8am")


def test_last_fired_is_the_latest_time_at_or_before_now() -> None:
    monday_10 = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)
    assert last_fired("mon 10:00", monday_10) == monday_10
    assert last_fired("mon 10:00", monday_10.replace(minute=1)) == monday_10
    assert last_fired("mon 10:00", monday_10.replace(hour=9)) == datetime(
        2026, 11, 16, 10, 0, tzinfo=SEOUL
    )
    assert last_fired("월 10:00", monday_10) == monday_10
    assert last_fired("off", monday_10) is None


def _reports(*when: int, spec: str = "mon 08:00", holidays: str | None = "KR") -> list[datetime]:
    y, m, d, hh, mm = when
    now = datetime(y, m, d, hh, mm, tzinfo=SEOUL)
    return due_reports(spec, now, holidays=holidays, quiet=(time(21, 0), time(8, 0)))


MONDAY_5_OCTOBER = datetime(2026, 10, 5, 8, 0, tzinfo=SEOUL)  # substitute National Foundation Day


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ((2026, 10, 5, 8, 0), []),  # the holiday Monday: the lead is off
        ((2026, 10, 5, 12, 0), []),
        ((2026, 10, 6, 7, 59), []),  # Tuesday, a minute early (and in the quiet hours)
        ((2026, 10, 6, 8, 0), [MONDAY_5_OCTOBER]),  # Tuesday at the report's own time
        ((2026, 10, 7, 15, 0), [MONDAY_5_OCTOBER]),  # due until the next working day ends
        ((2026, 10, 7, 22, 0), []),  # never in the quiet hours
        ((2026, 10, 8, 15, 0), []),  # not days late
        ((2026, 10, 12, 8, 0), [datetime(2026, 10, 12, 8, 0, tzinfo=SEOUL)]),  # next week's
    ],
)
def test_a_holiday_mondays_report_waits_for_tuesday_at_the_same_time(
    moment: tuple[int, int, int, int, int], expected: list[datetime]
) -> None:
    """The due report keeps its scheduled Monday time: its week is the one lived before that Monday."""
    assert _reports(*moment) == expected


def test_without_holidays_the_report_goes_on_the_holiday_monday() -> None:
    assert _reports(2026, 10, 5, 8, 0, holidays=None) == [MONDAY_5_OCTOBER]


def test_a_report_after_several_holidays_goes_on_the_first_working_day() -> None:
    """Seollal 2027: Monday 8 February and its substitute Tuesday 9 are holidays; Wednesday it goes."""
    monday = datetime(2027, 2, 8, 8, 0, tzinfo=SEOUL)
    assert _reports(2027, 2, 9, 9, 0) == []
    assert _reports(2027, 2, 10, 8, 0) == [monday]


def test_a_report_set_in_the_quiet_hours_waits_for_them_to_end() -> None:
    """``mon 07:00`` with quiet hours until 08:00: due at 07:00, sent by the first cycle from 08:00."""
    assert _reports(2026, 11, 30, 7, 30, spec="mon 07:00") == []
    assert _reports(2026, 11, 30, 8, 0, spec="mon 07:00") == [
        datetime(2026, 11, 30, 7, 0, tzinfo=SEOUL)
    ]
