"""The workbook contract of docs/WORKBOOK.md, as data, in English and Korean.

Everything that names a tab, a column or an accepted value lives here and
nowhere else. Matching of names ignores case, spaces and underscores (and
Unicode normalisation form), so ``goal_id``, ``Goal ID`` and ``GoalID`` are one
column, as are ``목표ID`` and ``목표 ID``.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from sync.core import Locale

LOCALES: tuple[Locale, ...] = ("en", "ko")

# "person": a name compared as one person however it is typed (values.person_key).
ColumnKind = Literal["text", "week", "number", "date", "enum", "email", "person"]


def normalise_name(name: object) -> str:
    """Fold a tab or column name for matching: NFC, casefold, no spaces or underscores."""
    text = unicodedata.normalize("NFC", str(name)).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "_-")


@dataclass(frozen=True, slots=True)
class Bilingual:
    en: str
    ko: str

    def __call__(self, locale: Locale) -> str:
        return self.en if locale == "en" else self.ko


@dataclass(frozen=True, slots=True)
class Enum:
    """An enumerated column: canonical value -> its English and Korean words."""

    name: str
    values: Mapping[str, Bilingual]
    default: str | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling (normalised) -> canonical value."""
        table: dict[str, str] = {}
        for canonical, words in self.values.items():
            for word in (canonical, words.en, words.ko):
                table[normalise_name(word)] = canonical
        for alias, canonical in self.aliases.items():
            table[normalise_name(alias)] = canonical
        return table

    def words(self, locale: Locale) -> list[str]:
        return [words(locale) for words in self.values.values()]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    name: Bilingual
    required: bool = False
    kind: ColumnKind = "text"
    enum: Enum | None = None
    # A required column whose cell may still be empty (a key result not yet read).
    blank_ok: bool = False


@dataclass(frozen=True, slots=True)
class Tab:
    key: str
    name: Bilingual
    owned: bool
    columns: tuple[Column, ...] = ()
    hidden: bool = False
    in_team_workbook: bool = True  # False for the portfolio tab, which has a workbook of its own

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.key} has no column {key!r}")

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.required)


def _b(en: str, ko: str) -> Bilingual:
    return Bilingual(en, ko)


LEVEL = Enum(
    "level",
    {"bhag": _b("BHAG", "BHAG"), "annual": _b("Annual", "연간"), "quarter": _b("Quarter", "분기")},
    aliases={"year": "annual", "yearly": "annual", "quarterly": "quarter", "년간": "annual"},
)
GOAL_STATUS = Enum(
    "goal_status",
    {"active": _b("active", "진행"), "done": _b("done", "완료"), "dropped": _b("dropped", "중단")},
    default="active",
    aliases={"진행중": "active"},
)
METRIC_KIND = Enum("kind", {"leading": _b("leading", "선행"), "lagging": _b("lagging", "후행")})
ACTIVE = Enum(
    "active",
    {"y": _b("Y", "예"), "n": _b("N", "아니오")},
    default="y",
    # Checkbox cells read as TRUE/FALSE (Google) or real booleans (xlsx).
    aliases={"yes": "y", "true": "y", "no": "n", "false": "n", "아니요": "n"},
)
FLOW = Enum(
    "flow",
    {
        "business": _b("Business", "비즈니스"),
        "learning": _b("Learning", "학습"),
        "people": _b("People", "관계"),
    },
)
PLAN_STATUS = Enum(
    "plan_status",
    {
        "planned": _b("planned", "계획"),
        "done": _b("done", "완료"),
        "partial": _b("partial", "부분"),
        "dropped": _b("dropped", "취소"),
    },
    default="planned",
)
RESULT = Enum(
    "result",
    {
        "success": _b("success", "성공"),
        "failure": _b("failure", "실패"),
        # 판단 보류, not 보류: "on hold" is not what an inconclusive experiment is.
        "inconclusive": _b("inconclusive", "판단 보류"),
    },
    aliases={"보류": "inconclusive", "판단보류": "inconclusive"},
)
NEXT_STEP = Enum(
    "next_step",
    {"stop": _b("Stop", "그만"), "start": _b("Start", "시작"), "continue": _b("Continue", "계속")},
)
CADENCE = Enum(
    "cadence",
    {
        "weekly": _b("weekly", "주"),
        "monthly": _b("monthly", "월"),
        "quarterly": _b("quarterly", "분기"),
    },
    default="weekly",
    aliases={
        "week": "weekly",
        "month": "monthly",
        "quarter": "quarterly",
        "주간": "weekly",
        "매주": "weekly",
        "월간": "monthly",
        "매월": "monthly",
        "분기별": "quarterly",
    },
)
ENUMS: tuple[Enum, ...] = (
    LEVEL,
    GOAL_STATUS,
    METRIC_KIND,
    ACTIVE,
    FLOW,
    PLAN_STATUS,
    RESULT,
    NEXT_STEP,
    CADENCE,
)


