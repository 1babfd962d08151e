"""Reading weeks, dates, numbers and enumerations the way people type them."""

import contextlib
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.messages import week_words
from sync.workbook.contract import FLOW, NEXT_STEP
from sync.workbook.values import (
    Unreadable,
    is_blank,
    iso_week,
    parse_date,
    parse_enum,
    parse_number,
    parse_person,
    parse_text,
    parse_week,
    parse_weekday,
    person_key,
    shift_week,
    week_monday,
)

days = st.dates(min_value=date(1951, 1, 1), max_value=date(2099, 12, 1))
SERIAL_EPOCH = date(1899, 12, 30)


@pytest.mark.parametrize(
    "cell",
    [
        "2026-W48",
        "2026-w48",
        "2026W48",
        "2026-W48-4",
        "2026년 48주차",
        "2026-11-23",
        "2026-11-29",
        "2026-11-26 00:00:00",
        "2026. 11. 23.",
        "2026. 11. 23",
        "2026.11.23",
        "2026/11/23",
        "2026년 11월 26일",
        "２０２６-１１-２３",
        46349,
        46349.0,
        "46349",
        date(2026, 11, 25),
        datetime(2026, 11, 27, 9, 30),
        "\u200b2026-W48 ",
        "2026년 11월 4주차",
        "2026년 11월 4주",
        "2026년11월4주차",
        "2026 년 11 월 4 주차",
        "2026년 11월 4주차(11.23–11.29)",
        "2026년 11월 4주차 (11.23-11.29)",
        "2026년 11월 4주차(11.23~11.29)",
        "2026년 11월 4주차(11/23 - 11/29)",
        "Nov 23–29, 2026",
        "Nov 23-29 2026",
        "2026 Nov 23–29",
        "November 23 – 29, 2026",
        "nov. 23–nov. 29, 2026",
        "2026-11-23 (월)",
        "2026-11-23(Mon)",
        "2026-11-25 (수요일)",
        "2026-11-29 (Sunday)",
        "2026. 11. 23.(월)",
        "2026년 11월 23일 (월)",
        "2026-11-23（월）",
    ],
)
def test_every_week_form_reads_as_the_iso_week(cell: object) -> None:
    """Every week form of docs/WORKBOOK.md, from text, numbers or date cells, is 2026-W48."""
    assert parse_week(cell) == "2026-W48"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell",
    [
        "next week",
        "2026-W54",
        "2026-13-01",
        "2026-02-30",
        12,
        True,
        "#N/A",
        "2026-11-23 (Monkey)",
        "2026-11-23 (내일)",
        "Nox 23–29, 2026",
        "2026 Nov 23–29, 2026",
        "2026년 13월 1주차",
    ],
)
def test_unreadable_week_raises_with_a_reason(cell: object) -> None:
    """A week that cannot be read raises Unreadable, never anything else."""
    with pytest.raises(Unreadable):
        parse_week(cell)  # type: ignore[arg-type]


def test_year_boundary_week_belongs_to_its_iso_year() -> None:
    """2026-12-31 is a Thursday in ISO week 2026-W53; 2027-01-01 too."""
    assert parse_week("2026-12-31") == "2026-W53"
    assert parse_week("2027. 1. 1.") == "2026-W53"
    assert parse_week("2027-01-04") == "2027-W01"


@given(days)
def test_any_date_form_of_a_day_gives_its_iso_week(day: date) -> None:
    """ISO, Korean dotted (with and without the trailing dot), serial and date cell agree."""
    expected = iso_week(day)
    forms = [
        day.isoformat(),
        f"{day.year}. {day.month}. {day.day}.",
        f"{day.year}. {day.month}. {day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        (day - SERIAL_EPOCH).days,
        day,
        datetime(day.year, day.month, day.day, 18),
    ]
    assert {parse_week(f) for f in forms} == {expected}


