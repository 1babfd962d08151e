"""The command line: a thin layer over ``sync.cycle``.

Exit codes: 0 all well, 1 an error finding (``check``) or a failed team, 2 a
usage or configuration error. No traceback reaches the user unless
FLOWSYNC_DEBUG is set.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from sync import __version__, messages
from sync.backends import open_workbook
from sync.config import BUNDLED_DEMO, Settings, TeamConfig, config_path, load_settings
from sync.cycle import TeamReport, serve_team, team_context
from sync.errors import ConfigError, FlowsyncError, TeamError
from sync.findings import Finding
from sync.runner import run_cycle
from sync.summary import summary_html, summary_json, summary_text
from sync.template import template_grids
from sync.workbook.contract import SEVERITIES, TAB, Locale

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
    reports = [
        serve_team(settings, t, as_of=_day(as_of), write=False) for t in _teams(settings, team_name)
    ]
    _report(reports, settings, fmt=fmt)
    failed = any(r.failed for r in reports)
    has_error = any(f.severity == "error" for r in reports for f in r.findings)
    return EXIT_FINDINGS if failed or has_error else EXIT_OK


@cli.command()
@click.option("--once", is_flag=True, help="Run one full cycle for every team, then exit.")
@_TEAM
@_AS_OF
@click.option("--dry-run", is_flag=True, help="Check and report, but write nothing.")
@_FORMAT
@click.pass_context
def run(
    ctx: click.Context,
    once: bool,
    team_name: str | None,
    as_of: datetime | None,
    dry_run: bool,
    fmt: str,
) -> int:
    """Run one cycle: check every team and write its Findings tab.

    Exits 1 when any team failed (the others still ran), else 0.
    """
    if not once:
        raise click.UsageError("run needs --once; the scheduled loop is `flowsync worker`")
    settings = _settings(ctx)
    cycle = run_cycle(settings, _teams(settings, team_name), as_of=_day(as_of), write=not dry_run)
    _report(cycle.teams, settings, fmt=fmt)
    if cycle.portfolio_error:
        click.echo(f"flowsync: {cycle.portfolio_error}", err=True)
    return EXIT_FINDINGS if cycle.failed else EXIT_OK


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
