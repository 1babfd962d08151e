"""LINK: is every piece of work linked to a goal that exists and is still open?"""

from __future__ import annotations

import pandas as pd

from sync import messages
from sync.checks.context import CheckContext, runs
from sync.findings import Finding
from sync.workbook.contract import FLOW, GOAL_STATUS, LEVEL
from sync.workbook.frames import goal_index, id_key, id_of, records, text
from sync.workbook.parse import Frames

# The tabs whose rows link to a goal, with the column that names the row.
_LINKED = {"plan": "lever", "experiments": "exp_id", "metrics": "metric_id"}
# Metrics are not work: a metric of a finished goal is not LINK003.
_WORK = ("plan", "experiments")


def check_link(frames: Frames, ctx: CheckContext) -> list[Finding]:
    findings = _unlinked(frames, ctx)
    if frames.usable("goals", "goal_id"):
        goals = goal_index(frames)
        linked = {tab: _linked(frames, tab) for tab in _LINKED if tab in frames.tables}
        findings += _unknown(frames, ctx, goals, linked) + _closed(frames, ctx, goals, linked)
        if runs(frames, "LINK005", "goals"):
            findings += _hierarchy(ctx, goals)
    return findings


def _unlinked(frames: Frames, ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    if runs(frames, "LINK001", "plan"):
        plan = frames.table("plan")
        for r in records(plan[plan["goal_id"].isna()]):
            lever = text(r.lever) or ""
            findings.append(
                ctx.for_row(
                    "LINK001",
                    "plan",
                    r,
                    subject=lever,
                    lever=lever,
                    flow=FLOW.values[r.flow](ctx.locale) if isinstance(r.flow, str) else "?",
                )
            )
    if runs(frames, "LINK004", "experiments"):
        exps = frames.table("experiments")
        for r in records(exps[exps["goal_id"].isna()]):
            findings.append(
                ctx.for_row(
                    "LINK004",
                    "experiments",
                    r,
                    subject=text(r.exp_id) or "",
                    exp_id=text(r.exp_id) or "",
                    hypothesis=text(r.hypothesis) or "",
                )
            )
    return findings


def _linked(frames: Frames, tab: str) -> pd.DataFrame:
    """The tab's rows that name a goal, with the goal's id key in ``key``."""
    frame = frames.table(tab).assign(key=lambda f: id_key(f["goal_id"]))
    return frame[frame["key"].notna()]


def _unknown(
    frames: Frames, ctx: CheckContext, goals: pd.DataFrame, linked: dict[str, pd.DataFrame]
) -> list[Finding]:
    """LINK002: linked to a goal that is not in Goals."""
    findings: list[Finding] = []
    for tab, name_column in _LINKED.items():
        if not runs(frames, "LINK002", tab, "goals"):
            continue
        rows = linked[tab]
        for r in records(rows[~rows["key"].isin(goals.index)]):
            name = text(getattr(r, name_column)) or ""
            findings.append(
                ctx.for_row(
                    "LINK002",
                    tab,
                    r,
                    subject=name,
                    what=messages.subject(tab, name, ctx.locale),
                    goal_id=text(r.goal_id),
                )
            )
    return findings


def _closed(
    frames: Frames, ctx: CheckContext, goals: pd.DataFrame, linked: dict[str, pd.DataFrame]
) -> list[Finding]:
    """LINK003: work linked to a goal that is done or dropped."""
    findings: list[Finding] = []
    finished = goals[goals["status"].isin(["done", "dropped"])]
    closed = dict(zip(finished.index, records(finished), strict=True))
    for tab in _WORK:
        if not runs(frames, "LINK003", tab, "goals"):
            continue
        rows = linked[tab]
        for r in records(rows[rows["key"].isin(finished.index)]):
            goal = closed[r.key]
            name = text(getattr(r, _LINKED[tab])) or ""
            findings.append(
                ctx.for_row(
                    "LINK003",
                    tab,
                    r,
                    subject=name,
                    what=messages.subject(tab, name, ctx.locale),
                    goal_id=text(r.goal_id),
                    title=text(goal.title) or "",
                    status=GOAL_STATUS.values[goal.status](ctx.locale),
                )
            )
    return findings


def _hierarchy(ctx: CheckContext, goals: pd.DataFrame) -> list[Finding]:
    """A non-BHAG goal needs a known parent; no goal may be its own ancestor."""
    findings: list[Finding] = []
    parent_of: dict[str, str] = {}
    for key, g in goals.iterrows():
        if parent_key := id_of(g["parent_id"]):
            parent_of[str(key)] = parent_key

    def finding(g: pd.Series, message: str, **params: str) -> Finding:
        return ctx.for_row(
            "LINK005",
            "goals",
            g,
            message=message,
            subject=text(g["goal_id"]) or "",
            goal_id=text(g["goal_id"]) or "",
            title=text(g["title"]) or "",
            **params,
        )

    for key, g in goals.iterrows():
        parent = parent_of.get(str(key))
        level = g["level"]
        if parent is None:
            if isinstance(level, str) and level != "bhag":
                findings.append(
                    finding(g, "LINK005.no_parent", level=LEVEL.values[level](ctx.locale))
                )
        elif parent not in goals.index:
            findings.append(
                finding(g, "LINK005.unknown_parent", parent_id=text(g["parent_id"]) or "")
            )
        elif cycle := _cycle_from(str(key), parent_of):
            path = " → ".join(text(goals.loc[k, "goal_id"]) or k for k in cycle)
            findings.append(finding(g, "LINK005.cycle", path=path))
    return findings


def _cycle_from(start: str, parent_of: dict[str, str]) -> list[str]:
    """The loop back to ``start`` through parents, or [] when ``start`` is on no loop."""
    path, seen, node = [start], {start}, parent_of.get(start)
    while node is not None:
        path.append(node)
        if node == start:
            return path
        if node in seen:
            return []
        seen.add(node)
        node = parent_of.get(node)
    return []
