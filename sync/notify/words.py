"""Every sentence a nudge, a channel message or the weekly report says, in English and Korean."""

from __future__ import annotations

from sync.core import Locale
from sync.messages import say

WORDS: dict[str, tuple[str, str]] = {
    "plan_title": (
        "[flowsync] {team}: your plan for {week}",
        "[flowsync] {team}: {week} 계획을 적어 주세요",
    ),
    "plan_owner": (
        "{owner}, there is no plan of yours for {week} yet. Before {deadline}, write one lever "
        "in each of the three flows: Business (the action that moves the numbers most), "
        "Learning (one skill to acquire and apply), People (one person to connect with, "
        "and what to give them first).",
        "{owner}님, {week} 주간계획이 아직 없습니다. {deadline}까지 세 흐름에 레버를 하나씩 "
        "적어 주세요: 비즈니스(숫자를 가장 크게 움직일 행동), 학습(익혀서 적용할 기술), "
        "관계(연결할 사람과 먼저 줄 것).",
    ),
    "plan_team": (
        "No plan for {week} yet from: {owners}. Before {deadline}, one lever each for "
        "Business, Learning and People.",
        "{week} 계획이 아직 없는 분: {owners}. {deadline}까지 비즈니스·학습·관계 레버를 "
        "하나씩 적어 주세요.",
    ),
    "retro_title": (
        "[flowsync] {team}: your retro for {week}",
        "[flowsync] {team}: {week} 회고를 적어 주세요",
    ),
    "retro_owner": (
        "{owner}, there is no retro of yours for {week} yet. Before the weekend, write what "
        "moved the numbers, where you applied what you learned, who could double your speed, "
        "and the one next action for next week.",
        "{owner}님, {week} 회고가 아직 없습니다. 주말 전에 숫자를 움직인 것, 학습을 적용한 곳, "
        "속도를 두 배로 올려줄 사람, 그리고 다음 주에 바꿀 행동 하나를 적어 주세요.",
    ),
    "retro_team": (
        "No retro for {week} yet from: {owners}. One next action each before the weekend.",
        "{week} 회고가 아직 없는 분: {owners}. 주말 전에 다음 행동 하나씩 적어 주세요.",
    ),
    "alert_title": (
        "[flowsync] {team}: {n} piece(s) of your work linked to no goal",
        "[flowsync] {team}: 목표에 연결되지 않은 일 {n}건",
    ),
    "alert_owner": (
        "{owner}, this work is linked to no goal yet; write the goal it moves in goal_id:",
        "{owner}님, 아래 일이 아직 어느 목표에도 연결되지 않았습니다. 목표ID에 움직이는 목표를 적어 주세요:",
    ),
    "where_row": ("{tab} row {row}", "{tab} {row}행"),
    "in_file": ("{where} in {file}", "{file}의 {where}"),
    "plan": ("plan nudge", "계획 작성 알림"),
    "retro": ("retro nudge", "회고 작성 알림"),
    "alert": ("unlinked-work alert", "미연결 알림"),
    "report": ("weekly report", "주간 보고"),
    "test": ("test message", "테스트 메시지"),
    "sent": ("  {what} to {to} ({where})", "  {what} → {to} ({where})"),
    "not_sent": ("{what} to {to}: {error}", "{what} → {to}: {error}"),
    "test_ok": ("{team}: {channel}: delivered", "{team}: {channel}: 보냄"),
    "test_failed": (
        "{team}: {channel}: not delivered: {error}",
        "{team}: {channel}: 보내지 못함: {error}",
    ),
    "test_none": (
        '{team}: no channel in [teams.notify]; add team = ["slack://${{SLACK_TOKEN}}/..."] or owners',
        '{team}: [teams.notify]에 채널이 없습니다. team = ["slack://${{SLACK_TOKEN}}/..."]나 owners를 적어 주세요',
    ),
    "channel_env": (
        "environment variable {names} is not set: expected it to hold the channel's secret "
        "(the config names it, never holds it)",
        "환경 변수 {names}[이/가] 없습니다. 채널의 비밀 값을 이 변수에 넣어 주세요"
        "(설정 파일에는 변수 이름만 적습니다)",
    ),
    "channel_url": (
        "{where}: Apprise does not accept this URL once its variables are filled; "
        "check it against the Apprise documentation for that service",
        "{where}: 변수를 채운 URL을 Apprise가 받아들이지 않습니다. 해당 서비스의 Apprise 문서와 "
        "비교해 확인해 주세요",
    ),
    "channel_failed": (
        "{where}: not delivered after {attempts} attempt(s) ({reason}); "
        "it stays unsent and the next cycle tries again",
        "{where}: {attempts}번 시도했지만 보내지 못했습니다({reason}). 보내지 않은 것으로 남겨 "
        "다음 주기에 다시 보냅니다",
    ),
    "test_title": ("[flowsync] test message", "[flowsync] 테스트 메시지"),
    "test_body": (
        "flowsync can reach this channel for {team}. Nudges and reports will arrive here.",
        "flowsync가 {team}의 이 채널에 연결되었습니다. 계획·회고 알림과 주간 보고가 여기로 옵니다.",
    ),
    # The lead's weekly report.
    "report_subject": (
        "{team} {week}: {unlinked} · {planless}",
        "{team} {week}: {unlinked} · {planless}",
    ),
    "s_unlinked": ("{n} unlinked", "목표 미연결 {n}건"),
    "s_unlinked_na": ("unlinked not measured", "목표 미연결 확인 못 함"),
    "s_planless": ("{n} without a plan", "계획 없음 {n}명"),
    "s_planless_na": ("plans not measured", "계획 여부 확인 못 함"),
    "report_title": (
        "{team} · weekly report · {words} ({week})",
        "{team} · 주간 보고 · {words} · {week}",
    ),
    "r_headline": ("At a glance", "한눈에 보기"),
    "r_linkage": ("Linkage, last {n} weeks", "최근 {n}주 목표 연결률"),
    "r_linkage_key": (
        "Green: every lever linked to an active goal; red: some are not (listed below).",
        "초록: 모든 레버가 진행 중인 목표에 연결됨, 빨강: 연결되지 않은 레버가 있음(아래 목록).",
    ),
    "r_unlinked": (
        "Work not linked to an active goal ({n}: {levers} levers, {exps} experiments)",
        "진행 중인 목표에 연결되지 않은 일 ({n}건: 레버 {levers}개, 실험 {exps}건)",
    ),
    "r_levers_of": ("Levers: {n} of {total} not linked", "레버: {total}개 중 연결 안 된 {n}개"),
    "r_experiments": ("Experiments: {n}", "실험: {n}건"),
    "r_lever": ("lever “{lever}” ({flow})", "레버 “{lever}”({flow})"),
    "r_experiment": ("experiment {exp_id}", "실험 {exp_id}"),
    "r_others": ("Other findings ({n})", "그 밖의 점검결과 ({n}건)"),
    "r_planless": ("No plan for the week ({n})", "계획 없음 ({n}명)"),
    "r_actions": ("Next actions from the retro ({n})", "회고의 다음 행동 ({n}건)"),
    # A part whose column is missing: its note instead of a count (sync.summary.figures).
    "r_unlinked_na": ("Work not linked to an active goal", "진행 중인 목표에 연결되지 않은 일"),
    "r_planless_na": ("No plan for the week", "계획 없음"),
    "r_actions_na": ("Next actions from the retro", "회고의 다음 행동"),
    "r_unreachable": (
        "Owners flowsync could not tell (no address or channel): {owners}",
        "주소나 채널을 몰라 알리지 못한 담당자: {owners}",
    ),
    "r_open": ("Open the sheet", "시트 열기"),
    "r_none": ("none", "없음"),
}


def word(key: str, locale: Locale, **params: object) -> str:
    return say(WORDS, key, locale, **params)
