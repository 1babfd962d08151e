"""Reading the values people really type into a cell.

Pure functions, one per kind of column. Each takes one raw cell (a string,
number, bool, date or None, as a backend returns it) and returns the typed
value or raises ``Unreadable`` with a reason key; the parser turns that into a
DATA003 finding. Blank cells never reach these functions.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from sync.core import Cell
from sync.workbook.contract import Enum, normalise_name


class Unreadable(ValueError):
    """A cell that cannot be read as its column's kind.

    ``reason`` is a key of ``sync.messages.REASONS``; ``params`` fill its text,
    so the DATA003 message can say why in the team's language.
    """

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason, params)
        self.reason = reason
        self.params = params


# Spreadsheet serial numbers count days from 1899-12-30 (Google Sheets and Excel alike,
# past Excel's 1900 leap-year bug). Only serials of plausible planning dates are weeks.
_EPOCH = date(1899, 12, 30)
_SERIAL_MIN = (date(1950, 1, 1) - _EPOCH).days
_SERIAL_MAX = (date(2100, 1, 1) - _EPOCH).days

_ERROR_CELL = re.compile(
    r"#(?:REF!|N/A|DIV/0!|VALUE!|NAME\?|NUM!|NULL!|ERROR!|SPILL!|CALC!|GETTING_DATA)", re.I
)
_ISO_WEEK = re.compile(r"(\d{4})\s*-?\s*W\s*(\d{1,2})(?:\s*-\s*[1-7])?", re.I)
_KO_WEEK = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*주\s*(?:차)?")
_DATE = re.compile(
    r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time part, as a date cell turned to text has
)
_KO_DATE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?")
# A date with its day name in brackets, as calendars write it: 2026-11-23 (월), 2026-11-23(Mon).
_DAY_NAMED = re.compile(r"(.+?)\s*\(\s*([^()\s]+)\s*\)")
# A week in the words flowsync writes (messages.week_words), with the year in front.
_DASH = r"\s*[-–—−~〜]\s*"
_MONTH_DAY = r"(\d{1,2})\s*[./]\s*(\d{1,2})\.?"
_KO_MONTH_WEEK = re.compile(
    r"(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*주\s*차?"
    rf"(?:\s*\(\s*{_MONTH_DAY}{_DASH}{_MONTH_DAY}\s*\))?"
)
_EN_WEEK = re.compile(
    r"(?:(\d{4})\s*,?\s*)?([a-z]{3,9})\.?\s*(\d{1,2})"
    rf"{_DASH}(?:([a-z]{{3,9}})\.?\s*)?(\d{{1,2}})(?:\s*,?\s*(\d{{4}}))?",
    re.I,
)
# The forms above read when they carry a year, and the week number or date alone: 48주차,
# W48, 11/23, 11.23–11.29, 11월 23일, maybe with a bracket after them.
_MONTH_OF_DAY = r"(?:0?[1-9]|1[0-2])\s*[./]\s*(?:0?[1-9]|[12]\d|3[01])\.?"
_NO_YEAR = re.compile(
    rf"(?:\d{{1,2}}\s*주\s*차?|W\s*\d{{1,2}}|{_MONTH_OF_DAY}(?:{_DASH}{_MONTH_OF_DAY})?"
    r"|(?:0?[1-9]|1[0-2])\s*월\s*(?:0?[1-9]|[12]\d|3[01])\s*일?)(?:\s*\([^()]*\))?",
    re.I,
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_NUMBER = re.compile(
    r"(?P<sign>[-+−]?)\s*(?P<currency>[₩$€£¥]?)\s*"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<percent>[%％])?\s*(?P<unit>[^\d%％]*)"
)
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _ZERO_WIDTH), None)


# Day names and month names, as flowsync writes them in each language.
_DAY_NAMES = (
    ("Monday", "월요일"),
    ("Tuesday", "화요일"),
    ("Wednesday", "수요일"),
    ("Thursday", "목요일"),
    ("Friday", "금요일"),
    ("Saturday", "토요일"),
    ("Sunday", "일요일"),
)
# Not calendar.month_name, which follows the process's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# Day names, Monday first (datetime.weekday()); read by their first three letters or first syllable.
DAY_ABBREVIATIONS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS = {
    **{name: i for i, name in enumerate(DAY_ABBREVIATIONS)},
    **{name: i for i, name in enumerate("월화수목금토일")},
}


def parse_weekday(word: str) -> int | None:
    """0 (Monday) to 6 from a day name in English or Korean, or None for anything else.

    ``Mon``, ``monday``, ``월`` and ``월요일`` are all Monday: the schedule and the
    plan deadline read day names with this one rule.
    """
    key = word.strip().casefold()
    return _WEEKDAYS.get(key[:3] if key.isascii() else key[:1])


_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def is_address(value: str) -> bool:
    """A plain e-mail address: no display name, no line break, one @, a dot in the domain."""
    return _ADDRESS.fullmatch(value) is not None


def parse_email(value: Cell) -> str:
    """An e-mail address cell; anything else cannot be written to."""
    text = parse_text(value)
    if not is_address(text):
        raise Unreadable("not_email", value=text)
    return text


def is_blank(value: Cell) -> bool:
    """True for a cell with nothing in it: None, or only white space."""
    if value is None:
        return True
    if isinstance(value, str):
        # Most cells start with a visible character: only a zero-width start needs the slow path.
        seen = value.strip()
        return not seen or (seen[0] in _ZERO_WIDTH and not seen.translate(_INVISIBLE).strip())
    return isinstance(value, float) and math.isnan(value)


def is_error_cell(value: Cell) -> bool:
    """True for a spreadsheet error value such as ``#REF!`` or ``#N/A``."""
    return (
        isinstance(value, str) and "#" in value and _ERROR_CELL.fullmatch(value.strip()) is not None
    )


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).strip()


