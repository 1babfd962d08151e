"""The owned tabs' grids, built purely from findings."""

from helpers import clean, findings, workbook

from sync.summary import findings_grid


def test_findings_grid_has_a_localised_header_and_one_row_per_finding() -> None:
    """Korean header, Korean severity, the workbook's own tab title, then the finding's fields."""
    plan = clean("plan")
    plan[4][4] = None
    found = findings(workbook(plan=plan))
    grid = findings_grid(found, titles={"plan": "주간계획"}, locale="ko")
    assert grid[0] == ["코드", "심각도", "탭", "행", "담당자", "주차", "내용"]
    assert list(grid[1])[:6] == ["LINK001", "오류", "주간계획", 5, "Kim", "2026-W48"]
    assert len(grid) == 1 + len(found)


def test_findings_are_ordered_newest_week_first_then_errors_first() -> None:
    """The Findings tab reads from this week's errors down to undated warnings."""
    plan, retro, goals = clean("plan"), clean("retro"), clean("goals")
    plan[1][4] = None  # W47 error
    plan[6][9] = None  # W48 info
    plan[4][4] = None  # W48 error
    retro[1][5] = None  # W47 warning
    goals.append(["Q2", "Quarter", None, "Orphan", None, None, None, None])  # no week, warning
    order = [(f.week, f.severity) for f in findings(workbook(plan=plan, retro=retro, goals=goals))]
    assert order == [
        ("2026-W48", "error"),
        ("2026-W48", "info"),
        ("2026-W47", "error"),
        ("2026-W47", "warning"),
        (None, "warning"),
    ]


def test_english_grid_uses_english_words() -> None:
    """An English team reads English headers and severities."""
    grid = findings_grid([], titles={}, locale="en")
    assert grid == [["Code", "Severity", "Tab", "Row", "Owner", "Week", "Message"]]
