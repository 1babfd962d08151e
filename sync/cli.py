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
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from sync import __version__
from sync.config import BUNDLED_DEMO, Settings, TeamConfig, config_path, load_settings
from sync.core import Locale, Say
from sync.errors import ConfigError, FlowsyncError
from sync.logs import configure_logging
from sync.messages import ui
from sync.shard import Shard, ShardError, parse_shard, shard_from_env

if TYPE_CHECKING:  # the commands import the cycle (and pandas) only when they run one
    from sync.cycle import CycleOptions, Ledger
    from sync.observe import Observer
    from sync.runner import Runner

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
RUNLOG = "runs.sqlite"  # in the state folder


@dataclasses.dataclass
class Invocation:
    """One command line's own state, as click's ``ctx.obj``: its --config, and the service's
    locale once the config is read, which the exception boundary in ``main`` speaks (English
    before). Per invocation, not per process, so that no run speaks in another's language."""

    config: Path | None = None
    locale: Locale = "en"


def _locale() -> Locale:
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Invocation) if ctx is not None else None
    return found.locale if found is not None else "en"


def _usage(key: str, **params: object) -> click.UsageError:
    """A usage error the command raises itself, in the service's locale."""
    return click.UsageError(ui(key, _locale(), **params))


def utc_now() -> datetime:
    """The real clock: read here, at the edge, and passed down to everything below."""
    return datetime.now(UTC)


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
    ctx.ensure_object(Invocation).config = config


def _settings(ctx: click.Context, *, log_level: int = logging.WARNING) -> Settings:
    """The settings, and logging set up once for the command in the configured format."""
    invocation = ctx.ensure_object(Invocation)
    path = config_path(invocation.config)
    demo = path == BUNDLED_DEMO
    if demo:
        path = _demo_copy(Path(".flowsync") / "demo")
    settings = load_settings(path)
    invocation.locale = settings.service.locale
    if demo:
        click.echo(ui("demo_copy", settings.service.locale, path=path), err=True)
    configure_logging(settings.service.log_format, level=log_level)
    return settings


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
        raise ConfigError(ui("no_teams", settings.service.locale, path=settings.path))
    return settings.teams


_TEAM = click.option(
    "--team",
    "team_name",
    default=None,
    metavar="NAME",
    help="Only this team (its name in the config).",
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
_NOW = click.option(
    "--now",
    "now",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]),
    default=None,
    help="Replay this moment (YYYY-MM-DDTHH:MM) in the team's time zone. Default: now.",
)


def _options(
    as_of: datetime | None, now: datetime | None, *, write: bool, trigger: str = "once"
) -> CycleOptions:
    """The cycle's options from --as-of / --now, read against the real clock."""
    from sync.cycle import CycleOptions, end_of_day

    if as_of is not None and now is not None:
        raise _usage("both_times")
    wall = end_of_day(as_of.date()) if as_of is not None else now
    return CycleOptions(now=utc_now(), wall=wall, write=write, trigger=trigger)


def _runner(
    settings: Settings,
    *,
    mailer: bool,
    dry_run: bool = False,
    shards: int = 1,
    observers: Sequence[Observer] = (),
    ledger: Ledger | None = None,
) -> Runner:
    """The one runner of every command, on the real clock; alerts, nudges and reports only when ``mailer``.

    Every wait of the cycle (retries, Retry-After, the rate limiter, the mail
    server's backoff) ends at once when the runner's stop is set.
    """
    from sync.alerts import DryRunMailer
    from sync.notify.channels import AppriseNotifier, DryRunNotifier
    from sync.runner import Runner, make_mailer, make_quota
    from sync.stop import interruptible

    stop = threading.Event()
    sleep = interruptible(stop)
    chosen = (DryRunMailer() if dry_run else make_mailer(settings, sleep=sleep)) if mailer else None
    notifier = (DryRunNotifier() if dry_run else AppriseNotifier(sleep=sleep)) if mailer else None
    return Runner(
        settings,
        clock=utc_now,
        mailer=chosen,
        quota=make_quota(settings, shards=shards, sleep=sleep),
        observers=observers,
        stop=stop,
        ledger=ledger,
        notifier=notifier,
    )


