"""Build the bundled demo workbook: ``python -m sync.demo.build [PATH]``.

A Korean B2B consulting team set out to double revenue in three years. Its
sheet is filled the way people really fill one (weeks as ISO weeks, real
dates and Korean dotted dates; a blank row; a unit typed into a number) and
holds a few deliberate faults, so that the first run shows real findings.
The week is 2026-W48 (``make run`` checks as of 2026-11-26).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from sync.backends.xlsx import fill_sheet
from sync.template import header
from sync.workbook.contract import TAB

D = datetime  # a real date cell

GOALS = [
    [
        "B1",
        "BHAG",
        None,
        "3년 안에 매출 2배 (연 100억)",
        "김지훈",
        "jihoon.kim@example.com",
        D(2028, 12, 31),
        "진행",
    ],
    [
        "A1",
        "연간",
        "B1",
        "2026년 매출 50억",
        "김지훈",
        "jihoon.kim@example.com",
        D(2026, 12, 31),
        "진행",
    ],
    [
        "A2",
        "연간",
        "B1",
        "핵심 고객 20곳 확보",
        "박서연",
        "seoyeon.park@example.com",
        D(2026, 12, 31),
        "진행",
    ],
    [
        "Q1",
        "분기",
        "A1",
        "4분기 신규 제안 10건",
        "김지훈",
        "jihoon.kim@example.com",
        D(2026, 12, 31),
        "진행",
    ],
    [
        "Q2",
        "분기",
        "A2",
        "4분기 HR 리더 네트워크 30명",
        "박서연",
        "seoyeon.park@example.com",
        D(2026, 12, 31),
        "진행",
    ],
    [
        "Q3",
        "분기",
        "A1",
        "3분기 파일럿 3건",
        "이민호",
        "minho.lee@example.com",
        D(2026, 9, 30),
        "완료",
    ],
    # Fault LINK005: a quarterly goal with no parent.
    [
        "Q4",
        "분기",
        None,
        "교육 상품 기획",
        "이민호",
        "minho.lee@example.com",
        D(2026, 12, 31),
        None,
    ],
]

METRICS = [
    # Fault METRIC001: seven active metrics, more than five.
    # The leading indicators of the sales flow in order (순서): outreach, then meetings.
    ["M1", "Q1", "주간 아웃리치 수", "선행", "건", 15, "예", "주", 1],
    ["M2", "Q1", "미팅 전환 수", "선행", "건", 5, "예", "주", 2],
    ["M3", "Q1", "제안서 제출 수", "후행", "건", 3, "예", "주"],
    # Revenue is read once a month: not nagged weekly.
    ["M4", "A1", "월 매출", "후행", "억원", 4.2, "예", "월"],
    ["M5", "Q2", "HR 리더 접점 수", "선행", "명", 5, "예", "주", 3],
    # A2's metrics are lagging, but its child Q2 leads with M5: no METRIC002 for A2.
    ["M6", "A2", "신규 계약 수", "후행", "건", 2, "예", "월"],
    # Fault METRIC002: goal Q4 has a metric, none leading, and no goal under it.
    # Fault METRIC004: M7 has no reading for W47 or W48.
    ["M7", "Q4", "교육 상품 사전 신청 수", "후행", "명", 30, "예"],
    ["M8", "Q1", "웹사이트 방문 수", "선행", "회", 1000, "아니오"],
]

_PLAN_HISTORY = [
    ["2026-W45", "김지훈", "비즈니스", "목표 고객사 10곳 아웃리치", "Q1", 10, 9, "완료"],
    [
        "2026-W45",
        "김지훈",
        "학습",
        "SCQA 보고서 구조 읽기",
        "Q1",
        None,
        None,
        "완료",
        "주간 보고서",
    ],
    [
        "2026-W45",
        "김지훈",
        "관계",
        "C사 HR 팀장과 점심",
        "Q2",
        None,
        None,
        "완료",
        None,
        "C사 HR 팀장",
    ],
    ["2026-W45", "최유나", "비즈니스", "제안서 템플릿 정리", "Q1", None, None, "완료"],
    ["2026-W45", "최유나", "학습", "엑셀 피벗 익히기", "A1", None, None, "완료", "매출 리포트"],
    [
        "2026-W45",
        "최유나",
        "관계",
        "재무팀과 커피챗",
        "A1",
        None,
        None,
        "완료",
        None,
        "재무팀 오지현",
    ],
    ["2026. 11. 9.", "최유나", "비즈니스", "파이프라인 리포트 자동화", "A1", None, None, "완료"],
    [
        "2026. 11. 9.",
        "최유나",
        "학습",
        "파워쿼리 튜토리얼",
        "A1",
        None,
        None,
        "완료",
        "파이프라인 리포트",
    ],
    [
        "2026. 11. 9.",
        "최유나",
        "관계",
        "신입 온보딩 멘토링",
        "A2",
        None,
        None,
        "완료",
        None,
        "신입 정하늘",
    ],
    [D(2026, 11, 16), "최유나", "비즈니스", "분기 매출 예측 업데이트", "A1", None, None, "완료"],
    [D(2026, 11, 16), "최유나", "학습", "예측 모델 기초", "A1", None, None, "부분", None],
    [
        D(2026, 11, 16),
        "최유나",
        "관계",
        "영업지원팀과 회고",
        "A2",
        None,
        None,
        "완료",
        None,
        "영업지원팀",
    ],
    [D(2026, 11, 16), "김지훈", "비즈니스", "목표 고객사 12곳 아웃리치", "Q1", 12, 12, "완료"],
    [
        D(2026, 11, 16),
        "김지훈",
        "학습",
        "SCQA로 제안서 1편 다시 쓰기",
        "Q1",
        None,
        None,
        "완료",
        "D사 제안서",
    ],
    [
        D(2026, 11, 16),
        "김지훈",
        "관계",
        "E사 HR 리드에게 사례집 보내기",
        "Q2",
        None,
        None,
        "완료",
        None,
        "E사 HR 리드",
    ],
    # Fault LINK003: last week's lever linked to a goal that is already done.
    [D(2026, 11, 16), "이민호", "비즈니스", "파일럿 결과 보고서 마무리", "Q3", None, None, "완료"],
    [
        D(2026, 11, 16),
        "이민호",
        "학습",
        "데이터 시각화 기초",
        "Q1",
        None,
        None,
        "완료",
        "주간 리포트 차트",
    ],
    [
        D(2026, 11, 16),
        "이민호",
        "관계",
        "파일럿 고객 담당자에게 감사 메일",
        "A2",
        None,
        None,
        "완료",
        None,
        "F사 김도윤",
    ],
]

_PLAN_THIS_WEEK = [
    ["2026-W48", "김지훈", "비즈니스", "목표 고객사 15곳 아웃리치", "Q1", 15, 12, "부분"],
    [
        "2026-W48",
        "김지훈",
        "학습",
        "제안서 스토리라인(SCQA) 익히기",
        "Q1",
        None,
        None,
        "완료",
        "A사 제안서",
    ],
    [
        "2026-W48",
        "김지훈",
        "관계",
        "B사 HR 리드에게 트렌드 리포트 공유",
        "Q2",
        None,
        None,
        "완료",
        None,
        "B사 HR 리드 정은지",
    ],
    None,  # a blank row in the middle, as people leave them
    ["2026-11-23", "박서연", "비즈니스", "A사 재계약 제안 미팅", "A2", 1, 1, "완료"],
    # Fault FLOW003: a Learning lever done, applied nowhere.
    ["2026-11-23", "박서연", "학습", "가격 협상 온라인 코스", "Q1", None, None, "완료"],
    # Fault FLOW004: a People lever with no counterpart.
    ["2026-11-23", "박서연", "관계", "업계 모임에서 3명 소개받기", "Q2", 3, "약 2명", "부분"],
    # Fault LINK001: unlinked work. Fault FLOW001: no People lever this week.
    ["2026-W48", "이민호", "비즈니스", "회사 블로그 글 2편 쓰기", None, 2, 1, "부분"],
    # Fault LINK002: a goal id that is not in Goals.
    ["2026-W48", "이민호", "학습", "파이썬 데이터 분석 강의", "Q9", None, None, "계획"],
]
# 김지훈 planned next week (W49) on Sunday night; the others plan on Monday morning.
_PLAN_NEXT_WEEK = [
    ["2026-W49", "김지훈", "비즈니스", "A사 제안 발표 리허설 2회", "Q1", 2, None, "계획"],
    ["2026-W49", "김지훈", "학습", "가격 협상 사례 3건 정리", "Q1", 3, None, "계획"],
    [
        "2026-W49",
        "김지훈",
        "관계",
        "영업지원팀 한소희와 제안 일정 맞추기",
        "Q2",
        None,
        None,
        "계획",
        None,
        "영업지원팀 한소희",
    ],
]
# Fault PLAN001: 최유나 planned in W45 to W47 but has nothing for W48.
# Fault DATA003: "약 2명" above is not a number.
PLAN = _PLAN_HISTORY + _PLAN_THIS_WEEK + _PLAN_NEXT_WEEK

RESULTS = [
    *[
        [w, m, t, a]
        for w, readings in (
            (
                "2026-W47",
                [
                    ("M1", 12, 12),
                    ("M2", 4, 3),
                    ("M3", 2, 1),
                    ("M4", 4.2, 3.9),
                    ("M5", 5, 4),
                    ("M6", 1, 0),
                ],
            ),
            (
                "2026-W48",
                [
                    ("M1", 15, 12),
                    ("M2", 5, 4),
                    ("M3", 3, 2),
                    ("M4", 4.2, "4.5억원"),
                    ("M5", 5, 6),
                    ("M6", 1, 1),
                ],
            ),
        )
        for m, t, a in readings
    ],
    # Fault METRIC003: M9 is not a metric.
    ["2026-W48", "M9", 10, 7],
]

RISKS = [
    ["2026-W48", "김지훈", "A사 의사결정 지연", "대체 일정 두 개를 미리 제안"],
    # Fault RISK002: a risk with no countermeasure.
    ["2026-W48", "박서연", "재계약 가격 인하 압박"],
]

EXPERIMENTS = [
    [
        "E1",
        "2026-W46",
        "김지훈",
        "Q1",
        "사례 중심 제안서가 회신율을 높인다",
        "사례 3개로 제안서 재구성",
        "성공",
        "숫자가 들어간 사례가 가장 반응이 좋다",
        "계속",
        "모든 제안서에 숫자 사례 3개 넣기",
    ],
    # Fault ACTION001: a failed experiment with no next action.
    [
        "E2",
        "2026-W47",
        "박서연",
        "Q2",
        "리포트를 먼저 주면 미팅 전환이 는다",
        "HR 리더 5명에게 리포트 발송",
        "실패",
        "리포트가 너무 길어 읽히지 않았다",
    ],
    # Fault LINK004: an experiment linked to no goal.
    ["E3", "2026-W48", "이민호", None, "블로그 글이 인바운드 문의를 만든다", "블로그 글 2편 게시"],
    # Fault ACTION003: a next step that is not Stop, Start or Continue.
    [
        "E4",
        "2026-W48",
        "김지훈",
        "Q1",
        "오전 아웃리치의 회신율이 더 높다",
        "오전/오후 나눠 발송",
        "보류",
        "표본이 아직 작다",
        "나중에",
        "2주 더 측정",
    ],
]

RETRO = [
    [
        "2026-W47",
        "김지훈",
        "아웃리치 12건",
        "SCQA로 제안서 재작성",
        "영업지원팀 한소희",
        "시작",
        "오전 9~11시를 아웃리치 블록으로",
    ],
    # Fault ACTION002: a retrospective that changes nothing.
    ["2026-W47", "박서연", "재계약 미팅 1건", "가격 협상 코스", "E사 HR 리드"],
    [
        "2026-W47",
        "이민호",
        "파일럿 보고서 완료",
        "차트로 주간 리포트 개선",
        "데이터팀 윤재원",
        "계속",
        "블로그 주제를 고객 질문에서 뽑기",
    ],
    # Written on Friday of W48: what the lead reads on Monday morning.
    [
        "2026-W48",
        "김지훈",
        "오전 아웃리치 블록으로 회신 4건",
        "SCQA로 A사 제안서 구성",
        "영업지원팀 한소희",
        "그만",
        "오후 4시 이후 아웃리치 발송",
    ],
    [
        "2026-W48",
        "박서연",
        "A사 재계약 미팅 성사",
        "협상 코스의 앵커링을 A사 미팅에 적용",
        "B사 HR 리드 정은지",
        "시작",
        "재계약 고객마다 사례집 먼저 보내기",
    ],
    [
        "2026-W48",
        "이민호",
        "블로그 글 1편 게시",
        "시각화 기초로 주간 리포트 차트 개선",
        "데이터팀 윤재원",
        "계속",
        "블로그 글마다 문의 버튼 달기",
    ],
]

TABS: dict[str, list[Any]] = {
    "goals": GOALS,
    "metrics": METRICS,
    "plan": PLAN,
    "results": RESULTS,
    "risks": RISKS,
    "experiments": EXPERIMENTS,
    "retro": RETRO,
}


def build(path: Path) -> None:
    book = openpyxl.Workbook()
    for ws in book.worksheets:
        book.remove(ws)
    for key, rows in TABS.items():
        ws = book.create_sheet(TAB[key].name.ko)
        fill_sheet(ws, [header(key, "ko"), *(row or [] for row in rows)])
    book.save(path)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("demo.xlsx"))
