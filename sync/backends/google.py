"""A Google spreadsheet through gspread's HTTP client and google-auth: two calls per cycle.

Reading is one ``spreadsheets.get`` with ``includeGridData=true`` and a
``fields`` mask: the tab list (to find which of the English or Korean titles
exist) and every value in one round trip, even in a fresh process. The
alternative, ``values:batchGet``, needs the tab list first: two calls.

Writing is one ``spreadsheets:batchUpdate`` for every owned tab: an
``updateCells`` per tab sets values and formats (bold, wrap) together, so the
formatting follows the content at no extra call. It is preceded only when
needed by one more ``spreadsheets:batchUpdate`` that creates a missing owned
tab or grows a grid that is too small (the API refuses writes outside the grid).

When the titles of the contract's tabs are known from the last read
(``known_titles``), the read names them in ``ranges``: an unrelated tab, however
large, is not sent. A title that no longer exists makes the API refuse the
ranges (400); the read then falls back to every tab: two calls at most.

One ``GoogleSession`` per service account and process holds the credentials,
their token and the HTTP connection pool; every team's workbook borrows it, so
a cycle costs one token exchange and one TLS handshake, not one per team.

With SHEETS_EMULATOR_HOST=host:port set, requests (Sheets and Drive) go over
plain HTTP to that host, as with Google's own emulators; credentials are then
optional.
"""

from __future__ import annotations

import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import google.auth.exceptions
import requests
import tenacity
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2 import service_account
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from sync import messages
from sync.backends.layout import (
    column_widths,
    is_bold,
    is_wrapped,
    pixels,
)
from sync.backends.merged import spread_merged
from sync.core import Cell, Formula, Grid, Locale, Snapshot, column_letters
from sync.errors import ConfigError, SheetAccessError
from sync.ratelimit import Quota
from sync.workbook.contract import TAB, tab_key

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
DRIVE_SCOPE = "https://www.googleapis.com/auth/drive.metadata.readonly"
GOOGLE_BASE = "https://sheets.googleapis.com"
DRIVE_BASE = "https://www.googleapis.com"
EMULATOR_ENV = "SHEETS_EMULATOR_HOST"

# The read asks for effectiveValue, not the formatted text: numbers arrive as
# numbers and dates as serial numbers whatever the sheet's locale (a Korean
# sheet formats 2026-11-23 as "2026. 11. 23"), which are the same types the
# xlsx backend sees; a formatted "30%" or "1,200" would need parsing again.
# Error cells carry errorValue, mapped back to the text a person sees (#REF!).
# ``merges`` rides along: a week typed once over merged rows applies to each of them.
READ_FIELDS = (
    "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount)),"
    "data/rowData/values/effectiveValue,merges)"
)
_ERROR_TEXT = {
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "#N/A",
}
_RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_NEW_ROWS, _NEW_COLUMNS = 1000, 26  # a new owned tab is the size of a new sheet
_SPREADSHEET_URL = re.compile(r"/spreadsheets/d/([a-zA-Z0-9-_]+)")


def spreadsheet_id(value: str) -> str:
    """The id from an id or a spreadsheet URL."""
    m = _SPREADSHEET_URL.search(value)
    return m.group(1) if m else value.strip()


def a1(title: str, rows: int | None = None, columns: int | None = None) -> str:
    """A range on a tab, its title always quoted (spaces, quotes, Korean, emoji are safe)."""
    quoted = "'" + title.replace("'", "''") + "'"
    if rows is None or columns is None:
        return quoted
    return f"{quoted}!A1:{column_letters(columns)}{max(rows, 1)}"


