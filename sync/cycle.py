"""One team's cycle, end to end: read, parse, check, write the owned tabs.

The two ends touch the workbook; everything between them is pure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from time import perf_counter

from sync.alerts import AlertPolicy, Delivery, Mailer, build_digests, send_new
from sync.backends import open_workbook
from sync.checks import CheckContext, run_checks
from sync.config import Settings, TeamConfig
from sync.core import Grid, Locale, Snapshot, Workbook
from sync.errors import TeamError
from sync.findings import Finding
from sync.ratelimit import Quota
from sync.state import content_hash, hash_key, read_state, state_grid
from sync.summary import Summary, build_summary, findings_grid, summary_grid
from sync.workbook.contract import TAB, resolve_tabs
from sync.workbook.parse import Frames, parse_workbook

log = logging.getLogger(__name__)


Clock = Callable[[], datetime]
"""The moment now, aware. Passed in from the command line or a test, never read below it."""


@dataclass(frozen=True, kw_only=True)
class CycleOptions:
    """What one cycle is asked to do, for every team alike.

    ``now`` is the cycle's moment (aware); with ``wall`` (naive) every team is
    checked as at that wall-clock time in its own time zone instead (``--now``,
    and ``--as-of DAY`` as the end of that day). ``write=False``
    writes nothing and sends nothing (``check``, ``--dry-run``); without
    ``include_summary`` the Weekly Summary tab is left as it is (the worker's
    check job).
    """

    now: datetime
    wall: datetime | None = None
    write: bool = True
    include_summary: bool = True
    trigger: str = "once"


@dataclass(frozen=True, kw_only=True)
class TeamReport:
    """What one team's cycle found and did."""

    team: str
    started: datetime | None = None  # when the team's cycle began; None when it was skipped
    findings: tuple[Finding, ...] = ()
    summary: Summary | None = None
    alerts_sent: tuple[str, ...] = ()  # one line per message: recipient, subject, where
    alert_errors: tuple[str, ...] = ()  # sends that failed; they stay unsent for the next cycle
    written: tuple[str, ...] = ()
    unchanged: bool = False  # the owned tabs already held exactly this: nothing was written
    location: str = ""
    calls: int = 0  # API requests, retries included
    retries: int = 0
    seconds: float = 0.0
    skipped: bool = False  # a stop came before this team started: nothing was read or written
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def end_of_day(day: date) -> datetime:
    """The wall-clock moment ``--as-of DAY`` checks at: the day's last second."""
    return datetime.combine(day, time(23, 59, 59))


def team_context(
    settings: Settings, team: TeamConfig, *, now: datetime, wall: datetime | None = None
) -> CheckContext:
    """The check context for a team: its locale, limits and clock in its own time zone.

    ``now`` (aware) is converted to the team's time zone; a naive ``wall`` time
    is taken as that time in the team's zone.
    """
    tz = settings.team_timezone(team)
    moment = wall.replace(tzinfo=tz) if wall is not None else now.astimezone(tz)
    return CheckContext(
        now=moment, locale=settings.team_locale(team), limits=settings.team_limits(team)
    )


def check(snapshot: Snapshot, *, team: str, ctx: CheckContext) -> tuple[Frames, list[Finding]]:
    """The pure middle of a cycle: a snapshot's frames and findings, each tagged with the team."""
    frames = parse_workbook(snapshot.grids)
    return frames, [replace(f, team=team) for f in run_checks(frames, ctx)]


def owned_title(snapshot: Snapshot, key: str, locale: Locale) -> str:
    """The title of an owned tab: the one already there in either language, else the locale's."""
    return resolve_tabs(snapshot.titles).get(key) or TAB[key].name(locale)


def owned_tabs(
    snapshot: Snapshot, summary: Summary, findings: list[Finding], *, sparklines: bool
) -> dict[str, Grid]:
    """Title -> grid of the Weekly Summary and Findings tabs, in the workbook's own titles."""
    loc = summary.locale
    titles = resolve_tabs(snapshot.titles)
    return {
        owned_title(snapshot, "summary", loc): summary_grid(summary, sparklines=sparklines),
        owned_title(snapshot, "findings", loc): findings_grid(findings, titles=titles, locale=loc),
    }