@pytest.mark.parametrize(
    "cell",
    [
        "11월 4주차",
        "11월 4주차(11.23–11.29)",
        "48주차",
        "48주",
        "W48",
        "11/23",
        "11.23",
        "11/23 (월)",
        "11.23–11.29",
        "11월 23일",
        "Nov 23–29",
        "Nov 30–Dec 6",
    ],
)
def test_a_week_without_a_year_is_not_guessed(cell: str) -> None:
    """Without a clock no year is the right one: the reason asks for the year instead."""
    with pytest.raises(Unreadable) as info:
        parse_week(cell)
    assert info.value.reason == "no_year"
    assert info.value.params == {"value": cell}


def test_a_month_week_that_does_not_exist_says_how_many_the_month_has() -> None:
    """February 2026 has four Thursdays, so four weeks: 6주차 is not one of them."""
    with pytest.raises(Unreadable) as info:
        parse_week("2026년 2월 6주차")
    assert info.value.reason == "no_such_month_week"
    assert info.value.params["weeks"] == 4
    assert info.value.params["month_ko"] == "2026년 2월"
    assert info.value.params["month_en"] == "February 2026"


@pytest.mark.parametrize("cell", ["2026년 2월 5주차", "2026년 11월 0주차"])
def test_a_month_week_past_the_months_thursdays_does_not_exist(cell: str) -> None:
    with pytest.raises(Unreadable) as info:
        parse_week(cell)
    assert info.value.reason == "no_such_month_week"


def test_a_month_week_belongs_to_the_month_of_its_thursday() -> None:
    """1월 1주차 of 2026 starts on 2025-12-29; 12월 5주차 ends on 2027-01-03."""
    assert parse_week("2026년 1월 1주차(12.29–1.4)") == "2026-W01"
    assert parse_week("2026년 12월 5주차(12.28–1.3)") == "2026-W53"
    assert parse_week("2026년 10월 5주차") == "2026-W44"  # Thursday Oct 29
    assert parse_week("2026년 11월 1주차") == "2026-W45"  # Thursday Nov 5, not Nov 2-8's Monday


def test_dates_that_disagree_with_the_week_number_are_unreadable() -> None:
    """Either the number or the dates in brackets is a typo; the reason says the week's dates."""
    with pytest.raises(Unreadable) as info:
        parse_week("2026년 11월 4주차(11.16–11.22)")
    assert info.value.reason == "week_dates_mismatch"
    assert info.value.params["dates"] == "11.23–11.29"


@pytest.mark.parametrize("cell", ["Dec 28–Jan 3, 2026", "Dec 28–Jan 3, 2027", "2026 Dec 28–Jan 3"])
def test_an_english_week_across_new_year_takes_either_year(cell: str) -> None:
    """The year may be the Monday's or the Sunday's: only one reading is a Monday-to-Sunday week."""
    assert parse_week(cell) == "2026-W53"


@pytest.mark.parametrize("cell", ["Nov 22–28, 2026", "Nov 23–30, 2026", "Feb 30–Mar 6, 2026"])
def test_an_english_range_that_is_not_monday_to_sunday_is_unreadable(cell: str) -> None:
    """Nov 22–28 straddles two weeks: which one is for the person to say."""
    with pytest.raises(Unreadable) as info:
        parse_week(cell)
    assert info.value.reason == "not_monday_to_sunday"


@pytest.mark.parametrize(
    "cell", ["2026-11-24 (월)", "2026-11-24(Mon)", "2026년 11월 24일 (월요일)"]
)
def test_a_day_name_that_is_not_the_dates_is_unreadable(cell: str) -> None:
    """2026-11-24 is a Tuesday: the reason names the day the date really is, in both languages."""
    for parse in (parse_week, parse_date):
        with pytest.raises(Unreadable) as info:
            parse(cell)
        assert info.value.reason == "weekday_mismatch"
        assert info.value.params["date"] == "2026-11-24"
        assert (info.value.params["day_en"], info.value.params["day_ko"]) == ("Tuesday", "화요일")


