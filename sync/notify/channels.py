"""Messenger channels through Apprise: Slack, Google Chat, Teams, Discord, Telegram, webhooks.

The only module that imports apprise. A channel is an Apprise URL as written
in the config, whose secret parts are ``${VARIABLE}`` placeholders filled from
the environment at send time; the filled URL lives only for the send and is
never logged or shown (Apprise's own log is kept out of ours for the same
reason). A send that fails is retried with bounded, jittered backoff, then
raises ChannelError so the caller leaves the message unsent for the next cycle.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import tenacity

from sync.errors import ChannelError
from sync.messages import DRY_RUN

from .words import word

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Generic webhooks may carry no secret, so they may be written whole; a messenger never.
OPEN_SCHEMES = frozenset({"json", "jsons", "form", "forms", "xml", "xmls"})

# Apprise logs URLs when it cannot load one: keep its log to the capture below.
_apprise_log = logging.getLogger("apprise")
_apprise_log.propagate = False
_apprise_log.addHandler(logging.NullHandler())

_testing = False


def set_testing(testing: bool) -> None:
    """Switch the retry backoff off (tests), as ``stamina.set_testing`` does: attempts stay bounded."""
    global _testing
    _testing = testing


def check_channel_url(url: str) -> None:
    """Config validation: an Apprise URL whose secrets come from ``${VARIABLE}``. Never echoes it."""
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme.replace("+", "").isalnum():
        raise ValueError(
            'expected an Apprise notification URL such as "slack://${FLOWSYNC_SLACK_TOKEN}/#goals" '
            'or "json://hooks.example.com/flowsync"'
        )
    if scheme.casefold() not in OPEN_SCHEMES and not _VAR.search(url):
        raise ValueError(
            f"expected the secret parts of this {scheme}:// URL as ${{VARIABLE}} placeholders "
            f"filled from the environment (for example {scheme}://${{FLOWSYNC_{scheme.upper()}_TOKEN}}); "
            "a token must never be written in the config file"
        )


@dataclass(frozen=True)
class Channel:
    """One Apprise URL as written in the config: placeholders, never a secret."""

    url: str

    @property
    def key(self) -> str:
        """The channel's identity in the state tab: a digest of the URL as written."""
        return "chan:" + hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:12]

    @property
    def label(self) -> str:
        """For people and logs: the scheme and host as written, without credentials or path."""
        scheme, _, rest = self.url.partition("://")
        host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
        return f"{scheme}://{host}"


@dataclass(frozen=True)
class Note:
    """One short message: a title line and a body of a few lines with a link."""

    title: str
    body: str


class Notifier(Protocol):
    def send(self, channel: Channel, note: Note, *, attempts: int = 3) -> str:
        """Deliver one note; return where it went, for the report. Raise ChannelError."""
        ...


def expand(url: str, environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """The URL with its ``${VARIABLE}``s filled, and the values filled in (to scrub from errors)."""
    missing = [name for name in _VAR.findall(url) if not environ.get(name)]
    if missing:
        raise _error("channel_env", names=", ".join(sorted(set(missing))))
    values = [environ[name] for name in _VAR.findall(url)]
    return _VAR.sub(lambda m: environ[m[1]], url), values


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret value, and every URL, replaced: safe for a log or an error."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"\b[a-z][a-z0-9+]*://\S+", "<url>", text)


def _error(key: str, **params: object) -> ChannelError:
    """A ChannelError saying ``words.WORDS[key]`` in English and Korean alike."""
    return ChannelError(word(key, "en", **params), ko=word(key, "ko", **params))


class _NotDelivered(Exception):
    pass


class AppriseNotifier:
    """Sends through Apprise, retrying a failing channel a bounded number of times."""

    def __init__(
        self,
        *,
        environ: Mapping[str, str] = os.environ,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.environ, self.sleep = environ, sleep

    def send(self, channel: Channel, note: Note, *, attempts: int = 3) -> str:
        import apprise  # here, not above: the config imports this module, and --help needs no Apprise

        where = channel.label
        url, secrets = expand(channel.url, self.environ)
        if apprise.Apprise.instantiate(url) is None:
            raise _error("channel_url", where=where)
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_NotDelivered),
            stop=tenacity.stop_after_attempt(attempts),
            wait=tenacity.wait_none()
            if _testing
            else tenacity.wait_random_exponential(multiplier=0.5, max=10),
            sleep=self.sleep,
            reraise=True,
        )
        capture = apprise.LogCapture(level=logging.WARNING, fmt="%(message)s")  # type: ignore[no-untyped-call]
        with capture as captured:
            try:
                for attempt in retrying:
                    with attempt:
                        # A fresh instance per try: Apprise throttles a reused one.
                        plugin = apprise.Apprise.instantiate(url)
                        if plugin is None or not plugin.notify(body=note.body, title=note.title):
                            raise _NotDelivered
            except _NotDelivered:
                lines = [line for line in captured.getvalue().splitlines() if line.strip()]
                reason = scrub(lines[-1], secrets) if lines else "no reason given"
                raise _error(
                    "channel_failed", where=where, attempts=attempts, reason=reason
                ) from None
        return where


class DryRunNotifier:
    """Sends nothing; remembers what it would have sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[Channel, Note]] = []

    def send(self, channel: Channel, note: Note, *, attempts: int = 3) -> str:
        self.sent.append((channel, note))
        return DRY_RUN
