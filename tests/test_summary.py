"""The owned tabs' grids, built purely from findings."""

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import NOW, SEOUL, clean, context, findings, frames, read_xlsx, workbook
from test_messages import FALLBACK

from sync.checks import run_checks
from sync.codes import skipped_by
from sync.core import Bold, Cell, Formula, Grid, Locale, Wrap
from sync.findings import Finding
from sync.messages import summary_label as label
from sync.messages import week_words
from sync.summary import (
    Series,
    Summary,
    build_summary,
    findings_grid,
    summary_grid,
    summary_html,
    summary_text,
)
from sync.summary.figures import FIGURES, Figure
from sync.workbook.contract import FLOW, TAB


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


def test_findings_older_than_last_week_fold_into_one_line_per_week_and_code() -> None:
    """This week's and last week's findings in full; W46's two unlinked levers, one line."""
    plan = clean("plan")
    plan += [
        ["2026-W46", "Kim", "Business", "Old call", None, None, None, "done"],
        ["2026-W46", "Lee", "Business", "Old visit", None, None, None, "done"],
    ]
    plan[4][4] = None  # and one unlinked lever in W48
    found = [f for f in findings(workbook(plan=plan)) if f.code == "LINK001"]
    grid = findings_grid(found, titles={}, locale="ko", weeks=("2026-W48", "2026-W47"))
    assert [row[:6] for row in grid[1:]] == [
        ["LINK001", "오류", "주간계획", 5, "Kim", "2026-W48"],
        ["LINK001", "오류", "주간계획", None, None, "2026-W46"],
    ]
    assert str(grid[2][6]).startswith(
        "이 주의 같은 점검결과 2건을 한 줄로 접었습니다. 첫 번째: Lever “Old call”"
    )


def test_english_grid_uses_english_words() -> None:
    """An English team reads English headers and severities."""
    grid = findings_grid([], titles={}, locale="en")
    assert grid == [["Code", "Severity", "Tab", "Row", "Owner", "Week", "Message"]]


# --------------------------------------------------------------------------- Weekly Summary


def _summary(
    grids: dict[str, list[list[object]]], locale: str = "en", now: datetime = NOW
) -> Summary:
    frames_ = frames(grids)  # type: ignore[arg-type]
    ctx = context(now, locale=locale)  # type: ignore[arg-type]
    return build_summary(frames_, run_checks(frames_, ctx), ctx, team="T")


DEMO = Path(__file__).parent.parent / "sync" / "demo" / "demo.xlsx"
MONDAY_MORNING = datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL)  # W49, before the plan deadline
MONDAY_AFTERNOON = datetime(2026, 11, 30, 13, 0, tzinfo=SEOUL)  # W49, after it
THURSDAY_EVENING = datetime(2026, 11, 26, 18, 0, tzinfo=SEOUL)  # W48


def _demo(now: datetime, locale: str = "ko") -> tuple[Summary, list[Finding]]:
    grids = read_xlsx(DEMO)
    frames_ = frames(grids)
    ctx = context(now, locale=locale)  # type: ignore[arg-type]
    found = run_checks(frames_, ctx)
    return build_summary(frames_, found, ctx, team="컨설팅1팀"), found


def _outputs(summary: Summary, found: list[Finding]) -> list[str]:
    """Every text a person reads: the tab's cells, the terminal text, the page, the findings."""
    cells = [str(c) for row in summary_grid(summary, sparklines=False) for c in row]
    return [*cells, summary_text(summary), summary_html(summary), *(f.message for f in found)]


EMPTY_SENTENCE = re.compile(r"\(\s*\)|[의가는를이] -|\b0개 중 0개|\(0 of 0\)")


@pytest.mark.parametrize("locale", ["ko", "en"])
@pytest.mark.parametrize(
    ("now", "week", "current"),
    [
        (MONDAY_MORNING, "2026-W48", "2026-W49"),
        (MONDAY_AFTERNOON, "2026-W49", "2026-W49"),
        (THURSDAY_EVENING, "2026-W48", "2026-W48"),
    ],
)
def test_demo_replayed_reviews_the_right_week(
    now: datetime, week: str, current: str, locale: str
) -> None:
    """Before Monday's deadline the last complete week; after it, the current one."""
    summary, found = _demo(now, locale)
    assert (summary.week, summary.current) == (week, current)
    assert summary.weeks[-1] == week
    # No METRIC004 for a week whose reading is not due yet.
    assert not [
        f for f in found if f.code == "METRIC004" and f.week == current and now.weekday() < 6
    ]
    for text in _outputs(summary, found):
        assert not FALLBACK.search(text), text
        assert not EMPTY_SENTENCE.search(text), text
        assert "nan" not in text.split(), text
        assert "e+0" not in text, text


