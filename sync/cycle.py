"""One team's cycle, end to end: read, parse, check, write the owned tabs.

The two ends touch the workbook; everything between them is pure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import partial
from time import perf_counter
from time import sleep as wait
from typing import TYPE_CHECKING, Protocol

from sync import lease, messages
from sync.alerts import AlertPolicy, Delivery, Mailer, build_digests, send_new
from sync.alerts.digest import STATE_PREFIX, prune, unsent
from sync.backends import open_workbook
from sync.checks import CheckContext, run_checks
from sync.checks.context import runs
from sync.codes import CHECK
from sync.config import Settings, TeamConfig
from sync.core import Formula, Grid, Locale, Say, Snapshot, Workbook
from sync.errors import Stopped, TeamError, WorkbookChangedError
from sync.findings import Finding
from sync.lock import team_lock
from sync.notify.channels import Notifier
from sync.notify.outbox import PREFIX as NOTIFY
from sync.notify.outbox import (
    Links,
    Notice,
    NotifyPolicy,
    deliver,
    due_notices,
    policy_for,
)
from sync.notify.outbox import prune as prune_notices
from sync.ratelimit import Quota
from sync.state import read_state, state_grid
from sync.stop import Sleep
from sync.summary import Summary, build_summary, findings_grid, summary_grid
from sync.workbook.contract import TAB, resolve_tabs
from sync.workbook.parse import Frames, parse_workbook
from sync.workbook.values import display, shift_week

if TYPE_CHECKING:
    from sync.backends.drive import Changes

log = logging.getLogger(__name__)


Clock = Callable[[], datetime]
"""The moment now, aware. Passed in from the command line or a test, never read below it."""


@dataclass(frozen=True, kw_only=True)
class CycleOptions:
    """What one cycle is asked to do, for every team alike.

    ``now`` is the cycle's moment (aware); with ``wall`` (naive) every team is
    checked as at that wall-clock time in its own time zone instead (``--now``,
    and ``--as-of DAY`` as the end of that day). ``write=False``
    writes nothing and sends nothing (``check``, ``--dry-run``). A cycle that
    writes rewrites both owned tabs, the Weekly Summary included, so that the
    summary always shows the right week (nothing is written when unchanged).
    """

    now: datetime
    wall: datetime | None = None
    write: bool = True
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
    notified: tuple[str, ...] = ()  # nudges, messenger messages, weekly reports: one line each
    notify_errors: tuple[str, ...] = ()  # those that failed; they stay unsent for the next cycle
    written: tuple[str, ...] = ()
    unchanged: bool = False  # the owned tabs already held exactly this: nothing was written
    location: str = ""
    calls: int = 0  # API requests, retries included
    retries: int = 0
    seconds: float = 0.0
    skipped: bool = False  # a stop came before this team finished: nothing of it was written
    busy: str | None = None  # another run is serving this team now; it was left to that run
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
        owned_title(snapshot, "findings", loc): findings_grid(
            findings,
            titles=titles,
            locale=loc,
            weeks=(summary.current, shift_week(summary.current, -1)),
        ),
    }


class Ledger(Protocol):
    """The local record of alerts sent (the run log), kept beside the ``_flowsync`` tab."""

    def sent(self, team: str) -> dict[str, str]: ...

    def remember(self, team: str, keys: Mapping[str, str]) -> None: ...


@dataclass(frozen=True, kw_only=True)
class Sending:
    """How a team's new alerts go out, and where their sending is remembered.

    ``ledger`` and ``holder`` are None for a dry run, which sends nothing for real.
    ``holder`` names this runner for the lease in ``_flowsync``; ``clock`` is the
    real clock the lease expires by (a replayed ``--now`` is not).
    """

    policy: AlertPolicy
    mailer: Mailer
    sender: str
    ledger: Ledger | None = None
    holder: str | None = None
    clock: Clock | None = None
    sleep: Sleep = wait
    notify: NotifyPolicy | None = None  # nudges, messenger messages and the weekly report
    notifier: Notifier | None = None  # ... and how they go out; None: none are sent


class _Changed(Exception):
    """The write found the workbook saved by someone else; ``report`` is what was done so far."""

    def __init__(self, report: TeamReport) -> None:
        self.report = report


def run_team(
    workbook: Workbook,
    *,
    team: str,
    ctx: CheckContext,
    dry_run: bool = False,
    sending: Sending | None = None,
) -> TeamReport:
    """Read, check, alert and (unless ``dry_run``) write one team's owned tabs.

    New alerts go out before the write, so that the one write records them as
    sent in the state tab; before sending, the workbook must be writable and
    the lease this runner's. Only the owned tabs that do not already hold what
    the read returned are written, and nothing when the state would not change
    either: an unchanged team costs one read, and a person's edit of an owned
    tab is put back.
    """
    snapshot = workbook.read()
    state_title = owned_title(snapshot, "state", ctx.locale)
    state = read_state(snapshot.grids.get(state_title))
    live = sending is not None and not dry_run
    if live and sending is not None and sending.holder and sending.clock:
        other = lease.holder(state, now=sending.clock())
        if other is not None and other != sending.holder:
            why = messages.ui("busy_lease", ctx.locale, other=other)
            return TeamReport(team=team, busy=why)
    frames, findings = check(snapshot, team=team, ctx=ctx)
    summary = build_summary(frames, findings, ctx, team=team)
    tabs = _changed(
        snapshot, owned_tabs(snapshot, summary, findings, sparklines=workbook.sparklines)
    )
    base = {k: v for k, v in lease.released(state).items() if not k.startswith("hash:")}
    delivery = Delivery((), (), base)
    notified = Delivery((), (), {})
    claimed = False
    if sending is not None:
        titles = resolve_tabs(snapshot.titles)

        def link(f: Finding) -> str | None:
            return workbook.row_link(titles.get(f.tab, ""), f.row)

        digests = build_digests(
            findings,
            frames,
            sending.policy,
            team=team,
            weeks=ctx.weeks,
            locale=ctx.locale,
            link=link,
        )
        known = {**sending.ledger.sent(team), **base} if live and sending.ledger else base
        links = Links(
            row=lambda key, row: workbook.row_link(owned_title(snapshot, key, ctx.locale), row),
            location=workbook.location,
        )
        notices: list[Notice] = []
        if sending.notify is not None and sending.notifier is not None:
            notices = due_notices(
                frames, findings, ctx, sending.notify, known,
                team=team, links=links, sender=sending.sender,
            )  # fmt: skip
        if live and (unsent(digests, prune(known, digests)) or notices):
            workbook.check_writable()  # no alert without its record
            if sending.holder and sending.clock:
                # The lease goes out with the owned tabs, so the write after sending is small.
                claim = lease.taken(base, by=sending.holder, now=sending.clock())
                _write(workbook, {**tabs, state_title: state_grid(claim)}, team=team)
                sending.sleep(workbook.lease_settle)
                again = read_state(workbook.read().grids.get(state_title))
                if lease.holder(again, now=sending.clock()) != sending.holder:
                    why = messages.ui("busy_lease_lost", ctx.locale)
                    return TeamReport(team=team, busy=why)
                claimed = True
        delivery = send_new(
            digests, known, sending.mailer, sender=sending.sender, now=ctx.now, locale=ctx.locale
        )
        if sending.notify is not None and sending.notifier is not None:
            notified = deliver(
                notices,
                prune_notices(delivery.state, findings, sending.notify, ctx),
                notifier=sending.notifier,
                mailer=sending.mailer,
                now=ctx.now,
                attempts=sending.notify.attempts,
                locale=ctx.locale,
            )
            delivery = replace(delivery, state=notified.state)
        delivery = replace(
            delivery, state=_remember_unseen(known, delivery.state, frames, sending.policy)
        )
        if live and sending.ledger:
            alert_keys = {
                k: v for k, v in delivery.state.items() if k.startswith((STATE_PREFIX, NOTIFY))
            }
            sending.ledger.remember(team, alert_keys)
    new_state = delivery.state
    unchanged = not claimed and new_state == state and not tabs
    report = TeamReport(
        team=team,
        findings=tuple(findings),
        summary=summary,
        unchanged=unchanged,
        alerts_sent=delivery.sent,
        alert_errors=delivery.errors,
        notified=notified.sent,
        notify_errors=notified.errors,
    )
    if dry_run or unchanged:
        return report
    # After a claim the tabs are written already: only the state (sends, no lease) remains.
    rest = {state_title: state_grid(new_state)}
    try:
        _write(workbook, rest if claimed else {**tabs, **rest}, team=team, report=report)
    except TeamError as exc:
        return replace(report, error=exc.say(ctx.locale))  # the alerts sent still count
    return replace(report, written=tuple(tabs))


def _write(
    workbook: Workbook, tabs: Mapping[str, Grid], *, team: str, report: TeamReport | None = None
) -> None:
    """One write; a workbook saved by someone else since the read sends the cycle round again."""
    try:
        workbook.write(tabs)
    except WorkbookChangedError:
        raise _Changed(report or TeamReport(team=team)) from None


def _changed(snapshot: Snapshot, tabs: Mapping[str, Grid]) -> dict[str, Grid]:
    """The owned tabs that do not already show what would be written (formula cells aside):
    only they are written, so a cycle that only records a send leaves the others alone."""
    return {
        title: grid
        for title, grid in tabs.items()
        if title not in snapshot.grids or not _same(snapshot.grids[title], grid)
    }


def _same(read: Grid, new: Grid) -> bool:
    """Equal as a person sees them: blanks past the end ignored, 5 = 5.0, and the cells
    flowsync writes as formulas not compared (a read returns what they computed)."""
    for r in range(max(len(read), len(new))):
        have = read[r] if r < len(read) else ()
        want = new[r] if r < len(new) else ()
        for c in range(max(len(have), len(want))):
            wanted = want[c] if c < len(want) else None
            if isinstance(wanted, Formula):
                continue
            if display(have[c] if c < len(have) else None) != display(wanted):
                return False
    return True


def serve_team(
    settings: Settings,
    team: TeamConfig,
    *,
    options: CycleOptions,
    clock: Clock,
    mailer: Mailer | None,
    quota: Quota | None = None,
    ledger: Ledger | None = None,
    holder: str | None = None,
    sleep: Sleep | None = None,
    notifier: Notifier | None = None,
    changes: Changes | None = None,
    waiting: Callable[[str, str], None] | None = None,
) -> TeamReport:
    """One team's cycle with its failure contained: the report says what went wrong.

    Only one cycle per team runs at a time on this host (a lock in the state
    folder). A workbook saved by someone else during the cycle is read again
    and the cycle redone once. A TeamError is the team's own fault (a missing
    workbook, a refused sheet); a stop during a wait abandons the team whole;
    anything else is a bug, logged with its traceback, and still only this
    team fails. Alerts go out only when a ``mailer`` is given; nudges, messenger
    messages and the weekly report only when a ``notifier`` is given too. ``waiting`` hears
    (team, a sentence in the team's language) when the cycle waits for another process's lock.
    """
    started, clock_started = clock(), perf_counter()
    ctx = team_context(settings, team, now=options.now, wall=options.wall)

    def wait_said(what: Say) -> None:
        if waiting is not None:
            waiting(team.name, what(ctx.locale))

    workbook = open_workbook(
        team, settings, quota=quota, sleep=sleep, changes=changes, waiting=wait_said
    )
    sending = None
    if mailer is not None:
        policy = AlertPolicy(
            owner_codes=frozenset(team.alerts.owner_codes),
            people=team.people,
        )
        sending = Sending(
            policy=policy,
            mailer=mailer,
            sender=settings.email.sender,
            ledger=ledger,
            holder=holder,
            clock=clock,
            sleep=sleep or wait,
            notify=policy_for(settings, team),
            notifier=notifier,
        )
    run = partial(
        run_team,
        team=team.name,
        ctx=ctx,
        dry_run=not options.write,
        sending=sending,
    )
    try:
        with (
            team_lock(settings.state_dir, team.name) if options.write else nullcontext(True) as mine
        ):
            if not mine:
                why = messages.ui("busy_host", ctx.locale)
                report = TeamReport(team=team.name, busy=why)
            else:
                try:
                    report = run(workbook)
                except _Changed as first:
                    why = messages.ui("log_reread", ctx.locale)
                    log.warning(
                        "workbook changed", extra={"fields": {"team": team.name, "why": why}}
                    )
                    try:
                        again = open_workbook(
                            team, settings, quota=quota, sleep=sleep, waiting=wait_said
                        )
                        report = run(again)
                    except _Changed as second:
                        report = replace(
                            second.report, error=messages.ui("workbook_changed", ctx.locale)
                        )
                    report = replace(
                        report, alerts_sent=first.report.alerts_sent + report.alerts_sent
                    )
    except Stopped:
        report = TeamReport(team=team.name, skipped=True)
    except TeamError as exc:
        report = TeamReport(team=team.name, error=exc.say(ctx.locale))
    except Exception as exc:
        log.exception("team failed unexpectedly", extra={"fields": {"team": team.name}})
        error = messages.ui("team_bug", ctx.locale, kind=type(exc).__name__, error=str(exc))
        report = TeamReport(team=team.name, error=error)
    return replace(
        report,
        started=started,
        location=workbook.location,
        calls=workbook.calls,
        retries=workbook.retries,
        seconds=perf_counter() - clock_started,
    )


def _remember_unseen(
    before: Mapping[str, str], after: dict[str, str], frames: Frames, policy: AlertPolicy
) -> dict[str, str]:
    """``after``, with every alert sent before kept while an alerting check could not run.

    A check skipped for a missing tab or column (DATA001, DATA002) found nothing,
    which says nothing about the rows: forgetting their alerts would send them all
    again the cycle the header is put back.
    """
    if all(runs(frames, code, *CHECK[code].reads) for code in policy.owner_codes):
        return after
    sent = {k: v for k, v in before.items() if k.startswith((STATE_PREFIX, NOTIFY))}
    return {**sent, **after}
