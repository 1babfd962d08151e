"""Layout intent (``Bold``, ``Wrap``) as formatting, decided once for every backend.

A grid says what a cell is; each backend turns that into its own formats. The
rules live here so that an .xlsx file and a Google sheet agree on which cells
are bold and how wide a column of wrapped text is.
"""

from __future__ import annotations

from sync.core import Bold, Cell, Grid, Wrap, display_width

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


def wrapped_columns(grid: Grid) -> set[int]:
    """Columns (1-based) that hold wrapped text somewhere."""
    return {c for row in grid for c, value in enumerate(row, start=1) if is_wrapped(value)}


def pixels(width: float) -> int:
    """A width in characters (Excel's unit, a digit of the default font) as screen pixels."""
    return round(width * 7 + 5)


def text_width(value: Cell) -> int:
    """The columns the cell's first line takes: East Asian characters two, as in a terminal."""
    return display_width(str(value).split("\n", 1)[0])