def test_monday_morning_shows_last_weeks_verdict_and_this_weeks_plans_so_far() -> None:
    """The lead's Monday: W48's verdict at the top, then who has planned W49 so far."""
    summary, found = _demo(MONDAY_MORNING)
    grid = summary_grid(summary, sparklines=False)
    assert grid[0] == ["컨설팅1팀 · 주간요약 · 11월 4주차(11.23–11.29) · 2026-W48"]
    assert isinstance(grid[0][0], Bold)
    assert grid[2] == ["한눈에 보기: 11월 4주차(11.23–11.29)"]
    assert grid[3] == ["추세", "항목", "해당 주와 전주 비교"]
    assert grid[4] == [
        "↑ 나아짐",
        "선행지표 목표치 달성률",
        "3개 중 2개 목표치 미달(전주 2개), 평균 93%(전주 85%): 주간 아웃리치 수 80%,"
        " 미팅 전환 수 80%, HR 리더 접점 수 120%",
    ]
    assert grid[5] == ["↓ 나빠짐", "목표 연결률", "75%, 레버 8개 중 6개(전주 89%)"]
    assert grid[6] == ["↑ 나빠짐", "계획이 없는 사람", "1명(전주 0명): 최유나님"]
    assert grid[7] == ["↓ 나아짐", "다음 행동이 빠진 실험·회고", "없음(전주 3건)"]
    assert grid[8] == [
        "↑ 나빠짐",
        "차단책 없는 리스크",
        "1건(전주 0건): 재계약 가격 인하 압박(박서연님)",
    ]
    assert grid[9] == [
        None,
        "12월 1주차(11.30–12.6) 계획 현황",
        "지금까지 레버 3개. 계획함: 김지훈님. 아직: 박서연님, 이민호님, 최유나님"
        "(마감 11월 30일(월) 12:00).",
    ]
    assert isinstance(grid[9][2], Wrap)
    assert grid[11] == ["세 가지 질문: 11월 4주차(11.23–11.29)"]
    assert grid[14] == [
        "다음 주에 바꿀 시간 사용 하나는?",
        "[그만] 오후 4시 이후 아웃리치 발송(김지훈님); [시작] 재계약 고객마다 사례집 먼저"
        " 보내기(박서연님); [계속] 블로그 글마다 문의 버튼 달기(이민호님)",
    ]
    # Monday at 08:00: W48's readings are due, W49's are not.
    assert sorted((f.code, f.week) for f in found if f.code == "METRIC004") == [
        ("METRIC004", "2026-W48")
    ]
    assert not [f for f in found if f.code in {"PLAN001", "FLOW001"} and f.week == "2026-W49"]


def test_leading_indicators_in_flow_order_mark_where_the_chain_stalls() -> None:
    """순서 1, 2, 3; the first one short of its target is where the flow stalls."""
    summary, _ = _demo(MONDAY_MORNING)
    assert summary.section("chain").rows == (
        (1, "M1 주간 아웃리치 수", 15.0, 12.0, 12.0, "80%", "→ 변화 없음", "← 여기서 막힘"),
        (2, "M2 미팅 전환 수", 5.0, 4.0, 3.0, "80%", "↑ 나아짐", None),
        (3, "M5 HR 리더 접점 수", 5.0, 6.0, 4.0, "120%", "↑ 나아짐", None),
    )