@given(days)
def test_the_korean_words_of_every_week_with_its_year_read_back(day: date) -> None:
    """week_words(week, "ko") with the ISO year in front is the week, 1951 to 2099."""
    week = iso_week(day)
    year = week[:4]
    words = week_words(week, "ko")
    assert parse_week(f"{year}년 {words}") == week
    assert parse_week(f"{year}년 {words.split('(')[0]}") == week


@given(days)
def test_the_english_words_of_every_week_with_its_year_read_back(day: date) -> None:
    """week_words(week, "en") with the ISO year before or after it is the week, 1951 to 2099."""
    week = iso_week(day)
    year = week[:4]
    words = week_words(week, "en")
    assert parse_week(f"{words}, {year}") == week
    assert parse_week(f"{year} {words}") == week


def test_every_week_of_1951_to_2099_reads_back_from_its_words_with_the_year() -> None:
    """Not a sample: all 7,775 weeks, in both languages, in under a second."""
    monday = date(1951, 1, 1)
    while monday.year < 2100:
        week = iso_week(monday)
        year = week[:4]
        assert parse_week(f"{year}년 {week_words(week, 'ko')}") == week
        assert parse_week(f"{week_words(week, 'en')}, {year}") == week
        monday += timedelta(weeks=1)


@given(days, st.booleans())
def test_every_date_with_its_day_name_in_brackets_reads_as_its_week(day: date, ko: bool) -> None:
    """2026-11-23 (월) and 2026-11-23(Mon) are the week of the date; any other day name is not."""
    names = "월화수목금토일" if ko else ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    right = names[day.weekday()]
    assert parse_week(f"{day.isoformat()} ({right})") == iso_week(day)
    assert parse_week(f"{day.isoformat()}({right})") == iso_week(day)
    assert parse_date(f"{day.isoformat()} ({right})") == day
    wrong = names[(day.weekday() + 1) % 7]
    with pytest.raises(Unreadable) as info:
        parse_week(f"{day.isoformat()} ({wrong})")
    assert info.value.reason == "weekday_mismatch"


@given(days)
def test_iso_week_round_trips_through_its_monday(day: date) -> None:
    """parse_week(week) is the week; its Monday lies within the 7 days up to the date."""
    week = iso_week(day)
    assert parse_week(week) == week
    assert 0 <= (day - week_monday(week)).days < 7


@given(days, st.integers(-60, 60))
def test_shift_week_moves_by_whole_weeks(day: date, n: int) -> None:
    """shift_week agrees with date arithmetic across year boundaries."""
    assert shift_week(iso_week(day), n) == iso_week(day + timedelta(weeks=n))


@given(st.text(max_size=40))
def test_week_parser_never_raises_anything_but_unreadable(text: str) -> None:
    """Any text either reads as a week or is Unreadable: never a crash."""
    with contextlib.suppress(Unreadable):
        assert parse_week(text).count("-W") == 1


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,200", 1200.0),
        ("1,234,567.5", 1234567.5),
        ("30%", 0.3),
        ("12.5 %", 0.125),
        ("10건", 10.0),
        ("4.5억원", 4.5),
        ("₩ 50,000", 50000.0),
        ("$1,200", 1200.0),
        ("-3", -3.0),
        ("−3", -3.0),
        ("(1,200)", -1200.0),
        (" 15 contacts ", 15.0),
        (".5", 0.5),
        (7, 7.0),
        (0.25, 0.25),
    ],
)
def test_numbers_read_with_separators_units_and_percent(cell: object, expected: float) -> None:
    """Thousands separators, units, currencies and percent signs are read as people mean them."""
    assert parse_number(cell) == pytest.approx(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell", ["약 10건", "10-20", "1,2", "lots", "#DIV/0!", True, date(2026, 1, 1), float("nan")]
)
def test_unreadable_numbers_raise(cell: object) -> None:
    """A number that cannot be read is Unreadable."""
    with pytest.raises(Unreadable):
        parse_number(cell)  # type: ignore[arg-type]


