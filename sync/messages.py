"""Every sentence flowsync says, in English and Korean (the codes themselves: sync.codes).

Messages name the row's own words (the lever, the experiment) so that a person
recognises the row without opening the sheet. Long or multi-line cell text is
shortened to one line here, never in the data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from babel.numbers import format_decimal

from sync.core import Locale
from sync.errors import FlowsyncError
from sync.particles import resolve
from sync.workbook.contract import Bilingual
from sync.workbook.values import MONTH_NAMES, week_monday

# message id -> (English, Korean). The ids are those of sync.codes.CHECKS[...].messages.
# Every message says what is wrong and what to do, on the row it names. Korean particles
# are written as both forms in brackets, ``[이/가]``, and chosen from the word before
# (sync.particles).
MESSAGES: dict[str, tuple[str, str]] = {
    "LINK001": (
        "Lever “{lever}” ({flow}) is not linked to any goal: write the goal it moves in goal_id.",
        "레버 “{lever}”({flow})[이/가] 어느 목표에도 연결되지 않았습니다. 이 레버가 움직이는 목표를 목표ID에 적어 주세요.",
    ),
    "LINK002": (
        "{what} is linked to goal “{goal_id}”, which is not in Goals: fix the id or add the goal.",
        "{what}[이/가] 목표 탭에 없는 목표 “{goal_id}”에 연결되어 있습니다. 목표ID를 고치거나 목표 탭에 목표를 추가해 주세요.",
    ),
    "LINK003": (
        "{what} is linked to goal “{goal_id}” ({title}), which is {status}: link it to an active goal.",
        "{what}[이/가] 이미 '{status}' 상태인 목표 “{goal_id}”({title})에 연결되어 있습니다. 진행 중인 목표로 바꿔 주세요.",
    ),
    "LINK004": (
        "Experiment {exp_id} (“{hypothesis}”) is not linked to any goal: fill goal_id.",
        "실험 {exp_id}(“{hypothesis}”)[이/가] 어느 목표에도 연결되지 않았습니다. 이 실험이 검증하는 목표를 목표ID에 적어 주세요.",
    ),
    "LINK005.no_parent": (
        "Goal “{goal_id}” ({title}) is a {level} goal with no parent: set parent_id to the goal it serves.",
        "목표 “{goal_id}”({title})[은/는] {level} 목표인데 상위목표ID가 비어 있습니다. 이 목표가 기여하는 상위 목표의 ID를 적어 주세요.",
    ),
    "LINK005.unknown_parent": (
        "Goal “{goal_id}” ({title}) has parent “{parent_id}”, which is not in Goals: fix parent_id or add that goal.",
        "목표 “{goal_id}”({title})의 상위목표 “{parent_id}”[이/가] 목표 탭에 없습니다. 상위목표ID를 고치거나 그 목표를 추가해 주세요.",
    ),
    "LINK005.cycle": (
        "Goal “{goal_id}” ({title}) is its own ancestor: {path}. Break the loop in parent_id.",
        "목표 “{goal_id}”({title})[이/가] 자기 자신의 상위 목표가 됩니다: {path}. 상위목표ID의 순환을 끊어 주세요.",
    ),
    "METRIC001": (
        "{count} active metrics ({leading} leading, {lagging} lagging): keep {limit} or fewer. Retire these first: {retire}; set their active to N.",
        "사용 중인 지표가 {count}개입니다(선행 {leading}개, 후행 {lagging}개). {limit}개 이하로 줄여 주세요. 먼저 뺄 지표: {retire}. 이 지표들의 사용을 '아니오'로 바꾸면 됩니다.",
    ),
    "METRIC001.stale": (
        "{name} (no reading in {weeks} weeks)",
        "{name}(최근 {weeks}주 실적 없음)",
    ),
    "METRIC001.lagging": ("{name} (lagging)", "{name}(후행지표)"),
    "METRIC002": (
        "Goal “{goal_id}” ({title}) and the goals under it have no leading metric, only {count} lagging: add one that moves before the result.",
        "목표 “{goal_id}”({title})[과/와] 그 하위 목표에 선행지표가 없습니다(후행지표 {count}개). 결과보다 먼저 움직이는 선행지표를 하나 추가해 주세요.",
    ),
    "METRIC003": (
        "The key result of {week} names metric “{metric_id}”, which is not in Metrics: fix the metric_id or add the metric.",
        "{week} 핵심결과의 지표 “{metric_id}”[이/가] 지표 탭에 없습니다. 지표ID를 고치거나 지표 탭에 지표를 추가해 주세요.",
    ),
    "METRIC004": (
        "Metric {metric_id} ({name}) has no reading for {week}: add its actual to Key Results, or set active to N if nobody watches it.",
        "지표 {metric_id}({name})의 {week} 실적이 없습니다. 핵심결과에 실적을 적거나, 더 보지 않는 지표라면 사용을 '아니오'로 바꿔 주세요.",
    ),
    "METRIC004.period": (
        "Metric {metric_id} ({name}) has no reading for {period}: add its actual to Key Results, or set active to N if nobody watches it.",
        "지표 {metric_id}({name})의 {period} 실적이 없습니다. 핵심결과에 실적을 적거나, 더 보지 않는 지표라면 사용을 '아니오'로 바꿔 주세요.",
    ),
    "ACTION001": (
        "Experiment {exp_id} (“{hypothesis}”) ended as {result} but has no next action: write Stop, Start or Continue and what to do.",
        "실험 {exp_id}(“{hypothesis}”)의 결과는 '{result}'인데 다음 행동이 없습니다. 다음행동유형(그만/시작/계속)과 할 일을 적어 주세요.",
    ),
    "ACTION002": (
        "Retro of {owner} for {week} has no next action: write the one use of time that changes next week.",
        "{owner}의 {week} 회고에 다음 행동이 없습니다. 다음 주에 바꿀 시간 사용 하나를 다음행동에 적어 주세요.",
    ),
    "ACTION003": (
        "Experiment {exp_id} has next step “{value}”: use Stop, Start or Continue.",
        "실험 {exp_id}의 다음행동유형 “{value}”[은/는] 쓸 수 없습니다. 그만, 시작, 계속 중 하나로 바꿔 주세요.",
    ),
    "ACTION003.retro": (
        "Retro of {owner} for {week} has next step “{value}”: use Stop, Start or Continue.",
        "{owner}의 {week} 회고 다음행동유형 “{value}”[은/는] 쓸 수 없습니다. 그만, 시작, 계속 중 하나로 바꿔 주세요.",
    ),
    "FLOW001": (
        "{owner} has no {flow} lever for {week}: plan one lever in each of the three flows.",
        "{owner}의 {week} 계획에 {flow} 레버가 없습니다. 세 흐름마다 레버를 하나씩 정해 주세요.",
    ),
    "FLOW002": (
        "{owner} has {count} {flow} levers for {week} (“{lever}” and more): choose the one that matters most.",
        "{owner}의 {week} {flow} 레버가 {count}개입니다(“{lever}” 외). 가장 중요한 하나만 남겨 주세요.",
    ),
    "FLOW003": (
        "Learning lever “{lever}” is done but applied_to is empty: write where it was applied.",
        "학습 레버 “{lever}”[은/는] 완료되었지만 적용처가 비어 있습니다. 배운 것을 어디에 적용했는지 적용처에 적어 주세요.",
    ),
    "FLOW004": (
        "People lever “{lever}” names no counterpart: write who you will connect with.",
        "관계 레버 “{lever}”에 대상이 없습니다. 누구와 연결할지 대상에 적어 주세요.",
    ),
    "RISK001": (
        "{owner} has {count} risks for {week}: keep the {limit} that matter most, each with a countermeasure.",
        "{owner}의 {week} 리스크가 {count}개입니다. 가장 중요한 {limit}개만 차단책과 함께 남겨 주세요.",
    ),
    "RISK002": (
        "Risk “{risk}” has no countermeasure: write what you will do to block it.",
        "리스크 “{risk}”에 차단책이 없습니다. 이 리스크를 막을 행동을 차단책에 적어 주세요.",
    ),
    "PLAN001": (
        "{owner} planned in recent weeks but has no plan for {week}, and the deadline ({deadline}) has passed: plan one lever per flow in Weekly Plan.",
        "최근 계획을 세워 온 {owner}의 {week} 계획이 마감({deadline})이 지나도록 없습니다. 주간계획에 흐름마다 레버를 하나씩 적어 주세요.",
    ),
    "DATA001": (
        "The tab “{tab_en}” (or “{tab_ko}”) is missing: add it, or run flowsync init.",
        "“{tab_ko}”(또는 “{tab_en}”) 탭이 없습니다. 탭을 추가하거나 flowsync init을 실행해 주세요.",
    ),
    "DATA002": (
        "The tab “{title}” has no column “{column_en}” (or “{column_ko}”) in its header row: add it.",
        "“{title}” 탭의 머리글 행에 “{column_ko}”(또는 “{column_en}”) 열이 없습니다. 열을 추가해 주세요.",
    ),
    "DATA002.like": (
        "The tab “{title}” has no column “{column_en}” (or “{column_ko}”) in its header row. Is “{header}” that column? Rename it, or add the column.",
        "“{title}” 탭의 머리글 행에 “{column_ko}”(또는 “{column_en}”) 열이 없습니다. “{header}” 열이 그 열이라면 이름을 바꾸고, 아니라면 열을 추가해 주세요.",
    ),
    "DATA002.skipped": (
        "The tab “{title}” has no column “{column_en}” (or “{column_ko}”) in its header row, so {checks} did not run: add the column.",
        "“{title}” 탭의 머리글 행에 “{column_ko}”(또는 “{column_en}”) 열이 없어 {checks} 점검을 하지 않았습니다. 열을 추가해 주세요.",
    ),
    "DATA002.skipped_like": (
        "The tab “{title}” has no column “{column_en}” (or “{column_ko}”) in its header row, so {checks} did not run. Is “{header}” that column? Rename it to “{column_en}” or “{column_ko}”, or add the column.",
        "“{title}” 탭의 머리글 행에 “{column_ko}”(또는 “{column_en}”) 열이 없어 {checks} 점검을 하지 않았습니다. “{header}” 열이 그 열이라면 이름을 “{column_ko}” 또는 “{column_en}”[으로/로] 바꾸고, 아니라면 열을 추가해 주세요.",
    ),
    "DATA005": (
        "The tabs {titles} all match the tab “{tab_en}” (or “{tab_ko}”), so flowsync read none of them and the checks that need it did not run: keep one, and rename or delete the others.",
        "{titles} 탭이 모두 “{tab_ko}”(또는 “{tab_en}”) 탭과 일치해 어느 탭도 읽지 않았고, 이 탭이 필요한 점검도 하지 않았습니다. 하나만 남기고 나머지는 이름을 바꾸거나 지워 주세요.",
    ),
    "DATA003": (
        "{column}: {reason}",
        "{column}: {reason}",
    ),
    "DATA004": (
        "{column} “{value}” is used again (first on row {first_row}): give this row an id of its own.",
        "{column} “{value}”[이/가] 중복됩니다(처음 나온 행: {first_row}). 이 행에 다른 ID를 붙여 주세요.",
    ),
}

# Why a cell could not be read (DATA003), by the reason key of values.Unreadable.
REASONS: dict[str, tuple[str, str]] = {
    "blank": (
        "the cell is empty, and every row needs it: fill it in.",
        "값이 비어 있습니다. 모든 행에 필요한 값이니 채워 주세요.",
    ),
    "error_cell": (
        "the cell shows the spreadsheet error {value}: fix the formula or type the value.",
        "셀에 스프레드시트 오류 {value}[이/가] 표시됩니다. 수식을 고치거나 값을 직접 입력해 주세요.",
    ),
    "not_week": (
        "“{value}” is not a week: write 2026-W48, 2026 Nov 23–29 or any date inside the week (2026-11-23).",
        "“{value}”[은/는] 주차로 읽을 수 없습니다. 2026-W48, 2026년 11월 4주차 또는 그 주의 날짜(2026. 11. 23.)로 적어 주세요.",
    ),
    "no_year": (
        "“{value}” has no year, so flowsync cannot tell which year's week it is: add the year, as in 2026-W48, 2026 Nov 23–29 or 2026-11-23.",
        "“{value}”에는 연도가 없어 어느 해의 주차인지 알 수 없습니다. 연도를 함께 적어 주세요: 2026년 11월 4주차, 2026-11-23 또는 2026-W48.",
    ),
    "no_such_week": (
        "“{value}” names a week that does not exist: check the year and the week number.",
        "“{value}”[은/는] 존재하지 않는 주차입니다. 연도와 주차 번호를 확인해 주세요.",
    ),
    "no_such_month_week": (
        "“{value}” names a week that does not exist: {month_en} has {weeks} weeks, counting a week in the month of its Thursday. Check the month and the week number.",
        "“{value}”[은/는] 존재하지 않는 주차입니다. {month_ko}[은/는] {weeks}주차까지 있습니다(목요일이 속한 달의 주로 셉니다). 월과 주차 번호를 확인해 주세요.",
    ),
    "week_dates_mismatch": (
        "“{value}”: that week runs {dates}, not as the dates in brackets say: fix the week number or the dates.",
        "“{value}”의 괄호 속 날짜가 주차와 맞지 않습니다. 이 주차는 {dates}입니다. 주차나 날짜를 고쳐 주세요.",
    ),
    "not_monday_to_sunday": (
        "“{value}” does not run from a Monday to a Sunday: write the Monday and the Sunday of the week (2026 Nov 23–29), or 2026-W48.",
        "“{value}”[은/는] 월요일부터 일요일까지가 아니어서 어느 주인지 알 수 없습니다. 그 주의 월요일과 일요일(2026 Nov 23–29) 또는 2026-W48로 적어 주세요.",
    ),
    "weekday_mismatch": (
        "“{value}”: {date} is a {day_en}, not the day in brackets: fix the date or the day.",
        "“{value}”의 요일이 맞지 않습니다. {date}[은/는] {day_ko}입니다. 날짜나 요일을 고쳐 주세요.",
    ),
    "not_date": (
        "“{value}” is not a date: write 2026-11-23 or 2026. 11. 23.",
        "“{value}”[은/는] 날짜로 읽을 수 없습니다. 2026-11-23 또는 2026. 11. 23. 형식으로 적어 주세요.",
    ),
    "no_such_date": (
        "“{value}” is not a calendar date: check the month and the day.",
        "“{value}”[은/는] 달력에 없는 날짜입니다. 월과 일을 확인해 주세요.",
    ),
    "serial": (
        "{value} is not a date between 1950 and 2100: type the date as 2026-11-23.",
        "{value}[은/는] 1950년에서 2100년 사이의 날짜가 아닙니다. 2026-11-23처럼 날짜로 적어 주세요.",
    ),
    "not_number": (
        "“{value}” is not a number: write a number such as 1,200 or 30%; a unit after it is fine.",
        "“{value}”[은/는] 숫자로 읽을 수 없습니다. 1,200, 30%, 10건처럼 숫자로 적어 주세요.",
    ),
    "not_email": (
        "“{value}” is not an e-mail address, so alerts cannot reach it: fix the address.",
        "“{value}”[은/는] 이메일 주소가 아니어서 알림을 보낼 수 없습니다. 주소를 고쳐 주세요.",
    ),
    "not_enum": (
        "“{value}” is not one of {accepted}: pick one of them.",
        "“{value}”[은/는] 쓸 수 있는 값이 아닙니다. {accepted} 중 하나를 골라 주세요.",
    ),
}

# The words flowsync uses for the method's terms, one per concept, in both languages:
# where Korean has one word for two ideas (목표 for goal and for target) each gets its
# own. The Weekly Summary's headers take their words from here.
TERMS: dict[str, tuple[str, str]] = {
    "goal": ("Goal", "목표"),
    "target": ("Target", "목표치"),
    "actual": ("Actual", "실적"),
    "lever": ("Lever", "레버"),
    "leading": ("Leading indicator", "선행지표"),
    "lagging": ("Lagging indicator", "후행지표"),
    "success": ("Succeeded", "성공"),
    "failure": ("Failed", "실패"),
    "inconclusive": ("Inconclusive", "판단 보류"),
    "next_action": ("Next action", "다음 행동"),
    "countermeasure": ("Countermeasure", "차단책"),
    "linkage": ("Linkage rate", "목표 연결률"),
}

# How a finding names the thing it is about, by tab.
SUBJECTS: dict[str, tuple[str, str]] = {
    "plan": ("Lever “{}”", "레버 “{}”"),
    "experiments": ("Experiment {}", "실험 {}"),
    "metrics": ("Metric {}", "지표 {}"),
}

_MAX_QUOTE = 60


def shorten(text: object, limit: int = _MAX_QUOTE) -> str:
    """One line of at most ``limit`` characters, for quoting a cell inside a message."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# Parameters that are already composed sentences or phrases, never cut.
