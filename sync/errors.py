"""The one exception tree of flowsync.

Every error a user can see is a ``FlowsyncError`` whose message says what was
expected and how to fix it::

    FlowsyncError
    ├── ConfigError          the config file is missing, unreadable or invalid (exit 2)
    ├── MailError            an alert cannot be sent; it stays unsent for the next cycle
    ├── Stopped              SIGTERM or SIGINT came during a wait; the team in hand is abandoned
    ├── ChannelError         a messenger message cannot be sent; it stays unsent too
    └── TeamError            one team cannot be served; the other teams go on
        ├── StateDirError    the state folder (run log, outbox, locks) cannot be used
        ├── WorkbookError    a local workbook is missing, unreadable or unwritable
        │   └── WorkbookChangedError  saved by someone else between the read and the write
        └── SheetAccessError a Google spreadsheet cannot be read or written

Library errors are wrapped with ``raise ... from exc`` so the cause stays on
record for the log while the user sees one clear line.
"""

from __future__ import annotations


class FlowsyncError(Exception):
    """Base of every error flowsync raises on purpose.

    ``str(error)`` is English, for logs; ``say(locale)`` is the team's language,
    for the people who read it (``sync.messages.error`` makes both).
    """

    def __init__(self, message: str, *, ko: str | None = None) -> None:
        super().__init__(message)
        self.ko = ko

    def say(self, locale: str) -> str:
        return self.ko if locale == "ko" and self.ko else str(self)


class ConfigError(FlowsyncError):
    """The configuration cannot be used. The message names file, key and expectation."""


class MailError(FlowsyncError):
    """An alert could not be delivered after bounded retries.

    ``unreachable`` says the server itself could not be reached (refused, no
    such host, timed out), as opposed to refusing this one message: a cycle
    stops trying a server that is unreachable a few times over.
    """

    def __init__(self, message: str, *, ko: str | None = None, unreachable: bool = False) -> None:
        super().__init__(message, ko=ko)
        self.unreachable = unreachable


class Stopped(FlowsyncError):
    """A stop was asked for (SIGTERM, SIGINT) while waiting: the work in hand is abandoned whole."""


class ChannelError(FlowsyncError):
    """A message to a messenger channel could not be delivered after bounded retries.

    The message names the channel by its scheme and host only, never a secret.
    """


class TeamError(FlowsyncError):
    """One team's cycle failed; the cycle goes on with the other teams."""


class StateDirError(TeamError):
    """The state folder cannot be created or written: the run log, outbox and locks live there."""


class WorkbookError(TeamError):
    """A local .xlsx workbook cannot be opened, read or written."""


class SheetAccessError(TeamError):
    """A Google spreadsheet cannot be reached, read or written."""


class WorkbookChangedError(WorkbookError):
    """The workbook was saved by someone else after flowsync read it: writing would lose their save.

    The cycle reads the workbook again and redoes its work once.
    """
