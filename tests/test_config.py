"""The config file: validated settings, or one clear line per fault."""

from pathlib import Path

import pytest

from sync.config import config_path, load_settings, parse_deadline
from sync.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "flowsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid_and_complete() -> None:
    """config.example.toml loads, and its team overrides the global limit."""
    settings = load_settings(Path(__file__).parent.parent / "config.example.toml")
    team = settings.teams[0]
    assert settings.team_limits(team).max_metrics == 4
    assert settings.team_limits(team).max_risks_per_week == 2
    assert settings.email.smtp_host is None


def test_defaults_match_the_workbook_contract(tmp_path: Path) -> None:
    """With nothing set: ko, Asia/Seoul, 5 metrics, 2 risks, Monday 12:00, 4 weeks."""
    settings = load_settings(_write(tmp_path, '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\n'))
    limits = settings.team_limits(settings.teams[0])
    assert (settings.service.locale, settings.service.timezone) == ("ko", "Asia/Seoul")
    assert (limits.max_metrics, limits.max_risks_per_week, limits.lookback_weeks) == (5, 2, 4)
    assert (limits.plan_deadline_weekday, limits.plan_deadline_time.hour) == (0, 12)
    assert settings.resolve(Path("a.xlsx")) == tmp_path / "a.xlsx"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[service]\nlocale = "fr"\n', r"service\.locale: .*'en' or 'ko'"),
        ('[service]\ntimezone = "Mars/Base"\n', r"service\.timezone: expected an IANA time zone"),
        ('[email]\nsmtp_hots = "x"\n', r"email\.smtp_hots: unknown key"),
        ('[[teams]]\nname = "A"\n', r"teams\[0\]: expected exactly one of workbook"),
        (
            '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\nspreadsheet = "b"\n',
            r"teams\[0\]: expected exactly one",
        ),
        (
            '[limits]\nplan_deadline = "noon"\n',
            r"limits\.plan_deadline: expected a weekday and a time",
        ),
        ("[limits]\nmax_metrics = 0\n", r"limits\.max_metrics: .*greater than or equal to 1"),
        ("[service\n", r"not valid TOML"),
    ],
)
def test_bad_config_is_one_line_naming_file_key_and_expectation(
    tmp_path: Path, text: str, expected: str
) -> None:
    """Each fault is one line: the file, the key, what was expected."""
    with pytest.raises(ConfigError, match=expected) as info:
        load_settings(_write(tmp_path, text))
    assert str(info.value).startswith(str(tmp_path / "flowsync.toml"))
    assert "\n" not in str(info.value)


def test_missing_config_says_how_to_point_at_one(tmp_path: Path) -> None:
    """A missing file names --config and FLOWSYNC_CONFIG."""
    with pytest.raises(ConfigError, match="FLOWSYNC_CONFIG"):
        load_settings(tmp_path / "none.toml")


def test_config_path_prefers_flag_then_environment(tmp_path: Path) -> None:
    """--config wins over FLOWSYNC_CONFIG."""
    assert config_path(Path("a.toml"), {"FLOWSYNC_CONFIG": "b.toml"}) == Path("a.toml")
    assert config_path(None, {"FLOWSYNC_CONFIG": "b.toml"}) == Path("b.toml")


def test_duplicate_team_names_are_rejected(tmp_path: Path) -> None:
    """Two teams with one name cannot be told apart in the run log."""
    text = (
        '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\n[[teams]]\nname = "A"\nworkbook = "b.xlsx"\n'
    )
    with pytest.raises(ConfigError, match="'A' appears 2 times"):
        load_settings(_write(tmp_path, text))


def test_plan_deadline_reads_english_and_korean_weekdays() -> None:
    """'Tue 09:30', 'Tuesday 9:30' and '화 09:30' are one deadline."""
    assert {
        parse_deadline(s) for s in ("Tue 09:30", "Tuesday 9:30", "화 09:30", "화요일 09:30")
    } == {parse_deadline("tue 9:30")}


@pytest.mark.parametrize(
    ("workbook", "expected"),
    [
        (
            "",
            'teams\\[0\\].workbook: expected the path of an .xlsx workbook, such as "teams/sales.xlsx"; got ""',
        ),
        ("x.csv", "teams\\[0\\].workbook: expected the path of an .xlsx workbook .*; got 'x.csv'"),
        (
            "some-folder",
            "teams\\[0\\].workbook: expected the path of an .xlsx workbook .*; got 'some-folder'",
        ),
        (
            "folder.xlsx",
            "teams\\[0\\].workbook: expected an .xlsx file, but folder.xlsx is a folder",
        ),
    ],
)
def test_a_workbook_path_that_is_not_an_xlsx_file_names_the_key(
    tmp_path: Path, workbook: str, expected: str
) -> None:
    """An empty path, a .csv or a folder is a configuration error (exit 2), not a traceback."""
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(ConfigError, match=expected):
        load_settings(_write(tmp_path, f'[[teams]]\nname = "A"\nworkbook = "{workbook}"\n'))


TEAM = '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\n'


def test_notify_defaults_fit_the_method(tmp_path: Path) -> None:
    """Plan nudge Monday 10:00, retro Friday 16:00, report Monday 08:00, quiet 21:00-08:00, no holidays."""
    team = load_settings(_write(tmp_path, TEAM)).teams[0]
    n = team.notify
    assert (n.nudge_plan, n.nudge_retro, n.report, n.quiet_hours) == (
        "mon 10:00",
        "fri 16:00",
        "mon 08:00",
        "21:00-08:00",
    )
    assert (n.team, n.owners, team.holidays) == ((), {}, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('holidays = "XX"\n', r'teams\[0\]\.holidays: expected a country code .* "KR"'),
        (
            '[teams.notify]\nnudge_plan = "every 10 minutes"\n',
            r'teams\[0\]\.notify\.nudge_plan: expected days and a time such as "mon 10:00" or "off"',
        ),
        (
            '[teams.notify]\nquiet_hours = "night"\n',
            r'teams\[0\]\.notify\.quiet_hours: expected quiet hours such as "21:00-08:00"',
        ),
        (
            '[teams.notify.owners]\n"Kim" = ["discord://1234/SECRETTOKEN"]\n',
            r"teams\[0\]\.notify\.owners\.Kim\[0\]: expected the secret parts of this discord:// URL"
            r" as \$\{VARIABLE\}",
        ),
    ],
)
def test_bad_notify_config_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as bad:
        load_settings(_write(tmp_path, TEAM + text))
    assert "SECRETTOKEN" not in str(bad.value)
    assert len(str(bad.value).splitlines()) == 1


def test_notify_accepts_channels_with_placeholders_and_off(tmp_path: Path) -> None:
    text = (
        TEAM
        + 'holidays = "KR"\n[teams.notify]\nteam = ["slack://${A}/${B}/${C}/#goals"]\n'
        + 'nudge_retro = "off"\nreport = "월 08:30"\n[teams.notify.owners]\n"김민수" = ["json://h/x"]\n'
    )
    team = load_settings(_write(tmp_path, text)).teams[0]
    assert team.notify.team == ("slack://${A}/${B}/${C}/#goals",)
    assert (team.notify.nudge_retro, team.notify.report, team.holidays) == ("off", "월 08:30", "KR")
