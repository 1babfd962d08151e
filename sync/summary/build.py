"""The Weekly Summary as data: pure functions from frames and findings to sections.

A lead opening the sheet on Monday reads, top to bottom: the method's three
questions answered for this week, the goals with the work linked to them,
linkage, the three flows per person, key results (leading first),
experiments, risks, findings, the retrospective, and a 12-week history.
Every block compares the current week with the one before it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from sync.checks.context import CheckContext
from sync.core import Cell, Locale
from sync.findings import Finding
from sync.messages import summary_label as label
from sync.workbook.contract import (
    FLOW,
    GOAL_STATUS,
    LEVEL,
    METRIC_KIND,
    PLAN_STATUS,
    RESULT,
    Bilingual,
)
from sync.workbook.frames import goal_index, id_key, id_of, records, text
from sync.workbook.parse import Frames
from sync.workbook.values import shift_week

HISTORY_WEEKS = 12
FLOWS = tuple(FLOW.values)


@dataclass(frozen=True)
class Section:
    """One block of the summary: a title, an optional header row, and rows of cells."""

    key: str
    title: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()


@dataclass(frozen=True)
class Series:
    """One line of the history: a label and a value per week (None where there is none)."""

    key: str
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Summary:
    team: str
    week: str
    previous: str
    locale: Locale
    sections: tuple[Section, ...]
    weeks: tuple[str, ...] = ()
    history: tuple[Series, ...] = field(default=())

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def series(self, key: str) -> Series:
        return next(s for s in self.history if s.key == key)


def build_summary(
    frames: Frames, findings: Sequence[Finding], ctx: CheckContext, *, team: str
) -> Summary:
    """The Weekly Summary of one team for ``ctx.week``."""
    loc = ctx.locale
    week, previous = ctx.weeks
    plan = _plan(frames)
    linked = _linked(frames, plan)
    weeks = tuple(shift_week(week, -n) for n in range(HISTORY_WEEKS - 1, -1, -1))
    history = _history(frames, plan, linked, findings, weeks, loc)
    sections = (
        _questions(frames, plan, linked, week, previous, loc),
        _goals(frames, plan, week, previous, loc),
        _linkage(plan, linked, week, previous, loc),
        _flows(plan, week, previous, loc, frames),
        _key_results(frames, week, previous, loc),
        _experiments(frames, week, previous, loc),
        _risks(frames, week, loc),
        _findings(findings, week, previous, loc),
        _retro(frames, week, previous, loc),
    )
    return Summary(team, week, previous, loc, sections, weeks, history)


# --------------------------------------------------------------------------- shared frames


def _plan(frames: Frames) -> pd.DataFrame:
    plan = frames.table("plan")
    return plan[plan["week"].notna()]


def _linked(frames: Frames, plan: pd.DataFrame) -> pd.Series:
    """Per plan row: linked to a known, active goal."""
    if not frames.usable("goals", "goal_id"):
        return pd.Series(False, index=plan.index)
    goals = goal_index(frames)
    active = goals.index[goals["status"] == "active"]
    return id_key(plan["goal_id"]).isin(active)


def _rate(linked: pd.Series) -> float | None:
    return float(linked.mean()) if len(linked) else None


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _word(values: Mapping[str, Bilingual], value: object, loc: Locale) -> str:
    """The locale's word for a canonical enum value, or "-"."""
    words = values.get(value) if isinstance(value, str) else None
    return words(loc) if words is not None else "-"


# --------------------------------------------------------------------------- sections


def _questions(
    frames: Frames, plan: pd.DataFrame, linked: pd.Series, week: str, previous: str, loc: Locale
) -> Section:
    """The method's three weekly questions, answered from the sheet."""
    this = plan["week"] == week
    business = plan[this & (plan["flow"] == "business")]
    repeated = [
        f"{text(r.lever)} ({text(r.owner)}, {_word(PLAN_STATUS.values, r.status, loc)})"
        for r in records(business)
    ]
    unlinked = [f"{text(r.lever)} ({text(r.owner)})" for r in records(plan[this & ~linked])]
    link_answer = label(
        "linked_answer",
        loc,
        rate=_percent(_rate(linked[this])),
        done=int((this & linked).sum()),
        total=int(this.sum()),
    )
    if unlinked:
        link_answer += " " + label("unlinked_list", loc, items="; ".join(unlinked))
    changes = _retro_actions(frames, week, previous)
    rows = (
        (label("q_repeat", loc), "; ".join(repeated) or label("none", loc)),
        (label("q_linked", loc), link_answer),
        (label("q_change", loc), "; ".join(changes) or label("none", loc)),
    )
    return Section("questions", label("s_questions", loc, week=week), (), rows)


