"""The emulator's spreadsheets: sheets of cells, A1 ranges, and how the API renders them.

Behaviour follows the recorded responses in shared/sheets-api-samples:
trailing blank cells and rows are cut, blank rows inside the data are ``[]``,
an empty range has no ``values`` key, FORMATTED_VALUE returns strings only,
UNFORMATTED_VALUE returns numbers and date serials, and a range echo quotes a
title only when it needs quotes.
"""

from __future__ import annotations

import ast
import copy
import operator
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

EPOCH = date(1899, 12, 30)


class ApiError(Exception):
    """An error response: HTTP status, Google status word and message."""

    def __init__(
        self, code: int, status: str, message: str, details: list[Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code, self.status, self.message, self.details = code, status, message, details
        self.errors: list[dict[str, Any]] | None = None  # Drive adds the v2-style list

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.errors:
            error["errors"] = self.errors
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str, details: list[Any] | None = None) -> ApiError:
    return ApiError(400, "INVALID_ARGUMENT", message, details)


# ----------------------------------------------------------------------------- cells


@dataclass
class Cell:
    """One cell: what was entered, and how it shows."""

    value: str | float | bool | None = None  # the effective value
    formula: str | None = None
    date_pattern: str | None = None  # "iso", "ko" or "us": the value is a date serial
    percent: bool = False
    error: str | None = None  # "#REF!" etc. for a formula that fails

    @property
    def empty(self) -> bool:
        return self.value is None and self.formula is None and self.error is None

    def formatted(self, locale: str) -> str:
        if self.error:
            return self.error
        v = self.value
        if v is None:
            return ""
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, str):
            return v
        if self.date_pattern:
            day = EPOCH + timedelta(days=int(v))
            pattern = self.date_pattern
            if pattern == "ko" or (pattern == "locale" and locale.startswith("ko")):
                return f"{day.year}. {day.month}. {day.day}"
            if pattern == "us" or pattern == "locale":
                return f"{day.month}/{day.day}/{day.year}"
            return day.isoformat()
        if self.percent:
            return f"{format_number(v * 100)}%"
        return format_number(v)

    def unformatted(self) -> str | float | bool:
        if self.error:
            return self.error
        if self.value is None:
            return ""
        if isinstance(self.value, float) and self.value.is_integer():
            return int(self.value)
        return self.value

    def effective(self) -> dict[str, Any] | None:
        if self.error:
            kind = {"#REF!": "REF", "#N/A": "N_A", "#DIV/0!": "DIVIDE_BY_ZERO", "#NAME?": "NAME"}
            return {"errorValue": {"type": kind.get(self.error, "ERROR"), "message": self.error}}
        v = self.value
        if v is None:
            return None
        if isinstance(v, bool):
            return {"boolValue": v}
        if isinstance(v, str):
            return {"stringValue": v}
        return {"numberValue": v}

    def user_entered(self) -> dict[str, Any] | None:
        if self.formula is not None:
            return {"formulaValue": self.formula}
        return self.effective()


def format_number(v: float) -> str:
    if float(v).is_integer():
        return str(int(v))
    return repr(float(v))


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_KO_DATE = re.compile(r"(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _serial(y: int, m: int, d: int) -> float | None:
    try:
        return float((date(y, m, d) - EPOCH).days)
    except ValueError:
        return None


def entered(raw: Any, *, user_entered: bool) -> Cell:
    """A cell from a value sent with valueInputOption RAW or USER_ENTERED."""
    if raw is None or raw == "":
        return Cell()
    if isinstance(raw, bool):
        return Cell(value=raw)
    if isinstance(raw, int | float):
        return Cell(value=float(raw))
    text = str(raw)
    if not user_entered:
        return Cell(value=text)
    if text.startswith("'"):
        return Cell(value=text[1:])
    if text.startswith("="):
        return _formula(text)
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped.replace(",", "")) and re.fullmatch(
        r"[-+]?[\d,]*\.?\d*", stripped
    ):
        return Cell(value=float(stripped.replace(",", "")))
    if stripped.endswith("%") and _NUMBER.fullmatch(stripped[:-1].strip()):
        return Cell(value=float(stripped[:-1]) / 100, percent=True)
    if stripped.upper() in ("TRUE", "FALSE"):
        return Cell(value=stripped.upper() == "TRUE")
    for pattern, name, order in (
        (_ISO_DATE, "iso", (0, 1, 2)),
        (_KO_DATE, "ko", (0, 1, 2)),
        (_US_DATE, "us", (2, 0, 1)),
    ):
        if m := pattern.fullmatch(stripped):
            parts = [int(g) for g in m.groups()]
            serial = _serial(parts[order[0]], parts[order[1]], parts[order[2]])
            if serial is not None:
                return Cell(value=serial, date_pattern=name)
    return Cell(value=text)


