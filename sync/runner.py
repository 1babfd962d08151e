"""One cycle over many teams: each team on its own, then the portfolio across them."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sync.alerts import DryRunMailer, Mailer, OutboxMailer, SmtpMailer
from sync.backends import open_workbook
from sync.config import Settings, TeamConfig
from sync.cycle import TeamReport, serve_team
from sync.errors import TeamError, WorkbookError
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


def run_cycle(
    settings: Settings,
    teams: Sequence[TeamConfig],
    *,
    as_of: date | None = None,
    now: datetime | None = None,
    write: bool,
    mailer: Mailer | None = None,
) -> CycleReport:
    """Every team's cycle; a failing team fails alone. Writes the portfolio when configured.

    ``mailer`` defaults to the one the config describes (SMTP, else the outbox);
    a dry run (``write=False``) gets a DryRunMailer that sends nothing.
    """
    if mailer is None:
        mailer = make_mailer(settings) if write else DryRunMailer()
    reports = tuple(
        serve_team(settings, team, as_of=as_of, now=now, write=write, mailer=mailer)
        for team in teams
    )
    error = write_portfolio(settings, reports) if write and settings.portfolio is not None else None
    return CycleReport(reports, error)


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