def test_the_bhag_rolls_up_the_work_of_its_whole_tree() -> None:
    """B1 counts every lever and experiment under it; children are indented under parents."""
    summary, _ = _demo(THURSDAY_EVENING)
    rows = {r[1]: r for r in summary.section("goals").rows}
    assert [r[1] for r in summary.section("goals").rows] == [
        "B1",
        "A1",
        "Q1",
        "Q3",
        "A2",
        "Q2",
        "Q4",
    ]
    # W48: 8 levers, 6 linked to goals under B1 (Q9 is unknown, one has none); 1 experiment.
    assert rows["B1"][4:] == (6, 9, 1, 1, "↑ 나아짐 2, → 변화 없음 1")
    assert rows["A1"][2] == "    └ 2026년 매출 50억"
    assert rows["Q1"][2] == "        └ 4분기 신규 제안 10건"
    assert rows["A2"][4:] == (3, 3, 0, 1, "↑ 나아짐 1")
    assert rows["Q4"][2] == "교육 상품 기획"  # no parent: a root of its own (LINK005)


def test_retro_and_experiments_feed_next_week() -> None:
    """Stop, start, continue; the three feedback answers; lessons of successes and failures."""
    summary, _ = _demo(MONDAY_MORNING)
    assert [r[0] for r in summary.section("next_steps").rows] == ["그만", "시작", "계속"]
    assert summary.section("feedback").rows[1] == (
        "박서연님",
        "A사 재계약 미팅 성사",
        "협상 코스의 앵커링을 A사 미팅에 적용",
        "B사 HR 리드 정은지",
    )
    lessons = summary.section("lessons").rows
    assert [(r[0], r[2]) for r in lessons] == [("E4", "판단 보류"), ("E2", "실패"), ("E1", "성공")]
    assert lessons[2][5] == "[계속] 모든 제안서에 숫자 사례 3개 넣기"


def test_each_detail_list_has_its_own_header() -> None:
    """An unlinked lever is listed under Owner/Flow/Lever/Goal ID, not under the linkage table."""
    summary, _ = _demo(THURSDAY_EVENING, locale="en")
    assert summary.section("unlinked").header == (
        "Owner",
        "Flow",
        "Lever",
        "Goal ID",
        "Why not linked",
    )
    assert summary.section("unlinked").rows[0] == (
        "이민호",
        "Business",
        "회사 블로그 글 2편 쓰기",
        "-",
        "no goal_id",
    )
    assert summary.section("no_next_action").header[:3] == ("Experiment", "Week", "Hypothesis")
    assert all(len(r) == 4 for r in summary.section("linkage").rows)


def test_three_questions_answer_the_week_in_review() -> None:
    """The three questions, after the verdict; the unlinked levers named."""
    plan = clean("plan")
    plan[4][4] = None  # Kim's W48 Business lever unlinked
    summary = _summary(workbook(plan=plan))
    rows = summary.section("questions").rows
    assert rows[0] == ("What key activity did we repeat?", "Call 15 clients (Kim, partial)")
    assert rows[1][1] == (
        "2 of 3 levers (67%) are linked to an active goal. Not linked: Call 15 clients (Kim)."
    )
    assert rows[2] == (
        "What one use of time changes next week?",
        "No retrospective of the week names a next action yet.",
    )
    grid = summary_grid(summary, sparklines=False)
    assert [row[0] for row in grid if row][:2] == [
        "T · Weekly Summary · Nov 23–29 (2026-W48)",
        "At a glance: Nov 23–29",
    ]


def test_history_starts_at_the_teams_first_week_with_data() -> None:
    """A team two weeks old has two history rows, not ten rows of zeros."""
    summary = _summary(workbook())
    assert summary.weeks == ("2026-W47", "2026-W48")
    grid = summary_grid(summary, sparklines=False)
    start = next(i for i, row in enumerate(grid) if row and row[0] == "The last 2 weeks")
    header, trend, weeks = grid[start + 1], grid[start + 2], grid[start + 3 : start + 5]
    assert header[:3] == ["Week", "Linkage rate (%)", "Business levers planned"]
    assert trend[:2] == ["Trend", "██"]  # a steady 100%, drawn from zero
    assert [row[0] for row in weeks] == ["2026-W47", "2026-W48"]
    assert [row[1] for row in weeks] == [100, 100]
    assert grid[start + 5] == []


def test_sparklines_start_at_zero() -> None:
    """100 then 75 is a quarter less, not a collapse."""
    from sync.summary.render import spark

    assert spark((100.0, 75.0)) == "█▆"
    assert spark((None, 0.0, 2.0)) == "·▁█"


