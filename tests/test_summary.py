"""The owned tabs' grids, built purely from findings."""

from collections.abc import Callable
from pathlib import Path

from helpers import clean, context, findings, frames, workbook

from sync.checks import run_checks
from sync.core import Formula
from sync.summary import Summary, build_summary, findings_grid, summary_grid, summary_html


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


# --------------------------------------------------------------------------- Weekly Summary


def _summary(grids: dict[str, list[list[object]]], locale: str = "en") -> Summary:
    frames_ = frames(grids)  # type: ignore[arg-type]
    ctx = context(locale=locale)  # type: ignore[arg-type]
    return build_summary(frames_, run_checks(frames_, ctx), ctx, team="T")


def test_three_questions_are_answered_at_the_top_of_the_tab() -> None:
    """Row 1 is the title; then the three questions with this week's answers."""
    plan = clean("plan")
    plan[4][4] = None  # Kim's W48 Business lever unlinked
    grid = summary_grid(_summary(workbook(plan=plan)), sparklines=False)
    assert grid[0] == ["T · Weekly Summary · 2026-W48 (compared with 2026-W47)"]
    assert grid[2] == ["Three questions for 2026-W48"]
    assert grid[3] == ["What key activity did we repeat?", "Call 15 clients (Kim, partial)"]
    assert grid[4][1].startswith("67% of this week's levers are linked to an active goal (2 of 3).")  # type: ignore[union-attr]
    assert "Not linked: Call 15 clients (Kim)." in str(grid[4][1])
    assert grid[5] == ["What one use of time changes next week?", "Block mornings for calls (Kim)"]


def test_history_has_one_row_per_week_and_a_trend_per_series() -> None:
    """Twelve week rows under a trend row: each series reads top to bottom, no sideways scrolling."""
    summary = _summary(workbook())
    assert summary.weeks[0] == "2026-W37"
    assert summary.weeks[-1] == "2026-W48"
    grid = summary_grid(summary, sparklines=False)
    start = next(i for i, row in enumerate(grid) if row and row[0] == "The last 12 weeks")
    header, trend, weeks = grid[start + 1], grid[start + 2], grid[start + 3 : start + 15]
    assert header[:3] == ["Week", "Linkage rate (%)", "Business levers planned"]
    assert trend[:2] == ["Trend", "··········▅▅"]  # a steady 100%: drawn level, mid height
    assert [row[0] for row in weeks] == list(summary.weeks)
    assert [row[1] for row in weeks[-2:]] == [100, 100]
    assert grid[start + 15] == []


def test_google_gets_sparkline_formulas_and_only_those() -> None:
    """With sparklines, each history row's trend is a SPARKLINE over its own week cells."""
    grid = summary_grid(_summary(workbook()), sparklines=True)
    formulas = [
        (r, c) for r, row in enumerate(grid, start=1) for c in row if isinstance(c, Formula)
    ]
    assert formulas
    row, formula = formulas[0]
    assert formula == f"=SPARKLINE(B{row + 1}:B{row + 12})"
    assert {r for r, _ in formulas} == {row}  # one trend row, a formula per series column
    assert [grid[row + 12 - 1][0], grid[row][0]] == ["2026-W48", "2026-W37"]


def test_lever_text_starting_with_equals_is_not_a_formula() -> None:
    """A person's '=lever' lands in the summary as plain text."""
    plan = clean("plan")
    plan[4][3] = "=1+1 call clients"
    grid = summary_grid(_summary(workbook(plan=plan)), sparklines=True)
    cells = [c for row in grid for c in row if isinstance(c, str) and "=1+1 call clients" in c]
    assert cells
    assert not any(isinstance(c, Formula) for c in cells)


def test_first_week_with_no_history() -> None:
    """Only this week's rows: earlier weeks are empty, nothing breaks."""
    plan = [row for row in clean("plan") if row[0] != "2026-W47"]
    summary = _summary(workbook(plan=plan))
    linkage = summary.series("linkage").values
    assert linkage[-1] == 1.0
    assert all(v is None for v in linkage[:-1])
    assert summary.section("linkage").rows[1] == ("2026-W47", 0, 0, "-")


def test_team_with_no_metrics() -> None:
    """A Metrics tab with only its header: no key results rows, no metric series."""
    summary = _summary(workbook(metrics=[clean("metrics")[0]], results=[clean("results")[0]]))
    assert summary.section("results").rows == ()
    assert not [s for s in summary.history if s.key.startswith("metric:")]


