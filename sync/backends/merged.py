"""Merged cells as a person reads them: the value typed once applies to the whole range."""

from __future__ import annotations

from collections.abc import Iterable

from sync.core import Cell


def spread_merged(
    grid: list[list[Cell]], merges: Iterable[tuple[int, int, int, int]]
) -> list[list[Cell]]:
    """The grid, changed in place, with each merged range's value in every cell of it.

    A week or an owner typed once over merged rows is the week or owner of
    each row. ``merges`` are (first row, first column, end row, end column),
    0-based and end-exclusive, as the Sheets API gives them. Only rows that
    hold something get the value: a week merged over rows nobody filled in
    makes no new rows.
    """
    filled: list[bool] | None = None
    for r0, c0, r1, c1 in merges:
        if r0 >= len(grid) or c0 >= len(grid[r0]) or grid[r0][c0] is None:
            continue
        if filled is None:
            filled = [any(v is not None for v in row) for row in grid]
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid))):
            if not filled[r]:
                continue
            row = grid[r]
            if len(row) < c1:
                row.extend([None] * (c1 - len(row)))
            for c in range(c0, c1):
                if row[c] is None:
                    row[c] = value
    return grid