def test_google_gets_sparkline_formulas_and_only_those() -> None:
    """With sparklines, the trend row is a SPARKLINE from zero over each column's week cells."""
    grid = summary_grid(_summary(workbook()), sparklines=True)
    formulas = [
        (r, c) for r, row in enumerate(grid, start=1) for c in row if isinstance(c, Formula)
    ]
    assert formulas
    row, formula = formulas[0]
    assert formula == f'=SPARKLINE(B{row + 1}:B{row + 2},{{"ymin",0}})'
    assert {r for r, _ in formulas} == {row}  # one trend row, a formula per series column
    assert [grid[row][0], grid[row + 1][0]] == ["2026-W47", "2026-W48"]


def test_titles_are_bold_and_long_text_wraps() -> None:
    """The grid carries layout intent for the backends: Bold titles and headers, Wrap for long text."""
    grid = summary_grid(_demo(MONDAY_MORNING)[0], sparklines=False)
    titles = [row[0] for row in grid if len(row) == 1]
    assert titles
    assert all(isinstance(t, Bold) for t in titles)
    questions = next(
        i for i, row in enumerate(grid) if row == ["세 가지 질문: 11월 4주차(11.23–11.29)"]
    )
    assert isinstance(grid[questions + 2][1], Wrap)
    assert not isinstance(grid[questions + 2][0], Wrap)


def test_lever_text_starting_with_equals_is_not_a_formula() -> None:
    """A person's '=lever' lands in the summary as plain text."""
    plan = clean("plan")
    plan[4][3] = "=1+1 call clients"
    grid = summary_grid(_summary(workbook(plan=plan)), sparklines=True)
    cells = [c for row in grid for c in row if isinstance(c, str) and "=1+1 call clients" in c]
    assert cells
    assert not any(isinstance(c, Formula) for c in cells)


def test_first_week_with_no_history() -> None:
    """Only this week's rows: one history row, nothing breaks."""
    plan = [row for row in clean("plan") if row[0] != "2026-W47"]
    summary = _summary(
        workbook(
            plan=plan,
            results=[clean("results")[0]],
            experiments=[clean("experiments")[0]],
            retro=[clean("retro")[0]],
        )
    )
    assert summary.weeks == ("2026-W48",)
    assert summary.series("linkage").values == (1.0,)
    assert summary.section("linkage").rows[1] == ("Nov 16–22 · 2026-W47", 0, 0, "-")


def test_team_with_no_metrics() -> None:
    """A Metrics tab with only its header: no key results rows, no metric series."""
    summary = _summary(workbook(metrics=[clean("metrics")[0]], results=[clean("results")[0]]))
    assert summary.section("results").rows == ()
    assert summary.section("chain").rows == ()
    assert not [s for s in summary.history if s.key.startswith("metric:")]


def test_week_with_no_plan() -> None:
    """Nobody planned the week: the answers say so and last week's owners are listed, with 님."""
    plan = [row for row in clean("plan") if row[0] != "2026-W48"]
    summary = _summary(workbook(plan=plan), locale="ko")
    questions = summary.section("questions").rows
    assert questions[0][1] == "이 주에 계획된 비즈니스 레버가 없습니다."
    assert questions[1][1] == "이 주에 계획된 레버가 없습니다."
    assert summary.section("no_plan").rows == (("Kim님", "11월 3주차(11.16–11.22) · 2026-W47"),)
    assert summary.section("verdict").rows[2] == (
        "↑ 나빠짐",
        "계획이 없는 사람",
        "1명(전주 0명): Kim님",
    )


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


def test_findings_trend_counts_the_same_checks_every_week() -> None:
    """Week checks (FLOW001, METRIC004, ...) look at two weeks only: the trend leaves them out."""
    summary, found = _demo(THURSDAY_EVENING)
    w48 = [f for f in found if f.week == "2026-W48"]
    assert any(f.code == "FLOW001" for f in w48)
    assert summary.series("findings").values[-1] == len(
        [f for f in w48 if f.code not in {"FLOW001", "FLOW002", "RISK001", "PLAN001", "METRIC004"}]
    )


def test_numbers_have_no_float_noise() -> None:
    """4.5 - 3.9 is 0.6 in the key results, not 0.6000000000000001; text has no 2e+06."""
    summary, _ = _demo(THURSDAY_EVENING)
    m4 = next(r for r in summary.section("results").rows if str(r[0]).startswith("M4"))
    assert m4 == ("M4 월 매출", "후행", "월", "A1", 4.2, 4.5, 3.9, 0.6)
    results = clean("results")
    results[3][3] = 2_000_000
    text = summary_text(_summary(workbook(results=results)))
    assert "2,000,000" in text
    assert "e+06" not in text