def _formula(text: str) -> Cell:
    body = text[1:].strip()
    if body.upper().startswith("SPARKLINE("):
        return Cell(formula=text)  # a chart: no value of its own
    try:
        value = _evaluate(ast.parse(body, mode="eval").body)
    except ZeroDivisionError:
        return Cell(formula=text, error="#DIV/0!")
    except (SyntaxError, ValueError, KeyError, TypeError):
        return Cell(formula=text, error="#NAME?")
    return Cell(formula=text, value=float(value))


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_evaluate(node.left), _evaluate(node.right))  # type: ignore[no-any-return]
    if isinstance(node, ast.UnaryOp):
        return _OPS[type(node.op)](_evaluate(node.operand))  # type: ignore[no-any-return]
    raise ValueError("unsupported formula")


# ----------------------------------------------------------------------------- A1 ranges


def col_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def quote_title(title: str) -> str:
    """As the API echoes it: bare when it needs no quotes, else in single quotes."""
    if re.fullmatch(r"[^\W\d]\w*", title) and not re.fullmatch(
        r"[A-Za-z]{1,3}\d+|[Rr]\d+[Cc]\d+", title
    ):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass
class Span:
    """A parsed A1 range: 0-based, end exclusive; None for an open end."""

    title: str
    row0: int = 0
    col0: int = 0
    row1: int | None = None
    col1: int | None = None


_CELL = re.compile(r"([A-Za-z]*)(\d*)")


def parse_range(text: str, titles: list[str]) -> Span:
    """'Sheet'!A1:B2, Sheet!A:A, a bare title, or an A1 range on the first sheet."""
    if "!" in text:
        title, _, cells = text.rpartition("!")
    elif text.strip("'") in titles or text.startswith("'"):
        title, cells = text, ""
    else:
        title, cells = titles[0], text
    if title.startswith("'") and title.endswith("'") and len(title) >= 2:
        title = title[1:-1].replace("''", "'")
    if title not in titles:
        raise bad_request(f"Unable to parse range: {text}")
    if not cells:
        return Span(title)
    first, _, last = cells.partition(":")
    m1, m2 = _CELL.fullmatch(first), _CELL.fullmatch(last or first)
    if m1 is None or m2 is None or not (m1.group(1) or m1.group(2)):
        raise bad_request(f"Unable to parse range: {text}")
    c0 = col_index(m1.group(1)) if m1.group(1) else 0
    r0 = int(m1.group(2)) - 1 if m1.group(2) else 0
    c1 = col_index(m2.group(1)) + 1 if m2.group(1) else None
    r1 = int(m2.group(2)) if m2.group(2) else None
    return Span(title, r0, c0, r1, c1)


# ----------------------------------------------------------------------------- sheets


