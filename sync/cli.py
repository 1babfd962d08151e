"""The command line: a thin layer over ``sync.cycle``.

Exit codes: 0 all well, 1 an error finding (``check``) or a failed team, 2 a
usage or configuration error. No traceback reaches the user unless
FLOWSYNC_DEBUG is set.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import signal
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from sync import __version__, messages
from sync.alerts import DryRunMailer
from sync.backends import open_workbook
from sync.config import BUNDLED_DEMO, Settings, TeamConfig, config_path, load_settings
from sync.cycle import TeamReport, serve_team, team_context
from sync.errors import ConfigError, FlowsyncError, TeamError
from sync.findings import Finding
from sync.logs import configure_logging
from sync.metrics import Metrics
from sync.runlog import RunLog, Status
from sync.runner import make_mailer, make_quota, run_cycle
from sync.shard import Shard, parse_shard, shard_from_env
from sync.summary import summary_html, summary_json, summary_text
from sync.template import template_grids
from sync.workbook.contract import SEVERITIES, TAB, Locale
from sync.worker import Worker, utc_now

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
RUNLOG = "runs.sqlite"  # in the state folder


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Config file. Default: $FLOWSYNC_CONFIG, then ./flowsync.toml, then the bundled demo.",
)
@click.version_option(__version__, prog_name="flowsync")
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    """flowsync keeps a team's weekly goal flow honest.

    It reads each team's workbook, checks that weekly work is linked to goals,
    that the team watches few enough metrics and that every retrospective ends
    in a next action, and writes its findings back into the workbook.
    """
    ctx.obj = config


def _settings(ctx: click.Context) -> Settings:
    path = config_path(ctx.obj)
    if path == BUNDLED_DEMO:
        path = _demo_copy(Path(".flowsync") / "demo")
        click.echo(
            f"flowsync: no flowsync.toml here; using a copy of the bundled demo in {path}", err=True
        )
    return load_settings(path)


def _demo_copy(folder: Path) -> Path:
    """The bundled demo copied once into ``folder``, so the shipped files stay clean."""
    target = folder / BUNDLED_DEMO.name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for name in (BUNDLED_DEMO.name, "demo.xlsx"):
            shutil.copyfile(BUNDLED_DEMO.parent / name, folder / name)
    return target


def _teams(settings: Settings, name: str | None) -> Sequence[TeamConfig]:
    if name is not None:
        return [settings.team(name)]
    if not settings.teams:
        raise ConfigError(f"{settings.path}: teams: expected at least one [[teams]] entry")
    return settings.teams


_TEAM = click.option(
    "--team", "team_name", default=None, help="Only this team (its name in the config)."
)
_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
_AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check as at the end of this day (YYYY-MM-DD) in the team's time zone. Default: now.",
)


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@cli.command("check")
@_TEAM
@_AS_OF
@_FORMAT
@click.pass_context
def check_cmd(ctx: click.Context, team_name: str | None, as_of: datetime | None, fmt: str) -> int:
    """Read and check every team's workbook. Writes nothing, sends nothing.

    Exits 1 when any finding is an error or a team could not be read, else 0.
    """
    settings = _settings(ctx)
    reports = run_cycle(settings, _teams(settings, team_name), as_of=_day(as_of), write=False).teams
    _report(reports, settings, fmt=fmt)
    failed = any(r.failed for r in reports)
    has_error = any(f.severity == "error" for r in reports for f in r.findings)
    return EXIT_FINDINGS if failed or has_error else EXIT_OK


_SHARD = click.option(
    "--shard",
    "shard_text",
    default=None,
    metavar="I/N",
    help="Only the teams in shard I of N (I counts from 0). Default: from JOB_COMPLETION_INDEX "
    "or CLOUD_RUN_TASK_INDEX when set, else every team.",
)
_SHARD_COUNT = click.option(
    "--shard-count",
    type=click.IntRange(min=1),
    default=None,
    help="N for a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (else [service] shard_count).",
)


def _shard(settings: Settings, text: str | None, count: int | None) -> Shard | None:
    try:
        if text is not None:
            return parse_shard(text)
        return shard_from_env(os.environ, count=count or settings.service.shard_count)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _sharded(
    settings: Settings, team_name: str | None, shard: Shard | None
) -> Sequence[TeamConfig]:
    teams = _teams(settings, team_name)
    return shard.select(teams, lambda t: t.name) if shard is not None else teams


@cli.command()
@click.option("--once", is_flag=True, help="Run one full cycle for every team, then exit.")
@_TEAM
@_AS_OF
@click.option("--dry-run", is_flag=True, help="Check and report, but write and send nothing.")
@_FORMAT
@_SHARD
@_SHARD_COUNT
@click.pass_context
def run(
    ctx: click.Context,
    once: bool,
    team_name: str | None,
    as_of: datetime | None,
    dry_run: bool,
    fmt: str,
    shard_text: str | None,
    shard_count: int | None,
) -> int:
    """Run one cycle: check every team, write its owned tabs, send new alerts.

    With a terminal, a progress bar shows the team in hand; without one, a
    log line per team goes to stderr. Exits 1 when any team failed (the
    others still ran), else 0. Suits cron and job engines: see --shard.
    """
    if not once:
        raise click.UsageError("run needs --once; the scheduled loop is `flowsync worker`")
    settings = _settings(ctx)
    shard = _shard(settings, shard_text, shard_count)
    teams = _sharded(settings, team_name, shard)
    tty = sys.stderr.isatty()
    configure_logging(settings.service.log_format, level=logging.WARNING if tty else logging.INFO)
    runlog = None if dry_run else RunLog(settings.state_dir / RUNLOG)
    cycle_id = (
        runlog.start_cycle(started=utc_now(), trigger="once", shard=str(shard) if shard else None)
        if runlog
        else 0
    )

    def record(report: TeamReport) -> None:
        if runlog is not None:
            runlog.record_team(cycle_id, report, started=utc_now(), seconds=report.seconds)

    with _progress(len(teams), enabled=tty) as advance:

        def on_team(report: TeamReport) -> None:
            record(report)
            advance(report.team)

        quota = make_quota(settings, shards=shard.count if shard else 1)
        mailer = DryRunMailer() if dry_run else make_mailer(settings)
        cycle = run_cycle(
            settings,
            teams,
            as_of=_day(as_of),
            write=not dry_run,
            mailer=mailer,
            quota=quota,
            on_team=on_team,
        )
    if runlog is not None:
        failed = sum(r.failed for r in cycle.teams)
        runlog.finish_cycle(
            cycle_id, finished=utc_now(), teams=len(cycle.teams), failed=failed, interrupted=False
        )
    _report(cycle.teams, settings, fmt=fmt)
    if cycle.portfolio_error:
        click.echo(f"flowsync: {cycle.portfolio_error}", err=True)
    return EXIT_FINDINGS if cycle.failed else EXIT_OK


@contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr naming the team just done; a no-op without a terminal."""
    if not enabled:
        yield lambda team: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    lock = threading.Lock()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("flowsync", total=total)

        def advance(team: str) -> None:
            with lock:
                bar.update(task, advance=1, description=team)

        yield advance


