"""Sending: SMTP (STARTTLS, implicit TLS or none, with login), an .eml outbox, or a dry run.

The only module that imports smtplib. A send that keeps failing gives up
after a bounded number of jittered attempts and raises MailError; the caller
leaves the alert unsent so that the next cycle tries again. A server that
cannot be reached at all is not retried message by message: the cycle's
``Breaker`` stops trying it after a few refusals, so 500 owners cost seconds,
not minutes.
"""

from __future__ import annotations

import itertools
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Protocol

import tenacity

from sync.errors import MailError
from sync.messages import DRY_RUN, ERRORS, say


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> str:
        """Deliver one message; return where it went, for the report. Raise MailError."""
        ...


class SmtpMailer:
    """An SMTP server, as ``[email]`` describes it. The password is never logged or shown."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        security: str,
        username: str | None = None,
        password: str | None = None,
        ca_file: Path | None = None,
        attempts: int = 3,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.host, self.port, self.security = host, port, security
        self.username, self._password = username, password
        self.context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        self.attempts, self.timeout, self.sleep = attempts, timeout, sleep

    def __repr__(self) -> str:
        return f"SmtpMailer({self.host}:{self.port}, {self.security}, user={self.username!r})"

    def send(self, message: EmailMessage) -> str:
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(_transient),
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=tenacity.wait_random_exponential(multiplier=0.5, max=10),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self._send_once(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise _mail_error(
                "smtp_failed",
                unreachable=_unreachable(exc),
                to=str(message["To"]),
                server=f"{self.host}:{self.port}",
                reason=f"{type(exc).__name__}: {exc}",
            ) from exc
        return f"{self.host}:{self.port}"

    def _send_once(self, message: EmailMessage) -> None:
        smtp: smtplib.SMTP
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.context
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.security == "starttls":
                smtp.starttls(context=self.context)
            if self.username:
                smtp.login(self.username, self._password or "")
            smtp.send_message(message)


def _unreachable(exc: BaseException) -> bool:
    """The server is not there: refused, unknown host, or no answer to the connection."""
    unreachable = ConnectionRefusedError | TimeoutError | socket.gaierror | smtplib.SMTPConnectError
    return isinstance(exc, unreachable)


def _transient(exc: BaseException) -> bool:
    """Worth another try: a dropped connection, a 4xx answer. Not a bad login or address, and
    not a server that refused the connection: the next cycle tries that again."""
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPRecipientsRefused):
        return False
    if _unreachable(exc):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPException | OSError)


class OutboxMailer:
    """Writes each message as an .eml file: the default when no SMTP server is configured."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._counter = itertools.count(1)

    def send(self, message: EmailMessage) -> str:
        """The file is named after the message's own Date, so the outbox sorts as it was sent."""
        date = message["Date"]
        stamp = parsedate_to_datetime(date).strftime("%Y%m%d-%H%M%S") if date else "undated"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            while True:
                path = self.folder / f"{stamp}-{next(self._counter):04d}.eml"
                if not path.exists():
                    break
            path.write_bytes(bytes(message))
        except OSError as exc:
            raise _mail_error(
                "outbox_failed", folder=self.folder, reason=exc.strerror or str(exc)
            ) from exc
        return str(path)


class Breaker:
    """One cycle's mailer: after ``limit`` sends find the server unreachable, stop trying it.

    Made anew for every cycle, so the next cycle tries the server again. The
    alerts not tried stay unsent, each with an error that says why.
    """

    def __init__(self, mailer: Mailer, *, limit: int = 3) -> None:
        self.mailer, self.limit = mailer, limit
        self.failures = 0
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> str:
        with self._lock:
            if self.failures >= self.limit:
                raise _mail_error(
                    "smtp_unreachable", unreachable=True, to=str(message["To"]), n=self.failures
                )
        try:
            return self.mailer.send(message)
        except MailError as exc:
            if exc.unreachable:
                with self._lock:
                    self.failures += 1
            raise


class DryRunMailer:
    """Sends nothing; remembers what it would have sent."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.messages.append(message)
        return DRY_RUN


def _mail_error(key: str, *, unreachable: bool = False, **params: object) -> MailError:
    """A MailError saying ``ERRORS[key]`` in English and Korean: the team's run prints its own."""
    return MailError(
        say(ERRORS, key, "en", **params),
        ko=say(ERRORS, key, "ko", **params),
        unreachable=unreachable,
    )
