"""One cycle over many teams: a small thread pool paced by the shared quota, then the portfolio.

``run --once``, ``check``, ``summary`` and the worker all run their cycles through
one ``Runner``; what each does around a cycle (the run log, metrics, a progress
bar) is an ``Observer`` it hands in.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from sync.alerts import Mailer, OutboxMailer, SmtpMailer
from sync.alerts.mailer import Breaker
from sync.backends import changed_spreadsheets, open_workbook
from sync.config import Settings, TeamConfig
from sync.cycle import Clock, CycleOptions, Ledger, TeamReport, serve_team
from sync.errors import TeamError, WorkbookError
from sync.messages import ui
from sync.notify.channels import Notifier
from sync.observe import Observer
from sync.ratelimit import Quota, RateLimiter
from sync.stop import Sleep, interruptible
from sync.summary import portfolio_grid
from sync.workbook.contract import TAB, resolve_tabs

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class CycleReport:
    """What one cycle over the teams did; ``portfolio_error`` says why the portfolio was not written."""

    teams: tuple[TeamReport, ...]
    portfolio_error: str | None = None
    trigger: str = "once"
    started: datetime | None = None
    finished: datetime | None = None

    @property
    def ran(self) -> tuple[TeamReport, ...]:
        """The teams that were served (not skipped after a stop)."""
        return tuple(r for r in self.teams if not r.skipped)

    @property
    def unsent(self) -> int:
        """Alerts, nudges and reports that should have gone out and did not: the next cycle
        tries them again."""
        return sum(len(r.alert_errors) + len(r.notify_errors) for r in self.teams)

    @property
    def failed(self) -> bool:
        """A team failed, an alert was not sent, or the portfolio was not written."""
        return (
            any(r.failed for r in self.teams) or self.unsent > 0 or self.portfolio_error is not None
        )

    @property
    def interrupted(self) -> bool:
        """A stop came mid-cycle: some teams were not started."""
        return any(r.skipped for r in self.teams)

    @property
    def outcome(self) -> str:
        return "interrupted" if self.interrupted else "failed" if self.failed else "ok"


def make_quota(settings: Settings, *, shards: int = 1, sleep: Sleep = time.sleep) -> Quota:
    """One limiter per Sheets API quota, shared by every thread of this process.

    The quota belongs to the service account. With one account every shard
    shares it, each of ``shards`` processes taking an equal part; with K
    accounts (teams divided among them by the hash that divides them among
    shards) each account serves ``shards / gcd(shards, K)`` shards.
    """
    shards //= math.gcd(shards, len(settings.google.key_files))
    q = settings.quota
    # A call is counted where it arrives, a little after it leaves: space calls as if
    # the window were a little longer, so that transit jitter never adds one too many.
    window = q.window_seconds * 1.02 + 0.05
    return Quota(
        reads=RateLimiter(max(1, q.reads_per_minute // shards), window, sleep=sleep),
        writes=RateLimiter(max(1, q.writes_per_minute // shards), window, sleep=sleep),
    )


def make_mailer(
    settings: Settings, environ: Mapping[str, str] = os.environ, *, sleep: Sleep = time.sleep
) -> Mailer:
    """SMTP when ``[email] smtp_host`` is set, else .eml files in the outbox folder."""
    email = settings.email
    if email.smtp_host is None:
        return OutboxMailer(settings.state_dir / email.outbox)
    return SmtpMailer(
        host=email.smtp_host,
        port=email.smtp_port,
        security=email.security,
        username=email.username,
        password=environ.get(email.password_env),
        ca_file=settings.resolve(email.tls_ca_file) if email.tls_ca_file else None,
        attempts=email.attempts,
        sleep=sleep,
    )


class LogLines(Observer):
    """One structured log line per team and per cycle."""

    def cycle_started(self, options: CycleOptions, *, teams: int, started: datetime) -> None:
        log.info("cycle started", extra={"fields": {"trigger": options.trigger, "teams": teams}})

    def team_waiting(self, team: str, why: str) -> None:
        log.info("team waiting", extra={"fields": {"team": team, "why": why}})

    def team_done(self, report: TeamReport) -> None:
        if report.skipped:
            return
        if report.busy:
            log.info("team busy", extra={"fields": {"team": report.team, "why": report.busy}})
            return
        fields = {
            "team": report.team,
            "seconds": round(report.seconds, 2),
            "api_calls": report.calls,
            "retries": report.retries,
            "findings": len(report.findings),
            "alerts": len(report.alerts_sent),
            "alerts_unsent": len(report.alert_errors),
            "written": ",".join(report.written) or "-",
            "error": report.error,
        }
        log.info("team done", extra={"fields": fields})

    def cycle_finished(self, report: CycleReport) -> None:
        fields = {"trigger": report.trigger, "outcome": report.outcome, "teams": len(report.ran)}
        log.info("cycle finished", extra={"fields": fields})


class Runner:
    """Runs cycles over teams for ``run --once``, ``check``, ``summary`` and the worker alike.

    It is given everything from outside: the ``clock``, the ``mailer`` (None: no
    alerts are sent or counted), the shared ``quota``, the ``observers``, the
    ``ledger`` of alerts sent and the ``stop`` event. A set ``stop`` starts no
    more teams (they are reported as skipped) and cuts short every wait of the
    teams in hand, which are abandoned before their write. Each cycle gets its
    own ``Breaker`` around the mailer, so a mail server that is down costs a few
    refused connections, not one per alert.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock,
        mailer: Mailer | None,
        quota: Quota | None = None,
        observers: Sequence[Observer] = (),
        stop: threading.Event | None = None,
        ledger: Ledger | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.settings, self.clock, self.mailer = settings, clock, mailer
        self.notifier = notifier  # nudges and messenger messages; None: none are sent
        self.observers = (LogLines(), *observers)
        self.stop = stop or threading.Event()
        self.sleep = interruptible(self.stop)
        self.quota = quota or make_quota(settings, sleep=self.sleep)
        self.ledger = ledger
        # Names this runner in a team's lease, so that runs on other hosts leave the team to it.
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"

    def _waiting(self, team: str, why: str) -> None:
        for o in self.observers:
            o.team_waiting(team, why)

    def run(self, teams: Sequence[TeamConfig], options: CycleOptions) -> CycleReport:
        """Every team's cycle, ``[service] workers`` at a time; a failing team fails alone.

        The portfolio is written last, when configured, writing, and not stopped.
        """
        started = self.clock()
        for o in self.observers:
            o.cycle_started(options, teams=len(teams), started=started)
        mailer = Breaker(self.mailer) if self.mailer is not None else None
        # The cycle's one question to Drive (off unless [google] change_detection): which sheets changed.
        changes = changed_spreadsheets(self.settings, teams, now=started)

        def serve(team: TeamConfig) -> TeamReport:
            if self.stop.is_set():
                report = TeamReport(team=team.name, skipped=True)
            else:
                report = serve_team(
                    self.settings,
                    team,
                    options=options,
                    clock=self.clock,
                    mailer=mailer,
                    quota=self.quota,
                    ledger=self.ledger,
                    holder=self.holder,
                    sleep=self.sleep,
                    notifier=self.notifier,
                    changes=changes,
                    waiting=self._waiting,
                )
            for o in self.observers:
                o.team_done(report)
            return report

        workers = max(1, min(self.settings.service.workers, len(teams)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="flowsync-team") as pool:
            reports = tuple(pool.map(serve, teams))
        error = None
        stopped = any(r.skipped for r in reports)
        if options.write and self.settings.portfolio is not None and not stopped:
            error = write_portfolio(self.settings, reports, quota=self.quota)
        cycle = CycleReport(
            teams=reports,
            portfolio_error=error,
            trigger=options.trigger,
            started=started,
            finished=self.clock(),
        )
        for o in self.observers:
            o.cycle_finished(cycle)
        return cycle


def write_portfolio(
    settings: Settings, reports: Sequence[TeamReport], *, quota: Quota | None = None
) -> str | None:
    """Rewrite the portfolio tab from the teams that ran; the error, if any, as one line."""
    assert settings.portfolio is not None
    locale = settings.service.locale
    ran = [(r.summary, r.findings) for r in reports if r.summary is not None]
    workbook = open_workbook(settings.portfolio, settings, quota=quota)
    try:
        try:
            titles: tuple[str, ...] = workbook.read().titles
        except WorkbookError:  # a local portfolio workbook is created on its first write
            titles = ()
        title = resolve_tabs(titles).get("portfolio") or TAB["portfolio"].name(locale)
        workbook.write({title: portfolio_grid(ran, locale=locale)})
    except TeamError as exc:
        error = ui("portfolio_error", locale, error=exc.say(locale))
        log.warning("portfolio not written", extra={"fields": {"error": error}})
        return error
    return None
