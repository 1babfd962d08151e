"""What one team's cycle sends besides the alert e-mails: nudges, channel alerts, the weekly report.

``due_notices`` is pure: from the frames, the findings, the clock and the
state tab it lists every message due now and not yet sent, each with the
state keys that record it; ``prune`` forgets old weeks' keys and alerts whose
findings are gone. ``deliver`` sends them, one channel at a time, a
failing channel never stopping the others, and records only what went out:
a nudge not sent is not recorded as sent, so the next cycle tries it again.

State keys, in the ``_flowsync`` tab beside the e-mail alerts' (same
fingerprints, one key per message and channel)::

    notify:plan:2026-W48:<owner>:<channel>      the Monday plan nudge (``mail`` for an e-mail)
    notify:retro:2026-W48:<owner>:<channel>     the Friday retro nudge
    notify:report:2026-W47:<address|channel>    the lead's weekly report
    notify:alert:<fingerprint>:<channel>        unlinked work, to the owner's channels
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync.alerts import Delivery
from sync.alerts.digest import fingerprint, owner_addresses
from sync.alerts.message import one_line, subject_header
from sync.checks.context import CheckContext
from sync.core import Locale
from sync.errors import ChannelError, MailError
from sync.findings import Finding
from sync.messages import moment_words, week_words
from sync.messages import where as said
from sync.triggers import WallClock, parse_trigger
from sync.workbook.contract import TAB
from sync.workbook.parse import Frames
from sync.workbook.values import DAY_ABBREVIATIONS, person_key, shift_week

from .channels import Channel, Note, Notifier
from .nudges import Nudge, NudgeRules, due_nudges, next_row
from .report import build_report, render_report, reported_week
from .timing import due_reports, is_off, is_quiet
from .words import word

if TYPE_CHECKING:
    from sync.alerts import Mailer
    from sync.config import Settings, TeamConfig

log = logging.getLogger(__name__)

PREFIX = "notify:"


@dataclass(frozen=True, kw_only=True)
class NotifyPolicy:
    """A team's ``[teams.notify]``, with the e-mail settings the report needs."""

    team_channels: tuple[Channel, ...] = ()
    owner_channels: Mapping[str, tuple[Channel, ...]] = field(default_factory=dict)  # by person_key
    rules: NudgeRules = field(default_factory=NudgeRules)
    report_at: str = "mon 08:00"
    report_to: tuple[str, ...] = ()  # alert_to
    report_codes: frozenset[str] = frozenset()  # [teams.alerts] team_codes
    owner_codes: frozenset[str] = frozenset()  # [teams.alerts] owner_codes
    people: Mapping[str, str] = field(default_factory=dict)
    attempts: int = 3
    nudge_email: bool = True  # an owner with no channel of their own is nudged by e-mail

    def channels(self) -> tuple[Channel, ...]:
        """Every channel, team's first, each once."""
        found = dict.fromkeys(self.team_channels)
        for chans in self.owner_channels.values():
            found.update(dict.fromkeys(chans))
        return tuple(found)

    def channels_of(self, owner: str | None) -> tuple[Channel, ...]:
        """An owner's own channels, the name compared as the workbook compares people."""
        return self.owner_channels.get(person_key(owner), ()) if owner else ()


def policy_for(settings: Settings, team: TeamConfig) -> NotifyPolicy:
    """The notify policy of a team, from its config."""
    from .timing import parse_quiet_hours

    n = team.notify
    return NotifyPolicy(
        team_channels=tuple(Channel(u) for u in n.team),
        owner_channels={person_key(o): tuple(Channel(u) for u in us) for o, us in n.owners.items()},
        rules=NudgeRules(
            plan_at=n.nudge_plan,
            retro_at=n.nudge_retro,
            quiet=parse_quiet_hours(n.quiet_hours),
            holidays=team.holidays,
        ),
        report_at=n.report,
        report_to=team.alert_to,
        report_codes=frozenset(team.alerts.team_codes),
        owner_codes=frozenset(team.alerts.owner_codes),
        people=team.people,
        attempts=n.attempts,
        nudge_email=n.nudge_email,
    )


