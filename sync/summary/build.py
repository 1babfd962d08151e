"""The Weekly Summary as data: pure functions from frames and findings to sections.

A lead opening the sheet on Monday morning reads, top to bottom: a verdict
(is the big goal moving?), the method's three questions answered for the week
in review, the leading indicators in the order the flow runs, the history,
the goal tree rolled up to the BHAG, and the details, each list under its own
header. Before the plan deadline the week in review is the last complete week,
with this week's plans so far; after it, the current week (``ctx.review_week``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

import pandas as pd

from sync.checks.context import CheckContext
from sync.core import Cell, Locale
from sync.findings import Finding
from sync.goaltree import goal_tree
from sync.messages import percent, person, shorten, week_words
from sync.messages import summary_label as label
from sync.summary.figures import Figure, figure, not_measured
from sync.workbook.contract import (
    CADENCE,
    FLOW,
    GOAL_STATUS,
    LEVEL,
    METRIC_KIND,
    NEXT_STEP,
    PLAN_STATUS,
    RESULT,
    Bilingual,
)
from sync.workbook.frames import goal_index, id_key, id_of, planless_owners, records, text
from sync.workbook.parse import Frames
from sync.workbook.values import person_key, shift_week

HISTORY_WEEKS = 12
FLOWS = tuple(FLOW.values)
# Checks that look only at the current week and the one before (docs/WORKBOOK.md,
# "Week checks"): left out of the history's findings count, which would otherwise
# always rise at its right edge.
WEEK_CHECKS = frozenset({"FLOW001", "FLOW002", "RISK001", "PLAN001", "METRIC004"})
UP, DOWN, FLAT = "↑", "↓", "→"
# A mark says the direction and whether it is good news: "↑ 나빠짐" for one more person
# without a plan. Each figure says which way is better; this is the only place marks are made.
Better = Literal["more", "less"]
Tone = Literal["better", "worse", "same"]
TONES: tuple[Tone, ...] = ("better", "worse", "same")
# A leading indicator's moves, in the goal tree: more is better.
_MOVES: tuple[tuple[str, Tone], ...] = ((UP, "better"), (FLAT, "same"), (DOWN, "worse"))


@dataclass(frozen=True)
class Section:
    """One block of the summary: a title, an optional header row, and rows of cells.

    ``wrap`` holds the indexes of columns with long text, which a sheet wraps. A
    section that could not be measured has its ``note`` as its one row, and no header.
    """

    key: str
    title: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    wrap: frozenset[int] = frozenset()
    note: str | None = None


@dataclass(frozen=True)
class Series:
    """One line of the history: a label and a value per week (None where there is none).

    A series that could not be measured has no value and says why in ``note``.
    """

    key: str
    label: str
    values: tuple[float | None, ...]
    note: str | None = None


@dataclass(frozen=True)
class Summary:
    """``week`` is the week in review, ``current`` the calendar's week (equal after the deadline)."""

    team: str
    week: str
    previous: str
    locale: Locale
    sections: tuple[Section, ...]
    weeks: tuple[str, ...] = ()
    history: tuple[Series, ...] = field(default=())
    current: str = ""

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def series(self, key: str) -> Series:
        return next(s for s in self.history if s.key == key)

    @property
    def title(self) -> str:
        return label(
            "title",
            self.locale,
            team=self.team,
            words=week_words(self.week, self.locale),
            week=self.week,
        )


def build_summary(
    frames: Frames, findings: Sequence[Finding], ctx: CheckContext, *, team: str
) -> Summary:
    """The Weekly Summary of one team for the week in review (``ctx.review_week``)."""
    loc = ctx.locale
    week = ctx.review_week
    previous = shift_week(week, -1)
    plan = _plan(frames)
    linked = _linked(frames, plan)
    weeks = _history_weeks(frames, week)
    readings, given = _readings(frames), frames.next_action_given()
    w = _Weeks(week, previous, loc, readings, given, frames)
    history = _history(frames, plan, linked, findings, weeks, w)
    built: tuple[Section | None, ...] = (
        _verdict(frames, plan, linked, ctx, w),
        _questions(frames, plan, linked, w),
        _unmeasured(_CHAIN, "s_chain", w) or _chain(frames, w, over=ctx.week_over(week)),
        _unmeasured(_GOALS, "s_goals", w) or _goals(frames, plan, w),
        _unmeasured(_LINKAGE, "s_linkage", w) or _linkage(plan, linked, w),
        _unmeasured(_UNLINKED, "s_unlinked", w) or _unlinked(w),
        _unmeasured(_FLOWS, "s_flows", w) or _flows(plan, w),
        _unmeasured(_NO_PLAN, "s_no_plan", w) or _no_plan(plan, ctx, w),
        _unmeasured(_RESULTS, "s_results", w) or _key_results(frames, w),
        _unmeasured(_EXPERIMENTS, "s_experiments", w) or _experiments(frames, w),
        _unmeasured(_NO_NEXT_ACTION, "s_no_next_action", w) or _no_next_action(frames, w),
        _unmeasured(_LESSONS, "s_lessons", w) or _lessons(frames, ctx, w),
        _unmeasured(_NEXT_STEPS, "s_next_steps", w) or _next_steps(frames, w),
        _unmeasured(_FEEDBACK, "s_feedback", w) or _feedback(frames, w),
        _unmeasured(_RISKS, "s_risks", w) or _risks(frames, w),
        _findings(findings, w),
    )
    sections = tuple(_or_none(s, loc) for s in built if s is not None)
    return Summary(team, week, previous, loc, sections, weeks, history, current=ctx.week)


# Detail lists that say "none" in a sentence when empty, rather than show a bare header.
_LISTS = frozenset(
    {"unlinked", "no_plan", "no_next_action", "lessons", "next_steps", "feedback", "risks"}
)