def _retro_actions(frames: Frames, week: str, previous: str) -> list[str]:
    """This week's retrospective next actions, or last week's when this week has none yet."""
    if "retro" not in frames.tables:
        return []
    retro = frames.table("retro")
    for w in (week, previous):
        rows = retro[(retro["week"] == w) & retro["next_action"].notna()]
        if len(rows):
            return [f"{text(r.next_action)} ({text(r.owner) or '-'})" for r in records(rows)]
    return []


def _goals(frames: Frames, plan: pd.DataFrame, week: str, previous: str, loc: Locale) -> Section:
    header = tuple(
        label(k, loc)
        for k in (
            "h_level",
            "h_goal_id",
            "h_goal",
            "h_status",
            "h_levers_this",
            "h_levers_last",
            "h_exps_this",
            "h_exps_last",
        )
    )
    if not frames.usable("goals", "goal_id"):
        return Section("goals", label("s_goals", loc), header)
    goals = frames.table("goals")
    exps = frames.table("experiments")
    plan_keys, exp_keys = id_key(plan["goal_id"]), id_key(exps["goal_id"])
    order = {"bhag": 0, "annual": 1, "quarter": 2}
    ranked = goals.assign(rank=goals["level"].map(order).fillna(3)).sort_values(["rank", "row"])
    rows = []
    for g in records(ranked):
        key = id_of(g.goal_id)
        if not key:
            continue
        rows.append(
            (
                _word(LEVEL.values, g.level, loc),
                text(g.goal_id),
                text(g.title),
                _word(GOAL_STATUS.values, g.status, loc),
                int(((plan_keys == key) & (plan["week"] == week)).sum()),
                int(((plan_keys == key) & (plan["week"] == previous)).sum()),
                int(((exp_keys == key) & (exps["week"] == week)).sum()),
                int(((exp_keys == key) & (exps["week"] == previous)).sum()),
            )
        )
    return Section("goals", label("s_goals", loc), header, tuple(rows))


def _linkage(
    plan: pd.DataFrame, linked: pd.Series, week: str, previous: str, loc: Locale
) -> Section:
    header = (
        label("h_week", loc),
        label("h_levers", loc),
        label("h_linked", loc),
        label("h_rate", loc),
    )
    rows: list[tuple[Cell, ...]] = []
    for w in (week, previous):
        mask = plan["week"] == w
        rows.append((w, int(mask.sum()), int((mask & linked).sum()), _percent(_rate(linked[mask]))))
    for r in records(plan[(plan["week"] == week) & ~linked]):
        rows.append((label("unlinked", loc), text(r.lever), text(r.owner), text(r.goal_id) or "-"))
    return Section("linkage", label("s_linkage", loc), header, tuple(rows))


def _flows(plan: pd.DataFrame, week: str, previous: str, loc: Locale, frames: Frames) -> Section:
    """Each owner's lever in each flow this week, with last week's beside it."""
    header = tuple(
        label(k, loc)
        for k in (
            "h_owner",
            "h_flow",
            "h_lever",
            "h_status",
            "h_target",
            "h_actual",
            "h_last_lever",
        )
    )
    this, last = plan[plan["week"] == week], plan[plan["week"] == previous]
    owners = sorted(set(this["owner"].dropna()) | set(last["owner"].dropna()))
    rows: list[tuple[Cell, ...]] = []
    for owner in owners:
        for flow in FLOWS:
            now = this[(this["owner"] == owner) & (this["flow"] == flow)]
            before = last[(last["owner"] == owner) & (last["flow"] == flow)]
            lever = "; ".join(text(v) or "" for v in now["lever"]) or "-"
            first = next(records(now), None)
            rows.append(
                (
                    owner,
                    FLOW.values[flow](loc),
                    lever,
                    _word(PLAN_STATUS.values, first.status, loc) if first is not None else "-",
                    _number(first.target) if first is not None else None,
                    _number(first.actual) if first is not None else None,
                    "; ".join(text(v) or "" for v in before["lever"]) or "-",
                )
            )
    missing = sorted(set(last["owner"].dropna()) - set(this["owner"].dropna()))
    if missing:
        rows.append((label("planned_nothing", loc), ", ".join(missing)))
    return Section("flows", label("s_flows", loc), header, tuple(rows))


