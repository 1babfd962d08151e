"""A Digest as an e-mail: a plain-text and an HTML part from Jinja2 templates, in the team's language.

Every header value is flattened to one line first, so a team or owner name
with a line break cannot add a header; the address itself was validated when
it was read.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, make_msgid
from functools import cache

import jinja2

from sync.alerts.digest import Digest, Item
from sync.messages import alert_label, week_words
from sync.workbook.contract import TAB


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sync", "templates/email"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=False
        ),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def one_line(text: str) -> str:
    """Header-safe: every run of white space, line breaks included, becomes one space."""
    return " ".join(text.split())


def subject_header(text: str) -> str:
    """``text`` as a Subject value on one line that keeps every space when folded."""
    line = one_line(text)
    return line if line.isascii() else _EncodedSubject(line)


class _EncodedSubject(str):
    """A non-ASCII Subject folded inside its RFC 2047 encoded words.

    Before Python 3.13 the e-mail package drops the space where it folds between
    two encoded words, so "목표에 연결되지" arrives as "목표에연결되지". The
    legacy ``Header`` splits inside the words, spaces included; the message's
    policy takes a value with a ``name`` as already made and asks it to ``fold``.
    """

    __slots__ = ()
    name = "Subject"

    def fold(self, *, policy: Policy) -> str:
        encoded = Header(str(self), "utf-8", header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


def digest_weeks(d: Digest) -> str:
    """The weeks of the work in the message as people say them (as in the Weekly Summary):
    on Monday morning last week's levers, and both weeks when the items span two."""
    words = [week_words(w, d.locale) for w in d.weeks]
    if len(words) == 2:
        return alert_label("two_weeks", d.locale, first=words[0], second=words[1])
    return ", ".join(words)


def subject(d: Digest) -> str:
    return one_line(
        alert_label("subject_owner", d.locale, team=d.team, week=digest_weeks(d), n=len(d.items))
    )


def render_message(d: Digest, *, sender: str, now: datetime) -> EmailMessage:
    """The message for one digest; ``now`` dates it (an aware datetime)."""
    title = subject(d)

    def where(item: Item) -> str:
        f = item.finding
        tab = TAB[f.tab].name(d.locale)
        return alert_label("where_row", d.locale, tab=tab, row=f.row) if f.row else tab

    def counts(digest: Digest) -> list[tuple[str, int]]:
        return sorted(Counter(i.finding.code for i in digest.items).items())

    week = digest_weeks(d)
    context = {"d": d, "subject": title, "week": week, "where": where, "counts": counts}
    msg = EmailMessage()
    msg["Subject"] = subject_header(title)
    msg["From"] = Address("flowsync", addr_spec=sender)
    msg["To"] = Address(one_line(d.name), addr_spec=d.recipient)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg["X-Flowsync-Team"] = one_line(d.team)
    msg.set_content(_env().get_template(f"{d.kind}.{d.locale}.txt.j2").render(context))
    msg.add_alternative(
        _env().get_template(f"{d.kind}.{d.locale}.html.j2").render(context), subtype="html"
    )
    return msg
