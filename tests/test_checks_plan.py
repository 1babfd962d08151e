"""PLAN checks: everyone who has been planning plans this week, once the deadline has passed."""

from datetime import datetime

from helpers import SEOUL, clean, context, findings, where, workbook


def _plan_with_park() -> list[list[object]]:
    return clean("plan") + [["2026-W45", "Park", "Business", "Old lever", "Q1"]]


def test_recent_planner_without_plan_is_plan001() -> None:
    """PLAN001: Park planned in W45 (within 4 weeks) but has no plan for W48 or W47."""
    found = findings(workbook(plan=_plan_with_park()))
    assert where(found, "PLAN001") == [
        ("PLAN001", "plan", None, "Park", "2026-W48"),
        ("PLAN001", "plan", None, "Park", "2026-W47"),
    ]


def test_no_plan001_before_the_monday_noon_deadline() -> None:
    """Monday 11:59 in Seoul is before the current week's deadline; last week's has passed."""
    ctx = context(datetime(2026, 11, 23, 11, 59, tzinfo=SEOUL))
    assert where(findings(workbook(plan=_plan_with_park()), ctx), "PLAN001") == [
        ("PLAN001", "plan", None, "Park", "2026-W47")
    ]


def test_deadline_is_in_the_team_time_zone() -> None:
    """Monday 03:30 UTC is 12:30 in Seoul: the deadline has passed there."""
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 23, 3, 30, tzinfo=ZoneInfo("UTC")).astimezone(SEOUL)
    weeks = [
        f.week
        for f in findings(workbook(plan=_plan_with_park()), context(now))
        if f.code == "PLAN001"
    ]
    assert weeks == ["2026-W48", "2026-W47"]


def test_owner_gone_longer_than_lookback_is_not_chased() -> None:
    """Someone last seen five weeks ago has left the rotation: no PLAN001."""
    plan = clean("plan") + [["2026-W42", "Park", "Business", "Old lever", "Q1"]]
    assert where(findings(workbook(plan=plan)), "PLAN001") == []


def test_a_name_typed_differently_this_week_is_the_same_planner() -> None:
    """No PLAN001 for Park when this week's plan says “park\u00a0” or “Park\u200b”."""
    plan = _plan_with_park() + [
        ["2026-W48", "park\u00a0", "Business", "New lever", "Q1"],
        ["2026-W47", "Park\u200b", "Business", "Another lever", "Q1"],
    ]
    assert where(findings(workbook(plan=plan)), "PLAN001") == []
