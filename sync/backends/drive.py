"""Which team sheets changed since the last cycle: one Drive question per cycle.

A sheet nobody edited need not be read. Drive knows each file's ``version``
and ``modifiedTime`` (``headRevisionId`` is not filled for Sheets), and one
``files.list`` asks for every spreadsheet modified after the last cycle (minus
an overlap for clock skew), filtered to the configured ids on this side. With
a single sheet to ask about, one ``files.get`` does. flowsync's own writes
move the version too, so after each write the new version is recorded (see
sync/snapshots.py) and does not count as a person's edit.

Drive needs the ``drive.metadata.readonly`` scope and the Drive API enabled in
the project. Where Drive refuses (403), change detection is off for the
process, said once in the log, and every team is read as before.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from gspread.exceptions import APIError

from sync.backends.google import (
    DRIVE_BASE,
    DRIVE_SCOPE,
    SCOPES,
    GoogleSession,
    RetryPolicy,
    SheetsHTTPClient,
    google_session,
)
from sync.core import Locale
from sync.errors import SheetAccessError, TeamError
from sync.messages import error, ui

log = logging.getLogger(__name__)

FILES = f"{DRIVE_BASE}/drive/v3/files"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
LIST_FIELDS = "nextPageToken,files(id,modifiedTime,version)"
FILE_FIELDS = "id,modifiedTime,version"
CHANGE_SCOPES = (*SCOPES, DRIVE_SCOPE)


@dataclass(frozen=True)
class FileVersion:
    """Drive's version of a file: a number every write (a person's or flowsync's) increases."""

    version: int
    modified: str  # RFC 3339, as Drive gives it


@dataclass(frozen=True, kw_only=True)
class Changes:
    """What Drive said at the start of a cycle.

    ``checked_at`` is None when change detection is off: every team is read.
    A file in ``listed`` was modified after ``since``; a stored snapshot
    confirmed at or after ``covers_from`` and not listed is still the sheet's
    content.
    """

    checked_at: datetime | None = None
    covers_from: datetime | None = None  # None: nothing was asked (no snapshot to confirm)
    listed: Mapping[str, FileVersion] = field(default_factory=dict)
    full_read_after: timedelta = timedelta(hours=24)

    @property
    def on(self) -> bool:
        return self.checked_at is not None


OFF = Changes()


class DriveRefused(SheetAccessError):
    """Drive answered 403: no scope, or the API is not enabled. Change detection stays off."""


def drive_client(session: GoogleSession, policy: RetryPolicy) -> SheetsHTTPClient:
    """A client for Drive calls over the shared session: retried, counted, not paced.

    Drive's quota (thousands of calls a minute) is not the Sheets API's 60.
    """
    return SheetsHTTPClient(session, policy=policy)


def file_version(client: SheetsHTTPClient, spreadsheet: str) -> FileVersion:
    """One files.get: the spreadsheet's version and modifiedTime now."""
    params = {"fields": FILE_FIELDS, "supportsAllDrives": "true"}
    body = _call(client, f"{FILES}/{spreadsheet}", params)
    return _version(body)


def changed_since(
    client: SheetsHTTPClient, since: datetime, ids: Iterable[str]
) -> dict[str, FileVersion]:
    """Every spreadsheet of ``ids`` modified after ``since``: one files.list, a call a page."""
    wanted = set(ids)
    stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    params: dict[str, Any] = {
        "q": f"mimeType = '{SPREADSHEET_MIME}' and modifiedTime > '{stamp}' and trashed = false",
        "fields": LIST_FIELDS,
        "pageSize": 1000,
        "supportsAllDrives": "true",
        "includeItemsFromAllDrives": "true",
    }
    found: dict[str, FileVersion] = {}
    while True:
        body = _call(client, FILES, params)
        for item in body.get("files", []):
            if item.get("id") in wanted:
                found[str(item["id"])] = _version(item)
        token = body.get("nextPageToken")
        if not token:
            return found
        params = {**params, "pageToken": token}


def detect_changes(
    session: GoogleSession,
    spreadsheets: Mapping[str, datetime | None],
    *,
    now: datetime,
    policy: RetryPolicy,
    overlap: timedelta,
    full_read_after: timedelta,
    locale: Locale = "en",
) -> Changes:
    """Ask Drive once which of ``spreadsheets`` (id -> when its snapshot was last confirmed) changed.

    Teams without a snapshot are read anyway, so only those with one are
    asked about; with none, Drive is not asked at all.
    """
    if session.drive_refused is not None:
        return OFF
    confirmed = {sid: at for sid, at in spreadsheets.items() if at is not None}
    if not confirmed:
        return Changes(checked_at=now, full_read_after=full_read_after)
    since = min(confirmed.values()) - overlap
    client = drive_client(session, policy)
    try:
        if len(confirmed) == 1:
            (sid,) = confirmed
            listed = {sid: file_version(client, sid)}
        else:
            listed = changed_since(client, since, confirmed)
    except DriveRefused as exc:
        session.drive_refused = str(exc)
        why = ui("log_drive_off", locale, why=exc.say(locale))
        log.warning("change detection off", extra={"fields": {"why": why}})
        return OFF
    except TeamError as exc:  # Drive down past the retry budget: read everything this cycle
        why = ui("log_drive_skipped", locale, why=exc.say(locale))
        log.warning("change detection skipped", extra={"fields": {"why": why}})
        return OFF
    return Changes(
        checked_at=now,
        covers_from=since + overlap,
        listed=listed,
        full_read_after=full_read_after,
    )


def merge(answers: Sequence[Changes]) -> Changes:
    """One answer from the answers of several service accounts; off if any is off."""
    if not answers or any(not a.on for a in answers):
        return OFF
    covers = [a.covers_from for a in answers if a.covers_from is not None]
    listed = {sid: v for a in answers for sid, v in a.listed.items()}
    first = answers[0]
    return Changes(
        checked_at=first.checked_at,
        covers_from=max(covers) if covers else None,
        listed=listed,
        full_read_after=first.full_read_after,
    )


def _call(client: SheetsHTTPClient, url: str, params: Mapping[str, Any]) -> Any:
    try:
        return client.request("get", url, params=params).json()
    except APIError as exc:
        message = exc.error.get("message", "")
        if exc.code == 403:
            raise error(DriveRefused, "drive_refused", message=message) from exc
        raise error(
            SheetAccessError, "drive_failed", status=str(exc.code), message=message
        ) from exc
    except OSError as exc:  # requests' errors are OSErrors: Drive did not answer
        raise error(SheetAccessError, "drive_silent", reason=type(exc).__name__) from exc


def _version(item: Mapping[str, Any]) -> FileVersion:
    return FileVersion(int(item.get("version", 0)), str(item.get("modifiedTime", "")))


def change_session(
    *, credentials_file: Any, timeout: float, environ: Mapping[str, str] = os.environ
) -> GoogleSession:
    """The shared session with the Drive scope besides the Sheets one."""
    return google_session(
        credentials_file=credentials_file, timeout=timeout, scopes=CHANGE_SCOPES, environ=environ
    )
