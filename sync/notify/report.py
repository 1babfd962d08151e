"""The lead's weekly report: one e-mail per ``alert_to`` address per week, at summary time.

Pure: frames, findings and the Weekly Summary in, a report and its e-mail out.
It says what a lead would act on: the summary's headline, the work linked to
no goal, who has no plan, the retro's next actions, and a link to the sheet.
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
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import PurePath

from sync.alerts.digest import Item, fingerprint
from sync.alerts.message import _env, one_line, subject_header
from sync.checks.context import CheckContext
from sync.codes import CHECKS
from sync.core import Locale
from sync.findings import Finding
from sync.messages import person, week_words
from sync.summary import Summary, build_summary
from sync.summary.figures import FIGURES, Reads, not_measured
from sync.workbook.contract import TAB
from sync.workbook.frames import records, text
from sync.workbook.parse import Frames
from sync.workbook.values import shift_week, week_monday

from .nudges import planless_owners
from .words import word

BAR_WEEKS = 6


@dataclass(frozen=True, kw_only=True)
class WeeklyReport:
    team: str
    week: str
    locale: Locale
    headline: tuple[str, ...]  # the Weekly Summary's verdict, one line per row
    unlinked: tuple[Item, ...]
    planless: tuple[str, ...]
    next_actions: tuple[tuple[str, str], ...]  # (owner, next action)
    linkage: tuple[tuple[str, float | None], ...]  # (week, rate), oldest first
    unreachable: tuple[str, ...] = ()
    link: str | None = None  # to the Weekly Summary, where the store has links
    location: str = ""  # the workbook, in words, where it has none
    # Why a part was not measured ("linkage", "unlinked", "planless", "next_actions").
    notes: Mapping[str, str] = field(default_factory=dict)

    @property
    def location_uri(self) -> str | None:
        """A ``file://`` URI for a local workbook's absolute path, so the HTML can link to it."""
        path = PurePath(self.location)
        return path.as_uri() if self.location and path.is_absolute() else None

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


def summary_headline(summary: Summary) -> tuple[str, ...]:
    """The Weekly Summary's verdict ("↓ Levers linked to an active goal: 75%, ..."), a line a row;
    without one, its linkage answer.

    The one place that knows the summary's shape, so a new headline is a one-line change.
    """
    verdict = next((s for s in summary.sections if s.key == "verdict"), None)
    if verdict is not None and verdict.rows:
        return tuple(_verdict_line(row) for row in verdict.rows)
    questions = next((s for s in summary.sections if s.key == "questions"), None)
    if questions is not None and len(questions.rows) > 1:
        return (str(questions.rows[1][1]),)
    return ()


def _verdict_line(row: tuple[object, ...]) -> str:
    """``(mark, what, verdict)`` -> ``"↓ what: verdict"``; a blank mark left out."""
    mark, what, *rest = [str(c) if c not in (None, "") else "" for c in row] + ["", ""]
    said = " ".join(part for part in rest if part).strip()
    head = f"{mark} {what}".strip() if mark not in ("", "-") else what
    return f"{head}: {said}" if said else head


def build_report(
    frames: Frames,
    findings: Sequence[Finding],
    ctx: CheckContext,
    *,
    team: str,
    codes: frozenset[str],
    unreachable: Sequence[str] = (),
    link: Callable[[Finding], str | None] = lambda f: None,
    sheet_link: str | None = None,
    location: str = "",
) -> WeeklyReport:
    """The report on ``reported_week(ctx)``: its summary headline and what needs the lead."""
    week = reported_week(ctx)
    at_end = replace(
        ctx,
        now=datetime.combine(week_monday(week) + timedelta(days=6), time(23, 59), ctx.now.tzinfo),
    )
    summary = build_summary(frames, findings, at_end, team=team)
    unlinked = tuple(
        Item(f, fingerprint(f), link(f)) for f in findings if f.week == week and f.code in codes
    )
    actions: list[tuple[str, str]] = []
    if frames.usable("retro", *FIGURES["q_change"].reads["retro"]):
        retro = frames.table("retro")
        for r in records(retro[(retro["week"] == week) & retro["next_action"].notna()]):
            actions.append((text(r.owner) or "-", text(r.next_action) or ""))
    linkage = summary.series("linkage")
    bars = tuple(zip(summary.weeks, linkage.values, strict=True))[-BAR_WEEKS:]
    # The unlinked work is what the report's codes found: not measured where one did not run.
    reads: dict[str, Reads] = {
        "unlinked": _reads_of(codes),
        "planless": FIGURES["no_plan"].reads,  # the summary's own "no plan" list
        "next_actions": FIGURES["q_change"].reads,  # the retro's next actions, as question 3
    }
    notes = {
        part: note for part, r in reads.items() if (note := not_measured(frames, r, ctx.locale))
    }
    if linkage.note:
        notes["linkage"] = linkage.note
    return WeeklyReport(
        team=team,
        week=week,
        locale=ctx.locale,
        headline=summary_headline(summary),
        unlinked=unlinked,
        planless=tuple(planless_owners(frames, week, ctx.limits.lookback_weeks)),
        next_actions=tuple(actions),
        linkage=bars,
        unreachable=tuple(unreachable),
        link=sheet_link,
        location=location,
        notes=notes,
    )


# The tabs of the work a report lists as linked to no goal, and of the goals it links to.
_WORK = ("plan", "experiments", "goals")


def _reads_of(codes: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Every column of the work's tabs the checks of ``codes`` read (sync.codes), by tab.

    When one is missing those checks did not run, so "no unlinked work" would be a guess.
    """
    out: dict[str, tuple[str, ...]] = {}
    for check in CHECKS:
        if check.code not in codes:
            continue
        for tab, columns in check.reads.items():
            if tab in _WORK:
                out[tab] = tuple(dict.fromkeys((*out.get(tab, ()), *columns)))
    return out


def render_report(
    report: WeeklyReport, *, recipient: str, sender: str, now: datetime
) -> EmailMessage:
    """The report as an e-mail with a plain-text and an HTML part, in the team's language."""
    loc = report.locale

    def where(item: Item) -> str:
        f = item.finding
        tab = TAB[f.tab].name(loc)
        return word("where_row", loc, tab=tab, row=f.row) if f.row else tab

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
        "week_words": lambda week: week_words(week, loc),
        "who": lambda name: person(name, loc) if name and name != "-" else "-",
        "planless": ", ".join(person(name, loc) for name in report.planless),
        "unreachable": ", ".join(person(name, loc) for name in report.unreachable),
        "percent": percent,
        "width": lambda rate: 0 if rate is None else round(rate * 200),
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


def report_weeks(week: str) -> tuple[str, str]:
    """The weeks whose report keys are kept in the state: this one and the one before."""
    return week, shift_week(week, -1)
