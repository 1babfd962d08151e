"""The lead's weekly report: one e-mail per ``alert_to`` address per week, at summary time.

Pure: frames, findings and the Weekly Summary in, a report and its e-mail out.
It says what a lead would act on: the summary's verdict (every row, as the tab
shows it at the report's time), the work not linked to an active goal (exactly
the levers the linkage rate counts as not linked, each with why, then the
experiments), who has no plan, the retro's next actions, and a link to the sheet.
Every number in it can be reconciled with the list under it.
A part whose column is missing says it was not measured, as the summary does,
rather than "none": a renamed 목표ID is not "0 unlinked".
The week reported is the one whose plan deadline passed last at the report's
scheduled time: on Monday at 08:00 that is last week, the week just lived. On a
public holiday of the team the report waits for the next working day at the
same time, and never goes in the quiet hours (``timing.due_reports``); it still
reports the week its scheduled time would have. The mail renders in Gmail and
Outlook: inline styles, a table for bars, no SVG, no script, no image.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import PurePath

from sync.alerts.digest import Item, fingerprint
from sync.alerts.message import _env, one_line, subject_header
from sync.checks.context import CheckContext
from sync.core import Locale
from sync.findings import Finding
from sync.messages import person, week_words
from sync.messages import summary_label as label
from sync.summary import Summary, build_summary
from sync.summary.build import Tone, Unlinked, tone_of, unlinked_work
from sync.summary.figures import FIGURES, Reads, not_measured
from sync.workbook.contract import FLOW, TAB
from sync.workbook.frames import planless_owners, records, text
from sync.workbook.parse import Frames

from .words import word

BAR_WEEKS = 6
# The checks whose findings are the work not linked to an active goal: the report lists
# that work from the linkage itself (``unlinked_work``), whatever the team's codes say.
LINKAGE_CODES = frozenset({"LINK001", "LINK002", "LINK003", "LINK004"})
# What the report's experiments not linked to an active goal read.
_EXPERIMENT_READS: Reads = {
    "experiments": ("week", "goal_id", "exp_id", "owner"),
    "goals": ("goal_id", "status"),
}


@dataclass(frozen=True)
class Work:
    """A lever or experiment not linked to an active goal, with a link to its row if any."""

    item: Unlinked
    link: str | None = None


@dataclass(frozen=True)
class Line:
    """A verdict row as the report says it, and whether its mark is good or bad news."""

    text: str
    tone: Tone | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, kw_only=True)
class WeeklyReport:
    team: str
    week: str
    locale: Locale
    headline: tuple[Line, ...]  # the Weekly Summary's verdict, one line per row
    # Every lever the linkage rate counts as not linked (plan first), then experiments.
    unlinked: tuple[Work, ...]
    planless: tuple[str, ...]
    next_actions: tuple[tuple[str, str], ...]  # (owner, next action)
    linkage: tuple[tuple[str, float | None], ...]  # (week, rate), oldest first
    unreachable: tuple[str, ...] = ()
    others: tuple[Item, ...] = ()  # findings of the team's other report codes
    levers_planned: int = 0  # the week's levers: the linkage rate's denominator
    link: str | None = None  # to the Weekly Summary, where the store has links
    location: str = ""  # the workbook, in words, where it has none
    # Why a part was not measured ("linkage", "unlinked", "unlinked_experiments",
    # "planless", "next_actions").
    notes: Mapping[str, str] = field(default_factory=dict)

    @property
    def location_uri(self) -> str | None:
        """A ``file://`` URI for a local workbook's absolute path, so the HTML can link to it."""
        path = PurePath(self.location)
        return path.as_uri() if self.location and path.is_absolute() else None

    @property
    def levers(self) -> tuple[Work, ...]:
        return tuple(w for w in self.unlinked if w.item.tab == "plan")

    @property
    def experiments(self) -> tuple[Work, ...]:
        return tuple(w for w in self.unlinked if w.item.tab == "experiments")

    @property
    def subject(self) -> str:
        loc = self.locale
        return one_line(
            word(
                "report_subject",
                loc,
                team=self.team,
                week=week_words(self.week, loc),
                unlinked=word("s_unlinked_na", loc)
                if "unlinked" in self.notes
                else word("s_unlinked", loc, n=len(self.unlinked)),
                planless=word("s_planless_na", loc)
                if "planless" in self.notes
                else word("s_planless", loc, n=len(self.planless)),
            )
        )