def _number(value: object) -> float | None:
    """A frame's number cell as float, or None where it is missing."""
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return float(value)
    return None


def _key_results(frames: Frames, week: str, previous: str, loc: Locale) -> Section:
    header = tuple(
        label(k, loc)
        for k in (
            "h_metric",
            "h_kind",
            "h_goal_id",
            "h_target",
            "h_actual_this",
            "h_actual_last",
            "h_change",
        )
    )
    if not frames.usable("metrics", "metric_id"):
        return Section("results", label("s_results", loc), header)
    metrics = frames.table("metrics")
    active = metrics[metrics["active"] == "y"].assign(
        rank=lambda m: (m["kind"] != "leading").astype(int)
    )
    actual = _readings(frames)
    rows = []
    for m in records(active.sort_values(["rank", "row"])):
        key = id_of(m.metric_id)
        now, before = actual.get((key, week)), actual.get((key, previous))
        target = actual.get((key, week, "target"), _number(m.target))
        change = now - before if now is not None and before is not None else None
        name = f"{text(m.metric_id)} {text(m.name) or ''}".strip()
        rows.append(
            (
                name,
                _word(METRIC_KIND.values, m.kind, loc),
                text(m.goal_id),
                target,
                now,
                before,
                change,
            )
        )
    return Section("results", label("s_results", loc), header, tuple(rows))


def _readings(frames: Frames) -> dict[tuple[str, ...], float]:
    """(metric key, week) -> actual and (metric key, week, "target") -> target; the last row wins."""
    if not frames.usable("results", "week", "metric_id"):
        return {}
    out: dict[tuple[str, ...], float] = {}
    results = frames.table("results")
    for r in records(results.assign(key=id_key(results["metric_id"]))):
        if not isinstance(r.key, str) or not isinstance(r.week, str):
            continue
        if (actual := _number(r.actual)) is not None:
            out[(r.key, r.week)] = actual
        if (target := _number(r.target)) is not None:
            out[(r.key, r.week, "target")] = target
    return out


def _experiments(frames: Frames, week: str, previous: str, loc: Locale) -> Section:
    header = tuple(
        label(k, loc)
        for k in (
            "h_week",
            "h_started",
            "h_success",
            "h_failure",
            "h_inconclusive",
            "h_next_action",
        )
    )
    exps = frames.table("experiments")
    given = frames.next_action_given()
    rows: list[tuple[Cell, ...]] = []
    for w in (week, previous):
        mine = exps[exps["week"] == w]
        ended = mine[mine["result"].notna()]
        closed = ended[given[ended.index]]
        counts = Counter(mine["result"].dropna())
        rows.append(
            (
                w,
                len(mine),
                counts["success"],
                counts["failure"],
                counts["inconclusive"],
                f"{len(closed)}/{len(ended)}",
            )
        )
    open_ = exps[exps["week"].isin([week, previous]) & exps["result"].notna() & ~given]
    for r in records(open_):
        rows.append(
            (
                label("no_next_action", loc),
                text(r.exp_id),
                text(r.hypothesis),
                _word(RESULT.values, r.result, loc),
                text(r.owner),
            )
        )
    return Section("experiments", label("s_experiments", loc), header, tuple(rows))