@cli.command()
@click.option(
    "--metrics-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Serve Prometheus /metrics and /healthz.",
)
@click.option(
    "--metrics-host", default="0.0.0.0", show_default=True, help="Address for --metrics-port."
)
@_SHARD
@_SHARD_COUNT
@click.pass_context
def worker(
    ctx: click.Context,
    metrics_port: int | None,
    metrics_host: str,
    shard_text: str | None,
    shard_count: int | None,
) -> int:
    """Run the schedule of [schedule] until SIGTERM or SIGINT, then exit 0.

    On a stop signal the teams in hand are finished and no more are started.
    Every cycle is recorded in the run log that `flowsync status` reads.
    """
    settings = _settings(ctx)
    shard = _shard(settings, shard_text, shard_count)
    teams = _sharded(settings, None, shard)
    configure_logging(settings.service.log_format)
    metrics = Metrics() if metrics_port else None
    if metrics is not None and metrics_port is not None:
        try:
            metrics.serve(metrics_host, metrics_port)
        except OSError as exc:
            raise click.UsageError(
                f"--metrics-port {metrics_port}: cannot listen ({exc.strerror or exc})"
            ) from None
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    loop = Worker(
        settings,
        teams,
        stop=stop,
        runlog=RunLog(settings.state_dir / RUNLOG),
        metrics=metrics,
        shard=str(shard) if shard else None,
        quota=make_quota(settings, shards=shard.count if shard else 1),
    )
    logging.getLogger("sync.worker").info(
        "worker started",
        extra={"fields": {"teams": len(teams), "shard": str(shard) if shard else None}},
    )
    loop.serve_forever()
    return EXIT_OK


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def status(ctx: click.Context, fmt: str) -> int:
    """Show the last cycle, the teams whose last run failed, and those not served lately.

    Exits 1 when a team is failing or has not been served within
    [service] stale_after_days, else 0: usable as a monitoring probe.
    """
    settings = _settings(ctx)
    path = settings.state_dir / RUNLOG
    if not path.exists():
        click.echo(
            f"flowsync: no run log yet at {path}; run `flowsync run --once` or `flowsync worker`",
            err=True,
        )
        return EXIT_FINDINGS
    names = [t.name for t in settings.teams]
    state = RunLog(path).status(
        teams=names, now=utc_now(), stale_after=timedelta(days=settings.service.stale_after_days)
    )
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(state), ensure_ascii=False, indent=2))
    else:
        click.echo(_status_text(state, settings.service.stale_after_days))
    return EXIT_FINDINGS if state.failing or state.not_seen else EXIT_OK


