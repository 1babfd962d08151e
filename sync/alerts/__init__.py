"""E-mail alerts: digests per recipient, rendered from templates, sent once per finding.

``send_new`` is the one entry point the cycle uses: it drops the state of
alerts whose findings are gone, sends what is new, and returns the state to
write back with the owned tabs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sync.alerts.digest import AlertPolicy, Digest, build_digests, prune, unsent
from sync.alerts.mailer import DryRunMailer, Mailer, OutboxMailer, SmtpMailer
from sync.alerts.message import render_message, subject
from sync.core import Locale
from sync.errors import MailError
from sync.messages import where as said

__all__ = [
    "AlertPolicy",
    "Delivery",
    "Digest",
    "DryRunMailer",
    "Mailer",
    "OutboxMailer",
    "SmtpMailer",
    "build_digests",
    "send_new",
]


@dataclass(frozen=True)
class Delivery:
    """What one cycle's sending did (alerts, or nudges and reports): lines for the report,
    and the state to keep."""

    sent: tuple[str, ...]
    errors: tuple[str, ...]
    state: dict[str, str]


def send_new(
    digests: Sequence[Digest],
    state: Mapping[str, str],
    mailer: Mailer,
    *,
    sender: str,
    now: datetime,
    locale: Locale = "en",
) -> Delivery:
    """Send every item not yet sent to its recipient; record each delivered one in the state."""
    kept = prune(state, digests)
    sent: list[str] = []
    errors: list[str] = []
    for digest in unsent(digests, kept):
        try:
            where = mailer.send(render_message(digest, sender=sender, now=now))
        except MailError as exc:
            errors.append(exc.say(locale))
            continue
        stamp = now.isoformat(timespec="seconds")
        kept.update(dict.fromkeys(digest.keys, stamp))
        sent.append(f"{digest.recipient}: {subject(digest)} ({said(where, locale)})")
    return Delivery(tuple(sent), tuple(errors), kept)