# --------------------------------------------------------------------------- retries


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Bounded, jittered, exponential backoff that honours Retry-After.

    ``budget`` is the total time a call may take, waits included; then the
    team fails cleanly. ``sleep`` is injectable so tests can record the waits
    instead of waiting.
    """

    budget: float = 120.0
    initial: float = 1.0
    maximum: float = 32.0
    timeout: float = 60.0  # per request: a hung connection must not hold a team forever
    lease_settle: float = 2.0  # a write cannot be refused for being stale: let rivals land first
    sleep: Callable[[float], None] = time.sleep

    def wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = _retry_after(exc)
        if retry_after is not None:
            return retry_after
        backoff = min(self.maximum, self.initial * 2 ** (state.attempt_number - 1))
        return random.uniform(backoff / 2, backoff)


def _retry_after(exc: BaseException | None) -> float | None:
    if isinstance(exc, APIError):
        value = exc.response.headers.get("Retry-After")
        if value is not None:
            try:
                return max(float(value), 0.0)
            except ValueError:
                return None
    return None


# A connection refused, reset, timed out, or broken in the middle of an answer.
_TRANSPORT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, APIError):
        return exc.code in _RETRYABLE_STATUS or 500 <= exc.code < 600
    return isinstance(exc, _TRANSPORT)


@dataclass(eq=False)
class GoogleSession:
    """One service account's credentials and HTTP connection pool, shared by every team.

    ``token()`` refreshes under a lock, so threads that start together cost
    one token exchange. ``drive_refused`` remembers, for the process, why the
    Drive API said no (change detection is then off, said once in the log).
    """

    auth: Credentials
    http: requests.Session
    base_url: str | None  # the emulator's, or None for Google
    email: str = ""
    scopes: tuple[str, ...] = SCOPES
    drive_refused: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # The token exchange goes through a plain session: through ``http`` it would refresh itself.
    _token_http: requests.Session = field(default_factory=requests.Session)

    def token(self) -> None:
        """A valid access token before a request, fetched once for all threads."""
        if self.auth.valid:
            return
        with self._lock:
            if not self.auth.valid:
                self.auth.refresh(Request(self._token_http))  # type: ignore[no-untyped-call]

    def url(self, google_url: str) -> str:
        """Google's URL, or the same path on the emulator."""
        if self.base_url is None:
            return google_url
        return google_url.replace(GOOGLE_BASE, self.base_url).replace(DRIVE_BASE, self.base_url)


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client with bounded retries, a call count, and the emulator's base URL.

    One per workbook (its calls are that team's), over the process's shared session.
    """

    def __init__(
        self,
        session: GoogleSession,
        *,
        policy: RetryPolicy,
        quota: Quota | None = None,
    ) -> None:
        super().__init__(session.auth, session=session.http)
        self.auth = session.auth
        self.shared = session
        self.set_timeout(policy.timeout)
        self.base_url = session.base_url
        self.policy = policy
        self.quota = quota
        self.calls = 0
        self.retries = 0

    def request(
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: Any = None,
        json: Any = None,
        files: Any = None,
        headers: Any = None,
    ) -> requests.Response:
        url = self.shared.url(endpoint)
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(_retryable),
            wait=self.policy.wait,
            stop=tenacity.stop_before_delay(self.policy.budget),
            sleep=self.policy.sleep,
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                self.shared.token()  # before the pacing: a token exchange must not eat the window
                if self.quota is not None:
                    limiter = self.quota.reads if method.upper() == "GET" else self.quota.writes
                    limiter.acquire()
                self.calls += 1
                self.retries += attempt.retry_state.attempt_number > 1
                return super().request(method, url, params, data, json, files, headers)
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover


# --------------------------------------------------------------------------- backend


class _TabExists(Exception):
    """An owned tab flowsync meant to add was added by another run in the meantime."""


@dataclass
class _Tab:
    sheet_id: int
    rows: int
    columns: int
    used_rows: int = 0
    used_columns: int = 0


Layout = dict[
    str, tuple[int, int, int, int, int]
]  # title -> sheet id, rows, columns, used rows, used columns


@dataclass
class GoogleWorkbook:
    """One team's Google spreadsheet.

    ``known_titles``, when set, are the tabs the read asks for (the contract's
    tabs as the last read saw them); ``layout`` and ``adopt`` carry the tabs'
    ids and sizes across processes, so a write needs no read of its own.
    """

    spreadsheet: str
    client: SheetsHTTPClient
    service_account: str = ""
    known_titles: tuple[str, ...] = ()
    _tabs: dict[str, _Tab] = field(default_factory=dict)

    @property
    def layout(self) -> Layout:
        """The tabs' ids and sizes as the last read or write left them."""
        return {
            title: (t.sheet_id, t.rows, t.columns, t.used_rows, t.used_columns)
            for title, t in self._tabs.items()
        }

    def adopt(self, layout: Layout) -> None:
        """Take the tabs' ids and sizes from a stored layout instead of reading them."""
        self._tabs = {title: _Tab(*values) for title, values in layout.items()}

    @property
    def session(self) -> GoogleSession:
        return self.client.shared

    @property
    def location(self) -> str:
        return f"spreadsheet {self.spreadsheet}"

    @property
    def calls(self) -> int:
        """API requests sent so far, retries included."""
        return self.client.calls

    @property
    def retries(self) -> int:
        return self.client.retries

    @property
    def sparklines(self) -> bool:
        return True

    @property
    def lease_settle(self) -> float:
        return self.client.policy.lease_settle

    def row_link(self, title: str, row: int | None) -> str | None:
        """A link to a row of a tab, as the last read saw the tab."""
        tab = self._tabs.get(title)
        if tab is None:
            return None
        where = f"&range=A{row}" if row else ""
        return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet}/edit#gid={tab.sheet_id}{where}"

    def read(self) -> Snapshot:
        """The contract's tabs: only ``known_titles`` when set, else every tab (one call, or two)."""
        params: dict[str, Any] = {"includeGridData": "true", "fields": READ_FIELDS}
        body: Mapping[str, Any] | None = None
        if self.known_titles:
            ranged = {**params, "ranges": [a1(t) for t in self.known_titles]}
            try:
                body = self._call(
                    "read", lambda: self.client.spreadsheets_get(self.spreadsheet, params=ranged)
                )
            except SheetAccessError as exc:
                if not _unknown_range(exc.__cause__):
                    raise
                # A tab was renamed or removed since the last read: ask for every tab.
        if body is None:
            body = self._call(
                "read", lambda: self.client.spreadsheets_get(self.spreadsheet, params=params)
            )
        titles: list[str] = []
        grids: dict[str, Grid] = {}
        self._tabs = {}
        for sheet in body.get("sheets", []):
            props = sheet.get("properties", {})
            title = str(props.get("title", ""))
            titles.append(title)
            grid_props = props.get("gridProperties", {})
            grid = _grid(sheet.get("data", []))
            self._tabs[title] = _Tab(
                sheet_id=int(props.get("sheetId", 0)),
                rows=int(grid_props.get("rowCount", 0)),
                columns=int(grid_props.get("columnCount", 0)),
                used_rows=len(grid),
                used_columns=max((len(r) for r in grid), default=0),
            )
            if tab_key(title) is not None:
                grids[title] = spread_merged(grid, _merges(sheet.get("merges", [])))
        return Snapshot(titles=tuple(titles), grids=grids)

    def check_writable(self) -> None:
        """Nothing to check ahead: a refused write fails the team, and the run log keeps the sends."""

    def write(self, tabs: Mapping[str, Grid]) -> None:
        if not self._tabs:
            self.read()  # write() without a read in this process: learn the grid first
        try:
            self._write(tabs)
        except _TabExists:
            # Another run created the tab since our read (two runs on a new sheet): carry on.
            self.read()
            self._write(tabs)

    def _write(self, tabs: Mapping[str, Grid]) -> None:
        prepare: list[dict[str, Any]] = []
        write: list[dict[str, Any]] = []
        after: dict[str, _Tab] = {}
        next_id = max((t.sheet_id for t in self._tabs.values()), default=0) + 1
        for title, grid in tabs.items():
            width = max((len(row) for row in grid), default=1)
            old = self._tabs.get(title)
            rows, columns = max(len(grid), 1), max(width, 1)
            # Grids get room to grow, so that a few more findings next cycle cost no resize.
            if old is None:
                key = tab_key(title)
                hidden = bool(key and TAB[key].hidden)
                size = (max(rows, _NEW_ROWS), max(columns, _NEW_COLUMNS))
                prepare += _add_tab(next_id, title, *size, hidden=hidden)
                old, next_id = _Tab(next_id, *size), next_id + 1
            elif old.rows < rows or old.columns < columns:
                size = (max(rows + rows // 2, old.rows), max(columns, old.columns))
                prepare.append(_resize(old.sheet_id, *size))
                old = _Tab(old.sheet_id, *size)
            after[title] = _Tab(old.sheet_id, old.rows, old.columns, len(grid), width)
            write += _owned_cells(old.sheet_id, grid)
        if prepare:
            body = {"requests": prepare}
            try:
                self._call(
                    "prepare the owned tabs of",
                    lambda: self.client.batch_update(self.spreadsheet, body),
                )
            except SheetAccessError as exc:
                cause = exc.__cause__
                exists = isinstance(cause, APIError) and cause.code == 400
                if exists and "already exists" in str(cause):
                    raise _TabExists from exc
                raise
        cells = {"requests": write}
        self._call("write", lambda: self.client.batch_update(self.spreadsheet, cells))
        self._tabs.update(after)

    def init(self, tabs: Mapping[str, Grid], *, locale: Locale) -> list[str]:
        """Template tabs, dropdowns and protected owned tabs in one spreadsheets:batchUpdate."""
        snapshot = self.read()
        present = {tab_key(t): t for t in snapshot.titles if tab_key(t)}
        next_id = max((t.sheet_id for t in self._tabs.values()), default=0) + 1
        requests_: list[dict[str, Any]] = []
        written: list[str] = []
        for key, grid in tabs.items():
            title = present.get(key)
            if title is not None and self._tabs[title].used_rows:
                continue  # a tab with data is never touched
            title = title or TAB[key].name(locale)
            width = max(len(row) for row in grid)
            if title in self._tabs:  # there, but empty: grow it and format its header
                old = self._tabs[title]
                sheet_id = old.sheet_id
                rows, columns = max(old.rows, _NEW_ROWS), max(old.columns, width)
                requests_ += [_resize(sheet_id, rows, columns, frozen=1), _bold_header(sheet_id)]
            else:
                sheet_id, next_id = next_id, next_id + 1
                requests_ += _add_tab(
                    sheet_id, title, _NEW_ROWS, max(width, _NEW_COLUMNS), hidden=False
                )
            requests_.append(_cells(sheet_id, grid))
            requests_ += _dropdowns(sheet_id, key, locale)
            written.append(title)
        visible_owned = [t for t in TAB.values() if t.owned and t.in_team_workbook and not t.hidden]
        for tab in (t for t in visible_owned if t.key not in present):
            sheet_id, next_id = next_id, next_id + 1
            title = tab.name(locale)
            requests_ += _add_tab(sheet_id, title, _NEW_ROWS, _NEW_COLUMNS, hidden=False)
            requests_.append(_protect(sheet_id, locale))
            written.append(title)
        if requests_:
            self._call(
                "set up",
                lambda: self.client.batch_update(self.spreadsheet, {"requests": requests_}),
            )
        return written

    def _call(self, what: str, call: Callable[[], Any]) -> Any:
        """Run one API call; turn every failure into a SheetAccessError that says what to do."""
        started = time.monotonic()
        about: dict[str, object] = {"sheet": self.spreadsheet, **messages.doing(what)}
        try:
            return call()
        except APIError as exc:
            raise self._explain(exc, time.monotonic() - started, about) from exc
        except requests.RequestException as exc:
            reason = type(exc).__name__
            raise messages.error(SheetAccessError, "sheet_silent", reason=reason, **about) from exc
        except google.auth.exceptions.GoogleAuthError as exc:
            raise messages.error(SheetAccessError, "sheet_no_token", reason=exc, **about) from exc

    def _explain(self, exc: APIError, elapsed: float, about: dict[str, object]) -> SheetAccessError:
        message = exc.error.get("message", "")
        if exc.code == 403:
            who = f" ({self.service_account})" if self.service_account else ""
            return messages.error(SheetAccessError, "sheet_denied", who=who, **about)
        if exc.code == 404:
            return messages.error(SheetAccessError, "sheet_not_found", **about)
        facts = {"status": str(exc.code), "message": message, **about}
        if _retryable(exc):
            budget = round(self.client.policy.budget)
            asked = _retry_after(exc)
            if asked is not None and asked >= budget - elapsed:
                key, facts = "sheet_retry_after", {**facts, "asked": round(asked)}
            else:
                key, facts = "sheet_retries_spent", {**facts, "elapsed": round(elapsed)}
            return messages.error(SheetAccessError, key, budget=budget, **facts)
        return messages.error(SheetAccessError, "sheet_refused", **facts)


def _unknown_range(exc: BaseException | None) -> bool:
    """The 400 the API answers when ``ranges`` names a tab that is not there."""
    return (
        isinstance(exc, APIError)
        and exc.code == 400
        and "Unable to parse range" in str(exc.error.get("message", ""))
    )


def _grid(data: Sequence[Mapping[str, Any]]) -> list[list[Cell]]:
    if not data:
        return []
    rows: list[list[Cell]] = []
    for row in data[0].get("rowData", []):
        rows.append([_cell(v.get("effectiveValue")) for v in row.get("values", [])])
    return rows


def _merges(ranges: Sequence[Mapping[str, Any]]) -> list[tuple[int, int, int, int]]:
    """GridRanges as (first row, first column, end row, end column); the API omits zeros."""
    return [
        (
            int(r.get("startRowIndex", 0)),
            int(r.get("startColumnIndex", 0)),
            int(r.get("endRowIndex", 0)),
            int(r.get("endColumnIndex", 0)),
        )
        for r in ranges
    ]


def _cell(value: Mapping[str, Any] | None) -> Cell:
    if not value:
        return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "numberValue" in value:
        return float(value["numberValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        return _ERROR_TEXT.get(value["errorValue"].get("type", ""), "#ERROR!")
    return None


def _entered(value: Cell) -> dict[str, Any] | None:
    """A cell's ExtendedValue: only a Formula is a formula; every other string is text.

    ``stringValue`` is stored as sent, never parsed, so a person's
    ``=HYPERLINK(...)``, ``+82 10``, ``-3`` or ``2026-11-23`` is written as typed.
    None for an empty cell, which the write clears.
    """
    if value is None or value == "":
        return None
    if isinstance(value, Formula):
        return {"formulaValue": str(value)}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        # JSON has no NaN or infinity; the API would refuse the whole write.
        return {"numberValue": value} if math.isfinite(value) else {"stringValue": str(value)}
    return {"stringValue": str(value)}


# What an owned tab's write sets in every cell of the tab, and clears where the grid has nothing.
OWNED_FIELDS = "userEnteredValue,userEnteredFormat.textFormat.bold,userEnteredFormat.wrapStrategy"


def _owned_cells(sheet_id: int, grid: Grid) -> list[dict[str, Any]]:
    """An owned tab's values and formats as one ``updateCells`` over the whole tab.

    The range is the whole tab, so every cell the grid does not reach loses
    its value, bold and wrap (a longer or differently laid out last write
    leaves nothing behind); cells are bold where flowsync marks them ``Bold``
    (and the header row), wrapped where ``Wrap``, and plain elsewhere. Every
    column the grid fills gets the width the .xlsx backend gives it, in the same
    call: the tab is flowsync's, and a label cut off at 100 pixels helps nobody.
    """
    rows: list[dict[str, Any]] = []
    for r, row in enumerate(grid):
        rows.append({"values": [_cell_data(r, value) for value in row]} if row else {})
    update = {"range": {"sheetId": sheet_id}, "rows": rows, "fields": OWNED_FIELDS}
    widths = column_widths(grid)
    return [{"updateCells": update}] + [
        _column_width(sheet_id, c - 1, pixels(width)) for c, width in sorted(widths.items())
    ]


def _cell_data(row: int, value: Cell) -> dict[str, Any]:
    entered = _entered(value)
    if entered is None:
        return {}  # cleared: no value, not bold, not wrapped
    data: dict[str, Any] = {"userEnteredValue": entered}
    style: dict[str, Any] = {}
    if is_bold(row, value):
        style["textFormat"] = {"bold": True}
    if is_wrapped(value):
        style["wrapStrategy"] = "WRAP"
    if style:
        data["userEnteredFormat"] = style
    return data


def _column_width(sheet_id: int, column: int, pixel_size: int) -> dict[str, Any]:
    span = {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": column}
    return {
        "updateDimensionProperties": {
            "range": {**span, "endIndex": column + 1},
            "properties": {"pixelSize": pixel_size},
            "fields": "pixelSize",
        }
    }


def _add_tab(
    sheet_id: int, title: str, rows: int, columns: int, *, hidden: bool
) -> list[dict[str, Any]]:
    """A new tab with a frozen, bold header row."""
    props = {
        "sheetId": sheet_id,
        "title": title,
        "gridProperties": {"rowCount": rows, "columnCount": columns, "frozenRowCount": 1},
        "hidden": hidden,
    }
    if tab_key(title) == "summary":
        props["index"] = 0  # a new Weekly Summary is the first tab a person sees
    return [{"addSheet": {"properties": props}}, _bold_header(sheet_id)]


def _bold_header(sheet_id: int) -> dict[str, Any]:
    return {
        "repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
            "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
            "fields": "userEnteredFormat.textFormat.bold",
        }
    }


def _resize(sheet_id: int, rows: int, columns: int, *, frozen: int | None = None) -> dict[str, Any]:
    grid: dict[str, int] = {"rowCount": rows, "columnCount": columns}
    fields = "gridProperties/rowCount,gridProperties/columnCount"
    if frozen is not None:
        grid["frozenRowCount"] = frozen
        fields += ",gridProperties/frozenRowCount"
    return {
        "updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": grid},
            "fields": fields,
        }
    }


def _cells(sheet_id: int, grid: Grid) -> dict[str, Any]:
    def value(cell: Cell) -> dict[str, Any]:
        entered = _entered(cell)
        return {} if entered is None else {"userEnteredValue": entered}

    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [value(c) for c in row]} for row in grid],
            "fields": "userEnteredValue",
        }
    }


