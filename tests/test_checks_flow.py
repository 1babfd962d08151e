"""FLOW checks: one lever in each of the three flows, per person, per week."""

from datetime import datetime

import pytest
from helpers import SEOUL, clean, context, findings, frames, where, workbook

from sync.workbook.frames import records


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


def test_a_plan_still_being_written_before_the_deadline_is_not_flow001() -> None:
    """Monday 09:00: Kim has put one W49 lever in; the other two may follow before noon."""
    plan = clean("plan") + [["2026-W49", "Kim", "Business", "Call 18 clients", "Q1"]]
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=SEOUL)
    assert where(findings(workbook(plan=plan), context(monday)), "FLOW001") == []
    after = datetime(2026, 11, 30, 13, 0, tzinfo=SEOUL)
    assert len(where(findings(workbook(plan=plan), context(after)), "FLOW001")) == 2


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


@pytest.mark.parametrize(
    "spellings",
    [
        ("김민수", "김민수\u200b", "김민수\u00a0"),
        (" 김민수 ", "김민수", "김민수\ufeff"),
        ("Kim", "kim", "KIM "),
        ("Kim  Minsu", "kim minsu", "Kim\u00a0Minsu"),
    ],
)
def test_one_person_however_the_name_is_typed_has_all_three_flows(
    spellings: tuple[str, str, str],
) -> None:
    """Invisible characters, spaces and case do not make a second owner (no false FLOW001)."""
    plan = clean("plan")
    for row in plan[1:4]:  # last week, as first written
        row[1] = spellings[0]
    for row, name in zip(plan[4:7], spellings, strict=True):  # this week's three levers
        row[1] = name
    found = findings(workbook(plan=plan))
    assert found == []
    levers = [r for r in records(frames(workbook(plan=plan)).table("plan")) if r.week == "2026-W48"]
    assert {r.owner for r in levers} == {" ".join(spellings[0].split())}


def test_a_missing_flow_names_the_owner_as_first_written() -> None:
    """The finding shows the name as the workbook first writes it."""
    plan = clean("plan")
    for row in plan[1:]:
        row[1] = "김민수"
    plan[4][1], plan[5][1] = "김민수\u200b", "김민수\u00a0"
    del plan[6]  # W48 has no People lever
    found = findings(workbook(plan=plan))
    assert where(found) == [("FLOW001", "plan", 5, "김민수", "2026-W48")]