def test_week_with_no_plan() -> None:
    """Nobody planned this week: the answers say so and last week's owners are listed."""
    plan = [row for row in clean("plan") if row[0] != "2026-W48"]
    summary = _summary(workbook(plan=plan), locale="ko")
    questions = summary.section("questions").rows
    assert questions[0][1] == "아직 기록 없음"
    assert summary.section("flows").rows[-1] == ("이번 주 계획 없음", "Kim")


def test_fifty_two_weeks_of_history_keep_the_last_twelve() -> None:
    """A year of levers: the history shows the twelve weeks up to this one."""
    plan = [clean("plan")[0]]
    from sync.workbook.values import shift_week

    for n in range(52):
        week = shift_week("2026-W48", -n)
        plan += [
            [week, "Kim", flow, f"{flow} {week}", "Q1", None, None, "done", "deck", "HR"]
            for flow in ("Business", "Learning", "People")
        ]
    summary = _summary(workbook(plan=plan))
    assert len(summary.weeks) == 12
    assert summary.series("business_done").values == (1.0,) * 12


def test_summary_of_the_demo_names_its_people_and_numbers() -> None:
    """On the demo: Korean labels, the unlinked levers, leading metrics first with their change."""
    from helpers import read_xlsx

    demo = read_xlsx(
        __import__("pathlib").Path(__file__).parent.parent / "sync" / "demo" / "demo.xlsx"
    )
    summary = _summary(demo, locale="ko")
    assert (
        "연결 안 됨: 회사 블로그 글 2편 쓰기 (이민호); 파이썬 데이터 분석 강의 (이민호)."
        in summary.section("questions").rows[1][1]
    )  # type: ignore[operator]
    results = summary.section("results").rows
    assert [r[1] for r in results] == ["선행"] * 3 + ["후행"] * 4
    assert results[0] == ("M1 주간 아웃리치 수", "선행", "Q1", 15.0, 12.0, 12.0, 0.0)
    assert summary.series("metric:m2").values[-2:] == (3.0, 4.0)


def test_html_is_one_self_contained_page() -> None:
    """No external resources; SVG charts inline; person's text escaped."""
    plan = clean("plan")
    plan[4][3] = "<script>alert(1)</script>"
    page = summary_html(_summary(workbook(plan=plan)))
    assert page.startswith("<!doctype html>")
    assert "<svg" in page
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "http" not in page.replace("http://www.w3.org", "")


def test_portfolio_has_one_row_per_team_per_week_newest_first(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """Two teams and a [portfolio] workbook: 24 rows, this week's first, with linkage and findings."""
    from helpers import read_xlsx, write_xlsx
    from test_cli import flowsync, problems

    plan = clean("plan")
    plan[4][4] = None
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    write_xlsx(tmp_path / "b.xlsx", workbook())
    config = make_config(
        {"A": "a.xlsx", "B": "b.xlsx"}, extra='[portfolio]\nworkbook = "portfolio.xlsx"\n'
    )
    code, _, err = flowsync("--config", config, "run", "--once", "--as-of", "2026-11-26")
    assert (code, problems(err)) == (0, [])
    grid = read_xlsx(tmp_path / "portfolio.xlsx")["Portfolio"]
    assert grid[0] == [
        "Team",
        "Week",
        "Linkage rate (%)",
        "Business done",
        "Learning done",
        "People done",
        "Experiments logged",
        "Errors",
        "Warnings",
        "Info",
    ]
    assert len(grid) == 1 + 2 * 12
    assert grid[1] == ["A", "2026-W48", 67, 0, 0, 0, 1, 1, 0, 0]
    assert grid[2] == ["B", "2026-W48", 100, 0, 0, 0, 1, 0, 0, 0]
    assert grid[3][:3] == ["A", "2026-W47", 100]


def test_an_invalid_next_step_with_a_next_action_is_closed_for_checks_and_summary_alike() -> None:
    """One rule (Frames.next_action_given): ACTION003 flags the step, nobody says "no next action"."""
    exps = clean("experiments")
    exps[1][8] = (
        "나중에"  # E1 (W47) ended, with a next action, but a step that is not Stop/Start/Continue
    )
    found = findings(workbook(experiments=exps))
    assert [f.code for f in found] == ["ACTION003"]
    summary = _summary(workbook(experiments=exps))
    last_week = next(r for r in summary.section("experiments").rows if r[0] == "2026-W47")
    assert last_week[-1] == "1/1"
    assert summary.series("next_action").values[-2] == 1.0
