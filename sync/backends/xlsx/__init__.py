"""A local .xlsx workbook: the embedded default backend, which touches only what it owns.

Reading takes the file's bytes once and reads them with python-calamine
(reader.py): cached formula values, as a person sees them, and merged cells
spread over their range. Writing (package.py) replaces only the owned tabs'
parts of the zip package and copies every other part byte for byte, under a
lock beside the workbook, after checking the file is still the one read, in
one atomic rename that keeps the file's mode, owner, group and symlink
(files.py). openpyxl builds only brand-new workbooks, for ``init`` and for a
first write where there was no file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from sync import messages
from sync.backends.layout import alignments, column_widths, is_bold
from sync.backends.xlsx.files import (
    Identity,
    ensure_replaceable,
    read_bytes,
    replace,
    target,
)
from sync.backends.xlsx.package import OwnedTab, PackageError, rebuild
from sync.backends.xlsx.reader import (
    NotAWorkbook,
    PasswordProtected,
    Unreadable,
    read_snapshot,
    sniff,
)
from sync.backends.xlsx.sheet import (
    LINE_HEIGHT,
    PAPER_A4,
    Dropdown,
    landscape,
    wrapped_lines,
)
from sync.core import Formula, Grid, Locale, Snapshot, Waiting, Wrap
from sync.errors import WorkbookError
from sync.workbook.contract import TAB, TABS, tab_key
from sync.workbook.values import is_blank

__all__ = ["XlsxWorkbook", "fill_sheet"]

_BOLD = Font(bold=True)


class XlsxWorkbook:
    """One team's workbook as a local .xlsx file."""

    def __init__(self, path: Path, *, waiting: Waiting | None = None) -> None:
        self.path = path
        self.waiting = waiting  # told when a write waits for another process's lock
        self._read: Identity | None = None  # the file the last read saw; a write must find it

    @property
    def location(self) -> str:
        """The absolute path: a lead reading a message elsewhere cannot open a bare file name."""
        return os.path.abspath(self.path)

    @property
    def calls(self) -> int:
        return 0

    @property
    def retries(self) -> int:
        return 0

    def row_link(self, title: str, row: int | None) -> str | None:
        return None  # a local file has no shareable link to a row

    @property
    def lease_settle(self) -> float:
        return 0.0  # the write refuses a file saved since the read: a lease cannot be lost

    @property
    def sparklines(self) -> bool:
        return False  # Excel has no SPARKLINE function; the trend is drawn in Unicode instead

    def read(self) -> Snapshot:
        """Every tab's title and the known tabs' cells; remembers which file it read."""
        try:
            data, identity = read_bytes(target(self.path))
        except FileNotFoundError:
            raise messages.error(WorkbookError, "xlsx_missing", path=self.path) from None
        except IsADirectoryError:
            raise messages.error(WorkbookError, "xlsx_folder", path=self.path) from None
        except OSError as exc:
            reason = exc.strerror or exc
            raise messages.error(
                WorkbookError, "xlsx_unreadable", path=self.path, reason=reason
            ) from exc
        try:
            snapshot = read_snapshot(data)
        except Unreadable as exc:
            raise self._unreadable(exc) from exc
        self._read = identity
        return snapshot

    def check_writable(self) -> None:
        """Raise WorkbookError if the file cannot be replaced: a read-only file or folder, a folder.

        The cycle asks before sending alerts, so the message says none was sent.
        """
        try:
            ensure_replaceable(target(self.path))
        except WorkbookError as exc:
            raise WorkbookError(
                messages.say(messages.ERRORS, "no_alert_sent", "en", problem=exc),
                ko=messages.say(messages.ERRORS, "no_alert_sent", "ko", problem=exc.say("ko")),
            ) from exc

    def write(self, tabs: Mapping[str, Grid]) -> None:
        """Rewrite each owned tab whole (title -> grid); every other part stays as it is.

        Raises WorkbookChangedError, writing nothing, if the file is no longer
        the one the last read() saw: someone saved it in between.
        """
        if not tabs:
            return
        owned = {
            t: OwnedTab(grid, hidden=_hidden(t), first=tab_key(t) == "summary")
            for t, grid in tabs.items()
        }
        self._replace(owned, new=lambda: _new_book(dict(sorted(tabs.items(), key=_order)), {}))

    def init(self, tabs: Mapping[str, Grid], *, locale: Locale) -> list[str]:
        """Create the template tabs that are missing or empty; never touch a tab with data.

        ``tabs`` maps contract keys to template grids. Returns the titles written.
        """
        if not target(self.path).exists():
            grids = {TAB[key].name(locale): grid for key, grid in tabs.items()}
            keys = {TAB[key].name(locale): key for key in tabs}
            self._replace({}, new=lambda: _new_book(grids, keys, locale=locale))
            return list(grids)
        snapshot = self.read()
        present = {tab_key(title): title for title in snapshot.titles if tab_key(title)}
        owned: dict[str, OwnedTab] = {}
        for key, grid in tabs.items():
            title = present.get(key)
            if title is not None and _has_data(snapshot.grids.get(title, [])):
                continue
            title = title or TAB[key].name(locale)
            rows = max(len(grid), 1000)
            owned[title] = OwnedTab(grid, dropdowns=_dropdowns(key, locale, rows=rows))
        if owned:
            self._replace(owned)
        return list(owned)

    def _replace(
        self, owned: Mapping[str, OwnedTab], *, new: Callable[[], bytes] | None = None
    ) -> None:
        """One write: ``owned`` into the current file, or ``new()`` where there is none."""

        def build(current: bytes | None) -> bytes:
            if current is None:
                if new is None:  # init read the file, and replace() found it gone
                    raise messages.error(WorkbookError, "xlsx_vanished", path=self.path)
                return new()
            try:
                sniff(current)
                return rebuild(current, owned, rank=rank)
            except (Unreadable, PackageError) as exc:
                raise self._unreadable(exc) from exc

        self._read = replace(self.path, build, expected=self._read, waiting=self.waiting)

    def _unreadable(self, exc: Unreadable | PackageError) -> WorkbookError:
        if isinstance(exc, PasswordProtected):
            return messages.error(WorkbookError, "xlsx_password", path=self.path)
        if isinstance(exc, NotAWorkbook):
            key = "xlsx_empty" if exc.empty else "xlsx_not_workbook"
            return messages.error(WorkbookError, key, path=self.path)
        return messages.error(WorkbookError, "xlsx_not_xlsx", path=self.path, reason=exc)


