"""An owned tab's worksheet XML, written as a stream: inline strings, a bold frozen header.

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.sax.saxutils import escape, quoteattr

from sync.backends.layout import MAX_WIDTH, column_widths, text_width
from sync.core import Bold, Cell, Formula, Grid, Wrap

MAX_TEXT = 32_767  # characters in one cell, Excel's limit
LINE_HEIGHT = 15  # points per line of a row with wrapped text: no reader sizes such rows itself
_EPOCH = date(1899, 12, 30)
_NEEDS_CODE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Styles:
    """Indexes into the workbook's cellXfs; None: unstyled.

    ``header`` is bold (the first row, and every ``Bold`` cell), ``date`` a date's
    format, ``wrap`` wrapped text read from the top (``Wrap`` cells), ``top`` the
    other cells of a row with wrapped text, so the row reads from the top.
    """

    header: int | None = None
    date: int | None = None
    wrap: int | None = None
    top: int | None = None


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


def sheet_xml(grid: Grid, *, styles: Styles, dropdowns: Sequence[Dropdown] = ()) -> bytes:
    """The worksheet part for ``grid`` from A1: the first row a bold, frozen header."""
    return "".join(_parts(grid, styles, dropdowns)).encode("utf-8")


def _parts(grid: Grid, styles: Styles, dropdowns: Sequence[Dropdown]) -> Iterator[str]:
    width = max((len(row) for row in grid), default=0)
    letters = [column_letters(c) for c in range(1, width + 1)]
    yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    yield f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    if grid and width:
        yield f'<dimension ref="A1:{letters[-1]}{len(grid)}"/>'
    yield '<sheetViews><sheetView workbookViewId="0">'
    if grid:
        yield '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        yield '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    yield '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    widths = column_widths(grid)
    if widths:
        yield "<cols>"
        for c, w in sorted(widths.items()):
            yield f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
        yield "</cols>"
    yield "<sheetData>"
    for r, row in enumerate(grid, start=1):
        lines = _lines(row, widths)
        cells = [
            _cell(f"{letters[c]}{r}", value, _style(r, value, lines, styles), styles.date)
            for c, value in enumerate(row)
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
    yield '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    yield "</worksheet>"


def _style(r: int, value: Cell, lines: int, styles: Styles) -> int | None:
    if r == 1 or isinstance(value, Bold):
        return styles.header
    if isinstance(value, Wrap):
        return styles.wrap
    return styles.top if lines > 1 else None


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


def _cell(ref: str, value: Cell, style: int | None, date_style: int | None) -> str:
    s = f' s="{style}"' if style is not None else ""
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{xml_text(value.removeprefix("="))}</f></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float) and math.isfinite(value):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, date) and date_style is not None:
        s = f' s="{style if style is not None else date_style}"'
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
