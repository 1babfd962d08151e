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

from sync.workbook.contract import TAB, Bilingual, Tab


class Severity(StrEnum):
    """How much a finding matters; the order of definition is the order a lead reads."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors: they come first in every listing."""
        return _RANK[self]

    @property
    def words(self) -> Bilingual:
        return _SEVERITY_WORDS[self]


_RANK = {severity: rank for rank, severity in enumerate(Severity)}
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

# The columns that place a finding: its owner and week.
_WHO = ("owner", "week")


def _check(
    code: str,
    severity: Severity,
    flags: str,
    *,
    variants: tuple[str, ...] = ("",),
    reads: Mapping[str, tuple[str, ...]] | None = None,
) -> Check:
    """``variants`` name the messages: "" is the code's own, "cycle" is CODE.cycle."""
    return Check(
        code=code,
        severity=severity,
        flags=flags,
        messages=tuple(f"{code}.{v}" if v else code for v in variants),
        reads=reads or {},
    )


CHECKS: tuple[Check, ...] = (
    _check(
        "LINK001",
        ERROR,
        "a Weekly Plan row (a lever) with no goal_id: unlinked work",
        reads={"plan": ("goal_id", "lever", "flow", *_WHO)},
    ),
    _check(
        "LINK002",
        ERROR,
        "a goal_id (Weekly Plan, Experiment Log, Metrics) that is not in Goals",
        reads={
            "plan": ("goal_id", "lever", *_WHO),
            "experiments": ("goal_id", "exp_id", *_WHO),
            "metrics": ("goal_id", "metric_id"),
            "goals": ("goal_id",),
        },
    ),
    _check(
        "LINK003",
        WARNING,
        "a lever or experiment linked to a goal that is done or dropped",
        reads={
            "plan": ("goal_id", "lever", *_WHO),
            "experiments": ("goal_id", "exp_id", *_WHO),
            "goals": ("goal_id", "title", "status"),
        },
    ),
    _check(
        "LINK004",
        ERROR,
        "an Experiment Log row with no goal_id",
        reads={"experiments": ("goal_id", "exp_id", "hypothesis", *_WHO)},
    ),
    _check(
        "LINK005",
        WARNING,
        "a non-BHAG goal with no parent or an unknown one, or a goal that is its own ancestor",
        variants=("no_parent", "unknown_parent", "cycle"),
        reads={"goals": ("goal_id", "level", "parent_id", "title", "owner")},
    ),
    _check(
        "METRIC001",
        WARNING,
        "more active metrics (leading and lagging together) than the limit, 5 by default; names the ones to retire first",
        variants=("", "stale", "lagging"),
        # Key Results only name the metrics to retire first: those with no recent reading.
        reads={
            "metrics": ("kind", "active", "metric_id", "name"),
            "results": ("week", "metric_id", "actual"),
        },
    ),
    _check(
        "METRIC002",
        WARNING,
        "a goal whose active metrics are all lagging, with no leading one under it",
        # Without a Goals tab it still runs, on the goal's first metric.
        reads={
            "metrics": ("goal_id", "kind", "active"),
            "goals": ("goal_id", "parent_id", "title", "owner"),
        },
    ),
    _check(
        "METRIC003",
        ERROR,
        "a Key Results row whose metric_id is not in Metrics",
        reads={"results": ("metric_id", "week"), "metrics": ("metric_id",)},
    ),
    _check(
        "METRIC004",
        INFO,
        "an active metric with no Key Results reading for a checked week that is over",
        variants=("", "period"),
        reads={
            "metrics": ("metric_id", "name", "active"),
            "results": ("week", "metric_id", "actual"),
        },
    ),
    _check(
        "ACTION001",
        ERROR,
        "an experiment with a result but no next step or next action",
        reads={
            "experiments": (
                "result",
                "next_step",
                "next_action",
                "exp_id",
                "hypothesis",
                *_WHO,
            )
        },
    ),
    _check(
        "ACTION002",
        WARNING,
        "a Retro row with no next action",
        reads={"retro": ("next_action", *_WHO)},
    ),
    _check(
        "ACTION003",
        WARNING,
        "a next step (experiment or retro) that is not Stop, Start or Continue",
        variants=("", "retro"),
        reads={"experiments": ("next_step", "exp_id", *_WHO)},
    ),
    _check(
        "FLOW001",
        WARNING,
        "an owner's week without one of the three flows (one finding per missing flow)",
        reads={"plan": ("flow", *_WHO)},
    ),
    _check(
        "FLOW002",
        WARNING,
        "two live levers in one flow for one owner in one week",
        reads={"plan": ("flow", "status", "lever", *_WHO)},
    ),
    _check(
        "FLOW003",
        WARNING,
        "a Learning lever marked done with nothing in applied_to",
        reads={"plan": ("flow", "status", "applied_to", "lever", *_WHO)},
    ),
    _check(
        "FLOW004",
        INFO,
        "a People lever with no counterpart",
        reads={"plan": ("flow", "counterpart", "lever", *_WHO)},
    ),
    _check(
        "RISK001",
        WARNING,
        "more than 2 risks for one owner in one week (limit configurable)",
        reads={"risks": _WHO},
    ),
    _check(
        "RISK002",
        WARNING,
        "a risk with no countermeasure",
        reads={"risks": ("countermeasure", "risk", *_WHO)},
    ),
    _check(
        "PLAN001",
        WARNING,
        "an owner seen in the last 4 weeks with no plan for the week once its deadline has passed (Monday 12:00 in the team's time zone by default)",
        reads={"plan": _WHO},
    ),
    _check("DATA001", ERROR, "a required input tab is missing"),
    _check(
        "DATA002",
        ERROR,
        "a required column, or one a check reads, is missing: the checks that read it do not run",
        variants=("", "like", "skipped", "skipped_like"),
    ),
    _check("DATA003", WARNING, "a value that cannot be read, or a required value left empty"),
    _check(
        "DATA004",
        ERROR,
        "a duplicate goal_id, metric_id or exp_id",
        reads={
            "goals": ("goal_id", "owner"),
            "metrics": ("metric_id",),
            "experiments": ("exp_id", *_WHO),
        },
    ),
    _check(
        "DATA005",
        ERROR,
        "two tabs that match one input tab (`주간 계획` and `주간계획`): neither is read",
    ),
)

CHECK: dict[str, Check] = {check.code: check for check in CHECKS}


def skipped_by(tab: str, column: str) -> tuple[str, ...]:
    """The codes that do not run when ``column`` of ``tab`` is missing."""
    return tuple(c.code for c in CHECKS if column in c.reads.get(tab, ()))


def markdown_table() -> str:
    """The table of codes in README.md and docs/WORKBOOK.md (``make format`` writes it there)."""
    lines = ["| code | severity | flags |", "|---|---|---|"]
    lines += [f"| {c.code} | {c.severity} | {c.flags} |" for c in CHECKS]
    return "\n".join(lines)


def reads_table() -> str:
    """docs/WORKBOOK.md's table of the columns each check reads (``cog -r`` writes it there)."""
    lines = ["| code | reads |", "|---|---|"]
    for c in CHECKS:
        if c.reads:
            tabs = "; ".join(_reads(TAB[t], cols) for t, cols in c.reads.items())
            lines.append(f"| {c.code} | {tabs} |")
    return "\n".join(lines)


def _reads(tab: Tab, columns: tuple[str, ...]) -> str:
    names = " · ".join(f"{c} {tab.column(c).name.ko}" for c in columns)
    return f"{tab.name.en} / {tab.name.ko}: {names}"
