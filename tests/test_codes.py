"""The registry of check codes: one entry per code, and nothing said that it does not list."""

from __future__ import annotations

import json

import pytest
from helpers import clean, findings, workbook

from sync.codes import CHECK, CHECKS, Severity
from sync.messages import MESSAGES


def test_every_message_belongs_to_exactly_one_code_and_every_code_has_its_messages() -> None:
    listed = [key for check in CHECKS for key in check.messages]
    assert sorted(listed) == sorted(MESSAGES)
    assert all(key.split(".")[0] == c.code for c in CHECKS for key in c.messages)


def test_codes_are_unique_and_their_family_is_their_prefix() -> None:
    assert len(CHECK) == len(CHECKS) == 23
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