def reported_week(ctx: CheckContext) -> str:
    """The week whose plan deadline passed last: this week after it, else the one before."""
    return ctx.week if ctx.now >= ctx.plan_deadline(ctx.week) else ctx.weeks[1]


def summary_headline(summary: Summary, *, without: str | None = None) -> tuple[Line, ...]:
    """The Weekly Summary's verdict ("↓ 나빠짐 · Levers linked to an active goal: 75%, ..."),
    every row of it, a line a row; without one, its linkage answer.

    The one place that knows the summary's shape, so a new headline is a one-line change.
    ``without`` names a row to leave out (a stale one).
    """
    verdict = next((s for s in summary.sections if s.key == "verdict"), None)
    if verdict is not None and verdict.rows:
        return tuple(
            Line(_verdict_line(row), tone_of(row[0], summary.locale))
            for row in verdict.rows
            if without is None or row[1] != without
        )
    questions = next((s for s in summary.sections if s.key == "questions"), None)
    if questions is not None and len(questions.rows) > 1:
        return (Line(str(questions.rows[1][1])),)
    return ()


def _verdict_line(row: tuple[object, ...]) -> str:
    """``(mark, what, verdict)`` -> ``"↓ 나빠짐 · what: verdict"``; a blank mark left out."""
    mark, what, *rest = [str(c) if c not in (None, "") else "" for c in row] + ["", ""]
    said = " ".join(part for part in rest if part).strip()
    head = f"{mark} · {what}".strip() if mark not in ("", "-") else what
    return f"{head}: {said}" if said else head


def build_report(
    frames: Frames,
    findings: Sequence[Finding],
    ctx: CheckContext,
    *,
    team: str,
    codes: frozenset[str],
    unreachable: Sequence[str] = (),
    link: Callable[[str, int | None], str | None] = lambda tab, row: None,
    sheet_link: str | None = None,
    location: str = "",
    built: datetime | None = None,
) -> WeeklyReport:
    """The report on ``reported_week(ctx)``, at its scheduled time ``ctx.now``: the Weekly
    Summary's verdict as the tab shows it then (every row, this week's plans so far too), and
    what needs the lead. Built at ``built``, after this week's plan deadline, it leaves out the
    "so far" row: stale by then, and PLAN001 says who has no plan."""
    week = reported_week(ctx)
    summary = build_summary(frames, findings, ctx, team=team)
    # Its week in review is ``week``: both turn at the same plan deadline.
    # The work not linked to an active goal: the linkage rate's own levers, then experiments.
    reads: dict[str, Reads] = {
        "unlinked": FIGURES["unlinked"].reads,  # the summary's list of unlinked levers
        "unlinked_experiments": _EXPERIMENT_READS,
        "planless": FIGURES["no_plan"].reads,  # the summary's own "no plan" list
        "next_actions": FIGURES["q_change"].reads,  # the retro's next actions, as question 3
    }
    notes = {
        part: note for part, r in reads.items() if (note := not_measured(frames, r, ctx.locale))
    }
    unlinked = tuple(
        Work(u, link(u.tab, u.row))
        for tab, part in (("plan", "unlinked"), ("experiments", "unlinked_experiments"))
        if part not in notes
        for u in unlinked_work(frames, tab, week)
    )
    others = tuple(
        Item(f, fingerprint(f), link(f.tab, f.row))
        for f in findings
        if f.week == week and f.code in codes - LINKAGE_CODES
    )
    actions: list[tuple[str, str]] = []
    if "next_actions" not in notes:
        retro = frames.table("retro")
        for r in records(retro[(retro["week"] == week) & retro["next_action"].notna()]):
            actions.append((text(r.owner) or "-", text(r.next_action) or ""))
    linkage = summary.series("linkage")
    bars = tuple(zip(summary.weeks, linkage.values, strict=True))[-BAR_WEEKS:]
    if linkage.note:
        notes["linkage"] = linkage.note
    return WeeklyReport(
        team=team,
        week=week,
        locale=ctx.locale,
        headline=summary_headline(
            summary,
            without=label("v_this_week_label", ctx.locale, words=week_words(ctx.week, ctx.locale))
            if built is not None and built >= ctx.plan_deadline(ctx.week)
            else None,
        ),
        unlinked=unlinked,
        planless=tuple(planless_owners(frames, week, ctx.limits.lookback_weeks)),
        next_actions=tuple(actions),
        linkage=bars,
        unreachable=tuple(unreachable),
        others=others,
        levers_planned=int((frames.table("plan")["week"] == week).sum()),
        link=sheet_link,
        location=location,
        notes=notes,
    )