def test_html_is_one_self_contained_page() -> None:
    """Rendered from a Jinja2 template with autoescape: SVG charts inline, person's text escaped."""
    plan = clean("plan")
    plan[4][3] = "<script>alert(1)</script>"
    page = summary_html(_summary(workbook(plan=plan)))
    assert page.startswith("<!doctype html>")
    assert "<svg" in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http" not in page.replace("http://www.w3.org", "")
    assert (
        page.index("At a glance") < page.index("Three questions") < page.index("The last 2 weeks")
    )


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
    assert len(grid) == 1 + 2 * 2  # each team from its first week with data
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
    last_week = summary.section("experiments").rows[1]
    assert last_week[0] == "Nov 16–22 · 2026-W47"
    assert last_week[-1] == "1/1"
    assert summary.series("next_action").values[-2] == 1.0


def test_a_fresh_english_team_on_monday_morning_reads_in_whole_sentences() -> None:
    """The English template on Monday 08:00: empty lists say so, nobody's plan is '-'."""
    grids = read_xlsx(Path(__file__).parent.parent / "templates" / "flowsync-team-en.xlsx")
    summary = _summary(grids, now=MONDAY_MORNING)
    assert summary.week == "2026-W48"
    assert summary.section("verdict").rows[-1] == (
        None,
        "Plans so far for Nov 30–Dec 6",
        "No levers yet. To plan: Lead (due Mon Nov 30 12:00).",
    )
    unlinked = summary.section("unlinked")
    assert (unlinked.header, unlinked.rows) == ((), (("None this week.",),))
    grid = summary_grid(summary, sparklines=False)
    at = grid.index(["Levers not linked to an active goal"])
    assert grid[at + 1] == ["None this week."]


# --------------------------------------------------------------------------- a missing column


def _renamed(tab: str, column: str, to: str) -> dict[str, list[list[object]]]:
    """The demo with one header of one tab renamed."""
    grids = read_xlsx(DEMO)
    title = TAB[tab].name.ko
    header = TAB[tab].column(column).name.ko
    assert header in grids[title][0]
    grids[title][0] = [to if cell == header else cell for cell in grids[title][0]]
    return grids


def _grid(grids: dict[str, list[list[object]]], locale: Locale = "ko") -> Grid:
    """The Weekly Summary tab on the lead's Monday morning, from these tabs."""
    frames_ = frames(grids)
    ctx = context(MONDAY_MORNING, locale=locale)
    summary = build_summary(frames_, run_checks(frames_, ctx), ctx, team="컨설팅1팀")
    return summary_grid(summary, sparklines=False)


def _cut(grid: Grid) -> dict[str, Any]:
    """The grid cut into its figures, each keyed by what a lead reads.

    ``verdict:<what>`` is a line of the verdict, ``question:<question>`` an answer,
    ``history:<label>`` a column of the history (its trend cell and its value per week),
    ``<title>`` any other section (its rows under the title).
    """
    blocks: list[list[Sequence[Cell]]] = []
    for row in grid[1:]:
        if len(row) == 1 and isinstance(row[0], Bold):
            blocks.append([])
        elif row and blocks:
            blocks[-1].append(row)
    titles = [row[0] for row in grid[1:] if len(row) == 1 and isinstance(row[0], Bold)]
    out: dict[str, Any] = {}
    for index, (title, rows) in enumerate(zip(titles, blocks, strict=True)):
        if index == 0:  # the verdict, under its header
            out |= {f"verdict:{row[1]}": row for row in rows[1:]}
        elif index == 1:
            out |= {f"question:{row[0]}": row for row in rows}
        elif HISTORY_TITLE.fullmatch(str(title)):
            header, trend, weeks = rows[0], rows[1], rows[2:]
            for col, name in enumerate(header[1:], start=1):
                out[f"history:{name}"] = (trend[col], {w[0]: w[col] for w in weeks})
        else:
            out[str(title)] = rows
    return out


