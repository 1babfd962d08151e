"""The config file: validated settings, or one clear line per fault."""

import re
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sync.checks.context import Limits
from sync.config import (
    AlertsConfig,
    EmailConfig,
    GoogleConfig,
    LimitsConfig,
    NotifyConfig,
    PortfolioConfig,
    QuotaConfig,
    ScheduleConfig,
    ServiceConfig,
    TeamConfig,
    _example,
    config_path,
    load_settings,
    parse_deadline,
)
from sync.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "flowsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def test_example_config_is_valid_and_complete() -> None:
    """config.example.toml loads, and its team overrides the global limit."""
    settings = load_settings(EXAMPLE)
    team = settings.teams[0]
    assert settings.team_limits(team).max_metrics == 4
    assert settings.team_limits(team).max_risks_per_week == 2
    assert settings.email.smtp_host is None


def _commented_keys(text: str) -> set[str]:
    """``email.smtp_host`` for each ``# smtp_host = ...`` line: an option shown but left unset."""
    keys, table = set(), ""
    for line in text.splitlines():
        if header := re.match(r"#?\s*\[\[?([\w.]+)\]\]?", line):
            table = header[1]
            if line.startswith("#"):
                keys.add(table)
        elif key := re.match(r"#\s*(\w+)\s*=", line):
            keys.add(f"{table}.{key[1]}")
    return keys


def _undocumented(
    model: BaseModel, raw: dict[str, object], commented: set[str], where: str
) -> list[str]:
    """Each key of ``model`` missing from the example, or shown with a value not its default.

    A key whose default is nothing (None, no list) may show any example value.
    """
    faults = []
    for key, field in type(model).model_fields.items():
        name = f"{where}.{key}" if where else key
        value = getattr(model, key)
        if key == "path" or name in commented:
            continue
        if key not in raw:
            faults.append(f"{name}: not in config.example.toml")
        elif isinstance(value, BaseModel):
            faults += _undocumented(value, raw[key], commented, name)  # type: ignore[arg-type]
        elif key == "teams":
            faults += _undocumented(value[0], raw[key][0], commented, name)  # type: ignore[index]
        elif field.default not in (None, (), {}, PydanticUndefined) and value != field.default:
            faults.append(
                f"{name}: config.example.toml shows {value!r}, the default is {field.default!r}"
            )
    return faults


def test_example_config_shows_every_key_with_its_default() -> None:
    """config.example.toml says "every option, with its default": a key added or a default changed
    in sync/config.py fails here, by name, until the example says so too."""
    text = EXAMPLE.read_text(encoding="utf-8")
    settings = load_settings(EXAMPLE)
    faults = _undocumented(settings, tomllib.loads(text), _commented_keys(text), "")
    assert not faults, "\n".join(faults)
    # [limits] leaves its defaults to the checks: the example shows those.
    assert settings.limits.merged(Limits()) == Limits()


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
        ('[service]\nlocale = "fr"\n', r'service\.locale: .*"en" or "ko"'),
        ('[service]\ntimezone = "Mars/Base"\n', r"service\.timezone: expected an IANA time zone"),
        ('[email]\nsmtp_hots = "x"\n', r"email\.smtp_hots: unknown key"),
        ('[[teams]]\nname = "A"\n', r"teams\[0\] \(A\): expected exactly one of workbook"),
        (
            '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\nspreadsheet = "b"\n',
            r"teams\[0\] \(A\): expected exactly one",
        ),
        (
            '[limits]\nplan_deadline = "noon"\n',
            r"limits\.plan_deadline: expected a weekday and a time",
        ),
        (
            "[limits]\nmax_metrics = 0\n",
            r"limits\.max_metrics: expected a whole number of 1 or more",
        ),
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