def _or_none(section: Section, loc: Locale) -> Section:
    if section.key not in _LISTS or section.rows:
        return section
    return Section(section.key, section.title, (), ((label("nothing", loc),),))


@dataclass(frozen=True)
class _Weeks:
    """What every section looks at: the weeks in review, the locale, the readings, the frames."""

    week: str
    previous: str
    loc: Locale
    readings: Mapping[tuple[str, ...], float]
    given: pd.Series  # per experiment: ended with a next action (Frames.next_action_given)
    frames: Frames

    def note(self, fig: Figure) -> str | None:
        """Why ``fig`` is not measured (a column or tab it reads is missing), or None."""
        return not_measured(self.frames, fig.reads, self.loc)


def _unmeasured(fig: Figure, title: str, w: _Weeks) -> Section | None:
    """The section of a figure that cannot be measured: its title and the note; else None.

    Sections whose title names the week take it; the others ignore the extra word.
    """
    note = w.note(fig)
    if note is None:
        return None
    name = label(title, w.loc, words=week_words(w.week, w.loc))
    return Section(fig.key, name, (), ((note,),), note=note)


def _measured(
    fig: Figure, w: _Weeks, what: str, row: Callable[[], tuple[Cell, ...]]
) -> tuple[Cell, ...]:
    """A verdict or question row: ``row()`` when ``fig`` can be measured, else no mark and the note.

    A figure that is not measured has no trend: it is never counted as a drop.
    """
    note = w.note(fig)
    if note is None:
        return row()
    return (None, what, note) if fig.key.startswith("v_") else (what, note)


# --------------------------------------------------------------------------- shared frames


def _plan(frames: Frames) -> pd.DataFrame:
    plan = frames.table("plan")
    return plan[plan["week"].notna()]


def _linked(frames: Frames, plan: pd.DataFrame) -> pd.Series:
    """Per plan row: linked to a known, active goal (what the linkage rate counts)."""
    if not frames.usable("goals", "goal_id"):
        return pd.Series(False, index=plan.index)
    goals = goal_index(frames)
    active = goals.index[goals["status"] == "active"]
    return id_key(plan["goal_id"]).isin(active)


Why = Literal["none", "unknown", "closed", "status"]


@dataclass(frozen=True)
class Unlinked:
    """A lever or experiment of a week that is not linked to an active goal, and why.

    One definition for the linkage rate, the summary's list and the lead's report, so the
    rate's "6 of 8" always leaves exactly the two levers the lists name.
    """

    tab: str  # "plan" or "experiments"
    row: int | None
    owner: str | None
    name: str  # the lever, or the experiment's id
    flow: str | None  # a lever's flow (canonical)
    goal_id: str | None
    why: Why
    title: str = ""  # the goal's, when it exists
    status: str | None = None  # the goal's, when it is done or dropped

    def reason(self, loc: Locale) -> str:
        """Why it does not count as linked: "linked to goal Q3, which is done"."""
        status = _word(GOAL_STATUS.values, self.status, loc)
        return label(
            f"why_{self.why}", loc, goal_id=self.goal_id or "", title=self.title, status=status
        )


def unlinked_work(frames: Frames, tab: str, week: str) -> tuple[Unlinked, ...]:
    """The rows of ``tab`` ("plan" or "experiments") in ``week`` not linked to an active goal."""
    table = frames.table(tab)
    rows = table[table["week"] == week]
    goals = goal_index(frames)
    out: list[Unlinked] = []
    for r, key in zip(records(rows), id_key(rows["goal_id"]), strict=True):
        goal = goals.loc[key] if isinstance(key, str) and key in goals.index else None
        if goal is not None and goal["status"] == "active":
            continue
        why: Why = (
            "none"
            if not isinstance(key, str)
            else "unknown"
            if goal is None
            else "closed"
            if goal["status"] in ("done", "dropped")
            else "status"
        )
        out.append(
            Unlinked(
                tab=tab,
                row=int(r.row) if _number(r.row) is not None else None,
                owner=text(r.owner),
                name=(text(r.lever) if tab == "plan" else text(r.exp_id)) or "?",
                flow=r.flow if tab == "plan" and isinstance(r.flow, str) else None,
                goal_id=text(r.goal_id),
                why=why,
                title=(text(goal["title"]) or "") if goal is not None else "",
                status=str(goal["status"]) if why == "closed" and goal is not None else None,
            )
        )
    return tuple(out)


def _rate(linked: pd.Series) -> float | None:
    return float(linked.mean()) if len(linked) else None


def _percent(value: float | None, loc: Locale) -> str:
    return "-" if value is None else percent(value, loc)


def _word(values: Mapping[str, Bilingual], value: object, loc: Locale) -> str:
    """The locale's word for a canonical enum value, or "-"."""
    words = values.get(value) if isinstance(value, str) else None
    return words(loc) if words is not None else "-"


def _tally(
    key: str, now: Sequence[str], before: Sequence[str], loc: Locale
) -> tuple[str | None, str, str]:
    """A verdict row that counts things to fix, this week against the week before: the mark
    (fewer is better), ``key``'s label, and the items (or ``key``'s "none" sentence)."""
    text = (
        label(key, loc, n=len(now), items=", ".join(now), before=len(before))
        if now
        else label(f"{key}_none", loc, before=len(before))
    )
    return (_mark(len(now), len(before), loc, better="less"), label(f"{key}_label", loc), text)


def _trend(now: float | None, before: float | None, *, better: Better) -> tuple[str, Tone] | None:
    """The direction of a change and what it means for the figure; None when one side is unknown."""
    if now is None or before is None:
        return None
    if math.isclose(now, before, abs_tol=1e-9):
        return FLAT, "same"
    up = now > before
    return (UP if up else DOWN), "better" if up == (better == "more") else "worse"