HISTORY_TITLE = re.compile(r"최근 \d+주 추이|The last \d+ weeks")
GOAL_ID_NOTE = "“주간계획” 탭에서 “목표ID” 열을 찾을 수 없어 계산하지 않았습니다(DATA002 참고)"


def test_a_renamed_goal_id_is_not_measured_rather_than_nothing_linked() -> None:
    """목표ID renamed 연결 목표: linkage is not measured, not "0%, every lever unlinked"."""
    before = _cut(_grid(read_xlsx(DEMO)))
    after = _cut(_grid(_renamed("plan", "goal_id", "연결 목표")))
    assert after["verdict:목표 연결률"] == [None, "목표 연결률", GOAL_ID_NOTE]  # no ↓
    assert after["question:목표에 직접 연결되었나?"] == ["목표에 직접 연결되었나?", GOAL_ID_NOTE]
    assert after["목표 연결"] == [[GOAL_ID_NOTE]]
    assert after["진행 중인 목표에 연결되지 않은 레버"] == [[GOAL_ID_NOTE]]
    trend, weeks = after["history:연결률(%)"]
    assert trend == GOAL_ID_NOTE
    assert set(weeks.values()) == {None}
    tree = after["목표 트리: 목표마다 그 아래의 일"]
    assert tree[-1] == [GOAL_ID_NOTE]
    assert tree[1][4:6] == [None, None]  # B1's levers: not 0
    # The rest reads as before: who has no plan, the flows, the retro's next actions.
    for key in (
        "verdict:계획이 없는 사람",
        "세 가지 흐름",
        "question:다음 주에 바꿀 시간 사용 하나는?",
    ):
        assert after[key] == before[key]
    assert after["verdict:계획이 없는 사람"] == [
        "↑ 나빠짐",
        "계획이 없는 사람",
        "1명(전주 0명): 최유나님",
    ]


def test_experiments_without_a_next_step_column_are_not_said_to_lack_next_actions() -> None:
    """실험로그 without 다음행동유형: no "ended without a next action", no 0% closed."""
    note = "“실험로그” 탭에서 “다음행동유형” 열을 찾을 수 없어 계산하지 않았습니다(DATA002 참고)"
    before = _cut(_grid(read_xlsx(DEMO)))
    after = _cut(_grid(_renamed("experiments", "next_step", "다음 단계")))
    assert after["verdict:다음 행동이 빠진 실험·회고"] == [None, "다음 행동이 빠진 실험·회고", note]
    assert after["history:다음 행동이 있는 종료 실험(%)"][0] == note
    for title in ("실험", "다음 행동이 없는 종료 실험", "끝난 실험에서 배운 점"):
        assert after[title] == [[note]]
    assert after["history:기록한 실험"] == before["history:기록한 실험"]  # logged: still counted


def test_a_missing_experiment_log_is_not_measured_not_zero_experiments() -> None:
    """No 실험로그 tab: the experiment figures say so (DATA001) instead of counting none."""
    note = "“실험로그” 탭을 찾을 수 없어 계산하지 않았습니다(DATA001 참고)"
    grids = read_xlsx(DEMO)
    del grids["실험로그"]
    after = _cut(_grid(grids))
    trend, weeks = after["history:기록한 실험"]
    assert (trend, set(weeks.values())) == (note, {None})
    assert after["실험"] == [[note]]
    tree = after["목표 트리: 목표마다 그 아래의 일"]
    assert tree[1][6:8] == [None, None]
    assert tree[-1] == [note]


def test_the_english_note_names_the_column_and_the_finding() -> None:
    """English and Korean are equals: the same note, in the team's language."""
    after = _cut(_grid(_renamed("plan", "goal_id", "linked goal"), locale="en"))
    assert after["verdict:Levers linked to an active goal"] == [
        None,
        "Levers linked to an active goal",
        "not measured: the column “goal_id” is missing from “주간계획” (see DATA002)",
    ]


def _reported(tab: str, column: str) -> bool:
    """DATA002 names this column when it is missing: it is required, or a check reads it."""
    return TAB[tab].column(column).required or bool(skipped_by(tab, column))


SWEPT = [
    (t.key, c.key)
    for t in TAB.values()
    if not t.owned
    for c in t.columns
    if _reported(t.key, c.key)
]