@given(st.integers(-(10**12), 10**12), st.sampled_from(["", "건", " 명", "원", "%"]))
def test_formatted_integers_read_back(n: int, unit: str) -> None:
    """An integer with thousands separators and a unit reads back as itself (percent as /100)."""
    value = parse_number(f"{n:,}{unit}")
    assert value == pytest.approx(n / 100 if unit == "%" else n)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_number_cells_pass_through(x: float) -> None:
    """A real number cell is itself."""
    assert parse_number(x) == x


@pytest.mark.parametrize("cell", ["Business", "business", " BUSINESS ", "비즈니스"])
def test_enum_reads_either_language_in_any_case(cell: str) -> None:
    """Enumerated values accept the English word and the Korean word, in any case."""
    assert parse_enum(cell, FLOW) == "business"


def test_enum_rejects_other_words_listing_the_accepted_ones() -> None:
    """An unknown value names what would be accepted."""
    with pytest.raises(Unreadable) as info:
        parse_enum("Later", NEXT_STEP)
    assert "Stop/그만" in str(info.value.params["accepted"])


def test_text_keeps_formulas_emoji_and_line_breaks() -> None:
    """Text is text: a formula-looking string, emoji and line breaks survive; 3.0 reads as 3."""
    assert parse_text('=HYPERLINK("x")') == '=HYPERLINK("x")'
    assert parse_text("🚀 launch\nday") == "🚀 launch\nday"
    assert parse_text(3.0) == "3"
    assert parse_text(date(2026, 11, 23)) == "2026-11-23"


def test_blank_means_nothing_but_white_space() -> None:
    """None, '', spaces and zero-width spaces are blank; 0 is not."""
    assert all(is_blank(c) for c in (None, "", "   ", "\u200b", float("nan")))
    assert not any(is_blank(c) for c in (0, "0", False, "\u200b x", " \ufeff\u00a0y\u200b"))


@given(st.text(alphabet=st.sampled_from(" \t\n\u00a0\u3000\u200b\u200c\u200d\u2060\ufeffa가#")))
def test_blank_is_only_white_space_and_zero_width_characters(cell: str) -> None:
    """The fast path agrees with the definition on every mix of the characters that matter."""
    seen = "".join(ch for ch in cell if ch not in "\u200b\u200c\u200d\u2060\ufeff")
    assert is_blank(cell) == (not seen.strip())


def test_dates_read_from_every_form() -> None:
    """The Goals due column reads dates like the week parser does."""
    assert parse_date("2026. 12. 31.") == date(2026, 12, 31)
    assert parse_date(46387) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("Mon", 0),
        ("monday", 0),
        (" 월 ", 0),
        ("월요일", 0),
        ("FRI", 4),
        ("금", 4),
        ("sunday", 6),
        ("일요일", 6),
        ("noon", None),
        ("", None),
        ("매일", None),
    ],
)
def test_a_day_name_is_read_in_english_or_korean_by_one_rule(word: str, day: int | None) -> None:
    assert parse_weekday(word) == day


_NAMES = st.text(  # Hangul syllables and Latin letters, as names in a Korean team's sheet
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    ),
    min_size=1,
    max_size=6,
)


@given(_NAMES, _NAMES, st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]))
def test_invisible_characters_spaces_and_case_do_not_make_another_person(
    first: str, last: str, invisible: str
) -> None:
    name = f"{first} {last}"
    for variant in (
        f"  {first}\u00a0{last} ",
        f"{first}{invisible} {last}",
        f"{first}   {last}".upper(),
        f"{invisible}{first} \t{last}".casefold(),
    ):
        assert person_key(variant) == person_key(name)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        (" 김민수 ", "김민수"),
        ("김민수\u200b", "김민수"),
        ("Kim\u00a0 Minsu", "Kim Minsu"),
        ("kim", "kim"),
    ],
)
def test_a_name_is_shown_as_written_less_what_cannot_be_seen(cell: str, shown: str) -> None:
    assert parse_person(cell) == shown


def test_different_people_stay_different() -> None:
    assert len({person_key(n) for n in ("김민수", "김민서", "Kim", "Kim Minsu", "Lee")}) == 5
