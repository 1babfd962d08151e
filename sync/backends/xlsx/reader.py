"""Reading a workbook's cells with python-calamine: values as a person sees them, fast.

calamine (Rust) reads the cached value of every formula, as openpyxl's
read-only mode does, about ten times faster. Two things it leaves out are put
back here: an error cell (``#REF!``) reads as the error's text, not as empty,
and a merged range's value applies to every cell of it (``merged_cell_ranges``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from sync.backends.merged import spread_merged
from sync.backends.xlsx.package import PackageError, sheet_entries
from sync.core import Cell, Grid, Snapshot
from sync.workbook.contract import tab_key

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: an encrypted .xlsx, or an .xls
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# An error cell: <c r="B7" t="e"><f>...</f><v>#REF!</v></c>, never running into the next cell.
_ERROR_CELL = re.compile(
    rb'<c\b(?=[^>]*\bt="e")[^>]*?\br="([A-Z]+)(\d+)"[^>]*(?<!/)>(?:(?!</c>|<c[\s>]).)*?<v>([^<]*)</v>',
    re.S,
)


class Unreadable(ValueError):
    """The bytes are not a workbook calamine can read; the message says what they are."""


class PasswordProtected(Unreadable):
    """An encrypted (password-protected) workbook."""


class NotAWorkbook(Unreadable):
    """Bytes that are no workbook at all (``empty``: none): a sync client's placeholder, a bad copy.

    Told apart so that the message says what to do (restore or re-create it), not the library's words.
    """

    def __init__(self, *, empty: bool) -> None:
        super().__init__("the file is empty" if empty else "the file is not an Excel workbook")
        self.empty = empty


ZIP_MAGIC = b"PK\x03\x04"  # every .xlsx is a zip package


def sniff(data: bytes) -> None:
    """Raise PasswordProtected or Unreadable for a Compound File (encrypted .xlsx, or .xls),
    NotAWorkbook for no bytes or for bytes that are not a zip package."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            raise PasswordProtected("it is password protected")
        raise Unreadable("it is an old Excel 97-2003 workbook (.xls), not .xlsx")
    if not data.startswith(ZIP_MAGIC):
        raise NotAWorkbook(empty=not data)


def read_snapshot(data: bytes) -> Snapshot:
    """Every tab title, and the cells of the tabs the contract knows."""
    sniff(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise PasswordProtected("it is password protected") from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise Unreadable(f"{type(exc).__name__}: {exc}") from exc
    try:
        titles = tuple(book.sheet_names)
        grids: dict[str, Grid] = {}
        errors = _error_cells(data, [t for t in titles if tab_key(t) is not None])
        for title in titles:
            if tab_key(title) is None:
                continue
            try:
                sheet = book.get_sheet_by_name(title)
                rows = [[_plain(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
                merged = sheet.merged_cell_ranges or []
            except (CalamineError, ValueError) as exc:
                raise Unreadable(f"tab {title!r}: {type(exc).__name__}: {exc}") from exc
            for (r, c), text in errors.get(title, {}).items():
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = text
            grids[title] = spread_merged(
                rows, ((r0, c0, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in merged)
            )
        return Snapshot(titles=titles, grids=grids)
    finally:
        book.close()


def _plain(value: object) -> Cell:
    """A calamine value as the cell openpyxl gave: None for blank, int for whole numbers, datetime."""
    kind = type(value)
    if kind is str:
        return value or None  # type: ignore[return-value]
    if kind is float:
        f: float = value  # type: ignore[assignment]
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    if kind is int or kind is bool or kind is datetime:
        return value  # type: ignore[return-value]
    if kind is date:
        d: date = value  # type: ignore[assignment]
        return datetime.combine(d, time())  # as openpyxl gave it; a cell carries no time zone
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _error_cells(data: bytes, titles: Iterable[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Title -> (row, column) -> error text (``#REF!``) of the cells calamine reads as blank."""
    wanted = set(titles)
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        entries = sheet_entries(data)
    except PackageError:
        return out  # calamine read it; without a sheet list, errors read as blanks
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for entry in entries:
            if entry.name not in wanted or not entry.part:
                continue
            try:
                xml = zf.read(entry.part)
            except KeyError:
                continue
            if b't="e"' not in xml:
                continue
            cells = {}
            for m in _ERROR_CELL.finditer(xml):
                cells[(int(m.group(2)) - 1, _column_index(m.group(1)))] = m.group(3).decode()
            out[entry.name] = cells
    return out


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1