def notify_times(settings: Settings, teams: Sequence[TeamConfig]) -> list[tuple[str, ZoneInfo]]:
    """The nudge and report times of ``teams`` that have somewhere to send, each in its team's zone, once.

    The worker adds a cycle at each: a nudge is due from its time, and a cycle
    must come to send it (its window may close before the next check). A team
    with public holidays also gets a cycle at its report time on every working
    day, for the report a holiday moved to the next one.
    """
    # Each (day, time, zone) once: "mon 08:00" and "mon-fri 08:00" are one Monday cycle.
    days: dict[tuple[time, str], set[int]] = {}
    zones: dict[str, ZoneInfo] = {}
    for team in teams:
        n, tz = team.notify, settings.team_timezone(team)
        specs = [n.report] if team.alert_to or n.team else []
        if specs and team.holidays and not is_off(n.report):
            specs.append(f"mon-fri {_wall_clock(n.report, tz).at:%H:%M}")
        if n.team or n.owners or n.nudge_email:
            specs += [n.nudge_plan, n.nudge_retro]
        for spec in specs:
            if not is_off(spec):
                at = _wall_clock(spec, tz)
                days.setdefault((at.at, tz.key), set()).update(at.days)
                zones[tz.key] = tz
    return [
        (f"{','.join(DAY_ABBREVIATIONS[d] for d in sorted(on))} {at:%H:%M}", zones[key])
        for (at, key), on in days.items()
    ]


def _wall_clock(spec: str, tz: ZoneInfo) -> WallClock:
    at = parse_trigger(spec, tz)
    assert isinstance(at, WallClock), "config accepts weekday specs only"
    return at


@dataclass(frozen=True, kw_only=True)
class Notice:
    """One message to one place, and the state keys that record it as sent."""

    keys: tuple[str, ...]
    what: str  # "plan", "retro" (nudges), "alert" or "report", for the lines people read
    channel: Channel | None = None
    note: Note | None = None
    email: EmailMessage | None = None

    @property
    def to(self) -> str:
        if self.channel is not None:
            return self.channel.label
        return str(self.email["To"]) if self.email is not None else ""


@dataclass(frozen=True, kw_only=True)
class Links:
    """How a message points at the sheet: a link to a row where the store has one, else words."""

    row: Callable[[str, int | None], str | None] = lambda tab, row: None  # contract key, row
    location: str = ""


def due_notices(
    frames: Frames,
    findings: Sequence[Finding],
    ctx: CheckContext,
    policy: NotifyPolicy,
    state: Mapping[str, str],
    *,
    team: str,
    links: Links = Links(),
    sender: str = "flowsync@localhost.localdomain",
) -> list[Notice]:
    """Every message due at ``ctx.now`` and not yet recorded in ``state``."""
    out: list[Notice] = []
    if not is_quiet(ctx.now, policy.rules.quiet):  # messengers keep quiet at night
        out += _nudges(frames, ctx, policy, state, team=team, links=links, sender=sender)
        out += _alerts(findings, ctx, policy, state, team=team, links=links)
    out += _reports(frames, findings, ctx, policy, state, team=team, links=links, sender=sender)
    return out


def _where(key: str, row: int | None, links: Links, loc: Locale) -> str:
    """A link to the row, or the tab, row and file in words."""
    link = links.row(key, row)
    if link:
        return link
    tab = TAB[key].name(loc)
    where = word("where_row", loc, tab=tab, row=row) if row else tab
    return word("in_file", loc, where=where, file=links.location) if links.location else where


def _nudges(
    frames: Frames,
    ctx: CheckContext,
    policy: NotifyPolicy,
    state: Mapping[str, str],
    *,
    team: str,
    links: Links,
    sender: str,
) -> list[Notice]:
    loc = ctx.locale
    out: list[Notice] = []
    nudges = due_nudges(frames, ctx, policy.rules)
    addresses = owner_addresses(frames, policy.people) if policy.nudge_email else {}
    for kind in ("plan", "retro"):
        mine = [n for n in nudges if n.kind == kind]
        if not mine:
            continue
        where = _where(kind, next_row(frames, kind), links, loc)  # a nudge's kind is its tab
        deadline = moment_words(ctx.plan_deadline(ctx.week), loc) if kind == "plan" else ""
        week = week_words(ctx.week, loc)
        title = word(f"{kind}_title", loc, team=team, week=week)
        for n in mine:
            body = word(f"{kind}_owner", loc, owner=n.owner, week=week, deadline=deadline)
            for chan in policy.channels_of(n.owner):
                key = nudge_key(n, chan)
                if key not in state:
                    note = Note(title, f"{body}\n{where}")
                    out.append(Notice(keys=(key,), what=kind, channel=chan, note=note))
            key = f"{PREFIX}{n.kind}:{n.week}:{n.owner}:mail"
            address = addresses.get(person_key(n.owner))
            if not policy.channels_of(n.owner) and address and key not in state:
                email = short_mail(
                    title,
                    f"{body}\n\n{where}\n",
                    to=address,
                    name=n.owner,
                    sender=sender,
                    now=ctx.now,
                )
                out.append(Notice(keys=(key,), what=kind, email=email))
        for chan in policy.team_channels:
            todo = [n for n in mine if nudge_key(n, chan) not in state]
            if todo:
                owners = ", ".join(n.owner for n in todo)
                body = word(f"{kind}_team", loc, owners=owners, week=week, deadline=deadline)
                out.append(
                    Notice(
                        keys=tuple(nudge_key(n, chan) for n in todo),
                        what=kind,
                        channel=chan,
                        note=Note(title, f"{body}\n{where}"),
                    )
                )
    return out