_WHOLE = frozenset({"reason", "what", "path", "checks", "titles", "retire"})


Table = Mapping[str, tuple[str, str]]


def say(table: Table, key: str, locale: Locale, **params: object) -> str:
    """One entry of a (English, Korean) table, in the locale, with its parameters filled.

    Numbers are written as the locale writes them, and Korean particles fit the word.
    """
    words = {
        k: number(v, locale)
        if isinstance(v, int | float) and not isinstance(v, bool)
        else moment_words(v, locale)
        if isinstance(v, datetime)
        else v
        for k, v in params.items()
    }
    return resolve(Bilingual(*table[key])(locale).format(**words))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value: float, locale: Locale) -> str:
    """A number as people of the locale write it: 2,000,000 not 2e+06, 0.6 not 0.6000000000000001."""
    return format_decimal(round(value, 3), locale=_BABEL[locale])


def percent(value: float, locale: Locale) -> str:
    """A share (0.67) as a whole percent: 67%."""
    return f"{number(round(value * 100), locale)}%"


_BABEL: dict[Locale, str] = {"en": "en_US", "ko": "ko_KR"}
_ISO_WEEK = re.compile(r"^\d{4}-W\d{2}$")


@functools.lru_cache(maxsize=256)
def week_words(week: str, locale: Locale) -> str:
    """A week as people say it: 11월 4주차(11.23–11.29), Nov 23–29.

    A week belongs to the month of its Thursday, as an ISO week belongs to a year;
    the nth week of a month is the one holding the month's nth Thursday.
    """
    if not _ISO_WEEK.match(week):
        return week
    monday = week_monday(week)
    sunday = monday + timedelta(days=6)
    if locale == "ko":
        month, nth = month_and_nth(week)
        return f"{month}월 {nth}주차({_dot(monday)}–{_dot(sunday)})"
    if monday.month == sunday.month:
        return f"{_month(monday)} {monday.day}–{sunday.day}"
    return f"{_month(monday)} {monday.day}–{_month(sunday)} {sunday.day}"


