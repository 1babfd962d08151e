"""The workbook contract: names in both languages, matched loosely."""

from sync.workbook.contract import (
    INPUT_TABS,
    OWNED_TABS,
    TAB,
    column_lookup,
    matching_tabs,
    normalise_name,
    resolve_tabs,
)


def test_header_matching_ignores_case_spaces_and_underscores() -> None:
    """goal_id, Goal ID and GoalID are one column, as are 목표ID and 목표 ID."""
    lookup = column_lookup(TAB["plan"])
    for spelling in ("goal_id", "Goal ID", "GoalID", "목표ID", "목표 ID", " 목표_id "):
        assert lookup[normalise_name(spelling)] == "goal_id"


def test_tab_titles_resolve_in_either_language() -> None:
    """Weekly Plan, weekly_plan and 주간계획 are the plan tab; unknown tabs are ignored."""
    assert resolve_tabs(["주간계획", "Notes", "weekly_plan"]) == {"plan": "주간계획"}
    assert resolve_tabs(["Weekly Summary", "점검결과"]) == {
        "summary": "Weekly Summary",
        "findings": "점검결과",
    }


def test_every_title_matching_a_tab_is_kept_in_workbook_order() -> None:
    """Two titles for one tab are both reported, so neither has to be guessed."""
    assert matching_tabs(["Notes", "주간 계획", "목표", "주간계획"]) == {
        "plan": ("주간 계획", "주간계획"),
        "goals": ("목표",),
    }
    assert resolve_tabs(["주간 계획", "주간계획"]) == {"plan": "주간 계획"}


def test_every_name_is_unique_within_its_tab_in_both_languages() -> None:
    """No two columns of a tab share a spelling, so a header maps to exactly one column."""
    for tab in INPUT_TABS:
        spellings = [normalise_name(w) for c in tab.columns for w in {c.key, c.name.en, c.name.ko}]
        assert len(spellings) == len(set(spellings)), tab.key


def test_seven_input_tabs_and_two_owned_plus_hidden_state() -> None:
    """The tabs of docs/WORKBOOK.md, and flowsync's hidden state tab."""
    assert [t.key for t in INPUT_TABS] == [
        "goals",
        "metrics",
        "plan",
        "results",
        "risks",
        "experiments",
        "retro",
    ]
    assert [(t.name.en, t.name.ko) for t in OWNED_TABS] == [
        ("Weekly Summary", "주간요약"),
        ("Findings", "점검결과"),
        ("_flowsync", "_flowsync"),
        ("Portfolio", "포트폴리오"),
    ]
    assert [t.key for t in OWNED_TABS if not t.in_team_workbook] == ["portfolio"]
    assert [t.key for t in OWNED_TABS if t.hidden] == ["state"]