def _c(
    key: str,
    en: str,
    ko: str,
    *,
    required: bool = False,
    kind: ColumnKind = "text",
    enum: Enum | None = None,
    blank_ok: bool = False,
) -> Column:
    return Column(key, _b(en, ko), required, "enum" if enum else kind, enum, blank_ok)


TABS: tuple[Tab, ...] = (
    Tab(
        "goals",
        _b("Goals", "목표"),
        owned=False,
        columns=(
            _c("goal_id", "goal_id", "목표ID", required=True),
            _c("level", "level", "수준", required=True, enum=LEVEL),
            _c("parent_id", "parent_id", "상위목표ID"),
            _c("title", "title", "목표", required=True),
            _c("owner", "owner", "담당자", kind="person"),
            _c("email", "email", "이메일", kind="email"),
            _c("due", "due", "기한", kind="date"),
            _c("status", "status", "상태", enum=GOAL_STATUS),
        ),
    ),
    Tab(
        "metrics",
        _b("Metrics", "지표"),
        owned=False,
        columns=(
            _c("metric_id", "metric_id", "지표ID", required=True),
            _c("goal_id", "goal_id", "목표ID", required=True),
            _c("name", "name", "지표명", required=True),
            _c("kind", "kind", "유형", required=True, enum=METRIC_KIND),
            _c("unit", "unit", "단위"),
            _c("target", "target", "목표값", kind="number"),
            _c("active", "active", "사용", enum=ACTIVE),
            # Optional: how often a reading is due, and a leading metric's place in the flow.
            _c("cadence", "cadence", "주기", enum=CADENCE),
            _c("order", "order", "순서", kind="number"),
        ),
    ),
    Tab(
        "plan",
        _b("Weekly Plan", "주간계획"),
        owned=False,
        columns=(
            _c("week", "week", "주차", required=True, kind="week"),
            _c("owner", "owner", "담당자", required=True, kind="person"),
            _c("flow", "flow", "흐름", required=True, enum=FLOW),
            _c("lever", "lever", "레버", required=True),
            _c("goal_id", "goal_id", "목표ID"),
            _c("target", "target", "목표량", kind="number"),
            _c("actual", "actual", "실적", kind="number"),
            _c("status", "status", "상태", enum=PLAN_STATUS),
            _c("applied_to", "applied_to", "적용처"),
            _c("counterpart", "counterpart", "대상"),
            _c("note", "note", "비고"),
        ),
    ),
    Tab(
        "results",
        _b("Key Results", "핵심결과"),
        owned=False,
        columns=(
            _c("week", "week", "주차", required=True, kind="week"),
            _c("metric_id", "metric_id", "지표ID", required=True),
            _c("target", "target", "목표값", kind="number"),
            _c("actual", "actual", "실적", required=True, kind="number", blank_ok=True),
        ),
    ),
    Tab(
        "risks",
        _b("Risks", "리스크"),
        owned=False,
        columns=(
            _c("week", "week", "주차", required=True, kind="week"),
            _c("owner", "owner", "담당자", required=True, kind="person"),
            _c("risk", "risk", "리스크", required=True),
            _c("countermeasure", "countermeasure", "차단책"),
        ),
    ),
    Tab(
        "experiments",
        _b("Experiment Log", "실험로그"),
        owned=False,
        columns=(
            _c("exp_id", "exp_id", "실험ID", required=True),
            _c("week", "week", "주차", required=True, kind="week"),
            _c("owner", "owner", "담당자", kind="person"),
            _c("goal_id", "goal_id", "목표ID"),
            _c("hypothesis", "hypothesis", "가설", required=True),
            _c("action", "action", "실행"),
            _c("result", "result", "결과", enum=RESULT),
            _c("learning", "learning", "배운점"),
            _c("next_step", "next_step", "다음행동유형", enum=NEXT_STEP),
            _c("next_action", "next_action", "다음행동"),
        ),
    ),
    Tab(
        "retro",
        _b("Retro", "회고"),
        owned=False,
        columns=(
            _c("week", "week", "주차", required=True, kind="week"),
            _c("owner", "owner", "담당자", kind="person"),
            _c("moved_numbers", "moved_numbers", "숫자를움직인것"),
            _c("applied_learning", "applied_learning", "학습적용"),
            _c("speed_partner", "speed_partner", "속도파트너"),
            _c("next_step", "next_step", "다음행동유형", enum=NEXT_STEP),
            _c("next_action", "next_action", "다음행동"),
        ),
    ),
    Tab("summary", _b("Weekly Summary", "주간요약"), owned=True),
    Tab("findings", _b("Findings", "점검결과"), owned=True),
    # flowsync's own memory, kept with the team's sheet so any worker sees it: the
    # content hash of the owned tabs and the alerts already sent. Hidden from people.
    Tab("state", _b("_flowsync", "_flowsync"), owned=True, hidden=True),
    # In the portfolio workbook named by [portfolio], not in a team's.
    Tab("portfolio", _b("Portfolio", "포트폴리오"), owned=True, in_team_workbook=False),
)