def month_and_nth(week: str) -> tuple[int, int]:
    """The month a week belongs to (that of its Thursday) and which of its weeks it is."""
    thursday = week_monday(week) + timedelta(days=3)
    return thursday.month, (thursday.day - 1) // 7 + 1


def moment_words(moment: datetime, locale: Locale) -> str:
    """A deadline as people write it: 11월 23일(월) 12:00, Mon Nov 23 12:00."""
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if locale == "ko":
        weekday = "월화수목금토일"[moment.weekday()]
        return f"{moment.month}월 {moment.day}일({weekday}) {clock}"
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[moment.weekday()]
    return f"{weekday} {_month(moment)} {moment.day} {clock}"


def period_words(week: str, cadence: str, locale: Locale) -> str:
    """The month or quarter a week belongs to (by its Thursday): 2026년 11월, November 2026."""
    thursday = week_monday(week) + timedelta(days=3)
    if cadence == "quarterly":
        quarter = (thursday.month - 1) // 3 + 1
        return (
            f"{thursday.year}년 {quarter}분기" if locale == "ko" else f"Q{quarter} {thursday.year}"
        )
    if locale == "ko":
        return f"{thursday.year}년 {thursday.month}월"
    return f"{MONTH_NAMES[thursday.month - 1]} {thursday.year}"


def _dot(day: date) -> str:
    return f"{day.month}.{day.day}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(day: date) -> str:
    return _MONTHS[day.month - 1]


def person(name: str, locale: Locale) -> str:
    """A person's name as a Korean colleague writes it, with 님; as it is in English."""
    if locale == "ko" and name and name != "?" and not name.endswith("님"):
        return f"{name}님"
    return name


def render(message_id: str, locale: Locale, **params: Any) -> str:
    """The message in the locale: quoted cell text as one short line, weeks and names as said."""
    words: dict[str, Any] = {}
    for k, v in params.items():
        if k == "week" and isinstance(v, str):
            v = week_words(v, locale)
        elif k == "owner" and isinstance(v, str):
            v = person(shorten(v), locale)
        elif isinstance(v, str) and k not in _WHOLE:
            v = shorten(v)
        words[k] = v
    return say(MESSAGES, message_id, locale, **words)


def reason(key: str, locale: Locale, **params: object) -> str:
    """Why a cell could not be read, in the locale."""
    # ``accepted`` lists every word and must not be cut short.
    return say(
        REASONS,
        key,
        locale,
        **{k: v if k == "accepted" or _is_number(v) else shorten(v) for k, v in params.items()},
    )


def subject(tab: str, words: str, locale: Locale) -> str:
    return Bilingual(*SUBJECTS[tab])(locale).format(shorten(words))