@dataclass
class Sheet:
    sheet_id: int
    title: str
    index: int
    row_count: int = 1000
    column_count: int = 26
    hidden: bool = False
    frozen_rows: int = 0
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    validations: dict[tuple[int, int, int, int], Any] = field(default_factory=dict)
    bold: set[tuple[int, int]] = field(default_factory=set)  # formats live apart from values
    wrap: dict[tuple[int, int], str] = field(default_factory=dict)  # cell -> its wrapStrategy
    column_pixels: dict[int, int] = field(default_factory=dict)  # column -> pixelSize, where set
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # r0, c0, r1, c1 (end-exclusive)

    def properties(self) -> dict[str, Any]:
        grid: dict[str, Any] = {"rowCount": self.row_count, "columnCount": self.column_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        return props

    def bounds(self, span: Span) -> tuple[int, int, int, int]:
        r1 = self.row_count if span.row1 is None else span.row1
        c1 = self.column_count if span.col1 is None else span.col1
        return span.row0, span.col0, r1, c1

    def a1(self, r0: int, c0: int, r1: int, c1: int) -> str:
        start = f"{col_letters(c0)}{r0 + 1}"
        end = f"{col_letters(c1 - 1)}{r1}"
        return f"{quote_title(self.title)}!{start}" + (f":{end}" if end != start else "")

    def echo(self, span: Span) -> str:
        """The range as the API echoes a read: open ends clamped to the grid."""
        return self.a1(*self.bounds(span))

    def read(self, span: Span, *, render: str, locale: str) -> list[list[Any]]:
        """Rows of values, trailing blanks cut, interior blank rows as []."""
        r0, c0, r1, c1 = self.bounds(span)
        r1, c1 = min(r1, self.row_count), min(c1, self.column_count)
        rows: list[list[Any]] = []
        for r in range(r0, r1):
            row: list[Any] = []
            for c in range(c0, c1):
                cell = self.cells.get((r, c))
                if cell is None or cell.empty:
                    row.append("")
                elif render == "FORMULA" and cell.formula:
                    row.append(cell.formula)
                elif render == "UNFORMATTED_VALUE":
                    row.append(cell.unformatted())
                else:
                    row.append(cell.formatted(locale))
            while row and row[-1] == "":
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def write(
        self, r0: int, c0: int, values: list[list[Any]], *, user_entered: bool
    ) -> tuple[int, int, int]:
        """Write rows from (r0, c0); returns (rows, columns, cells) updated."""
        width = max((len(row) for row in values), default=0)
        if r0 + len(values) > self.row_count or c0 + width > self.column_count:
            end = self.a1(r0, c0, r0 + len(values), c0 + max(width, 1))
            raise bad_request(
                f"Range ({end}) exceeds grid limits. Max rows: {self.row_count}, max columns: {self.column_count}"
            )
        count = 0
        for i, row in enumerate(values):
            for j, raw in enumerate(row):
                cell = entered(raw, user_entered=user_entered)
                key = (r0 + i, c0 + j)
                if cell.empty:
                    self.cells.pop(key, None)
                else:
                    self.cells[key] = cell
                count += 1
        return len(values), width, count

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """Merge a range as MERGE_ALL does: the top-left value stays, the others are cleared."""
        if r1 - r0 < 1 or c1 - c0 < 1 or (r1 - r0, c1 - c0) == (1, 1):
            raise bad_request("Invalid merge: the range must hold more than one cell")
        for m in self.merges:
            if r0 < m[2] and m[0] < r1 and c0 < m[3] and m[1] < c1:
                raise bad_request("You can't merge cells that overlap an existing merge.")
        top_left = self.cells.get((r0, c0))
        self.clear(r0, c0, r1, c1)
        if top_left is not None:
            self.cells[(r0, c0)] = top_left
        self.merges.append((r0, c0, r1, c1))

    def merge_ranges(self) -> list[dict[str, int]]:
        """The sheet's ``merges`` as spreadsheets.get returns them: GridRanges, zeros omitted."""
        out = []
        for r0, c0, r1, c1 in self.merges:
            grid = {"sheetId": self.sheet_id, "startRowIndex": r0, "endRowIndex": r1}
            grid |= {"startColumnIndex": c0, "endColumnIndex": c1}
            out.append({k: v for k, v in grid.items() if v or k == "sheetId"})
        return out

    def clear(self, r0: int, c0: int, r1: int, c1: int) -> None:
        for key in [k for k in self.cells if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
            del self.cells[key]

    def grid_data(self, locale: str) -> dict[str, Any]:
        """The sheet's ``data`` block as spreadsheets.get with includeGridData returns it."""
        by_row: dict[int, int] = {}
        for r, c in self.cells:
            by_row[r] = max(by_row.get(r, -1), c)
        row_data: list[dict[str, Any]] = []
        for r in range(max(by_row, default=-1) + 1):
            last_col = by_row.get(r, -1)
            values: list[dict[str, Any]] = []
            for c in range(last_col + 1):
                cell = self.cells.get((r, c))
                if cell is None or cell.empty:
                    values.append({})
                    continue
                entry: dict[str, Any] = {}
                if (uev := cell.user_entered()) is not None:
                    entry["userEnteredValue"] = uev
                if (ev := cell.effective()) is not None:
                    entry["effectiveValue"] = ev
                if cell.value is not None or cell.error:
                    entry["formattedValue"] = cell.formatted(locale)
                values.append(entry)
            row_data.append({"values": values} if values else {})
        return {"rowData": row_data} if row_data else {}


@dataclass
class Spreadsheet:
    spreadsheet_id: str
    title: str = "Untitled spreadsheet"
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    sheets: list[Sheet] = field(default_factory=list)
    protected: list[dict[str, Any]] = field(default_factory=list)
    forbidden: bool = False
    # Drive's view of the file: every write moves both (files.get, files.list).
    version: int = 1
    modified: float = 0.0  # seconds since the epoch

    def touch(self, when: float) -> None:
        """One more write: Drive bumps the version and the modifiedTime."""
        self.version += 1
        self.modified = max(when, self.modified)

    def sheet(self, title: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise bad_request(f"Unable to parse range: {quote_title(title)}")

    def by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise bad_request(f"No grid with id: {sheet_id}")

    def span(self, text: str) -> tuple[Sheet, Span]:
        span = parse_range(text, [s.title for s in self.sheets])
        return self.sheet(span.title), span

    def reindex(self) -> None:
        for i, sheet in enumerate(self.sheets):
            sheet.index = i

    def snapshot(self) -> Spreadsheet:
        return copy.deepcopy(self)