def _mark(now: float | None, before: float | None, loc: Locale, *, better: Better) -> str | None:
    """``"↑ 나아짐"``: the arrow for the direction, the word for good or bad news."""
    trend = _trend(now, before, better=better)
    return None if trend is None else f"{trend[0]} {label(f'tone_{trend[1]}', loc)}"


def tone_of(mark: object, loc: Locale) -> Tone | None:
    """What a mark made by ``_mark`` means (a report colours it), None for no mark."""
    if not isinstance(mark, str):
        return None
    return next((t for t in TONES if mark.endswith(f" {label(f'tone_{t}', loc)}")), None)


def _number(value: object) -> float | None:
    """A frame's number cell as float without float noise, or None where it is missing."""
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return round(float(value), 6)
    return None


def _names(owners: Sequence[str], loc: Locale) -> str:
    return ", ".join(person(o, loc) for o in owners)


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


def _active_metrics(frames: Frames) -> pd.DataFrame:
    if not frames.usable("metrics", "metric_id", "kind"):
        return frames.table("metrics").iloc[0:0].assign(key=[])
    metrics = frames.table("metrics")
    return metrics[metrics["active"] == "y"].assign(key=id_key(metrics["metric_id"]))


def _achievement(
    key: str, target: object, readings: Mapping[tuple[str, ...], float], week: str
) -> float | None:
    """Actual against target in a week (1.0 is on target), from the reading's own target first."""
    actual = readings.get((key, week))
    goal = readings.get((key, week, "target"), _number(target))
    if actual is None or not goal:
        return None
    return actual / goal


def _metric_name(m: object) -> str:
    return f"{text(getattr(m, 'metric_id', None)) or ''} {text(getattr(m, 'name', None)) or ''}".strip()


# --------------------------------------------------------------------------- the verdict

# The columns the verdict's lines read. A line whose column is missing says so, with no mark.
_METRICS = ("metric_id", "name", "kind", "active")
_READINGS = ("week", "metric_id", "actual")
_V_LEADING = figure("v_leading", metrics=_METRICS, results=_READINGS)
_V_LINKAGE = figure("v_linkage", plan=("week", "goal_id"), goals=("goal_id", "status"))
_V_NO_PLAN = figure("v_no_plan", plan=("week", "owner"))
_V_OPEN = figure(
    "v_open",
    experiments=("week", "result", "next_step", "next_action", "exp_id"),
    retro=("week", "next_action", "owner"),
    plan=("week", "owner"),
)
_V_RISKS = figure("v_risks", risks=("week", "countermeasure", "risk", "owner"))
_V_THIS_WEEK = figure("v_this_week", plan=("week", "owner"))


def _verdict(
    frames: Frames, plan: pd.DataFrame, linked: pd.Series, ctx: CheckContext, w: _Weeks
) -> Section:
    """The headline: is the big goal moving? Each line a mark, what it measures, the numbers."""
    loc, week, previous = w.loc, w.week, w.previous
    rows: list[tuple[Cell, ...]] = [
        _measured(_V_LEADING, w, label("v_leading_label", loc), lambda: _v_leading(frames, w)),
        _measured(
            _V_LINKAGE, w, label("v_linkage_label", loc), lambda: _v_linkage(plan, linked, w)
        ),
        _measured(_V_NO_PLAN, w, label("v_no_plan_label", loc), lambda: _v_no_plan(plan, ctx, w)),
        # Open next actions: ended experiments and retros without one.
        _measured(
            _V_OPEN,
            w,
            label("v_open_label", loc),
            lambda: _tally(
                "v_open",
                _open_actions(frames, week, w, missing=ctx.week_over(week)),
                _open_actions(frames, previous, w, missing=ctx.week_over(week)),
                loc,
            ),
        ),
        _measured(
            _V_RISKS,
            w,
            label("v_risks_label", loc),
            lambda: _tally(
                "v_risks", _bare_risks(frames, week, loc), _bare_risks(frames, previous, loc), loc
            ),
        ),
    ]
    # Before the deadline: this week's plans so far.
    if ctx.week != week:
        this_week = label("v_this_week_label", loc, words=week_words(ctx.week, loc))
        rows.append(_measured(_V_THIS_WEEK, w, this_week, lambda: _v_this_week(plan, ctx, w)))
    return Section(
        "verdict",
        label("s_verdict", loc, words=week_words(week, loc)),
        (label("h_mark", loc), label("h_what", loc), label("h_verdict", loc)),
        tuple(rows),
        wrap=frozenset({2}),
    )


def _v_leading(frames: Frames, w: _Weeks) -> tuple[Cell, ...]:
    """Leading metrics against target: how many fall short, the average, against the week before.

    The count comes first because an average hides two indicators at 80% behind one at 120%.
    """
    loc, readings = w.loc, w.readings
    leading = _active_metrics(frames)
    leading = leading[leading["kind"] == "leading"]
    now_parts, now_vals, before_vals = [], [], []
    for m in records(leading.sort_values(["order", "row"], na_position="last")):
        now = _achievement(m.key, m.target, readings, w.week)
        before = _achievement(m.key, m.target, readings, w.previous)
        if now is not None:
            now_vals.append(now)
            now_parts.append(f"{text(m.name) or text(m.metric_id)} {percent(now, loc)}")
        if before is not None:
            before_vals.append(before)
    avg_now = sum(now_vals) / len(now_vals) if now_vals else None
    avg_before = sum(before_vals) / len(before_vals) if before_vals else None
    if avg_now is None:
        leading_text = label("v_leading_none", loc)
    else:
        leading_text = label(
            "v_leading" if before_vals else "v_leading_first",
            loc,
            short=sum(v < 1 for v in now_vals),
            n=len(now_vals),
            short_before=sum(v < 1 for v in before_vals),
            now=percent(avg_now, loc),
            before=_percent(avg_before, loc),
            items=", ".join(now_parts),
        )
    mark = _mark(avg_now, avg_before, loc, better="more")
    return (mark, label("v_leading_label", loc), leading_text)


