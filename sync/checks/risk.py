"""RISK: at most a few risks per person per week, each with a countermeasure."""

from __future__ import annotations

from sync.checks.context import CheckContext, runs
from sync.findings import Finding
from sync.workbook.frames import records, text
from sync.workbook.parse import Frames


def check_risk(frames: Frames, ctx: CheckContext) -> list[Finding]:
    if "risks" not in frames.tables:
        return []
    risks = frames.table("risks")
    limit = ctx.limits.max_risks_per_week
    findings: list[Finding] = []
    if runs(frames, "RISK001", "risks"):
        recent = risks[risks["week"].isin(ctx.weeks) & risks["owner"].notna()]
        for (owner, week), group in recent.groupby(["owner", "week"], sort=True):
            if len(group) > limit:
                first_extra = group.sort_values("row").iloc[limit]
                findings.append(
                    ctx.for_row(
                        "RISK001",
                        "risks",
                        first_extra,
                        subject=f"{owner} {week}",
                        count=len(group),
                        limit=limit,
                    )
                )
    if runs(frames, "RISK002", "risks"):
        for r in records(risks[risks["countermeasure"].isna()]):
            risk = text(r.risk) or ""
            findings.append(ctx.for_row("RISK002", "risks", r, subject=risk, risk=risk))
    return findings