def _status_text(state: Status, stale_days: int) -> str:
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
    return "\n".join(lines)


@cli.command()
@_TEAM
@_AS_OF
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
)
@click.pass_context
def summary(ctx: click.Context, team_name: str | None, as_of: datetime | None, fmt: str) -> int:
    """Print a team's Weekly Summary without writing anything.

    --team may be left out when the config has one team. The HTML form is one
    self-contained page with the 12-week charts.
    """
    settings = _settings(ctx)
    teams = _teams(settings, team_name)
    if len(teams) > 1:
        names = ", ".join(t.name for t in teams)
        raise click.UsageError(f"summary needs --team NAME (one of: {names})")
    report = serve_team(settings, teams[0], as_of=_day(as_of), write=False)
    if report.summary is None:
        click.echo(f"flowsync: {report.team}: {report.error}", err=True)
        return EXIT_FINDINGS
    render = {"text": summary_text, "json": summary_json, "html": summary_html}[fmt]
    click.echo(render(report.summary))
    return EXIT_OK


@cli.command()
@_TEAM
@click.pass_context
def init(ctx: click.Context, team_name: str | None) -> int:
    """Write the template tabs (headers, dropdowns, example rows) into each team's workbook.

    Creates the workbook when it does not exist. A tab that already has data is
    never touched.
    """
    settings = _settings(ctx)
    failed = False
    for team in _teams(settings, team_name):
        locale = settings.team_locale(team)
        week = team_context(settings, team, now=None, as_of=None).week
        workbook = open_workbook(team, settings)
        try:
            written = workbook.init(template_grids(locale, week=week), locale=locale)
        except TeamError as exc:
            click.echo(f"flowsync: {team.name}: {exc}", err=True)
            failed = True
            continue
        done = ", ".join(written) if written else messages.ui("init_nothing", locale)
        click.echo(f"{team.name}: {workbook.location}: {done}")
    return EXIT_FINDINGS if failed else EXIT_OK


def _report(reports: Sequence[TeamReport], settings: Settings, *, fmt: str) -> None:
    for r in reports:
        if r.failed:
            click.echo(f"flowsync: {r.team}: {r.error}", err=True)
    if fmt == "json":
        click.echo(
            json.dumps(
                [f.as_json() for r in reports for f in r.findings], ensure_ascii=False, indent=2
            )
        )
        return
    for r in reports:
        if r.failed:
            continue
        team = settings.team(r.team)
        locale = settings.team_locale(team)
        click.echo(_headline(r, locale))
        for f in r.findings:
            click.echo(_line(f, locale))
        if r.written:
            click.echo(messages.ui("written", locale, tabs=", ".join(r.written), where=r.location))
        for line in r.alerts_sent:
            click.echo(messages.ui("mailed", locale, line=line))
        for error in r.alert_errors:
            click.echo(f"flowsync: {r.team}: {error}", err=True)


def _headline(report: TeamReport, locale: Locale) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITIES}
    parts = " · ".join(f"{SEVERITIES[s](locale)} {n}" for s, n in counts.items())
    return messages.ui(
        "headline", locale, team=report.team, count=len(report.findings), parts=parts
    )


def _line(f: Finding, locale: Locale) -> str:
    where = TAB[f.tab].name(locale) + (f"!{f.row}" if f.row else "")
    cells = [
        (SEVERITIES[f.severity](locale), 7),
        (f.code, 9),
        (where, 16),
        (f.owner or "-", 8),
        (f.week or "-", 8),
    ]
    return "  " + " ".join(_pad(text, width) for text, width in cells) + "  " + f.message


def _pad(text: str, width: int) -> str:
    """Left-align in terminal columns: Korean characters take two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: one exception boundary, one line per error, exit 0/1/2."""
    try:
        code: Any = cli.main(args=argv, prog_name="flowsync", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE
    except click.Abort:
        click.echo("flowsync: aborted", err=True)
        code = EXIT_FINDINGS
    except ConfigError as exc:
        click.echo(f"flowsync: {exc}", err=True)
        code = EXIT_USAGE
    except FlowsyncError as exc:
        click.echo(f"flowsync: {exc}", err=True)
        code = EXIT_FINDINGS
    except Exception as exc:
        if os.environ.get("FLOWSYNC_DEBUG"):
            raise
        click.echo(
            f"flowsync: unexpected {type(exc).__name__}: {exc}. "
            "This is a bug; run again with FLOWSYNC_DEBUG=1 for the traceback and report it.",
            err=True,
        )
        code = EXIT_FINDINGS
    sys.exit(code if isinstance(code, int) else EXIT_OK)
