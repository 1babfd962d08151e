"""The TOML config file -> validated, immutable settings.

Every error is one line naming the file, the key and what was expected, so the
CLI can print it and exit 2 without a traceback. Unknown keys are errors too: a
typo such as ``smtp_hots`` must not silently fall back to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sync.core import Locale
from sync.errors import ConfigError
from sync.notify.channels import check_channel_url
from sync.notify.timing import country_code, parse_quiet_hours
from sync.triggers import WallClock, parse_trigger
from sync.workbook.values import is_address, parse_weekday

if TYPE_CHECKING:  # the checks import pandas, which cheap commands (status, --help) never load
    from sync.checks.context import Limits

DEFAULT_CONFIG = Path("flowsync.toml")
BUNDLED_DEMO = Path(__file__).parent / "demo" / "flowsync.toml"

_DEADLINE = re.compile(r"\s*(\w+?)(?:요일|day)?\s+(\d{1,2}):(\d{2})\s*", re.I)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"expected an IANA time zone such as Asia/Seoul, got {name!r}") from None
    return name


class LimitsConfig(_Model):
    """``[limits]`` and ``[teams.limits]``: every key optional, docs/WORKBOOK.md's defaults."""

    max_metrics: Annotated[int, Field(ge=1)] | None = None
    max_risks_per_week: Annotated[int, Field(ge=1)] | None = None
    plan_deadline: str | None = None
    lookback_weeks: Annotated[int, Field(ge=1, le=52)] | None = None

    @field_validator("plan_deadline")
    @classmethod
    def _deadline(cls, value: str | None) -> str | None:
        if value is not None:
            parse_deadline(value)
        return value

    def merged(self, base: Limits) -> Limits:
        """``base`` with the keys set here applied on top."""
        weekday, at = (
            parse_deadline(self.plan_deadline)
            if self.plan_deadline
            else (base.plan_deadline_weekday, base.plan_deadline_time)
        )
        from sync.checks.context import Limits

        return Limits(
            max_metrics=self.max_metrics or base.max_metrics,
            max_risks_per_week=self.max_risks_per_week or base.max_risks_per_week,
            plan_deadline_weekday=weekday,
            plan_deadline_time=at,
            lookback_weeks=self.lookback_weeks or base.lookback_weeks,
        )


def parse_deadline(value: str) -> tuple[int, time]:
    """``"Mon 12:00"`` or ``"월 12:00"`` -> (weekday, time)."""
    m = _DEADLINE.fullmatch(value)
    day = parse_weekday(m.group(1)) if m else None
    if m is None or day is None or int(m.group(2)) > 23 or int(m.group(3)) > 59:
        raise ValueError(
            f'expected a weekday and a time such as "Mon 12:00" or "월 12:00", got {value!r}'
        )
    return day, time(int(m.group(2)), int(m.group(3)))


class ServiceConfig(_Model):
    locale: Locale = "ko"
    timezone: str = "Asia/Seoul"
    state_dir: Path = Path(".flowsync")
    workers: Annotated[int, Field(ge=1, le=32)] = 4  # teams served at once
    log_format: Literal["text", "json"] = "text"
    shard_count: Annotated[int, Field(ge=1)] | None = None  # for Kubernetes Indexed Jobs
    stale_after_days: Annotated[int, Field(ge=1)] = 8  # `status` flags teams not served since

    _tz = field_validator("timezone")(_zone)


def _address(value: str) -> str:
    if not is_address(value):
        raise ValueError(f"expected an e-mail address such as lead@example.com, got {value!r}")
    return value


Address = Annotated[str, AfterValidator(_address)]


class EmailConfig(_Model):
    sender: Address = "flowsync@localhost.localdomain"
    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str = "FLOWSYNC_SMTP_PASSWORD"
    tls_ca_file: Path | None = None  # a private CA for the SMTP server's certificate
    outbox: Path = Path("outbox")  # inside state_dir, when smtp_host is not set
    attempts: Annotated[int, Field(ge=1, le=10)] = 3


ALERT_DEFAULT = ("LINK001", "LINK002", "LINK004")  # unlinked work, as the teams asked


