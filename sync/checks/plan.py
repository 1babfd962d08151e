"""PLAN: everyone who has been planning keeps planning, once the week's deadline has passed."""

from __future__ import annotations

from sync.checks.context import CheckContext, runs
from sync.findings import Finding
from sync.workbook.parse import Frames
from sync.workbook.values import shift_week


def check_plan(frames: Frames, ctx: CheckContext) -> list[Finding]:
    if not runs(frames, "PLAN001", "plan"):
        return []
    plan = frames.table("plan")
    plan = plan[plan["week"].notna() & plan["owner"].notna()]
    owners_by_week = plan.groupby("week")["owner"].agg(set).to_dict()
    findings: list[Finding] = []
    for week in ctx.weeks:
        if not ctx.plan_due(week):
            continue
        deadline = ctx.plan_deadline(week)
        lookback = [shift_week(week, -n) for n in range(1, ctx.limits.lookback_weeks + 1)]
        seen = set().union(*(owners_by_week.get(w, set()) for w in lookback))
        for owner in sorted(seen - owners_by_week.get(week, set())):
            findings.append(
                ctx.finding(
                    "PLAN001",
                    tab="plan",
                    row=None,
                    owner=owner,
                    week=week,
                    subject=owner,
                    deadline=deadline,
                )
            )
    return findings