def short_mail(
    subject: str, body: str, *, to: str, name: str, sender: str, now: datetime
) -> EmailMessage:
    """A nudge as a plain-text e-mail: a few lines need no HTML."""
    msg = EmailMessage()
    msg["Subject"] = subject_header(subject)
    msg["From"] = Address("flowsync", addr_spec=sender)
    msg["To"] = Address(one_line(name), addr_spec=to)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg.set_content(body)
    return msg


def nudge_key(n: Nudge, chan: Channel) -> str:
    return f"{PREFIX}{n.kind}:{n.week}:{n.owner}:{chan.key}"


def _alerts(
    findings: Sequence[Finding],
    ctx: CheckContext,
    policy: NotifyPolicy,
    state: Mapping[str, str],
    *,
    team: str,
    links: Links,
) -> list[Notice]:
    """Unlinked work, to each owner's own channels: the same fingerprints as the e-mail."""
    loc = ctx.locale
    out: list[Notice] = []
    by_owner: dict[str, list[Finding]] = {}
    for f in findings:
        if f.owner and f.code in policy.owner_codes and f.week in ctx.weeks:
            by_owner.setdefault(f.owner, []).append(f)
    for owner, mine in by_owner.items():
        for chan in policy.channels_of(owner):
            todo = [f for f in mine if alert_key(f, chan) not in state]
            if not todo:
                continue
            lines = [word("alert_owner", loc, owner=owner)]
            lines += [f"- {f.message}\n  {_where(f.tab, f.row, links, loc)}" for f in todo]
            note = Note(word("alert_title", loc, team=team, n=len(todo)), "\n".join(lines))
            keys = tuple(alert_key(f, chan) for f in todo)
            out.append(Notice(keys=keys, what="alert", channel=chan, note=note))
    return out


def alert_key(f: Finding, chan: Channel) -> str:
    return f"{PREFIX}alert:{fingerprint(f)}:{chan.key}"


def _reports(
    frames: Frames,
    findings: Sequence[Finding],
    ctx: CheckContext,
    policy: NotifyPolicy,
    state: Mapping[str, str],
    *,
    team: str,
    links: Links,
    sender: str,
) -> list[Notice]:
    """The weekly report, once per recipient per week, when ``due_reports`` says it is due:
    from its time (the next working day's, after a holiday) until the end of the next working
    day, never in the quiet hours."""
    rules = policy.rules
    out: list[Notice] = []
    for fired in due_reports(policy.report_at, ctx.now, holidays=rules.holidays, quiet=rules.quiet):
        at_fire = replace(ctx, now=fired)
        out += _report(
            frames, findings, at_fire, policy, state, team=team, links=links, sender=sender,
            now=ctx.now,
        )  # fmt: skip
    return out


