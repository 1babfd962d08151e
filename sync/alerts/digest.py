"""Who hears about which findings: one digest per owner per team per cycle. Pure.

Owners hear about their own urgent faults (unlinked work, by default) at once;
the lead hears about the team once a week, in the weekly report (sync.notify.report).

An alert is identified by a fingerprint of its finding's content (team, code,
tab, the row's own words, owner, week), never by its row number, which moves
when people insert rows. A fingerprint once sent to a recipient is not sent
to them again until the finding disappears and comes back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from sync.core import Locale
from sync.findings import Finding
from sync.workbook.frames import records, text
from sync.workbook.parse import Frames
from sync.workbook.values import person_key

STATE_PREFIX = "alert:"


@dataclass(frozen=True, kw_only=True)
class AlertPolicy:
    """A team's alert settings, from its config."""

    owner_codes: frozenset[str]
    people: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    finding: Finding
    fingerprint: str
    link: str | None = None


@dataclass(frozen=True, kw_only=True)
class Digest:
    """One message: to one recipient, about one team's week."""

    kind: Literal["owner"]
    team: str
    locale: Locale
    recipient: str
    name: str  # the owner's name, or the team's
    items: tuple[Item, ...]
    goals: tuple[tuple[str, str], ...] = ()  # (goal_id, title) an owner could link to

    @property
    def weeks(self) -> tuple[str, ...]:
        """The weeks of the items in this message, oldest first: computed from the items,
        so that a digest whose older items were already sent names only the weeks left."""
        return tuple(sorted({i.finding.week for i in self.items if i.finding.week}))

    @property
    def keys(self) -> tuple[str, ...]:
        """The state keys that record this digest's items as sent to its recipient."""
        return tuple(sent_key(i.fingerprint, self.recipient) for i in self.items)


def fingerprint(f: Finding) -> str:
    parts = (f.team, f.code, f.tab, f.subject, f.owner or "", f.week or "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def sent_key(fp: str, recipient: str) -> str:
    return f"{STATE_PREFIX}{fp}:{recipient.casefold()}"


def owner_addresses(frames: Frames, people: Mapping[str, str]) -> dict[str, str]:
    """Owner (by ``person_key``) -> address: the config's people first, then the Goals tab's
    email column. ``kim`` in the config is the sheet's ``Kim``."""
    found: dict[str, str] = {}
    if "goals" in frames.tables:
        for g in records(frames.table("goals")):
            owner, email = text(g.owner), text(g.email)
            if owner and email:
                found.setdefault(person_key(owner), email)
    return {**found, **{person_key(name): address for name, address in people.items()}}


def build_digests(
    findings: Sequence[Finding],
    frames: Frames,
    policy: AlertPolicy,
    *,
    team: str,
    weeks: tuple[str, str],
    locale: Locale,
    link: Callable[[Finding], str | None] = lambda f: None,
) -> list[Digest]:
    """Every digest this cycle would send, before removing what was already sent."""
    recent = [f for f in findings if f.week in weeks]
    addresses = owner_addresses(frames, policy.people)
    goals = _active_goals(frames)
    digests: list[Digest] = []
    by_owner: dict[str, list[Item]] = {}
    for f in recent:
        if f.code in policy.owner_codes and f.owner:
            by_owner.setdefault(f.owner, []).append(Item(f, fingerprint(f), link(f)))
    for owner, items in sorted(by_owner.items()):
        if person_key(owner) in addresses:
            digests.append(
                Digest(
                    kind="owner",
                    team=team,
                    locale=locale,
                    recipient=addresses[person_key(owner)],
                    name=owner,
                    items=tuple(items),
                    goals=goals,
                )
            )
    return digests


def _active_goals(frames: Frames) -> tuple[tuple[str, str], ...]:
    """The goals a lever could be linked to: active ones, quarterly first."""
    if not frames.usable("goals", "goal_id"):
        return ()
    goals = frames.table("goals")
    order = {"quarter": 0, "annual": 1, "bhag": 2}
    active = goals[goals["status"] == "active"].assign(rank=goals["level"].map(order).fillna(3))
    return tuple(
        (text(g.goal_id) or "", text(g.title) or "")
        for g in records(active.sort_values(["rank", "row"]))
        if text(g.goal_id)
    )


def unsent(digests: Sequence[Digest], state: Mapping[str, str]) -> list[Digest]:
    """The digests with only the items not yet sent to their recipient; empty ones dropped."""
    out = []
    for d in digests:
        items = tuple(i for i in d.items if sent_key(i.fingerprint, d.recipient) not in state)
        if items:
            out.append(replace(d, items=items))
    return out


def prune(state: Mapping[str, str], digests: Sequence[Digest]) -> dict[str, str]:
    """The state without the alerts whose findings are gone, so that they alert again if they return."""
    live = {key for d in digests for key in d.keys}
    return {k: v for k, v in state.items() if not k.startswith(STATE_PREFIX) or k in live}