TAB: dict[str, Tab] = {tab.key: tab for tab in TABS}
INPUT_TABS: tuple[Tab, ...] = tuple(t for t in TABS if not t.owned)
OWNED_TABS: tuple[Tab, ...] = tuple(t for t in TABS if t.owned)

_TAB_BY_NAME: dict[str, str] = {
    normalise_name(word): tab.key for tab in TABS for word in (tab.name.en, tab.name.ko, tab.key)
}


def tab_key(title: str) -> str | None:
    """The contract key of a tab title in either language, or None for a tab we do not know."""
    return _TAB_BY_NAME.get(normalise_name(title))


def matching_tabs(titles: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Contract key -> every title present that matches it, in workbook order.

    Two titles for one input tab (``주간 계획`` and ``주간계획``) are a finding,
    not a guess: the parser reads neither.
    """
    found: dict[str, tuple[str, ...]] = {}
    for title in titles:
        key = tab_key(title)
        if key is not None:
            found[key] = (*found.get(key, ()), title)
    return found


def resolve_tabs(titles: Iterable[str]) -> dict[str, str]:
    """Map contract keys to the actual titles present; the first title wins for a key.

    For flowsync's own tabs; the input tabs go through ``matching_tabs``.
    """
    return {key: found[0] for key, found in matching_tabs(titles).items()}


def column_lookup(tab: Tab) -> dict[str, str]:
    """Every accepted header spelling (normalised) -> column key."""
    table: dict[str, str] = {}
    for column in tab.columns:
        for word in (column.key, column.name.en, column.name.ko):
            table[normalise_name(word)] = column.key
    return table


# How alike a header must be to a column's names, on normalised names (difflib's ratio):
# "연결 목표" for 목표ID is 0.5, "next step kind" for next_step 0.8.
_LOOKALIKE = 0.5


def lookalike(column: Column, headers: Iterable[str]) -> str | None:
    """The header, among ``headers``, most like one of ``column``'s names, or None.

    For a missing column: the header a person probably renamed it to.
    """
    names = {normalise_name(word) for word in (column.key, column.name.en, column.name.ko)}
    best: tuple[float, str] | None = None
    for header in headers:
        folded = normalise_name(header)
        score = max(difflib.SequenceMatcher(None, folded, name).ratio() for name in names)
        if score >= _LOOKALIKE and (best is None or score > best[0]):
            best = (score, header)
    return best[1] if best else None
