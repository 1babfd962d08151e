"""A clean workbook to plant faults in, and small helpers to read findings.

The clean workbook has no finding as of 2026-11-26 (2026-W48, Asia/Seoul).
Each check's tests change one thing in it and assert exactly what appears.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sync.checks import CheckContext, Limits, run_checks
from sync.core import Locale
from sync.findings import Finding
from sync.workbook.contract import TAB
from sync.workbook.parse import Frames, parse_workbook

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SEOUL)  # Thursday of 2026-W48

CLEAN: dict[str, list[list[Any]]] = {
    "goals": [
        ["goal_id", "level", "parent_id", "title", "owner", "email", "due", "status"],
        ["B1", "BHAG", None, "Double revenue", "Kim", "kim@example.com", "2028-12-31", "active"],
        [
            "A1",
            "Annual",
            "B1",
            "Revenue 5bn this year",
            "Kim",
            "kim@example.com",
            "2026-12-31",
            None,
        ],
        [
            "Q1",
            "Quarter",
            "A1",
            "Ten proposals in Q4",
            "Lee",
            "lee@example.com",
            "2026-12-31",
            "active",
        ],
    ],
    "metrics": [
        ["metric_id", "goal_id", "name", "kind", "unit", "target", "active"],
        ["M1", "Q1", "Outreach per week", "leading", "contacts", 15, "Y"],
        ["M2", "Q1", "Proposals sent", "lagging", "proposals", 3, None],
    ],
    "plan": [
        [
            "week",
            "owner",
            "flow",
            "lever",
            "goal_id",
            "target",
            "actual",
            "status",
            "applied_to",
            "counterpart",
        ],
        ["2026-W47", "Kim", "Business", "Call 10 clients", "Q1", 10, 10, "done"],
        [
            "2026-W47",
            "Kim",
            "Learning",
            "Read on storylines",
            "Q1",
            None,
            None,
            "done",
            "Proposal deck",
        ],
        [
            "2026-W47",
            "Kim",
            "People",
            "Lunch with HR lead",
            "A1",
            None,
            None,
            "done",
            None,
            "HR lead",
        ],
        ["2026-W48", "Kim", "Business", "Call 15 clients", "Q1", 15, 12, "partial"],
        ["2026-W48", "Kim", "Learning", "Practise SCQA", "Q1", None, None, "planned"],
        [
            "2026-W48",
            "Kim",
            "People",
            "Share a trend report",
            "A1",
            None,
            None,
            None,
            None,
            "Client HR lead",
        ],
    ],
    "results": [
        ["week", "metric_id", "target", "actual"],
        ["2026-W47", "M1", 10, 10],
        ["2026-W47", "M2", 2, 1],
        ["2026-W48", "M1", 15, 12],
        ["2026-W48", "M2", 3, 2],
    ],
    "risks": [
        ["week", "owner", "risk", "countermeasure"],
        ["2026-W48", "Kim", "Client decision slips", "Offer two backup dates"],
    ],
    "experiments": [
        [
            "exp_id",
            "week",
            "owner",
            "goal_id",
            "hypothesis",
            "action",
            "result",
            "learning",
            "next_step",
            "next_action",
        ],
        [
            "E1",
            "2026-W47",
            "Kim",
            "Q1",
            "Cases raise replies",
            "Three cases",
            "success",
            "Numbers win",
            "Continue",
            "Use cases everywhere",
        ],
        ["E2", "2026-W48", "Kim", "Q1", "Mornings reply more", "Split sends"],
    ],
    "retro": [
        ["week", "owner", "moved_numbers", "applied_learning", "speed_partner", "next_action"],
        [
            "2026-W47",
            "Kim",
            "10 calls",
            "SCQA in a deck",
            "Sales support",
            "Block mornings for calls",
        ],
    ],
}


def workbook(locale: Locale = "en", **changes: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """The clean workbook (title -> grid) with some tabs replaced, titled in ``locale``."""
    tabs = copy.deepcopy(CLEAN)
    tabs.update(changes)
    return {TAB[key].name(locale): grid for key, grid in tabs.items()}


def clean(key: str) -> list[list[Any]]:
    """A copy of one clean tab, to change a row of."""
    return copy.deepcopy(CLEAN[key])


def context(
    now: datetime = NOW, *, locale: Locale = "en", limits: Limits | None = None
) -> CheckContext:
    return CheckContext(now=now, locale=locale, limits=limits or Limits())


def findings(grids: dict[str, list[list[Any]]], ctx: CheckContext | None = None) -> list[Finding]:
    return run_checks(parse_workbook(grids), ctx or context())


def frames(grids: dict[str, list[list[Any]]]) -> Frames:
    return parse_workbook(grids)


def where(
    items: Iterable[Finding], code: str | None = None
) -> list[tuple[str, str, int | None, str | None, str | None]]:
    """(code, tab, row, owner, week) of each finding, optionally of one code."""
    return [
        (f.code, f.tab, f.row, f.owner, f.week) for f in items if code is None or f.code == code
    ]


def write_xlsx(path: Any, grids: dict[str, list[list[Any]]]) -> None:
    """A real .xlsx file with these tabs, written with plain openpyxl (not flowsync)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, grid in grids.items():
        ws = book.create_sheet(title)
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
    book.save(path)


def read_xlsx(path: Any) -> dict[str, list[list[Any]]]:
    """Every tab's cell values (formulas as their text), for before/after comparisons."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {
        ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets
    }


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    """Poll ``condition`` until it holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