def test_every_column_a_figure_reads_is_one_data002_names() -> None:
    """A note's "see DATA002" always points at a finding: no figure reads a column DATA002
    is silent about (an optional one that only refines a figure, such as a lesson)."""
    for fig in FIGURES.values():
        for tab, columns in fig.reads.items():
            assert all(_reported(tab, c) for c in columns), (fig.key, tab, columns)


# The columns of a table that a part of it reads: blank when it cannot, the note under the table.
PART_COLUMNS = {
    "goals:levers": (4, 5),
    "goals:experiments": (6, 7),
    "goals:leading": (8,),
    "results:goal_id": (3,),
}


def _keys(fig: Figure, summary: Summary) -> set[str]:
    """Where a figure stands in the cut grid (``_cut``)."""
    loc, key = summary.locale, fig.key
    if key == "v_this_week":
        return {
            f"verdict:{label('v_this_week_label', loc, words=week_words(summary.current, loc))}"
        }
    if key.startswith("v_"):
        return {f"verdict:{label(f'{key}_label', loc)}"}
    if key.startswith("q_"):
        return {f"question:{label(key, loc)}"}
    if key.startswith("history:"):
        kind = key.split(":")[1]
        keys = {
            "linkage": ("linkage",),
            "planned": tuple(f"{f}_planned" for f in FLOW.values),
            "done": tuple(f"{f}_done" for f in FLOW.values),
        }.get(kind, (kind,))
        return {
            f"history:{s.label}"
            for s in summary.history
            if s.key in keys or (kind == "metric" and s.key.startswith("metric:"))
        }
    section = key.split(":")[0]
    return {label(f"s_{section}", loc, words=week_words(summary.week, loc))}


@pytest.mark.parametrize(("tab", "column"), SWEPT, ids=[f"{t}.{c}" for t, c in SWEPT])
def test_a_renamed_column_leaves_its_figures_unmeasured_and_every_other_as_it_was(
    tab: str, column: str
) -> None:
    """Each column DATA002 names, renamed in turn in the demo, on the lead's Monday morning:
    the figures that read it say why they were not measured; every other cell is unchanged."""
    summary, _ = _demo(MONDAY_MORNING)
    before = _cut(summary_grid(summary, sparklines=False))
    grids = _renamed(tab, column, "(옛) " + TAB[tab].column(column).name.ko)
    missing = frames(grids).missing_columns
    assert dict(missing) == {tab: (column,)}
    after = _cut(_grid(grids))
    note = (
        f"“{TAB[tab].name.ko}” 탭에서 “{TAB[tab].column(column).name.ko}” 열을 찾을 수 없어"
        " 계산하지 않았습니다(DATA002 참고)"
    )
    reading = [f for f in FIGURES.values() if column in f.reads.get(tab, ())]
    whole = {
        k
        for f in reading
        if ":" not in f.key or f.key.startswith("history:")
        for k in _keys(f, summary)
    }
    part = {
        k: PART_COLUMNS[f.key]
        for f in reading
        if ":" in f.key and not f.key.startswith("history:")
        for k in _keys(f, summary)
    }
    # The findings are the checks' business: DATA002 joins them, the skipped checks leave.
    findings_keys = {label("s_findings", "ko"), f"history:{label('hist_findings', 'ko')}"}
    placeholder = f"history:{label('hist_leading', 'ko')}"
    if placeholder in after:  # the leading indicators themselves unknown: one column says why
        metric_keys = _keys(FIGURES["history:metric"], summary)
        assert FIGURES["history:metric"] in reading
        trend, weeks = after.pop(placeholder)
        assert (trend, set(weeks.values())) == (note, {None})
        before = {k: v for k, v in before.items() if k not in metric_keys}
    assert set(after) == set(before)
    for key in sorted(set(before) - findings_keys):
        got, was = after[key], before[key]
        if key in whole and key.startswith("verdict:"):
            assert got == [None, key.split(":", 1)[1], note], key
        elif key in whole and key.startswith("question:"):
            assert got == [key.split(":", 1)[1], note], key
        elif key in whole and key.startswith("history:"):
            assert got[0] == note, key
            assert set(got[1].values()) == {None}, key
        elif key in whole:
            assert got == [[note]], key
        elif key in part:
            blank = [[None if c in part[key] else v for c, v in enumerate(r)] for r in was[1:]]
            assert got == [was[0], *blank, [note]], key
        elif key.startswith("history:") and column == "week":
            # Without a tab's weeks the history may start later: the weeks it keeps are equal.
            common = got[1].keys() & was[1].keys()
            assert {w: got[1][w] for w in common} == {w: was[1][w] for w in common}, key
        else:
            assert got == was, key


