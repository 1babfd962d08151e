"""DATA checks: missing tabs and columns, unreadable values, duplicate ids."""

import pytest
from helpers import clean, context, findings, where, workbook

from sync.workbook.contract import TAB


def test_missing_tab_is_data001_and_skips_only_its_checks() -> None:
    """DATA001 for a missing Risks tab; the other checks still run (LINK001 below)."""
    grids = workbook()
    del grids[TAB["risks"].name.en]
    plan = grids["Weekly Plan"]
    plan[4][4] = None
    assert where(findings(grids)) == [
        ("LINK001", "plan", 5, "Kim", "2026-W48"),
        ("DATA001", "risks", None, None, None),
    ]


def test_missing_required_column_is_data002_on_the_header_row() -> None:
    """DATA002: Key Results without metric_id; METRIC003/004 that need it are skipped."""
    results = [[row[0], *row[2:]] for row in clean("results")]
    found = findings(workbook(results=results))
    assert where(found) == [("DATA002", "results", 1, None, None)]
    assert found[0].message == (
        "The tab “Key Results” has no column “metric_id” (or “지표ID”) in its header row,"
        " so METRIC001, METRIC003, METRIC004 did not run: add the column."
    )


def test_a_missing_optional_column_a_check_reads_is_data002_naming_the_look_alike() -> None:
    """DATA002 for an optional column too, when a check reads it: here 대상 became 대상자."""
    plan = clean("plan")
    plan[0][9] = "대상자"
    plan[6][9] = None  # a People lever with no counterpart: FLOW004 cannot tell, so says nothing
    found = findings(workbook("ko", plan=plan), context(locale="ko"))
    assert where(found) == [("DATA002", "plan", 1, None, None)]
    assert found[0].message == (
        "“주간계획” 탭의 머리글 행에 “대상”(또는 “counterpart”) 열이 없어 FLOW004 점검을 하지"
        " 않았습니다. “대상자” 열이 그 열이라면 이름을 “대상” 또는 “counterpart”로 바꾸고,"
        " 아니라면 열을 추가해 주세요."
    )


def test_a_missing_column_no_check_reads_is_no_finding() -> None:
    """note 비고 is the team's own: without it nothing is skipped, nothing is said."""
    plan = clean("plan")
    assert "note" not in plan[0]
    assert findings(workbook(plan=plan)) == []


def test_unreadable_week_number_and_enum_are_data003() -> None:
    """DATA003 on each unreadable value, with the row's owner and week where known."""
    plan = clean("plan") + [
        ["next week", "Lee", "Business", "Lever A", "Q1"],
        ["2026-W48", "Lee", "Learning", "Lever B", "Q1", "lots"],
        ["2026-W48", "Lee", "Fun", "Lever C", "Q1"],
    ]
    found = findings(workbook(plan=plan))
    assert where(found, "DATA003") == [
        ("DATA003", "plan", 9, "Lee", "2026-W48"),
        ("DATA003", "plan", 10, "Lee", "2026-W48"),
        ("DATA003", "plan", 8, "Lee", None),
    ]
    messages = " ".join(f.message for f in found if f.code == "DATA003")
    assert "next week" in messages
    assert "lots" in messages
    assert "Fun" in messages


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("ko", "연도를 함께 적어 주세요: 2026년 11월 4주차, 2026-11-23 또는 2026-W48"),
        ("en", "add the year, as in 2026-W48, 2026 Nov 23–29 or 2026-11-23"),
    ],
)
def test_a_week_without_its_year_is_data003_saying_how_to_write_it(locale: str, said: str) -> None:
    """The new user's 11월 4주차, 48주차, 11/23: each a DATA003 that shows the form with a year;
    2026년 11월 4주차 and 2026-11-23 (월) read as the week."""
    plan = clean("plan") + [
        ["11월 4주차", "Lee", "Business", "Lever A", "Q1"],
        ["48주차", "Lee", "Learning", "Lever B", "Q1"],
        ["11/23", "Lee", "People", "Lever C", "Q1"],
        ["2026년 11월 4주차(11.23–11.29)", "Lee", "Business", "Lever D", "Q1"],
        ["2026-11-23 (월)", "Lee", "Learning", "Lever E", "Q1"],
    ]
    found = findings(workbook(plan=plan), context(locale=locale))  # type: ignore[arg-type]
    data003 = [f for f in found if f.code == "DATA003"]
    assert [(f.row, f.week) for f in data003] == [(8, None), (9, None), (10, None)]
    assert all(said in f.message for f in data003), [f.message for f in data003]
    assert "“11월 4주차”" in data003[0].message


def test_spreadsheet_error_cell_is_data003_in_korean() -> None:
    """A #REF! in a week reads as a DATA003 naming the error, in the team's language."""
    plan = clean("plan")
    plan[1][0] = "#REF!"
    found = [f for f in findings(workbook(plan=plan), context(locale="ko")) if f.code == "DATA003"]
    assert len(found) == 1
    assert "#REF!" in found[0].message
    assert "스프레드시트 오류" in found[0].message


def test_blank_required_value_is_data003() -> None:
    """A lever row with no owner is reported, not guessed."""
    plan = clean("plan") + [["2026-W48", None, "Business", "Whose lever?", "Q1"]]
    found = findings(workbook(plan=plan))
    assert where(found, "DATA003") == [("DATA003", "plan", 8, None, "2026-W48")]


def test_duplicate_ids_are_data004_on_the_later_row() -> None:
    """DATA004: a goal_id, metric_id or exp_id used twice (any case)."""
    goals = clean("goals") + [["q1", "Quarter", "A1", "Same id again", None, None, None, None]]
    exps = clean("experiments") + [["E1", "2026-W48", "Lee", "Q1", "Copy", None]]
    found = findings(workbook(goals=goals, experiments=exps))
    assert where(found, "DATA004") == [
        ("DATA004", "experiments", 4, "Lee", "2026-W48"),
        ("DATA004", "goals", 5, None, None),
    ]
    assert "row 2" in found[0].message or "row 2" in found[1].message


def test_two_tabs_matching_one_input_tab_are_data005_naming_both_and_neither_is_read() -> None:
    """주간 계획 before 주간계획: which one the team means is not guessed."""
    plan = clean("plan")
    plan[4][4] = None  # an unlinked lever in one of them
    grids = {"주간 계획": plan, **workbook("ko")}
    found = findings(grids, context(locale="ko"))
    assert where(found) == [("DATA005", "plan", None, None, None)]
    assert found[0].message == (
        "“주간 계획”, “주간계획” 탭이 모두 “주간계획”(또는 “Weekly Plan”) 탭과 일치해 어느 탭도"
        " 읽지 않았고, 이 탭이 필요한 점검도 하지 않았습니다. 하나만 남기고 나머지는 이름을"
        " 바꾸거나 지워 주세요."
    )
    english = findings({"Weekly Plan": plan, "weekly_plan": clean("plan"), **workbook()})
    assert [f.message for f in english] == [
        "The tabs “Weekly Plan”, “weekly_plan” all match the tab “Weekly Plan” (or “주간계획”),"
        " so flowsync read none of them and the checks that need it did not run: keep one, and"
        " rename or delete the others."
    ]