def run_team(
    workbook: Workbook,
    *,
    team: str,
    ctx: CheckContext,
    dry_run: bool = False,
    alerts: AlertPolicy | None = None,
    mailer: Mailer | None = None,
    sender: str = "flowsync@localhost.localdomain",
    include_summary: bool = True,
) -> TeamReport:
    """Read, check, alert and (unless ``dry_run``) write one team's owned tabs.

    New alerts go out before the write, so that the one write records them as
    sent in the state tab. Nothing is written when the owned tabs and the state
    would not change: an unchanged team costs one read. Without ``include_summary``
    the Weekly Summary tab is left as it is (the worker's check job).
    """
    snapshot = workbook.read()
    frames, findings = check(snapshot, team=team, ctx=ctx)
    summary = build_summary(frames, findings, ctx, team=team)
    tabs = owned_tabs(snapshot, summary, findings, sparklines=workbook.sparklines)
    if not include_summary:
        tabs.pop(owned_title(snapshot, "summary", ctx.locale))
    state_title = owned_title(snapshot, "state", ctx.locale)
    state = read_state(snapshot.grids.get(state_title))
    delivery = Delivery((), (), dict(state))
    if alerts is not None and mailer is not None:
        titles = resolve_tabs(snapshot.titles)

        def link(f: Finding) -> str | None:
            return workbook.row_link(titles.get(f.tab, ""), f.row)

        digests = build_digests(
            findings, frames, alerts, team=team, weeks=ctx.weeks, locale=ctx.locale, link=link
        )
        delivery = send_new(digests, state, mailer, sender=sender, now=ctx.now)
    new_state = {**delivery.state, **{hash_key(t): content_hash(g) for t, g in tabs.items()}}
    unchanged = new_state == state and all(t in snapshot.titles for t in tabs)
    if not dry_run and not unchanged:
        workbook.write({**tabs, state_title: state_grid(new_state)})
    return TeamReport(
        team=team,
        findings=tuple(findings),
        summary=summary,
        written=() if dry_run or unchanged else tuple(tabs),
        unchanged=unchanged,
        alerts_sent=delivery.sent,
        alert_errors=delivery.errors,
    )


def serve_team(
    settings: Settings,
    team: TeamConfig,
    *,
    options: CycleOptions,
    clock: Clock,
    mailer: Mailer | None,
    quota: Quota | None = None,
) -> TeamReport:
    """One team's cycle with its failure contained: the report says what went wrong.

    A TeamError is the team's own fault (a missing workbook, a refused sheet);
    anything else is a bug, logged with its traceback, and still only this team fails.
    Alerts go out only when a ``mailer`` is given.
    """
    started, clock_started = clock(), perf_counter()
    ctx = team_context(settings, team, now=options.now, wall=options.wall)
    workbook = open_workbook(team, settings, quota=quota)
    policy = AlertPolicy(
        owner_codes=frozenset(team.alerts.owner_codes),
        team_codes=frozenset(team.alerts.team_codes),
        alert_to=team.alert_to,
        people=team.people,
    )
    try:
        report = run_team(
            workbook,
            team=team.name,
            ctx=ctx,
            dry_run=not options.write,
            alerts=policy,
            mailer=mailer,
            sender=settings.email.sender,
            include_summary=options.include_summary,
        )
    except TeamError as exc:
        report = TeamReport(team=team.name, error=str(exc))
    except Exception as exc:
        log.exception("team %s failed unexpectedly", team.name)
        error = f"unexpected {type(exc).__name__}: {exc} (a bug in flowsync; please report it)"
        report = TeamReport(team=team.name, error=error)
    return replace(
        report,
        started=started,
        location=workbook.location,
        calls=workbook.calls,
        retries=workbook.retries,
        seconds=perf_counter() - clock_started,
    )
