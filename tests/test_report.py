"""The lead's weekly report: its week, its subject in both languages, its headline, its mail."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from conftest import SmtpServer
from helpers import SEOUL, clean, context, findings, frames, read_xlsx, workbook
from test_cli import flowsync

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
    assert [(w.item.tab, w.item.why) for w in report.unlinked] == [("plan", "none")]
    assert report.planless == ("Lee",)
    assert report.subject == "Sales 1 Nov 23–29: 1 unlinked · 1 without a plan"
    assert "↓ worse · Levers linked to an active goal: 67%, 2 of 3 levers (week before: 100%)" in (
        [line.text for line in report.headline]
    )


def test_english_mail_has_both_parts_and_nothing_a_mail_client_blocks() -> None:
    mail = render_report(_report(), recipient="lead@example.com", sender="f@example.com",
                         now=datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))  # fmt: skip
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    plain = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert mail["Subject"] == "Sales 1 Nov 23–29: 0 unlinked · 0 without a plan"
    assert "Work not linked to an active goal (0: 0 levers, 0 experiments)" in plain
    assert "Open the sheet: a.xlsx" in plain
    for banned in ("<svg", "<script", "<img", "<style", "class="):
        assert banned not in html


def test_the_headline_is_the_weekly_summarys_verdict() -> None:
    """One line per row of the verdict; a summary without one gives its linkage answer."""
    summary = build_summary(frames(workbook()), [], context(), team="T")
    lines = [line.text for line in summary_headline(summary)]
    assert len(lines) == len(summary.section("verdict").rows)
    assert (
        "→ no change · Levers linked to an active goal: 100%, 3 of 3 levers (week before: 100%)"
        in lines
    )
    without = replace(summary, sections=tuple(s for s in summary.sections if s.key != "verdict"))
    assert [line.text for line in summary_headline(without)] == [
        "3 of 3 levers (100%) are linked to an active goal."
    ]


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
    assert f"Levers linked to an active goal: {note}" in [line.text for line in report.headline]
    assert report.notes["linkage"] == note
    assert report.notes["unlinked"] == note  # LINK001 did not run: its silence is no all-clear
    assert report.subject == "Sales 1 Nov 23–29: unlinked not measured · 0 without a plan"
    plain, html = _mail(report)
    assert f"Linkage, last 2 weeks\n- {note}\n" in plain
    assert f"Work not linked to an active goal\n- {note}\n" in plain
    assert "Work not linked to an active goal (0" not in plain
    assert "#" not in plain.split("Linkage, last 2 weeks")[1].split("Work not linked")[0]
    assert html.count(note) == 3  # the headline, the linkage, the unlinked work
    assert "width=" not in html.split("Linkage, last 2 weeks")[1].split("Work not linked")[0]


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


# ----------------------------------------------------------------- the demo replayed (issue 38)
# A Korean lead's Monday 08:00 and Thursday 18:00, through `run --once --now` and a real SMTP
# server on loopback: what the tab's cells say and what the lead's mail says must agree.

VERDICT_TITLE = "한눈에 보기: 11월 4주차(11.23–11.29)"


def _replay(demo: Path, smtp: SmtpServer, now: str) -> tuple[list[list[Any]], EmailMessage]:
    """The demo's 주간요약 grid and the lead's report after one cycle at ``now`` (Seoul)."""
    extra = (
        f'\n[email]\nsender = "flowsync@example.com"\nsmtp_host = "{smtp.host}"\n'
        f'smtp_port = {smtp.port}\nsecurity = "none"\n'
    )
    demo.write_text(demo.read_text(encoding="utf-8") + extra, encoding="utf-8")
    flowsync("--config", demo, "run", "--once", "--now", now)
    reports = [r.message for r in smtp.received if r.recipients == ["lead@example.com"]]
    assert len(reports) == 1
    return read_xlsx(demo.parent / "demo.xlsx")["주간요약"], reports[0]


def _parts(mail: EmailMessage) -> tuple[str, str]:
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    plain = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    return plain, html


def _section(grid: list[list[Any]], title: str) -> list[list[Any]]:
    """The rows under a section's title and header, up to the blank row that ends it."""
    start = next(i for i, row in enumerate(grid) if row and row[0] == title) + 2
    end = next(i for i in range(start, len(grid)) if not any(c not in (None, "") for c in grid[i]))
    return [[c for c in row if c is not None] for row in grid[start:end]]


