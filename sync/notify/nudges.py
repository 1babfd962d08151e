"""Who is due which nudge at this moment. Pure: frames and a clock in, nudges out.

A nudge goes *before* a deadline, to the person who has not yet done the
thing: the Monday plan nudge to each owner seen in the last weeks with no plan
this week, the Friday retro nudge to each owner who planned this week and has
no retro for it. A nudge is due from its time until the end of that day (the
plan nudge only until the plan deadline), never in the quiet hours and never
on a public holiday, so that a cycle at any moment asks the same question and
a cron job and the worker behave alike. Whether it was already sent is the
caller's business (the state tab).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from sync.checks.context import CheckContext
from sync.workbook.frames import owners_by_week, planless_owners
from sync.workbook.parse import Frames

from .timing import end_of_day, is_holiday, is_quiet, last_fired

NudgeKind = Literal["plan", "retro"]


@dataclass(frozen=True, kw_only=True)
class NudgeRules:
    """When a team's nudges go out, from ``[teams.notify]`` and ``[teams] holidays``."""

    plan_at: str = "mon 10:00"
    retro_at: str = "fri 16:00"
    quiet: tuple[time, time] | None = (time(21, 0), time(8, 0))
    holidays: str | None = None


@dataclass(frozen=True)
class Nudge:
    kind: NudgeKind
    week: str
    owner: str
    until: datetime  # when the window closes: the plan deadline, or the end of the day


def due_nudges(frames: Frames, ctx: CheckContext, rules: NudgeRules) -> list[Nudge]:
    """Every nudge due at ``ctx.now``, in the team's time zone, to whom it concerns."""
    now, week = ctx.now, ctx.week
    if is_quiet(now, rules.quiet) or is_holiday(now.date(), rules.holidays):
        return []
    out: list[Nudge] = []
    plan_at = last_fired(rules.plan_at, now)
    deadline = ctx.plan_deadline(week)
    if plan_at is not None and plan_at.date() == now.date() and now < deadline:
        until = min(deadline, end_of_day(plan_at))
        lookback = ctx.limits.lookback_weeks
        out += [Nudge("plan", week, o, until) for o in planless_owners(frames, week, lookback)]
    retro_at = last_fired(rules.retro_at, now)
    if retro_at is not None and retro_at.date() == now.date():
        until = end_of_day(retro_at)
        out += [Nudge("retro", week, o, until) for o in retroless_owners(frames, week)]
    return out


def retroless_owners(frames: Frames, week: str) -> list[str]:
    """Owners who planned ``week`` and have written no retro for it."""
    planned = owners_by_week(frames, "plan").get(week, set())
    return sorted(planned - owners_by_week(frames, "retro").get(week, set()))


def next_row(frames: Frames, key: str) -> int:
    """The sheet row under a tab's last row: where the next entry goes."""
    if key not in frames.tables or not len(frames.table(key)):
        return 2
    return int(frames.table(key)["row"].max()) + 1
