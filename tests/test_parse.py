"""Grids as backends return them -> typed frames with sheet row numbers."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers import clean, context, findings, frames, read_xlsx, where, workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.workbook.contract import TAB

DEMO = Path(__file__).parent.parent / "sync" / "demo" / "demo.xlsx"
AS_OF = datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def _korean(grid: list[list[object]], key: str) -> list[list[object]]:
    names = {c.key: c.name.ko for c in TAB[key].columns}
    return [[names[h] for h in grid[0]], *grid[1:]]  # type: ignore[index]


def test_korean_headers_and_words_give_the_same_findings_as_english() -> None:
    """A workbook with Korean tabs, headers and values finds the same faults on the same rows."""
    plan = clean("plan")
    plan[4][4] = None
    plan[3][9] = None
    english = where(findings(workbook(plan=plan)))
    ko_plan = _korean(plan, "plan")
    for row in ko_plan[1:]:
        row[2] = {"Business": "비즈니스", "Learning": "학습", "People": "관계"}[row[2]]  # type: ignore[index]
    korean = {
        k: _korean(clean(k), k)
        for k in ("goals", "metrics", "results", "risks", "experiments", "retro")
    }
    assert where(findings(workbook("ko", plan=ko_plan, **korean))) == english
    assert english


def test_ragged_rows_blank_rows_and_extra_columns_are_fine() -> None:
    """Absent trailing cells, blank rows, extra and reordered columns: rows keep their numbers."""
    plan = [
        ["Note", "lever", "owner", "week", "flow", "goal id"],
        [],
        ["", "Call 15 clients", "Kim", "2026-W48", "Business", "Q1"],
        [None, None, None],
        ["x", "Unlinked idea", "Kim", "2026-W48", "Business"],
    ]
    table = frames(workbook(plan=plan)).table("plan")
    assert list(table["row"]) == [3, 5]
    assert list(table["lever"]) == ["Call 15 clients", "Unlinked idea"]
    assert table["goal_id"].isna().tolist() == [False, True]


def test_title_line_above_the_header_is_skipped() -> None:
    """A heading typed above the header row does not hide the header."""
    risks = [["2026 risks (team A)"], *clean("risks")]
    table = frames(workbook(risks=risks)).table("risks")
    assert list(table["row"]) == [3]
    assert table.iloc[0]["risk"] == "Client decision slips"


def test_cells_people_really_type_survive_as_text() -> None:
    """Emoji, line breaks, a formula-looking text and a 5,000-character cell are kept whole."""
    long = "가" * 5000
    plan = clean("plan")
    plan[4][3] = '🚀 =HYPERLINK("x")\nsecond line'
    plan[4] += [None] * (10 - len(plan[4])) + [long]
    plan[0].append("note")
    table = frames(workbook(plan=plan)).table("plan")
    assert table.iloc[3]["lever"] == '🚀 =HYPERLINK("x")\nsecond line'
    assert table.iloc[3]["note"] == long


def test_values_are_typed_by_column() -> None:
    """Weeks become ISO weeks, numbers floats, enums canonical words, defaults fill blanks."""
    plan = clean("plan")
    plan[4][0] = datetime(2026, 11, 24)
    plan[4][6] = "1,200건"
    table = frames(workbook(plan=plan)).table("plan")
    assert table.iloc[3]["week"] == "2026-W48"
    assert table.iloc[3]["actual"] == 1200.0
    assert table.iloc[3]["flow"] == "business"
    assert table.iloc[5]["status"] == "planned"  # empty status defaults to planned
    metrics = frames(workbook()).table("metrics")
    assert list(metrics["active"]) == ["y", "y"]  # empty active defaults to Y


def test_weeks_written_as_flowsync_writes_them_are_typed_as_iso_weeks() -> None:
    """With the year, the words of the Weekly Summary read back into the week column."""
    plan = clean("plan")
    for row, week in zip(
        plan[1:5],
        ["2026년 11월 4주차(11.23–11.29)", "Nov 23–29, 2026", "2026-11-23 (월)", "2026 Nov 16–22"],
        strict=True,
    ):
        row[0] = week
    parsed = frames(workbook(plan=plan))
    assert list(parsed.table("plan")["week"][:4]) == ["2026-W48"] * 3 + ["2026-W47"]
    assert not [p for p in parsed.problems if p.column == "week"]


def test_two_tabs_for_one_key_are_neither_read_nor_missing() -> None:
    """With both 주간 계획 and 주간계획 present, neither is guessed: the plan is not read."""
    grids = {"주간 계획": clean("plan"), **workbook("ko")}
    parsed = frames(grids)
    assert parsed.duplicate_tabs == {"plan": ("주간 계획", "주간계획")}
    assert "plan" not in parsed.tables
    assert "plan" not in parsed.titles
    assert "plan" not in parsed.missing_tabs


def test_empty_tab_has_every_required_or_checked_column_missing() -> None:
    """A tab with no header at all: each required column, and each a check reads, is a DATA002."""
    found = findings(workbook(risks=[]))
    assert [f.subject for f in found if f.code == "DATA002"] == [
        "week",
        "owner",
        "risk",
        "countermeasure",
    ]
    assert frames(workbook(risks=[])).missing_columns["risks"] == (
        "week",
        "owner",
        "risk",
        "countermeasure",
    )


def _beside(grid: list[list[Any]], header: str, fill: Callable[[int], Any]) -> list[list[Any]]:
    """The grid with one more column at its right, filled down to row 300 as a sheet would be."""
    width = len(grid[0])
    rows = [[*row, *[None] * (width - len(row))] for row in grid]
    rows += [[None] * width for _ in range(300 - len(rows))]
    return [[*rows[0], header]] + [[*row, fill(n)] for n, row in enumerate(rows[1:], start=2)]


@pytest.mark.parametrize(
    ("header", "fill"),
    [
        ("확인", lambda n: False),  # a checkbox column, as an .xlsx file holds it
        ("확인", lambda n: "FALSE"),  # ... and as the Sheets API returns it
        ("순번", lambda n: n - 1),  # a fill-down formula's values
        ("메모", lambda n: '=IF(B2="","",B2)' if n % 2 else "-"),
    ],
)
def test_a_column_beside_the_contract_makes_no_rows_and_changes_no_finding(
    header: str, fill: Callable[[int], Any]
) -> None:
    """Blank means blank in the contract's columns, whatever another column holds."""
    demo = read_xlsx(DEMO)
    ctx = context(AS_OF, locale="ko")
    before = findings(demo, ctx)
    for title in demo:
        demo[title] = _beside(demo[title], header, fill)
    after = findings(demo, ctx)
    assert [(f.code, f.tab, f.row, f.message) for f in after] == [
        (f.code, f.tab, f.row, f.message) for f in before
    ]
    assert len(after) == 18  # the demo's faults as of Thursday
    for key in ("plan", "experiments", "retro"):
        rows = list(frames(demo).table(key)["row"])
        assert rows == list(frames(read_xlsx(DEMO)).table(key)["row"])


