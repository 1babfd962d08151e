"""An owned tab's worksheet XML, written as a stream: inline strings, a bold frozen header.

Each cell's look (bold, a date, wrapped, read from the top, aligned) comes from
the grid alone, by the rules of backends/layout.py: ``Bold`` and ``Wrap`` cells,
and a table's column of numbers right-aligned under its header, the column
after it a little in. The page is set up to print: as wide as the
paper (landscape when the columns are wide), as many pages tall as it takes.

Inline strings keep the workbook's shared-string table out of the write: an
owned tab is one part of the package and nothing else. Text is escaped for
XML, and the characters XML cannot carry (control characters, a lone
surrogate) are written the way Excel writes them, ``_xHHHH_``, with a literal
``_xHHHH_`` in the text protected as ``_x005F_xHHHH_``, so every reader gets
the text back exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.sax.saxutils import escape, quoteattr

from sync.backends.layout import (
    MAX_WIDTH,
    Align,
    alignments,
    column_widths,
    is_bold,
    text_width,
)
from sync.core import Cell, Formula, Grid, Wrap

MAX_TEXT = 32_767  # characters in one cell, Excel's limit
LINE_HEIGHT = 15  # points per line of a row with wrapped text: no reader sizes such rows itself
PAPER_A4 = 9  # the paperSize code of A4; without one, readers take US Letter
PORTRAIT_WIDTH = 100  # characters of columns that still print upright; wider tabs print landscape
_EPOCH = date(1899, 12, 30)
_NEEDS_CODE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Look:
    """How one cell looks; ``Look()`` is unstyled.

    ``bold``: the first row and every ``Bold`` cell; ``date``: a date's format;
    ``wrap``: wrapped text read from the top (``Wrap`` cells); ``top``: the other
    cells of a row with wrapped text, so the row reads from the top; ``align``:
    see ``Align``.
    """

    bold: bool = False
    date: bool = False
    wrap: bool = False
    top: bool = False
    align: Align | None = None


Styles = Mapping[Look, int]
"""Look -> index into the workbook's cellXfs; a look that is missing is written unstyled."""


@dataclass(frozen=True)
class Dropdown:
    """A list validation on a range (``C2:C1000``): the words a cell may take."""

    sqref: str
    words: Sequence[str]
    error: str = ""


def column_letters(index: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def xml_text(text: str) -> str:
    """Text as XML character data, with Excel's ``_xHHHH_`` for what XML cannot hold."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    if _NEEDS_CODE.search(text):
        text = _NEEDS_CODE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return escape(text)


def sheet_xml(
    grid: Grid, *, styles: Styles, dropdowns: Sequence[Dropdown] = (), selected: bool = False
) -> bytes:
    """The worksheet part for ``grid`` from A1: the first row a bold, frozen header.

    ``selected``: the tab is the one the workbook opens on (its ``tabSelected``).
    """
    return "".join(_parts(grid, styles, dropdowns, selected)).encode("utf-8")


def sheet_looks(grid: Grid) -> set[Look]:
    """Every look a cell of ``grid`` takes, for the workbook's styles to hold."""
    widths = column_widths(grid)
    aligned = alignments(grid)
    return {
        _look(r, c, value, _lines(row, widths), aligned)
        for r, row in enumerate(grid, start=1)
        for c, value in enumerate(row, start=1)
        if value is not None
    }


def landscape(widths: Mapping[int, float]) -> bool:
    """True when the columns are too wide to print upright."""
    return sum(widths.values()) > PORTRAIT_WIDTH


def _parts(
    grid: Grid, styles: Styles, dropdowns: Sequence[Dropdown], selected: bool
) -> Iterator[str]:
    width = max((len(row) for row in grid), default=0)
    letters = [column_letters(c) for c in range(1, width + 1)]
    yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    yield f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    yield '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
    if grid and width:
        yield f'<dimension ref="A1:{letters[-1]}{len(grid)}"/>'
    chosen = ' tabSelected="1"' if selected else ""
    yield f'<sheetViews><sheetView{chosen} workbookViewId="0">'
    if grid:
        yield '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        yield '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    yield '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    widths = column_widths(grid)
    aligned = alignments(grid)
    if widths:
        yield "<cols>"
        for c, w in sorted(widths.items()):
            yield f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
        yield "</cols>"
    yield "<sheetData>"
    for r, row in enumerate(grid, start=1):
        lines = _lines(row, widths)
        cells = [
            _cell(f"{letters[c - 1]}{r}", value, styles.get(_look(r, c, value, lines, aligned)))
            for c, value in enumerate(row, start=1)
            if value is not None
        ]
        if cells:
            height = f' ht="{LINE_HEIGHT * lines}" customHeight="1"' if lines > 1 else ""
            yield f'<row r="{r}"{height}>{"".join(cells)}</row>'
    yield "</sheetData>"
    if dropdowns:
        yield f'<dataValidations count="{len(dropdowns)}">'
        for d in dropdowns:
            words = xml_text('"' + ",".join(d.words) + '"')
            error = f" error={quoteattr(d.error)}" if d.error else ""
            yield (
                f'<dataValidation type="list" allowBlank="1" showErrorMessage="0"{error}'
                f' sqref="{d.sqref}"><formula1>{words}</formula1></dataValidation>'
            )
        yield "</dataValidations>"
    yield '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    orientation = "landscape" if landscape(widths) else "portrait"
    yield (
        f'<pageSetup paperSize="{PAPER_A4}" orientation="{orientation}"'
        ' fitToWidth="1" fitToHeight="0"/>'
    )
    yield "</worksheet>"


def _look(
    r: int, c: int, value: Cell, lines: int, aligned: Mapping[tuple[int, int], Align]
) -> Look:
    bold = is_bold(r - 1, value)  # ``r`` counts from 1, as the sheet's rows do
    wrap = not bold and isinstance(value, Wrap)
    return Look(
        bold=bold,
        date=isinstance(value, date),
        wrap=wrap,
        top=not bold and not wrap and lines > 1,
        align=aligned.get((r, c)),
    )


def wrapped_lines(row: Sequence[Cell], widths: dict[int, float]) -> int:
    """How many lines the row's longest wrapped text takes in its column (1 without any)."""
    return _lines(row, widths)


def _lines(row: Sequence[Cell], widths: dict[int, float]) -> int:
    return max(
        (
            -(-text_width(v) // max(int(widths.get(c, MAX_WIDTH)) - 2, 1))
            for c, v in enumerate(row, start=1)
            if isinstance(v, Wrap)
        ),
        default=1,
    )


def _cell(ref: str, value: Cell, style: int | None) -> str:
    s = f' s="{style}"' if style is not None else ""
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{xml_text(value.removeprefix("="))}</f></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float) and math.isfinite(value):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, date) and style is not None:  # its look carries the date format
        return f'<c r="{ref}"{s}><v>{excel_serial(value)!r}</v></c>'
    text = value if isinstance(value, str) else _text(value)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"  # Excel refuses a longer cell
    return (
        f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>'
    )


def _text(value: object) -> str:
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def excel_serial(value: date) -> float | int:
    """A date or datetime as the spreadsheet serial number (days since 1899-12-30)."""
    days = (date(value.year, value.month, value.day) - _EPOCH).days
    if not isinstance(value, datetime):
        return days
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return days + seconds / 86400 if seconds else days