def _v_linkage(plan: pd.DataFrame, linked: pd.Series, w: _Weeks) -> tuple[Cell, ...]:
    """Linkage and its change."""
    loc = w.loc
    this, last = plan["week"] == w.week, plan["week"] == w.previous
    rate_now, rate_before = _rate(linked[this]), _rate(linked[last])
    if rate_now is None:
        link_text = label("v_linkage_none", loc)
    else:
        link_text = label(
            "v_linkage",
            loc,
            rate=percent(rate_now, loc),
            linked=int((this & linked).sum()),
            total=int(this.sum()),
            before=_percent(rate_before, loc),
        )
    mark = _mark(rate_now, rate_before, loc, better="more")
    return (mark, label("v_linkage_label", loc), link_text)


def _v_no_plan(plan: pd.DataFrame, ctx: CheckContext, w: _Weeks) -> tuple[Cell, ...]:
    """Who has no plan, counted against the week before like the other rows."""
    missing_now = planless_owners(w.frames, w.week, ctx.limits.lookback_weeks)
    missing_before = planless_owners(w.frames, w.previous, ctx.limits.lookback_weeks)
    return _tally("v_no_plan", [person(o, w.loc) for o in missing_now], missing_before, w.loc)


def _v_this_week(plan: pd.DataFrame, ctx: CheckContext, w: _Weeks) -> tuple[Cell, ...]:
    """Before the deadline: who has planned the calendar's week so far."""
    loc = w.loc
    current = plan[plan["week"] == ctx.week]
    planned = sorted(set(current["owner"].dropna()))
    waiting = planless_owners(w.frames, ctx.week, ctx.limits.lookback_weeks)
    words = label(
        "v_this_week"
        if planned and waiting
        else "v_this_week_all"
        if planned
        else "v_this_week_none",
        loc,
        planned=_names(planned, loc),
        waiting=_names(waiting, loc) or "-",
        levers=len(current),
        deadline=ctx.plan_deadline(ctx.week),
    )
    # The owners of these levers were just e-mailed: the lead reads it here too.
    unlinked = unlinked_work(w.frames, "plan", ctx.week) if w.note(_V_LINKAGE) is None else ()
    if unlinked:
        names = "; ".join(
            f"“{shorten(u.name)}”({person(u.owner or '?', loc)})"
            if loc == "ko"
            else f"“{shorten(u.name)}” ({u.owner or '?'})"
            for u in unlinked
        )
        words += " " + label("v_this_week_unlinked", loc, n=len(unlinked), levers=names)
    return (None, label("v_this_week_label", loc, words=week_words(ctx.week, loc)), words)


def _open_actions(frames: Frames, week: str, w: _Weeks, *, missing: bool) -> list[str]:
    """Ended experiments and retrospectives of a week that do not end in a next action.

    With ``missing``, a person who planned the week and wrote no retro for it counts
    too: a retro never written changes nothing either, and must not read as better.
    Both weeks of a comparison are asked alike, once the week in review is over.
    """
    loc, given = w.loc, w.given
    out: list[str] = []
    exps = frames.table("experiments")
    for r in records(exps[(exps["week"] == week) & exps["result"].notna() & ~given]):
        out.append(label("open_exp", loc, exp_id=text(r.exp_id) or "?"))
    retro = frames.table("retro")
    for r in records(retro[(retro["week"] == week) & retro["next_action"].isna()]):
        out.append(label("open_retro", loc, owner=person(text(r.owner) or "?", loc)))
    if missing:
        plan = frames.table("plan")
        wrote = {person_key(o) for o in retro.loc[retro["week"] == week, "owner"].dropna()}
        planned = dict.fromkeys(plan.loc[plan["week"] == week, "owner"].dropna())
        for owner in planned:
            if person_key(owner) not in wrote:
                out.append(label("retro_missing", loc, owner=person(str(owner), loc)))
    return out


def _bare_risks(frames: Frames, week: str, loc: Locale) -> list[str]:
    risks = frames.table("risks")
    return [
        f"{text(r.risk)}({person(text(r.owner) or '?', loc)})"
        if loc == "ko"
        else f"{text(r.risk)} ({text(r.owner) or '?'})"
        for r in records(risks[(risks["week"] == week) & risks["countermeasure"].isna()])
    ]


# --------------------------------------------------------------------------- three questions


_Q_REPEAT = figure("q_repeat", plan=("week", "flow", "lever", "owner", "status"))
_Q_LINKED = figure(
    "q_linked", plan=("week", "goal_id", "lever", "owner"), goals=("goal_id", "status")
)
_Q_CHANGE = figure("q_change", retro=("week", "next_action", "owner"))


def _questions(frames: Frames, plan: pd.DataFrame, linked: pd.Series, w: _Weeks) -> Section:
    """The method's three weekly questions, answered from the sheet for the week in review."""
    loc = w.loc
    rows = (
        _measured(_Q_REPEAT, w, label("q_repeat", loc), lambda: _q_repeat(plan, w)),
        _measured(_Q_LINKED, w, label("q_linked", loc), lambda: _q_linked(plan, linked, w)),
        _measured(_Q_CHANGE, w, label("q_change", loc), lambda: _q_change(frames, w)),
    )
    return Section(
        "questions",
        label("s_questions", loc, words=week_words(w.week, loc)),
        (),
        rows,
        wrap=frozenset({1}),
    )


