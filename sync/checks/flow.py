"""FLOW: one Business, one Learning and one People lever per person per week."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sync.checks.context import CheckContext, runs
from sync.findings import Finding
from sync.workbook.contract import FLOW
from sync.workbook.frames import records, text
from sync.workbook.parse import Frames


def check_flow(frames: Frames, ctx: CheckContext) -> list[Finding]:
    if "plan" not in frames.tables:
        return []
    plan = frames.table("plan")
    findings: list[Finding] = []
    recent = plan[plan["week"].isin(ctx.weeks) & plan["owner"].notna()]
    if runs(frames, "FLOW001", "plan"):
        findings += _missing_flows(recent, ctx)
    if runs(frames, "FLOW002", "plan"):
        findings += _extra_levers(recent, ctx)
    if runs(frames, "FLOW003", "plan"):
        learning_done = (plan["flow"] == "learning") & (plan["status"] == "done")
        for r in records(plan[learning_done & plan["applied_to"].isna()]):
            findings.append(_lever_finding("FLOW003", r, ctx))
    if runs(frames, "FLOW004", "plan"):
        for r in records(plan[(plan["flow"] == "people") & plan["counterpart"].isna()]):
            findings.append(_lever_finding("FLOW004", r, ctx))
    return findings


def _lever_finding(code: str, r: Any, ctx: CheckContext) -> Finding:
    lever = text(r.lever) or ""
    return ctx.for_row(code, "plan", r, subject=lever, lever=lever)


def _missing_flows(recent: pd.DataFrame, ctx: CheckContext) -> list[Finding]:
    """FLOW001, one per missing flow, on the owner's first lever row of that week.

    Only for weeks whose plan is due: before Monday noon a plan is still being written.
    """
    due = recent[recent["week"].isin([w for w in ctx.weeks if ctx.plan_due(w)])]
    first: dict[tuple[str, str], Any] = {}
    present: dict[tuple[str, str], set[str]] = {}
    for r in records(due.sort_values("row")):
        first.setdefault((r.owner, r.week), r)
        present.setdefault((r.owner, r.week), set()).add(r.flow)
    return [
        ctx.for_row("FLOW001", "plan", first[key], subject=flow, flow=words(ctx.locale))
        for key in sorted(first)
        for flow, words in FLOW.values.items()
        if flow not in present[key]
    ]


def _extra_levers(recent: pd.DataFrame, ctx: CheckContext) -> list[Finding]:
    """FLOW002 on the second lever of a flow; a dropped lever was replaced, not doubled."""
    live = recent[recent["flow"].notna() & (recent["status"] != "dropped")].sort_values("row")
    same = live.groupby(["owner", "week", "flow"], sort=False)
    live = live.assign(nth=same.cumcount(), levers=same["row"].transform("size"))
    first = {(r.owner, r.week, r.flow): r.lever for r in records(live[live["nth"] == 0])}
    return [
        ctx.for_row(
            "FLOW002",
            "plan",
            r,
            subject=str(r.flow),
            flow=FLOW.values[str(r.flow)](ctx.locale),
            count=int(r.levers),
            lever=text(first[r.owner, r.week, r.flow]) or "",
        )
        for r in records(live[live["nth"] == 1])
    ]