# The Weekly Summary's words. "The week" is the week in review: the current week once
# its plan deadline has passed, else the last complete one; "the week before" is the one
# before it. Headers never say "this week", which on Monday morning would be wrong.
SUMMARY: dict[str, tuple[str, str]] = {
    "title": ("{team} · Weekly Summary · {words} ({week})", "{team} · 주간요약 · {words} · {week}"),
    "s_verdict": ("At a glance: {words}", "한눈에 보기: {words}"),
    "h_mark": ("Trend", "추세"),
    # The word beside a mark's arrow: good or bad news, whichever way the figure moved.
    "tone_better": ("better", "나아짐"),
    "tone_worse": ("worse", "나빠짐"),
    "tone_same": ("no change", "변화 없음"),
    "h_what": ("What", "항목"),
    "h_verdict": ("The week against the week before", "해당 주와 전주 비교"),
    "v_leading_label": ("Leading indicators against target", "선행지표 목표치 달성률"),
    "v_leading": (
        "{short} of {n} below target (week before: {short_before}), {now} on average "
        "(week before: {before}): {items}",
        "{n}개 중 {short}개 목표치 미달(전주 {short_before}개), 평균 {now}(전주 {before}): {items}",
    ),
    "v_leading_first": (
        "{short} of {n} below target, {now} on average (week before: -): {items}",
        "{n}개 중 {short}개 목표치 미달, 평균 {now}(전주 -): {items}",
    ),
    "v_leading_none": (
        "No leading indicator has both a reading and a target for the week yet.",
        "이 주에는 목표치와 실적이 함께 적힌 선행지표가 아직 없습니다.",
    ),
    "v_linkage_label": ("Levers linked to an active goal", "목표 연결률"),
    "v_linkage": (
        "{rate}, {linked} of {total} levers (week before: {before})",
        "{rate}, 레버 {total}개 중 {linked}개(전주 {before})",
    ),
    "v_linkage_none": ("No levers were planned for the week.", "이 주에 계획된 레버가 없습니다."),
    "v_no_plan_label": ("Who has no plan", "계획이 없는 사람"),
    "v_no_plan": ("{n} (week before: {before}): {items}", "{n}명(전주 {before}명): {items}"),
    "v_no_plan_none": ("None (week before: {before})", "없음(전주 {before}명)"),
    "v_open_label": ("Ended without a next action", "다음 행동이 빠진 실험·회고"),
    "open_exp": ("experiment {exp_id}", "실험 {exp_id}"),
    "open_retro": ("{owner}'s retro", "{owner} 회고"),
    "retro_missing": ("no retro from {owner}", "{owner} 회고 없음"),
    "v_open": ("{n} (week before: {before}): {items}", "{n}건(전주 {before}건): {items}"),
    "v_open_none": ("None (week before: {before})", "없음(전주 {before}건)"),
    "v_risks_label": ("Risks without a countermeasure", "차단책 없는 리스크"),
    "v_risks": ("{n} (week before: {before}): {items}", "{n}건(전주 {before}건): {items}"),
    "v_risks_none": ("None (week before: {before})", "없음(전주 {before}건)"),
    "v_this_week_label": ("Plans so far for {words}", "{words} 계획 현황"),
    "v_this_week": (
        "{levers} levers so far. Planned: {planned}. Not yet: {waiting} (due {deadline}).",
        "지금까지 레버 {levers}개. 계획함: {planned}. 아직: {waiting}(마감 {deadline}).",
    ),
    "v_this_week_all": (
        "{levers} levers so far; everyone has planned: {planned}.",
        "지금까지 레버 {levers}개. 모두 계획했습니다: {planned}.",
    ),
    "v_this_week_unlinked": (
        "{n} not linked to an active goal yet: {levers}.",
        "진행 중인 목표에 아직 연결되지 않은 레버 {n}개: {levers}.",
    ),
    "v_this_week_none": (
        "No levers yet. To plan: {waiting} (due {deadline}).",
        "아직 레버가 없습니다. 계획할 사람: {waiting}(마감 {deadline}).",
    ),
    "nothing": ("None this week.", "이 주에는 없습니다."),
    # A figure whose column or tab is missing is not computed from the blank (sync.summary.figures).
    "not_measured_column": (
        "not measured: the column “{column}” is missing from “{title}” (see DATA002)",
        "“{title}” 탭에서 “{column}” 열을 찾을 수 없어 계산하지 않았습니다(DATA002 참고)",
    ),
    "not_measured_tab": (
        "not measured: the tab “{title}” is missing (see DATA001)",
        "“{title}” 탭을 찾을 수 없어 계산하지 않았습니다(DATA001 참고)",
    ),
    "not_measured_tabs": (
        "not measured: more than one tab matches “{title}” (see DATA005)",
        "“{title}” 탭과 일치하는 탭이 여럿이라 계산하지 않았습니다(DATA005 참고)",
    ),
    "s_questions": ("Three questions for {words}", "세 가지 질문: {words}"),
    "q_repeat": ("What key activity did we repeat?", "반복한 핵심 활동은?"),
    "q_linked": ("Is it directly linked to the goal?", "목표에 직접 연결되었나?"),
    "q_change": ("What one use of time changes next week?", "다음 주에 바꿀 시간 사용 하나는?"),
    "lever_of": ("{lever} ({owner}, {status})", "{lever}({owner}, {status})"),
    "lever_by": ("{lever} ({owner})", "{lever}({owner})"),
    "linked_answer": (
        "{done} of {total} levers ({rate}) are linked to an active goal.",
        "레버 {total}개 중 {done}개({rate})가 진행 중인 목표에 연결되었습니다.",
    ),
    "unlinked_list": ("Not linked: {items}.", "연결 안 됨: {items}."),
    "no_levers": ("No levers were planned for the week.", "이 주에 계획된 레버가 없습니다."),
    "no_business": (
        "No Business lever was planned for the week.",
        "이 주에 계획된 비즈니스 레버가 없습니다.",
    ),
    "no_retro": (
        "No retrospective of the week names a next action yet.",
        "이 주 회고에 적힌 다음 행동이 아직 없습니다.",
    ),
    "retro_action": ("{action} ({owner})", "{action}({owner})"),
    "s_chain": ("Leading indicators, in the order the flow runs", "선행지표 흐름(순서대로)"),
    "h_order": ("Order", "순서"),
    "h_achieved": ("Against target", "달성률"),
    "h_chain": ("Flow", "흐름"),
    "stalls_here": ("← stalls here", "← 여기서 막힘"),
    "no_reading": ("← no reading", "← 실적 없음"),
    "s_history": ("The last {n} weeks", "최근 {n}주 추이"),
    "h_trend": ("Trend", "추세"),
    "hist_linkage": ("Linkage rate (%)", "연결률(%)"),
    "hist_planned": ("{flow} levers planned", "{flow} 레버 계획"),
    "hist_done": ("{flow} levers done", "{flow} 레버 완료"),
    "hist_experiments": ("Experiments logged", "기록한 실험"),
    "hist_next_action": (
        "Ended experiments with a next action (%)",
        "다음 행동이 있는 종료 실험(%)",
    ),
    "hist_findings": ("Findings (row checks)", "점검결과(행 점검)"),
    "hist_leading": ("Leading indicators", "선행지표"),
    "s_goals": ("Goal tree: the work under each goal", "목표 트리: 목표마다 그 아래의 일"),
    "s_linkage": ("Linkage", "목표 연결"),
    "s_unlinked": ("Levers not linked to an active goal", "진행 중인 목표에 연결되지 않은 레버"),
    "s_flows": ("The three flows", "세 가지 흐름"),
    "s_no_plan": (
        "Planned recently, no plan for the week",
        "최근 계획했지만 이 주 계획이 없는 사람",
    ),
    "s_results": ("Key results (leading first)", "핵심결과(선행지표 먼저)"),
    "s_experiments": ("Experiments", "실험"),
    "s_no_next_action": ("Ended experiments without a next action", "다음 행동이 없는 종료 실험"),
    "s_lessons": ("Lessons of ended experiments", "끝난 실험에서 배운 점"),
    "s_next_steps": ("Stop, start, continue next week", "다음 주 그만·시작·계속"),
    "s_feedback": ("The three feedback questions", "세 가지 피드백 질문"),
    "s_risks": ("Risks of the week", "이 주의 리스크"),
    "s_findings": ("Findings by code", "코드별 점검결과"),
    "h_level": ("Level", "수준"),
    "h_goal_id": ("Goal ID", "목표ID"),
    "h_why": ("Why not linked", "연결되지 않은 이유"),
    # Why a lever or experiment does not count as linked to an active goal (Unlinked.reason).
    "why_none": ("no goal_id", "목표ID가 비어 있음"),
    "why_unknown": ("goal {goal_id} is not in Goals", "목표 탭에 없는 목표 {goal_id}"),
    "why_closed": (
        "linked to a finished goal {goal_id} ({title}, {status})",
        "끝난 목표 {goal_id}({title}, {status})에 연결됨",
    ),
    "why_status": (
        "the status of goal {goal_id} cannot be read",
        "목표 {goal_id}의 상태를 읽을 수 없음",
    ),
    "h_goal": ("Goal", "목표"),
    "h_status": ("Status", "상태"),
    "h_levers_this": ("Levers", "레버"),
    "h_levers_last": ("Levers, week before", "전주 레버"),
    "h_exps_this": ("Experiments", "실험"),
    "h_exps_last": ("Experiments, week before", "전주 실험"),
    "h_leading_moves": ("Leading indicators moved", "선행지표 움직임"),
    "h_week": ("Week", "주차"),
    "h_levers": ("Levers", "레버"),
    "h_linked": ("Linked", "연결"),
    "h_rate": ("Rate", "비율"),
    "h_owner": ("Owner", "담당자"),
    "h_flow": ("Flow", "흐름"),
    "h_lever": ("Lever", "레버"),
    "h_target": TERMS["target"],
    "h_actual": TERMS["actual"],
    "h_last_lever": ("Lever, week before", "전주 레버"),
    "h_last_planned": ("Last planned", "마지막 계획"),
    "h_metric": ("Metric", "지표"),
    "h_kind": ("Kind", "유형"),
    "h_cadence": ("Cadence", "주기"),
    "h_actual_this": TERMS["actual"],
    "h_actual_last": ("Actual, week before", "전주 실적"),
    "h_change": ("Change", "변화"),
    "h_started": ("Logged", "기록"),
    "h_success": TERMS["success"],
    "h_failure": TERMS["failure"],
    "h_inconclusive": TERMS["inconclusive"],
    "h_next_action": ("With a next action", "다음 행동 있음"),
    "h_exp": ("Experiment", "실험ID"),
    "h_hypothesis": ("Hypothesis", "가설"),
    "h_result": ("Result", "결과"),
    "h_learning": ("Lesson", "배운 점"),
    "h_next_step": ("Next step", "다음 행동 유형"),
    "h_risk": ("Risk", "리스크"),
    "h_countermeasure": TERMS["countermeasure"],
    "missing": ("none yet", "아직 없음"),
    "h_code": ("Code", "코드"),
    "h_severity": ("Severity", "심각도"),
    "h_this": ("The week", "해당 주"),
    "h_last": ("Week before", "전주"),
    "h_undated": ("No week", "주차 없음"),
    "h_moved": ("What moved the numbers", "숫자를 움직인 것"),
    "h_applied": ("Where learning was applied", "배운 것을 적용한 곳"),
    "h_partner": ("Who can double our speed", "속도를 두 배로 올려줄 사람"),
    "h_next_action_retro": TERMS["next_action"],
    "folded": (
        "{n} findings of this code in this week, folded; the first: {message}",
        "이 주의 같은 점검결과 {n}건을 한 줄로 접었습니다. 첫 번째: {message}",
    ),
    "p_team": ("Team", "팀"),
    "p_business": ("Business done", "비즈니스 완료"),
    "p_learning": ("Learning done", "학습 완료"),
    "p_people": ("People done", "관계 완료"),
    "p_errors": ("Errors", "오류"),
    "p_warnings": ("Warnings", "경고"),
    "p_info": ("Info", "정보"),
}