def _q_repeat(plan: pd.DataFrame, w: _Weeks) -> tuple[Cell, ...]:
    """What key activity did we repeat: the week's Business levers."""
    loc = w.loc
    business = plan[(plan["week"] == w.week) & (plan["flow"] == "business")]
    repeated = [
        label(
            "lever_of",
            loc,
            lever=text(r.lever),
            owner=person(text(r.owner) or "?", loc),
            status=_word(PLAN_STATUS.values, r.status, loc),
        )
        for r in records(business)
    ]
    return (label("q_repeat", loc), "; ".join(repeated) or label("no_business", loc))


def _q_linked(plan: pd.DataFrame, linked: pd.Series, w: _Weeks) -> tuple[Cell, ...]:
    """Is it directly linked to the goal: the linkage rate and the unlinked levers by name."""
    loc = w.loc
    this = plan["week"] == w.week
    total = int(this.sum())
    if total:
        link_answer = label(
            "linked_answer",
            loc,
            rate=percent(_rate(linked[this]) or 0.0, loc),
            done=int((this & linked).sum()),
            total=total,
        )
        unlinked = [
            label("lever_by", loc, lever=text(r.lever), owner=person(text(r.owner) or "?", loc))
            for r in records(plan[this & ~linked])
        ]
        if unlinked:
            link_answer += " " + label("unlinked_list", loc, items="; ".join(unlinked))
    else:
        link_answer = label("no_levers", loc)
    return (label("q_linked", loc), link_answer)


def _q_change(frames: Frames, w: _Weeks) -> tuple[Cell, ...]:
    """What one use of time changes next week: the retrospectives' next actions."""
    changes = _retro_actions(frames, w.week, w.loc)
    return (label("q_change", w.loc), "; ".join(changes) or label("no_retro", w.loc))


def _retro_actions(frames: Frames, week: str, loc: Locale) -> list[str]:
    """The week's retrospective next actions, each with its type and owner."""
    retro = frames.table("retro")
    rows = retro[(retro["week"] == week) & retro["next_action"].notna()]
    out = []
    for r in records(rows):
        out.append(
            label(
                "retro_action",
                loc,
                action=_step_action(r.next_step, r.next_action, loc),
                owner=person(text(r.owner) or "?", loc),
            )
        )
    return out


# --------------------------------------------------------------------------- leading indicators


_CHAIN = figure("chain", metrics=_METRICS, results=_READINGS)


def _chain(frames: Frames, w: _Weeks, *, over: bool) -> Section:
    """Leading indicators in the order the flow runs, marking the first that falls short.

    A missing reading stalls the chain only once the week is ``over`` and it is due.
    """
    loc = w.loc
    header = tuple(
        label(k, loc)
        for k in (
            "h_order",
            "h_metric",
            "h_target",
            "h_actual_this",
            "h_actual_last",
            "h_achieved",
            "h_mark",
            "h_chain",
        )
    )
    readings = w.readings
    leading = _active_metrics(frames)
    leading = leading[leading["kind"] == "leading"]
    rows: list[tuple[Cell, ...]] = []
    stalled = False
    for m in records(leading.sort_values(["order", "row"], na_position="last")):
        now, before = readings.get((m.key, w.week)), readings.get((m.key, w.previous))
        target = readings.get((m.key, w.week, "target"), _number(m.target))
        share = _achievement(m.key, m.target, readings, w.week)
        note = None
        if not stalled and ((share is not None and share < 1) or (share is None and over)):
            stalled = True
            note = label("stalls_here" if share is not None else "no_reading", loc)
        rows.append(
            (
                int(m.order) if _number(m.order) is not None else "-",
                _metric_name(m),
                target,
                now,
                before,
                _percent(share, loc),
                _mark(now, before, loc, better="more"),
                note,
            )
        )
    return Section("chain", label("s_chain", loc), header, tuple(rows))


# --------------------------------------------------------------------------- goals


_GOALS = figure("goals", goals=("goal_id", "level", "parent_id", "title", "status"))
# The tree's columns of work: one that cannot be measured is blank, its note under the tree.
_GOALS_LEVERS = figure("goals:levers", plan=("week", "goal_id"))
_GOALS_EXPERIMENTS = figure("goals:experiments", experiments=("week", "goal_id"))
_GOALS_LEADING = figure("goals:leading", metrics=("goal_id", *_METRICS), results=_READINGS)


def _goals(frames: Frames, plan: pd.DataFrame, w: _Weeks) -> Section:
    """The goal tree, BHAG first, each goal counting the work of its whole subtree."""
    loc = w.loc
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
            "h_leading_moves",
        )
    )
    goals = goal_index(frames)
    tree = goal_tree(goals)
    exps = frames.table("experiments")
    plan_keys, exp_keys = id_key(plan["goal_id"]), id_key(exps["goal_id"])
    readings = w.readings
    metrics = _active_metrics(frames)
    leading = metrics[metrics["kind"] == "leading"].assign(goal=id_key(metrics["goal_id"]))
    levers_note, exps_note = w.note(_GOALS_LEVERS), w.note(_GOALS_EXPERIMENTS)
    leading_note = w.note(_GOALS_LEADING)
    rows: list[tuple[Cell, ...]] = []
    for key, depth in tree.walk():
        g = goals.loc[key]
        under = tree.subtree(key)
        in_plan, in_exps = plan_keys.isin(under), exp_keys.isin(under)
        moves = Counter(
            _trend(readings.get((m.key, w.week)), readings.get((m.key, w.previous)), better="more")
            for m in records(leading[leading["goal"].isin(under)])
        )
        rows.append(
            (
                _word(LEVEL.values, g["level"], loc),
                text(g["goal_id"]),
                ("    " * depth + ("└ " if depth else "")) + (text(g["title"]) or ""),
                _word(GOAL_STATUS.values, g["status"], loc),
                *(
                    (None, None)
                    if levers_note
                    else (
                        int((in_plan & (plan["week"] == w.week)).sum()),
                        int((in_plan & (plan["week"] == w.previous)).sum()),
                    )
                ),
                *(
                    (None, None)
                    if exps_note
                    else (
                        int((in_exps & (exps["week"] == w.week)).sum()),
                        int((in_exps & (exps["week"] == w.previous)).sum()),
                    )
                ),
                None
                if leading_note
                else ", ".join(
                    f"{move[0]} {label(f'tone_{move[1]}', loc)} {moves[move]}"
                    for move in _MOVES
                    if moves[move]
                )
                or "-",
            )
        )
    notes = (levers_note, exps_note, leading_note)
    rows += [(note,) for note in dict.fromkeys(n for n in notes if n)]
    return Section("goals", label("s_goals", loc), header, tuple(rows))