def _dropdowns(sheet_id: int, key: str, locale: Locale) -> list[dict[str, Any]]:
    out = []
    for index, column in enumerate(TAB[key].columns):
        if column.enum is None:
            continue
        out.append(
            {
                "setDataValidation": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": 1,
                        "endRowIndex": 1000,
                        "startColumnIndex": index,
                        "endColumnIndex": index + 1,
                    },
                    "rule": {
                        "condition": {
                            "type": "ONE_OF_LIST",
                            "values": [{"userEnteredValue": w} for w in column.enum.words(locale)],
                        },
                        "showCustomUi": True,
                        "strict": False,  # the other language's words are accepted too
                    },
                }
            }
        )
    return out


def _protect(sheet_id: int, locale: Locale) -> dict[str, Any]:
    """The warning a person sees on editing an owned tab, in the team's language."""
    return {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": sheet_id},
                "description": messages.ui("protected_range", locale),
                "warningOnly": True,
            }
        }
    }


# --------------------------------------------------------------------------- opening


_SESSIONS: dict[tuple[str, str, tuple[str, ...], float], GoogleSession] = {}
_SESSIONS_LOCK = threading.Lock()


def google_session(
    *,
    credentials_file: Path | None,
    timeout: float,
    scopes: tuple[str, ...] = SCOPES,
    environ: Mapping[str, str] = os.environ,
    pool: int = 32,
) -> GoogleSession:
    """The process's session for one service account (and scopes): made once, then shared.

    With SHEETS_EMULATOR_HOST set, requests go to the emulator and credentials
    are optional; given, their token exchange runs against their token_uri.
    """
    emulator = environ.get(EMULATOR_ENV, "")
    from_env = environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    path = credentials_file or (Path(from_env) if from_env else None)
    key = (str(path or ""), emulator, scopes, timeout)
    with _SESSIONS_LOCK:
        if key in _SESSIONS:
            return _SESSIONS[key]
        auth: Credentials
        email = ""
        if path is not None:
            try:
                sa = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                    str(path), scopes=scopes
                )
            except (OSError, ValueError, KeyError) as exc:
                raise messages.error(ConfigError, "google_key", path=path, reason=exc) from exc
            auth, email = sa, sa.service_account_email
        elif emulator:
            auth = AnonymousCredentials()  # type: ignore[no-untyped-call]
        else:
            raise messages.error(ConfigError, "google_no_key")
        http = AuthorizedSession(auth)  # type: ignore[no-untyped-call]
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=pool)
        http.mount("https://", adapter)
        http.mount("http://", adapter)
        base_url = f"http://{emulator}" if emulator else None
        session = GoogleSession(auth, http, base_url, email, scopes)
        _SESSIONS[key] = session
        return session


def open_google(
    spreadsheet: str,
    *,
    credentials_file: Path | None,
    policy: RetryPolicy,
    quota: Quota | None = None,
    scopes: tuple[str, ...] = SCOPES,
    environ: Mapping[str, str] = os.environ,
) -> GoogleWorkbook:
    """A GoogleWorkbook over the process's session for its service account (see google_session)."""
    session = google_session(
        credentials_file=credentials_file, timeout=policy.timeout, scopes=scopes, environ=environ
    )
    client = SheetsHTTPClient(session, policy=policy, quota=quota)
    return GoogleWorkbook(spreadsheet_id(spreadsheet), client, session.email)
