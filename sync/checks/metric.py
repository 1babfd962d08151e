"""METRIC: few metrics, leading ones among them, and a reading every week."""

from __future__ import annotations

import pandas as pd

from sync.checks.context import CheckContext, runs
from sync.findings import Finding
from sync.workbook.frames import goal_index, id_key, records, text
from sync.workbook.parse import Frames


def check_metric(frames: Frames, ctx: CheckContext) -> list[Finding]:
    if "metrics" not in frames.tables:
        return []
    metrics = frames.table("metrics").assign(key=lambda m: id_key(m["metric_id"]))
    active = metrics[metrics["active"] == "y"]
    findings: list[Finding] = []
    if runs(frames, "METRIC001", "metrics"):
        findings += _too_many(ctx, active)
    # Without a Goals tab METRIC002 still runs, on the goal's first metric.
    if runs(frames, "METRIC002", "metrics") and (
        "goals" not in frames.tables or runs(frames, "METRIC002", "goals")
    ):
        findings += _no_leading(frames, ctx, active)
    findings += _unknown_metric(frames, ctx, metrics)
    findings += _missing_readings(frames, ctx, active)
    return findings


def _too_many(ctx: CheckContext, active: pd.DataFrame) -> list[Finding]:
    if len(active) <= ctx.limits.max_metrics:
        return []
    return [
        ctx.finding(
            "METRIC001",
            tab="metrics",
            row=None,
            count=len(active),
            leading=int((active["kind"] == "leading").sum()),
            lagging=int((active["kind"] == "lagging").sum()),
            limit=ctx.limits.max_metrics,
        )
    ]


def _no_leading(frames: Frames, ctx: CheckContext, active: pd.DataFrame) -> list[Finding]:
    """METRIC002 sits on the goal's row when the goal is known, else on its first metric."""
    linked = active.assign(goal=id_key(active["goal_id"]))
    linked = linked[linked["goal"].notna()]
    goals = goal_index(frames) if "goals" in frames.tables else pd.DataFrame()
    findings: list[Finding] = []
    for goal, group in linked.groupby("goal", sort=False):
        if (group["kind"] == "leading").any():
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


def _missing_readings(frames: Frames, ctx: CheckContext, active: pd.DataFrame) -> list[Finding]:
    """METRIC004 for each active metric and each checked week with no actual recorded."""
    if not runs(frames, "METRIC004", "metrics", "results"):
        return []
    results = frames.table("results")
    read = results[results["actual"].notna() & results["week"].isin(ctx.weeks)]
    have = set(zip(id_key(read["metric_id"]), read["week"], strict=True))
    findings: list[Finding] = []
    for week in ctx.weeks:
        for r in records(active[active["key"].notna()]):
            if (r.key, week) not in have:
                findings.append(
                    ctx.finding(
                        "METRIC004",
                        tab="metrics",
                        row=r.row,
                        week=week,
                        subject=text(r.metric_id) or "",
                        metric_id=text(r.metric_id) or "",
                        name=text(r.name) or "",
                    )
                )
    return findings
