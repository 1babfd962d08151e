"""One cycle over many teams: a small thread pool paced by the shared quota, then the portfolio."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

from sync.alerts import Mailer, OutboxMailer, SmtpMailer
from sync.backends import open_workbook
from sync.config import Settings, TeamConfig
from sync.cycle import TeamReport, serve_team
from sync.errors import TeamError, WorkbookError
from sync.ratelimit import Quota, RateLimiter
from sync.summary import portfolio_grid
from sync.workbook.contract import TAB, resolve_tabs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CycleReport:
    """What one cycle over the teams did; ``portfolio_error`` says why the portfolio was not written."""

    teams: tuple[TeamReport, ...]
    portfolio_error: str | None = None

    @property
    def failed(self) -> bool:
        return any(r.failed for r in self.teams) or self.portfolio_error is not None

    @property
    def interrupted(self) -> bool:
        """A stop came mid-cycle: some teams were not started."""
        return any(r.skipped for r in self.teams)


def make_quota(settings: Settings, *, shards: int = 1) -> Quota:
    """One limiter per Sheets API quota, shared by every thread of this process.

    The quota belongs to the service account, which every shard shares: each
    of ``shards`` processes takes an equal part of it.
    """
    q = settings.quota
    # A call is counted where it arrives, a little after it leaves: space calls as if
    # the window were a little longer, so that transit jitter never adds one too many.
    window = q.window_seconds * 1.02 + 0.05
    return Quota(
        reads=RateLimiter(max(1, q.reads_per_minute // shards), window),
        writes=RateLimiter(max(1, q.writes_per_minute // shards), window),
    )


def make_mailer(settings: Settings, environ: Mapping[str, str] = os.environ) -> Mailer:
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
    )


def run_cycle(
    settings: Settings,
    teams: Sequence[TeamConfig],
    *,
    as_of: date | None = None,
    now: datetime | None = None,
    write: bool,
    mailer: Mailer | None = None,
    quota: Quota | None = None,
    include_summary: bool = True,
    stop: threading.Event | None = None,
    on_team: Callable[[TeamReport], None] | None = None,
) -> CycleReport:
    """Every team's cycle, ``[service] workers`` at a time; a failing team fails alone.

    A set ``stop`` lets the teams in hand finish and starts no more: they are
    reported as skipped, with nothing read or written. ``on_team`` hears each
    report as it finishes (progress, run log). The portfolio is written last,
    when configured and the cycle was not stopped. Alerts go out through
    ``mailer`` (see ``make_mailer``); without one, none are sent or counted.
    """
    shared = quota or make_quota(settings)

    def serve(team: TeamConfig) -> TeamReport:
        if stop is not None and stop.is_set():
            return TeamReport(team=team.name, skipped=True)
        report = serve_team(
            settings,
            team,
            as_of=as_of,
            now=now,
            write=write,
            mailer=mailer,
            quota=shared,
            include_summary=include_summary,
        )
        fields = {
            "team": report.team,
            "seconds": round(report.seconds, 2),
            "api_calls": report.calls,
            "retries": report.retries,
            "findings": len(report.findings),
            "alerts": len(report.alerts_sent),
            "written": ",".join(report.written) or "-",
            "error": report.error,
        }
        log.info("team done", extra={"fields": fields})
        if on_team is not None:
            on_team(report)
        return report

    workers = max(1, min(settings.service.workers, len(teams)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="flowsync-team") as pool:
        reports = tuple(pool.map(serve, teams))
    error = None
    if write and settings.portfolio is not None and not any(r.skipped for r in reports):
        error = write_portfolio(settings, reports)
    return CycleReport(reports, error)


def write_portfolio(settings: Settings, reports: Sequence[TeamReport]) -> str | None:
    """Rewrite the portfolio tab from the teams that ran; the error, if any, as one line."""
    assert settings.portfolio is not None
    locale = settings.service.locale
    ran = [(r.summary, r.findings) for r in reports if r.summary is not None]
    workbook = open_workbook(settings.portfolio, settings)
    try:
        try:
            titles: tuple[str, ...] = workbook.read().titles
        except WorkbookError:  # a local portfolio workbook is created on its first write
            titles = ()
        title = resolve_tabs(titles).get("portfolio") or TAB["portfolio"].name(locale)
        workbook.write({title: portfolio_grid(ran, locale=locale)})
    except TeamError as exc:
        log.warning("portfolio not written: %s", exc)
        return f"portfolio: {exc}"
    return None
