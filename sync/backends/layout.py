"""Layout intent (``Bold``, ``Wrap``) as formatting, decided once for every backend.

A grid says what a cell is; each backend turns that into its own formats. The
rules live here so that an .xlsx file and a Google sheet agree on which cells
are bold, how wide a column of wrapped text is, and how a table's numbers line up
(``alignments``; only the .xlsx backend applies it so far).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from sync.core import Bold, Cell, Formula, Grid, Wrap, display_width

MAX_WIDTH = 50  # characters; longer text overflows into empty neighbours, as in Google Sheets
WRAP_WIDTH = 30  # wrapped text (``Wrap``) widens its column up to this, then takes more lines


def is_bold(row: int, value: Cell) -> bool:
    """The header (row 0) and every ``Bold`` cell; only cells that hold something."""
    return value is not None and value != "" and (row == 0 or isinstance(value, Bold))


def is_wrapped(value: Cell) -> bool:
    """Text flowsync marked to wrap within its column."""
    return isinstance(value, Wrap) and value != ""


def column_widths(grid: Grid) -> dict[int, float]:
    """Column (1-based) -> width in characters for its text to fit, up to MAX_WIDTH.

    A lone title sets no width: it overflows into the empty cells beside it.
    """
    widths: dict[int, int] = {}
    for row in grid:
        if sum(v is not None for v in row) <= 1:
            continue
        for c, value in enumerate(row, start=1):
            if value is not None:
                width = text_width(value)
                if isinstance(value, Wrap):
                    width = min(width, WRAP_WIDTH)
                widths[c] = max(widths.get(c, 0), width)
    return {c: min(w + 2, MAX_WIDTH) for c, w in widths.items()}


def pixels(width: float) -> int:
    """A width in characters (Excel's unit, a digit of the default font) as screen pixels."""
    return round(width * 7 + 5)


def text_width(value: Cell) -> int:
    """The columns the cell's first line takes: East Asian characters two, as in a terminal."""
    return display_width(str(value).split("\n", 1)[0])


Align = Literal["right", "indent"]
"""``right``: a table's column of numbers, header included; ``indent``: the column after it."""

_NUMERIC = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?|\d+/\d+")  # 12, 1,200, 4.5, 80%, 1/1
_NO_VALUE = frozenset({"", "-"})


def alignments(grid: Grid) -> dict[tuple[int, int], Align]:
    """(row, column) from 1 -> how the cell is aligned, for the cells of the grid's tables.

    A table is a header (the first row, or a row of two or more ``Bold`` cells)
    and the rows under it up to an empty row or the next title or header. A
    column whose cells under the header are mostly numbers (``12``, ``80%``,
    ``1/1``; a sparkline or a ``-`` among them is fine) is right-aligned, header
    and all, so each number stands under its own header; the column after it, if
    it is text, starts one indent in, so that no number runs into its neighbour.
    Wrapped text keeps its own alignment.
    """
    out: dict[tuple[int, int], Align] = {}
    r = 0
    while r < len(grid):
        if not _is_header(r, grid[r]):
            r += 1
            continue
        end = r + 1
        while end < len(grid) and _in_body(end, grid[end]):
            end += 1
        _align_table(grid, r, end, out)
        r = end
    return out


def _is_header(r: int, row: Sequence[Cell]) -> bool:
    cells = [v for v in row if v is not None]
    return len(cells) >= 2 and (r == 0 or all(isinstance(v, Bold) for v in cells))


def _in_body(r: int, row: Sequence[Cell]) -> bool:
    cells = [v for v in row if v is not None and v != ""]
    if not cells or _is_header(r, row):
        return False
    return not (len(cells) == 1 and isinstance(cells[0], Bold))  # the next section's title


def _is_number(value: Cell) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return (
        isinstance(value, str)
        and not isinstance(value, Formula)
        and _NUMERIC.fullmatch(value.strip()) is not None
    )


def _align_table(grid: Grid, top: int, end: int, out: dict[tuple[int, int], Align]) -> None:
    width = max(len(grid[r]) for r in range(top, end))
    numeric: list[bool] = []
    for c in range(width):
        body = [grid[r][c] for r in range(top + 1, end) if c < len(grid[r])]
        values = [v for v in body if v is not None and not (isinstance(v, str) and v in _NO_VALUE)]
        numbers = sum(_is_number(v) for v in values)
        numeric.append(numbers > 0 and numbers >= len(values) - numbers)
    for c in range(width):
        align: Align | None = (
            "right" if numeric[c] else "indent" if c > 0 and numeric[c - 1] else None
        )
        if align is None:
            continue
        for r in range(top, end):
            value = grid[r][c] if c < len(grid[r]) else None
            if value is None or isinstance(value, Wrap):
                continue
            if align == "indent" and _is_number(value):
                continue  # a number keeps its own alignment
            out[(r + 1, c + 1)] = align