SALES2 = '[[teams]]\nname = "영업2팀"\nworkbook = "a.xlsx"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A string where a list belongs, at the top and in a team named by its name.
        (
            SALES2 + 'alert_to = "lead@example.com"\n',
            r"teams\[0\] \(영업2팀\)\.alert_to: expected a list of e-mail addresses,"
            r' such as alert_to = \["lead@example\.com"\]',
        ),
        (
            '[schedule]\ncheck = "mon-fri 18:00"\n',
            r'schedule\.check: expected a list of schedule specs, such as check = \["mon-fri 18:00"\]',
        ),
        (
            SALES2 + '[teams.alerts]\nowner_codes = "LINK001"\n',
            r"teams\[0\] \(영업2팀\)\.alerts\.owner_codes: expected a list of check codes,"
            r' such as owner_codes = \["LINK001", "LINK002", "LINK004"\]',
        ),
        (
            SALES2 + '[teams.notify]\nteam = "slack://${A}/${B}/${C}/#sales"\n',
            r"teams\[0\] \(영업2팀\)\.notify\.team: expected a list of Apprise URLs,"
            r' such as team = \["slack://\$\{A\}/\$\{B\}/\$\{C\}/#sales-1"\]',
        ),
        (
            "[google]\ncredentials = 5\n",
            r"google\.credentials: expected a path in quotes or a list of paths in quotes"
            r' \(at least 1\), such as credentials = "service-account\.json"',
        ),
        # A wrong item in a list, and a table expected.
        (
            SALES2 + 'alert_to = ["lead@example.com", 5]\n',
            r"teams\[0\] \(영업2팀\)\.alert_to\[1\]: expected an e-mail address in quotes,"
            r' such as alert_to = \["lead@example\.com"\]',
        ),
        (
            SALES2 + 'people = "minsu.kim@example.com"\n',
            r"teams\[0\] \(영업2팀\)\.people: expected a table of names to e-mail addresses,"
            r' such as people = \{ "김민수" = "minsu\.kim@example\.com" \}',
        ),
        (
            'service = "default"\n',
            r"service: expected a table: a line \[service\] with its keys on the lines below",
        ),
        (
            '[teams]\nname = "A"\nworkbook = "a.xlsx"\n',
            r"teams: expected a \[\[teams\]\] table for each entry, with its keys on the lines below",
        ),
        # A wrong scalar, out of range, not a choice: what was there is said too.
        (
            '[service]\nworkers = "four"\n',
            r'service\.workers: expected a whole number from 1 to 32, such as workers = 4; got "four"',
        ),
        (
            "[service]\nworkers = 4.5\n",
            r"service\.workers: expected a whole number from 1 to 32, such as workers = 4; got 4\.5",
        ),
        (
            "[email]\nsmtp_port = 70000\n",
            r"email\.smtp_port: expected a whole number from 1 to 65535, such as smtp_port = 587;"
            r" got 70000",
        ),
        (
            '[schedule]\njitter_seconds = "soon"\n',
            r"schedule\.jitter_seconds: expected a number from 0 to 3600,"
            r' such as jitter_seconds = 30\.0; got "soon"',
        ),
        (
            "[quota]\nwindow_seconds = 0\n",
            r"quota\.window_seconds: expected a number above 0, such as window_seconds = 60\.0; got 0",
        ),
        (
            '[google]\nchange_detection = "maybe"\n',
            r"google\.change_detection: expected true or false, such as change_detection = false;"
            r' got "maybe"',
        ),
        (
            SALES2 + 'locale = "fr"\n',
            r'teams\[0\] \(영업2팀\)\.locale: expected "en" or "ko", such as locale = "en"; got "fr"',
        ),
        (
            '[email]\nsecurity = "tls"\n',
            r'email\.security: expected "starttls" or "ssl" or "none", such as security = "starttls";'
            r' got "tls"',
        ),
        (
            SALES2 + "holidays = 82\n",
            r'teams\[0\] \(영업2팀\)\.holidays: expected a country code in quotes, such as holidays = "KR"',
        ),
        # Missing and unknown keys.
        (
            '[[teams]]\nworkbook = "a.xlsx"\n',
            r"teams\[0\]\.name: required key is missing; expected the team's name in quotes,"
            r' not empty, such as name = "영업1팀"',
        ),
        (
            '[[teams]]\nname = ""\nworkbook = "a.xlsx"\n',
            r"teams\[0\]\.name: expected the team's name in quotes, not empty,"
            r' such as name = "영업1팀"',
        ),
        (
            SALES2 + 'alerts_to = ["lead@example.com"]\n',
            r"teams\[0\] \(영업2팀\)\.alerts_to: unknown key; did you mean alert_to\?"
            r" Check its spelling against config\.example\.toml",
        ),
        (
            SALES2 + '[teams.schedule]\ncheck = ["mon-fri 18:00"]\n',
            r"teams\[0\] \(영업2팀\)\.schedule: unknown key here; schedule is a top-level table,"
            r" \[schedule\], for the whole file",
        ),
        (
            '[smtp]\nsender = "flowsync@example.com"\n',
            r"smtp: unknown key; expected one of service, limits, email, google, schedule, quota,"
            r" portfolio, teams \(see config\.example\.toml\)",
        ),
        # A bad e-mail address, time or code, in the words of its own check.
        (
            SALES2 + 'alert_to = ["lead"]\n',
            r"teams\[0\] \(영업2팀\)\.alert_to\[0\]: expected an e-mail address"
            r' such as "lead@example\.com", got \'lead\'',
        ),
        (
            SALES2 + '[teams.notify]\nquiet_hours = "22:00-7"\n',
            r"teams\[0\] \(영업2팀\)\.notify\.quiet_hours: expected quiet hours"
            r' such as "21:00-08:00" or "off", got \'22:00-7\'',
        ),
        (
            '[schedule]\ncheck = ["mon-fri 18:00", "mon 25:00"]\n',
            r'schedule\.check\[1\]: expected "mon-fri 18:00", "daily 07:00", "월 08:00"'
            r' or "every 10 minutes", got \'mon 25:00\'',
        ),
        (
            '[schedule]\nsummary = ["someday 09:00"]\n',
            r"schedule\.summary\[0\]: expected days such as mon\.\.sun, 월\.\.일, mon-fri, daily"
            r" or weekdays, got 'someday' in 'someday 09:00'",
        ),
        (
            SALES2 + '[teams.alerts]\nteam_codes = ["LINK001", "LINK999"]\n',
            r"teams\[0\] \(영업2팀\)\.alerts\.team_codes\[1\]: expected a check code"
            r' such as "LINK001", got \'LINK999\'',
        ),
        # A TOML time where a weekday and a time in quotes belong.
        (
            "[limits]\nplan_deadline = 12:00:00\n",
            r"limits\.plan_deadline: expected a weekday and a time in quotes,"
            r' such as plan_deadline = "Mon 12:00"',
        ),
        (
            SALES2 + "[teams.notify]\nnudge_plan = 10:00:00\n",
            r"teams\[0\] \(영업2팀\)\.notify\.nudge_plan: expected days and a time in quotes,"
            r' or "off", such as nudge_plan = "mon 10:00"',
        ),
        (
            SALES2 + '[teams.limits]\nplan_deadline = "Mon 25:00"\n',
            r"teams\[0\] \(영업2팀\)\.limits\.plan_deadline: expected a weekday and a time"
            r' such as "Mon 12:00" or "월 12:00", got \'Mon 25:00\'',
        ),
    ],
)
def test_a_bad_value_says_what_was_expected_with_a_toml_example(
    tmp_path: Path, text: str, expected: str
) -> None:
    """One line: the file, the key (a team by its name too), what was expected, a line of TOML."""
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert re.fullmatch(f"{re.escape(str(path))}: {expected}", str(info.value)), str(info.value)


