"""An in-process emulator of the Google Sheets API v4, over real HTTP on loopback.

Endpoints: spreadsheets.get (with and without grid data, with a ``fields``
mask, with ``ranges`` naming whole tabs), values.get / update / clear / append, values:batchGet, batchUpdate,
batchClear, spreadsheets:batchUpdate (addSheet, deleteSheet,
updateSheetProperties, setDataValidation, repeatCell, addProtectedRange,
updateCells with values, bold and wrap under a ``fields`` mask, and
updateDimensionProperties for column widths), and an OAuth token endpoint for google-auth's
service-account exchange. Drive v3's files.get and files.list (a ``q`` of
mimeType, modifiedTime and trashed; ``fields``; paging) answer at
/drive/v3/files with each spreadsheet's version and modifiedTime, which every
write moves (``edit`` is a person's write; ``clock`` sets the time). It counts calls per endpoint, and can inject
faults (a status with Retry-After, a slow answer, a dropped connection) and a
fixed latency on every call.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .fields import apply_mask, parse_mask
from .model import ApiError, Cell, Sheet, Span, Spreadsheet, bad_request, col_letters, entered

# What the real API returns for a new en_US spreadsheet's format and theme (sample 01).
DEFAULT_PROPERTIES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "default_properties.json").read_text(encoding="utf-8")
)


@dataclass
class Fault:
    """What to do instead of answering one matching call."""

    status: int = 0  # an HTTP error status, or 0 for none
    retry_after: str | None = None
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection without an answer
    endpoint: str | None = None  # only calls to this endpoint; None for any
    spreadsheet: str | None = None  # only calls for this spreadsheet; None for any
    after: int = 0  # let this many matching calls through first


class SheetsEmulator:
    """The emulator's state and its HTTP server. Use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        require_auth: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.clock = clock  # Drive's modifiedTime; a test sets it to replay days in seconds
        self.drive_enabled = True  # False: the Drive API is not enabled for the project (403)
        self.calls: Counter[str] = Counter()
        self.log: list[tuple[float, str, str]] = []  # (time, endpoint, spreadsheet id)
        self.faults: list[Fault] = []
        self.latency = latency
        self.require_auth = require_auth
        self.tokens_issued: list[dict[str, Any]] = []
        self.next_sheet_ids: list[int] = []
        self._sheet_counter = 1_000_000
        self.lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # ---- lifecycle

    def start(self) -> SheetsEmulator:
        emulator = self

        class Handler(_Handler):
            pass

        Handler.emulator = emulator
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SheetsEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def host(self) -> str:
        """host:port, the value of SHEETS_EMULATOR_HOST."""
        assert self._server is not None, "start() the emulator first"
        return f"127.0.0.1:{self._server.server_address[1]}"

    @property
    def token_uri(self) -> str:
        return f"http://{self.host}/token"

    # ---- state helpers for tests

    def create(
        self,
        spreadsheet_id: str,
        tabs: dict[str, list[list[Any]]] | None = None,
        *,
        title: str = "Untitled spreadsheet",
        locale: str = "en_US",
        rows: int = 1000,
        columns: int = 26,
        user_entered: bool = False,
        sheet_ids: list[int] | None = None,
    ) -> Spreadsheet:
        """A spreadsheet with tabs (title -> rows), written RAW or USER_ENTERED."""
        book = Spreadsheet(spreadsheet_id, title=title, locale=locale)
        for i, (name, grid) in enumerate((tabs or {"Sheet1": []}).items()):
            sheet_id = sheet_ids[i] if sheet_ids else (0 if i == 0 else self._new_sheet_id())
            need_rows = max(rows, len(grid))
            need_cols = max(columns, max((len(r) for r in grid), default=0))
            sheet = Sheet(sheet_id, name, i, need_rows, need_cols)
            sheet.write(0, 0, grid, user_entered=user_entered)
            book.sheets.append(sheet)
        book.modified = self.clock()
        with self.lock:
            self.spreadsheets[spreadsheet_id] = book
        return book

    def edit(
        self, spreadsheet_id: str, title: str, row: int, column: int, rows: list[list[Any]]
    ) -> None:
        """A person's edit in the browser: cells from (row, column), 0-based; Drive sees it."""
        with self.lock:
            book = self.spreadsheets[spreadsheet_id]
            book.sheet(title).write(row, column, rows, user_entered=True)
            book.touch(self.clock())

    def values(
        self, spreadsheet_id: str, title: str, *, render: str = "FORMATTED_VALUE"
    ) -> list[list[Any]]:
        """A tab's values as values.get would return them."""
        book = self.spreadsheets[spreadsheet_id]
        sheet, span = book.span(f"'{title}'")
        return sheet.read(span, render=render, locale=book.locale)

    def fail_next(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def reset_calls(self) -> None:
        with self.lock:
            self.calls.clear()
            self.log.clear()

    def _new_sheet_id(self) -> int:
        if self.next_sheet_ids:
            return self.next_sheet_ids.pop(0)
        self._sheet_counter += 7919
        return self._sheet_counter

    def _take_fault(self, endpoint: str, spreadsheet: str) -> Fault | None:
        with self.lock:
            for i, fault in enumerate(self.faults):
                if fault.endpoint in (None, endpoint) and fault.spreadsheet in (None, spreadsheet):
                    if fault.after:
                        fault.after -= 1
                        return None
                    return self.faults.pop(i)
        return None

    # ---- dispatch

    def handle(
        self, method: str, raw_path: str, body: Any, headers: dict[str, str]
    ) -> tuple[int, Any, str]:
        """(status, JSON body, endpoint name) for one request."""
        split = urlsplit(raw_path)
        query = parse_qs(split.query, keep_blank_values=True)
        path = split.path
        if path == "/token":
            return 200, self._token(body), "token"
        if path.startswith(DRIVE_FILES):
            return self._drive(path, query, headers)
        if not path.startswith("/v4/spreadsheets"):
            raise ApiError(404, "NOT_FOUND", f"Method not found: {path}")
        if self.require_auth and not headers.get("authorization", "").startswith(
            "Bearer flowsync-emulator-"
        ):
            raise ApiError(
                401, "UNAUTHENTICATED", "Request is missing required authentication credential."
            )
        rest = path[len("/v4/spreadsheets/") :]
        sid, _, tail = rest.partition("/")
        action = ""
        if ":" in sid:
            sid, _, action = sid.partition(":")
        book = self._book(sid)
        with self.lock:
            status, result, endpoint = self._sheets(method, book, tail, action, query, body)
            if method != "GET":
                book.touch(self.clock())  # Drive sees every write: version and modifiedTime move
        return status, result, endpoint

    def _sheets(
        self,
        method: str,
        book: Spreadsheet,
        tail: str,
        action: str,
        query: dict[str, list[str]],
        body: Any,
    ) -> tuple[int, Any, str]:
        path = f"/v4/spreadsheets/{book.spreadsheet_id}/{tail}"
        if not tail:
            if method == "GET":
                return 200, self._get(book, query), "spreadsheets.get"
            if action == "batchUpdate":
                return 200, self._batch_update(book, body), "spreadsheets.batchUpdate"
        elif tail.startswith("values:"):
            verb = tail[len("values:") :]
            if verb == "batchGet":
                return 200, self._values_batch_get(book, query), "values.batchGet"
            if verb == "batchUpdate":
                return 200, self._values_batch_update(book, body), "values.batchUpdate"
            if verb == "batchClear":
                return 200, self._values_batch_clear(book, body), "values.batchClear"
        elif tail.startswith("values/"):
            encoded = tail[len("values/") :]
            range_part, verb = encoded, ""
            if ":" in encoded and encoded.rsplit(":", 1)[1] in ("clear", "append"):
                range_part, verb = encoded.rsplit(":", 1)
            a1 = unquote(range_part)
            if verb == "clear":
                return 200, self._values_clear(book, a1), "values.clear"
            if verb == "append":
                return 200, self._values_append(book, a1, query, body), "values.append"
            if method == "GET":
                return 200, self._values_get(book, a1, query), "values.get"
            if method == "PUT":
                return 200, self._values_update(book, a1, query, body), "values.update"
        raise ApiError(404, "NOT_FOUND", f"Method not found: {method} {path}")

    def _book(self, sid: str) -> Spreadsheet:
        book = self.spreadsheets.get(sid)
        if book is None:
            raise ApiError(404, "NOT_FOUND", "Requested entity was not found.")
        if book.forbidden:
            raise ApiError(403, "PERMISSION_DENIED", "The caller does not have permission")
        return book

    # ---- Drive v3: files.get and files.list, the metadata flowsync's change detection asks for

    def _drive(
        self, path: str, query: dict[str, list[str]], headers: dict[str, str]
    ) -> tuple[int, Any, str]:
        self._drive_access(headers.get("authorization", ""))
        fields = query.get("fields", [""])[0]
        rest = path[len(DRIVE_FILES) :].strip("/")
        with self.lock:
            if rest:
                book = self.spreadsheets.get(rest)
                if book is None or book.forbidden:
                    raise _drive_error(404, "notFound", f"File not found: {rest}.")
                return 200, apply_mask(_file(book), fields or _FILE_DEFAULT), "drive.files.get"
            return 200, self._files_list(query, fields), "drive.files.list"

    def _drive_access(self, authorization: str) -> None:
        if not self.drive_enabled:
            raise _drive_error(
                403,
                "accessNotConfigured",
                "Google Drive API has not been used in project 1 before or it is disabled. "
                "Enable it by visiting https://console.developers.google.com/apis/api/drive.googleapis.com/overview?project=1 then retry.",
                detail="SERVICE_DISABLED",
            )
        token = authorization.removeprefix("Bearer ")
        if not token.startswith("flowsync-emulator-"):
            if self.require_auth:
                raise ApiError(
                    401, "UNAUTHENTICATED", "Request is missing required authentication credential."
                )
            return
        n = int(token.rsplit("-", 1)[1])
        scopes = self.tokens_issued[n - 1].get("scope", "").split()
        if not any(s.startswith("https://www.googleapis.com/auth/drive") for s in scopes):
            raise _drive_error(
                403,
                "insufficientPermissions",
                "Request had insufficient authentication scopes.",
                detail="ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            )

    def _files_list(self, query: dict[str, list[str]], fields: str) -> dict[str, Any]:
        wanted = _drive_query(query.get("q", [""])[0])
        size = int(query.get("pageSize", ["100"])[0])
        if not 1 <= size <= 1000:
            raise _drive_error(
                400,
                "invalid",
                f"Invalid value '{size}'. Values must be within the range: [1, 1000]",
            )
        start = int(query.get("pageToken", ["0"])[0] or 0)
        books = sorted(
            (b for b in self.spreadsheets.values() if not b.forbidden and wanted(b)),
            key=lambda b: b.spreadsheet_id,
        )
        page = books[start : start + size]
        result: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
        if start + size < len(books):
            result["nextPageToken"] = str(start + size)
        result["files"] = [_file(b) for b in page]
        return apply_mask(result, fields) if fields else result  # type: ignore[no-any-return]

    # ---- OAuth

    def _token(self, body: Any) -> dict[str, Any]:
        form = parse_qs(body) if isinstance(body, str) else {}
        assertion = form.get("assertion", [""])[0]
        try:
            payload = json.loads(base64.urlsafe_b64decode(assertion.split(".")[1] + "=="))
        except (IndexError, ValueError) as exc:
            raise ApiError(400, "invalid_grant", "Invalid JWT") from exc
        # google-auth signs Google's canonical token URI as the audience, whatever token_uri it posts to.
        audience_ok = payload.get("aud") in ("https://oauth2.googleapis.com/token", self.token_uri)
        if (
            not audience_ok
            or "spreadsheets" not in payload.get("scope", "")
            or payload.get("exp", 0) < time.time()
        ):
            raise ApiError(400, "invalid_grant", "Invalid JWT: audience, scope or expiry")
        with self.lock:
            self.tokens_issued.append(payload)
            n = len(self.tokens_issued)
        return {
            "access_token": f"flowsync-emulator-{n}",
            "expires_in": 3600,
            "token_type": "Bearer",
        }

    # ---- spreadsheets.get

    def _get(self, book: Spreadsheet, query: dict[str, list[str]]) -> dict[str, Any]:
        grid = query.get("includeGridData", ["false"])[0].lower() == "true"
        # ``ranges`` (whole tabs, as flowsync asks) keeps only those tabs; an unknown title is a 400.
        wanted = {book.span(a1)[0].title for a1 in query.get("ranges", [])}
        sheets = []
        for sheet in (s for s in book.sheets if not wanted or s.title in wanted):
            entry: dict[str, Any] = {"properties": sheet.properties()}
            if grid:
                entry["data"] = [sheet.grid_data(book.locale)]
            if sheet.merges:
                entry["merges"] = sheet.merge_ranges()
            if book.protected and any(
                p["range"]["sheetId"] == sheet.sheet_id for p in book.protected
            ):
                entry["protectedRanges"] = [
                    p for p in book.protected if p["range"]["sheetId"] == sheet.sheet_id
                ]
            sheets.append(entry)
        result = {
            "spreadsheetId": book.spreadsheet_id,
            "properties": {"title": book.title, "locale": book.locale, **_props(book)},
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
        }
        if "fields" in query:
            return apply_mask(result, query["fields"][0])  # type: ignore[no-any-return]
        return result

    # ---- values

    def _values_get(
        self, book: Spreadsheet, a1: str, query: dict[str, list[str]]
    ) -> dict[str, Any]:
        sheet, span = book.span(a1)
        render = query.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
        out: dict[str, Any] = {"range": sheet.echo(span), "majorDimension": "ROWS"}
        rows = sheet.read(span, render=render, locale=book.locale)
        if rows:
            out["values"] = rows
        return out

    def _values_batch_get(self, book: Spreadsheet, query: dict[str, list[str]]) -> dict[str, Any]:
        ranges = query.get("ranges", [])
        return {
            "spreadsheetId": book.spreadsheet_id,
            "valueRanges": [self._values_get(book, a1, query) for a1 in ranges],
        }

    def _update(self, book: Spreadsheet, a1: str, values: Any, option: str) -> dict[str, Any]:
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise bad_request(
                f"Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), {json.dumps(values)}",
                [
                    {
                        "@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [
                            {
                                "field": "data.values",
                                "description": "Invalid value at 'data.values' "
                                f"(type.googleapis.com/google.protobuf.ListValue), {json.dumps(values)}",
                            }
                        ],
                    }
                ],
            )
        if option not in ("RAW", "USER_ENTERED"):
            raise bad_request("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
        sheet, span = book.span(a1)
        rows, cols, cells = sheet.write(
            span.row0, span.col0, values, user_entered=option == "USER_ENTERED"
        )
        updated = sheet.a1(span.row0, span.col0, span.row0 + max(rows, 1), span.col0 + max(cols, 1))
        return {
            "spreadsheetId": book.spreadsheet_id,
            "updatedRange": updated,
            "updatedRows": rows,
            "updatedColumns": cols,
            "updatedCells": cells,
        }

    def _values_update(
        self, book: Spreadsheet, a1: str, query: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        option = query.get("valueInputOption", [""])[0]
        return self._update(book, a1, (body or {}).get("values"), option)

    def _values_batch_update(self, book: Spreadsheet, body: Any) -> dict[str, Any]:
        option = body.get("valueInputOption", "")
        trial = book.snapshot()  # all or nothing, as the real API
        responses = [
            self._update(trial, d["range"], d.get("values"), option) for d in body.get("data", [])
        ]
        book.__dict__.update(trial.__dict__)
        return {
            "spreadsheetId": book.spreadsheet_id,
            "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
            "totalUpdatedColumns": max((r["updatedColumns"] for r in responses), default=0),
            "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
            "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0] for r in responses}),
            "responses": responses,
        }

    def _clear(self, book: Spreadsheet, a1: str) -> str:
        sheet, span = book.span(a1)
        bounds = sheet.bounds(span)
        sheet.clear(*bounds)
        return sheet.echo(span)

    def _values_clear(self, book: Spreadsheet, a1: str) -> dict[str, Any]:
        return {"spreadsheetId": book.spreadsheet_id, "clearedRange": self._clear(book, a1)}

    def _values_batch_clear(self, book: Spreadsheet, body: Any) -> dict[str, Any]:
        cleared = [self._clear(book, a1) for a1 in body.get("ranges", [])]
        return {"spreadsheetId": book.spreadsheet_id, "clearedRanges": cleared}

    def _values_append(
        self, book: Spreadsheet, a1: str, query: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        sheet, span = book.span(a1)
        table = _table(sheet)
        out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
        if table is None:
            start_row, start_col = span.row0, span.col0
        else:
            r0, c0, r1, c1 = table
            out["tableRange"] = sheet.a1(r0, c0, r1, c1)
            start_row, start_col = r1, c0
        option = query.get("valueInputOption", [""])[0]
        start = f"{col_letters(start_col)}{start_row + 1}"
        updates = self._update(book, f"{_quoted(sheet.title)}!{start}", body.get("values"), option)
        out["updates"] = updates
        return out

    # ---- spreadsheets.batchUpdate

    def _batch_update(self, book: Spreadsheet, body: Any) -> dict[str, Any]:
        trial = book.snapshot()
        replies = []
        for i, request in enumerate(body.get("requests", [])):
            (kind, args), *_ = request.items()
            handler: Callable[[Spreadsheet, Any], dict[str, Any]] | None = getattr(
                self, f"_req_{kind}", None
            )
            if handler is None:
                raise bad_request(f"Invalid requests[{i}]: unsupported request {kind}")
            try:
                replies.append(handler(trial, args))
            except ApiError as exc:
                raise bad_request(f"Invalid requests[{i}].{kind}: {exc.message}") from exc
        book.__dict__.update(trial.__dict__)
        return {"spreadsheetId": book.spreadsheet_id, "replies": replies}

    def _req_addSheet(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        props = args.get("properties", {})
        title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
        if any(s.title == title for s in book.sheets):
            raise ApiError(
                400,
                "INVALID_ARGUMENT",
                f'A sheet with the name "{title}" already exists. Please enter another name.',
            )
        grid = props.get("gridProperties", {})
        sheet = Sheet(
            props.get("sheetId") or self._new_sheet_id(),
            title,
            props.get("index", len(book.sheets)),
            grid.get("rowCount", 1000),
            grid.get("columnCount", 26),
            hidden=bool(props.get("hidden", False)),
            frozen_rows=grid.get("frozenRowCount", 0),
        )
        book.sheets.insert(min(sheet.index, len(book.sheets)), sheet)
        book.reindex()
        return {"addSheet": {"properties": sheet.properties()}}

    def _req_deleteSheet(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        book.sheets.remove(book.by_id(args["sheetId"]))
        book.reindex()
        return {}

    def _req_updateSheetProperties(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        props = args["properties"]
        sheet = book.by_id(props.get("sheetId", 0))
        fields = [f.strip() for f in args.get("fields", "").split(",") if f.strip()]
        grid = props.get("gridProperties", {})
        for name in fields:
            if name == "title":
                sheet.title = props["title"]
            elif name == "hidden":
                if (
                    props.get("hidden")
                    and sum(not s.hidden for s in book.sheets) <= 1
                    and not sheet.hidden
                ):
                    raise ApiError(
                        400, "INVALID_ARGUMENT", "You can't hide all the sheets in a document."
                    )
                sheet.hidden = bool(props.get("hidden"))
            elif name in ("gridProperties/rowCount", "gridProperties.rowCount"):
                sheet.row_count = grid["rowCount"]
            elif name in ("gridProperties/columnCount", "gridProperties.columnCount"):
                sheet.column_count = grid["columnCount"]
            elif name in ("gridProperties/frozenRowCount", "gridProperties.frozenRowCount"):
                sheet.frozen_rows = grid.get("frozenRowCount", 0)
            elif name == "index":
                book.sheets.remove(sheet)
                book.sheets.insert(props["index"], sheet)
                book.reindex()
            else:
                raise ApiError(400, "INVALID_ARGUMENT", f"Unsupported field mask: {name}")
        return {}

    def _req_setDataValidation(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        rng = args["range"]
        sheet = book.by_id(rng.get("sheetId", 0))
        key = (
            rng.get("startRowIndex", 0),
            rng.get("endRowIndex", 0),
            rng.get("startColumnIndex", 0),
            rng.get("endColumnIndex", 0),
        )
        sheet.validations[key] = args.get("rule")
        return {}

    def _req_repeatCell(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        rng = args["range"]
        sheet = book.by_id(rng.get("sheetId", 0))
        bold = args.get("cell", {}).get("userEnteredFormat", {}).get("textFormat", {}).get("bold")
        rows = range(rng.get("startRowIndex", 0), rng.get("endRowIndex", sheet.row_count))
        cols = range(rng.get("startColumnIndex", 0), rng.get("endColumnIndex", sheet.column_count))
        cells = {(r, c) for r in rows for c in cols}
        if bold:
            sheet.bold |= cells
        elif bold is not None:
            sheet.bold -= cells
        return {}

    def _req_addProtectedRange(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        protected = dict(args["protectedRange"])
        protected["protectedRangeId"] = 100 + len(book.protected)
        book.by_id(protected["range"].get("sheetId", 0))
        book.protected.append(protected)
        return {"addProtectedRange": {"protectedRange": protected}}

    def _req_mergeCells(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        rng = args["range"]
        sheet = book.by_id(rng.get("sheetId", 0))
        if args.get("mergeType", "MERGE_ALL") != "MERGE_ALL":
            raise ApiError(400, "INVALID_ARGUMENT", "Only MERGE_ALL is emulated")
        sheet.merge(*sheet.bounds(_span_of(sheet, rng)))
        return {}

    def _req_updateCells(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        """Values and formats under a ``fields`` mask; with ``range``, what rows leave out is cleared."""
        fields = _cell_fields(args.get("fields", ""))
        if ("start" in args) == ("range" in args):
            raise bad_request("Exactly one of start or range must be specified.")
        rows = [row.get("values", []) for row in args.get("rows", [])]
        width = max((len(row) for row in rows), default=0)
        if "range" in args:
            sheet = book.by_id(args["range"].get("sheetId", 0))
            r0, c0, r1, c1 = sheet.bounds(_span_of(sheet, args["range"]))
            if len(rows) > r1 - r0 or width > c1 - c0:
                raise bad_request("The rows to write are larger than the range to write them to.")
            # Every cell of the range is written; those without data (or format) stay as they are.
            given = {(r0 + i, c0 + j) for i, row in enumerate(rows) for j in range(len(row))}
            held = {*sheet.cells, *sheet.bold, *sheet.wrap}
            cells = sorted(given | {(r, c) for r, c in held if r0 <= r < r1 and c0 <= c < c1})
        else:
            start = args["start"]
            sheet = book.by_id(start.get("sheetId", 0))
            r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
            r1, c1 = r0 + len(rows), c0 + width
            cells = [(r0 + i, c0 + j) for i, row in enumerate(rows) for j in range(len(row))]
        if r1 > sheet.row_count or c1 > sheet.column_count:
            end = sheet.a1(r0, c0, max(r1, r0 + 1), max(c1, c0 + 1))
            raise bad_request(
                f"Range ({end}) exceeds grid limits. Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
            )
        for r, c in cells:
            row = rows[r - r0] if r - r0 < len(rows) else []
            data = row[c - c0] if c - c0 < len(row) else {}
            _set_cell(sheet, (r, c), data, fields)
        return {}

    def _req_updateDimensionProperties(self, book: Spreadsheet, args: Any) -> dict[str, Any]:
        rng = args["range"]
        sheet = book.by_id(rng.get("sheetId", 0))
        fields = {f.strip() for f in args.get("fields", "").split(",") if f.strip()}
        if not fields:
            raise bad_request("At least one field must be specified.")
        if fields - {"pixelSize"}:
            raise bad_request(f"Unsupported field mask: {','.join(sorted(fields - {'pixelSize'}))}")
        if rng.get("dimension") == "COLUMNS":
            end = rng.get("endIndex", sheet.column_count)
            if end > sheet.column_count:
                raise bad_request(f"Invalid range: column {end} is beyond the grid")
            size = args.get("properties", {}).get("pixelSize")
            for c in range(rng.get("startIndex", 0), end):
                if size is None:
                    sheet.column_pixels.pop(c, None)  # in the mask, not given: back to the default
                else:
                    sheet.column_pixels[c] = int(size)
        return {}


_VALUE_KINDS = ("stringValue", "numberValue", "boolValue", "formulaValue")
_WRAP_STRATEGIES = ("OVERFLOW_CELL", "LEGACY_WRAP", "CLIP", "WRAP")


def _cell_fields(text: str) -> set[str]:
    """The CellData fields of an updateCells mask that the emulator keeps: value, bold, wrap."""
    if not text.strip():
        raise bad_request("At least one field must be specified.")
    try:
        mask = parse_mask(text)
    except ValueError as exc:
        raise bad_request(f"Invalid field mask: {text}") from exc
    if "*" in mask:
        return {"value", "bold", "wrap"}
    out: set[str] = set()
    for name, sub in mask.items():
        if name == "userEnteredValue" and not sub:
            out.add("value")
        elif name == "userEnteredFormat":
            for part, deeper in (sub or {"textFormat": {}, "wrapStrategy": {}}).items():
                if part == "textFormat" and set(deeper or {"bold": {}}) == {"bold"}:
                    out.add("bold")
                elif part == "wrapStrategy" and not deeper:
                    out.add("wrap")
                else:
                    raise bad_request(f"Unsupported field mask: userEnteredFormat.{part}")
        else:
            raise bad_request(f"Unsupported field mask: {name}")
    return out


def _set_cell(sheet: Sheet, key: tuple[int, int], data: dict[str, Any], fields: set[str]) -> None:
    """One CellData written under the mask: a field in the mask but absent from data is cleared."""
    unknown = set(data) - {"userEnteredValue", "userEnteredFormat"}
    if unknown:
        raise bad_request(f'Invalid JSON payload received. Unknown name "{min(unknown)}"')
    if "value" in fields:
        value = data.get("userEnteredValue") or {}
        if len(value) > 1 or set(value) - set(_VALUE_KINDS):
            raise bad_request(f"Invalid value: exactly one of {', '.join(_VALUE_KINDS)}")
        kind, raw = next(iter(value.items()), (None, None))
        if kind == "formulaValue" and str(raw).startswith("="):
            cell = entered(str(raw), user_entered=True)
        elif kind == "numberValue":
            cell = Cell(value=float(raw))
        elif kind == "boolValue":
            cell = Cell(value=bool(raw))
        else:
            cell = Cell(value=str(raw) if raw else None)  # stringValue: never parsed
        if cell.empty:
            sheet.cells.pop(key, None)
        else:
            sheet.cells[key] = cell
    style = data.get("userEnteredFormat") or {}
    if "bold" in fields:
        if (style.get("textFormat") or {}).get("bold"):
            sheet.bold.add(key)
        else:
            sheet.bold.discard(key)
    if "wrap" in fields:
        strategy = style.get("wrapStrategy")
        if strategy is None:
            sheet.wrap.pop(key, None)
        elif strategy not in _WRAP_STRATEGIES:
            raise bad_request(f"Invalid value at 'wrap_strategy', \"{strategy}\"")
        else:
            sheet.wrap[key] = strategy


def _span_of(sheet: Sheet, rng: dict[str, Any]) -> Span:
    """A GridRange as a Span; a missing end is the end of the grid."""
    return Span(
        sheet.title,
        rng.get("startRowIndex", 0),
        rng.get("startColumnIndex", 0),
        rng.get("endRowIndex"),
        rng.get("endColumnIndex"),
    )


DRIVE_FILES = "/drive/v3/files"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_FILE_DEFAULT = "kind,id,name,mimeType"
_CLAUSE = re.compile(
    r"\s*(?:(mimeType)\s*=\s*'([^']*)'|(modifiedTime)\s*>\s*'([^']*)'|(trashed)\s*=\s*(false|true))\s*"
)


def rfc3339(seconds: float) -> str:
    """Drive's timestamps: UTC, milliseconds, a Z."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _file(book: Spreadsheet) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": book.spreadsheet_id,
        "name": book.title,
        "mimeType": SPREADSHEET_MIME,
        "modifiedTime": rfc3339(book.modified),
        "version": str(book.version),  # int64 travels as a string
    }


def _drive_query(q: str) -> Callable[[Spreadsheet], bool]:
    """The subset of Drive's query language flowsync uses: mimeType, modifiedTime, trashed."""
    tests: list[Callable[[Spreadsheet], bool]] = []
    for clause in (c for c in re.split(r"\s+and\s+", q.strip()) if c):
        m = _CLAUSE.fullmatch(clause)
        if m is None:
            raise _drive_error(400, "invalid", "Invalid Value", location="q")
        if m.group(1):
            mime = m.group(2)
            tests.append(lambda b, mime=mime: mime == SPREADSHEET_MIME)
        elif m.group(3):
            try:
                since = datetime.fromisoformat(m.group(4).replace("Z", "+00:00"))
            except ValueError:
                raise _drive_error(400, "invalid", "Invalid Value", location="q") from None
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            # Drive compares at millisecond precision: what rfc3339 shows is what counts.
            tests.append(lambda b, t=since: datetime.fromisoformat(rfc3339(b.modified)) > t)
        else:
            trashed = m.group(6) == "true"
            tests.append(lambda b, trashed=trashed: not trashed)
    return lambda b: all(t(b) for t in tests)


def _drive_error(
    code: int, reason: str, message: str, *, detail: str | None = None, location: str | None = None
) -> ApiError:
    """Drive's error shape: the v2-style ``errors`` list beside Google's status and details."""
    error = ApiError(code, "PERMISSION_DENIED" if code == 403 else _status_word(code), message)
    item: dict[str, Any] = {"message": message, "domain": "global", "reason": reason}
    if location:
        item.update(location=location, locationType="parameter")
    error.errors = [item]
    if detail:
        error.details = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": detail,
                "domain": "googleapis.com",
                "metadata": {"service": "drive.googleapis.com"},
            }
        ]
    return error


def _props(book: Spreadsheet) -> dict[str, Any]:
    return {
        "autoRecalc": DEFAULT_PROPERTIES["autoRecalc"],
        "timeZone": book.time_zone,
        "defaultFormat": DEFAULT_PROPERTIES["defaultFormat"],
        "spreadsheetTheme": DEFAULT_PROPERTIES["spreadsheetTheme"],
    }


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _table(sheet: Sheet) -> tuple[int, int, int, int] | None:
    """The table values.append finds: the run of filled cells around the first row's last one.

    This reproduces the recorded case: A1 and C1 filled, B1 empty -> table C1.
    """
    if not sheet.cells:
        return None
    first_row = min(r for r, _ in sheet.cells)
    cols = sorted(c for r, c in sheet.cells if r == first_row)
    c1 = cols[-1] + 1
    c0 = cols[-1]
    while c0 - 1 in cols:
        c0 -= 1
    r1 = first_row + 1
    while any((r1, c) in sheet.cells for c in range(c0, c1)):
        r1 += 1
    return first_row, c0, r1, c1


class _Handler(BaseHTTPRequestHandler):
    emulator: SheetsEmulator
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        content_type = self.headers.get("Content-Type", "")
        body: Any = raw
        if raw and "json" in content_type:
            body = json.loads(raw)
        emulator = self.emulator
        endpoint = _endpoint_of(method, self.path)
        if emulator.latency:
            time.sleep(emulator.latency)
        spreadsheet = _spreadsheet_of(self.path)
        fault = emulator._take_fault(endpoint, spreadsheet)
        with emulator.lock:
            emulator.calls[endpoint] += 1
            emulator.log.append((time.monotonic(), endpoint, spreadsheet))
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if fault.status:
                error = ApiError(fault.status, _status_word(fault.status), "Injected fault")
                self._send(
                    fault.status,
                    error.body(),
                    {"Retry-After": fault.retry_after} if fault.retry_after else {},
                )
                return
        try:
            status, payload, _ = emulator.handle(
                method, self.path, body, {k.lower(): v for k, v in self.headers.items()}
            )
        except ApiError as exc:
            status, payload = exc.code, exc.body()
        self._send(status, payload, {})

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")


def _endpoint_of(method: str, raw_path: str) -> str:
    path = urlsplit(raw_path).path
    if path == "/token":
        return "token"
    if path.startswith(DRIVE_FILES):
        return "drive.files.get" if path[len(DRIVE_FILES) :].strip("/") else "drive.files.list"
    rest = path[len("/v4/spreadsheets/") :]
    sid, _, tail = rest.partition("/")
    if not tail:
        return "spreadsheets.batchUpdate" if sid.endswith(":batchUpdate") else "spreadsheets.get"
    if tail.startswith("values:"):
        return "values." + tail[len("values:") :]
    if tail.endswith(":clear"):
        return "values.clear"
    if tail.endswith(":append"):
        return "values.append"
    return "values.get" if method == "GET" else "values.update"


def _spreadsheet_of(raw_path: str) -> str:
    path = urlsplit(raw_path).path
    if path.startswith(DRIVE_FILES):
        return path[len(DRIVE_FILES) :].strip("/")
    return path[len("/v4/spreadsheets/") :].split("/")[0].split(":")[0]


def _status_word(code: int) -> str:
    return {
        408: "DEADLINE_EXCEEDED",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        502: "UNAVAILABLE",
        503: "UNAVAILABLE",
        504: "DEADLINE_EXCEEDED",
    }.get(code, "UNKNOWN")


@contextmanager
def running(**kwargs: Any) -> Iterator[SheetsEmulator]:
    """An emulator started for the block and stopped after it."""
    with SheetsEmulator(**kwargs) as emulator:
        yield emulator


__all__ = ["ApiError", "Fault", "SheetsEmulator", "bad_request", "running"]