class AlertsConfig(_Model):
    """``[teams.alerts]``: which check codes alert whom."""

    owner_codes: tuple[str, ...] = ALERT_DEFAULT
    team_codes: tuple[str, ...] = ALERT_DEFAULT

    @field_validator("owner_codes", "team_codes")
    @classmethod
    def _known(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        from sync.codes import CHECK

        unknown = [c for c in codes if c not in CHECK]
        if unknown:
            raise ValueError(f"expected check codes such as LINK001, got {', '.join(unknown)}")
        return codes


class ScheduleConfig(_Model):
    """``[schedule]``: when the worker checks and alerts, and when it writes the Weekly Summary."""

    check: tuple[str, ...] = ("mon-fri 18:00",)
    summary: tuple[str, ...] = ("mon 08:00",)
    jitter_seconds: Annotated[float, Field(ge=0, le=3600)] = 30.0

    @field_validator("check", "summary")
    @classmethod
    def _specs(cls, specs: tuple[str, ...]) -> tuple[str, ...]:
        for spec in specs:
            parse_trigger(spec, ZoneInfo("UTC"))
        return specs


class QuotaConfig(_Model):
    """``[quota]``: the Sheets API per-user quotas one worker paces itself to."""

    reads_per_minute: Annotated[int, Field(ge=1)] = 60
    writes_per_minute: Annotated[int, Field(ge=1)] = 60
    window_seconds: Annotated[float, Field(gt=0)] = 60.0


class GoogleConfig(_Model):
    # One service-account key, or several: each has its own 60 reads and 60 writes a minute,
    # and teams are divided among them by a stable hash of their name.
    credentials: Path | Annotated[tuple[Path, ...], Field(min_length=1)] | None = None
    # A call that keeps meeting 429/5xx or a dead connection gives up after this long.
    retry_seconds: Annotated[float, Field(ge=0)] = 120.0
    retry_initial_seconds: Annotated[float, Field(ge=0)] = 1.0
    # One request that hangs longer than this is abandoned and retried.
    request_timeout_seconds: Annotated[float, Field(gt=0)] = 60.0
    # Before sending, a run writes its lease and reads it back this much later (see sync/lease.py).
    lease_settle_seconds: Annotated[float, Field(ge=0)] = 2.0
    # Ask Drive which sheets changed since the last cycle and read only those (needs the
    # drive.metadata.readonly scope and the Drive API enabled). Off: every team is read.
    change_detection: bool = False
    # How far before the last cycle files.list looks: more than any clock skew between
    # this machine and Google.
    change_overlap_seconds: Annotated[float, Field(ge=0)] = 300.0
    # A team's sheet is read in full at least this often, edited or not.
    full_read_hours: Annotated[float, Field(gt=0)] = 24.0

    @property
    def key_files(self) -> tuple[Path | None, ...]:
        """The service-account keys; (None,) for GOOGLE_APPLICATION_CREDENTIALS or the emulator."""
        if self.credentials is None:
            return (None,)
        if isinstance(self.credentials, Path):
            return (self.credentials,)
        return self.credentials


class Source(_Model):
    """Where a workbook lives: exactly one of a local .xlsx file or a Google spreadsheet."""

    workbook: Path | None = None
    spreadsheet: str | None = None

    @field_validator("workbook", mode="before")
    @classmethod
    def _xlsx(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError(
                'expected the path of an .xlsx workbook, such as "teams/sales.xlsx"; got ""'
            )
        if isinstance(value, str | Path) and Path(value).suffix.lower() != ".xlsx":
            raise ValueError(
                f"expected the path of an .xlsx workbook (Excel or LibreOffice, saved as .xlsx); "
                f"got {str(value)!r}"
            )
        return value

    @model_validator(mode="after")
    def _one_source(self) -> Source:
        if (self.workbook is None) == (self.spreadsheet is None):
            raise ValueError(
                'expected exactly one of workbook = "path.xlsx" or spreadsheet = "<id or URL>"'
            )
        return self


def _moment(value: str) -> str:
    """A nudge or report time: a weekday spec of ``[schedule]``, or "off"."""
    if value.strip().casefold() in ("off", "끔"):
        return value
    trigger = parse_trigger(value, ZoneInfo("UTC"))
    if not isinstance(trigger, WallClock):
        raise ValueError(f'expected days and a time such as "mon 10:00" or "off", got {value!r}')
    return value


def _quiet(value: str) -> str:
    parse_quiet_hours(value)
    return value


def _channel(value: str) -> str:
    check_channel_url(value)
    return value


Moment = Annotated[str, AfterValidator(_moment)]
ChannelUrl = Annotated[str, AfterValidator(_channel)]


class NotifyConfig(_Model):
    """``[teams.notify]``: messenger channels, nudges before the deadlines, the lead's report.

    Channels are Apprise URLs; their secret parts are ``${VARIABLE}`` placeholders
    filled from the environment when a message is sent, never written in the file.
    """

    team: tuple[ChannelUrl, ...] = ()  # the team's own channels
    owners: dict[str, tuple[ChannelUrl, ...]] = Field(default_factory=dict)  # owner -> channels
    nudge_plan: Moment = "mon 10:00"  # before the plan deadline ([limits] plan_deadline)
    nudge_retro: Moment = "fri 16:00"
    report: Moment = "mon 08:00"  # the lead's weekly report to every alert_to address
    quiet_hours: Annotated[str, AfterValidator(_quiet)] = "21:00-08:00"  # no nudge then
    attempts: Annotated[int, Field(ge=1, le=10)] = 3  # tries per message and channel
    nudge_email: bool = True  # an owner with no channel of their own is nudged by e-mail


def _holidays(value: str | None) -> str | None:
    return None if value is None else country_code(value)


class TeamConfig(Source):
    name: Annotated[str, Field(min_length=1)]
    alert_to: tuple[Address, ...] = ()
    people: dict[str, Address] = Field(default_factory=dict)  # owner name -> e-mail
    alerts: AlertsConfig = AlertsConfig()
    notify: NotifyConfig = NotifyConfig()
    locale: Locale | None = None
    timezone: str | None = None
    holidays: Annotated[str | None, AfterValidator(_holidays)] = None  # "KR": no nudge on them
    limits: LimitsConfig = LimitsConfig()

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else _zone(value)


class PortfolioConfig(Source):
    """``[portfolio]``: where the portfolio tab goes."""


class Settings(_Model):
    """The whole config. ``path`` is its file; relative paths are resolved against its folder."""

    path: Path
    service: ServiceConfig = ServiceConfig()
    limits: LimitsConfig = LimitsConfig()
    email: EmailConfig = EmailConfig()
    google: GoogleConfig = GoogleConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    quota: QuotaConfig = QuotaConfig()
    portfolio: PortfolioConfig | None = None
    teams: tuple[TeamConfig, ...] = ()

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        names = [t.name for t in self.teams]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(
                    f"expected every team name once, {name!r} appears {names.count(name)} times"
                )
        return self

    @model_validator(mode="after")
    def _workbooks_are_files(self) -> Settings:
        for i, source in enumerate(self.teams):
            if source.workbook is not None and self.resolve(source.workbook).is_dir():
                raise ValueError(
                    f"teams[{i}].workbook: expected an .xlsx file, but {source.workbook} is a folder"
                )
        return self

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def resolve(self, path: Path) -> Path:
        """A path from the config, relative to the config file's folder."""
        return path if path.is_absolute() else self.base_dir / path

    @property
    def state_dir(self) -> Path:
        return self.resolve(self.service.state_dir)

    def team_limits(self, team: TeamConfig) -> Limits:
        from sync.checks.context import Limits

        return team.limits.merged(self.limits.merged(Limits()))

    def team_locale(self, team: TeamConfig) -> Locale:
        return team.locale or self.service.locale

    def team_timezone(self, team: TeamConfig) -> ZoneInfo:
        return ZoneInfo(team.timezone or self.service.timezone)

    def team(self, name: str) -> TeamConfig:
        for team in self.teams:
            if team.name == name:
                return team
        from sync.messages import ui

        loc = self.service.locale
        known = ", ".join(t.name for t in self.teams) or ui("none", loc)
        params = {"path": self.path, "name": repr(name), "known": known}
        raise ConfigError(ui("no_such_team", "en", **params), ko=ui("no_such_team", "ko", **params))


def config_path(explicit: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """--config, then FLOWSYNC_CONFIG, then ./flowsync.toml, then the bundled demo."""
    if explicit is not None:
        return explicit
    if environ.get("FLOWSYNC_CONFIG"):
        return Path(environ["FLOWSYNC_CONFIG"])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else BUNDLED_DEMO


def load_settings(path: Path) -> Settings:
    """Read and validate the config at ``path``; raise ConfigError with one line per fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such config file; pass --config PATH or set FLOWSYNC_CONFIG"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return settings_from_dict(raw, path=path)


def settings_from_dict(raw: dict[str, Any], *, path: Path) -> Settings:
    try:
        return Settings.model_validate({**raw, "path": path})
    except ValidationError as exc:
        lines = [
            f"{path}: {_where(e['loc'])}: {_expectation(e)}"
            if e["loc"]
            else f"{path}: {_expectation(e)}"
            for e in exc.errors()
        ]
        raise ConfigError("\n".join(lines)) from None


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith("function-"):
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _expectation(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key; check its spelling against config.example.toml"
    if error["type"] == "missing":
        return "required key is missing"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")