@pytest.mark.parametrize("unticked", [False, "FALSE"])
def test_an_unticked_checkbox_in_a_contract_column_makes_no_row(unticked: object) -> None:
    """사용 (active) as a checkbox, unticked down to row 300: the empty rows stay blank."""
    demo = read_xlsx(DEMO)
    ctx = context(AS_OF, locale="ko")
    before = findings(demo, ctx)
    metrics = demo["지표"]
    active = metrics[0].index("사용")
    for _ in range(300 - len(metrics)):
        metrics.append([unticked if n == active else None for n in range(len(metrics[0]))])
    after = findings(demo, ctx)
    assert [(f.code, f.tab, f.row, f.message) for f in after] == [
        (f.code, f.tab, f.row, f.message) for f in before
    ]


@settings(deadline=None, max_examples=50)  # a whole workbook parsed per example; a busy CI
@given(
    st.lists(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6)),
        min_size=1,
        max_size=40,
    )
)
def test_whatever_a_column_beside_the_contract_holds_the_rows_are_the_same(
    extra: list[Any],
) -> None:
    plan = clean("plan")
    plan[0].append("확인")
    plan += [[] for _ in range(len(extra) + 1 - len(plan))]
    for row, value in zip(plan[1:], extra, strict=False):
        row += [None] * (len(plan[0]) - 1 - len(row)) + [value]
    clean_plan = frames(workbook()).table("plan")
    assert frames(workbook(plan=plan)).table("plan").equals(clean_plan)
