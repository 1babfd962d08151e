"""The registry of check codes: one entry per code, and nothing said that it does not list."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers import clean, context, findings, read_xlsx, workbook

from sync.codes import CHECK, CHECKS, Severity
from sync.findings import Finding
from sync.messages import MESSAGES
from sync.workbook.contract import INPUT_TABS


def test_every_message_belongs_to_exactly_one_code_and_every_code_has_its_messages() -> None:
    listed = [key for check in CHECKS for key in check.messages]
    assert sorted(listed) == sorted(MESSAGES)
    assert all(key.split(".")[0] == c.code for c in CHECKS for key in c.messages)


def test_codes_are_unique_and_their_family_is_their_prefix() -> None:
    assert len(CHECK) == len(CHECKS) == 24
    assert {c.family for c in CHECKS} == {
        "LINK",
        "METRIC",
        "ACTION",
        "FLOW",
        "RISK",
        "PLAN",
        "DATA",
    }
    assert CHECK["METRIC004"].family == "METRIC"


@pytest.mark.parametrize(
    ("severity", "rank", "en", "ko"),
    [
        (Severity.ERROR, 0, "error", "오류"),
        (Severity.WARNING, 1, "warning", "경고"),
        (Severity.INFO, 2, "info", "정보"),
    ],
)
def test_a_severity_carries_its_rank_and_its_words_in_both_languages(
    severity: Severity, rank: int, en: str, ko: str
) -> None:
    assert severity.rank == rank
    assert (severity.words("en"), severity.words("ko")) == (en, ko)
    assert severity == en  # still the plain word in JSON, the run log and comparisons


def test_a_finding_takes_its_severity_from_the_registry_and_prints_it_as_a_plain_word() -> None:
    plan = clean("plan")
    plan[1][4] = None  # the first lever loses its goal: LINK001
    (found,) = [f for f in findings(workbook(plan=plan)) if f.code == "LINK001"]
    assert found.severity is CHECK["LINK001"].severity is Severity.ERROR
    assert json.loads(json.dumps(found.as_json()))["severity"] == "error"


DEMO = Path(__file__).parent.parent / "sync" / "demo" / "demo.xlsx"
AS_OF = datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def _demo_with_every_fault() -> dict[str, list[list[Any]]]:
    """The bundled demo, which shows most codes, plus a fault for each code it lacks."""
    grids = read_xlsx(DEMO)
    plan, risks, goals = grids["주간계획"], grids["리스크"], grids["목표"]
    plan.append(["2026-W48", "김지훈", "비즈니스", "두 번째 비즈니스 레버", "Q1"])  # FLOW002
    risks += [["2026-W48", "김지훈", f"리스크 {n}", "대응"] for n in range(2)]  # RISK001
    goals.append([goals[1][0], "연간", "B1", "같은 ID", "김지훈"])  # DATA004
    return grids


def _without(grids: dict[str, list[list[Any]]], title: str, column: str) -> dict[str, Any]:
    """The workbook with one column's header renamed to something no column is called."""
    changed = {t: [list(row) for row in grid] for t, grid in grids.items()}
    header = changed[title][0]
    header[header.index(column)] = "(renamed)"
    return changed


def _by_code(found: list[Finding]) -> dict[str, set[tuple[object, ...]]]:
    out: dict[str, set[tuple[object, ...]]] = {}
    for f in found:
        out.setdefault(f.code, set()).add((f.tab, f.row, f.owner, f.week, f.message))
    return out


def test_a_missing_column_silences_exactly_the_checks_the_registry_says_read_it() -> None:
    """Each column renamed in turn: a check that reads it (per the registry) only loses
    findings, never gains one; a check that does not read it finds exactly the same."""
    grids = _demo_with_every_fault()
    ctx = context(AS_OF, locale="ko")
    before = _by_code(findings(grids, ctx))
    assert set(before) >= {c.code for c in CHECKS} - {"DATA001", "DATA002", "DATA005"}
    for tab in INPUT_TABS:
        title = tab.name.ko
        for column in tab.columns:
            if column.name.ko not in grids[title][0]:
                continue
            after = _by_code(findings(_without(grids, title, column.name.ko), ctx))
            for check in CHECKS:
                if check.family == "DATA":
                    continue
                old, new = before.get(check.code, set()), after.get(check.code, set())
                where = f"{check.code} without {tab.key}.{column.key}"
                assert new <= old, where
                if column.key not in check.reads.get(tab.key, ()):
                    assert new == old, where
