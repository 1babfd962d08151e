"""The one exception tree of flowsync.

Every error a user can see is a ``FlowsyncError`` whose message says what was
expected and how to fix it::

    FlowsyncError
    ├── ConfigError          the config file is missing, unreadable or invalid (exit 2)
    ├── MailError            an alert cannot be sent; it stays unsent for the next cycle
    └── TeamError            one team cannot be served; the other teams go on
        ├── WorkbookError    a local workbook is missing, unreadable or unwritable
        └── SheetAccessError a Google spreadsheet cannot be read or written

Library errors are wrapped with ``raise ... from exc`` so the cause stays on
record for the log while the user sees one clear line.
"""

from __future__ import annotations


class FlowsyncError(Exception):
    """Base of every error flowsync raises on purpose."""


class ConfigError(FlowsyncError):
    """The configuration cannot be used. The message names file, key and expectation."""


class MailError(FlowsyncError):
    """An alert could not be delivered after bounded retries."""


class TeamError(FlowsyncError):
    """One team's cycle failed; the cycle goes on with the other teams."""


class WorkbookError(TeamError):
    """A local .xlsx workbook cannot be opened, read or written."""


class SheetAccessError(TeamError):
    """A Google spreadsheet cannot be reached, read or written."""
