"""METRIC: few metrics, leading ones among them, and a reading whenever one is due."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from sync import messages
from sync.checks.context import CheckContext, runs
from sync.findings import Finding
from sync.goaltree import goal_tree
from sync.workbook.frames import goal_index, id_key, records, text
from sync.workbook.parse import Frames
from sync.workbook.values import shift_week, week_monday


def check_metric(frames: Frames, ctx: CheckContext) -> list[Finding]:
    if "metrics" not in frames.tables:
        return []
    metrics = frames.table("metrics").assign(key=lambda m: id_key(m["metric_id"]))
    active = metrics[metrics["active"] == "y"]
    findings: list[Finding] = []
    if runs(frames, "METRIC001", "metrics", "results"):
        findings += _too_many(frames, ctx, active)
    # Without a Goals tab METRIC002 still runs, on the goal's first metric.
    if runs(frames, "METRIC002", "metrics") and (
        "goals" not in frames.tables or runs(frames, "METRIC002", "goals")
    ):
        findings += _no_leading(frames, ctx, active)
    findings += _unknown_metric(frames, ctx, metrics)
    findings += _missing_readings(frames, ctx, active)
    return findings


def _read_weeks(frames: Frames) -> set[tuple[str, str]]:
    """(metric key, week) of every Key Results row with an actual."""
    if not frames.usable("results", "week", "metric_id", "actual"):
        return set()
    results = frames.table("results")
    read = results[results["actual"].notna() & results["week"].notna()]
    return set(zip(id_key(read["metric_id"]), read["week"], strict=True))


def _too_many(frames: Frames, ctx: CheckContext, active: pd.DataFrame) -> list[Finding]:
    """METRIC001, naming the metrics to retire first: no recent reading, then lagging, last added."""
    excess = len(active) - ctx.limits.max_metrics
    if excess <= 0:
        return []
    have = _read_weeks(frames)
    recent = [shift_week(ctx.week, -n) for n in range(ctx.limits.lookback_weeks + 1)]
    stale = [not any((r.key, w) in have for w in recent) for r in records(active)]
    ranked = active.assign(stale=stale, leads=active["kind"] == "leading").sort_values(
        ["stale", "leads", "row"], ascending=[False, True, False]
    )
    retire = []
    for r in records(ranked.head(excess)):
        name = f"{text(r.metric_id) or '?'} {text(r.name) or ''}".strip()
        if r.stale or r.kind == "lagging":
            why = "METRIC001.stale" if r.stale else "METRIC001.lagging"
            name = messages.render(why, ctx.locale, name=name, weeks=ctx.limits.lookback_weeks + 1)
        retire.append(name)
    return [
        ctx.finding(
            "METRIC001",
            tab="metrics",
            row=None,
            count=len(active),
            leading=int((active["kind"] == "leading").sum()),
            lagging=int((active["kind"] == "lagging").sum()),
            limit=ctx.limits.max_metrics,
            retire=", ".join(retire),
        )
    ]


def _no_leading(frames: Frames, ctx: CheckContext, active: pd.DataFrame) -> list[Finding]:
    """METRIC002: a goal with active metrics and no leading one anywhere in its subtree.

    A yearly goal measured by revenue is served by the leading metrics of the
    quarterly goals under it. The finding sits on the goal's row when the goal
    is known, else on its first metric.
    """
    linked = active.assign(goal=id_key(active["goal_id"]))
    linked = linked[linked["goal"].notna()]
    goals = goal_index(frames) if "goals" in frames.tables else pd.DataFrame()
    tree = goal_tree(goals) if len(goals) else None
    leading_goals = set(linked.loc[linked["kind"] == "leading", "goal"])
    findings: list[Finding] = []
    for goal, group in linked.groupby("goal", sort=False):
        subtree = tree.subtree(str(goal)) if tree is not None else frozenset({str(goal)})
        if subtree & leading_goals:
            continue
        first = next(records(group))
        known = goal in goals.index
        at = next(records(goals.loc[[goal]])) if known else first
        findings.append(
            ctx.finding(
                "METRIC002",
                tab="goals" if known else "metrics",
                row=int(at.row),
                owner=text(at.owner) if known else None,
                subject=text(first.goal_id) or "",
                goal_id=text(first.goal_id) or "",
                title=(text(at.title) if known else None) or "?",
                count=len(group),
            )
        )
    return findings


def _unknown_metric(frames: Frames, ctx: CheckContext, metrics: pd.DataFrame) -> list[Finding]:
    if not runs(frames, "METRIC003", "results", "metrics"):
        return []
    results = frames.table("results")
    keys = id_key(results["metric_id"])
    return [
        ctx.for_row(
            "METRIC003",
            "results",
            r,
            subject=text(r.metric_id) or "",
            metric_id=text(r.metric_id) or "",
        )
        for r in records(results[keys.notna() & ~keys.isin(metrics["key"])])
    ]


def reading_period(week: str, cadence: object) -> tuple[str, ...]:
    """The weeks whose reading counts for a metric due at the end of ``week``; () when none is.

    A weekly metric is due every week. A monthly (quarterly) one is due in the
    last week of its month (quarter), and any reading in that month (quarter)
    counts. A week belongs to the month of its Thursday, as ISO weeks belong to years.
    """
    if cadence not in ("monthly", "quarterly"):
        return (week,)

    def period(w: str) -> tuple[int, int]:
        thursday = week_monday(w) + timedelta(days=3)
        part = thursday.month if cadence == "monthly" else (thursday.month - 1) // 3
        return thursday.year, part

    if period(shift_week(week, 1)) == period(week):
        return ()
    weeks = [week]
    while period(shift_week(weeks[-1], -1)) == period(week):
        weeks.append(shift_week(weeks[-1], -1))
    return tuple(weeks)


def _missing_readings(frames: Frames, ctx: CheckContext, active: pd.DataFrame) -> list[Finding]:
    """METRIC004 for each active metric with no reading for a checked week that has ended.

    A reading is due once its week is over, and only in the weeks its cadence asks
    for: a monthly metric is not nagged weekly, a week eight hours old not at all.
    The optional cadence column is not among the columns METRIC004 must have: without
    it every metric is weekly.
    """
    if not runs(frames, "METRIC004", "metrics", "results"):
        return []
    have = _read_weeks(frames)
    findings: list[Finding] = []
    for week in ctx.weeks:
        if not ctx.week_over(week):
            continue
        for r in records(active[active["key"].notna()]):
            due = reading_period(week, r.cadence)
            if not due or any((r.key, w) in have for w in due):
                continue
            periodic = r.cadence in ("monthly", "quarterly")
            findings.append(
                ctx.finding(
                    "METRIC004",
                    message="METRIC004.period" if periodic else None,
                    tab="metrics",
                    row=r.row,
                    week=week,
                    subject=text(r.metric_id) or "",
                    metric_id=text(r.metric_id) or "",
                    name=text(r.name) or "",
                    period=messages.period_words(week, str(r.cadence), ctx.locale),
                )
            )
    return findings