def summary_label(key: str, locale: Locale, **params: object) -> str:
    return say(SUMMARY, key, locale, **params)


# The e-mail alerts' own words (the bodies are templates in templates/email/).
ALERTS: dict[str, tuple[str, str]] = {
    "subject_owner": (
        "[flowsync] {team} · {week}: {n} piece(s) of your work linked to no goal",
        "[flowsync] {team} · {week}: 목표에 연결되지 않은 일 {n}건",
    ),
    "subject_team": (
        "[flowsync] {team} · {week}: team digest, {n} new item(s)",
        "[flowsync] {team} · {week}: 팀 알림 {n}건",
    ),
    "where_row": ("{tab} row {row}", "{tab} {row}행"),
    "two_weeks": ("{first} and {second}", "{first}·{second}"),
}


def alert_label(key: str, locale: Locale, **params: object) -> str:
    return say(ALERTS, key, locale, **params)


# The command line's own words.
UI: dict[str, tuple[str, str]] = {
    "headline": ("{team}: {count} findings ({parts})", "{team}: 점검결과 {count}건 ({parts})"),
    "written": ("  wrote {tabs} in {where}", "  {where}에 {tabs} 탭을 썼습니다"),
    "mailed": ("  e-mail to {line}", "  이메일 {line}"),
    "busy": ("{team}: not served now: {why}", "{team}: 이번에는 건너뜀: {why}"),
    "workbook_changed": (
        "the workbook was saved by someone else twice during this cycle; nothing was written, "
        "so no save is lost. The next cycle tries again",
        "이번 주기 동안 다른 사람이 통합 문서를 두 번 저장했습니다. 저장한 내용을 잃지 않도록 아무것도 쓰지 "
        "않았으며, 다음 주기에 다시 시도합니다",
    ),
    "init_written": (
        "{team}: created the tabs {tabs} in {where}",
        "{team}: {where}에 {tabs} 탭을 만들었습니다",
    ),
    "init_nothing": (
        "{team}: nothing written to {where}: every input tab already has data",
        "{team}: {where}의 입력 탭에 모두 이미 데이터가 있어 아무것도 쓰지 않았습니다",
    ),
    "demo_copy": (
        "flowsync: no flowsync.toml here; using a copy of the bundled demo in {path}",
        "flowsync: 여기에 flowsync.toml이 없어 번들 데모의 복사본을 씁니다: {path}",
    ),
    "unsent": (
        "flowsync: {n} alerts were not sent; the next cycle tries them again",
        "flowsync: 알림 {n}건을 보내지 못했습니다. 다음 주기에 다시 보냅니다",
    ),
    "stopped": (
        "flowsync: stopped on request; the teams not served run next time",
        "flowsync: 요청에 따라 멈췄습니다. 처리하지 못한 팀은 다음에 실행합니다",
    ),
    "no_runlog": (
        "flowsync: no run log yet at {path}; run `flowsync run --once` or `flowsync worker`",
        "flowsync: 아직 실행 기록이 없습니다: {path}. `flowsync run --once`나 `flowsync worker`를 "
        "실행해 주세요",
    ),
    "aborted": ("flowsync: aborted", "flowsync: 중단했습니다"),
    "protected_range": (
        "Written by flowsync on every run: edits here are overwritten.",
        "flowsync가 실행할 때마다 새로 쓰는 탭입니다. 여기서 고친 내용은 덮어씁니다.",
    ),
    "bug": (
        "flowsync: unexpected {kind}: {error}. This is a bug; run again with FLOWSYNC_DEBUG=1 "
        "for the traceback and report it.",
        "flowsync: 예상하지 못한 오류 {kind}: {error}. flowsync의 버그입니다. FLOWSYNC_DEBUG=1을 "
        "켜고 다시 실행해 traceback과 함께 알려 주세요.",
    ),
    "team_bug": (
        "unexpected {kind}: {error} (a bug in flowsync; please report it)",
        "예상하지 못한 오류 {kind}: {error} (flowsync의 버그입니다. 알려 주세요)",
    ),
    "busy_lease": (
        "another flowsync run ({other}) holds its lease",
        "다른 flowsync 실행({other})이 이 팀을 맡고 있습니다",
    ),
    "busy_lease_lost": (
        "another flowsync run took its lease first",
        "다른 flowsync 실행이 먼저 이 팀을 맡았습니다",
    ),
    "busy_host": (
        "another flowsync run on this host",
        "이 호스트의 다른 flowsync 실행이 이 팀을 맡고 있습니다",
    ),
    "portfolio_error": ("portfolio: {error}", "포트폴리오: {error}"),
    "dry_run": ("dry run: not sent", "시험 실행: 보내지 않음"),
    # Usage errors the commands raise themselves (click's own stay English).
    "both_times": ("give --as-of or --now, not both", "--as-of와 --now 중 하나만 주세요"),
    "run_once": (
        "run needs --once; the scheduled loop is `flowsync worker`",
        "run에는 --once가 필요합니다. 일정대로 계속 실행하려면 `flowsync worker`를 쓰세요",
    ),
    "summary_team": (
        "summary needs --team NAME (one of: {names})",
        "summary에는 --team 팀이름이 필요합니다({names} 중 하나)",
    ),
    "notify_test": (
        "notify needs --test; nudges and reports go out with run and worker",
        "notify에는 --test가 필요합니다. 작성 알림과 주간 보고는 run과 worker가 보냅니다",
    ),
    "metrics_port": (
        "--metrics-port {port}: cannot listen ({reason})",
        "--metrics-port {port}: 이 포트를 열 수 없습니다({reason})",
    ),
    "no_teams": (
        "{path}: teams: expected at least one [[teams]] entry",
        "{path}: teams: [[teams]] 항목이 하나 이상 있어야 합니다",
    ),
    "no_such_team": (
        "{path}: teams: no team named {name} (known: {known})",
        "{path}: teams: 이름이 {name}인 팀이 없습니다(있는 팀: {known})",
    ),
    "none": ("none", "없음"),
    # `flowsync status`, in the service's locale: it speaks of every team at once.
    "st_last_none": ("last cycle: none", "마지막 주기: 없음"),
    "st_last": (
        "last cycle: #{id} {trigger} started {started}, finished {end}{flag}; {teams} teams, "
        "{failed} failed{shard}",
        "마지막 주기: #{id} {trigger}, 시작 {started}, 끝 {end}{flag}. 팀 {teams}개, 실패 {failed}개{shard}",
    ),
    "st_running": (
        "still running (or stopped without finishing)",
        "아직 실행 중(또는 끝나지 못하고 멈춤)",
    ),
    "st_interrupted": (" (interrupted)", " (중단됨)"),
    "st_shard": ("; shard {shard}", ", 샤드 {shard}"),
    "st_failing": ("failing teams: {n}", "실패한 팀: {n}개"),
    "st_not_seen": ("not served in {days} days: {n}", "{days}일 동안 처리되지 않은 팀: {n}개"),
    "st_last_success": ("  {team}: last success {when}", "  {team}: 마지막 성공 {when}"),
    "st_never": ("never", "없음"),
    "st_unsent": ("teams with unsent alerts: {n}", "보내지 못한 알림이 있는 팀: {n}개"),
    "st_unsent_team": (
        "  {team}: {n} alerts not sent in its last run; the next cycle tries again",
        "  {team}: 마지막 실행에서 알림 {n}건을 보내지 못했습니다. 다음 주기에 다시 보냅니다",
    ),
    "st_undelivered": (
        "nudges or reports not delivered: {n}",
        "전하지 못한 작성 알림이나 주간 보고가 있는 팀: {n}개",
    ),
    # Log lines: the event stays an English key, the sentence a person reads is here.
    "log_reread": (
        "the workbook was saved during the cycle; reading it again",
        "주기 중에 통합 문서가 저장되어 다시 읽습니다",
    ),
    "log_drive_off": (
        "change detection is off for this process: {why}",
        "이 프로세스에서는 변경 감지를 끕니다: {why}",
    ),
    "log_drive_skipped": (
        "change detection skipped this cycle: {why}",
        "이번 주기에는 변경 감지를 건너뜁니다: {why}",
    ),
    "shard_range": (
        "shard {index}/{count}: expected I/N with 0 <= I < N",
        "샤드 {index}/{count}: 0 <= I < N인 I/N이어야 합니다",
    ),
    "shard_syntax": (
        "expected --shard I/N such as 0/4 (shards count from 0), got {text}",
        "--shard는 0/4처럼 I/N으로 적어 주세요(샤드는 0부터 셉니다). 받은 값: {text}",
    ),
    "shard_env": (
        "{name} must be a whole number (the task's index from 0, or the count), got {value}",
        "{name}은(는) 0부터 세는 작업 번호나 작업 수인 정수여야 합니다. 받은 값: {value}",
    ),
    "shard_count": (
        "JOB_COMPLETION_INDEX is set but the shard count is not: pass --shard-count N or set "
        "[service] shard_count (the Job's completions)",
        "JOB_COMPLETION_INDEX는 있는데 샤드 수가 없습니다. --shard-count N을 주거나 [service] "
        "shard_count(Job의 completions)를 정해 주세요",
    ),
    "log_next_runs": ("next runs ({zone}): {runs}", "다음 실행({zone}): {runs}"),
    "job_check": ("check", "점검"),
    "job_summary": ("summary", "주간요약"),
    "job_notify": ("nudges and report", "작성 알림·주간 보고"),
    "log_still_running": (
        "a cycle is still running; this one is not started twice",
        "이전 주기가 아직 실행 중이라 이번 주기는 시작하지 않습니다",
    ),
}


