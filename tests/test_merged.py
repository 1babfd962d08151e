"""Merged cells as a person reads them: the value typed once applies to its whole range."""

from sync.backends.merged import spread_merged
from sync.core import Cell


def test_value_spreads_over_rows_that_hold_something() -> None:
    """A week merged over three rows fills the two below it; a blank row inside stays blank."""
    grid = [["week", "owner"], ["2026-W48", "Kim"], [None, "Lee"], [None, None], [None, "Park"]]
    assert spread_merged(grid, [(1, 0, 5, 1)]) == [
        ["week", "owner"],
        ["2026-W48", "Kim"],
        ["2026-W48", "Lee"],
        [None, None],
        ["2026-W48", "Park"],
    ]


def test_ragged_rows_are_extended_and_ranges_past_the_grid_make_no_rows() -> None:
    """Google cuts trailing blanks: a short row is extended to the merge; no row is invented."""
    grid: list[list[Cell]] = [["a", "b", "c"], ["x", "y"], ["k"]]
    spread_merged(grid, [(0, 1, 10, 3)])
    assert grid == [["a", "b", "c"], ["x", "y", "b"], ["k", "b", "b"]]


def test_an_empty_top_left_cell_spreads_nothing() -> None:
    """A merge whose first cell is blank leaves the grid as it is."""
    grid = [["week"], [None], ["2026-W48"]]
    assert spread_merged(grid, [(1, 0, 3, 1)]) == [["week"], [None], ["2026-W48"]]