def _risks(frames: Frames, week: str, loc: Locale) -> Section:
    header = tuple(label(k, loc) for k in ("h_owner", "h_risk", "h_countermeasure"))
    risks = frames.table("risks")
    this = risks[risks["week"] == week]
    rows = tuple(
        (text(r.owner), text(r.risk), text(r.countermeasure) or label("missing", loc))
        for r in records(this)
    )
    return Section("risks", label("s_risks", loc), header, rows)


def _findings(findings: Sequence[Finding], week: str, previous: str, loc: Locale) -> Section:
    header = tuple(label(k, loc) for k in ("h_code", "h_severity", "h_this", "h_last", "h_undated"))
    counts = Counter((f.code, f.severity, f.week) for f in findings)
    codes = sorted({(f.code, f.severity) for f in findings})
    rows = tuple(
        (
            code,
            sev.words(loc),
            counts[(code, sev, week)],
            counts[(code, sev, previous)],
            counts[(code, sev, None)],
        )
        for code, sev in codes
    )
    return Section("findings", label("s_findings", loc), header, rows)


def _retro(frames: Frames, week: str, previous: str, loc: Locale) -> Section:
    header = tuple(
        label(k, loc)
        for k in ("h_week", "h_owner", "h_moved", "h_applied", "h_partner", "h_next_action_retro")
    )
    retro = frames.table("retro")
    rows = tuple(
        (
            text(r.week),
            text(r.owner),
            text(r.moved_numbers),
            text(r.applied_learning),
            text(r.speed_partner),
            text(r.next_action) or label("missing", loc),
        )
        for r in records(
            retro[retro["week"].isin([week, previous])].sort_values(
                ["week", "row"], ascending=[False, True]
            )
        )
    )
    return Section("retro", label("s_retro", loc), header, rows)


# --------------------------------------------------------------------------- history


def _history(
    frames: Frames,
    plan: pd.DataFrame,
    linked: pd.Series,
    findings: Sequence[Finding],
    weeks: tuple[str, ...],
    loc: Locale,
) -> tuple[Series, ...]:
    in_weeks = plan[plan["week"].isin(weeks)]
    series: list[Series] = [
        Series(
            "linkage",
            label("hist_linkage", loc),
            tuple(_rate(linked[plan["week"] == w]) for w in weeks),
        )
    ]
    for flow in FLOWS:
        planned = in_weeks[in_weeks["flow"] == flow].groupby("week").size()
        done = (
            in_weeks[(in_weeks["flow"] == flow) & (in_weeks["status"] == "done")]
            .groupby("week")
            .size()
        )
        name = FLOW.values[flow](loc)
        series.append(
            Series(
                f"{flow}_planned",
                label("hist_planned", loc, flow=name),
                tuple(float(planned.get(w, 0)) for w in weeks),
            )
        )
        series.append(
            Series(
                f"{flow}_done",
                label("hist_done", loc, flow=name),
                tuple(float(done.get(w, 0)) for w in weeks),
            )
        )
    exps = frames.table("experiments")
    logged = exps.groupby("week").size()
    ended = exps[exps["result"].notna()]
    closed = ended[frames.next_action_given()[ended.index]].groupby("week").size()
    ended_n = ended.groupby("week").size()
    series.append(
        Series(
            "experiments",
            label("hist_experiments", loc),
            tuple(float(logged.get(w, 0)) for w in weeks),
        )
    )
    series.append(
        Series(
            "next_action",
            label("hist_next_action", loc),
            tuple(
                float(closed.get(w, 0)) / float(ended_n[w]) if ended_n.get(w, 0) else None
                for w in weeks
            ),
        )
    )
    per_week = Counter(f.week for f in findings)
    series.append(
        Series("findings", label("hist_findings", loc), tuple(float(per_week[w]) for w in weeks))
    )
    if frames.usable("metrics", "metric_id", "kind"):
        readings = _readings(frames)
        metrics = frames.table("metrics")
        leading = metrics[(metrics["active"] == "y") & (metrics["kind"] == "leading")]
        for m in records(leading):
            key = id_of(m.metric_id)
            name = f"{text(m.metric_id)} {text(m.name) or ''}".strip()
            series.append(
                Series(f"metric:{key}", name, tuple(readings.get((key, w)) for w in weeks))
            )
    return tuple(series)