def test_a_team_named_across_two_lines_is_still_one_line(tmp_path: Path) -> None:
    """A line break in a team's name or a key does not split the message."""
    text = '[[teams]]\nname = "영업\\n2팀"\nworkbook = "a.xlsx"\nalert_to = "x"\n'
    with pytest.raises(ConfigError, match=r"teams\[0\] \(영업 2팀\)\.alert_to: ") as info:
        load_settings(_write(tmp_path, text))
    assert "\n" not in str(info.value)


def test_a_channel_given_as_a_string_is_not_repeated(tmp_path: Path) -> None:
    """A channel URL may hold a token by mistake: a wrong shape names the key, never the value."""
    text = TEAM + '[teams.notify]\nteam = "discord://1234/SECRETTOKEN"\n'
    with pytest.raises(ConfigError, match=r"notify\.team: expected a list") as info:
        load_settings(_write(tmp_path, text))
    assert "SECRETTOKEN" not in str(info.value)


def test_every_key_has_an_example_for_its_messages() -> None:
    """A new key without a default needs Field(examples=...), or its message would have none."""
    models = [
        ServiceConfig, LimitsConfig, EmailConfig, GoogleConfig, ScheduleConfig, QuotaConfig,
        PortfolioConfig, TeamConfig, AlertsConfig, NotifyConfig,
    ]  # fmt: skip
    missing = [
        f"{model.__name__}.{key}"
        for model in models
        for key, field in model.model_fields.items()
        if not isinstance(field.default, BaseModel) and _example(key, field) is None
    ]
    assert missing == []


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
            'teams\\[0\\] \\(A\\)\\.workbook: expected the path of an .xlsx workbook, such as "teams/sales.xlsx"; got ""',
        ),
        (
            "x.csv",
            "teams\\[0\\] \\(A\\)\\.workbook: expected the path of an .xlsx workbook .*; got 'x.csv'",
        ),
        (
            "some-folder",
            "teams\\[0\\] \\(A\\)\\.workbook: expected the path of an .xlsx workbook .*; got 'some-folder'",
        ),
        (
            "folder.xlsx",
            "teams\\[0\\] \\(A\\)\\.workbook: expected an .xlsx file, but folder.xlsx is a folder",
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
        ('holidays = "XX"\n', r'teams\[0\] \(A\)\.holidays: expected a country code .* "KR"'),
        (
            '[teams.notify]\nnudge_plan = "every 10 minutes"\n',
            r'teams\[0\] \(A\)\.notify\.nudge_plan: expected days and a time such as "mon 10:00" or "off"',
        ),
        (
            '[teams.notify]\nquiet_hours = "night"\n',
            r'teams\[0\] \(A\)\.notify\.quiet_hours: expected quiet hours such as "21:00-08:00"',
        ),
        (
            '[teams.notify.owners]\n"Kim" = ["discord://1234/SECRETTOKEN"]\n',
            r"teams\[0\] \(A\)\.notify\.owners\.Kim\[0\]: expected the secret parts of this discord:// URL"
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
