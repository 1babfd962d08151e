"""A local .xlsx workbook through openpyxl: the embedded default backend.

Reading uses openpyxl's read-only mode with cached values (what a person sees,
not the formula). Writing loads the workbook in full, so the input tabs keep
their formulas, replaces only the owned tabs, and saves to a temporary file
that replaces the original in one rename: a crash never leaves half a file.
"""

from __future__ import annotations

import errno
import os
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sync.core import Cell, Formula, Grid, Locale, Snapshot
from sync.errors import WorkbookError
from sync.workbook.contract import TAB, tab_key
from sync.workbook.values import is_blank

_BOLD = Font(bold=True)
_MAX_WIDTH = 50  # characters; longer text overflows into empty neighbours, as in Google Sheets


class XlsxWorkbook:
    """One team's workbook as a local .xlsx file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def calls(self) -> int:
        return 0

    @property
    def retries(self) -> int:
        return 0

    def row_link(self, title: str, row: int | None) -> str | None:
        return None  # a local file has no shareable link to a row

    @property
    def sparklines(self) -> bool:
        return False  # Excel has no SPARKLINE function; the trend is drawn in Unicode instead

    def read(self) -> Snapshot:
        book = self._load(read_only=True)
        try:
            grids: dict[str, Grid] = {}
            for ws in book.worksheets:
                if tab_key(ws.title) is None:
                    continue
                ws.reset_dimensions()  # some writers record a wrong dimension
                grids[ws.title] = [
                    [_plain(c) for c in row] for row in ws.iter_rows(values_only=True)
                ]
            return Snapshot(titles=tuple(book.sheetnames), grids=grids)
        finally:
            book.close()

    def check_writable(self) -> None:
        """The file can be replaced: its folder takes a new file (as the save's temporary file)."""
        folder = self.path.resolve().parent
        try:
            fd, probe = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".probe", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise WorkbookError(
                f"workbook {self.path} cannot be replaced: its folder {folder} does not accept new "
                f"files ({exc.strerror or exc}); fix the folder's permissions. No alert was sent: "
                "it goes out once flowsync can record it"
            ) from exc

    def write(self, tabs: Mapping[str, Grid]) -> None:
        book = self._load(read_only=False) if self.path.exists() else _empty_book()
        for title, grid in tabs.items():
            index = book.sheetnames.index(title) if title in book.sheetnames else None
            if index is not None:
                book.remove(book[title])
            ws = book.create_sheet(title, index)
            fill_sheet(ws, grid)
            key = tab_key(title)
            if key is not None and TAB[key].hidden:
                ws.sheet_state = "hidden"
        self._save(book)

    def init(self, tabs: Mapping[str, Grid], *, locale: Locale) -> list[str]:
        """Create the template tabs that are missing or empty; never touch a tab with data.

        ``tabs`` maps contract keys to template grids. Returns the titles written.
        """
        book = self._load(read_only=False) if self.path.exists() else _empty_book()
        present = {tab_key(title): title for title in book.sheetnames if tab_key(title)}
        written: list[str] = []
        for key, grid in tabs.items():
            title = present.get(key)
            if title is not None and _has_data(book[title]):
                continue
            title = title or TAB[key].name(locale)
            index = book.sheetnames.index(title) if title in book.sheetnames else None
            if index is not None:
                book.remove(book[title])
            ws = book.create_sheet(title, index)
            fill_sheet(ws, grid)
            _add_dropdowns(ws, key, locale, rows=max(len(grid), 1000))
            written.append(title)
        self._save(book)
        return written

    def _load(self, *, read_only: bool) -> OpenpyxlWorkbook:
        try:
            return openpyxl.load_workbook(self.path, read_only=read_only, data_only=read_only)
        except FileNotFoundError:
            raise WorkbookError(
                f"workbook {self.path} does not exist: check the path in the config, "
                "or create it with `flowsync init`"
            ) from None
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise WorkbookError(
                f"workbook {self.path} cannot be read as .xlsx ({type(exc).__name__}: {exc}); "
                "save it as an Excel workbook (.xlsx)"
            ) from exc

    def _save(self, book: OpenpyxlWorkbook) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
            os.close(fd)
            try:
                book.save(tmp)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as exc:
            raise WorkbookError(f"workbook {self.path} cannot be written: {_why(exc)}") from exc


def _why(exc: OSError) -> str:
    """What a failed save means to a person, and what to do about it."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full; free some space, and the next cycle writes it"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"permission denied ({exc.strerror}); check the permissions of the file and its folder"
        )
    return f"{exc.strerror or exc}; the next cycle tries again"


def _empty_book() -> OpenpyxlWorkbook:
    """A new workbook without openpyxl's default "Sheet"; the caller adds the tabs."""
    book = openpyxl.Workbook()
    for ws in book.worksheets:
        book.remove(ws)
    return book


def _has_data(ws: Worksheet) -> bool:
    return any(not is_blank(_plain(c)) for row in ws.iter_rows(values_only=True) for c in row)


_PLAIN_TYPES = (str, int, float, bool, date, type(None))


def _plain(value: object) -> Cell:
    """An openpyxl value as a plain cell: rich text, decimals and times become str or float."""
    if isinstance(value, _PLAIN_TYPES):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def fill_sheet(ws: Worksheet, grid: Grid) -> None:
    """Write ``grid`` from A1: the first row as a bold, frozen header; text stays text."""
    widths: dict[int, int] = {}
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c)
            cell.value = value
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"  # openpyxl would store "=..." as a formula
            if r == 1:
                cell.font = _BOLD
            if sum(v is not None for v in row) > 1:  # a lone title may overflow; it sets no width
                widths[c] = max(widths.get(c, 0), _width(value))
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = min(width + 2, _MAX_WIDTH)
    if grid:
        ws.freeze_panes = "A2"


def _width(value: Cell) -> int:
    text = str(value).split("\n", 1)[0]
    # East Asian characters take two columns.
    return sum(2 if ord(ch) > 0x1100 else 1 for ch in text)


def _add_dropdowns(ws: Worksheet, key: str, locale: Locale, *, rows: int) -> None:
    for index, column in enumerate(TAB[key].columns, start=1):
        if column.enum is None:
            continue
        words = ",".join(column.enum.words(locale))
        validation = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
        validation.error = column.name(locale)
        validation.showErrorMessage = False  # the other language's words are accepted too
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{rows}")
        ws.add_data_validation(validation)
