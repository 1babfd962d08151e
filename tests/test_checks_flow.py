"""FLOW checks: one lever in each of the three flows, per person, per week."""

from helpers import clean, findings, where, workbook


def test_owner_week_missing_a_flow_is_flow001_per_missing_flow() -> None:
    """FLOW001: Kim's W48 without People; Lee's W48 with only Business lacks two flows."""
    plan = clean("plan")
    del plan[6]
    plan.append(["2026-W48", "Lee", "비즈니스", "Draft the offer", "Q1"])
    found = findings(workbook(plan=plan))
    assert where(found) == [
        ("FLOW001", "plan", 5, "Kim", "2026-W48"),
        ("FLOW001", "plan", 7, "Lee", "2026-W48"),
        ("FLOW001", "plan", 7, "Lee", "2026-W48"),
    ]
    assert {f.subject for f in found} == {"people", "learning"}


def test_weeks_before_last_week_are_not_week_checked() -> None:
    """FLOW001 looks at the current and previous week only."""
    plan = clean("plan") + [["2026-W40", "Park", "Business", "Old lever", "Q1"]]
    assert where(findings(workbook(plan=plan)), "FLOW001") == []


def test_two_levers_in_one_flow_is_flow002_on_the_second() -> None:
    """FLOW002: two live Business levers in one week; a dropped one does not count."""
    plan = clean("plan") + [
        ["2026-W48", "Kim", "Business", "Also write a blog post", "Q1"],
        ["2026-W47", "Kim", "Business", "Replaced lever", "Q1", None, None, "dropped"],
    ]
    found = findings(workbook(plan=plan))
    assert where(found) == [("FLOW002", "plan", 8, "Kim", "2026-W48")]


def test_learning_done_without_application_is_flow003() -> None:
    """FLOW003: a Learning lever marked done with nothing in applied_to."""
    plan = clean("plan")
    plan[2][8] = None
    assert where(findings(workbook(plan=plan))) == [("FLOW003", "plan", 3, "Kim", "2026-W47")]


def test_people_lever_without_counterpart_is_flow004() -> None:
    """FLOW004: a People lever with no counterpart, severity info."""
    plan = clean("plan")
    plan[3][9] = None
    found = findings(workbook(plan=plan))
    assert where(found) == [("FLOW004", "plan", 4, "Kim", "2026-W47")]
    assert found[0].severity == "info"
