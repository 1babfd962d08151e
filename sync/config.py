"""The TOML config file -> validated, immutable settings.

Every error is one line naming the file, the key and what was expected, so the
CLI can print it and exit 2 without a traceback. Unknown keys are errors too: a
typo such as ``smtp_hots`` must not silently fall back to a default.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin
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
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, PydanticUndefined

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


@dataclass(frozen=True)
class Expect:
    """What a value of a type is, in words: a bad value's message says it (one, and a list of them)."""

    one: str
    many: str


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"expected an IANA time zone such as Asia/Seoul, got {name!r}") from None
    return name


class LimitsConfig(_Model):
    """``[limits]`` and ``[teams.limits]``: every key optional, docs/WORKBOOK.md's defaults."""

    # Unset is docs/WORKBOOK.md's default; the examples are those defaults, for the error messages.
    max_metrics: Annotated[int, Field(ge=1)] | None = Field(default=None, examples=[5])
    max_risks_per_week: Annotated[int, Field(ge=1)] | None = Field(default=None, examples=[2])
    plan_deadline: Annotated[str, Expect("a weekday and a time in quotes", "times")] | None = Field(
        default=None, examples=["Mon 12:00"]
    )
    lookback_weeks: Annotated[int, Field(ge=1, le=52)] | None = Field(default=None, examples=[4])

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
    # N for Kubernetes Indexed Jobs
    shard_count: Annotated[int, Field(ge=1)] | None = Field(default=None, examples=[4])
    stale_after_days: Annotated[int, Field(ge=1)] = 8  # `status` flags teams not served since

    _tz = field_validator("timezone")(_zone)


def _address(value: str) -> str:
    if not is_address(value):
        raise ValueError(f'expected an e-mail address such as "lead@example.com", got {value!r}')
    return value


Address = Annotated[
    str, AfterValidator(_address), Expect("an e-mail address in quotes", "e-mail addresses")
]


class EmailConfig(_Model):
    sender: Address = "flowsync@localhost.localdomain"
    smtp_host: str | None = Field(default=None, examples=["smtp.example.com"])
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = Field(default=None, examples=["flowsync"])
    password_env: str = "FLOWSYNC_SMTP_PASSWORD"
    # a private CA for the SMTP server's certificate
    tls_ca_file: Path | None = Field(default=None, examples=["corp-ca.pem"])
    outbox: Path = Path("outbox")  # inside state_dir, when smtp_host is not set
    attempts: Annotated[int, Field(ge=1, le=10)] = 3


ALERT_DEFAULT = ("LINK001", "LINK002", "LINK004")  # unlinked work, as the teams asked


def _code(code: str) -> str:
    from sync.codes import CHECK

    if code not in CHECK:
        raise ValueError(f'expected a check code such as "LINK001", got {code!r}')
    return code


CheckCode = Annotated[str, AfterValidator(_code), Expect("a check code in quotes", "check codes")]


class AlertsConfig(_Model):
    """``[teams.alerts]``: which check codes alert whom."""

    owner_codes: tuple[CheckCode, ...] = ALERT_DEFAULT
    team_codes: tuple[CheckCode, ...] = ALERT_DEFAULT


def _spec(spec: str) -> str:
    parse_trigger(spec, ZoneInfo("UTC"))
    return spec


Spec = Annotated[str, AfterValidator(_spec), Expect("a schedule spec in quotes", "schedule specs")]


class ScheduleConfig(_Model):
    """``[schedule]``: when the worker checks and alerts, and when it writes the Weekly Summary."""

    check: tuple[Spec, ...] = ("mon-fri 18:00",)
    summary: tuple[Spec, ...] = ("mon 08:00",)
    jitter_seconds: Annotated[float, Field(ge=0, le=3600)] = 30.0


class QuotaConfig(_Model):
    """``[quota]``: the Sheets API per-user quotas one worker paces itself to."""

    reads_per_minute: Annotated[int, Field(ge=1)] = 60
    writes_per_minute: Annotated[int, Field(ge=1)] = 60
    window_seconds: Annotated[float, Field(gt=0)] = 60.0


class GoogleConfig(_Model):
    # One service-account key, or several: each has its own 60 reads and 60 writes a minute,
    # and teams are divided among them by a stable hash of their name.
    credentials: Path | Annotated[tuple[Path, ...], Field(min_length=1)] | None = Field(
        default=None, examples=["service-account.json"]
    )
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

    workbook: Path | None = Field(default=None, examples=["teams/sales1.xlsx"])
    spreadsheet: str | None = Field(default=None, examples=["<id or URL>"])

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


Moment = Annotated[
    str, AfterValidator(_moment), Expect('days and a time in quotes, or "off"', "times")
]
ChannelUrl = Annotated[
    str, AfterValidator(_channel), Expect("an Apprise URL in quotes", "Apprise URLs")
]