# --------------------------------------------------------------------------- linkage and flows


_LINKAGE = figure("linkage", plan=("week", "goal_id"), goals=("goal_id", "status"))


def _linkage(plan: pd.DataFrame, linked: pd.Series, w: _Weeks) -> Section:
    loc = w.loc
    header = (
        label("h_week", loc),
        label("h_levers", loc),
        label("h_linked", loc),
        label("h_rate", loc),
    )
    rows: list[tuple[Cell, ...]] = []
    for week in (w.week, w.previous):
        mask = plan["week"] == week
        rows.append(
            (
                f"{week_words(week, loc)} · {week}",
                int(mask.sum()),
                int((mask & linked).sum()),
                _percent(_rate(linked[mask]), loc),
            )
        )
    return Section("linkage", label("s_linkage", loc), header, tuple(rows))


_UNLINKED = figure(
    "unlinked",
    plan=("week", "goal_id", "owner", "flow", "lever"),
    goals=("goal_id", "status"),
)


def _unlinked(w: _Weeks) -> Section:
    """Every lever the linkage rate counts as not linked, each with the reason."""
    loc = w.loc
    header = tuple(label(k, loc) for k in ("h_owner", "h_flow", "h_lever", "h_goal_id", "h_why"))
    rows = tuple(
        (
            person(u.owner or "?", loc),
            _word(FLOW.values, u.flow, loc),
            u.name,
            u.goal_id or "-",
            u.reason(loc),
        )
        for u in unlinked_work(w.frames, "plan", w.week)
    )
    return Section("unlinked", label("s_unlinked", loc), header, rows, wrap=frozenset({2, 4}))


_FLOWS = figure("flows", plan=("week", "owner", "flow", "lever", "status"))


def _flows(plan: pd.DataFrame, w: _Weeks) -> Section:
    """Each owner's lever in each flow in the week in review, with last week's beside it."""
    loc = w.loc
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
    this, last = plan[plan["week"] == w.week], plan[plan["week"] == w.previous]
    owners = sorted(set(this["owner"].dropna()))
    rows: list[tuple[Cell, ...]] = []
    for owner in owners:
        for flow in FLOWS:
            now = this[(this["owner"] == owner) & (this["flow"] == flow)]
            before = last[(last["owner"] == owner) & (last["flow"] == flow)]
            first = next(records(now), None)
            rows.append(
                (
                    person(owner, loc),
                    FLOW.values[flow](loc),
                    "; ".join(text(v) or "" for v in now["lever"]) or "-",
                    _word(PLAN_STATUS.values, first.status, loc) if first is not None else "-",
                    _number(first.target) if first is not None else None,
                    _number(first.actual) if first is not None else None,
                    "; ".join(text(v) or "" for v in before["lever"]) or "-",
                )
            )
    return Section("flows", label("s_flows", loc), header, tuple(rows), wrap=frozenset({2, 6}))


_NO_PLAN = figure("no_plan", plan=("week", "owner"))


def _no_plan(plan: pd.DataFrame, ctx: CheckContext, w: _Weeks) -> Section:
    loc = w.loc
    header = (label("h_owner", loc), label("h_last_planned", loc))
    rows = []
    for owner in planless_owners(w.frames, w.week, ctx.limits.lookback_weeks):
        weeks = plan.loc[(plan["owner"] == owner) & (plan["week"] < w.week), "week"]
        last = str(weeks.max()) if len(weeks) else "-"
        rows.append((person(owner, loc), f"{week_words(last, loc)} · {last}"))
    return Section("no_plan", label("s_no_plan", loc), header, tuple(rows))


# --------------------------------------------------------------------------- results and experiments


_RESULTS = figure("results", metrics=_METRICS, results=_READINGS)
# The goal a metric serves is shown, not counted: without it the column is blank, with a note.
_RESULTS_GOAL = figure("results:goal_id", metrics=("goal_id",))


def _key_results(frames: Frames, w: _Weeks) -> Section:
    loc = w.loc
    header = tuple(
        label(k, loc)
        for k in (
            "h_metric",
            "h_kind",
            "h_cadence",
            "h_goal_id",
            "h_target",
            "h_actual_this",
            "h_actual_last",
            "h_change",
        )
    )
    if not frames.usable("metrics", "metric_id"):
        return Section("results", label("s_results", loc), header)
    active = _active_metrics(frames).assign(rank=lambda m: (m["kind"] != "leading").astype(int))
    readings = w.readings
    goal_note = w.note(_RESULTS_GOAL)
    rows: list[tuple[Cell, ...]] = []
    for m in records(active.sort_values(["rank", "order", "row"], na_position="last")):
        now, before = readings.get((m.key, w.week)), readings.get((m.key, w.previous))
        target = readings.get((m.key, w.week, "target"), _number(m.target))
        change = round(now - before, 6) if now is not None and before is not None else None
        rows.append(
            (
                _metric_name(m),
                _word(METRIC_KIND.values, m.kind, loc),
                _word(CADENCE.values, m.cadence, loc),
                None if goal_note else text(m.goal_id),
                target,
                now,
                before,
                change,
            )
        )
    rows += [(goal_note,)] if goal_note else []
    return Section("results", label("s_results", loc), header, tuple(rows))