def ui(key: str, locale: Locale, **params: object) -> str:
    return say(UI, key, locale, **params)


# What a dry run's mailer and notifier answer for "where it went"; said in the team's words
# where the line is composed (``where``).
DRY_RUN = "dry run: not sent"


def where(sent_to: str, locale: Locale) -> str:
    """Where a message went, as a sent line says it: a dry run's in the locale."""
    return ui("dry_run", locale) if sent_to == DRY_RUN else sent_to


# Why a team could not be served, in both languages: the backends raise these.
ERRORS: Table = {
    "xlsx_missing": (
        "workbook {path} does not exist: check the path in the config, or create it with `flowsync init`",
        "통합 문서 파일이 없습니다: {path}. 설정의 경로를 확인하거나 `flowsync init`으로 만들어 주세요",
    ),
    "xlsx_folder": (
        "workbook {path} is a folder, not a file: point the config at the .xlsx file",
        "통합 문서 경로가 파일이 아니라 폴더입니다: {path}. 설정에 .xlsx 파일의 경로를 적어 주세요",
    ),
    "xlsx_unreadable": (
        "workbook {path} cannot be read ({reason}); check that flowsync's user may read it",
        "통합 문서를 읽을 수 없습니다: {path} ({reason}). flowsync를 실행하는 사용자에게 읽기 권한이 있는지 확인해 주세요",
    ),
    "xlsx_not_xlsx": (
        "workbook {path} cannot be read as .xlsx ({reason}); save it as an Excel workbook (.xlsx)",
        "통합 문서를 .xlsx로 읽을 수 없습니다: {path} ({reason}). Excel 통합 문서(.xlsx)로 저장해 주세요",
    ),
    "xlsx_empty": (
        "workbook {path} is empty (0 bytes): restore it from your cloud drive's version history, "
        "or delete it and run `flowsync init` to start a new one",
        "통합 문서 파일이 비어 있습니다(0바이트): {path}. 클라우드 드라이브의 버전 기록에서 "
        "복원하거나, 파일을 지우고 `flowsync init`으로 새로 만들어 주세요",
    ),
    "xlsx_not_workbook": (
        "workbook {path} is not an Excel workbook: restore it from your cloud drive's version "
        "history, or delete it and run `flowsync init` to start a new one",
        "통합 문서 파일이 Excel 통합 문서(.xlsx)가 아닙니다: {path}. 클라우드 드라이브의 버전 "
        "기록에서 복원하거나, 파일을 지우고 `flowsync init`으로 새로 만들어 주세요",
    ),
    "xlsx_password": (
        "workbook {path} is password protected: flowsync cannot open an encrypted workbook; save it "
        "without a password (in Excel: File > Info > Protect Workbook > Encrypt with Password, then clear it)",
        "통합 문서에 암호가 걸려 있어 열 수 없습니다: {path}. 암호 없이 저장해 주세요"
        "(Excel: 파일 > 정보 > 통합 문서 보호 > 암호 설정에서 암호를 지웁니다)",
    ),
    "xlsx_vanished": (
        "workbook {path} disappeared during `init`; run it again",
        "`init` 도중 통합 문서가 사라졌습니다: {path}. 다시 실행해 주세요",
    ),
    "xlsx_lock_held": (
        "workbook {path}: another flowsync process has held its lock ({lock}) for {seconds}s; "
        "if none is running, delete the lock file and run again",
        "다른 flowsync 프로세스가 통합 문서의 잠금을 {seconds}초째 잡고 있습니다: {path} ({lock}). "
        "실행 중인 프로세스가 없다면 잠금 파일을 지우고 다시 실행해 주세요",
    ),
    "xlsx_lock_wait": (
        "workbook {path}: another flowsync process holds its lock ({lock}) while it writes; "
        "waiting for it, {seconds}s at most",
        "다른 flowsync 프로세스가 통합 문서를 쓰느라 잠금({lock})을 잡고 있어 최대 {seconds}초 "
        "기다립니다: {path}",
    ),
    "xlsx_lock_file": (
        "workbook {path}: cannot create its lock file {lock} ({reason}); let flowsync's user write "
        "to the folder {folder}",
        "통합 문서의 잠금 파일을 만들 수 없습니다: {lock} ({reason}). flowsync를 실행하는 사용자가 "
        "이 폴더에 쓸 수 있게 해 주세요: {folder}",
    ),
    "xlsx_read_only": (
        "workbook {path} is read-only: flowsync cannot write its tabs into it; make it writable "
        "(chmod u+w, or untick Read-only in its properties)",
        "통합 문서가 읽기 전용이라 flowsync가 탭을 쓸 수 없습니다: {path}. 쓰기 가능하게 바꿔 주세요"
        "(chmod u+w, 또는 파일 속성에서 '읽기 전용' 해제)",
    ),
    "xlsx_no_new_file": (
        "workbook {path} cannot be replaced: its folder {folder} does not accept new files ({reason}); "
        "flowsync writes a new file beside it and renames it, so fix the folder's permissions",
        "통합 문서를 바꿀 수 없습니다: {path}. 폴더에 새 파일을 만들 수 없습니다({folder}, {reason}). "
        "flowsync는 옆에 새 파일을 쓰고 이름을 바꾸므로 폴더 권한을 고쳐 주세요",
    ),
    "no_alert_sent": (
        "{problem}. No alert was sent: it goes out once flowsync can record it",
        "{problem}. 알림은 보내지 않았으며, 기록할 수 있게 되면 보냅니다",
    ),
    "smtp_failed": (
        "cannot send to {to} via {server} ({reason}); it stays unsent and the next cycle tries again",
        "{to}에게 보내지 못했습니다({server}, {reason}). 보내지 않은 것으로 남겨 다음 주기에 다시 보냅니다",
    ),
    "smtp_unreachable": (
        "not sent to {to}: the mail server could not be reached {n} times in this cycle; it stays "
        "unsent and the next cycle tries again",
        "{to}에게 보내지 않았습니다. 이번 주기에 메일 서버에 {n}번 연결하지 못했습니다. 보내지 않은 "
        "것으로 남겨 다음 주기에 다시 보냅니다",
    ),
    "outbox_failed": (
        "cannot write to the outbox {folder}: {reason}",
        "보낼 메일을 저장할 폴더에 쓸 수 없습니다: {folder} ({reason})",
    ),
    "google_key": (
        "{path}: cannot read the service-account key ({reason}); download a JSON key for the "
        "service account",
        "{path}: 서비스 계정 키를 읽을 수 없습니다({reason}). 서비스 계정의 JSON 키를 내려받아 주세요",
    ),
    "google_no_key": (
        'google: no service-account key; set [google] credentials = "key.json" in the config or '
        "the GOOGLE_APPLICATION_CREDENTIALS environment variable",
        'google: 서비스 계정 키가 없습니다. 설정에 [google] credentials = "key.json"을 적거나 '
        "GOOGLE_APPLICATION_CREDENTIALS 환경 변수를 정해 주세요",
    ),
    "drive_refused": (
        "the Drive API refused to say which sheets changed (403: {message}); enable the Drive API "
        "in the service account's project and allow the drive.metadata.readonly scope, or set "
        "[google] change_detection = false. Every team is read meanwhile",
        "Drive API가 바뀐 시트를 알려 주지 않았습니다(403: {message}). 서비스 계정의 프로젝트에서 "
        "Drive API를 켜고 drive.metadata.readonly 범위를 허용하거나, [google] change_detection = "
        "false로 정해 주세요. 그동안 모든 팀을 읽습니다",
    ),
    "drive_failed": (
        "the Drive API did not say which sheets changed ({status}: {message})",
        "Drive API가 바뀐 시트를 알려 주지 않았습니다({status}: {message})",
    ),
    "drive_silent": (
        "the Drive API did not answer ({reason}) within the retry budget",
        "재시도 한도 안에 Drive API가 답하지 않았습니다({reason})",
    ),
    "snapshots_unusable": (
        "snapshots not kept in {folder} ({reason}): every sheet is read every cycle; make "
        "[service] state_dir writable to keep them",
        "{folder}에 스냅숏을 저장할 수 없습니다({reason}). 주기마다 모든 시트를 읽습니다. 저장하려면 "
        "[service] state_dir를 쓸 수 있게 해 주세요",
    ),
    "xlsx_reread": (
        "workbook {path} cannot be read again before writing ({reason})",
        "쓰기 전에 통합 문서를 다시 읽을 수 없습니다: {path} ({reason})",
    ),
    "xlsx_disk_full": (
        "workbook {path} cannot be written: the disk is full; free some space, and the next cycle writes it",
        "통합 문서를 쓸 수 없습니다: {path}. 디스크가 가득 찼습니다. 공간을 비우면 다음 주기에 씁니다",
    ),
    "xlsx_denied": (
        "workbook {path} cannot be written: permission denied ({reason}); check the permissions of "
        "the file and its folder",
        "통합 문서를 쓸 수 없습니다: {path}. 권한이 없습니다({reason}). 파일과 폴더의 권한을 확인해 주세요",
    ),
    "xlsx_not_written": (
        "workbook {path} cannot be written: {reason}; close it in Excel if it is open there, and the "
        "next cycle tries again",
        "통합 문서를 쓸 수 없습니다: {path} ({reason}). Excel에서 열려 있다면 닫아 주세요. 다음 주기에 "
        "다시 시도합니다",
    ),
    "xlsx_changed": (
        "workbook {path} was saved by someone else during the cycle (after flowsync read it): "
        "nothing was written, so that save is kept; read it again and redo the cycle",
        "이번 주기 중에(flowsync가 읽은 뒤) 다른 사람이 통합 문서를 저장했습니다: {path}. 그 저장을 지키려고 "
        "아무것도 쓰지 않았으며, 다시 읽고 주기를 다시 실행합니다",
    ),
    "sheet_denied": (
        "cannot {what} spreadsheet {sheet}: permission denied (403). Share the spreadsheet with the service "
        "account{who} as an editor",
        "스프레드시트를 {what_ko} 수 없습니다: {sheet}. 권한이 없습니다(403). 스프레드시트를 서비스 "
        "계정{who}에 편집자로 공유해 주세요",
    ),
    "sheet_not_found": (
        "cannot {what} spreadsheet {sheet}: not found (404); check the spreadsheet id or URL in the config",
        "스프레드시트를 {what_ko} 수 없습니다: {sheet}. 찾을 수 없습니다(404). 설정의 스프레드시트 ID나 "
        "URL을 확인해 주세요",
    ),
    "sheet_retry_after": (
        "cannot {what} spreadsheet {sheet}: the Sheets API answered {status} ({message}) and asked to wait {asked}s "
        "(Retry-After), more than is left of the retry budget of {budget}s ([google] retry_seconds); "
        "the next cycle tries again",
        "스프레드시트를 {what_ko} 수 없습니다: {sheet}. Sheets API가 {asked}초 기다리라고 했는데"
        "(Retry-After, 오류 {status} {message}), 재시도 한도 {budget}초([google] retry_seconds)에 남은 "
        "시간보다 깁니다. 다음 주기에 다시 시도합니다",
    ),
    "sheet_retries_spent": (
        "cannot {what} spreadsheet {sheet}: the Sheets API kept answering {status} ({message}) for {elapsed}s of "
        "the retry budget of {budget}s ([google] retry_seconds); the next cycle tries again",
        "스프레드시트를 {what_ko} 수 없습니다: {sheet}. Sheets API의 답이 {elapsed}초 동안 계속 "
        "오류였습니다(오류 {status} {message}, 재시도 한도 {budget}초, [google] retry_seconds). "
        "다음 주기에 다시 시도합니다",
    ),
    "sheet_refused": (
        "cannot {what} spreadsheet {sheet}: the Sheets API refused the request ({status}: {message})",
        "스프레드시트를 {what_ko} 수 없습니다: {sheet}. Sheets API가 요청을 거절했습니다({status}: {message})",
    ),
    "sheet_silent": (
        "cannot {what} spreadsheet {sheet}: the Sheets API did not answer ({reason}) within the retry budget; "
        "the next cycle tries again",
        "스프레드시트를 {what_ko} 수 없습니다: {sheet}. 재시도 한도 안에 Sheets API가 답하지 않았습니다"
        "({reason}). 다음 주기에 다시 시도합니다",
    ),
    "sheet_no_token": (
        "cannot {what} spreadsheet {sheet}: no access token for the service account ({reason}); check the "
        "credentials file",
        "스프레드시트를 {what_ko} 수 없습니다: {sheet}. 서비스 계정의 액세스 토큰을 받지 못했습니다"
        "({reason}). 인증 키 파일을 확인해 주세요",
    ),
    "state_runlog": (
        "the run log {path} cannot be opened or written ({reason}); set [service] state_dir to a "
        "folder this user can write",
        "실행 기록을 열거나 쓸 수 없습니다: {path} ({reason}). [service] state_dir를 이 사용자가 쓸 수 "
        "있는 폴더로 정해 주세요",
    ),
    "state_lock": (
        "cannot take the lock of team {team} in {folder} ({reason}); set [service] state_dir to a "
        "folder this user can write",
        "팀 잠금을 잡을 수 없습니다: {team}, {folder} ({reason}). [service] state_dir를 이 사용자가 "
        "쓸 수 있는 폴더로 정해 주세요",
    ),
}

# What a Google call was doing, for the messages above: "cannot read ..." / "읽을 수 없습니다".
DOING: Table = {
    "read": ("read", "읽을"),
    "write": ("write", "쓸"),
    "prepare the owned tabs of": ("prepare the owned tabs of", "관리 탭을 준비할"),
    "set up": ("set up", "설정할"),
}

E = TypeVar("E", bound=FlowsyncError)


def error(kind: type[E], key: str, **params: object) -> E:
    """An error of ``kind`` saying ``ERRORS[key]``, in English and Korean alike."""
    return kind(say(ERRORS, key, "en", **params), ko=say(ERRORS, key, "ko", **params))


def doing(what: str) -> dict[str, str]:
    """The ``what`` and ``what_ko`` of a Google error message."""
    return {"what": say(DOING, what, "en"), "what_ko": say(DOING, what, "ko")}