class NotifyConfig(_Model):
    """``[teams.notify]``: messenger channels, nudges before the deadlines, the lead's report.

    Channels are Apprise URLs; their secret parts are ``${VARIABLE}`` placeholders
    filled from the environment when a message is sent, never written in the file.
    """

    team: tuple[ChannelUrl, ...] = Field(
        default=(), examples=[("slack://${A}/${B}/${C}/#sales-1",)]
    )
    owners: dict[str, tuple[ChannelUrl, ...]] = Field(  # owner -> their own channels
        default_factory=dict, examples=[{"김민수": ("tgram://${BOT}/123456789",)}]
    )
    nudge_plan: Moment = "mon 10:00"  # before the plan deadline ([limits] plan_deadline)
    nudge_retro: Moment = "fri 16:00"
    report: Moment = "mon 08:00"  # the lead's weekly report to every alert_to address
    quiet_hours: Annotated[str, AfterValidator(_quiet)] = "21:00-08:00"  # no nudge then
    attempts: Annotated[int, Field(ge=1, le=10)] = 3  # tries per message and channel
    nudge_email: bool = True  # an owner with no channel of their own is nudged by e-mail


def _holidays(value: str | None) -> str | None:
    return None if value is None else country_code(value)


class TeamConfig(Source):
    name: Annotated[
        str,
        Field(min_length=1, examples=["영업1팀"]),
        Expect("the team's name in quotes, not empty", "names"),
    ]
    alert_to: tuple[Address, ...] = Field(default=(), examples=[("lead@example.com",)])
    people: dict[str, Address] = Field(  # owner name -> e-mail
        default_factory=dict, examples=[{"김민수": "minsu.kim@example.com"}]
    )
    alerts: AlertsConfig = AlertsConfig()
    notify: NotifyConfig = NotifyConfig()
    locale: Locale | None = Field(default=None, examples=["en"])
    timezone: str | None = Field(default=None, examples=["Europe/Berlin"])
    holidays: Annotated[  # "KR": no nudge on them
        str | None, AfterValidator(_holidays), Expect("a country code in quotes", "country codes")
    ] = Field(default=None, examples=["KR"])
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
                where = _where(("teams", i, "workbook"), [t.name for t in self.teams])
                raise ValueError(
                    f"{where}: expected an .xlsx file, but {source.workbook} is a folder"
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
    """Validate ``raw``; every fault becomes one line saying what was expected, with a TOML example."""
    try:
        return Settings.model_validate({**raw, "path": path})
    except ValidationError as exc:
        names = _team_names(raw.get("teams"))
        faults: dict[tuple[int | str, ...], ErrorDetails] = {}
        for error in exc.errors():
            loc = _key_of(error)
            kept = faults.get(loc)
            # One key of a union fails once per member: keep the member that got furthest.
            if kept is None or (
                kept["type"].endswith("_type") and not error["type"].endswith("_type")
            ):
                faults[loc] = error
        lines = [
            f"{path}: {_where(loc, names)}: {_expectation(loc, error)}"
            if loc
            else f"{path}: {_expectation(loc, error)}"
            for loc, error in faults.items()
        ]
        raise ConfigError("\n".join(lines)) from None


def _team_names(teams: object) -> list[str | None]:
    """Each [[teams]] entry's name as written, so a message can say which team it means."""
    if not isinstance(teams, list):
        return []
    return [
        " ".join(t["name"].split())
        if isinstance(t, dict) and isinstance(t.get("name"), str)
        else None
        for t in teams
    ]


def _where(loc: Sequence[int | str], team_names: Sequence[str | None] = ()) -> str:
    """``teams[0] (영업1팀).alert_to[1]``: keys dotted, items indexed, a team by its name too."""
    out = ""
    for n, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
            if (
                loc[:n] == ("teams",)
                and part < len(team_names)
                and (team_names[part] or "").strip()
            ):
                out += f" ({team_names[part]})"
        else:
            key = " ".join(part.split())  # a key with a line break stays on the one line
            out += f".{key}" if out else key
    return out or "(top level)"


def _key_of(error: ErrorDetails) -> tuple[int | str, ...]:
    """The part of pydantic's location that names keys and items, without its union members."""
    loc = tuple(error["loc"])
    return loc if error["type"] == "extra_forbidden" else loc[: _walk(loc)[0]]


def _walk(loc: Sequence[int | str]) -> tuple[int, str | None, FieldInfo | None, Any]:
    """Follow ``loc`` through the models: how many parts are keys or items, the last key, its
    field and the type at the end."""
    tp: Any = Settings
    key: str | None = None
    field: FieldInfo | None = None
    for n, part in enumerate(loc):
        bare, _ = _bare(tp)
        origin = get_origin(bare)
        if isinstance(part, str) and _is_model(bare) and part in bare.model_fields:
            key, field = part, bare.model_fields[part]
            tp = field.rebuild_annotation()
        elif isinstance(part, int) and origin is tuple:
            tp = get_args(bare)[0]
        elif isinstance(part, str) and origin is dict:
            tp = get_args(bare)[1]
        else:
            return n, key, field, tp
    return len(loc), key, field, tp


def _bare(tp: Any) -> tuple[Any, list[Any]]:
    """``tp`` without Annotated and Optional, and the metadata found on the way."""
    meta: list[Any] = []
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp, *more = get_args(tp)
            for item in more:
                meta.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        elif origin in (Union, UnionType):
            rest = [a for a in get_args(tp) if a is not NoneType]
            if len(rest) > 1:
                return rest, meta  # a real union: its members, as a list
            tp = rest[0]
        else:
            return tp, meta


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _expectation(loc: tuple[int | str, ...], error: ErrorDetails) -> str:
    """What was expected, in words, with an example in TOML; pydantic's own words only for the
    rare fault no person can cause by typing the file."""
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    _, key, field, tp = _walk(loc)
    if kind == "extra_forbidden":
        return _unknown(str(loc[-1]), tp)
    bare, _ = _bare(tp)
    table = ".".join(str(p) for p in loc if isinstance(p, str))
    if _is_model(bare):
        header = f"[[{table}]]" if isinstance(loc[-1], int) else f"[{table}]"
        return f"expected a table: a line {header} with its keys on the lines below"
    if get_origin(bare) is tuple and _is_model(_bare(get_args(bare)[0])[0]):
        return f"expected a [[{table}]] table for each entry, with its keys on the lines below"
    if key is None or field is None:
        return str(error["msg"])
    example = _example(key, field)
    expected = f"expected {_noun(tp)}" + (f", such as {example}" if example else "")
    if kind == "missing":
        return f"required key is missing; {expected}"
    if _plain(bare):  # numbers, true/false and choices: never a secret, so say what was there
        return f"{expected}; got {_toml(error['input'], limit=40)}"
    return expected


def _unknown(key: str, model: Any) -> str:
    """An unknown key: the known key it most looks like, else where it belongs, else all keys."""
    known = [k for k in _bare(model)[0].model_fields if not (model is Settings and k == "path")]
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return (
            f"unknown key; did you mean {close[0]}? Check its spelling against config.example.toml"
        )
    if model is not Settings and key in Settings.model_fields and key != "path":
        return f"unknown key here; {key} is a top-level table, [{key}], for the whole file"
    return f"unknown key; expected one of {', '.join(known)} (see config.example.toml)"


def _plain(tp: Any) -> bool:
    return tp in (int, float, bool) or get_origin(tp) is Literal


def _noun(tp: Any, many: bool = False) -> str:
    """``a whole number from 1 to 32``, ``a list of e-mail addresses``: a type, in words."""
    bare, meta = _bare(tp)
    for item in meta:
        if isinstance(item, Expect):
            return item.many if many else item.one
    origin = get_origin(bare)
    if isinstance(bare, list):
        return " or ".join(_noun(member, many) for member in bare)
    if origin is Literal:
        return " or ".join(_toml(v) for v in get_args(bare))
    if origin is tuple:
        return "a list of " + _noun(get_args(bare)[0], many=True) + _count(meta)
    if origin is dict:
        return "a table of names to " + _noun(get_args(bare)[1], many=True)
    if bare is bool:
        return "true or false"
    if bare is int:
        return ("whole numbers" if many else "a whole number") + _range(meta)
    if bare is float:
        return ("numbers" if many else "a number") + _range(meta)
    if bare is Path:
        return "paths in quotes" if many else "a path in quotes"
    if bare is str:
        return "texts in quotes" if many else "text in quotes"
    return "values" if many else "a value"


def _bound(meta: list[Any], name: str) -> Any:
    """A constraint of Field(ge=..., min_length=...), as annotated_types keeps it, or None."""
    return next((getattr(m, name) for m in meta if getattr(m, name, None) is not None), None)


def _range(meta: list[Any]) -> str:
    low, high, above = _bound(meta, "ge"), _bound(meta, "le"), _bound(meta, "gt")
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of {low} or more"
    if above is not None:
        return f" above {above}"
    return f" of {high} or less" if high is not None else ""


def _count(meta: list[Any]) -> str:
    least = _bound(meta, "min_length")
    return f" (at least {least})" if least else ""


def _example(key: str, field: FieldInfo) -> str | None:
    """``workers = 4``: the field's example, else its default, as a line of TOML."""
    value = field.examples[0] if field.examples else field.default
    if value is None or value is PydanticUndefined or value in ((), {}) or _is_model(type(value)):
        return None
    return f"{key} = {_toml(value)}"


def _toml(value: object, limit: int = 0) -> str:
    """``value`` as TOML writes it; cut to ``limit`` characters when one is given."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float):
        text = repr(value)
    elif isinstance(value, date | time):
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(_toml(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{ " + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + " }"
    else:
        text = json.dumps(str(value), ensure_ascii=False)
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"