# What "an experiment ended with a next action" reads (Frames.next_action_given).
_ENDED = ("week", "result", "next_step", "next_action")
_EXPERIMENTS = figure("experiments", experiments=_ENDED)


def _experiments(frames: Frames, w: _Weeks) -> Section:
    loc = w.loc
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
    given = w.given
    rows: list[tuple[Cell, ...]] = []
    for week in (w.week, w.previous):
        mine = exps[exps["week"] == week]
        ended = mine[mine["result"].notna()]
        counts = Counter(mine["result"].dropna())
        rows.append(
            (
                f"{week_words(week, loc)} · {week}",
                len(mine),
                counts["success"],
                counts["failure"],
                counts["inconclusive"],
                f"{int(given[ended.index].sum())}/{len(ended)}",
            )
        )
    return Section("experiments", label("s_experiments", loc), header, tuple(rows))


_NO_NEXT_ACTION = figure("no_next_action", experiments=(*_ENDED, "exp_id", "hypothesis", "owner"))


def _no_next_action(frames: Frames, w: _Weeks) -> Section:
    loc = w.loc
    header = tuple(
        label(k, loc) for k in ("h_exp", "h_week", "h_hypothesis", "h_result", "h_owner")
    )
    exps = frames.table("experiments")
    open_ = exps[exps["week"].isin([w.week, w.previous]) & exps["result"].notna() & ~w.given]
    rows = tuple(
        (
            text(r.exp_id),
            text(r.week),
            text(r.hypothesis),
            _word(RESULT.values, r.result, loc),
            person(text(r.owner) or "?", loc),
        )
        for r in records(open_)
    )
    return Section(
        "no_next_action", label("s_no_next_action", loc), header, rows, wrap=frozenset({2})
    )


_LESSONS = figure("lessons", experiments=(*_ENDED, "exp_id", "hypothesis"))


def _lessons(frames: Frames, ctx: CheckContext, w: _Weeks) -> Section:
    """What ended experiments taught, successes and failures both, over the recent weeks."""
    loc = w.loc
    header = tuple(
        label(k, loc)
        for k in (
            "h_exp",
            "h_week",
            "h_result",
            "h_hypothesis",
            "h_learning",
            "h_next_action_retro",
        )
    )
    recent = [shift_week(w.week, -n) for n in range(ctx.limits.lookback_weeks)]
    exps = frames.table("experiments")
    ended = exps[exps["week"].isin(recent) & exps["result"].notna()].sort_values(
        ["week", "row"], ascending=[False, True]
    )
    rows = tuple(
        (
            text(r.exp_id),
            text(r.week),
            _word(RESULT.values, r.result, loc),
            text(r.hypothesis),
            text(r.learning) or "-",
            _step_action(r.next_step, r.next_action, loc),
        )
        for r in records(ended)
    )
    return Section("lessons", label("s_lessons", loc), header, rows, wrap=frozenset({3, 4, 5}))


def _step_action(step: object, action: object, loc: Locale) -> str:
    """ "[Continue] Use cases everywhere": the next step's word before the action."""
    word = _word(NEXT_STEP.values, step, loc)
    prefix = f"[{word}] " if word != "-" else ""
    return f"{prefix}{text(action) or '-'}"


# --------------------------------------------------------------------------- retrospective and risks


# A Retro next_step only refines these lists (Stop, Start, Continue first): not listed.
_NEXT_STEPS = figure("next_steps", retro=("week", "next_action", "owner"))


def _next_steps(frames: Frames, w: _Weeks) -> Section:
    """The team's stop, start and continue for next week, from the week's retrospectives."""
    loc = w.loc
    header = tuple(label(k, loc) for k in ("h_next_step", "h_next_action_retro", "h_owner"))
    retro = frames.table("retro")
    mine = retro[(retro["week"] == w.week) & retro["next_action"].notna()]
    order = {step: i for i, step in enumerate(NEXT_STEP.values)}
    mine = mine.assign(rank=mine["next_step"].map(order).fillna(len(order)))
    rows = tuple(
        (
            _word(NEXT_STEP.values, r.next_step, loc),
            text(r.next_action),
            person(text(r.owner) or "?", loc),
        )
        for r in records(mine.sort_values(["rank", "row"]))
    )
    return Section("next_steps", label("s_next_steps", loc), header, rows, wrap=frozenset({1}))


# The three answers are the team's own words, shown as written ("-" when blank).
_FEEDBACK = figure("feedback", retro=("week", "owner"))


def _feedback(frames: Frames, w: _Weeks) -> Section:
    """The answers to the three feedback questions of the week's retrospectives."""
    loc = w.loc
    header = tuple(label(k, loc) for k in ("h_owner", "h_moved", "h_applied", "h_partner"))
    retro = frames.table("retro")
    rows = tuple(
        (
            person(text(r.owner) or "?", loc),
            text(r.moved_numbers) or "-",
            text(r.applied_learning) or "-",
            text(r.speed_partner) or "-",
        )
        for r in records(retro[retro["week"] == w.week])
    )
    return Section("feedback", label("s_feedback", loc), header, rows, wrap=frozenset({1, 2, 3}))


_RISKS = figure("risks", risks=("week", "owner", "risk", "countermeasure"))


