"""Every sentence flowsync writes: natural in Korean and English, and it says what to do."""

import re
from datetime import datetime

import pytest
from helpers import SEOUL

from sync import messages
from sync.messages import MESSAGES, REASONS, number, person, render, week_words

FALLBACK = re.compile(r"\((가|는|를|과|와|으로|이|은|을)\)|\[(이|은|을|과|으로)/")
FRAGMENTS = {"METRIC001.stale", "METRIC001.lagging", "DATA003"}  # parts of other messages
ACTIONS_EN = re.compile(
    r"\b(write|fix|add|set|use|choose|keep|link|fill|plan|break|check|give|pick|type|run)\b",
    re.IGNORECASE,
)


def _params(name: str) -> dict[str, object]:
    """Every parameter any message uses, with ``name`` as each person and each quoted text."""
    return dict.fromkeys(
        [
            "lever",
            "flow",
            "what",
            "goal_id",
            "title",
            "status",
            "exp_id",
            "hypothesis",
            "level",
            "parent_id",
            "path",
            "period",
            "header",
            "checks",
            "titles",
            "name",
            "metric_id",
            "result",
            "value",
            "risk",
            "tab_en",
            "tab_ko",
            "column_en",
            "column_ko",
            "column",
            "accepted",
            "retire",
            "reason",
            "month_en",
            "month_ko",
            "dates",
            "date",
            "day_en",
            "day_ko",
        ],
        name,
    ) | {
        "owner": name,
        "week": "2026-W48",
        "count": 1200,
        "leading": 2,
        "lagging": 3,
        "limit": 5,
        "first_row": 2,
        "weeks": 5,
        "deadline": datetime(2026, 11, 23, 12, 0, tzinfo=SEOUL),
    }


@pytest.mark.parametrize("name", ["김지훈", "이민호", "Kim", "Q9", "E3"])
@pytest.mark.parametrize("locale", ["ko", "en"])
def test_no_fallback_particle_in_any_message(name: str, locale: str) -> None:
    """No 이(가), 은(는), (를), (과) left for the reader to choose, in either language."""
    for key in MESSAGES:
        text = render(key, locale, **_params(name))  # type: ignore[arg-type]
        assert not FALLBACK.search(text), (key, text)
    for key in REASONS:
        text = messages.reason(key, locale, **_params(name))  # type: ignore[arg-type]
        assert not FALLBACK.search(text), (key, text)


def test_particles_follow_names_with_and_without_a_final_consonant() -> None:
    """김지훈님의 / 이민호님의 in Korean; the plain name in English."""
    assert render("ACTION002", "ko", owner="김지훈", week="2026-W47").startswith(
        "김지훈님의 11월 3주차(11.16–11.22) 회고에"
    )
    assert render("FLOW003", "ko", lever="SCQA 익히기").startswith("학습 레버 “SCQA 익히기”는 완료")
    assert render("FLOW003", "ko", lever="협상 코스").startswith("학습 레버 “협상 코스”는 완료")
    assert render("LINK001", "ko", lever="블로그 글", flow="비즈니스").startswith(
        "레버 “블로그 글”(비즈니스)이 어느"
    )
    assert render("LINK001", "ko", lever="블로그 쓰기", flow="비즈니스").startswith(
        "레버 “블로그 쓰기”(비즈니스)가 어느"
    )
    assert render("ACTION002", "en", owner="Kim", week="2026-W47").startswith(
        "Retro of Kim for Nov 16–22 has"
    )
    assert person("이민호", "ko") == "이민호님"
    assert person("이민호님", "ko") == "이민호님"


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_every_finding_message_says_what_to_do(locale: str) -> None:
    """Not only what is wrong: RISK002, METRIC003, METRIC004 and PLAN001 included."""
    for key in [*MESSAGES, *REASONS]:
        if key in FRAGMENTS:
            continue
        table = MESSAGES if key in MESSAGES else REASONS
        text = messages.say(table, key, locale, **_params("x"))  # type: ignore[arg-type]
        if locale == "ko":
            assert "주세요" in text or "바꾸면 됩니다" in text, (key, text)
        else:
            assert ACTIONS_EN.search(text), (key, text)


def test_english_says_nothing_in_korean_units() -> None:
    """An English message never ends in "10건"."""
    for table in (MESSAGES, REASONS, messages.SUMMARY):
        for key, (en, _) in table.items():
            assert not re.search(r"[가-힣]", en), (key, en)


def test_numbers_are_written_for_the_locale() -> None:
    """2,000,000 not 2e+06; 0.6 not 0.6000000000000001; 4.5 stays 4.5."""
    assert number(2e6, "ko") == "2,000,000"
    assert number(2e6, "en") == "2,000,000"
    assert number(0.1 + 0.2 + 0.3, "en") == "0.6"
    assert number(4.5, "ko") == "4.5"
    assert number(12.0, "ko") == "12"
    assert (
        render("METRIC001", "en", count=1200, leading=1, lagging=1199, limit=5, retire="M1")[:36]
        == "1,200 active metrics (1 leading, 1,1"
    )


def test_weeks_are_said_as_people_say_them() -> None:
    """11월 4주차(11.23–11.29) and Nov 23–29; a week across two months says both."""
    assert week_words("2026-W48", "ko") == "11월 4주차(11.23–11.29)"
    assert week_words("2026-W48", "en") == "Nov 23–29"
    assert week_words("2026-W49", "ko") == "12월 1주차(11.30–12.6)"
    assert week_words("2026-W49", "en") == "Nov 30–Dec 6"
    assert week_words("2026-W01", "ko") == "1월 1주차(12.29–1.4)"


def test_terms_are_one_word_per_concept() -> None:
    """판단 보류 for inconclusive, 목표치 for target: no word means two things."""
    terms = dict(messages.TERMS)
    assert terms["inconclusive"] == ("Inconclusive", "판단 보류")
    assert terms["target"] == ("Target", "목표치")
    assert messages.SUMMARY["h_target"] == terms["target"]
    korean = [ko for _, ko in terms.values()]
    assert len(korean) == len(set(korean))