@cli.command("check")
@_TEAM
@_AS_OF
@_NOW
@_FORMAT
@click.pass_context
def check_cmd(
    ctx: click.Context,
    team_name: str | None,
    as_of: datetime | None,
    now: datetime | None,
    fmt: str,
) -> int:
    """Read and check every team's workbook. Writes nothing, sends nothing.

    Exits 1 when any finding is an error or a team could not be read, else 0.
    """
    from sync.terminal import print_reports

    settings = _settings(ctx)
    options = _options(as_of, now, write=False, trigger="check")
    reports = _runner(settings, mailer=False).run(_teams(settings, team_name), options).teams
    print_reports(reports, settings, fmt=fmt, echo=click.echo)
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
    metavar="N",
    help="N for a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (else [service] shard_count).",
)


def _shard(settings: Settings, text: str | None, count: int | None) -> Shard | None:
    try:
        if text is not None:
            return parse_shard(text)
        return shard_from_env(os.environ, count=count or settings.service.shard_count)
    except ShardError as exc:
        raise click.UsageError(exc.say(settings.service.locale)) from None


def _sharded(
    settings: Settings, team_name: str | None, shard: Shard | None
) -> Sequence[TeamConfig]:
    teams = _teams(settings, team_name)
    return shard.select(teams, lambda t: t.name) if shard is not None else teams


