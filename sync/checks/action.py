"""ACTION: every experiment with a result and every retrospective ends in a next action."""

from __future__ import annotations

from sync.checks.context import CheckContext, runs
from sync.findings import Finding
from sync.workbook.contract import RESULT
from sync.workbook.frames import records, text
from sync.workbook.parse import Frames


def check_action(frames: Frames, ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    if "experiments" in frames.tables:
        exps = frames.table("experiments")
        # A next_step that is filled but not Stop/Start/Continue is ACTION003.
        invalid = _invalid_steps(frames, "experiments")
        ended = exps["result"].notna() & runs(frames, "ACTION001", "experiments")
        for r in records(exps[ended & ~frames.next_action_given()]):
            findings.append(
                ctx.for_row(
                    "ACTION001",
                    "experiments",
                    r,
                    subject=text(r.exp_id) or "",
                    exp_id=text(r.exp_id) or "",
                    hypothesis=text(r.hypothesis) or "",
                    result=RESULT.values[r.result](ctx.locale),
                )
            )
        for r in records(
            exps[exps["row"].isin(invalid) & runs(frames, "ACTION003", "experiments")]
        ):
            findings.append(
                ctx.for_row(
                    "ACTION003",
                    "experiments",
                    r,
                    subject=text(r.exp_id) or "",
                    exp_id=text(r.exp_id) or "",
                    value=invalid[r.row],
                )
            )
    if runs(frames, "ACTION002", "retro"):
        retro = frames.table("retro")
        for r in records(retro[retro["next_action"].isna()]):
            findings.append(
                ctx.for_row(
                    "ACTION002",
                    "retro",
                    r,
                    subject=f"{text(r.owner) or ''} {text(r.week) or ''}",
                )
            )
        steps = _invalid_steps(frames, "retro")
        for r in records(retro[retro["row"].isin(steps)]):
            findings.append(
                ctx.finding(
                    "ACTION003",
                    message="ACTION003.retro",
                    tab="retro",
                    row=r.row,
                    owner=text(r.owner),
                    week=text(r.week),
                    subject=f"{text(r.owner) or ''} {text(r.week) or ''}",
                    value=steps[r.row],
                )
            )
    return findings


def _invalid_steps(frames: Frames, tab: str) -> dict[int, str]:
    """Row -> the next_step typed that is not Stop, Start or Continue (ACTION003, not DATA003)."""
    return {
        p.row: p.value
        for p in frames.problems
        if p.tab == tab and p.column == "next_step" and p.reason != "blank"
    }