def _report(
    frames: Frames,
    findings: Sequence[Finding],
    at_fire: CheckContext,
    policy: NotifyPolicy,
    state: Mapping[str, str],
    *,
    team: str,
    links: Links,
    sender: str,
    now: datetime,
) -> list[Notice]:
    """The report of the week just lived at its scheduled time ``at_fire.now``, to whoever lacks it."""
    week = reported_week(at_fire)
    recipients = [*policy.report_to, *(c.key for c in policy.team_channels)]
    if all(report_key(week, r) in state for r in recipients):
        return []
    addresses = owner_addresses(frames, policy.people)
    unreachable = sorted(
        {
            f.owner
            for f in findings
            if f.owner
            and f.week == week
            and f.code in policy.owner_codes
            and person_key(f.owner) not in addresses
            and not policy.channels_of(f.owner)
        }
    )
    report = build_report(
        frames,
        findings,
        at_fire,
        team=team,
        codes=policy.report_codes,
        unreachable=unreachable,
        link=links.row,
        sheet_link=links.row("summary", None),
        location=links.location,
        built=now,
    )
    if not report.levers_planned:
        return []  # a week nobody planned (a new team's sheet): nothing a lead could act on
    out: list[Notice] = []
    for address in policy.report_to:
        key = report_key(week, address)
        if key not in state:
            email = render_report(report, recipient=address, sender=sender, now=now)
            out.append(Notice(keys=(key,), what="report", email=email))
    where = report.link or links.location
    for chan in policy.team_channels:
        key = report_key(week, chan.key)
        if key not in state:
            body = "\n".join((*(line.text for line in report.headline), where)).strip()
            note = Note(report.subject, body)
            out.append(Notice(keys=(key,), what="report", channel=chan, note=note))
    return out


def report_key(week: str, recipient: str) -> str:
    return f"{PREFIX}report:{week}:{recipient.casefold()}"


def prune(
    state: Mapping[str, str], findings: Sequence[Finding], policy: NotifyPolicy, ctx: CheckContext
) -> dict[str, str]:
    """The state without old weeks' nudges and reports, nor alerts whose findings are gone."""
    keep_weeks = {ctx.week, *(shift_week(ctx.week, -n) for n in (1, 2))}
    live = {
        alert_key(f, c)
        for f in findings
        if f.code in policy.owner_codes and f.week in ctx.weeks
        for c in policy.channels_of(f.owner)
    }
    kept: dict[str, str] = {}
    for key, value in state.items():
        if not key.startswith(PREFIX):
            kept[key] = value
            continue
        kind, _, rest = key.removeprefix(PREFIX).partition(":")
        if (kind == "alert" and key in live) or (
            kind != "alert" and rest.partition(":")[0] in keep_weeks
        ):
            kept[key] = value
    return kept


def send_test(
    policy: NotifyPolicy, *, team: str, locale: Locale, notifier: Notifier
) -> list[tuple[Channel, str | None]]:
    """One test message to every channel of a team: (channel, None when delivered, else the error)."""
    note = Note(word("test_title", locale), word("test_body", locale, team=team))
    results: list[tuple[Channel, str | None]] = []
    for chan in policy.channels():
        try:
            notifier.send(chan, note, attempts=policy.attempts)
        except ChannelError as exc:
            results.append((chan, exc.say(locale)))
        else:
            results.append((chan, None))
    return results


def deliver(
    notices: Sequence[Notice],
    state: Mapping[str, str],
    *,
    notifier: Notifier,
    mailer: Mailer | None,
    now: datetime,
    attempts: int = 3,
    locale: Locale = "en",
) -> Delivery:
    """Send each notice; a failure is reported and leaves that notice unrecorded, never stops the rest.

    A channel that failed once in this cycle is not tried again for the rest of
    it: its other messages wait for the next cycle instead of piling up retries.
    """
    kept = dict(state)
    sent: list[str] = []
    errors: list[str] = []
    broken: set[Channel] = set()
    for n in notices:
        if all(key in kept for key in n.keys):
            continue  # already sent, this cycle or before: never twice
        try:
            if n.channel is not None and n.note is not None:
                if n.channel in broken:
                    continue
                where = notifier.send(n.channel, n.note, attempts=attempts)
            elif n.email is not None and mailer is not None:
                where = mailer.send(n.email)
            else:
                continue
        except (ChannelError, MailError) as exc:
            if n.channel is not None:
                broken.add(n.channel)
            error = exc.say(locale)
            errors.append(word("not_sent", locale, what=word(n.what, locale), to=n.to, error=error))
            log.warning("not sent", extra={"fields": {"what": n.what, "to": n.to}})
            continue
        kept.update(dict.fromkeys(n.keys, now.isoformat(timespec="seconds")))
        where = said(where, locale)
        sent.append(word("sent", locale, what=word(n.what, locale), to=n.to, where=where))
    return Delivery(tuple(sent), tuple(errors), kept)