# The tab order a workbook is given: the Weekly Summary, the input tabs, the Findings, _flowsync.
_RANK = {
    key: i
    for i, key in enumerate(["summary", *(t.key for t in TABS if not t.owned), "findings", "state"])
}


def rank(title: str) -> int | None:
    """A tab's place in the order flowsync gives the tabs it creates; None for a person's tab."""
    key = tab_key(title)
    return None if key is None else _RANK.get(key)


def _order(item: tuple[str, Grid]) -> int:
    found = rank(item[0])
    return len(_RANK) if found is None else found


def _hidden(title: str) -> bool:
    key = tab_key(title)
    return key is not None and TAB[key].hidden


def _has_data(grid: Grid) -> bool:
    return any(not is_blank(c) for row in grid for c in row)


def _dropdowns(key: str, locale: Locale, *, rows: int) -> list[Dropdown]:
    out = []
    for index, column in enumerate(TAB[key].columns, start=1):
        if column.enum is None:
            continue
        letter = get_column_letter(index)
        words = column.enum.words(locale)
        out.append(Dropdown(f"{letter}2:{letter}{rows}", words, column.name(locale)))
    return out


# --------------------------------------------------------------------------- new workbooks


def _new_book(
    grids: Mapping[str, Grid], keys: Mapping[str, str], *, locale: Locale = "en"
) -> bytes:
    """A brand-new workbook with these tabs, through openpyxl: there is nothing to keep yet."""
    book = openpyxl.Workbook()
    for ws in book.worksheets:
        book.remove(ws)
    for title, grid in grids.items():
        ws = book.create_sheet(title)
        fill_sheet(ws, grid)
        if title in keys:
            _add_dropdowns(ws, keys[title], locale, rows=max(len(grid), 1000))
        if _hidden(title):
            ws.sheet_state = "hidden"
        elif _owned(title) and grid:
            _print_setup(ws, grid)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fill_sheet(ws: Worksheet, grid: Grid) -> None:
    """Write ``grid`` from A1 with openpyxl: the first row a bold, frozen header; text stays text.

    ``Bold`` cells are bold and ``Wrap`` cells wrap, their rows as tall as their text,
    and the tables' columns of numbers are aligned, as in the zip-level writer (sheet.py).
    """
    widths = column_widths(grid)
    aligned = alignments(grid)
    for r, row in enumerate(grid, start=1):
        lines = wrapped_lines(row, widths)
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c)
            cell.value = value
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"  # openpyxl would store "=..." as a formula
            bold = is_bold(r - 1, value)  # ``r`` counts from 1, as the sheet's rows do
            if bold:
                cell.font = _BOLD
            align = aligned.get((r, c))
            wrap = not bold and isinstance(value, Wrap)
            top = wrap or (not bold and lines > 1)
            if align or top:
                cell.alignment = Alignment(
                    horizontal="right" if align == "right" else "left" if align else None,
                    indent=1 if align == "indent" else 0,
                    vertical="top" if top else None,
                    wrap_text=wrap or None,
                )
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = width
    if grid:
        ws.freeze_panes = "A2"


def _owned(title: str) -> bool:
    key = tab_key(title)
    return key is not None and TAB[key].owned


def _print_setup(ws: Worksheet, grid: Grid) -> None:
    """As the zip-level writer sets an owned tab up to print: one page wide, row 1 on each page."""
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if landscape(column_widths(grid)) else "portrait"
    ws.print_title_rows = "1:1"


def _add_dropdowns(ws: Worksheet, key: str, locale: Locale, *, rows: int) -> None:
    for dropdown in _dropdowns(key, locale, rows=rows):
        validation = DataValidation(
            type="list", formula1='"' + ",".join(dropdown.words) + '"', allow_blank=True
        )
        validation.error = dropdown.error
        validation.showErrorMessage = False  # the other language's words are accepted too
        validation.add(dropdown.sqref)
        ws.add_data_validation(validation)
