"""What the commands print: findings as aligned lines or JSON, the status, a progress bar.

Only formatting lives here; the commands in ``sync.cli`` decide what to print.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
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
    reports: Sequence[TeamReport], settings: Settings, *, fmt: str, echo: Echo
) -> None:
    """Each team's findings and what was written and sent; a failed team's error on stderr."""
    for r in reports:
        if r.failed:
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


def status_text(state: Status, stale_days: int) -> str:
    last = state.last_cycle
    lines = []
    if last is None:
        lines.append("last cycle: none")
    else:
        end = last["finished"] or "still running (or stopped without finishing)"
        flag = " (interrupted)" if last["interrupted"] else ""
        lines.append(
            f"last cycle: #{last['id']} {last['trigger']} started {last['started']}, finished {end}{flag}; "
            f"{last['teams']} teams, {last['failed']} failed"
            + (f"; shard {last['shard']}" if last["shard"] else "")
        )
    lines.append(f"failing teams: {len(state.failing)}")
    lines += [f"  {t.team}: {t.last_error}" for t in state.failing]
    lines.append(f"not served in {stale_days} days: {len(state.not_seen)}")
    lines += [f"  {t.team}: last success {t.last_success or 'never'}" for t in state.not_seen]
    lines.append(f"teams with unsent alerts: {len(state.unsent)}")
    lines += [
        f"  {t.team}: {t.alerts_unsent} alerts not sent in its last run; the next cycle tries again"
        for t in state.unsent
    ]
    lines.append(f"nudges or reports not delivered: {len(state.undelivered)}")
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

    def team_done(self, report: TeamReport) -> None:
        with self._lock:
            self._bar.update(self._task, advance=1, description=report.team)
