"""Every check code in one place: its severity, its family, its messages and what it reads.

The checks, the Findings tab, the terminal, the config's alert codes and the
README's table (generated with cog: ``make lint`` fails when it is stale) all
read this registry, so a code cannot exist in one of them and not the others.
The sentences themselves live in ``sync.messages``, keyed by ``messages`` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sync.workbook.contract import Bilingual


class Severity(StrEnum):
    """How much a finding matters; the order of definition is the order a lead reads."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors: they come first in every listing."""
        return list(Severity).index(self)

    @property
    def words(self) -> Bilingual:
        return _SEVERITY_WORDS[self]


_SEVERITY_WORDS = {
    Severity.ERROR: Bilingual("error", "오류"),
    Severity.WARNING: Bilingual("warning", "경고"),
    Severity.INFO: Bilingual("info", "정보"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One check code.

    ``flags`` is what the README's table says it flags. ``messages`` are the
    keys of ``sync.messages.MESSAGES`` its findings may say, the code itself
    first. ``reads`` names, by tab, every column the check reads: when one is
    missing the check does not run on that tab (DATA002 says so).
    """

    code: str
    severity: Severity
    flags: str
    messages: tuple[str, ...] = ()
    reads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def family(self) -> str:
        """LINK, METRIC, ACTION, FLOW, RISK, PLAN or DATA."""
        return self.code.rstrip("0123456789")


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _check(code: str, severity: Severity, flags: str, *variants: str) -> Check:
    return Check(
        code=code,
        severity=severity,
        flags=flags,
        messages=(code,) if not variants else tuple(f"{code}.{v}" for v in variants),
    )


CHECKS: tuple[Check, ...] = (
    _check("LINK001", ERROR, "a lever with no goal_id: unlinked work"),
    _check("LINK002", ERROR, "a goal_id (plan, experiment, metric) that is not in Goals"),
    _check("LINK003", WARNING, "a lever or experiment linked to a goal that is done or dropped"),
    _check("LINK004", ERROR, "an experiment with no goal_id"),
    _check(
        "LINK005",
        WARNING,
        "a non-BHAG goal with no parent or an unknown one, or a cycle",
        "no_parent",
        "unknown_parent",
        "cycle",
    ),
    _check("METRIC001", WARNING, "more active metrics than the limit (5)"),
    _check("METRIC002", WARNING, "a goal whose active metrics are all lagging"),
    _check("METRIC003", ERROR, "a key result of a metric that is not in Metrics"),
    _check("METRIC004", INFO, "an active metric with no reading for a checked week"),
    _check("ACTION001", ERROR, "an experiment with a result but no next step or next action"),
    _check("ACTION002", WARNING, "a retrospective with no next action"),
    _check("ACTION003", WARNING, "a next step that is not Stop, Start or Continue"),
    _check("FLOW001", WARNING, "an owner's week without one of the three flows (one per flow)"),
    _check("FLOW002", WARNING, "two live levers in one flow for one owner in one week"),
    _check("FLOW003", WARNING, "a Learning lever done but applied nowhere"),
    _check("FLOW004", INFO, "a People lever with no counterpart"),
    _check("RISK001", WARNING, "more than 2 risks for one owner in one week"),
    _check("RISK002", WARNING, "a risk with no countermeasure"),
    _check(
        "PLAN001",
        WARNING,
        "an owner seen in the last 4 weeks with no plan this week, after Monday 12:00",
    ),
    _check("DATA001", ERROR, "a required input tab is missing"),
    _check("DATA002", ERROR, "a required column is missing"),
    _check("DATA003", WARNING, "a value that cannot be read, or a required value left empty"),
    _check("DATA004", ERROR, "a duplicate goal_id, metric_id or exp_id"),
)

CHECK: dict[str, Check] = {check.code: check for check in CHECKS}


def markdown_table() -> str:
    """The README's table of codes (``cog -r README.md`` writes it there)."""
    lines = ["| code | severity | flags |", "|---|---|---|"]
    lines += [f"| {c.code} | {c.severity} | {c.flags} |" for c in CHECKS]
    return "\n".join(lines)