def _risks(frames: Frames, w: _Weeks) -> Section:
    loc = w.loc
    header = tuple(label(k, loc) for k in ("h_owner", "h_risk", "h_countermeasure"))
    risks = frames.table("risks")
    rows = tuple(
        (
            person(text(r.owner) or "?", loc),
            text(r.risk),
            text(r.countermeasure) or label("missing", loc),
        )
        for r in records(risks[risks["week"] == w.week])
    )
    return Section("risks", label("s_risks", loc), header, rows, wrap=frozenset({1, 2}))


def _findings(findings: Sequence[Finding], w: _Weeks) -> Section:
    loc = w.loc
    header = tuple(label(k, loc) for k in ("h_code", "h_severity", "h_this", "h_last", "h_undated"))
    counts = Counter((f.code, f.severity, f.week) for f in findings)
    codes = sorted({(f.code, f.severity) for f in findings})
    rows = tuple(
        (
            code,
            sev.words(loc),
            counts[(code, sev, w.week)],
            counts[(code, sev, w.previous)],
            counts[(code, sev, None)],
        )
        for code, sev in codes
    )
    return Section("findings", label("s_findings", loc), header, rows)


# --------------------------------------------------------------------------- history


def _history_weeks(frames: Frames, week: str) -> tuple[str, ...]:
    """Up to twelve weeks ending with ``week``, starting at the team's first week with data."""
    seen = [
        w
        for tab in ("plan", "results", "experiments", "retro", "risks")
        for w in frames.table(tab)["week"].dropna()
        if isinstance(w, str) and w <= week
    ]
    first = min(seen, default=week)
    weeks = [week]
    while len(weeks) < HISTORY_WEEKS and shift_week(weeks[-1], -1) >= first:
        weeks.append(shift_week(weeks[-1], -1))
    return tuple(reversed(weeks))


# The columns each line of the history reads; a line that cannot be measured has no value.
_H_LINKAGE = figure("history:linkage", plan=("week", "goal_id"), goals=("goal_id", "status"))
_H_PLANNED = figure("history:planned", plan=("week", "flow"))
_H_DONE = figure("history:done", plan=("week", "flow", "status"))
_H_EXPERIMENTS = figure("history:experiments", experiments=("week",))
_H_NEXT_ACTION = figure("history:next_action", experiments=_ENDED)
_H_METRIC = figure("history:metric", metrics=_METRICS, results=_READINGS)


def _history(
    frames: Frames,
    plan: pd.DataFrame,
    linked: pd.Series,
    findings: Sequence[Finding],
    weeks: tuple[str, ...],
    w: _Weeks,
) -> tuple[Series, ...]:
    loc, readings, given = w.loc, w.readings, w.given

    def line(
        fig: Figure, key: str, name: str, values: Callable[[], tuple[float | None, ...]]
    ) -> Series:
        note = w.note(fig)
        if note is not None:
            return Series(key, name, (None,) * len(weeks), note)
        return Series(key, name, values())

    in_weeks = plan[plan["week"].isin(weeks)]
    series: list[Series] = [
        line(
            _H_LINKAGE,
            "linkage",
            label("hist_linkage", loc),
            lambda: tuple(_rate(linked[plan["week"] == wk]) for wk in weeks),
        )
    ]
    for flow in FLOWS:
        name = FLOW.values[flow](loc)
        series.append(
            line(
                _H_PLANNED,
                f"{flow}_planned",
                label("hist_planned", loc, flow=name),
                partial(_counts, in_weeks[in_weeks["flow"] == flow], weeks),
            )
        )
        series.append(
            line(
                _H_DONE,
                f"{flow}_done",
                label("hist_done", loc, flow=name),
                partial(
                    _counts,
                    in_weeks[(in_weeks["flow"] == flow) & (in_weeks["status"] == "done")],
                    weeks,
                ),
            )
        )
    exps = frames.table("experiments")
    ended = exps[exps["result"].notna()]
    closed = ended[given[ended.index]].groupby("week").size()
    ended_n = ended.groupby("week").size()
    series.append(
        line(
            _H_EXPERIMENTS,
            "experiments",
            label("hist_experiments", loc),
            lambda: _counts(exps, weeks),
        )
    )
    series.append(
        line(
            _H_NEXT_ACTION,
            "next_action",
            label("hist_next_action", loc),
            lambda: tuple(
                float(closed.get(wk, 0)) / float(ended_n[wk]) if ended_n.get(wk, 0) else None
                for wk in weeks
            ),
        )
    )
    per_week = Counter(f.week for f in findings if f.code not in WEEK_CHECKS)
    series.append(
        Series("findings", label("hist_findings", loc), tuple(float(per_week[wk]) for wk in weeks))
    )
    if not frames.usable("metrics", *_H_METRIC.reads["metrics"]):
        # The leading indicators themselves are unknown: one line says why.
        return (*series, line(_H_METRIC, "metric:", label("hist_leading", loc), tuple))
    leading = _active_metrics(frames)
    leading = leading[leading["kind"] == "leading"]
    for m in records(leading.sort_values(["order", "row"], na_position="last")):
        series.append(
            line(
                _H_METRIC,
                f"metric:{id_of(m.metric_id)}",
                _metric_name(m),
                partial(_values, readings, m.key, weeks),
            )
        )
    return tuple(series)


def _counts(rows: pd.DataFrame, weeks: tuple[str, ...]) -> tuple[float | None, ...]:
    """Rows per week, 0 for a week without any."""
    per_week = rows.groupby("week").size()
    return tuple(float(per_week.get(w, 0)) for w in weeks)


def _values(
    readings: Mapping[tuple[str, ...], float], key: str, weeks: tuple[str, ...]
) -> tuple[float | None, ...]:
    """A metric's reading per week, None for a week without one."""
    return tuple(readings.get((key, w)) for w in weeks)