def _lever_lines(plain: str) -> list[str]:
    """The report's levers not linked to an active goal, one line each."""
    part = plain.split("레버: ", 1)[1].split("\n실험: ", 1)[0]
    return [line for line in part.splitlines() if line.startswith("- 주간계획")]


def _linkage(text: str) -> tuple[int, int]:
    """``"75%, 레버 8개 중 6개(전주 89%)"`` -> (8, 6): levers planned, linked."""
    found = re.search(r"레버 (\d+)개 중 (\d+)개", text)
    assert found, text
    return int(found[1]), int(found[2])


def test_monday_0800_report_carries_every_verdict_row_and_reconciles_with_the_tab(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """Monday 08:00: the tab's verdict rows, this week's plans too, are the report's lines; the
    rate's levers not linked are the levers both lists name; marks say better or worse."""
    grid, mail = _replay(demo, smtp_server, "2026-11-30T08:00")
    plain, html = _parts(mail)
    verdict = {row[-2]: row for row in _section(grid, VERDICT_TITLE)}
    assert len(verdict) == 6
    for mark, what, said in (row if len(row) == 3 else ("", *row) for row in verdict.values()):
        line = f"{mark} · {what}: {said}" if mark and mark != "-" else f"{what}: {said}"
        assert f"- {line}\n" in plain
        assert line in html
    assert "12월 1주차(11.30–12.6) 계획 현황" in verdict
    # Better or worse, whichever way the arrow points; one more person without a plan is worse.
    assert verdict["계획이 없는 사람"][:3] == [
        "↑ 나빠짐",
        "계획이 없는 사람",
        "1명(전주 0명): 최유나님",
    ]
    assert verdict["선행지표 목표치 달성률"][0] == "↑ 나아짐"
    assert verdict["선행지표 목표치 달성률"][2].startswith("3개 중 2개 목표치 미달(전주 2개)")
    assert verdict["다음 행동이 빠진 실험·회고"][0] == "↓ 나아짐"
    assert '<span style="color:#c62828;font-weight:bold">↑ 나빠짐 · 계획이 없는 사람' in html
    assert '<span style="color:#2e7d32;font-weight:bold">↓ 나아짐 · 다음 행동이' in html
    # The rate's 8 levers, 6 linked: the two the tab lists are the two the report lists.
    total, linked = _linkage(verdict["목표 연결률"][2])
    unlinked = _section(grid, "진행 중인 목표에 연결되지 않은 레버")
    levers = _lever_lines(plain)
    assert (total - linked, len(unlinked), len(levers)) == (2, 2, 2)
    assert [row[2] for row in unlinked] == [re.findall(r"레버 “(.+?)”", line)[0] for line in levers]
    assert "진행 중인 목표에 연결되지 않은 일 (3건: 레버 2개, 실험 1건)" in plain
    assert mail["Subject"] == "컨설팅1팀 11월 4주차(11.23–11.29): 목표 미연결 3건 · 계획 없음 1명"
    assert "- 주간계획 27행 · 이민호님: " in plain  # 님 wherever the lead reads a person
    # Bars coloured by meaning: 75% and 89% are not every lever linked; 100% is.
    bars = re.findall(r'bgcolor="(#[0-9a-f]+)"[^>]*>&nbsp;</td>\s*<td[^>]*>(\d+%)', html)
    assert bars == [
        ("#2e7d32", "100%"),
        ("#2e7d32", "100%"),
        ("#c62828", "89%"),
        ("#c62828", "75%"),
    ]
    for banned in ("<svg", "<script", "<img", "<style", "class="):
        assert banned not in html


def test_tuesday_1800_report_lists_the_lever_linked_to_a_finished_goal(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """The report on W47 (due since Monday, until Tuesday ends): 8 of 9 linked, and the ninth is named, linked to the
    finished goal Q3, so "목표 미연결" is not 0; the tab on W48 reconciles the same way."""
    grid, mail = _replay(demo, smtp_server, "2026-11-24T18:00")
    plain, html = _parts(mail)
    headline = plain.split("한눈에 보기\n", 1)[1].split("\n\n", 1)[0]
    total, linked = _linkage(next(x for x in headline.splitlines() if "목표 연결률" in x))
    levers = _lever_lines(plain)
    assert (total, linked, len(levers)) == (9, 8, 1)
    assert levers[0] == (
        "- 주간계획 17행 · 이민호님: 레버 “파일럿 결과 보고서 마무리”(비즈니스): "
        "끝난 목표 Q3(3분기 파일럿 3건, 완료)에 연결됨"
    )
    assert mail["Subject"] == "컨설팅1팀 11월 3주차(11.16–11.22): 목표 미연결 1건 · 계획 없음 0명"
    assert "- ↓ 나빠짐 · 목표 연결률: 89%, 레버 9개 중 8개(전주 100%)\n" in plain
    assert "- ↓ 나아짐 · 계획이 없는 사람: 없음(전주 1명)\n" in plain
    assert "끝난 목표 Q3(3분기 파일럿 3건, 완료)에 연결됨" in html
    # The tab reviews W48 on Tuesday: its rate and its list of unlinked levers agree too.
    verdict = {row[-2]: row for row in _section(grid, VERDICT_TITLE)}
    total, linked = _linkage(verdict["목표 연결률"][2])
    unlinked = _section(grid, "진행 중인 목표에 연결되지 않은 레버")
    assert (total - linked, [row[-1] for row in unlinked]) == (
        2,
        ["목표ID가 비어 있음", "목표 탭에 없는 목표 Q9"],
    )


def test_unlinked_work_is_listed_whatever_the_codes_and_other_codes_apart() -> None:
    """team_codes = ["RISK002"]: the unlinked lever is still listed (the rate counts it), and the
    risk without a countermeasure is under "Other findings"; an English mark says worse."""
    plan = clean("plan")
    plan[4][4] = None  # Kim's W48 Business lever, unlinked
    risks = clean("risks")
    risks[1][3] = None
    grids = workbook(plan=plan, risks=risks)
    ctx = context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))
    found = findings(grids, ctx)
    report = build_report(frames(grids), found, ctx, team="Sales 1", codes=frozenset({"RISK002"}))
    assert [(w.item.tab, w.item.why) for w in report.levers] == [("plan", "none")]
    assert [i.finding.code for i in report.others] == ["RISK002"]
    plain, html = _mail(report)
    assert "Levers: 1 of 3 not linked\n- Weekly Plan row " in plain
    assert "Other findings (1)\n- Risks row 2 · Kim: " in plain
    assert "- ↑ worse · Risks without a countermeasure: 1 (week before: 0)" in plain
    assert '<span style="color:#c62828;font-weight:bold">↑ worse · Risks without' in html


def test_the_report_and_the_summary_list_the_same_people_without_a_plan() -> None:
    """Lee, typed ``Lee `` with a trailing space, planned W47 and not W48: both lists say Lee,
    once, as they are one list (``planless_owners``)."""
    plan = clean("plan") + [["2026-W47", "Lee ", "Business", "Old", "Q1"]]
    report = _report(plan=plan)
    ctx = context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))
    summary = build_summary(frames(workbook(plan=plan)), [], ctx, team="T")
    listed = tuple(str(row[0]) for row in summary.section("no_plan").rows)
    assert report.planless == listed
    assert len(listed) == 1
