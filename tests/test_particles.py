"""Korean particles fit the word they follow, as a person writes them."""

import pytest

from sync.particles import attach, resolve


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("김지훈", "이/가", "김지훈이"),  # 훈: a final consonant
        ("박서연", "은/는", "박서연은"),
        ("이민호", "이/가", "이민호가"),  # 호: none
        ("최유나", "은/는", "최유나는"),
        ("김지훈님", "을/를", "김지훈님을"),  # 님 ends in ㅁ
        ("팀장", "과/와", "팀장과"),
        ("리포트", "과/와", "리포트와"),
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("부산", "으로/로", "부산으로"),
        ("바다", "으로/로", "바다로"),
        ("E3", "이/가", "E3이"),  # digits as said: 삼
        ("Q9", "이/가", "Q9가"),  # 구
        ("M7", "을/를", "M7을"),  # 칠
        ("Kim", "은/는", "Kim은"),  # 킴
        ("Lee", "은/는", "Lee는"),  # 리
    ],
)
def test_particle_follows_the_last_syllable(word: str, particle: str, expected: str) -> None:
    """With a final consonant the first form, without it the second."""
    assert attach(word, particle) == expected


def test_quotes_and_an_aside_are_skipped_to_find_the_word() -> None:
    """Korean attaches a particle to the word before a parenthetical aside and a closing quote."""
    assert resolve("레버 “고객 15곳에 전화”[이/가] 연결") == "레버 “고객 15곳에 전화”가 연결"
    assert resolve("실험 E3(“블로그 글”)[이/가] 없음") == "실험 E3(“블로그 글”)이 없음"
    assert resolve("목표 “Q4”(교육 상품 기획)[은/는]") == "목표 “Q4”(교육 상품 기획)는"


def test_text_without_markers_is_left_alone() -> None:
    """Brackets that are not a particle pair stay as typed."""
    assert resolve("[긴급] 그만/시작/계속") == "[긴급] 그만/시작/계속"