def _check_error(value: Cell) -> None:
    if is_error_cell(value):
        raise Unreadable("error_cell", value=str(value).strip())


def parse_text(value: Cell) -> str:
    """Text as a person sees it; a spreadsheet error is unreadable."""
    _check_error(value)
    return display(value)


def parse_person(value: Cell) -> str:
    """A person's name as written, less what cannot be seen: zero-width characters and
    repeated, non-breaking or surrounding spaces."""
    return " ".join(parse_text(value).translate(_INVISIBLE).split())


def person_key(name: str) -> str:
    """A name as compared: ``김민수``, ``김민수\u200b``, ``김민수\u00a0`` and `` 김민수 `` are
    one person, and so are ``Kim`` and ``kim`` (NFKC, no zero-width characters, spaces
    collapsed, case folded)."""
    return " ".join(unicodedata.normalize("NFKC", name.translate(_INVISIBLE)).split()).casefold()


def display(value: Cell) -> str:
    """Any cell as one string: integral numbers without ``.0``, dates as ISO dates."""
    if type(value) is str:
        return unicodedata.normalize("NFC", value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def iso_week(day: date) -> str:
    """The ISO week of a date, as ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """The Monday of an ISO week string such as ``2026-W48``."""
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def shift_week(week: str, weeks: int) -> str:
    """The ISO week ``weeks`` weeks after (or before, when negative) ``week``."""
    return iso_week(week_monday(week) + timedelta(weeks=weeks))


def _from_serial(serial: float) -> date:
    if not _SERIAL_MIN <= serial < _SERIAL_MAX:
        raise Unreadable("serial", value=f"{serial:g}")
    return _EPOCH + timedelta(days=int(serial))


def _make_date(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError as exc:
        raise Unreadable("no_such_date", value=f"{year}-{month}-{day}") from exc


def _day_in_brackets(word: str) -> int | None:
    """0 (Monday) to 6 from the day name after a date: 월, 월요일, Mon, Tues, Monday.

    Stricter than ``parse_weekday``: ``(Monkey)`` is no day name, so a date beside
    it is not read.
    """
    key = word.casefold().rstrip(".")
    for day, (en, ko) in enumerate(_DAY_NAMES):
        if key in (ko, ko[0]) or (len(key) >= 3 and en.casefold().startswith(key)):
            return day
    return None


def _text_date(text: str) -> date | None:
    if m := _DATE.fullmatch(text) or _KO_DATE.fullmatch(text):
        return _make_date(*m.groups())
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text))
    return None


def parse_date(value: Cell) -> date:
    """A date from a real date cell, an ISO or Korean dotted date, or a serial number.

    A day name in brackets after it, ``2026-11-23 (월)``, must be the date's own:
    a date and a day that disagree are a typo in one of them, and which one is
    for the person to say (``weekday_mismatch``).
    """
    _check_error(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise Unreadable("not_date", value=display(value))
    if isinstance(value, int | float):
        if math.isnan(value) or math.isinf(value):
            raise Unreadable("not_date", value=display(value))
        return _from_serial(float(value))
    text = _clean(str(value))
    if (day := _text_date(text)) is not None:
        return day
    if text.endswith(")") and (named := _DAY_NAMED.fullmatch(text)):
        day, weekday = _text_date(named[1]), _day_in_brackets(named[2])
        if day is not None and weekday is not None:
            if day.weekday() != weekday:
                en, ko = _DAY_NAMES[day.weekday()]
                raise Unreadable(
                    "weekday_mismatch", value=text, date=day.isoformat(), day_en=en, day_ko=ko
                )
            return day
    raise Unreadable("not_date", value=text)


def parse_week(value: Cell) -> str:
    """An ISO week string from an ISO week, any date inside the week (with its day
    name in brackets or not), a serial number, or a week in the words flowsync
    writes with its year: ``2026년 11월 4주차(11.23–11.29)``, ``Nov 23–29, 2026``.

    A week without a year (``11월 4주차``, ``48주차``, ``11/23``, ``Nov 23–29``) is
    Unreadable (``no_year``), a reason that shows the forms with a year. It is not
    guessed: a pure parser has no clock, and the year of the tab's other weeks is
    wrong just where it matters, in a plan that runs across New Year.

    The ISO forms and dates are tried first and cost what they did; the words
    only when they fail.
    """
    text = None
    if isinstance(value, str):
        text = _clean(value)
        if m := _ISO_WEEK.fullmatch(text) or _KO_WEEK.fullmatch(text):
            year, number = int(m.group(1)), int(m.group(2))
            try:
                return iso_week(date.fromisocalendar(year, number, 1))
            except ValueError as exc:
                raise Unreadable("no_such_week", value=text) from exc
    try:
        return iso_week(parse_date(value))
    except Unreadable as exc:
        if exc.reason in ("error_cell", "weekday_mismatch"):
            raise
        week = _week_in_words(text) if text is not None else None
        if week is None:
            raise Unreadable("not_week", value=display(value)) from exc
        return week


def _week_in_words(text: str) -> str | None:
    """The ISO week of a week as flowsync writes it, with its year; None for other text.

    ``11월 4주차`` is the week holding November's 4th Thursday (messages.month_and_nth),
    so its year is its ISO year. ``Dec 28–Jan 3, 2026`` may give the year of the
    Monday or of the Sunday: only one of the two readings runs Monday to Sunday.
    """
    try:
        if "월" in text and (m := _KO_MONTH_WEEK.fullmatch(text)):
            return _korean_week(text, m)
        if m := _EN_WEEK.fullmatch(text):
            return _english_week(text, m)
    except OverflowError as exc:  # past 9999-12-31
        raise Unreadable("no_such_week", value=text) from exc
    if _NO_YEAR.fullmatch(text):
        raise Unreadable("no_year", value=text)
    return None


def _korean_week(text: str, m: re.Match[str]) -> str:
    """The week of ``2026년 11월 4주차``; the dates in brackets after it must be its own."""
    year, month, nth = m[1], int(m[2]), int(m[3])
    if year is None:
        raise Unreadable("no_year", value=text)
    monday = _month_week_monday(text, int(year), month, nth)
    if m[4] is not None:
        sunday = monday + timedelta(days=6)
        written = tuple(int(m[i]) for i in range(4, 8))
        if written != (monday.month, monday.day, sunday.month, sunday.day):
            dates = f"{monday.month}.{monday.day}–{sunday.month}.{sunday.day}"
            raise Unreadable("week_dates_mismatch", value=text, dates=dates)
    return iso_week(monday)


def _month_week_monday(text: str, year: int, month: int, nth: int) -> date:
    """The Monday of a month's nth week: the week holding the month's nth Thursday."""
    if year < 1 or not 1 <= month <= 12:
        raise Unreadable("no_such_week", value=text)
    first_weekday, days = calendar.monthrange(year, month)
    first_thursday = 1 + (3 - first_weekday) % 7
    weeks = (days - first_thursday) // 7 + 1
    if not 1 <= nth <= weeks:
        raise Unreadable(
            "no_such_month_week",
            value=text,
            month_en=f"{MONTH_NAMES[month - 1]} {year}",
            month_ko=f"{year}년 {month}월",
            weeks=weeks,
        )
    return date(year, month, first_thursday + 7 * (nth - 1)) - timedelta(days=3)


def _month_number(word: str) -> int | None:
    """1 to 12 from an English month name or its first 3 letters or more: Nov, Sept, November."""
    key = word.casefold()
    for number, name in enumerate(MONTH_NAMES, 1):
        if name.casefold().startswith(key):
            return number
    return None


def _english_week(text: str, m: re.Match[str]) -> str | None:
    """The week of ``Nov 23–29, 2026`` or ``2026 Nov 30–Dec 6``; None when a month is no
    month or the year is written twice."""
    first_year, start, start_day, end, end_day, last_year = m.groups()
    start_month = _month_number(start)
    end_month = _month_number(end) if end is not None else start_month
    if start_month is None or end_month is None or (first_year and last_year):
        return None
    year = first_year or last_year
    if year is None:
        raise Unreadable("no_year", value=text)
    across_new_year = end_month < start_month
    for monday_year in (int(year), int(year) - 1) if across_new_year else (int(year),):
        try:
            monday = date(monday_year, start_month, int(start_day))
        except ValueError:
            continue
        sunday = monday + timedelta(days=6)
        if monday.weekday() == 0 and (sunday.month, sunday.day) == (end_month, int(end_day)):
            return iso_week(monday)
    raise Unreadable("not_monday_to_sunday", value=text)


def parse_number(value: Cell) -> float:
    """A number, allowing thousands separators, a currency, a unit and a percent sign.

    ``30%`` is 0.3, as a percent-formatted cell holds it. Whatever follows the
    digits is a unit and is dropped: ``4.5억원`` in a metric whose unit is 억원
    is 4.5, not 450,000,000.
    """
    _check_error(value)
    if isinstance(value, bool):
        raise Unreadable("not_number", value=display(value))
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise Unreadable("not_number", value=display(value))
        return number
    if isinstance(value, date):
        raise Unreadable("not_number", value=display(value))
    text = _clean(str(value))
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    m = _NUMBER.fullmatch(text)
    if m is None:
        raise Unreadable("not_number", value=text)
    number = float(m["digits"].replace(",", ""))
    if m["percent"]:
        number /= 100
    if negative or m["sign"] in ("-", "−"):
        number = -number
    return number


def parse_enum(value: Cell, enum: Enum, table: dict[str, str] | None = None) -> str:
    """The canonical value of an enumerated cell, in either language and any case."""
    _check_error(value)
    table = table if table is not None else enum.lookup()
    key = normalise_name("true" if value is True else "false" if value is False else value)
    try:
        return table[key]
    except KeyError:
        accepted = ", ".join(f"{w.en}/{w.ko}" for w in enum.values.values())
        raise Unreadable("not_enum", value=display(value), accepted=accepted) from None