@cli.command()
@click.option("--once", is_flag=True, help="Run one full cycle for every team, then exit.")
@_TEAM
@_AS_OF
@_NOW
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
    now: datetime | None,
    dry_run: bool,
    fmt: str,
    shard_text: str | None,
    shard_count: int | None,
) -> int:
    """Run one cycle: check every team, write its owned tabs, send new alerts.

    With a terminal, a progress bar shows the team in hand; without one, a
    log line per team goes to stderr. SIGTERM or SIGINT finishes the team in
    hand, starts no more, records the cycle as interrupted and exits 0.
    Exits 1 when any team failed (the others still ran), else 0. Suits cron
    and job engines: see --shard.
    """
    from sync.runlog import Recorder, RunLog
    from sync.terminal import ProgressBar, print_reports

    tty = sys.stderr.isatty()
    settings = _settings(ctx, log_level=logging.WARNING if tty else logging.INFO)
    if not once:
        raise _usage("run_once")
    shard = _shard(settings, shard_text, shard_count)
    teams = _sharded(settings, team_name, shard)
    options = _options(as_of, now, write=not dry_run)
    with ExitStack() as stack:
        observers: list[Observer] = []
        runlog = None if dry_run else RunLog(settings.state_dir / RUNLOG)
        if runlog is not None:
            observers.append(Recorder(runlog, shard=_name(shard)))
        if tty:
            observers.append(stack.enter_context(ProgressBar(len(teams))))
        runner = _runner(
            settings,
            mailer=True,
            dry_run=dry_run,
            shards=shard.count if shard else 1,
            observers=observers,
            ledger=runlog,
        )
        with _stop_on_signals(runner.stop):
            cycle = runner.run(teams, options)
    # Without a terminal the log lines (level info) carry each failed team's error already.
    print_reports(cycle.teams, settings, fmt=fmt, echo=click.echo, logged=not tty)
    locale = settings.service.locale
    if cycle.unsent:
        click.echo(ui("unsent", locale, n=cycle.unsent), err=True)
    if cycle.portfolio_error:
        click.echo(f"flowsync: {cycle.portfolio_error}", err=True)
    if cycle.interrupted:
        click.echo(ui("stopped", locale), err=True)
        return EXIT_FINDINGS if any(r.failed for r in cycle.teams) else EXIT_OK
    return EXIT_FINDINGS if cycle.failed else EXIT_OK


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` instead of killing the process mid-write."""
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@cli.command()
@click.option(
    "--metrics-port",
    type=click.IntRange(1, 65535),
    default=None,
    metavar="PORT",
    help="Serve Prometheus /metrics and /healthz.",
)
@click.option(
    "--metrics-host",
    default="0.0.0.0",
    show_default=True,
    metavar="HOST",
    help="Address for --metrics-port.",
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
    from sync.metrics import Metrics
    from sync.runlog import Recorder, RunLog
    from sync.worker import Worker

    settings = _settings(ctx, log_level=logging.INFO)
    shard = _shard(settings, shard_text, shard_count)
    teams = _sharded(settings, None, shard)
    runlog = RunLog(settings.state_dir / RUNLOG)
    observers: list[Observer] = [Recorder(runlog, shard=_name(shard))]
    metrics = Metrics() if metrics_port else None
    if metrics is not None and metrics_port is not None:
        try:
            metrics.serve(metrics_host, metrics_port)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise _usage("metrics_port", port=str(metrics_port), reason=reason) from None
        observers.append(metrics)
    runner = _runner(
        settings,
        mailer=True,
        shards=shard.count if shard else 1,
        observers=observers,
        ledger=runlog,
    )
    loop = Worker(
        settings, teams, runner=runner, heartbeat=metrics.tick if metrics is not None else None
    )
    loop.started(shard=_name(shard))
    with _stop_on_signals(runner.stop):
        loop.serve_forever()
    return EXIT_OK


def _name(shard: Shard | None) -> str | None:
    return str(shard) if shard is not None else None


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def status(ctx: click.Context, fmt: str) -> int:
    """Show the last cycle, the teams whose last run failed or left alerts unsent, and those
    not served lately.

    Exits 1 when a team is failing, left alerts unsent, or has not been served
    within [service] stale_after_days, else 0: usable as a monitoring probe.
    """
    from sync.runlog import RunLog
    from sync.terminal import status_text

    settings = _settings(ctx)
    locale = settings.service.locale
    path = settings.state_dir / RUNLOG
    if not path.exists():
        click.echo(ui("no_runlog", locale, path=path), err=True)
        return EXIT_FINDINGS
    names = [t.name for t in settings.teams]
    state = RunLog(path).status(
        teams=names, now=utc_now(), stale_after=timedelta(days=settings.service.stale_after_days)
    )
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(state), ensure_ascii=False, indent=2))
    else:
        zone = ZoneInfo(settings.service.timezone)
        click.echo(status_text(state, settings.service.stale_after_days, locale, zone))
    unwell = state.failing or state.not_seen or state.unsent or state.undelivered
    return EXIT_FINDINGS if unwell else EXIT_OK


@cli.command()
@_TEAM
@_AS_OF
@_NOW
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
)
@click.pass_context
def summary(
    ctx: click.Context,
    team_name: str | None,
    as_of: datetime | None,
    now: datetime | None,
    fmt: str,
) -> int:
    """Print a team's Weekly Summary without writing anything.

    --team may be left out when the config has one team. The HTML form is one
    self-contained page with the 12-week charts.
    """
    from sync.summary import summary_html, summary_json, summary_text

    settings = _settings(ctx)
    teams = _teams(settings, team_name)
    if len(teams) > 1:
        names = ", ".join(t.name for t in teams)
        raise _usage("summary_team", names=names)
    options = _options(as_of, now, write=False, trigger="summary")
    (report,) = _runner(settings, mailer=False).run(teams, options).teams
    if report.summary is None:
        click.echo(f"flowsync: {report.team}: {report.error}", err=True)
        return EXIT_FINDINGS
    render = {"text": summary_text, "json": summary_json, "html": summary_html}[fmt]
    click.echo(render(report.summary))
    return EXIT_OK


@cli.command()
@click.option(
    "--test",
    "test",
    is_flag=True,
    help="Send one test message to every channel and say which worked.",
)
@_TEAM
@click.pass_context
def notify(ctx: click.Context, test: bool, team_name: str | None) -> int:
    """Check the messenger channels of [teams.notify].

    Nudges and the weekly report go out with `run --once` and `worker`; this
    command only tests the channels. Exits 1 when a channel failed or a team has none.
    """
    from sync.notify.channels import AppriseNotifier
    from sync.notify.outbox import policy_for, send_test
    from sync.notify.words import word

    settings = _settings(ctx)
    if not test:
        raise _usage("notify_test")
    failed = False
    for team in _teams(settings, team_name):
        locale = settings.team_locale(team)
        results = send_test(
            policy_for(settings, team), team=team.name, locale=locale, notifier=AppriseNotifier()
        )
        if not results:
            click.echo(word("test_none", locale, team=team.name), err=True)
            failed = True
        for chan, error in results:
            if error is None:
                click.echo(word("test_ok", locale, team=team.name, channel=chan.label))
            else:
                failed = True
                click.echo(
                    word("test_failed", locale, team=team.name, channel=chan.label, error=error),
                    err=True,
                )
    return EXIT_FINDINGS if failed else EXIT_OK


@cli.command()
@_TEAM
@click.pass_context
def init(ctx: click.Context, team_name: str | None) -> int:
    """Write the template tabs (headers, dropdowns, example rows) into each team's workbook.

    Creates the workbook when it does not exist. A tab that already has data is
    never touched.
    """
    from sync import messages
    from sync.backends import open_workbook
    from sync.errors import TeamError
    from sync.template import template_grids
    from sync.workbook.values import iso_week

    settings = _settings(ctx)
    failed = False
    for team in _teams(settings, team_name):
        locale = settings.team_locale(team)
        week = iso_week(utc_now().astimezone(settings.team_timezone(team)).date())
        workbook = open_workbook(team, settings, waiting=partial(_say_waiting, team.name, locale))
        try:
            written = workbook.init(template_grids(locale, week=week), locale=locale)
        except TeamError as exc:
            click.echo(f"flowsync: {team.name}: {exc.say(locale)}", err=True)
            failed = True
            continue
        where = workbook.location
        if written:
            tabs = ", ".join(written)
            click.echo(messages.ui("init_written", locale, team=team.name, tabs=tabs, where=where))
        else:
            click.echo(messages.ui("init_nothing", locale, team=team.name, where=where))
    return EXIT_FINDINGS if failed else EXIT_OK


def _say_waiting(team: str, locale: Locale, what: Say) -> None:
    """A wait for another process's lock, said once on stderr: silence looks like a hang."""
    click.echo(f"flowsync: {team}: {what(locale)}", err=True)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: one exception boundary, one line per error, exit 0/1/2."""
    invocation = Invocation()
    try:
        code: Any = cli.main(args=argv, prog_name="flowsync", standalone_mode=False, obj=invocation)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE
    except click.Abort:
        click.echo(ui("aborted", invocation.locale), err=True)
        code = EXIT_FINDINGS
    except ConfigError as exc:
        click.echo(f"flowsync: {exc.say(invocation.locale)}", err=True)
        code = EXIT_USAGE
    except FlowsyncError as exc:
        click.echo(f"flowsync: {exc.say(invocation.locale)}", err=True)
        code = EXIT_FINDINGS
    except Exception as exc:
        if os.environ.get("FLOWSYNC_DEBUG"):
            raise
        click.echo(ui("bug", invocation.locale, kind=type(exc).__name__, error=str(exc)), err=True)
        code = EXIT_FINDINGS
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def synopsis() -> str:
    """One usage line per command, for the README (kept current by cog: `make lint` checks it)."""
    lines = []
    for name, command in cli.commands.items():
        parts = [f"flowsync [--config PATH] {name}"]
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden or param.name == "help":
                continue
            flag = max(param.opts, key=len)
            if param.is_flag:
                parts.append(f"[{flag}]")
            elif isinstance(param.type, click.Choice):
                parts.append(f"[{flag} {'|'.join(map(str, param.type.choices))}]")
            else:
                parts.append(f"[{flag} {param.metavar or _metavar(param)}]")
        lines.append(" ".join(parts))
    return "\n".join(lines)


def _metavar(param: click.Option) -> str:
    if isinstance(param.type, click.DateTime):
        return "YYYY-MM-DDTHH:MM" if "%H" in param.type.formats[0] else "YYYY-MM-DD"
    return param.type.name.upper()
