"""The lead's weekly report: its week, its subject in both languages, its headline, its mail."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from helpers import SEOUL, clean, context, findings, frames, workbook

from sync.notify.report import (
    WeeklyReport,
    build_report,
    render_report,
    reported_week,
    summary_headline,
)
from sync.summary import build_summary


def test_the_week_reported_is_the_one_whose_plan_deadline_passed_last() -> None:
    """Monday 08:00 reports last week; Monday 12:00 and later, this week."""
    assert reported_week(context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))) == "2026-W48"
    assert reported_week(context(datetime(2026, 11, 30, 12, 0, tzinfo=SEOUL))) == "2026-W49"
    assert reported_week(context(datetime(2026, 11, 26, 10, 0, tzinfo=SEOUL))) == "2026-W48"


def _report(**changes: list[list[object]]) -> WeeklyReport:
    grids = workbook(**changes)
    ctx = context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))
    found = findings(grids, ctx)
    codes = frozenset({"LINK001", "LINK002", "LINK004"})
    return build_report(frames(grids), found, ctx, team="Sales 1", codes=codes, location="a.xlsx")


def test_report_names_the_unlinked_work_who_has_no_plan_and_the_next_actions() -> None:
    plan = clean("plan") + [["2026-W47", "Lee", "Business", "Old", "Q1"]]
    plan[4][4] = None  # Kim's W48 Business lever, unlinked
    report = _report(plan=plan)
    assert report.week == "2026-W48"
    assert [i.finding.code for i in report.unlinked] == ["LINK001"]
    assert report.planless == ("Lee",)
    assert report.subject == "Sales 1 Nov 23–29: 1 unlinked · 1 without a plan"
    assert "↓ Levers linked to an active goal: 67%, 2 of 3 levers (week before: 100%)" in (
        report.headline
    )


def test_english_mail_has_both_parts_and_nothing_a_mail_client_blocks() -> None:
    mail = render_report(_report(), recipient="lead@example.com", sender="f@example.com",
                         now=datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))  # fmt: skip
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    plain = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert mail["Subject"] == "Sales 1 Nov 23–29: 0 unlinked · 0 without a plan"
    assert "Work linked to no goal (0)" in plain
    assert "Open the sheet: a.xlsx" in plain
    for banned in ("<svg", "<script", "<img", "<style", "class="):
        assert banned not in html


def test_the_headline_is_the_weekly_summarys_verdict() -> None:
    """One line per row of the verdict; a summary without one gives its linkage answer."""
    summary = build_summary(frames(workbook()), [], context(), team="T")
    lines = summary_headline(summary)
    assert len(lines) == len(summary.section("verdict").rows)
    assert "→ Levers linked to an active goal: 100%, 3 of 3 levers (week before: 100%)" in lines
    without = replace(summary, sections=tuple(s for s in summary.sections if s.key != "verdict"))
    assert summary_headline(without) == ("3 of 3 levers (100%) are linked to an active goal.",)


def _mail(report: WeeklyReport) -> tuple[str, str]:
    mail = render_report(report, recipient="lead@example.com", sender="f@example.com",
                         now=datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))  # fmt: skip
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    plain = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    return plain, html


def _renamed(tab: str, old: str, new: str) -> list[list[object]]:
    grid = clean(tab)
    grid[0] = [new if cell == old else cell for cell in grid[0]]
    return grid


def test_a_renamed_goal_id_makes_the_report_say_not_measured_not_zero_unlinked() -> None:
    """goal_id renamed: no "0 unlinked", no 0% linkage bars, no ↓ in the headline."""
    note = "not measured: the column “goal_id” is missing from “Weekly Plan” (see DATA002)"
    report = _report(plan=_renamed("plan", "goal_id", "linked goal"))
    assert f"Levers linked to an active goal: {note}" in report.headline
    assert report.notes["linkage"] == note
    assert report.notes["unlinked"] == note  # LINK001 did not run: its silence is no all-clear
    assert report.subject == "Sales 1 Nov 23–29: unlinked not measured · 0 without a plan"
    plain, html = _mail(report)
    assert f"Linkage, last 2 weeks\n- {note}\n" in plain
    assert f"Work linked to no goal\n- {note}\n" in plain
    assert "Work linked to no goal (0)" not in plain
    assert "#" not in plain.split("Linkage, last 2 weeks")[1].split("Work linked")[0]
    assert html.count(note) == 3  # the headline, the linkage, the unlinked work
    assert "width=" not in html.split("Linkage, last 2 weeks")[1].split("Work linked")[0]


def test_a_renamed_retro_next_action_is_not_an_empty_list_of_next_actions() -> None:
    """회고 다음행동 renamed: the retro's next actions are not measured, in Korean too."""
    retro = _renamed("retro", "next_action", "다음 할 일")
    grids = workbook("ko", retro=retro)
    ctx = context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL), locale="ko")
    report = build_report(
        frames(grids), findings(grids, ctx), ctx, team="영업1팀", codes=frozenset({"LINK001"})
    )
    note = "“회고” 탭에서 “다음행동” 열을 찾을 수 없어 계산하지 않았습니다(DATA002 참고)"
    plain, html = _mail(report)
    assert "회고의 다음 행동 (0건)" not in plain
    assert f"회고의 다음 행동\n- {note}\n" in plain
    assert note in html
    assert report.notes == {"next_actions": note}
    assert report.subject == "영업1팀 11월 4주차(11.23–11.29): 목표 미연결 0건 · 계획 없음 0명"


def test_a_renamed_plan_owner_is_not_everyone_has_a_plan() -> None:
    """Weekly Plan owner renamed: who has no plan is not measured, and the subject says so."""
    report = _report(plan=_renamed("plan", "owner", "who"))
    assert report.subject.endswith("· plans not measured")
    plain, _ = _mail(report)
    assert "No plan for the week (0)" not in plain
    assert report.planless == ()
    assert report.notes["planless"] == (
        "not measured: the column “owner” is missing from “Weekly Plan” (see DATA002)"
    )


def test_a_korean_report_says_weeks_and_names_as_the_weekly_summary_does() -> None:
    plan = clean("plan") + [["2026-W47", "Lee", "Business", "Old", "Q1"]]
    grids = workbook(plan=plan)
    ctx = context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL), locale="ko")
    report = build_report(
        frames(grids),
        findings(grids, ctx),
        ctx,
        team="영업1팀",
        codes=frozenset(),
        location="a.xlsx",
    )
    assert report.subject == "영업1팀 11월 4주차(11.23–11.29): 목표 미연결 0건 · 계획 없음 1명"
    mail = render_report(report, recipient="lead@example.com", sender="f@example.com",
                         now=datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))  # fmt: skip
    plain = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert plain.startswith("영업1팀 · 주간 보고 · 11월 4주차(11.23–11.29) · 2026-W48\n")
    assert "- Lee님\n" in plain  # who has no plan, with 님
    assert "\n11월 4주차(11.23–11.29)  #" in plain  # the linkage bar of the week reported
