"""What the commands print: findings as aligned lines or JSON, the status, a progress bar.

Only formatting lives here; the commands in ``sync.cli`` decide what to print.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from sync import messages
from sync.codes import Severity
from sync.core import Locale, display_width
from sync.findings import Finding
from sync.observe import Observer
from sync.workbook.contract import TAB

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress

    from sync.config import Settings
    from sync.cycle import TeamReport
    from sync.runlog import Status

Echo = Callable[..., None]


def print_reports(
    reports: Sequence[TeamReport],
    settings: Settings,
    *,
    fmt: str,
    echo: Echo,
    logged: bool = False,
) -> None:
    """Each team's findings and what was written and sent; a failed team's error on stderr.

    ``logged``: the run's log lines, on the same stderr, already say each failed team's error,
    so it is not said twice.
    """
    for r in reports:
        if r.failed and not logged:
            echo(f"flowsync: {r.team}: {r.error}", err=True)
    if fmt == "json":
        findings = [f.as_json() for r in reports for f in r.findings]
        echo(json.dumps(findings, ensure_ascii=False, indent=2))
        return
    for r in reports:
        if r.failed or r.skipped:
            continue
        locale = settings.team_locale(settings.team(r.team))
        if r.busy:
            echo(messages.ui("busy", locale, team=r.team, why=r.busy))
            continue
        echo(headline(r, locale))
        for f in r.findings:
            echo(finding_line(f, locale))
        if r.written:
            echo(messages.ui("written", locale, tabs=", ".join(r.written), where=r.location))
        for line in r.alerts_sent:
            echo(messages.ui("mailed", locale, line=line))
        for line in r.notified:
            echo(line)
        for error in (*r.alert_errors, *r.notify_errors):
            echo(f"flowsync: {r.team}: {error}", err=True)


def headline(report: TeamReport, locale: Locale) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    parts = " · ".join(f"{s.words(locale)} {n}" for s, n in counts.items())
    return messages.ui(
        "headline", locale, team=report.team, count=len(report.findings), parts=parts
    )


def finding_line(f: Finding, locale: Locale) -> str:
    where = TAB[f.tab].name(locale) + (f"!{f.row}" if f.row else "")
    cells = [
        (f.severity.words(locale), 7),
        (f.code, 9),
        (where, 16),
        (f.owner or "-", 8),
        (f.week or "-", 8),
    ]
    return "  " + " ".join(pad(text, width) for text, width in cells) + "  " + f.message


def pad(text: str, width: int) -> str:
    """Left-align in terminal columns: Korean characters take two."""
    return text + " " * max(width - display_width(text), 0)


def status_text(state: Status, stale_days: int, locale: Locale = "en", zone: tzinfo = UTC) -> str:
    """The run log's state in the service's locale and time zone: ``status`` speaks of
    every team at once, and the run log keeps UTC."""

    def say(key: str, **params: object) -> str:
        return messages.ui(key, locale, **params)

    def at(moment: str | None) -> str | None:
        if not moment:
            return moment
        when = datetime.fromisoformat(moment).astimezone(zone)
        return when.isoformat(sep=" ", timespec="seconds")

    last = state.last_cycle
    lines = []
    if last is None:
        lines.append(say("st_last_none"))
    else:
        lines.append(
            say(
                "st_last",
                id=str(last["id"]),
                trigger=last["trigger"],
                started=at(last["started"]),
                end=at(last["finished"]) or say("st_running"),
                flag=say("st_interrupted") if last["interrupted"] else "",
                teams=last["teams"],
                failed=last["failed"],
                shard=say("st_shard", shard=last["shard"]) if last["shard"] else "",
            )
        )
    lines.append(say("st_failing", n=len(state.failing)))
    lines += [f"  {t.team}: {t.last_error}" for t in state.failing]
    lines.append(say("st_not_seen", days=stale_days, n=len(state.not_seen)))
    lines += [
        say("st_last_success", team=t.team, when=at(t.last_success) or say("st_never"))
        for t in state.not_seen
    ]
    lines.append(say("st_unsent", n=len(state.unsent)))
    lines += [say("st_unsent_team", team=t.team, n=t.alerts_unsent) for t in state.unsent]
    lines.append(say("st_undelivered", n=len(state.undelivered)))
    lines += [
        f"  {team}: {line}" for team, errors in state.undelivered for line in errors.splitlines()
    ]
    return "\n".join(lines)


class ProgressBar(Observer):
    """A rich progress bar on stderr naming the team just done; use it as a context manager."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._lock = threading.Lock()
        self._bar: RichProgress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task("flowsync", total=total)

    def __enter__(self) -> ProgressBar:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def team_waiting(self, team: str, why: str) -> None:
        """Said above the bar, once: without it a long wait looks like a hang."""
        with self._lock:
            self._bar.console.print(
                f"flowsync: {team}: {why}", markup=False, highlight=False, soft_wrap=True
            )

    def team_done(self, report: TeamReport) -> None:
        with self._lock:
            self._bar.update(self._task, advance=1, description=report.team)
