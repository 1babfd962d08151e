"""One team's cycle: the clock in the team's time zone, failures contained."""

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from helpers import workbook, write_xlsx

from sync.config import Settings, settings_from_dict
from sync.cycle import CycleOptions, TeamReport, end_of_day, serve_team, team_context


def _settings(tmp_path: Path, **team: object) -> Settings:
    raw = {
        "service": {"timezone": "Asia/Seoul", "locale": "en"},
        "teams": [{"name": "A", "workbook": "a.xlsx", **team}],
    }
    return settings_from_dict(raw, path=tmp_path / "flowsync.toml")


THURSDAY = datetime(2026, 11, 26, 23, 59, 59, tzinfo=ZoneInfo("Asia/Seoul"))


def _serve(settings: Settings, *, write: bool) -> TeamReport:
    options = CycleOptions(now=THURSDAY, write=write)
    return serve_team(
        settings, settings.teams[0], options=options, clock=lambda: THURSDAY, mailer=None
    )


def test_as_of_is_the_end_of_that_day_in_the_team_time_zone(tmp_path: Path) -> None:
    """--as-of 2026-11-29 (a Sunday) is still 2026-W48 in Seoul, at 23:59:59."""
    settings = _settings(tmp_path)
    wall = end_of_day(date(2026, 11, 29))
    ctx = team_context(settings, settings.teams[0], now=datetime.now(UTC), wall=wall)
    assert (ctx.week, ctx.now.hour, str(ctx.now.tzinfo)) == ("2026-W48", 23, "Asia/Seoul")


def test_now_is_converted_to_the_team_time_zone(tmp_path: Path) -> None:
    """Sunday 16:00 UTC is already Monday in Seoul: the next week."""
    settings = _settings(tmp_path)
    now = datetime(2026, 11, 29, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert team_context(settings, settings.teams[0], now=now).week == "2026-W49"


def test_a_bug_in_one_team_is_contained_in_its_report(tmp_path: Path) -> None:
    """A workbook that is a folder fails that team with a message; nothing is raised."""
    (tmp_path / "a.xlsx").mkdir()
    settings = _settings(tmp_path)
    report = _serve(settings, write=True)
    assert report.failed
    assert "a.xlsx" in (report.error or "")


def test_team_limits_override_the_defaults(tmp_path: Path) -> None:
    """A team's [teams.limits] max_metrics = 1 flags the clean workbook's two metrics."""
    write_xlsx(tmp_path / "a.xlsx", workbook())
    settings = _settings(tmp_path, limits={"max_metrics": 1})
    report = _serve(settings, write=False)
    assert [f.code for f in report.findings] == ["METRIC001"]
    assert report.written == ()