def test_two_tabs_matching_the_plan_are_not_measured_as_data005_says() -> None:
    """주간 계획 beside 주간계획: neither is read, so linkage is not measured (DATA005), not 0%."""
    summary = _summary({"주간 계획": clean("plan"), **workbook("ko")}, locale="ko")
    note = "“주간계획” 탭과 일치하는 탭이 여럿이라 계산하지 않았습니다(DATA005 참고)"
    assert summary.section("verdict").rows[1] == (None, "목표 연결률", note)
    assert summary.series("linkage") == Series("linkage", "연결률(%)", (None, None), note)


def test_the_portfolio_leaves_a_figure_not_measured_blank_not_zero() -> None:
    """Weekly Plan without status: the portfolio's levers done are blank cells, not 0."""
    from sync.summary import portfolio_grid

    plan = clean("plan")
    plan[0][7] = "state"
    grid = portfolio_grid([(_summary(workbook(plan=plan)), [])], locale="en")
    assert grid[1][:7] == ["T", "2026-W48", 100, None, None, None, 1]


def test_a_lever_linked_to_a_finished_goal_is_listed_with_its_reason() -> None:
    """Monday 2026-11-23 reviews W47: 8 of 9 levers linked; the ninth, linked to the finished
    goal Q3, is the one lever the unlinked list names, and the question names it too."""
    summary, _ = _demo(datetime(2026, 11, 23, 8, 0, tzinfo=SEOUL))
    verdict = {row[1]: row for row in summary.section("verdict").rows}
    assert verdict["목표 연결률"] == ("↓ 나빠짐", "목표 연결률", "89%, 레버 9개 중 8개(전주 100%)")
    assert summary.section("unlinked").rows == (
        (
            "이민호님",
            "비즈니스",
            "파일럿 결과 보고서 마무리",
            "Q3",
            "끝난 목표 Q3(3분기 파일럿 3건, 완료)에 연결됨",
        ),
    )
    assert "연결 안 됨: 파일럿 결과 보고서 마무리(이민호님)." in str(
        summary.section("questions").rows[1][1]
    )


def test_a_week_nobody_wrote_a_retro_for_reads_as_worse_not_better() -> None:
    """Monday morning after a week without retros: each person who planned it and wrote
    none counts as a retro without a next action. Before, no rows read as "↓ 나아짐: 없음"."""
    grids = read_xlsx(DEMO)
    grids["회고"] = [row for row in grids["회고"] if "2026-W48" not in row]
    frames_ = frames(grids)
    ctx = context(MONDAY_MORNING, locale="ko")
    summary = build_summary(frames_, run_checks(frames_, ctx), ctx, team="컨설팅1팀")
    row = summary_grid(summary, sparklines=False)[7]
    assert row == [
        "→ 변화 없음",
        "다음 행동이 빠진 실험·회고",
        "3건(전주 3건): 김지훈님 회고 없음, 박서연님 회고 없음, 이민호님 회고 없음",
    ]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "ko",
            "진행 중인 목표에 아직 연결되지 않은 레버 1개: “A사 제안 발표 리허설 2회”(김지훈님).",
        ),
        ("en", "1 not linked to an active goal yet: “A사 제안 발표 리허설 2회” (김지훈)."),
    ],
)
def test_monday_morning_names_this_weeks_unlinked_levers(locale: str, expected: str) -> None:
    """Before the deadline the summary reviews last week, but the owner of an unlinked lever
    of this week was just e-mailed: the this-week row names it, so the lead reads it too."""
    grids = read_xlsx(DEMO)
    plan = grids["주간계획"]
    first = next(r for r in plan if "2026-W49" in r)
    first[plan[0].index("목표ID")] = None
    frames_ = frames(grids)
    ctx = context(MONDAY_MORNING, locale=locale)  # type: ignore[arg-type]
    summary = build_summary(frames_, run_checks(frames_, ctx), ctx, team="T")
    row = summary_grid(summary, sparklines=False)[9]
    assert str(row[2]).endswith(" " + expected)