# One colour per meaning, for the marks and the linkage bars (every lever linked, or not).
_TONE_COLOUR: dict[str | None, str] = {"better": "#2e7d32", "worse": "#c62828", "same": "#616161"}


def render_report(
    report: WeeklyReport, *, recipient: str, sender: str, now: datetime
) -> EmailMessage:
    """The report as an e-mail with a plain-text and an HTML part, in the team's language."""
    loc = report.locale

    def where(tab: str, row: int | None) -> str:
        name = TAB[tab].name(loc)
        return word("where_row", loc, tab=name, row=row) if row else name

    def what(u: Unlinked) -> str:
        """``레버 “…”(비즈니스): 끝난 목표 Q3(…)에 연결됨`` — the work, then why it is not linked."""
        if u.tab == "plan":
            words = FLOW.values.get(u.flow) if u.flow is not None else None
            flow = words(loc) if words is not None else "-"
            thing = word("r_lever", loc, lever=u.name, flow=flow)
        else:
            thing = word("r_experiment", loc, exp_id=u.name)
        return f"{thing}: {u.reason(loc)}"

    def percent(rate: float | None) -> str:
        return "-" if rate is None else f"{rate:.0%}"

    context = {
        "r": report,
        "d": report,
        "subject": report.subject,
        "title": word(
            "report_title",
            loc,
            team=report.team,
            week=report.week,
            words=week_words(report.week, loc),
        ),
        "w": lambda key, **p: word(key, loc, **p),
        "where": where,
        "what": what,
        "week_words": lambda week: week_words(week, loc),
        "who": lambda name: person(name, loc) if name and name != "-" else "-",
        "planless": ", ".join(person(name, loc) for name in report.planless),
        "unreachable": ", ".join(person(name, loc) for name in report.unreachable),
        "percent": percent,
        "width": lambda rate: 0 if rate is None else round(rate * 200),
        # Colours say what a figure means, never its rank: green is good news, red bad.
        "tone_colour": lambda tone: _TONE_COLOUR.get(tone, "#444"),
        "bar_colour": lambda rate: _TONE_COLOUR[
            "better" if rate is not None and rate >= 1 else "worse"
        ],
        "bar_weeks": BAR_WEEKS,
    }
    msg = EmailMessage()
    msg["Subject"] = subject_header(report.subject)
    msg["From"] = Address("flowsync", addr_spec=sender)
    msg["To"] = Address("", addr_spec=recipient)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg["X-Flowsync-Team"] = one_line(report.team)
    msg["X-Flowsync-Week"] = report.week
    msg.set_content(_env().get_template("report.txt.j2").render(context))
    msg.add_alternative(_env().get_template("report.html.j2").render(context), subtype="html")
    return msg
